"""redline and markup never read an output folder a killed render left half switched (its
journal pending), nor one that is a symbolic link."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.write import atomic
from helpers.deals import MINIMAL

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    deal = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, deal)
    assert runner.invoke(cli, ["render", str(deal), "-o", str(tmp_path / "out")]).exit_code == 0
    return tmp_path / "out" / "north-south-2026"


def test_redline_refuses_an_old_folder_with_a_pending_journal(tmp_path: Path, folder: Path) -> None:
    (folder / atomic.JOURNAL).write_text(
        '{"staging": ".clausesmith-stage-1-x", "files": [], "remove": []}', encoding="utf-8"
    )
    result = runner.invoke(
        cli, ["redline", str(folder), str(folder), "-o", str(tmp_path / "red.docx")]
    )
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"{folder / atomic.JOURNAL}: a render of this folder was interrupted and its files are "
        "part old, part new; render the deal again to finish it, then compare\n"
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_redline_refuses_a_symlinked_folder(tmp_path: Path, folder: Path) -> None:
    link = tmp_path / "link"
    os.symlink(folder, link)
    result = runner.invoke(cli, ["redline", str(link), str(folder), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 1
    assert "is a symbolic link; clausesmith never writes, reads or deletes through" in result.output
