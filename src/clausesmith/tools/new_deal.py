"""`clausesmith new`: a commented starting deal that validates, from answers or options.

The file holds the required sections filled in and, commented out, every other key of the
format with the playbook's preferred value and what the key may hold: generated from the
schema and the playbook, so it never falls behind them. Uncommenting a section gives valid
YAML."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausesmith.deal.describe import describe
from clausesmith.deal.json_schema import deal_json_schema
from clausesmith.deal.load import DefaultsFor, load_parsed, settle_governance
from clausesmith.deal.model import DEFAULTABLE_SECTIONS
from clausesmith.deal.schema import DEAL_SCHEMA
from clausesmith.deal.written import as_written
from clausesmith.errors import invalid
from clausesmith.files import MAX_APPENDED_BYTES, read_bounded, write_user_file
from clausesmith.inputs.yamlio import parse

DEFAULT_TITLE = "Patent Cross-Licence Term Sheet"
SCHEMA_NAME = "deal.schema.json"
CONFIG_TEXT = """\
# clausesmith settings for this deals repository (see docs/ci.md, "A deals repository").
# Folders are relative to this file; a command-line option wins over them.
deals = ["deals"]
output = "out"
# library = "clause_library"
# playbooks = "playbooks"
# templates = "templates"
"""
COMMENT_AT = 40  # the column comments start at, as in examples/acme-beta.yaml


@dataclass(frozen=True)
class Answers:
    id: str
    title: str
    date: dt.date
    governing_law: str
    parties: tuple[tuple[str, str, str], ...]  # (key, full name, jurisdiction)
    field: str
    territory: tuple[str, ...]
    patents: tuple[tuple[str, str, str], ...]  # (owner key, reference, title)


# Asks one question: the prompt, and the answers allowed (empty: any text). The CLI asks on
# the terminal; nothing here knows how.
Ask = Callable[[str, Sequence[str]], str]
Triple = tuple[str, str, str]


@dataclass(frozen=True)
class Given:
    """What the options gave; None or empty where an option was left out."""

    id: str | None = None
    title: str | None = None
    date: dt.date | None = None
    governing_law: str | None = None
    parties: tuple[Triple, ...] = ()
    field: str | None = None
    territory: tuple[str, ...] = ()
    patents: tuple[Triple, ...] = ()


def missing(given: Given) -> list[str]:
    """The options a deal cannot do without that were not given, named as they are typed."""
    needed = (
        ("--id", bool(given.id)),
        ("--governing-law", bool(given.governing_law)),
        (
            "--party KEY NAME JURISDICTION" + (" (twice)" if not given.parties else ""),
            len(given.parties) >= 2,
        ),
        ("--field", bool(given.field)),
        ("--patent OWNER REF TITLE", bool(given.patents)),
    )
    return [option for option, present in needed if not present]


def complete(given: Given, ask: Ask, governing_laws: Sequence[str], today: dt.date) -> Answers:
    """The answers: what was given, and for the rest what `ask` is told."""

    def need(value: str | None, prompt: str, choices: Sequence[str] = ()) -> str:
        return value or ask(prompt, choices)

    deal_id = need(given.id, "Deal id (e.g. acme-beta-2026)")
    law = need(given.governing_law, "Governing law", governing_laws)
    parties = given.parties
    while len(parties) < 2:
        n = len(parties) + 1
        parties += (
            (
                ask(f"Party {n} key (e.g. acme)", ()),
                ask(f"Party {n} full name", ()),
                ask(f"Party {n} jurisdiction (ISO 3166, e.g. US-DE)", ()),
            ),
        )
    field = need(given.field, "Licensed field segment (e.g. industrial automation)")
    patents = given.patents
    if not patents:
        owner = ask("First patent family's owner (party key)", ())
        patents = ((owner, ask("Its reference", ()), ask("Its title", ())),)
    return Answers(
        id=deal_id,
        title=given.title or DEFAULT_TITLE,
        date=given.date or today,
        governing_law=law,
        parties=parties,
        field=field,
        territory=given.territory or ("WORLD",),
        patents=patents,
    )


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _line(text: str, comment: str) -> str:
    return f"{text:<{COMMENT_AT - 1}} # {comment}" if comment else text


def starting_deal(a: Answers, defaults: Mapping[str, Any], schema_ref: str | None) -> str:
    """The deal file's text: required sections filled in, every other key commented."""
    rules = DEAL_SCHEMA
    # The commented sections show what leaving them out loads as, settled as the loader
    # settles it (with no collaboration, nothing needs a committee): uncommenting a section
    # then changes nothing.
    settled = copy.deepcopy(dict(defaults))
    settle_governance(settled, ["governance"])
    defaults = settled
    lines = [f"# yaml-language-server: $schema={schema_ref}"] if schema_ref else []
    lines += [
        "# A new deal specification written by `clausesmith new`. Every section left out",
        "# takes the playbook's preferred position (shown commented out below, with what each",
        "# key may hold); `clausesmith explain` lists which sections did.",
        "clausesmith: 1",
        "",
        "deal:",
        _line(f"  id: {_q(a.id)}", "names the output folder"),
        _line(f"  title: {_q(a.title)}", ""),
        _line(f"  date: {a.date.isoformat()}", "YYYY-MM-DD: the date on the term sheet"),
        _line(
            f"  governing_law: {a.governing_law}",
            describe(rules["deal"]["schema"]["governing_law"]),
        ),
        _line(
            "  binding_sections: [" + ", ".join(defaults["deal"]["binding_sections"]) + "]",
            "binding on signature; every other head is not",
        ),
        _line(
            "  status: draft",
            "draft (marked subject to contract) | execution (the copy to sign)",
        ),
        *_commented(
            rules["deal"]["schema"],
            {},
            1,
            skip=("id", "title", "date", "governing_law", "binding_sections", "status"),
        ),
        "",
        _line("parties:", "exactly two"),
    ]
    party = rules["parties"]["schema"]["schema"]
    given = ("key", "name", "short_name", "jurisdiction")
    for key, name, jurisdiction in a.parties:
        short = name.split(",")[0].split()[0]
        lines += [
            _line(f"  - key: {_q(key)}", describe(party["key"])),
            _line(f"    name: {_q(name)}", "the full legal name"),
            _line(f"    short_name: {_q(short)}", "the defined term the documents use"),
            _line(f"    jurisdiction: {_q(jurisdiction)}", describe(party["jurisdiction"])),
            *_commented(party, {}, 2, skip=given),
        ]
    lines += ["", "patents:", "  families:"]
    for owner, ref, title in a.patents:
        named = f", title: {_q(title)}" if title.strip() else ""  # "": not known yet
        lines.append(f"    - {{owner: {_q(owner)}, ref: {_q(ref)}{named}}}")
    lines += _commented(rules["patents"]["schema"], {}, 1, skip=("families",))
    lines += [
        "",
        "field:",
        "  licensed:",
        f"    - {{segment: {_q(a.field)}}}",
        *_commented(rules["field"]["schema"], {}, 1, skip=("licensed",)),
        "",
        "territory:",
        _line(
            f"  include: [{', '.join(map(_q, a.territory))}]",
            describe(rules["territory"]["schema"]["include"]),
        ),
        *_commented(rules["territory"]["schema"], {}, 1, skip=("include",)),
        "",
        "# Left out, so the playbook's preferred position applies; uncomment to change it:",
    ]
    for section in DEFAULTABLE_SECTIONS:
        lines += [
            "",
            f"# {section}:",
            *_commented(rules[section]["schema"], defaults[section], 1, within=""),
        ]
    for section in (
        "side_letters",
        "related_agreements",
        "definitions",
        "overrides",
        "acknowledgements",
    ):
        lines += ["", f"# {section}:", *_item(rules[section]["schema"]["schema"], 1)]
    return "\n".join(lines) + "\n"


