"""Notes: what a deal implies that its writer may not expect, printed by `render` and
`validate` beside the deal's line. A note is not a finding: it never fails `--strict`, and
it is never recorded in the lock or printed in a document."""

from __future__ import annotations

from clausesmith.plan.planner import Plan

PAYING = ("running", "tiered")


def plan_notes(the_plan: Plan) -> tuple[str, ...]:
    """The deal's notes, each one line naming the key that would say otherwise."""
    deal = the_plan.deal
    notes = []
    left_out = "duration" in deal.defaulted or "duration.licences_last" in deal.defaulted
    if (
        left_out
        and deal.duration.licences_last == "patent_life"
        and deal.term.ends == "fixed_years"
    ):
        royalties = ", and running royalties with it," if deal.royalties.structure in PAYING else ""
        notes.append(
            f"the term is {deal.term.years} years, but each licence lasts for the life of its "
            f"patent{royalties} after the term ends: duration.licences_last is left out, so it "
            "is patent_life; to end the licences with the term, write "
            "duration: {licences_last: end_of_term}"
        )
    return tuple(notes)
