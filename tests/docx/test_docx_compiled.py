"""The compiled Word road gives docxtpl's bytes, render after render, and notices a new file."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from clausesmith.assemble.assembler import assemble
from clausesmith.assemble.document_model import template_context
from clausesmith.docx.writer import (
    CoreProperties,
    prepare_template,
    render_docx,
    render_prepared,
    render_with_docxtpl,
)
from clausesmith.docx.zipwrite import ZipEntry, write_zip
from clausesmith.errors import InvalidInput
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.resources import Sources
from helpers.deals import ACME, MINIMAL
from helpers.document_models import (
    CORE,
    SIDE_LETTER,
    TERM_SHEET,
    nasty_term_sheet,
    side_letter_context,
    typed,
)

INPUTS = Inputs(Sources.resolve())


def deal_contexts() -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for deal in (ACME, MINIMAL):
        for doc in assemble(plan_deal(deal, INPUTS)):
            template = TERM_SHEET if doc.kind == "term_sheet" else SIDE_LETTER
            out.append((template, template_context(doc.content)))
    return out


def with_breaks() -> dict[str, Any]:
    """A value with a line break, a tab and a page break: docxtpl's listing rewrite runs."""
    context = side_letter_context()
    context["closing"] = "Yours faithfully,\nfor Acme\tRobotics\fAnnex"
    return context


def test_compiled_bytes_equal_docxtpl_for_every_shipped_document() -> None:
    cases = [
        (SIDE_LETTER, with_breaks()),
        *deal_contexts(),
        (TERM_SHEET, nasty_term_sheet()),
        (SIDE_LETTER, side_letter_context()),
    ]
    assert len(cases) == 6  # acme: term sheet and one side letter; minimal: term sheet
    for template, context in cases:
        prepared = prepare_template(template)
        assert prepared.compiled is not None
        plain = render_with_docxtpl(prepared, copy.deepcopy(context), CORE)
        assert render_prepared(prepared, context, CORE) == plain, template.name


def test_renders_through_one_prepared_template_do_not_leak_into_each_other() -> None:
    prepared = prepare_template(TERM_SHEET)
    assert prepare_template(TERM_SHEET) is prepared  # the same file: prepared once
    first = render_prepared(prepared, nasty_term_sheet(), CORE)
    other_core = CoreProperties("Other", "other-2027", "other", dt.datetime(2027, 5, 6))
    other = render_prepared(prepared, deal_contexts()[0][1], other_core)
    assert other != first
    assert render_prepared(prepared, nasty_term_sheet(), CORE) == first


def test_an_edited_template_file_is_read_again(tmp_path: Path) -> None:
    template = tmp_path / "term-sheet.docx"
    shutil.copyfile(SIDE_LETTER, template)
    letter = render_docx(template, typed(side_letter_context()), CORE)
    assert letter == render_docx(SIDE_LETTER, typed(side_letter_context()), CORE)
    shutil.copyfile(TERM_SHEET, template)
    assert render_docx(template, typed(nasty_term_sheet()), CORE) == render_docx(
        TERM_SHEET, typed(nasty_term_sheet()), CORE
    )


def test_a_template_whose_jinja_does_not_compile_reports_it_as_docxtpl_does(
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(SIDE_LETTER) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"</w:body>", b"<w:p><w:r><w:t>{{ closing </w:t></w:r></w:p></w:body>"
    )
    broken = tmp_path / "broken.docx"
    broken.write_bytes(
        write_zip([ZipEntry.of(n, d) for n, d in parts.items()], dt.datetime(2026, 1, 1))
    )
    assert prepare_template(broken).compiled is None
    with pytest.raises(InvalidInput) as caught:
        render_docx(broken, typed(side_letter_context()), CORE)
    message = str(caught.value)
    assert message.startswith(f"{broken}: template error: unexpected '/' near 'Name:")
    assert message.endswith("{{ closing '")


def test_written_zip_is_a_valid_docx_zip() -> None:
    data = render_docx(TERM_SHEET, typed(nasty_term_sheet()), CORE)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        assert "word/styles.xml" in z.namelist()


def test_a_us_document_is_spell_checked_in_us_english_on_both_roads() -> None:
    us_core = dataclasses.replace(CORE, proofing_language="en-US")
    prepared = prepare_template(TERM_SHEET)
    context = template_context(typed(nasty_term_sheet()))
    compiled = render_prepared(prepared, context, us_core)
    assert compiled == render_with_docxtpl(prepared, copy.deepcopy(context), us_core)
    with zipfile.ZipFile(io.BytesIO(compiled)) as z:
        styles = z.read("word/styles.xml")
    assert b'<w:lang w:val="en-US"' in styles and b"en-GB" not in styles
    with zipfile.ZipFile(io.BytesIO(render_prepared(prepared, context, CORE))) as z:
        assert b'<w:lang w:val="en-GB"' in z.read("word/styles.xml")  # the template's own
