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
    disputes = deal.dispute_resolution
    if "dispute_resolution.mediation" in deal.defaulted and disputes.mediation is not None:
        forum = "arbitration" if disputes.arbitration is not None else "courts"
        notes.append(
            f"dispute_resolution.mediation is left out, so the playbook's mediation "
            f"({disputes.mediation.provider}, {disputes.mediation.days} days) comes before the "
            f"{forum} the deal names; to go straight to {forum}, write mediation: null"
        )
    return tuple(notes)
