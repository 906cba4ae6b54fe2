"""`impact --since REF --deals deals/` in a deals repository set up as the docs say: it
reads clausesmith.toml, never takes git-ignored files (a virtual environment) for changes,
and prints no "no clause -> ..." line for a deal that did not plan."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


pytestmark = pytest.mark.slow  # git


@pytest.fixture
def deals_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "firm"
    shutil.copytree(ROOT / "clause_library", root / "clause_library")
    shutil.copytree(ROOT / "playbooks", root / "playbooks")
    (root / "deals").mkdir()
    shutil.copy(ACME, root / "deals" / "acme.yaml")
    (root / "clausesmith.toml").write_text(
        'deals = ["deals"]\nlibrary = "clause_library"\nplaybooks = "playbooks"\n',
        encoding="utf-8",
    )
    # An ignored virtual environment holding a library-shaped folder and a YAML file.
    venv = root / ".venv" / "lib" / "clausesmith"
    shutil.copytree(ROOT / "clause_library" / "mfl", venv / "clause_library" / "mfl")
    (root / "deals" / ".venv").mkdir()
    (root / "deals" / ".venv" / "junk.yaml").write_text("not: a deal\n", encoding="utf-8")
    (root / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "library")
    monkeypatch.chdir(root)
    return root


def test_impact_since_main_reads_the_config_and_ignores_ignored_files(deals_repo: Path) -> None:
    clause = deals_repo / "clause_library" / "mfl" / "full.md"
    text = clause.read_text(encoding="utf-8").replace("version: 2", "version: 3", 1)
    clause.write_text(text.replace("within sixty (60) days", "within ten (10) days"))
    result = runner.invoke(cli, ["impact", "--since", "main", "--deals", "deals/"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Changed since main: clause_library/mfl/full.md"
    assert lines[1] == "1 of 1 deals render differently"
    assert "no clause" not in result.output
    assert "within [-sixty (60)-]{+ten (10)+} days" in result.output


def test_impact_against_a_library_git_does_not_keep_says_so(
    deals_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (deals_repo / "clausesmith.toml").write_text('deals = ["deals"]\n', encoding="utf-8")
    shipped = deals_repo / ".venv" / "lib" / "clausesmith"
    result = runner.invoke(
        cli,
        ["impact", "--since", "main", "--deals", "deals/", "--library",
         str(shipped / "clause_library"), "--playbooks", str(deals_repo / "playbooks")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "is not kept in this git repository" in result.output
    assert "set library in clausesmith.toml" in result.output
