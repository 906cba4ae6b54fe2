"""Lint for guardrails: a message claims no more than its basis, citations have their shape.

docs/legal-basis.md: guidance says "risk under", policy says "the playbook does not
accept"; a law guardrail cites the provision that holds it; a citation is verified exactly
when it records the day it was checked. A `check` must exist and give every fact its message names.
"""

from __future__ import annotations

from clausesmith.errors import Problem
from clausesmith.inputs.yamlio import Marks
from clausesmith.library.playbook import Guardrail, Playbook
from clausesmith.plan.guardrails import CHECKS, PLACEHOLDER

WORDING = {"guidance": "risk under", "policy": "the playbook does not accept"}
# Words no guardrail may use: no-challenge clauses are at risk, not void (Lear; Flex-Foot).
NEVER = ("unenforceable",)


def guardrail_problems(book: Playbook, marks: Marks) -> list[Problem]:
    problems = []
    for i, guardrail in enumerate(book.guardrails):
        line = (marks.locate(("guardrails", i)) or (None, None))[0]

        def problem(message: str, line: int | None = line, g: Guardrail = guardrail) -> None:
            problems.append(Problem(book.path, line, None, f"guardrails.{g.id}", message))

        for message in _basis(guardrail) + _facts(guardrail):
            problem(message)
        for j, message in _citations(guardrail):
            problem(message, (marks.locate(("guardrails", i, "citations", j)) or (line, 0))[0])
    return problems


def _basis(guardrail: Guardrail) -> list[str]:
    found = []
    text = guardrail.message.lower()
    wording = WORDING.get(guardrail.basis)
    if wording and wording not in text:
        found.append(f"basis is {guardrail.basis}, so its message says {wording!r}")
    for word in NEVER:
        if word in text:
            found.append(f"message says {word!r}, which claims more than any basis allows")
    if guardrail.basis == "law" and not any(c.holds == "holding" for c in guardrail.citations):
        found.append("basis is law, so it cites the provision that holds it (holds: holding)")
    return found


def _facts(guardrail: Guardrail) -> list[str]:
    named = sorted(set(PLACEHOLDER.findall(guardrail.message)))
    if guardrail.check is None:
        return [f"message names {_braced(named)}, but only a check gives facts"] if named else []
    check = CHECKS.get(guardrail.check)
    if check is None:
        return [f"check {guardrail.check!r} does not exist; known: {', '.join(sorted(CHECKS))}"]
    unknown = [n for n in named if n not in check.facts]
    if unknown:
        return [
            f"message names {_braced(unknown)}, which check {guardrail.check!r} does not give; "
            f"it gives {_braced(list(check.facts))}"
        ]
    return []


def _citations(guardrail: Guardrail) -> list[tuple[int, str]]:
    found = []
    for j, c in enumerate(guardrail.citations):
        if c.verified and c.checked_on is None:
            found.append((j, f"citation {c.pinpoint!r} is verified, so it says when (checked_on)"))
        if not c.verified and c.checked_on is not None:
            found.append(
                (j, f"citation {c.pinpoint!r} has checked_on but is not verified; set both")
            )
    return found


def _braced(names: list[str]) -> str:
    return ", ".join("{" + n + "}" for n in names)