def _said(rules: dict[str, Any], within: str | None) -> str:
    """What a key may hold, and whether it must be given: inside a section the playbook
    fills in, nothing must (a key left out takes the playbook's value); inside an optional
    mapping or a list's entry, a required key is required there, not in the deal."""
    words = describe(rules)
    if within == "":
        return words.removesuffix("; required").removesuffix("; optional")
    if within is not None and words.endswith("; required"):
        return words.removesuffix("; required") + f"; required in {within}"
    return words


def _commented(
    fields: dict[str, Any],
    values: Mapping[str, Any],
    depth: int,
    skip: tuple[str, ...] = (),
    within: str | None = None,
) -> list[str]:
    """`#   key: value   # what it may hold`, for each key (the playbook's value, if it has
    one); a mapping's keys and a list's item below their key, to fill in. `within` is ""
    inside a section the playbook fills in, else the optional mapping or entry the keys
    belong to (None: the deal itself)."""
    pad = "  " * depth
    lines = []
    for key, rules in fields.items():
        if key in skip:
            continue
        value = values.get(key)
        item = rules.get("schema") if rules.get("type") == "list" else None
        template = isinstance(item, dict) and item.get("type") == "dict" and "schema" in item
        mapping = rules.get("type") == "dict" and "schema" in rules
        said = _said(rules, within)
        if mapping and isinstance(value, dict):
            lines.append(_line(f"# {pad}{key}:", said))
            lines += _commented(rules["schema"], value, depth + 1, within=within)
            continue
        if key in values:  # the playbook's value: uncommented as it stands, it is valid
            lines.append(_line(f"# {pad}{key}: {as_written(value)}", said))
        else:
            lines.append(_line(f"# {pad}{key}:", said))
        inner = (
            _commented(rules["schema"], {}, depth + 1, within=key)
            if mapping
            else _item(item["schema"], depth + 1)
            if template and isinstance(item, dict)
            else []
        )
        # Under a value the playbook gives (cap: null), how to fill it in stays a comment.
        lines += [f"#{line}" for line in inner] if key in values else inner
    return lines


