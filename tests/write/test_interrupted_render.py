"""A render killed at any step leaves the old set of files or, once committed, a journal the
next run rolls forward: never a mix that needs --force, never a staging folder (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.write import atomic
from helpers.deals import ACME, MINIMAL

runner = CliRunner()

# Replace one step of atomic.replace_all by a wrapper that kills the process (os._exit: no
# clean-up, no finally, as kill -9) before or after its Nth call, then render.
KILLER = """
import os, sys
from clausesmith.write import atomic
from clausesmith.cli.main import main
step, when, nth, deal, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
real, calls = getattr(atomic, step), []
def killer(*args, **kwargs):
    calls.append(1)
    if when == "before" and len(calls) == nth:
        os._exit(137)
    result = real(*args, **kwargs)
    if when == "after" and len(calls) == nth:
        os._exit(137)
    return result
setattr(atomic, step, killer)
sys.argv = ["clausesmith", "render", deal, "-o", out, "-j", "1"]
main()
"""
FILES = 5  # term sheet and side letter, each .docx and .md, and the lock
STEPS = [
    (step, when, nth)
    for step, count in (("_stage", 1), ("_back_up", 1), ("_write_journal", 1), ("_move", FILES))
    for nth in range(1, count + 1)
    for when in ("before", "after")
]


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def old_and_new(tmp_path: Path, variant: Callable[..., Path]) -> tuple[Path, Path, Path]:
    """The folder rendered from the old deal, the new deal, and its outputs rendered apart."""
    new = variant({"deal": {"title": "Amended Patent Cross-Licence Term Sheet"}})
    # -o DIR renders into DIR/<deal id>/
    folder, expected = tmp_path / "out" / "acme-beta-2026", tmp_path / "expected" / "acme-beta-2026"
    for deal, target in ((ACME, folder), (new, expected)):
        result = runner.invoke(cli, ["render", str(deal), "-o", str(target.parent)])
        assert result.exit_code == 0, result.output
    return folder, new, expected


@pytest.mark.parametrize(("step", "when", "nth"), STEPS, ids=[f"{s}-{w}-{n}" for s, w, n in STEPS])
def test_a_render_killed_at_any_step_is_all_old_or_finished_by_the_next_run(
    old_and_new: tuple[Path, Path, Path], step: str, when: str, nth: int
) -> None:
    folder, new_deal, expected = old_and_new
    old, new = outputs(folder), outputs(expected)
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, step, when, str(nth), str(new_deal), str(folder.parent)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == 137, killed.stderr
    files = {k: v for k, v in outputs(folder).items() if k != atomic.JOURNAL}
    if (folder / atomic.JOURNAL).exists():  # committed: each file old or new, none other
        assert all(files[name] in (old[name], new[name]) for name in old)
        check = runner.invoke(cli, ["render", "--check", str(new_deal), "-o", str(folder.parent)])
        assert (check.exit_code, check.output) == (
            4,
            f"{new_deal}: stale or missing outputs:\n"
            f"  {folder / atomic.JOURNAL} (an interrupted render; render again to finish it)\n"
            f"  To update them, run: clausesmith render {new_deal} -o {folder.parent}\n",
        )
    else:
        assert files == old
    again = runner.invoke(cli, ["render", str(new_deal), "-o", str(folder.parent)])
    assert again.exit_code == 0, again.output
    assert outputs(folder) == new
    assert sorted(p.name for p in folder.iterdir()) == sorted(new)  # no staging, no journal


def test_a_killed_first_render_leaves_no_folder_and_the_next_run_cleans_up(
    tmp_path: Path,
) -> None:
    root = tmp_path / "fresh"
    folder = root / "acme-beta-2026"
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, "_stage", "after", "1", str(ACME), str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == 137, killed.stderr
    assert not folder.exists()
    (staging,) = root.iterdir()
    assert staging.name.startswith(".clausesmith-acme-beta-2026-")
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(root)]).exit_code == 0
    assert [p.name for p in root.iterdir()] == ["acme-beta-2026"]


def test_a_forged_journal_is_refused_and_names_no_file(
    old_and_new: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    folder, new_deal, _ = old_and_new
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (folder / atomic.JOURNAL).write_text(
        '{"staging": "../..", "files": ["../victim.txt"], "remove": ["/etc/passwd"]}',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["render", str(new_deal), "-o", str(folder.parent)])
    assert (result.exit_code, result.output) == (
        1,
        f"{folder / atomic.JOURNAL}: is not a journal clausesmith wrote; delete it (and any "
        ".clausesmith-stage-* folder beside it) and render again\n",
    )
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_backups_are_copied_where_hard_links_are_not_supported(
    old_and_new: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, new_deal, expected = old_and_new

    def no_links(source: object, target: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", no_links)
    result = runner.invoke(cli, ["render", str(new_deal), "-o", str(folder.parent)])
    assert result.exit_code == 0, result.output
    assert outputs(folder) == outputs(expected)


def test_a_staging_folder_of_a_live_process_is_left_alone(
    old_and_new: tuple[Path, Path, Path],
) -> None:
    folder, new_deal, _ = old_and_new
    live = folder / f".clausesmith-stage-{os.getppid()}-abc"
    live.mkdir()
    dead = folder / ".clausesmith-stage-999999999-abc"
    dead.mkdir()
    assert runner.invoke(cli, ["render", str(new_deal), "-o", str(folder.parent)]).exit_code == 0
    assert live.is_dir() and not dead.exists()


def test_a_parallel_batch_killed_at_random_points_is_finished_by_the_next_run(
    tmp_path: Path,
) -> None:
    """A real `-j 2` batch (process group killed with SIGKILL, as a cancelled CI job) at
    seeded random moments: each next run succeeds without --force and leaves every deal's
    folder complete, with no staging folder and no journal."""
    import random
    import signal
    import time

    text = MINIMAL.read_text(encoding="utf-8")
    deals = tmp_path / "deals"
    deals.mkdir()
    count = 40
    for i in range(count):
        (deals / f"d{i:03}.yaml").write_text(
            text.replace("id: north-south-2026", f"id: deal-{i:03}"), encoding="utf-8"
        )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "clausesmith", "render", str(deals), "-o", str(out)]
    assert subprocess.run([*command, "-j", "2"], capture_output=True, timeout=300).returncode == 0
    chooser = random.Random(13)
    for round_number in range(3):
        for deal in deals.iterdir():  # a change to every deal: each folder must switch
            deal.write_text(
                deal.read_text(encoding="utf-8").replace(
                    "title: ", f"title: Round {round_number} ", 1
                ),
                encoding="utf-8",
            )
        batch = subprocess.Popen(
            [*command, "-j", "2"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(chooser.uniform(0.5, 4.0))
        os.killpg(batch.pid, signal.SIGKILL)
        batch.wait()
        again = subprocess.run([*command, "-j", "2"], capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stdout + again.stderr
        check = subprocess.run([*command, "--check"], capture_output=True, text=True, timeout=300)
        assert check.returncode == 0, check.stdout
        leftovers = [p for p in out.rglob(".clausesmith*")]
        assert leftovers == []
        assert len(list(out.iterdir())) == count


def test_a_killed_worker_nobody_reaped_does_not_keep_its_staging_folder() -> None:
    """A zombie (a killed batch's worker that no parent reaped: a container's init may never
    do it) still answers kill(pid, 0); its staging folder is a dead process's all the same."""
    import time

    from clausesmith.write import atomic

    child = subprocess.Popen(["true"])  # exits at once; not waited for, so a zombie
    try:
        for _ in range(100):
            if atomic._zombie(child.pid):
                break
            time.sleep(0.05)
        assert atomic._zombie(child.pid)
        assert not atomic._alive(child.pid)
    finally:
        child.wait()
    assert atomic._alive(os.getppid())  # a live process is still alive
