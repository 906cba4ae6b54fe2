"""Where a located message is promised, never exit 70: odd bytes and control characters in
deal file names, years and dates past what a calendar holds, JSON numbers Python cannot
read or a float cannot hold, full-width digits in --shard."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, MINIMAL

runner = CliRunner()


def _odd_name(folder: Path, raw: bytes) -> Path:
    """A copy of the minimal deal under the file name `raw` (bytes), or skip where the file
    system refuses such a name (macOS and Windows store names as Unicode)."""
    try:
        name = os.fsdecode(raw)
        path = folder / name
        shutil.copy(MINIMAL, path)
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses the name")
    return path


@pytest.mark.parametrize(
    "args",
    [["render"], ["render", "--check"], ["validate", "--shard", "1/2"],
     ["validate", "--format", "junit"], ["validate", "--format", "json"]],
)  # fmt: skip
@pytest.mark.parametrize(
    ("raw", "shown", "reason"),
    [
        (b"deal\xff.yaml", "deal\\xff.yaml", "the file name is not UTF-8 text (a byte of "
         "another encoding)"),
        (b"deal\x1b[31m.yaml", "deal\\x1b[31m.yaml", "the file name holds the control "
         "character U+001B"),
        (b"deal\x0b.yaml", "deal\\x0b.yaml", "the file name holds the control character "
         "U+000B"),
    ],
)  # fmt: skip
def test_a_deal_file_name_a_report_cannot_carry_is_named_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], raw: bytes, shown: str,
    reason: str,
) -> None:  # fmt: skip
    _odd_name(tmp_path, raw)
    monkeypatch.chdir(tmp_path)
    extra = ["-o", "out"] if args[0] == "render" else []
    result = runner.invoke(cli, [*args, ".", *extra])
    assert result.exit_code == 1, result.output
    assert result.output == f"{shown}: {reason}; rename the file; nothing was rendered\n"
    assert not (tmp_path / "out").exists()


def _deal(tmp_path: Path, change: dict[str, Any], name: str = "deal.yaml") -> Path:
    data: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    for dotted, value in change.items():
        section, key = dotted.split(".")
        data[section][key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"term.years": 9000}, "term.years: expected at most 99, got 9000"),
        ({"term.years": 7999}, "term.years: expected at most 99, got 7999"),
        ({"term.renewal_years": 99999}, "term.renewal_years: expected at most 99, got 99999"),
        ({"patents.capture_period_years": 10**6},
         "patents.capture_period_years: expected at most 99, got 1000000"),
        ({"deal.effective_date": dt.date(9999, 12, 30)},
         "deal.effective_date: 9999-12-30 is outside the years 1900 to 2199 a deal's dates may "
         "fall in; give the date as the parties mean it"),
        ({"deal.date": dt.date(1, 1, 1)},
         "deal.date: 0001-01-01 is outside the years 1900 to 2199 a deal's dates may fall in; "
         "give the date as the parties mean it"),
    ],
)  # fmt: skip
def test_far_years_and_dates_are_located_errors(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    deal = _deal(tmp_path, change)
    for args in (["validate"], ["render", "-o", str(tmp_path / "out")]):
        result = runner.invoke(cli, [args[0], str(deal), *args[1:]])
        assert result.exit_code == 1, result.output
        assert f"{deal}:" in result.output and message in result.output


def _json_deal(tmp_path: Path, years: str) -> Path:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    text = json.dumps(data, default=lambda d: d.isoformat(), indent=1)
    path = tmp_path / "deal.json"
    path.write_text(text.replace('"years": 5', f'"years": {years}'), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("9" * 5000, "a number of 5,000 digits; a deal's figures have at most 30"),
        ("2.0000000000000000000000001", "2.0000000000000000000000001 cannot be held exactly "
         "(it would be read as 2.0); write it with fewer digits"),
    ],
)  # fmt: skip
def test_json_numbers_past_what_python_reads_exactly_are_located(
    tmp_path: Path, years: str, message: str
) -> None:
    deal = _json_deal(tmp_path, years)
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    (line,) = [n for n, text in enumerate(deal.read_text().splitlines(), 1) if years in text]
    assert result.output.startswith(f"{deal}:{line}:")
    assert message in result.output


def test_a_yaml_number_that_does_not_round_trip_is_refused(tmp_path: Path) -> None:
    text = ACME.read_text(encoding="utf-8").replace(
        "  rate_pct: 2.0 ", "  rate_pct: 2.0000000000000000000000001 ", 1
    )
    assert "2.0000000000000000000000001" in text
    deal = tmp_path / "deal.yaml"
    deal.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert "royalties.rate_pct: 2.0000000000000000000000001 cannot be held exactly (it " in (
        result.output
    )


@pytest.mark.parametrize("shard", ["\uff11/\uff12", "1/\uff12", "\u0661/\u0662", "1/2\n"])
def test_a_shard_in_digits_other_than_ascii_is_refused(shard: str) -> None:
    result = runner.invoke(cli, ["validate", "--shard", shard, str(MINIMAL)])
    assert result.exit_code == 2
    assert result.output.startswith(f"--shard {shard}: expected K/N with 1 <= K <= N")
