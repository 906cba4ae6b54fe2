"""Attack on the proofing language: a firm's own Word template whose
styles name a language element without `w:val` (Word writes `<w:lang w:eastAsia="ja-JP"/>`
for a style that sets only its East Asian language).

The compiled road promises docxtpl's bytes; for an en-US deal the two roads must agree on
such a template too, or the same deal renders differently after a cache is cleared.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import zipfile
from pathlib import Path

from clausesmith.assemble.document_model import template_context
from clausesmith.docx.writer import prepare_template, render_prepared, render_with_docxtpl
from helpers.document_models import CORE, TERM_SHEET, nasty_term_sheet, typed


def template_with_lang_without_val(tmp_path: Path) -> Path:
    path = tmp_path / "term-sheet.docx"
    with zipfile.ZipFile(TERM_SHEET) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/styles.xml":
                old = b'<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/>'
                assert old in data
                data = data.replace(old, b'<w:lang w:eastAsia="ja-JP" w:bidi="ar-SA"/>')
            out.writestr(item, data)
    return path


def test_both_roads_agree_on_a_language_element_without_a_value(tmp_path: Path) -> None:
    us_core = dataclasses.replace(CORE, proofing_language="en-US")
    prepared = prepare_template(template_with_lang_without_val(tmp_path))
    assert prepared.compiled is not None
    context = template_context(typed(nasty_term_sheet()))
    compiled = render_prepared(prepared, context, us_core)
    plain = render_with_docxtpl(prepared, copy.deepcopy(context), us_core)
    with zipfile.ZipFile(io.BytesIO(compiled)) as a, zipfile.ZipFile(io.BytesIO(plain)) as b:
        assert a.read("word/styles.xml") == b.read("word/styles.xml")
    assert compiled == plain
