"""Counsel's read of every deliverable the matrix renders, as the other side's lawyer reads it.

For each variant of tests/e2e/test_matrix.py (each allowed value, the grant-back, cap and
challenge combinations; a blocked variant rendered with counsel's override, since a
walk-away clause must read right too), plus the deals counsel reviewed in an earlier review (the
reference deal as shared, a US royalty-free deal, a lump sum, two side letters, courts,
no binding heads, listed countries), every term sheet and side letter, as .docx text and
as the Markdown twin, must:

- hold no counsel-only text: no clause's counsel note, no guardrail message;
- letter its annexes A, B, C without a gap, and refer only to annexes it has;
- use every term it defines, define (once) every defined term it uses (a side letter may
  rely on the term sheet's), and refer only to heads the term sheet has;
- read in the deal's locale: en-US in US spelling on Letter paper, en-GB in UK spelling on
  A4; and say "Draft: subject to contract", not the deal id, at the top of each page.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausesmith.docx.totext import docx_to_text
from clausesmith.pipeline import Inputs, plan_deal, render_deal
from clausesmith.resources import Sources
from helpers.deals import ACME, COLLABORATION, COUNSEL, REASON, ROYALTY_FREE, deep_merge
from helpers.matrix import AXES, CAP_PAIRS, CHALLENGE, GRANT_BACK_PAIRS, change

INPUTS = Inputs(Sources.resolve(counsel=COUNSEL))
SHARED: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
REFERENCE = deep_merge(SHARED, {"grant_back": {"collaboration": COLLABORATION}})

US_ROYALTY_FREE = deep_merge(
    ROYALTY_FREE,
    {
        "deal": {
            "governing_law": "new-york",
            "locale": "en-US",
            "title": "Patent Cross-License Term Sheet",
        },
        "dispute_resolution": {
            "arbitration": {
                "institution": "ICDR",
                "seat": "New York",
                "language": "English",
                "arbitrators": 3,
            },
            "expert_determination": ["royalty_calculation", "technical_scope"],
        },
    },
)
LUMP_SUM = {"royalties": {"structure": "lump_sum", "lump_sum": 2500000, "cap": None}}
SECOND_LETTER = {
    "key": "logistics",
    "title": "Warehouse Logistics",
    "from": "beta",
    "to": "acme",
    "terms": {"excluded_from_grant_back": True, "notice_before_entry_months": None},
}
TWO_LETTERS = {
    "carve_outs": {
        "sensitive_fields": [
            {
                "key": "surgical",
                "name": "surgical robotics",
                "owner": "acme",
                "side_letter": "surgical",
            },
            {
                "key": "warehouse",
                "name": "warehouse logistics robots",
                "owner": "beta",
                "side_letter": "logistics",
                "licence": "included",
            },
        ]
    },
    "side_letters": [SHARED["side_letters"][0], SECOND_LETTER],
}
COURTS = {
    "dispute_resolution": {
        "arbitration": None,
        "mediation": None,
        "courts": {"place": "England and Wales", "exclusive": True},
    }
}
LISTED = {"territory": {"include": ["DE", "US", "KR", "GB"], "exclude": []}}


def _matrix_changes() -> Iterator[tuple[str, dict[str, Any]]]:
    for key, value in AXES:
        yield f"{key}={value}", change(key, value)
    for scope, exclusivity, royalty in GRANT_BACK_PAIRS:
        yield (
            f"grant-back {scope} {exclusivity} {royalty}",
            {
                "grant_back": {
                    "scope": scope,
                    "exclusivity": exclusivity,
                    "royalty": royalty,
                    "royalty_rate_pct": 1.5 if royalty == "bearing" else None,
                }
            },
        )
    for structure, period in CAP_PAIRS:
        if structure in ("royalty_free", "lump_sum") and period is not None:
            continue  # refused as invalid input, as test_matrix checks
        changes = change("royalties.structure", structure)
        changes["royalties"]["cap"] = (
            None if period is None else {"amount": 1500000, "period": period}
        )
        yield f"{structure} cap {period}", changes
    for right, no_challenge, terminate in CHALLENGE:
        if right and no_challenge:
            continue  # refused as invalid input
        yield (
            f"challenge {right} {no_challenge} {terminate}",
            {
                "challenge": {
                    "right_of_challenge": right,
                    "no_challenge": no_challenge,
                    "termination_on_challenge": terminate,
                }
            },
        )


# name -> the deal as data (the matrix's variants are laid over the reference deal)
VARIANTS: dict[str, dict[str, Any]] = {
    "reference deal as shared": SHARED,
    "us royalty-free": deep_merge(REFERENCE, US_ROYALTY_FREE),
    "lump sum": deep_merge(REFERENCE, LUMP_SUM),
    "two side letters": deep_merge(REFERENCE, TWO_LETTERS),
    "courts": deep_merge(REFERENCE, COURTS),
    "no binding heads": deep_merge(REFERENCE, {"deal": {"binding_sections": []}}),
    "listed countries": deep_merge(REFERENCE, LISTED),
    **{name: deep_merge(REFERENCE, changes) for name, changes in _matrix_changes()},
}


@dataclass(frozen=True)
class Rendered:
    locale: str
    deal_values: tuple[str, ...]  # every string the deal supplies: printed as typed
    texts: dict[str, str]  # document stem + ".docx" / ".md" -> its text
    docx: dict[str, bytes]


@functools.cache
def rendered(name: str, tmp: Path) -> Rendered:
    data = copy.deepcopy(VARIANTS[name])
    if data["relationship"]["competitors"] is False:  # shares by party, as test_matrix gives
        data["relationship"]["market_share_pct"] = {"acme": 12, "beta": 9}
    path = tmp / "deal.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    blocks = sorted(f.rule for f in plan_deal(path, INPUTS).blocking)
    if blocks:  # render the walk-away clause with counsel's override, as the matrix does
        data["overrides"] = [
            {"rule": r, "approved_by": "Counsel", "date": dt.date(2026, 3, 1), "reason": REASON}
            for r in blocks
        ]
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    result = render_deal(path, INPUTS, out_dir=tmp / "out")
    texts, docx = {}, {}
    for file, content in result.files.items():
        if file.endswith(".md"):
            texts[file] = content.decode("utf-8")
        elif file.endswith(".docx"):
            (tmp / file).write_bytes(content)
            texts[file] = docx_to_text(tmp / file)
            docx[file] = content
    locale = data["deal"].get("locale") or "en-GB"
    return Rendered(locale, tuple(_strings(data)), texts, docx)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("review")


def deal(name: str, tmp_root: Path) -> Rendered:
    folder = tmp_root / re.sub(r"[^a-z0-9]+", "-", name.lower())
    folder.mkdir(exist_ok=True)
    return rendered(name, folder)


NAMES = list(VARIANTS)


def flat(text: str) -> str:
    """One line, straight quotes: how a reader's search would match it."""
    text = text.replace("“", '"').replace("”", '"').replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\\([\\`*_<>|])", r"\1", text)  # Markdown escapes
    return re.sub(r"\s+", " ", text.replace("<br>", " "))


# --------------------------------------------------------------------------- counsel-only text


def _counsel_only() -> list[str]:
    from clausesmith.library.clause import load_library

    sources = Sources.resolve()
    notes = [c.counsel_note for c in load_library(sources.library).clauses.values()]
    messages = [g.message for g in INPUTS.playbook("cross-licence-standard").guardrails]
    sentences = []
    for text in [n for n in notes if n] + messages:
        sentences += [s for s in re.split(r"(?<=[.;:])\s+", flat(text)) if len(s) > 25]
    return sentences


COUNSEL_ONLY = _counsel_only()
COUNSEL_WORDS = re.compile(
    r"playbook|counsel override|guardrail|excluded restriction|block exemption|walk-away",
    re.IGNORECASE,
)


def test_the_counsel_only_corpus_is_not_empty() -> None:
    """Counsel notes moved out of the clause text into front matter are really there."""
    assert len(COUNSEL_ONLY) > 20
    assert any("This position departs from the standard playbook" in s for s in COUNSEL_ONLY)


@pytest.mark.parametrize("name", NAMES)
def test_no_deliverable_holds_counsel_only_text(name: str, tmp_root: Path) -> None:
    for file, text in deal(name, tmp_root).texts.items():
        body = flat(text)
        for sentence in COUNSEL_ONLY:
            assert sentence not in body, f"{file}: counsel-only text: {sentence!r}"
        found = COUNSEL_WORDS.search(body)
        assert found is None, f"{file}: {body[max(0, found.start() - 80) : found.end() + 80]}"


# --------------------------------------------------------------------------- annexes


@pytest.mark.parametrize("name", NAMES)
def test_annexes_are_lettered_without_gaps_and_referred_to_only_if_present(
    name: str, tmp_root: Path
) -> None:
    texts = deal(name, tmp_root).texts
    md = flat(texts["term-sheet.md"])
    titles = re.findall(r"## Annex ([A-Z]):", texts["term-sheet.md"])
    assert titles == [chr(ord("A") + i) for i in range(len(titles))], titles
    docx_titles = re.findall(r"^Annex ([A-Z]):", texts["term-sheet.docx"], re.M)
    assert docx_titles == titles
    for file, text in texts.items():
        for letter in re.findall(r"\bAnnex ([A-Z])\b", flat(text)):
            assert letter in titles, f"{file} refers to Annex {letter}; annexes: {titles}"
    assert md


# --------------------------------------------------------------------------- defined terms

QUOTED = r'"([A-Z][^"]{0,60})"'
DEFINITIONS = [
    re.compile(QUOTED + r" (?:means|has the meaning)"),
    re.compile(r"\((?:the|this|each a) " + QUOTED + r"\)"),
]
SHORT_NAMES = re.compile(r"\(" + QUOTED + r"\)")


def prose(file: str, text: str) -> str:
    """What a reader reads as running text: for a term sheet, the legend, the provisions
    and annexes, without the heads' names (a head "Capture Period" is a title, not a use)."""
    lines = []
    for line in text.splitlines():
        if file.startswith("term-sheet"):
            line = re.sub(r"^\| \d+\. [^|]+\| ", "| ", line)
        lines.append(line)
    return flat("\n".join(lines))


def definitions(text: str) -> list[str]:
    return [m for pattern in DEFINITIONS for m in pattern.findall(text)]


def uses(term: str, text: str) -> int:
    """Occurrences of the term outside quotes, singular or plural."""
    stem = term[:-1] if term.endswith("s") and not term.endswith("ss") else term
    outside = re.sub(r'"[^"]*"', '""', text)
    return len(re.findall(r"(?<![\w-])" + re.escape(stem) + r"s?(?![\w-])", outside))


def _vocabulary(tmp_root: Path) -> set[str]:
    terms: set[str] = set()
    for name in ("reference deal as shared", "us royalty-free", "lump sum", "two side letters"):
        for file, text in deal(name, tmp_root).texts.items():
            terms |= set(definitions(prose(file, text)))
    return terms


@pytest.mark.parametrize("name", NAMES)
def test_every_defined_term_is_defined_once_and_used_and_every_used_term_defined(
    name: str, tmp_root: Path
) -> None:
    rendered_deal = deal(name, tmp_root)
    vocabulary = _vocabulary(tmp_root) | {"Sensitive Field", "Collaboration"}
    term_sheet = {
        t for f in ("term-sheet.md",) for t in definitions(prose(f, rendered_deal.texts[f]))
    } | set(SHORT_NAMES.findall(flat(rendered_deal.texts["term-sheet.md"])))
    for file, text in rendered_deal.texts.items():
        body = _without_deal_values(prose(file, text), rendered_deal.deal_values)
        defined = definitions(body)
        twice = {t for t in defined if defined.count(t) > 1}
        assert not twice, f"{file} defines {sorted(twice)} more than once"
        for term in defined:
            assert uses(term, body) >= 1, f"{file} defines {term!r} and never uses it"
        own = set(defined) | set(SHORT_NAMES.findall(body))
        known = own | (term_sheet if file.startswith("side-letter") else set())
        for term in vocabulary - known:
            assert not uses(term, body), f"{file} uses {term!r} without defining it"


# --------------------------------------------------------------------------- cross-references

REFERENCE_TO_HEAD = re.compile(r'(?:under|see|headed) "([^"]+)"')
LISTED_HEADS = re.compile(r'headed ((?:"[^"]+"(?:,? (?:and )?)?)+)')


@pytest.mark.parametrize("name", NAMES)
def test_every_cross_reference_names_a_head_that_exists(name: str, tmp_root: Path) -> None:
    texts = deal(name, tmp_root).texts
    heads = set(re.findall(r"^\| \d+\. ([^|]+?) \|", texts["term-sheet.md"], re.M))
    assert "Governing Law" in heads
    for file, text in texts.items():
        body = flat(text)
        named = set(REFERENCE_TO_HEAD.findall(body))
        for listed in LISTED_HEADS.findall(body):
            named |= set(re.findall(r'"([^"]+)"', listed))
        # en-US puts the comma or full stop inside the closing quote: “Royalties.”
        named = {n.rstrip(",.") for n in named}
        assert named <= heads, f"{file} names heads that do not exist: {sorted(named - heads)}"


# --------------------------------------------------------------------------- locale and page

UK_WORDS = re.compile(
    r"\b(licence|licences|organised|favourable|favoured|practises|practising|co-operate|defence)\b",
    re.IGNORECASE,
)
US_WORDS = re.compile(
    r"\b(License|Licenses|organized|favorable|favored)\b"
)  # "license" is a UK verb


def _without_deal_values(text: str, values: tuple[str, ...]) -> str:
    for value in sorted(values, key=len, reverse=True):
        if len(value) > 3:
            text = text.replace(flat(value), " ")
    return text


def _paper(docx: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    found = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', xml)
    assert found, "no page size"
    return found.group(1), found.group(2)


def _header(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return " ".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/header")
        )


@pytest.mark.parametrize("name", NAMES)
def test_locale_decides_spelling_and_paper_and_every_page_is_marked_draft(
    name: str, tmp_root: Path
) -> None:
    rendered_deal = deal(name, tmp_root)
    us = rendered_deal.locale == "en-US"
    for file, text in rendered_deal.texts.items():
        body = _without_deal_values(flat(text), rendered_deal.deal_values)
        if us:
            found = UK_WORDS.search(body)
            assert found is None, f"{file}: UK spelling {found.group(0)!r} in an en-US deal"
            assert "License" in body or "license" in body
        else:
            found = US_WORDS.search(body)
            assert found is None, f"{file}: US spelling {found.group(0)!r} in an en-GB deal"
    for file, docx in rendered_deal.docx.items():
        assert _paper(docx) == (("12240", "15840") if us else ("11906", "16838")), file
        header = _header(docx)
        execution = name == "deal.status=execution"  # the copy to sign carries no marking
        assert ("Draft: subject to contract" in header) is not execution, file
        assert "acme-beta-2026" not in header, file


def test_the_review_covers_the_matrix_and_the_deals_counsel_reviewed() -> None:
    assert len(NAMES) >= 100
    assert sum(1 for n in NAMES if "en-US" in n or "us " in n) >= 2
    assert list(itertools.islice(VARIANTS, 1)) == ["reference deal as shared"]
