"""Anything committed under out/ is hostile: a deal's folder that is a symbolic link is
never written, read or deleted through, and is named."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import MINIMAL

runner = CliRunner()
pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")

LINK_MESSAGE = (
    "is a symbolic link; clausesmith never writes, reads or deletes through a link in the "
    "output tree: remove the link (a real folder is made on the next render)"
)


def _tree(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A deal, an out/ whose deal folder is a link to a victim folder elsewhere."""
    deal = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, deal)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "term-sheet.md").write_text("the victim's own file\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim, out / "north-south-2026")
    return deal, out, victim


@pytest.mark.parametrize("command", ["render", "review"])
def test_a_symlinked_deal_folder_is_refused_and_nothing_is_written_through_it(
    tmp_path: Path, command: str
) -> None:
    deal, out, victim = _tree(tmp_path)
    result = runner.invoke(cli, [command, str(deal), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert f"{out / 'north-south-2026'}: {LINK_MESSAGE}" in result.output
    assert sorted(p.name for p in victim.iterdir()) == ["term-sheet.md"]
    assert (victim / "term-sheet.md").read_text(encoding="utf-8") == "the victim's own file\n"


def test_check_refuses_a_symlinked_deal_folder_too(tmp_path: Path) -> None:
    deal, out, _ = _tree(tmp_path)
    result = runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out)])
    assert result.exit_code == 1
    assert LINK_MESSAGE in result.output


def test_prune_never_deletes_through_a_linked_folder(tmp_path: Path) -> None:
    """The link points at a real rendered folder whose deal is gone: it would be an orphan."""
    deal = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, deal)
    elsewhere = tmp_path / "elsewhere"
    assert runner.invoke(cli, ["render", str(deal), "-o", str(elsewhere)]).exit_code == 0
    victim = elsewhere / "north-south-2026"
    before = sorted(p.name for p in victim.iterdir())
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim, out / "old-deal")
    other = tmp_path / "other.yaml"
    shutil.copy(MINIMAL, other)
    result = runner.invoke(cli, ["render", "--prune", str(other), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        f"{out / 'old-deal'}: a symbolic link in the output tree; clausesmith never follows "
        "one (remove the link); nothing was deleted through it\n"
    ) in result.output
    assert sorted(p.name for p in victim.iterdir()) == before
    check = runner.invoke(cli, ["render", "--check", str(other), "-o", str(out)])
    assert check.exit_code == 4
    assert f"{out / 'old-deal'}: a symbolic link in the output tree" in check.output


def test_a_symlinked_output_file_is_replaced_not_written_through(tmp_path: Path) -> None:
    deal = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, deal)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(deal), "-o", str(out)]).exit_code == 0
    victim = tmp_path / "victim.md"
    victim.write_text("keep me\n", encoding="utf-8")
    twin = out / "north-south-2026" / "term-sheet.md"
    twin.unlink()
    os.symlink(victim, twin)
    result = runner.invoke(cli, ["render", "--force", str(deal), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not twin.is_symlink()


@pytest.mark.parametrize("command", [["render"], ["render", "--check"], ["render", "--prune"]])
def test_a_20_gb_sparse_file_under_an_output_name_is_never_read_whole(
    tmp_path: Path, command: list[str]
) -> None:
    deal = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, deal)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(deal), "-o", str(out)]).exit_code == 0
    huge = out / "north-south-2026" / "term-sheet.docx"
    with open(huge, "r+b") as f:
        f.truncate(20 * 1024**3)  # sparse: no disk used, 20 GB if read
    result = runner.invoke(cli, [*command, str(deal), "-o", str(out)])
    assert huge.stat().st_size == 20 * 1024**3  # kept: it is no longer what was rendered
    if command == ["render", "--check"]:
        assert result.exit_code == 4
        assert f"  {huge}\n" in result.output
    else:
        assert result.exit_code == 1, result.output
        assert result.output.startswith(
            f"{huge}: edited since clausesmith rendered it (it no longer matches "
            "clausesmith.lock.json); nothing was written\n"
        )


def test_a_forged_lock_size_is_refused(tmp_path: Path) -> None:
    import json

    deal = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, deal)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(deal), "-o", str(out)]).exit_code == 0
    lock_path = out / "north-south-2026" / "clausesmith.lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["documents"][0]["bytes"] = 10**12
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    result = runner.invoke(cli, ["render", str(deal), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{lock_path}: documents[0].bytes: expected the file's size, 0 to 200,000,000" in (
        result.output
    )
