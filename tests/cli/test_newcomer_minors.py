"""The smaller frictions of a newcomer's first hour, each as the user meets it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME

runner = CliRunner()
NEW = [
    "--id", "kita-han-2026", "--governing-law", "japan", "--date", "2026-06-01",
    "--party", "kita", "Kita Denki K.K.", "JP", "--party", "han", "Han Robotics Co., Ltd.",
    "KR", "--field", "service robots",
]  # fmt: skip


def test_a_patent_may_be_given_without_its_title(tmp_path: Path) -> None:
    deal = tmp_path / "deals" / "kita.yaml"  # a folder that does not exist yet
    result = runner.invoke(cli, ["new", str(deal), *NEW, "--patent", "kita", "JP 7 123 456", ""])
    assert result.exit_code == 0, result.output
    assert '- {owner: "kita", ref: "JP 7 123 456"}\n' in deal.read_text(encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(deal), "-o", str(out)]).exit_code == 0
    sheet = (out / "kita-han-2026" / "term-sheet.md").read_text(encoding="utf-8")
    assert "| Kita | JP 7 123 456 | Not stated |" in sheet


def test_a_repository_is_set_up_without_a_deal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["new", "--repository"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {
        "clausesmith.toml",
        ".gitattributes",
        "deal.schema.json",
    }
    assert result.output.endswith("Start a deal with: clausesmith new deals/DEAL.yaml\n")
    again = runner.invoke(cli, ["new", "--repository"])
    assert "already set up" in again.output
    bare = runner.invoke(cli, ["new"])
    assert bare.exit_code == 2
    assert "give --repository alone to set up a deals repository here" in bare.output


def test_a_letter_may_leave_its_grant_back_term_out(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    # no grant-back: a letter says nothing of one, and CS-02 does not fire
    acme_data["grant_back"] = {"scope": "none", "collaboration": None}
    for letter in acme_data["side_letters"]:
        letter.pop("terms", None)
    result = runner.invoke(cli, ["explain", "--format", "json", str(write_deal(acme_data))])
    assert result.exit_code == 0, result.output
    rules = {f["rule"] for f in json.loads(result.output)["findings"]}
    assert "CS-02-LETTER-GRANT-BACK" not in rules


def test_a_letter_left_silent_under_a_grant_back_keeps_its_field_out(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    assert acme_data["grant_back"]["collaboration"]  # the reference deal has a grant-back
    for letter in acme_data["side_letters"]:
        letter["terms"].pop("excluded_from_grant_back")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(write_deal(acme_data)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    letter = (out / "acme-beta-2026" / "side-letter-surgical.md").read_text(encoding="utf-8")
    assert "are excluded from the grant-back" in letter


def test_a_number_for_a_mapping_shows_the_mapping_to_write(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    acme_data["royalties"]["cap"] = "4,000,000"  # as a person writes it: `cap: 4,000,000`
    path = write_deal(acme_data)
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.rstrip().endswith(
        "royalties.cap: expected a mapping of keys, got '4,000,000'; "
        "write it as {amount: 4000000, period: annual}"
    )


def test_schema_and_cross_field_problems_arrive_in_one_run(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    acme_data["term"]["years"] = "seven"  # the schema's
    acme_data["royalties"]["payer"] = "gamma"  # a cross-reference's
    result = runner.invoke(cli, ["validate", str(write_deal(acme_data))])
    assert result.exit_code == 1
    assert "term.years: expected a whole number" in result.output
    assert "royalties.payer: 'gamma' names no party" in result.output


def test_a_default_mediation_before_the_named_arbitration_is_a_note(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    acme_data["dispute_resolution"].pop("mediation", None)
    result = runner.invoke(cli, ["validate", str(write_deal(acme_data))])
    assert result.exit_code == 0, result.output
    assert (
        "  note: dispute_resolution.mediation is left out, so the playbook's mediation (WIPO, "
        "60 days) comes before the arbitration the deal names; to go straight to arbitration, "
        "write mediation: null"
    ) in result.output
    acme_data["dispute_resolution"]["mediation"] = None
    result = runner.invoke(cli, ["validate", str(write_deal(acme_data))])
    assert "note: dispute_resolution.mediation" not in result.output


def test_the_courts_place_says_what_to_write(tmp_path: Path) -> None:
    deal = tmp_path / "kita.yaml"
    runner.invoke(cli, ["new", str(deal), *NEW, "--patent", "kita", "JP1", "Arm"])
    text = deal.read_text(encoding="utf-8")
    assert "a city, or in the US a county and state (London; New Castle County, Delaware)" in text
    assert "null: no mediation, straight to arbitration or the courts" in text
    schema = json.loads(runner.invoke(cli, ["schema"]).output)
    place = schema["properties"]["dispute_resolution"]["properties"]["courts"]
    assert "US patent claims lie with the federal courts alone" in json.dumps(place)


def test_markup_leads_with_the_changes_and_can_leave_the_rest_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(out)]).exit_code == 0
    theirs_deal = tmp_path / "theirs.yaml"
    theirs_deal.write_text(
        ACME.read_text(encoding="utf-8").replace("  years: 7", "  years: 9", 1), encoding="utf-8"
    )
    assert (
        runner.invoke(cli, ["render", str(theirs_deal), "-o", str(tmp_path / "t")]).exit_code == 0
    )
    theirs = tmp_path / "t" / "acme-beta-2026" / "term-sheet.docx"
    ours = out / "acme-beta-2026"
    full = runner.invoke(cli, ["markup", str(theirs), "--against", str(ours)]).output.splitlines()
    assert full[1].startswith("Term and Renewal (") and full[1].endswith(": edited")
    assert any(line.endswith(": unchanged") for line in full)
    short = runner.invoke(
        cli, ["markup", str(theirs), "--against", str(ours), "--changed-only"]
    ).output.splitlines()
    assert not any(line.endswith(": unchanged") for line in short)
    assert "  term.years: 7 → 9 reproduces this edit" in short
    assert any(
        line.startswith("  their text under Term and Renewal is closest to") for line in short
    )


def test_help_names_the_config_files_folders() -> None:
    result = runner.invoke(cli, ["render", "--help"])
    assert "clausesmith.toml's library, else the shipped one" in " ".join(result.output.split())
