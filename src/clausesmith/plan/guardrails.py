"""Guardrails applied to a planned deal: one finding per hit, pointing at the deal file.

A guardrail either holds a `when` condition (one finding, at the first key it reads) or
names a check of the consistency stage (a finding at each place the check reports). Its
message is the playbook's, with the check's facts filled in where it names them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clausesmith.deal import model
from clausesmith.errors import InvalidInput, Problem
from clausesmith.library.clause import Citation
from clausesmith.library.playbook import Condition, Guardrail, Playbook
from clausesmith.plan import consistency, insolvency, markets, milestones_and_diligence, restraints
from clausesmith.plan.planned_deal import Check, Hit, PlannedDeal

CHECKS: dict[str, Check] = {
    **markets.CHECKS,
    **consistency.CHECKS,
    **milestones_and_diligence.CHECKS,
    **insolvency.CHECKS,
    **restraints.CHECKS,
}
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# The planner's one way to evaluate a condition: (condition, what it is for) -> holds.
Holds = Callable[[Condition, str], bool]


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    severity: str
    message: str
    citations: tuple[Citation, ...]
    override: model.Override | None
    basis: str = "policy"
    where: str = ""  # deal file:line:column the finding points at
    acknowledgement: model.Acknowledgement | None = None
    reads: tuple[tuple[str, str], ...] = ()  # (deal path, value as written) a `when` read

    @property
    def blocks(self) -> bool:
        return self.severity == "block" and self.override is None

    @property
    def warns(self) -> bool:
        """A warning nobody acknowledged: what `validate --strict` fails on."""
        return self.severity == "warn" and self.acknowledgement is None

    @property
    def state(self) -> str:
        return state(self.data())

    @property
    def figures(self) -> str:
        return figures(self.data())

    def data(self) -> dict[str, Any]:
        """The finding as plain data: what explain, reports and the lock file record."""
        return {
            "rule": self.rule,
            "title": self.title,
            "basis": self.basis,
            "severity": self.severity,
            "where": self.where,
            "message": self.message,
            "blocks": self.blocks,
            "citations": [c.data() for c in self.citations],
            "override": None
            if self.override is None
            else {
                "approved_by": self.override.approved_by,
                "date": self.override.date.isoformat(),
                "reason": self.override.reason,
            },
            "acknowledgement": None
            if self.acknowledgement is None
            else {
                "acknowledged_by": self.acknowledgement.acknowledged_by,
                "date": self.acknowledgement.date.isoformat(),
                "reason": self.acknowledgement.reason,
            },
            "deal_values": [{"path": p, "value": v} for p, v in self.reads],
        }


def state(finding: dict[str, Any]) -> str:
    """How a finding (as `Finding.data()`) stands for the deal: blocks, overridden, warn,
    acknowledged."""
    if finding["override"] is not None:
        return "overridden"
    if finding["acknowledgement"] is not None:
        return "acknowledged"
    return "blocks" if finding["severity"] == "block" else str(finding["severity"])


def figures(finding: dict[str, Any]) -> str:
    """The deal's values a `when` guardrail read ("" for a check: its message states them)."""
    values = ", ".join(f"{v['path']}={v['value']}" for v in finding["deal_values"])
    return f"the deal has {values}" if values else ""


def findings(
    playbook: Playbook,
    planned: PlannedDeal,
    holds: Holds,
    value: Callable[[str], str] = lambda path: "",
) -> tuple[Finding, ...]:
    """Each guardrail's findings; `value` gives a deal path's value as written, shown beside
    a `when` guardrail's finding (a check's message states its own figures)."""
    deal = planned.deal
    overrides = {o.rule: o for o in deal.overrides}
    acknowledged = {a.rule: a for a in deal.acknowledgements}
    found = []
    for guardrail in playbook.guardrails:
        paths = guardrail.when.paths if guardrail.when is not None else ()
        for hit in _hits(guardrail, planned, holds):
            found.append(
                Finding(
                    guardrail.id,
                    guardrail.title,
                    guardrail.severity,
                    fill(guardrail, hit.facts),
                    guardrail.citations,
                    overrides.get(guardrail.id),
                    guardrail.basis,
                    deal.locate(hit.path),
                    acknowledged.get(guardrail.id),
                    tuple((p, value(p)) for p in paths),
                )
            )
    return tuple(found)


def _hits(guardrail: Guardrail, planned: PlannedDeal, holds: Holds) -> list[Hit]:
    if guardrail.when is not None:
        if not holds(guardrail.when, f"guardrail {guardrail.id}"):
            return []
        return [Hit(guardrail.when.paths[0] if guardrail.when.paths else "", {})]
    check = CHECKS.get(guardrail.check or "")
    if check is None:
        raise InvalidInput(
            [
                _problem(
                    guardrail,
                    f"names no check clausesmith has: {guardrail.check!r}; "
                    f"known: {', '.join(sorted(CHECKS))}",
                )
            ]
        )
    return check.run(planned)


def fill(guardrail: Guardrail, facts: dict[str, str]) -> str:
    """The message with each {fact} replaced; a name the check does not give is an error."""
    unknown = sorted({m for m in PLACEHOLDER.findall(guardrail.message) if m not in facts})
    if unknown:
        raise InvalidInput(
            [
                _problem(
                    guardrail,
                    f"message names {', '.join('{' + u + '}' for u in unknown)}, "
                    "which its check does not give",
                )
            ]
        )
    return PLACEHOLDER.sub(lambda m: facts[m.group(1)], guardrail.message)


def _problem(guardrail: Guardrail, message: str) -> Problem:
    return Problem(guardrail.file, guardrail.line, None, f"guardrails.{guardrail.id}", message)


def cited(c: dict[str, Any], flag: str | None = None) -> str:
    """A citation as counsel read it: `Regulation (EU) 2026/877, Art 3 (holding; verified
    2026-11-29)`. `flag` replaces the verified word (explain paints it)."""
    checked = flag or ("verified" if c["verified"] else "UNVERIFIED")
    when = f" {c['checked_on']}" if c.get("checked_on") else ""
    holds = f"{c['holds']}; " if c.get("holds") else ""
    return f"{c.get('identifier') or c['source']}, {c['pinpoint']} ({holds}{checked}{when})"
