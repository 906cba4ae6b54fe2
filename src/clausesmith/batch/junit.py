"""`--format junit`: the run as a JUnit XML report, which CI systems (GitHub, GitLab,
Jenkins, Azure) show as a test per deal: a deal that failed is a failing test case with its
message, one that went through passes, its warnings in its output.

Formatted from the deals' `DealOutcome`s, as the console and the JSON report are."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from clausesmith.batch.outcome import DealOutcome
from clausesmith.chars import printable
from clausesmith.plan.guardrails import figures, state


def junit(command: str, outcomes: list[DealOutcome], extra_failures: list[str]) -> str:
    """The report: one test case per deal, then one per run-level failure (`extra_failures`,
    e.g. an output folder no deal renders)."""
    cases = [_case(command, o) for o in outcomes]
    cases += [_failure_case(command, "outputs", line) for line in extra_failures]
    failures = sum(not o.ok for o in outcomes) + len(extra_failures)
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuites name="clausesmith" tests="{len(cases)}" failures="{failures}">',
            f'  <testsuite name={quoteattr("clausesmith " + command)} tests="{len(cases)}" '
            f'failures="{failures}" errors="0" skipped="0">',
            *cases,
            "  </testsuite>",
            "</testsuites>",
            "",
        ]
    )


def _case(command: str, outcome: DealOutcome) -> str:
    head = (
        f"    <testcase classname={quoteattr('clausesmith.' + command)} "
        f"name={quoteattr(outcome.spec)}>"
    )
    body = []
    if not outcome.ok:
        kind = quoteattr(outcome.status)
        body.append(
            f"      <failure message={quoteattr(_summary(outcome))} type={kind}>"
            f"{_text(outcome.message)}</failure>"
        )
    notes = [
        f"{f['rule']} [{state(f)}]: {f['message']}" + (f" ({figures(f)})" if figures(f) else "")
        for f in outcome.findings
        if state(f) in ("warn", "acknowledged", "overridden")
    ]
    if notes:
        body.append(f"      <system-out>{_text(chr(10).join(notes))}</system-out>")
    return "\n".join([head, *body, "    </testcase>"])


def _summary(outcome: DealOutcome) -> str:
    """The failure's one-line message: every problem, not only the first (a CI view often
    shows only this attribute)."""
    if outcome.problems:
        return printable("; ".join(str(p) for p in outcome.problems))
    said = [line.strip() for line in outcome.message.splitlines() if line.strip()]
    return printable("; ".join(said) if said else outcome.status)


def _failure_case(command: str, name: str, message: str) -> str:
    return (
        f"    <testcase classname={quoteattr('clausesmith.' + command)} name={quoteattr(name)}>\n"
        f'      <failure message={quoteattr(printable(message))} type="stale">'
        f"{_text(message)}</failure>\n    </testcase>"
    )


def _text(text: str) -> str:
    return printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
