"""The command line through click's CliRunner: exit codes and whole messages together."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, MINIMAL, REASON

runner = CliRunner()


def test_render_writes_every_file_of_design_md(tmp_path: Path) -> None:
    out = tmp_path / "out" / "acme-beta-2026"  # -o DIR: DIR/<deal id>/, even for one deal
    result = runner.invoke(cli, ["render", str(ACME), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "clausesmith.lock.json",
        "side-letter-surgical.docx",
        "side-letter-surgical.md",
        "term-sheet.docx",
        "term-sheet.md",
    ]
    assert result.output.startswith(f"{ACME}: wrote 5 files to {out}\n")


def test_render_defaults_to_out_deal_id(tmp_path: Path, monkeypatch: object) -> None:
    import os

    os.chdir(tmp_path)
    result = runner.invoke(cli, ["render", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "north-south-2026" / "term-sheet.docx").is_file()


def test_exclusive_grant_back_blocks_and_writes_nothing(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    deal = variant({"grant_back": {"exclusivity": "exclusive"}})
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(deal), "-o", str(out)])
    assert result.exit_code == 3
    assert (
        f"{deal}: blocked by the cross-licence-standard playbook; nothing was written"
        in result.output
    )
    assert "CL-01-EXCLUSIVE-GRANT-BACK" in result.output
    assert "Art 5(1)(a)" in result.output
    assert not out.exists()


def test_override_lets_the_blocked_deal_render_and_the_lock_records_it(
    variant: Callable[..., Path], tmp_path: Path, counsel_repo: Path
) -> None:
    override = {
        "rule": "CL-01-EXCLUSIVE-GRANT-BACK",
        "approved_by": "A. Counsel",
        "date": dt.date(2026, 3, 1),
        "reason": REASON,
    }
    deal = variant({"grant_back": {"exclusivity": "exclusive"}, "overrides": [override]})
    out = tmp_path / "out" / "acme-beta-2026"
    result = runner.invoke(cli, ["render", str(deal), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    lock = json.loads((out / "clausesmith.lock.json").read_text(encoding="utf-8"))
    [finding] = [f for f in lock["findings"] if f["rule"] == "CL-01-EXCLUSIVE-GRANT-BACK"]
    assert finding["override"] == {
        "approved_by": "A. Counsel",
        "date": "2026-03-01",
        "reason": REASON,
    }


def test_misspelt_key_and_wrong_type_exit_1_with_both_lines(
    write_deal: Callable[..., Path],
) -> None:
    text = ACME.read_text(encoding="utf-8")
    text = text.replace("  governing_law: england", "  governing_lw: england")
    text = text.replace("  per_year: 1", "  per_year: yearly")
    deal = write_deal(text)
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert result.output == (
        f"{deal}:11:3: deal.governing_lw: unknown key; did you mean 'governing_law'?\n"
        f"{deal}:107:13: audit.per_year: expected a whole number, got 'yearly'\n"
    )


def test_validate_reports_valid_deals() -> None:
    result = runner.invoke(cli, ["validate", str(ACME), str(MINIMAL)])
    assert result.exit_code == 0
    # Each deal's line, then its notes (licences that outlive the term).
    heads = [line for line in result.output.splitlines() if not line.startswith(" ")]
    assert heads == [
        f"{ACME}: valid (acme-beta-2026)",
        f"{MINIMAL}: valid (north-south-2026)",
        "2 deals: 2 valid; exit code 0",
    ]
    assert "  note: the term is " in result.output


def test_missing_file_is_invalid_input_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(cli, ["validate", str(missing)])
    assert result.exit_code == 1
    assert result.output == f"{missing}: no such file\n"


def test_usage_error_exits_2() -> None:
    result = runner.invoke(cli, ["render"])
    assert result.exit_code == 2
    assert result.output == (
        "name the deals (files, folders or globs), or list them under deals in clausesmith.toml\n"
    )
    result = runner.invoke(cli, ["render", "--no-such-option", str(ACME)])
    assert result.exit_code == 2
    assert "Error: No such option '--no-such-option'." in result.output


def test_explain_names_every_slot_and_the_defaults_taken() -> None:
    result = runner.invoke(cli, ["explain", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert (
        "Sections left out of the deal took the playbook's preferred position: "
        "deal.binding_sections, relationship, term.renewal" in result.output
    )
    assert "  grant_back " in result.output


def test_explain_json_is_machine_readable() -> None:
    result = runner.invoke(cli, ["explain", str(ACME), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["deal"] == "acme-beta-2026"
    slots = {s["slot"] for d in data["documents"] for s in d["slots"]}
    assert {"grant_back", "royalties", "governing_law", "incorporation", "precedence"} <= slots
