"""Dates written as ISO 8601 text, deals written as JSON, and values written the way people
write them ("25,000,000", "5%", "Japan", "royalty-free"): accepted where the meaning is
certain, otherwise refused with what to type instead."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME

runner = CliRunner()


def as_json(data: Any) -> str:
    def iso(value: Any) -> str:
        assert isinstance(value, dt.date)
        return value.isoformat()

    return json.dumps(data, indent=2, default=iso)


def test_quoted_iso_dates_are_dates(variant: Callable[..., Path]) -> None:
    deal = variant({"deal": {"date": "2026-03-02", "effective_date": "2026-04-01"}})
    assert "date: '2026-03-02'" in deal.read_text(encoding="utf-8")  # quoted: a string
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{deal}: valid (acme-beta-2026)\n")


def test_json_deal_renders_the_same_bytes_as_its_yaml(
    acme_data: dict[str, Any], tmp_path: Path
) -> None:
    deal = tmp_path / "acme.json"
    deal.write_text(as_json(acme_data), encoding="utf-8")
    assert '"date": "2026-03-02"' in deal.read_text(encoding="utf-8")
    from_json, from_yaml = tmp_path / "json", tmp_path / "yaml"
    for spec, out in ((deal, from_json), (ACME, from_yaml)):
        result = runner.invoke(cli, ["render", str(spec), "-o", str(out)])
        assert result.exit_code == 0, result.output
    json_files = sorted(p.relative_to(from_json) for p in from_json.rglob("*") if p.is_file())
    yaml_files = sorted(p.relative_to(from_yaml) for p in from_yaml.rglob("*") if p.is_file())
    assert json_files == yaml_files and len(json_files) == 5
    for name in json_files:
        if name.name == "clausesmith.lock.json":  # it names its own spec file, and its hash
            a, b = (
                json.loads((from_json / name).read_text()),
                json.loads((from_yaml / name).read_text()),
            )
            assert a["spec"]["path"].endswith("acme.json") and a["spec"] != b["spec"]
            for lock in (a, b):  # where a finding points: each file's own name and lines
                lock["findings"] = [{**f, "where": None} for f in lock["findings"]]
            assert {**a, "spec": None} == {**b, "spec": None}
        else:
            assert (from_json / name).read_bytes() == (from_yaml / name).read_bytes(), name


def test_json_deals_in_a_folder_are_taken(acme_data: dict[str, Any], tmp_path: Path) -> None:
    deals = tmp_path / "deals"
    deals.mkdir()
    (deals / "a.json").write_text(as_json(acme_data), encoding="utf-8")
    other = {**acme_data, "deal": {**acme_data["deal"], "id": "other-2026"}}
    (deals / "b.yaml").write_text(as_json(other), encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(deals)])
    assert result.exit_code == 0, result.output
    assert f"{deals / 'a.json'}: valid (acme-beta-2026)\n" in result.output
    assert f"{deals / 'b.yaml'}: valid (other-2026)\n" in result.output


def test_json_syntax_error_is_located(tmp_path: Path) -> None:
    deal = tmp_path / "deal.json"
    deal.write_text('{\n  "clausesmith": 1,\n  "deal": {"id": "x",}\n}\n', encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert result.output == (
        f"{deal}:3:22: not valid JSON: Expecting property name enclosed in double quotes\n"
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("05/11/2026", "expected a date written YYYY-MM-DD (ISO 8601, e.g. 2026-03-02), "
         "got '05/11/2026'"),
        ("2026-3-2", "expected a date written YYYY-MM-DD (ISO 8601, e.g. 2026-03-02), "
         "got '2026-3-2'"),
        ("2026-03-02T10:00:00", "expected a date written YYYY-MM-DD (ISO 8601, e.g. "
         "2026-03-02), got '2026-03-02T10:00:00'"),
        ("2026-02-30", "'2026-02-30' is a date that does not exist (day is out of range for "
         "month)"),
    ],
)  # fmt: skip
def test_other_date_text_is_refused_showing_the_form(
    variant: Callable[..., Path], written: str, message: str
) -> None:
    deal = variant({"deal": {"date": written}})
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert result.output == f"{deal}:5:9: deal.date: {message}\n"


def edited(tmp_path: Path, old: str, new: str) -> Path:
    """The reference deal with one line's text replaced: its line numbers stay put."""
    text = ACME.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "deal.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("amount: 1500000,", 'amount: "1500000",',
         "80:17: royalties.cap.amount: expected a number, got '1500000' "
         "(drop the quotes: 1500000)"),
        ("rate_pct: 2.0 ", "rate_pct: 5% ",
         "76:13: royalties.rate_pct: expected a number, got '5%' (drop the %: 5)"),
        ("rate_pct: 2.0 ", "rate_pct: 2,5 ",
         "76:13: royalties.rate_pct: expected a number, got '2,5' "
         "(write the decimal point as a full stop: 2.5)"),
        ("lump_sum: null ", "lump_sum: 25,000,000 ",
         "78:13: royalties.lump_sum: expected a number, got '25,000,000' "
         "(no thousands separators: write 25000000, or 25_000_000)"),
        ("jurisdiction: DE", "jurisdiction: Japan",
         "28:19: parties[1].jurisdiction: expected an ISO 3166-1 alpha-2 code (DE) or ISO 3166-2 "
         "code (US-DE), got 'Japan'; did you mean 'JP'?"),
        ("jurisdiction: DE", "jurisdiction: deu",
         "28:19: parties[1].jurisdiction: expected an ISO 3166-1 alpha-2 code (DE) or ISO 3166-2 "
         "code (US-DE), got 'deu'; did you mean 'DE'?"),
        ("structure: running ", "structure: Running ",
         "73:14: royalties.structure: expected one of royalty_free | running | tiered | lump_sum, "
         "got 'Running'; did you mean 'running'?"),
        ("structure: running ", "structure: royalty-free ",
         "73:14: royalties.structure: expected one of royalty_free | running | tiered | lump_sum, "
         "got 'royalty-free'; did you mean 'royalty_free'?"),
        ("governing_law: england-and-wales", "governing_law: England_and_Wales",
         "11:18: deal.governing_law: expected one of england-and-wales | new-york | delaware | "
         "california | germany | switzerland | singapore | japan, got 'England_and_Wales'; "
         "did you mean 'england-and-wales'?"),
    ],
)  # fmt: skip
def test_values_written_as_people_write_them_say_what_to_type(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    deal = edited(tmp_path, old, new)
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert result.output == f"{deal}:{message}\n"


def test_json_nan_is_refused_where_it_stands(acme_data: dict[str, Any], tmp_path: Path) -> None:
    deal = tmp_path / "deal.json"
    text = as_json(acme_data).replace('"rate_pct": 2.0', '"rate_pct": NaN')
    deal.write_text(text, encoding="utf-8")
    line = text[: text.index("NaN")].count("\n") + 1
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert result.output == f"{deal}:{line}:17: NaN is not a number; write a number\n"
