"""Attack on `--template`: a firm's folder holding only its two Word
templates, as `render --help` describes it ("Folder with term-sheet.docx and
side-letter.docx"). The text twin's template is read from the same folder; the user expects
to be told which file is missing and where to get it, not "template: term-sheet.md.j2".
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()


def test_a_template_folder_without_the_text_twin_template_says_what_is_missing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "firm-templates"
    folder.mkdir()
    for name in ("term-sheet.docx", "side-letter.docx"):
        shutil.copy(ROOT / "templates" / name, folder / name)
    out = tmp_path / "o"
    result = runner.invoke(cli, ["render", str(ACME), "--template", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert (
        f"{folder / 'term-sheet.md.j2'}: no such file: the text twin (term-sheet.md) is "
        "rendered from it, beside the Word templates; copy term-sheet.md.j2 from "
        "clausesmith's own templates into this folder"
    ) in result.output
    assert not out.exists()