def _item(fields: dict[str, Any], depth: int) -> list[str]:
    """A list's item as a commented example: `#   - key:   # ...` then its other keys."""
    pad = "  " * depth
    lines = []
    for i, (key, rules) in enumerate(fields.items()):
        lead = "- " if i == 0 else "  "
        lines.append(_line(f"# {pad}{lead}{key}:", _said(rules, "each entry")))
        if rules.get("type") == "dict" and "schema" in rules:
            lines += _commented(rules["schema"], {}, depth + 2, within=key)
    return lines


def write_new(
    path: Path,
    answers: Answers,
    defaults_for: DefaultsFor,
    force: bool,
    schema_file: Path | None = None,
) -> None:
    """Write the starting deal, having checked that it validates; never clobber a file."""
    if os.path.lexists(path) and not force:
        raise invalid(str(path), "", "already exists; choose another name or pass --force")
    ref = None
    if schema_file is not None:
        ref = Path(os.path.relpath(schema_file.resolve(), path.resolve().parent)).as_posix()
    text = starting_deal(answers, defaults_for("cross-licence-standard"), ref)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    load_parsed(parse(text, str(path)), defaults_for, digest)  # InvalidInput if not valid
    path.parent.mkdir(parents=True, exist_ok=True)  # `new deals/first.yaml` in a new repository
    write_user_file(path, text.encode("utf-8"))


def gitattributes_lines(output: Path) -> list[str]:
    """What keeps git from changing outputs' bytes, and shows Word files as text in diffs."""
    return [f"{output.as_posix()}/** -text", "*.docx diff=docx"]


def set_up_repository(root: Path, output: Path) -> list[str]:
    """clausesmith.toml, the .gitattributes lines and deal.schema.json in `root`, each only
    where missing (a line is added to an existing .gitattributes, nothing is replaced)."""
    said = []
    config = root / "clausesmith.toml"
    if not os.path.lexists(config) and not _has_table(root / "pyproject.toml"):
        write_user_file(config, CONFIG_TEXT.encode("utf-8"))
        said.append(f"{config}: written")
    attributes = root / ".gitattributes"
    text = _existing(attributes)
    missing = [line for line in gitattributes_lines(output) if line not in text.splitlines()]
    if missing:
        lead = "" if not text or text.endswith("\n") else "\n"
        write_user_file(attributes, (text + lead + "\n".join(missing) + "\n").encode("utf-8"))
        said.append(f"{attributes}: added {', '.join(missing)}")
    schema = root / SCHEMA_NAME
    if not os.path.lexists(schema):
        schema_text = json.dumps(deal_json_schema(), indent=2) + "\n"
        write_user_file(schema, schema_text.encode("utf-8"))
        said.append(f"{schema}: written (the deal format for editors)")
    return said


def _existing(path: Path) -> str:
    """The text of a file about to be added to, read without following a link (a symlinked
    .gitattributes is refused, not appended to) and within a bound."""
    if not os.path.lexists(path):
        return ""
    try:
        return read_bounded(path, MAX_APPENDED_BYTES, follow_symlinks=False).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        message = f"cannot be added to ({reason}); nothing was changed"
        raise invalid(str(path), "", message) from None


def _has_table(pyproject: Path) -> bool:
    return pyproject.is_file() and "[tool.clausesmith]" in pyproject.read_text(encoding="utf-8")
