"""`clausesmith totext` and the git textconv recipe of the README, through a real git diff."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith import pipeline
from clausesmith.cli.main import cli
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from helpers.deals import ACME

runner = CliRunner()


def test_paragraphs_rows_headers_and_footers(acme_out: Path) -> None:
    result = runner.invoke(cli, ["totext", str(acme_out / "term-sheet.docx")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Patent Cross-Licence Term Sheet", "Dated 2 March 2026"]
    assert "| Term | Provision |" in lines
    [royalties] = [line for line in lines if line.startswith("| 17. Royalties | ")]
    assert "Beta will pay Acme a balancing royalty of 2% of Net Sales" in royalties
    assert royalties.count(" / ") == 3  # the clause's three paragraphs and "Taxes."
    header = lines.index("== header (default) ==")
    assert lines[header + 1] == "Draft: subject to contract Patent Cross-Licence Term Sheet"
    assert lines[-2:] == ["== footer (default) ==", "Page 1 of 1"]
    again = runner.invoke(cli, ["totext", str(acme_out / "term-sheet.docx")])
    assert again.output == result.output


def test_not_a_word_file(tmp_path: Path) -> None:
    fake = tmp_path / "notes.docx"
    fake.write_text("just text", encoding="utf-8")
    result = runner.invoke(cli, ["totext", str(fake)])
    assert result.exit_code == 1
    assert result.output == f"{fake}: is not a Word (.docx) file\n"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


@pytest.mark.tools("git")
def test_git_diff_shows_the_changed_rate_through_textconv(
    tmp_path: Path, acme_data: dict[str, Any], write_deal: Any
) -> None:
    repo = tmp_path / "deals"
    repo.mkdir()
    git(repo, "init", "-q")
    # the README recipe, with this interpreter standing in for the installed command
    (repo / ".gitattributes").write_text("*.docx diff=docx\n", encoding="utf-8")
    git(
        repo, "config", "diff.docx.textconv", f"{shlex.quote(sys.executable)} -m clausesmith totext"
    )
    inputs = Inputs(Sources.resolve())
    pipeline.write_deal(render_deal(ACME, inputs, out_dir=repo / "acme"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    acme_data["royalties"]["rate_pct"] = 2.5
    pipeline.write_deal(render_deal(write_deal(acme_data), inputs, out_dir=repo / "acme"))

    diff = git(repo, "diff", "--word-diff=plain", "acme/term-sheet.docx")
    assert "Binary files" not in diff
    assert "balancing royalty of [-2%-]{+2.5%+} of Net Sales" in diff
    assert "at [-2%-]{+2.5%+} under three projections" in diff
