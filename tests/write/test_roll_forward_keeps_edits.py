"""A render killed past its commit point is finished by the next render only after the
files it would replace are checked against the locks, as any render checks them: a hand
edit made since is kept (exit 1), and --force discards it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.write import atomic
from helpers.deals import ACME

runner = CliRunner()
KILL_AFTER_FIRST_MOVE = """
import os, sys
from clausesmith.write import atomic
from clausesmith.cli.main import main
real = atomic._move
def killer(*args, **kwargs):
    real(*args, **kwargs)
    os._exit(137)
atomic._move = killer
sys.argv = ["clausesmith", "render", sys.argv[1], "-o", sys.argv[2], "-j", "1"]
main()
"""


@pytest.fixture
def killed(tmp_path: Path, variant: Callable[..., Path]) -> tuple[Path, Path]:
    """A folder whose render of a changed deal was killed after its first file moved."""
    new = variant({"deal": {"title": "Amended Patent Cross-Licence Term Sheet"}})
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(out)]).exit_code == 0
    done = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_FIRST_MOVE, str(new), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 137, done.stderr
    folder = out / "acme-beta-2026"
    assert (folder / atomic.JOURNAL).exists()
    return folder, new


@pytest.mark.parametrize("name", ["term-sheet.md", "term-sheet.docx"])
def test_a_hand_edit_after_a_kill_is_not_overwritten_by_the_roll_forward(
    killed: tuple[Path, Path], name: str
) -> None:
    folder, new = killed
    edited = folder / name
    edited.write_bytes(edited.read_bytes() + b"\nCounsel's note, typed after the crash.\n")
    kept = edited.read_bytes()
    result = runner.invoke(cli, ["render", str(new), "-o", str(folder.parent)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"{edited}: edited since an interrupted render (its journal, {atomic.JOURNAL}, is "
        "pending); nothing was written\n"
    )
    assert edited.read_bytes() == kept
    assert (folder / atomic.JOURNAL).exists()
    forced = runner.invoke(cli, ["render", "--force", str(new), "-o", str(folder.parent)])
    assert forced.exit_code == 0, forced.output
    assert edited.read_bytes() != kept
    assert not (folder / atomic.JOURNAL).exists()


def test_without_an_edit_the_roll_forward_still_finishes(killed: tuple[Path, Path]) -> None:
    folder, new = killed
    result = runner.invoke(cli, ["render", str(new), "-o", str(folder.parent)])
    assert result.exit_code == 0, result.output
    assert (
        runner.invoke(cli, ["render", "--check", str(new), "-o", str(folder.parent)]).exit_code == 0
    )


def test_ctrl_c_just_after_the_journal_is_committed_leaves_no_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variant: Callable[..., Path]
) -> None:
    """KeyboardInterrupt between the journal's rename and the first move: the old set stays,
    with no journal and no staging folder left behind."""
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(out)]).exit_code == 0
    folder = out / "acme-beta-2026"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = atomic._write_journal

    def interrupted(*args: object) -> None:
        real(*args)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "_write_journal", interrupted)
    new = variant({"deal": {"title": "Amended Patent Cross-Licence Term Sheet"}})
    result = runner.invoke(cli, ["render", str(new), "-o", str(out)])
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
