"""What a newcomer reads from validate and render: the strict JSON report of a warned deal,
the note on licences that outlive the term, acknowledged findings on one line, JUnit's
message, and validate never saying it wrote nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import MINIMAL

runner = CliRunner()


def test_strict_json_reports_a_warned_deal_with_its_findings() -> None:
    result = runner.invoke(cli, ["validate", "--strict", "--format", "json", str(MINIMAL)])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    (deal,) = report["deals"]
    assert deal["status"] == "warned"
    assert deal["deal"] == "north-south-2026"
    warned = [f for f in deal["findings"] if f["acknowledgement"] is None]
    assert warned and "not acknowledged (--strict)" in deal["message"]
    assert report["summary"]["by_status"] == {"warned": 1}
    assert report["summary"]["warnings"] == len(warned)


def test_strict_console_does_not_call_a_valid_deal_invalid() -> None:
    result = runner.invoke(
        cli, ["validate", "--strict", str(MINIMAL), str(MINIMAL.parent / "acme-beta.yaml")]
    )
    assert result.exit_code == 3
    assert "2 deals: 2 warned; exit code 3" in result.output
    assert "invalid" not in result.output


def _with(data: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return {**data, **sections}


def test_a_note_says_licences_outlive_a_fixed_term(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    acme_data.pop("duration", None)
    acme_data["term"]["years"] = 5
    path = write_deal(acme_data)
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    note = next(line for line in result.output.splitlines() if line.startswith("  note: "))
    assert note.startswith("  note: the term is 5 years, but each licence lasts for the life")
    assert "write duration: {licences_last: end_of_term}" in note
    # a note is not a warning: --strict does not fail on it
    acme_data["duration"] = {"licences_last": "end_of_term"}
    result = runner.invoke(cli, ["validate", str(write_deal(acme_data))])
    assert "note:" not in result.output


def test_render_prints_the_note_too_and_json_carries_it(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    acme_data.pop("duration", None)
    path = write_deal(acme_data)
    result = runner.invoke(cli, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "  note: the term is 7 years" in result.output
    again = runner.invoke(
        cli, ["render", str(path), "-o", str(tmp_path / "out"), "--format", "json"]
    )
    (deal,) = json.loads(again.stdout)["deals"]
    assert deal["status"] == "up_to_date" and deal["notes"][0].startswith("the term is 7 years")


def test_a_deal_stating_the_duration_gets_no_note(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    acme_data["duration"] = {"licences_last": "patent_life"}
    result = runner.invoke(cli, ["validate", str(write_deal(acme_data))])
    assert result.exit_code == 0 and "note:" not in result.output


def test_acknowledged_findings_are_one_line_unless_verbose(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path, counsel_repo: Path
) -> None:
    acme_data["acknowledgements"] = [
        {
            "rule": "CL-06-UK-ASSESSMENT",
            "acknowledged_by": "A. Counsel",
            "date": "2026-03-01",
            "reason": "UK counsel assessed the agreement under the Order and it is exempt.",
        }
    ]
    path = write_deal(acme_data)
    short = runner.invoke(cli, ["render", str(path), "-o", str(tmp_path / "a")]).output
    assert "  CL-06-UK-ASSESSMENT [acknowledged]: " in short
    line = next(x for x in short.splitlines() if "CL-06-UK-ASSESSMENT" in x)
    assert " at " not in line  # no location, no message: one line
    long = runner.invoke(cli, ["render", "--verbose", str(path), "-o", str(tmp_path / "b")]).output
    assert "  CL-06-UK-ASSESSMENT [acknowledged] at " in long


def test_validate_of_a_blocked_deal_does_not_say_nothing_was_written(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    acme_data["territory"] = {"include": ["WORLD"], "exclude": ["EU"]}
    result = runner.invoke(cli, ["validate", str(write_deal(acme_data))])
    assert result.exit_code == 3
    assert "blocked by the cross-licence-standard playbook" in result.output
    assert "nothing was written" not in result.output


def test_junit_message_holds_every_problem(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    acme_data["deal"]["governing_lw"] = acme_data["deal"].pop("governing_law")
    acme_data["term"]["years"] = "five"
    result = runner.invoke(cli, ["validate", "--format", "junit", str(write_deal(acme_data))])
    message = result.stdout.split('<failure message="', 1)[1].split('"', 1)[0]
    assert "deal.governing_lw" in message and "term.years" in message
