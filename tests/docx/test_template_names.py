"""Attack on a firm's own Word template (`--template`) read against the typed document
model: a name the model does not have. The message should say which names the model has, as
the docstring of document_model promises the same names, not leak a module path.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()


def test_a_template_reading_a_field_the_model_lacks_is_told_the_fields(tmp_path: Path) -> None:
    folder = tmp_path / "firm-templates"
    shutil.copytree(ROOT / "templates", folder)
    docx = folder / "term-sheet.docx"
    shipped = ROOT / "templates" / "term-sheet.docx"
    with zipfile.ZipFile(shipped) as src, zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                assert b"{{ head.heading }}" in data
                data = data.replace(b"{{ head.heading }}", b"{{ head.headline }}", 1)
            out.writestr(item, data)
    out_dir = tmp_path / "o"
    result = runner.invoke(
        cli, ["render", str(ACME), "--template", str(folder), "-o", str(out_dir)]
    )
    assert result.exit_code == 1, result.output
    assert (
        f"{docx}: template error: a Head has no 'headline'; it has number, heading, paragraphs, "
        "binding, keep_together"
    ) in result.output
    assert "clausesmith.assemble" not in result.output
    assert not out_dir.exists()
