"""`clausesmith impact` on a temporary git repository: exactly the deals using a clause move."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, MINIMAL, ROOT, deep_merge

runner = CliRunner()


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the shipped library and playbooks and three deals."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "clause_library", root / "clause_library")
    shutil.copytree(ROOT / "playbooks", root / "playbooks")
    deals = root / "deals"
    deals.mkdir()
    shutil.copy(ACME, deals / "acme.yaml")  # most-favoured licensee: mfl/full
    shutil.copy(MINIMAL, deals / "minimal.yaml")  # default: no most-favoured licensee
    acme: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    no_mfl = deep_merge(
        acme, {"deal": {"id": "no-mfl"}, "royalties": {"most_favoured_licensee": False}}
    )
    (deals / "no-mfl.yaml").write_text(yaml.safe_dump(no_mfl), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "library")
    return root


def edit_mfl_full(repo: Path) -> Path:
    path = repo / "clause_library" / "mfl" / "full.md"
    text = path.read_text(encoding="utf-8").replace("version: 2", "version: 3", 1)
    path.write_text(
        text.replace("within sixty (60) days after that", "within ten (10) days after that")
    )
    return path


def run(repo: Path, *args: str) -> Any:
    result = runner.invoke(
        cli,
        ["impact", *args, "--deals", str(repo / "deals"), "--format", "json",
         "--library", str(repo / "clause_library"), "--playbooks", str(repo / "playbooks")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_an_uncommitted_clause_edit_names_exactly_the_deals_that_use_it(repo: Path) -> None:
    path = edit_mfl_full(repo)
    report = run(repo, str(path))
    assert report["changed_files"] == ["clause_library/mfl/full.md"]
    moved = {Path(d["path"]).name: d for d in report["deals"] if d["changed"]}
    assert list(moved) == ["acme.yaml"]
    assert moved["acme.yaml"]["clauses"][0]["slot"] == "most_favoured_licensee"
    assert moved["acme.yaml"]["clauses"][0]["before"].startswith("mfl/full v2 ")
    assert moved["acme.yaml"]["clauses"][0]["after"].startswith("mfl/full v3 ")
    assert moved["acme.yaml"]["documents_changed"] == ["term-sheet"]


def test_since_a_revision_finds_the_committed_change_itself(repo: Path) -> None:
    edit_mfl_full(repo)
    git(repo, "commit", "-q", "-am", "mfl: ten days")
    report = run(repo, "--since", "HEAD~1")
    assert report["changed_files"] == ["clause_library/mfl/full.md"]
    assert [Path(d["path"]).name for d in report["deals"] if d["changed"]] == ["acme.yaml"]


def test_a_playbook_rule_change_moves_the_deals_it_now_routes_elsewhere(repo: Path) -> None:
    playbook = repo / "playbooks" / "cross-licence-standard.yaml"
    text = playbook.read_text(encoding="utf-8")
    playbook.write_text(text.replace("clause: mfl/full}", "clause: mfl/same_field_and_territory}"))
    result = runner.invoke(
        cli,
        ["impact", str(playbook), "--deals", str(repo / "deals"),
         "--library", str(repo / "clause_library"), "--playbooks", str(repo / "playbooks")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    deals = repo / "deals"
    assert result.output.splitlines()[:5] == [
        "Changed since HEAD: playbooks/cross-licence-standard.yaml",
        "1 of 3 deals render differently",
        f"  {deals / 'acme.yaml'} (acme-beta-2026)",
        "    term-sheet most_favoured_licensee: "
        + result.output.split("most_favoured_licensee: ")[1].split("\n")[0],
        "    term-sheet:",
    ]
    assert "mfl/full v2" in result.output and "-> mfl/same_field_and_territory v2" in result.output
    assert result.output.splitlines()[-1] == (
        f"Unchanged: {deals / 'minimal.yaml'}, {deals / 'no-mfl.yaml'}"
    )


def test_impact_needs_files_or_a_revision(repo: Path) -> None:
    result = runner.invoke(cli, ["impact", "--deals", str(repo / "deals")])
    assert result.exit_code == 2
    assert "Error: name the changed files, or give --since GIT_REF" in result.output


def test_the_wording_change_is_shown_and_the_library_found_from_the_edited_file(
    repo: Path,
) -> None:
    """No --library: the edited clause's own library (the folder with approved.json above
    it) and the playbooks beside it are compared, not the shipped ones."""
    path = edit_mfl_full(repo)
    args = ["impact", str(path), "--deals", str(repo / "deals")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 of 3 deals render differently" in result.output
    assert "[-sixty (60)-]{+ten (10)+}" in result.output
    report = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)
    acme = next(d for d in report["deals"] if d["changed"])
    (wording,) = acme["wording"]
    assert wording["document"] == "term-sheet"
    assert any("[-sixty (60)-]{+ten (10)+}" in change for change in wording["changes"])
    assert all(set(f) == {"rule", "severity", "blocks"} for f in acme["findings_after"])
