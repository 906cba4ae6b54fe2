"""A clausesmith.toml in a pull request is hostile: every path it names stays inside the
repository that holds it, and a file that is not a deal is never echoed into a report."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import MINIMAL

runner = CliRunner()
SECRET = "https://user:ghp_abcdefghijklmnopqrstuvwxyz0123@github.com\n"
DOCKER = '{"auths": {"registry.example": {"auth": "c2VjcmV0LXRva2Vu"}}}\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deals repository beside a home folder holding credentials."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".git-credentials").write_text(SECRET, encoding="utf-8")
    (home / "config.json").write_text(DOCKER, encoding="utf-8")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "deals").mkdir()
    shutil.copy(MINIMAL, root / "deals" / "minimal.yaml")
    monkeypatch.chdir(root)
    return root


def _config(repo: Path, text: str) -> Path:
    path = repo / "clausesmith.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key", "name"),
    [
        ('deals = ["../home/.git-credentials"]\n', "deals", "../home/.git-credentials"),
        ('deals = ["../home/*.json"]\n', "deals", "../home"),
        ("deals = [\"{home}/config.json\"]\n", "deals", "{home}/config.json"),
        ('output = "../home/out"\n', "output", "../home/out"),
        ('library = "/etc"\n', "library", "/etc"),
        ('templates = "../home"\n', "templates", "../home"),
        ('playbooks = "../../"\n', "playbooks", "../../"),
    ],
)  # fmt: skip
def test_a_config_path_outside_the_repository_is_refused_naming_key_and_file(
    repo: Path, text: str, key: str, name: str
) -> None:
    home = str(repo.parent / "home")
    config = _config(repo, text.replace("{home}", home))
    for args in (["validate", "--format", "junit"], ["render"], ["render", "--check"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output == (
            f"{config}: {key}: {name.replace('{home}', home)!r} leads outside the repository "
            f"({repo}); a settings file may only name folders and files inside it (type a "
            "path elsewhere on the command line instead)\n"
        )
        assert "ghp_" not in result.output
    assert not (repo.parent / "home" / "out").exists()


def test_a_symlink_inside_the_repository_that_leads_out_is_refused(repo: Path) -> None:
    os.symlink(repo.parent / "home", repo / "linked")
    config = _config(repo, 'output = "linked/out"\n')
    result = runner.invoke(cli, ["render", "deals/minimal.yaml"])
    assert result.exit_code == 1
    assert result.output.startswith(f"{config}: output: 'linked/out' leads outside")
    assert not (repo.parent / "home" / "out").exists()


def test_a_symlinked_deal_under_the_configured_folder_is_refused_not_echoed(
    repo: Path,
) -> None:
    os.symlink(repo.parent / "home" / "config.json", repo / "deals" / "docker.json")
    os.symlink(repo.parent / "home" / ".git-credentials", repo / "deals" / "creds.yaml")
    config = _config(repo, 'deals = ["deals"]\n')
    for fmt in ("junit", "json", "text"):
        result = runner.invoke(cli, ["validate", "--format", fmt])
        assert result.exit_code == 1, result.output
        assert "ghp_" not in result.output and "auths" not in result.output
        assert result.output.startswith(f"{config}: deals: 'deals/")
        assert "leads outside the repository" in result.output


def test_a_path_typed_on_the_command_line_may_point_elsewhere(repo: Path) -> None:
    _config(repo, 'deals = ["deals"]\n')
    elsewhere = repo.parent / "elsewhere"
    result = runner.invoke(cli, ["render", "deals/minimal.yaml", "-o", str(elsewhere)])
    assert result.exit_code == 0, result.output
    assert (elsewhere / "north-south-2026" / "term-sheet.docx").is_file()


@pytest.mark.parametrize("name", [".git-credentials", "config.json"])
def test_a_file_that_is_not_a_deal_is_never_echoed_into_any_report(repo: Path, name: str) -> None:
    """Typed on the command line, it is read, but neither its text nor its keys are shown."""
    secret = repo.parent / "home" / name
    for fmt in ("junit", "json", "text"):
        result = runner.invoke(cli, ["validate", "--format", fmt, str(secret)])
        assert result.exit_code == 1
        assert "ghp_" not in result.output and "auths" not in result.output
        assert "c2Vj" not in result.output and "github" not in result.output
        assert "is not a deal" in result.output or "got text" in result.output


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize("name", ["clausesmith.toml", "pyproject.toml"])
def test_a_config_file_that_is_a_fifo_or_dev_zero_is_refused_not_read(
    repo: Path, kind: str, name: str
) -> None:
    path = repo / name
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this platform")
        os.mkfifo(path)
    else:
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero on this platform")
        os.symlink("/dev/zero", path)
    result = runner.invoke(cli, ["validate", "deals/minimal.yaml"])
    assert result.exit_code == 1
    assert result.output == f"{path}: cannot be read (is not a regular file)\n"
