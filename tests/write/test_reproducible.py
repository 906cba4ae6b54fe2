"""Byte-identical outputs, `render --check`, and protection of hand-edited files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()
ACME_ID = "acme-beta-2026"  # -o DIR renders into DIR/<deal id>/

# Renders the deal in argv[1] into argv[2] with the clock moved to argv[3] (a POSIX time):
# time.time() and datetime's now(), utcnow() and today() all read the fake clock.
FAKE_CLOCK = """
import sys, time, datetime as dt
fake = float(sys.argv[3])
time.time = lambda: fake
time.time_ns = lambda: int(fake * 1e9)
class FakeDateTime(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls.fromtimestamp(fake, tz)
    @classmethod
    def utcnow(cls):
        return cls.utcfromtimestamp(fake)
    @classmethod
    def today(cls):
        return cls.fromtimestamp(fake)
dt.datetime = FakeDateTime
from clausesmith.cli.main import cli
cli(["render", sys.argv[1], "-o", sys.argv[2]])
"""


def render_elsewhere(folder: Path, clock: float, tz: str) -> dict[str, bytes]:
    """Copy the deal into `folder`, render it there in a fresh process; the outputs' bytes."""
    folder.mkdir(parents=True)
    shutil.copy(ACME, folder / "deal.yaml")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(TZ=tz, PYTHONHASHSEED=str(int(clock) % 1000), PYTHONPATH=str(ROOT / "src"))
    subprocess.run(
        [sys.executable, "-c", FAKE_CLOCK, "deal.yaml", "out", str(clock)],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )
    return {p.name: p.read_bytes() for p in sorted((folder / "out" / ACME_ID).iterdir())}


def test_two_folders_two_clocks_two_timezones_same_bytes(tmp_path: Path) -> None:
    first = render_elsewhere(tmp_path / "a", 1_700_000_000, "UTC")
    second = render_elsewhere(tmp_path / "b" / "deeper" / "still", 1_950_000_123, "Asia/Kolkata")
    assert sorted(first) == [
        "clausesmith.lock.json",
        "side-letter-surgical.docx",
        "side-letter-surgical.md",
        "term-sheet.docx",
        "term-sheet.md",
    ]
    assert first == second


def core_created(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        dates = {i.date_time for i in z.infolist()}
    start = core.index("<dcterms:created")
    return core[core.index(">", start) + 1 : core.index("</dcterms:created>")] + f" {dates}"


def test_dates_come_from_the_deal_or_source_date_epoch(tmp_path: Path) -> None:
    plain, pinned = tmp_path / "plain", tmp_path / "pinned"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(plain)]).exit_code == 0
    result = runner.invoke(
        cli, ["render", str(ACME), "-o", str(pinned)], env={"SOURCE_DATE_EPOCH": "1767225600"}
    )
    assert result.exit_code == 0, result.output
    assert (
        core_created(plain / ACME_ID / "term-sheet.docx")
        == "2026-03-02T00:00:00Z {(2026, 3, 2, 0, 0, 0)}"
    )
    assert (
        core_created(pinned / ACME_ID / "term-sheet.docx")
        == "2026-01-01T00:00:00Z {(2026, 1, 1, 0, 0, 0)}"
    )


def test_check_passes_on_fresh_outputs_and_names_stale_ones_after_an_edit(
    tmp_path: Path, acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    deal = write_deal(acme_data)
    out = tmp_path / "out" / ACME_ID
    assert runner.invoke(cli, ["render", str(deal), "-o", str(out.parent)]).exit_code == 0
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}

    result = runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{deal}: up to date ({out})\n"

    acme_data["royalties"]["rate_pct"] = 2.5
    write_deal(acme_data)
    (out / "side-letter-surgical.md").unlink()
    result = runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out.parent)])
    assert result.exit_code == 4
    assert result.output == (
        f"{deal}: stale or missing outputs:\n"
        f"  {out / 'term-sheet.docx'}\n"
        f"  {out / 'term-sheet.md'}\n"
        f"  {out / 'side-letter-surgical.md'} (missing)\n"
        f"  {out / 'clausesmith.lock.json'}\n"
        f"  To update them, run: clausesmith render {deal} -o {out.parent}\n"
    )
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}
    del before["side-letter-surgical.md"]
    assert after == before  # --check wrote nothing


def test_check_names_outputs_the_deal_no_longer_has(
    tmp_path: Path, acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    deal = write_deal(acme_data)
    out = tmp_path / "out" / ACME_ID
    assert runner.invoke(cli, ["render", str(deal), "-o", str(out.parent)]).exit_code == 0
    acme_data["side_letters"] = []
    acme_data["carve_outs"]["sensitive_fields"] = []
    write_deal(acme_data)
    result = runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out.parent)])
    assert result.exit_code == 4, result.output
    assert f"  {out / 'side-letter-surgical.docx'} (no longer rendered)\n" in result.output
    assert f"  {out / 'side-letter-surgical.md'} (no longer rendered)\n" in result.output
    assert runner.invoke(cli, ["render", str(deal), "-o", str(out.parent)]).exit_code == 0
    assert not (out / "side-letter-surgical.docx").exists()


def test_a_hand_edited_output_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out" / ACME_ID
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(out.parent)]).exit_code == 0
    edited = out / "term-sheet.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA note by counsel.\n")
    kept = edited.read_bytes()

    result = runner.invoke(cli, ["render", str(ACME), "-o", str(out.parent)])
    assert result.exit_code == 1
    assert result.output == (
        f"{edited}: edited since clausesmith rendered it (it no longer matches "
        "clausesmith.lock.json); nothing was written\n"
        "  To keep the edit, copy the file elsewhere (or put the change into the deal or the "
        "clause library) and render again; to discard it, render with --force.\n"
    )
    assert edited.read_bytes() == kept

    result = runner.invoke(cli, ["render", "--force", str(ACME), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    assert b"A note by counsel." not in edited.read_bytes()
