"""`new`, `new --repository` and `clauses approve` write through one safe writer: a
symbolic link at any name they write (committed in a pull request) is refused, never
followed, and nothing outside the repository is created or changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.files import write_safely

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
NEW = [
    "--id", "kita-han-2026", "--governing-law", "japan", "--date", "2026-06-01",
    "--party", "kita", "Kita Denki K.K.", "JP", "--party", "han", "Han Robotics Co., Ltd.",
    "KR", "--field", "service robots", "--patent", "kita", "JP 7 123 456 B2", "Gripper",
]  # fmt: skip
LINK = "is a symbolic link; it is not written through"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    monkeypatch.chdir(root)
    return root


def test_new_refuses_a_dangling_link_at_the_deal_name(repo: Path) -> None:
    target = repo.parent / "outside" / "created.yaml"
    os.symlink(target, repo / "deal.yaml")
    for extra in ([], ["--force"]):
        result = runner.invoke(cli, ["new", "deal.yaml", *NEW, *extra])
        assert result.exit_code == 1, result.output
        assert not target.exists()
    assert result.output == (f"deal.yaml: cannot be written ({LINK}); nothing was changed\n")


def test_new_repository_never_appends_to_a_symlinked_gitattributes(repo: Path) -> None:
    victim = repo.parent / "outside" / "attributes"
    victim.write_text("mine\n", encoding="utf-8")
    os.symlink(victim, repo / ".gitattributes")
    result = runner.invoke(cli, ["new", "deal.yaml", "--repository", *NEW])
    assert result.exit_code == 1
    assert f"{repo / '.gitattributes'}: cannot be added to (" in result.output
    assert victim.read_text(encoding="utf-8") == "mine\n"


def test_new_repository_never_creates_a_file_through_a_dangling_link(repo: Path) -> None:
    outside = repo.parent / "outside"
    os.symlink(outside / "schema.json", repo / "deal.schema.json")
    os.symlink(outside / "settings.toml", repo / "clausesmith.toml")
    runner.invoke(cli, ["new", "deal.yaml", "--repository", *NEW])
    assert sorted(p.name for p in outside.iterdir()) == []


def _library(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "clause_library", library)
    return library


def test_approve_refuses_a_symlinked_registry(repo: Path) -> None:
    library = _library(repo)
    victim = repo.parent / "outside" / "approved.json"
    shutil.move(library / "approved.json", victim)
    before = victim.read_bytes()
    os.symlink(victim, library / "approved.json")
    result = runner.invoke(cli, ["clauses", "approve", "--all", "--library", str(library)])
    assert result.exit_code == 1, result.output
    assert result.output == f"{library / 'approved.json'}: {LINK}\n"
    assert victim.read_bytes() == before


def test_approve_refuses_a_symlinked_clause_file_before_writing_anything(repo: Path) -> None:
    library = _library(repo)
    clause = library / "assignment" / "consent.md"
    victim = repo.parent / "outside" / "consent.md"
    shutil.move(clause, victim)
    os.symlink(victim, clause)
    registry = (library / "approved.json").read_bytes()
    result = runner.invoke(
        cli,
        ["clauses", "approve", "assignment/consent", "--by", "J", "--library", str(library)],
    )
    assert result.exit_code == 1, result.output
    assert (library / "approved.json").read_bytes() == registry
    assert (
        victim.read_bytes() == (ROOT / "clause_library" / "assignment" / "consent.md").read_bytes()
    )


def test_approve_without_a_library_never_writes_into_the_installed_package(repo: Path) -> None:
    from clausesmith.resources import bundled

    registry = bundled("clause_library") / "approved.json"
    before = registry.read_bytes()
    result = runner.invoke(cli, ["clauses", "approve", "--all"])
    assert result.exit_code == 2
    assert result.output == (
        "name the library to approve in: --library clause_library (or library = ... in "
        "clausesmith.toml); the library shipped with clausesmith is part of the installed "
        "package and is never written\n"
    )
    assert registry.read_bytes() == before


def test_the_safe_writer_keeps_a_files_permissions_and_refuses_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_safely(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(OSError, match="is not a regular file"):
        write_safely(tmp_path, b"x")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_clause_linked_to_dev_zero_is_named_and_the_deal_not_blamed(tmp_path: Path) -> None:
    library = _library(tmp_path)
    clause = library / "other" / "entire_agreement.md"
    clause.unlink()
    os.symlink("/dev/zero", clause)
    deal = ROOT / "examples" / "acme-beta.yaml"
    result = runner.invoke(cli, ["validate", str(deal), "--library", str(library)])
    assert result.exit_code == 1
    assert result.output == (
        f"{clause}: is not a regular file (a device, a pipe?); put the file itself there\n"
    )
    assert "deal" not in result.output.split(": ", 1)[1]
