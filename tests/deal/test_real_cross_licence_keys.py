"""The keys real cross-licences need: each bad value is refused with its place in the file
and what to type instead; each good one changes what the documents say, and nothing else."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.pipeline import Inputs, plan_deal, render_deal
from clausesmith.resources import Sources

INPUTS = Inputs(Sources.resolve())
runner = CliRunner()


def twin(path: Path, out: Path) -> str:
    rendered = render_deal(path, INPUTS, out_dir=out)
    return rendered.files["term-sheet.md"].decode("utf-8").replace("<br>", " ")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"patents": {"scope_by_owner": {"gamma": "portfolio"}}},
            "patents.scope_by_owner.gamma: 'gamma' names no party; use 'acme' or 'beta'",
        ),
        (
            {"patents": {"scope_by_owner": {"beta": "scheduled"}, "families": []}},
            "patents.scope_by_owner: 'acme' licenses scheduled families but lists none; add "
            "its families under patents.families, or set scope_by_owner.acme: portfolio",
        ),
        (
            {"patents": {"ownership": "at_any_time", "capture_period_years": None}},
            "patents.ownership: at_any_time licenses patents acquired later that were first "
            "filed in the capture period, and there is none; give capture_period_years or "
            "capture_until, or set ownership: during_capture",
        ),
        (
            {
                "related_agreements": [
                    {
                        "title": "Chipset Licence Agreement",
                        "date": dt.date(2004, 11, 18),
                        "effect": "not_stated",
                        "amended_by": [{"title": "Amendment", "date": dt.date(2003, 1, 1)}],
                    }
                ]
            },
            "related_agreements[0].amended_by[0].date: an amendment is dated between the "
            "agreement it amends (2004-11-18) and this term sheet (2026-03-02); got 2003-01-01",
        ),
        (
            {
                "related_agreements": [
                    {
                        "title": "Chipset Licence Agreement",
                        "date": dt.date(2004, 11, 18),
                        "effect": "supersedes",
                        "prevails_on": ["chipsets"],
                    }
                ]
            },
            "related_agreements[0].prevails_on: a superseded agreement prevails on nothing; "
            "remove prevails_on or set effect: leaves_in_force, amends or not_stated",
        ),
        (
            {"other_terms": {"representations": [{"by": "gamma", "text": "it is solvent"}]}},
            "other_terms.representations[0].by: 'gamma' names no party; use 'acme' or 'beta'",
        ),
        (
            {"affiliates": {"licensed": "party_only", "confirm_days": 30}},
            "affiliates.confirm_days: licensed: party_only licenses no affiliate, so "
            "confirm_days has nothing to apply to; remove it, or license subsidiaries or "
            "all_affiliates",
        ),
        (
            {"duration": {"terminate_on_insolvency": "sometimes"}},
            "duration.terminate_on_insolvency",
        ),
    ],
)
def test_bad_real_cross_licence_keys_are_refused_with_what_to_type(
    variant: Callable[..., Path], changes: dict[str, Any], message: str
) -> None:
    path = variant(changes)
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:" in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_true_keeps_meaning_an_elective_termination_on_insolvency(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    old = twin(variant({"duration": {"terminate_on_insolvency": True}}), tmp_path / "a")
    new = twin(
        variant({"duration": {"terminate_on_insolvency": "elective"}}, "b.yaml"), tmp_path / "b"
    )
    assert old == new
    assert "or if the other party, as licensee, becomes insolvent" in old


def test_an_automatic_insolvency_termination_is_a_finding_citing_the_bankruptcy_code(
    variant: Callable[..., Path],
) -> None:
    plan = plan_deal(variant({"duration": {"terminate_on_insolvency": "automatic"}}), INPUTS)
    finding = next(f for f in plan.findings if f.rule == "CL-16-IPSO-FACTO-TERMINATION")
    assert finding.severity == "warn"
    assert "11 U.S.C. §365(e)(1)" in finding.message
    assert any(c.identifier == "11 U.S.C. §365(e)(1)" for c in finding.citations)
    quiet = plan_deal(
        variant({"duration": {"terminate_on_insolvency": "elective"}}, "e.yaml"), INPUTS
    )
    assert all(f.rule != "CL-16-IPSO-FACTO-TERMINATION" for f in quiet.findings)


def test_a_have_made_right_per_licensee_changes_only_that_licensee(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    path = variant({"field": {"per_licensee": [{"licensee": "beta", "have_made": "none"}]}})
    text = twin(path, tmp_path / "o")
    assert (
        "Beta\u2019s licence, however, will include no right to have Licensed Products made for "
        "it by third parties." in text
    )
    assert "as licensee:" not in text  # no per-licensee field head for a have-made right alone
    plan = plan_deal(path, INPUTS)
    assert all(f.rule != "CL-15-FIELD-PER-LICENSEE" for f in plan.findings)


def test_one_licensor_scheduled_and_the_other_its_portfolio(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    text = twin(variant({"patents": {"scope_by_owner": {"beta": "portfolio"}}}), tmp_path / "o")
    assert "Acme\u2019s Licensed Patents are the patent families listed for it in Annex A" in text
    assert "Beta\u2019s Licensed Patents are not scheduled" in text
    assert "## Annex A: Patent Schedule" in text
    assert "Acme will list its captured families in an updated Annex A" in text
    assert "Beta will list" not in text


def test_confidential_scheduled_rates_print_neither_rates_nor_dates(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    schedule = [{"from": dt.date(2029, 4, 1), "rate_pct": 1.5}]
    path = variant({"royalties": {"confidential": True, "rate_schedule": schedule}})
    rendered = render_deal(path, INPUTS, out_dir=tmp_path / "o")
    for name, data in rendered.files.items():
        if name.endswith(".md"):
            text = data.decode("utf-8")
            assert "2029" not in text and "1.5%" not in text, name
    text = rendered.files["term-sheet.md"].decode("utf-8")
    assert "will change on the dates, and to the rates, set out in the Confidential Schedule" in (
        text
    )


def test_a_deal_that_leaves_the_new_keys_out_is_unchanged_by_their_defaults(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    defaults = {
        "patents": {"ownership": "during_capture"},
        "release": {"claims": "infringement", "includes": []},
        "duration": {"non_payment_amounts": "undisputed", "terminate_on_insolvency": True},
        "affiliates": {
            "control_test": "more_than",
            "acquired_volume_cap": False,
            "excluded_developments": False,
            "confirm_days": None,
        },
        "defensive_suspension": {"effect": "suspend", "trigger": "product_suits"},
        "other_terms": {"representations": []},
    }
    left_out = render_deal(variant({}), INPUTS, out_dir=tmp_path / "a")
    typed = render_deal(variant(defaults, "typed.yaml"), INPUTS, out_dir=tmp_path / "b")
    assert left_out.files["term-sheet.md"] == typed.files["term-sheet.md"]

    def findings(files: dict[str, bytes]) -> list[tuple[str, str]]:
        lock = json.loads(files["clausesmith.lock.json"])
        return [(f["rule"], f["message"]) for f in lock["findings"]]

    assert findings(left_out.files) == findings(typed.files)
