"""`--format json` for render and validate: one report per run, for CI to read.

Every deal of the run is reported, also after one fails, in the order the deals were given;
each entry is formatted from the deal's `DealOutcome`, as the console's lines are. The run's
exit code is the worst of its deals' (`outcome.worst`), as on the console.
"""

from __future__ import annotations

from typing import Any

from clausesmith.batch.outcome import DealOutcome, worst
from clausesmith.errors import EXIT_OK
from clausesmith.plan.guardrails import state


def entry(outcome: DealOutcome, command: str) -> dict[str, Any]:
    """One deal's entry: a validate entry says `valid`; a render entry lists its files."""
    data: dict[str, Any] = {"spec": outcome.spec}
    if command == "validate":
        data["valid"] = outcome.status == "valid"
    if outcome.deal_id is not None:
        data["deal"] = outcome.deal_id
    if outcome.deal_id is not None:
        data["findings"] = list(outcome.findings)
    if command != "validate":
        if outcome.out_dir is not None:
            data["out_dir"] = outcome.out_dir
            data["files"] = [{"path": name, "sha256": sha} for name, sha in outcome.files]
        if outcome.status in ("stale", "up_to_date"):
            data["stale"] = list(outcome.stale)
    if outcome.notes:
        data["notes"] = list(outcome.notes)
    data["status"] = outcome.status
    data["exit_code"] = outcome.exit_code
    if not outcome.ok:
        data["message"] = outcome.message
    if outcome.problems:
        data["problems"] = [
            {"file": p.file, "line": p.line, "column": p.column, "key": p.key, "message": p.message}
            for p in outcome.problems
        ]
    return data


def report(command: str, outcomes: list[DealOutcome]) -> tuple[dict[str, Any], int]:
    """The report of a run, its entries in the order the deals were given."""
    code = EXIT_OK
    for outcome in outcomes:
        code = worst(code, outcome.exit_code)
    name = "validate" if command == "validate" else "render"
    entries = [entry(o, command) for o in outcomes]
    report = {"command": name, "exit_code": code, "summary": summary(outcomes), "deals": entries}
    return report, code


def summary(outcomes: list[DealOutcome]) -> dict[str, Any]:
    """Counts for a CI dashboard: deals by status, and findings by how they stand."""
    statuses: dict[str, int] = {}
    findings: dict[str, int] = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        for finding in outcome.findings:
            findings[state(finding)] = findings.get(state(finding), 0) + 1
    return {
        "deals": len(outcomes),
        "by_status": dict(sorted(statuses.items())),
        "findings": dict(sorted(findings.items())),
        "warnings": findings.get("warn", 0),
    }
