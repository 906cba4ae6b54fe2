"""Every command that renders a deal's templates, and the Python API, holds the deal to one
time budget for all its templates: a library of slow clauses stalls explain, review,
markup, redline or impact no longer than it stalls render. The budget is set to nothing
here, so the first template step passes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import clausesmith
from clausesmith.cli.main import cli
from clausesmith.errors import InvalidInput
from clausesmith.templating import limits
from helpers.deals import ACME, ROOT

runner = CliRunner()
SPENT = "this deal's templates took longer than 0 seconds in all; simplify the template"


@pytest.fixture
def no_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "SECONDS", 0.0)


@pytest.mark.parametrize(
    "command",
    [
        ["explain", "{deal}"],
        ["review", "{deal}", "-o", "{tmp}/review"],
        ["redline", "{deal}", "{deal}", "-o", "{tmp}/redline.docx"],
        ["markup", "{ours}/term-sheet.docx", "--against", "{ours}"],
    ],
    ids=["explain", "review", "redline", "markup"],
)
def test_a_command_stops_a_deal_past_its_time_budget(
    command: list[str], tmp_path: Path, acme_out: Path, no_time: None
) -> None:
    args = [a.format(deal=ACME, tmp=tmp_path, ours=acme_out) for a in command]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.rstrip().endswith(SPENT)
    assert "Traceback" not in result.output


def test_impact_reports_the_deal_that_passed_its_budget(tmp_path: Path, no_time: None) -> None:
    deals = tmp_path / "deals"
    deals.mkdir()
    shutil.copy(ACME, deals / "acme.yaml")
    changed = ROOT / "clause_library" / "general" / "costs.md"
    result = runner.invoke(cli, ["impact", str(changed), "--deals", str(deals)])
    assert result.exit_code == 0, result.output
    assert f"{deals / 'acme.yaml'} (invalid deal)" in result.output
    assert SPENT in result.output


def test_the_python_api_holds_a_deal_to_its_budget(no_time: None) -> None:
    inputs = clausesmith.Inputs(clausesmith.Sources.resolve())
    with pytest.raises(InvalidInput) as caught:
        clausesmith.plan_deal(ACME, inputs)
    assert caught.value.format_message().endswith(SPENT)
