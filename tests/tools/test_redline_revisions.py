"""redline between two commits: OLD and NEW as `REV:path`, a deal or an output folder as git
has it, read with git show; no second worktree."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.docx.totext import docx_to_text
from helpers.deals import ACME

runner = CliRunner()
pytestmark = pytest.mark.tools("git")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two commits: the reference deal rendered, then its rate raised and rendered again."""
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    deal = tmp_path / "deal.yaml"
    shutil.copy(ACME, deal)
    for rate in ("2.0", "2.5"):
        text = ACME.read_text(encoding="utf-8").replace("rate_pct: 2.0 ", f"rate_pct: {rate} ")
        deal.write_text(text, encoding="utf-8")
        assert runner.invoke(cli, ["render", "deal.yaml"]).exit_code == 0
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"rate {rate}")
    return tmp_path


@pytest.mark.parametrize("side", ["deal.yaml", "out/acme-beta-2026"])
def test_a_redline_between_two_commits(repo: Path, side: str) -> None:
    shutil.rmtree(repo / "out")  # nothing on disk is read
    result = runner.invoke(cli, ["redline", f"HEAD~1:{side}", f"HEAD:{side}", "-o", "r.docx"])
    assert result.exit_code == 0, result.output
    assert result.output == "wrote r.docx\n"
    text = docx_to_text(repo / "r.docx")
    assert "balancing royalty of [-2-]{+2.5+}% of Net Sales" in text


def test_a_revision_git_cannot_read_is_named(repo: Path) -> None:
    result = runner.invoke(cli, ["redline", "nope:deal.yaml", "HEAD:deal.yaml", "-o", "r.docx"])
    assert result.exit_code == 1
    assert result.output.startswith("nope:deal.yaml: git cannot read it: fatal: ")
    assert not (repo / "r.docx").exists()
