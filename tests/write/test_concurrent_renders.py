"""Two renders of different versions of one deal into one output folder take turns: the
folder holds one render's files (never a mix), and the render that finished last says so."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.write import atomic, lockfile
from helpers.deals import ACME

runner = CliRunner()


def test_a_render_that_waited_for_another_says_its_outputs_won(
    tmp_path: Path, variant: Callable[..., Path]
) -> None:
    out = tmp_path / "out"
    folder = out / "acme-beta-2026"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(out)]).exit_code == 0
    held = threading.Event()

    def other_render() -> None:  # holds the folder as a slower render would
        with atomic.exclusive(folder):
            held.set()
            time.sleep(1.0)

    other = threading.Thread(target=other_render)
    other.start()
    held.wait(5)
    new = variant({"deal": {"title": "Amended Patent Cross-Licence Term Sheet"}})
    result = runner.invoke(cli, ["render", str(new), "-o", str(out)])
    other.join()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{new}: wrote 5 files to {folder}"
    assert (
        f"  note: {folder}: another render of this deal wrote this folder while this one ran; "
        "this "
        "one finished last, so the folder holds its outputs"
    ) in lines


CHILD = """
import sys
from clausesmith.cli.main import main
sys.argv = ["clausesmith", "render", sys.argv[1], "-o", sys.argv[2], "-j", "1"]
main()
"""


def test_two_concurrent_renders_leave_one_consistent_set(
    tmp_path: Path, variant: Callable[..., Path]
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(out)]).exit_code == 0
    deals = [
        variant({"deal": {"title": f"Version {n} Term Sheet"}}, name=f"v{n}.yaml") for n in (1, 2)
    ]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(deal), str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for deal in deals
    ]
    results = [child.communicate(timeout=240) for child in children]
    assert all(child.returncode == 0 for child in children), results
    folder = out / "acme-beta-2026"
    lock = json.loads((folder / lockfile.LOCK_NAME).read_text(encoding="utf-8"))
    for entry in lock["documents"]:  # every file is the one the lock on disk vouches for
        assert lockfile.sha256((folder / entry["path"]).read_bytes()) == entry["sha256"]
