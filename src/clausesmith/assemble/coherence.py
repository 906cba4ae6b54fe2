"""An override changes the document, or is refused: the heads that still contradict it.

Counsel override a guardrail to accept a position (a no-challenge undertaking, an exclusive
grant-back). The heads that depend on that position follow it in the clause library; where
a head still says the opposite ("a challenge will not be a breach" beside an undertaking
not to challenge), the documents would contradict themselves, so the override is refused
naming the heads. The words are the playbook's (`contradicted_by` of a guardrail).
"""

from __future__ import annotations

from clausesmith.assemble.assembler import Document
from clausesmith.errors import Problem
from clausesmith.plan.planner import Plan


def contradictions(plan: Plan, documents: tuple[Document, ...]) -> list[Problem]:
    """One problem per overridden guardrail whose position a rendered head contradicts."""
    guardrails = {g.id: g for g in plan.playbook.guardrails}
    headings = {s.slot: s.heading for s in plan.playbook.slots}
    problems = []
    for index, override in enumerate(plan.deal.overrides):
        guardrail = guardrails.get(override.rule)
        if guardrail is None or not guardrail.contradicted_by:
            continue
        conflicts = []
        for document in documents:
            for slot, paragraphs in document.texts:
                said = [w for w in guardrail.contradicted_by if any(w in p for p in paragraphs)]
                if said:
                    conflicts.append(f'"{headings.get(slot, slot)}" ({document.stem}: "{said[0]}")')
        if conflicts:
            path = f"overrides[{index}].rule"
            problems.append(
                Problem(
                    plan.deal.locate(path),
                    None,
                    None,
                    path,
                    f"the override of {override.rule} accepts a position that "
                    f"{', '.join(dict.fromkeys(conflicts))} still contradict"
                    f"{'s' if len(conflicts) == 1 else ''}; the documents would contradict "
                    "themselves, so the override is refused: have counsel change those heads' "
                    "clauses to follow the overridden position, or change the deal",
                )
            )
    return problems
