"""The lock's reader accepts whatever its writer writes for a valid deal: the limit scales
with the most values a deal may hold, and a lock past it is never written."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.inputs.yamlio import MAX_NODES
from clausesmith.write import lockfile
from helpers.deals import ACME

runner = CliRunner()


def _families(count: int) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    data["patents"]["families"] = [
        {"owner": "acme" if i % 2 else "beta", "ref": f"US {10_000_000 + i:,} B2",
         "title": f"Gripper improvement number {i}"}
        for i in range(count)
    ]  # fmt: skip
    return data


@pytest.mark.slow
def test_a_deal_with_2500_families_round_trips_through_its_lock(tmp_path: Path) -> None:
    deal = tmp_path / "big.yaml"
    deal.write_text(yaml.safe_dump(_families(2500), sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    first = runner.invoke(cli, ["render", str(deal), "-o", str(out)])
    assert first.exit_code == 0, first.output[:500]
    folder = out / "acme-beta-2026"
    size = (folder / lockfile.LOCK_NAME).stat().st_size
    assert 2_000_000 < size <= lockfile.MAX_LOCK_BYTES  # over the old limit, under the new
    again = runner.invoke(cli, ["render", str(deal), "-o", str(out)])
    assert again.exit_code == 0, again.output[:500]
    assert "up to date" in again.output.splitlines()[0]
    check = runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out)])
    assert check.exit_code == 0, check.output[:500]
    theirs = tmp_path / "theirs.docx"
    shutil.copy(folder / "term-sheet.docx", theirs)
    markup = runner.invoke(cli, ["markup", str(theirs), "--against", str(folder)])
    assert markup.exit_code == 0, markup.output[-500:]


def test_the_lock_limit_scales_with_the_values_a_deal_may_hold() -> None:
    assert lockfile.MAX_LOCK_BYTES == MAX_NODES * lockfile.LOCK_BYTES_PER_VALUE
    assert lockfile.MAX_LOCK_BYTES >= 4 * 3_532_882  # the largest lock measured, four times


def test_a_lock_past_the_limit_is_never_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lockfile, "MAX_LOCK_BYTES", 100)
    with pytest.raises(Exception, match=r"deal.yaml: renders a lock of [\d,]+ bytes, over the 100"):
        lockfile.dumps({"findings": ["x" * 200]}, "deal.yaml")
