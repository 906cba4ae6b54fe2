"""Counsel's override lifts the block of the rule it names and no other; a finding records
the deal's values its condition read, as the deal writes them; a guardrail condition that
cannot be evaluated is named by its guardrail and playbook line."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from clausesmith.errors import Blocked, InvalidInput
from clausesmith.pipeline import Inputs, plan_deal, render_deal
from clausesmith.resources import Sources
from helpers.deals import ACME, COUNSEL, REASON, ROOT

INPUTS = Inputs(Sources.resolve(counsel=COUNSEL))
TERMINATION = {"right_of_challenge": True, "no_challenge": False, "termination_on_challenge": True}
RULE = "CL-05-TERMINATION-ON-CHALLENGE"
EXCLUSIVE = "CL-01-EXCLUSIVE-GRANT-BACK"


def override(rule: str) -> dict[str, object]:
    return {
        "rule": rule,
        "approved_by": "Jane Counsel",
        "date": dt.date(2026, 2, 20),
        "reason": REASON,
    }


def test_an_override_lifts_the_block_of_its_rule(variant: Callable[..., Path]) -> None:
    path = variant({"challenge": TERMINATION, "overrides": [override(RULE)]})
    plan = plan_deal(path, INPUTS)
    assert plan.blocking == ()
    [finding] = [f for f in plan.findings if f.rule == RULE]
    assert finding.state == "overridden"
    assert finding.data()["override"] == {
        "approved_by": "Jane Counsel",
        "date": "2026-02-20",
        "reason": REASON,
    }
    render_deal(path, INPUTS, out_dir=path.parent / "out")  # not Blocked


def test_an_override_of_another_rule_lifts_nothing(variant: Callable[..., Path]) -> None:
    path = variant({"challenge": TERMINATION, "overrides": [override("CL-04-NO-CHALLENGE")]})
    plan = plan_deal(path, INPUTS)
    assert [f.rule for f in plan.blocking] == [RULE]
    with pytest.raises(Blocked):
        render_deal(path, INPUTS, out_dir=path.parent / "out")


def test_a_finding_records_the_values_its_condition_read(variant: Callable[..., Path]) -> None:
    plan = plan_deal(variant({"grant_back": {"exclusivity": "exclusive"}}), INPUTS)
    [finding] = [f for f in plan.findings if f.rule == EXCLUSIVE]
    assert {"path": "grant_back.exclusivity", "value": "exclusive"} in finding.data()["deal_values"]
    assert "grant_back.exclusivity=exclusive" in finding.figures


def test_a_guardrail_condition_that_fails_names_its_guardrail(tmp_path: Path) -> None:
    playbooks = tmp_path / "playbooks"
    shutil.copytree(ROOT / "playbooks", playbooks)
    path = playbooks / "cross-licence-standard.yaml"
    text = path.read_text(encoding="utf-8")
    old = 'and grant_back.exclusivity == "exclusive"\'\n'
    assert text.count(old) == 1
    path.write_text(text.replace(old, "and grant_back.x.y'\n"), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        plan_deal(ACME, Inputs(Sources.resolve(playbooks=playbooks)))
    line = text[: text.index(old)].count("\n") + 1  # the condition's own line
    assert caught.value.format_message().startswith(
        f"{path}:{line}: guardrail {EXCLUSIVE}: condition "
    )
