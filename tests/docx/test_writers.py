"""The two writers: Word through the docxtpl templates, and the Markdown text twin."""

# Legal text uses typographic apostrophes and quotes on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import subprocess
import sys
import typing
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject

from clausesmith.assemble.document_model import Content
from clausesmith.docx.writer import (
    prepare_template,
    render_docx,
    render_prepared,
    render_with_docxtpl,
)
from clausesmith.docx.zipwrite import normalise_zip
from clausesmith.errors import InvalidInput
from clausesmith.write.markdown import TEMPLATE_NAMES, render_markdown
from helpers.document_models import (
    CORE,
    HEADS,
    NASTY,
    ROOT,
    SIDE_LETTER,
    TEMPLATES,
    TERM_SHEET,
    nasty_term_sheet,
    side_letter_context,
    term_sheet_context,
    typed,
)


def read(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def body_text(doc: DocumentObject) -> str:
    return "\n".join(doc.element.body.itertext())


def styled(doc: DocumentObject, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == style]


def cell_texts(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# --------------------------------------------------------------------------- term sheet docx


def test_term_sheet_headings_parties_and_heads() -> None:
    doc = read(render_docx(TERM_SHEET, typed(nasty_term_sheet()), CORE))

    assert styled(doc, "Title") == ["Patent Cross-Licence Term Sheet"]
    assert styled(doc, "Subtitle") == ["Dated 2 March 2026"]
    assert styled(doc, "Heading 1") == [
        "Parties",
        "Heads of Terms",
        "Annex A: Patent Schedule",
        "Annex B: Royalty Model",
        "Annex C: Grant-Back Review Scorecard",
        "Signatures",
    ]
    parties = [p.text for p in doc.paragraphs if p.text.startswith("(")]
    # the title block names the parties; the Parties head recites them in full, once
    assert parties == [
        "(1)\tAcme Robotics, Inc. (“Acme”); and",
        f'(2)\t{NASTY} (“S&S "Holdings"”).',
    ]
    heads = doc.tables[0]
    rows = cell_texts(heads)
    assert rows[0] == ["Term", "Provision"]
    assert len(rows) == 1 + len(HEADS)
    assert rows[1][0] == "1.\tParties"
    assert rows[1][1].endswith(f"{NASTY} joins as a guarantor; text after it.")
    assert rows[18][0] == "18.\tConfidentiality"  # as the legend names it: no "(binding)"
    assert rows[2][1].count("\n") == 1  # two paragraphs, one per item
    assert not any("{" in text or "%}" in text for row in rows for text in row)


def test_term_sheet_annexes_and_signatures() -> None:
    doc = read(render_docx(TERM_SHEET, typed(nasty_term_sheet()), CORE))
    patents, royalty, scorecard, signatures = (cell_texts(t) for t in doc.tables[1:])

    assert patents[0] == ["Owner", "Patent or application", "Title"]
    assert patents[3] == [
        "Beta",
        "DE 10 2019 123 456 A1",
        "Vision-guided bin picking | calibration method",
    ]
    assert royalty[-1] == [
        "Best",
        "EUR 120,000,000",
        "EUR 2,400,000",
        "EUR 1,500,000",
        "EUR 1,500,000",
    ]
    assert [row[:2] for row in scorecard] == [
        ["Criterion", "Weight"],
        ["Necessity", "40"],
        ["Value contribution", "35"],
        ["Sales velocity", "25"],
    ]
    assert styled(doc, "Heading 2") == ["Notes"]  # the scorecard has no notes
    assert len(signatures) == 1 and len(signatures[0]) == 2
    acme, other = signatures[0]
    assert "Acme Robotics, Inc." in acme and "Name: Dana Whitfield" in acme
    assert NASTY in other and "Name: \t" in other and "Title: \t" in other
    assert "{" not in body_text(doc)
    assert doc.core_properties.title == CORE.title
    assert doc.core_properties.author == "clausesmith"
    assert doc.core_properties.created == CORE.created
    assert doc.core_properties.revision == 1


def test_empty_lists_omit_whole_sections() -> None:
    context = term_sheet_context()
    context["annexes"] = {
        "patents": {"title": "Annex A: Patent Schedule", "rows": [], "status_columns": False},
        "royalty_model": None,
        "scorecard": None,
    }
    context["signatures"] = []
    doc = read(render_docx(TERM_SHEET, typed(context), CORE))

    assert styled(doc, "Heading 1") == ["Parties", "Heads of Terms"]
    assert len(doc.tables) == 1
    assert "Annex A: Patent Schedule" not in body_text(doc)


def test_header_and_footer_carry_the_draft_marking_and_page_fields() -> None:
    data = render_docx(TERM_SHEET, typed(term_sheet_context()), CORE)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        header = z.read("word/header1.xml").decode()
        footer = z.read("word/footer1.xml").decode()
        document = z.read("word/document.xml").decode()
    assert "Draft: subject to contract" in header and "Patent Cross-Licence Term Sheet" in header
    assert "acme-beta-2026" not in header  # the internal deal id is not for the other side
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document  # A4, as the context says
    assert "PAGE" in footer and "NUMPAGES" in footer and "Page " in footer


# --------------------------------------------------------------------------- side letter docx


def test_side_letter_reads_as_a_letter() -> None:
    context = side_letter_context()
    context["addressee"]["name"] = NASTY
    context["salutation"] = f"Dear {NASTY}"
    doc = read(render_docx(SIDE_LETTER, typed(context), CORE))
    texts = [p.text for p in doc.paragraphs]

    assert texts[:2] == [
        "Acme Robotics, Inc.",
        "1201 Orange Street, Wilmington, DE 19801, United States",
    ]
    assert NASTY in texts and f"Dear {NASTY}" in texts
    assert "Re: Patent Cross-Licence Term Sheet dated 2 March 2026" in texts
    numbered = styled(doc, "Numbered Paragraph")
    assert [t.split(".\t")[0] for t in numbered] == ["1", "2", "3", "4"]
    assert numbered[1].startswith("2.\tIncorporation. This letter is incorporated into and amends")
    assert numbered[3] == "4.\tThis letter is governed by English law."
    assert "Name: Dana Whitfield" in texts and "Title: General Counsel" in texts
    assert f"For and on behalf of {context['countersignature']['party_name']}" in texts
    assert "We agree to the terms of this letter." in texts
    assert texts[-1].startswith("Date: \t")
    assert "{" not in body_text(doc)


# --------------------------------------------------------------------------- reproducibility


def test_same_input_same_bytes() -> None:
    first = render_docx(TERM_SHEET, typed(nasty_term_sheet()), CORE)
    second = render_docx(TERM_SHEET, typed(copy.deepcopy(nasty_term_sheet())), CORE)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(2026, 3, 2, 9, 30, 0)}


def test_same_bytes_in_another_process_folder_and_timezone(tmp_path: Path) -> None:
    script = (
        "import sys, datetime as dt; sys.path[:0] = sys.argv[1:3]\n"
        "from helpers.document_models import CORE, SIDE_LETTER, side_letter_context, typed\n"
        "from clausesmith.docx.writer import render_docx\n"
        "sys.stdout.buffer.write(render_docx(SIDE_LETTER, typed(side_letter_context()), CORE))\n"
    )
    env = {**os.environ, "TZ": "Pacific/Auckland", "PYTHONHASHSEED": "123"}
    paths = [str(ROOT / "tests"), str(ROOT / "src")]
    done = subprocess.run(
        [sys.executable, "-c", script, *paths],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=True,
    )
    assert done.stdout == render_docx(SIDE_LETTER, typed(side_letter_context()), CORE)


def test_zip_dates_are_clamped_to_1980() -> None:
    data = render_docx(SIDE_LETTER, typed(side_letter_context()), CORE)
    old = normalise_zip(data, dt.datetime(1970, 1, 1))
    with zipfile.ZipFile(io.BytesIO(old)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_missing_key_names_the_template() -> None:
    """A firm's own template that reads a name the document model does not have."""
    context = side_letter_context()
    del context["closing"]
    with pytest.raises(InvalidInput, match=r"side-letter\.docx: template error: .*closing"):
        render_prepared(prepare_template(SIDE_LETTER), context, CORE)


# --------------------------------------------------------------------------- markdown twin


@pytest.mark.parametrize("road", ["compiled", "docxtpl"])
def test_a_control_character_fails_loudly_instead_of_truncating(road: str) -> None:
    """docxtpl's forgiving parser would drop the rest of the body after the bad character."""
    context = term_sheet_context()
    context["heads"][0]["paragraphs"].append("before\x01after")
    prepared = prepare_template(TERM_SHEET)
    render = render_prepared if road == "compiled" else render_with_docxtpl
    with pytest.raises(InvalidInput) as caught:
        render(prepared, context, CORE)
    assert re.fullmatch(
        re.escape(f"{TERM_SHEET}: renders a document that is not well-formed XML (line 1, ")
        + r"column \d+: not well-formed \(invalid token\)\); a value or the template put raw "
        r"markup or a control character into it\. Nothing was written\.",
        caught.value.format_message(),
    ), caught.value.format_message()


def test_markdown_term_sheet_twin() -> None:
    text = render_markdown(typed(nasty_term_sheet()), TEMPLATES)

    assert text.startswith(
        "*Draft: subject to contract*\n\n# Patent Cross-Licence Term Sheet\n\nDated 2 March 2026\n"
    )
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "| Term | Provision |" in text
    assert "| 18. Confidentiality | The existence and terms" in text
    assert (
        "| Beta | DE 10 2019 123 456 A1 | Vision-guided bin picking \\| calibration method |"
        in text
    )
    assert "| Best | EUR 120,000,000 | EUR 2,400,000 | EUR 1,500,000 | EUR 1,500,000 |" in text
    assert "the other’s consent" in text
    assert "of them.<br>A patent acquired" in text  # two paragraphs in one cell
    assert (
        'Smith & Söhne \\<Holdings\\> "Ltd" — 株式会社 joins as a guarantor; text after it.' in text
    )
    assert sum(line.startswith("## ") for line in text.splitlines()) == 6
    assert "Name: ____" in text


def test_markdown_omits_empty_annexes() -> None:
    context = term_sheet_context()
    context["annexes"]["royalty_model"] = None
    context["annexes"]["patents"]["rows"] = []
    text = render_markdown(typed(context), TEMPLATES)
    assert "## Annex A" not in text and "## Annex B" not in text and "## Annex C" in text
    assert "\n\n\n" not in text


def test_markdown_side_letter_twin() -> None:
    text = render_markdown(typed(side_letter_context()), TEMPLATES)
    assert "**Re: Patent Cross-Licence Term Sheet dated 2 March 2026**" in text
    assert "1. **Surgical robotics.** Notwithstanding the Licensed Field" in text
    assert "4. This letter is governed by English law." in text
    assert "We agree to the terms of this letter." in text
    assert text == render_markdown(typed(side_letter_context()), TEMPLATES)
    assert text.endswith(".\n") or text.endswith("_\n")


def test_every_kind_of_document_has_a_markdown_template() -> None:
    assert set(TEMPLATE_NAMES) == set(typing.get_args(Content))
    assert all((TEMPLATES / name).is_file() for name in TEMPLATE_NAMES.values())
