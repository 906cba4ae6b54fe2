"""Heads that agree with each other and with the deal: the execution version, the side
letter's greeting and forum, the covenant chosen in Licensed Patents, the capture period,
run-in headings and the en-US house style, each read as the other side's lawyer reads them."""

# Legal text uses typographic apostrophes and quotes on purpose.

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx

from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources

INPUTS = Inputs(Sources.resolve())
MARKING = "Draft: subject to contract"


def render(variant: Callable[..., Path], tmp_path: Path, changes: dict[str, Any]) -> Any:
    return render_deal(variant(changes), INPUTS, out_dir=tmp_path / "out")


def twin(rendered: Any, name: str) -> str:
    return str(rendered.files[name].decode("utf-8"))


def row(sheet: str, heading: str) -> str:
    return next(ln for ln in sheet.splitlines() if re.match(rf"^\| \d+\. {heading} \|", ln))


def test_the_execution_version_carries_no_marking_and_the_draft_keeps_it_off_binding_heads(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    draft = render(variant, tmp_path / "d", {})
    sheet = twin(draft, "term-sheet.md")
    assert sheet.startswith(f"*{MARKING}*\n")
    assert (
        "The words “Draft: subject to contract” on this Term Sheet do not apply to the binding "
        "sections." in sheet
    )
    letter = twin(draft, "side-letter-surgical.md")
    assert (
        "The words “Draft: subject to contract” on this letter do not apply to those three "
        "paragraphs." in letter
    )
    with zipfile.ZipFile(io.BytesIO(draft.files["term-sheet.docx"])) as z:
        assert MARKING in z.read("word/header1.xml").decode()

    signed = render(variant, tmp_path / "e", {"deal": {"status": "execution"}})
    for name, data in signed.files.items():
        if name.endswith(".md"):
            assert "subject to contract" not in data.decode("utf-8"), name
    documents = {n: d for n, d in signed.files.items() if n.endswith(".docx")}
    assert len(documents) == 2
    for name, data in documents.items():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [n for n in z.namelist() if n.startswith("word/")]
            assert not [n for n in parts if MARKING.encode() in z.read(n)], name


def test_a_side_letter_greets_the_signatory_with_closed_punctuation_for_their_attention(
    variant: Callable[..., Path], tmp_path: Path, acme_data: dict[str, Any]
) -> None:
    plain = twin(render(variant, tmp_path / "a", {}), "side-letter-surgical.md")
    assert "For the attention of: Jürgen Weiß, Geschäftsführer" in plain
    assert "\nDear Jürgen Weiß,\n" in plain and "\nYours sincerely,\n" in plain
    parties = copy.deepcopy(acme_data["parties"])
    parties[1]["signatory"]["salutation"] = "Dear Mr Weiß"
    chosen = {"parties": parties}
    named = twin(render(variant, tmp_path / "b", chosen), "side-letter-surgical.md")
    assert "\nDear Mr Weiß,\n" in named


def test_without_a_binding_governing_law_the_letter_states_its_own_law_and_forum(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    changes = {"deal": {"binding_sections": ["confidentiality", "costs"]}}
    letter = twin(render(variant, tmp_path, changes), "side-letter-surgical.md")
    assert "as provided under “Governing Law” in the Term Sheet" not in letter
    assert (
        "is governed by the laws of England and Wales and shall be finally resolved by "
        "arbitration under the ICC Rules of Arbitration seated in London, before three (3) "
        "arbitrators, in English; after the Agreement is signed, as the Agreement provides."
        in letter
    )


def test_a_covenant_not_to_sue_is_chosen_in_licensed_patents_and_insolvency_follows(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    sheet = twin(
        render(variant, tmp_path, {"grant": {"form": "covenant_not_to_sue"}}), "term-sheet.md"
    )
    patents = row(sheet, "Licensed Patents")
    assert "instead of granting a licence, each party will covenant not to sue" in patents
    assert "is what this Term Sheet calls the “licences” granted under the Agreement" in patents
    insolvency = row(sheet, "Insolvency Protection")
    assert (
        "The parties intend each covenant not to sue given under the Agreement to be " in insolvency
    )
    assert "Form of grant" not in sheet and "Instead of a licence" not in sheet
    assert "**No implied rights.**" in row(sheet, "Other Terms")


def test_licences_run_from_the_effective_date_and_the_capture_period_never_outruns_the_term(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    sheet = twin(render(variant, tmp_path / "a", {}), "term-sheet.md")
    assert (
        "with effect from the Effective Date (whether the Agreement is signed before or after "
        "it)" in row(sheet, "Licensed Patents")
    )
    assert "by acts done before the Effective Date" in row(sheet, "Release of Past Infringement")
    longer = twin(
        render(variant, tmp_path / "b", {"patents": {"capture_period_years": 10}}),
        "term-sheet.md",
    )
    assert (
        "“Capture Period” means the term of the Agreement, from the Effective Date until the "
        "Agreement ends;" in longer
    )
    assert "ten (10) years" not in longer


def test_a_paying_german_licensor_concedes_nothing_and_its_security_ignores_insolvency(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    paid = twin(render(variant, tmp_path / "a", {"royalties": {"payer": "acme"}}), "term-sheet.md")
    german = row(paid, "Insolvency Protection")
    assert "the licences Beta grants will be granted irrevocably, for the life of each " in german
    assert "fully paid" not in german and "German counsel" not in german
    secured = twin(
        render(variant, tmp_path / "b", {"insolvency": {"german_licensor": "security"}}),
        "term-sheet.md",
    )
    security = row(secured, "Insolvency Protection")
    assert "conditional assignment" not in security and "refusal" not in security
    assert (
        "will be perfected (including any registration it needs) when the Agreement is signed"
        in security
    )


def test_run_in_headings_are_bold_in_word_and_the_twin(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    rendered = render(variant, tmp_path, {})
    sheet = twin(rendered, "term-sheet.md")
    assert "<br>**Taxes.** If the law requires" in row(sheet, "Royalties")
    assert "**There is" not in sheet  # a short sentence is not a heading
    document = docx.Document(io.BytesIO(rendered.files["term-sheet.docx"]))
    cells = [c for t in document.tables for r in t.rows for c in r.cells]
    runs = [run for c in cells for p in c.paragraphs for run in p.runs if run.text == "Taxes."]
    assert runs and all(run.bold for run in runs)


def test_en_us_house_style_in_library_text(variant: Callable[..., Path], tmp_path: Path) -> None:
    changes = {
        "deal": {
            "governing_law": "new-york",
            "locale": "en-US",
            "title": "Patent Cross-License Term Sheet",
        }
    }
    rendered = render(variant, tmp_path, changes)
    sheet = twin(rendered, "term-sheet.md")
    assert "without the right to sublicense" in sheet and "sub-license" not in sheet
    assert "reexaminations" in sheet
    assert "If the parties do not agree on a revised rate" in sheet
    assert "under “Royalties.”" in sheet or "under “Royalties,”" in sheet
    assert not re.search(r"”[,.]", sheet)
    assert not [f for f in rendered.plan.findings if f.rule == "CS-08-US-TITLE-SPELLING"]


def test_no_deal_id_in_the_word_files_core_properties(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    rendered = render(variant, tmp_path, {})
    documents = {n: d for n, d in rendered.files.items() if n.endswith(".docx")}
    assert len(documents) == 2
    for name, data in documents.items():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert b"acme-beta-2026" not in z.read("docProps/core.xml"), name
