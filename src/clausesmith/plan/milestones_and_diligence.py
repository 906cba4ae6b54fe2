"""Findings on the grant-back's milestones and on patent diligence: a milestone against the
grant-back period, and the diligence Annex A records for each licensed patent family.

Findings, not invalid input: counsel may accept them (acknowledgements), and their text stays
in explain, the lock and the console, never in a document.
"""

from __future__ import annotations

from clausesmith.deal import model
from clausesmith.deal.schema import DILIGENCE_CHECKS
from clausesmith.inputs.dates import add_years
from clausesmith.plan.planned_deal import Check, Hit, PlannedDeal
from clausesmith.templating.formatting import join_and

# What a family's diligence record lacks, as counsel read it.
_MISSING = {
    "status": "its status (granted or pending)",
    "expiry": "its expiry date",
    "ownership": "a check of ownership",
    "maintenance": "a check that maintenance fees are current",
    "freedom_to_operate": "a freedom-to-operate review",
}


def milestone_periods(planned: PlannedDeal) -> list[Hit]:
    """A milestone's long-stop date after the sunset: the sunset ends the grant-back first."""
    deal = planned.deal
    gb = deal.grant_back
    if not gb.applies() or gb.sunset_years is None:
        return []
    sunset = add_years(deal.deal.effective_date, gb.sunset_years)
    hits = []
    for i, milestone in enumerate(gb.milestones):
        if milestone.by is not None and milestone.by > sunset:
            effect = (
                "the grant-back could start after it has ended"
                if milestone.effect == "starts"
                else "the long-stop never applies"
            )
            hits.append(
                Hit(
                    f"grant_back.milestones[{i}].by",
                    {
                        "problem": f"The milestone {milestone.event!r} has a long-stop date of "
                        f"{milestone.by.isoformat()}, after the grant-back's sunset on "
                        f"{sunset.isoformat()} ({gb.sunset_years} years after the Effective "
                        f"Date), so {effect}",
                        "remedy": f"Set grant_back.milestones[{i}].by on or before "
                        f"{sunset.isoformat()}, or lengthen grant_back.sunset_years.",
                    },
                )
            )
    return hits


def _lacks(family: model.PatentFamily) -> list[str]:
    missing = [key for key in ("status", "expiry") if getattr(family, key) is None]
    done = family.diligence or ()
    return [*missing, *(check for check in DILIGENCE_CHECKS if check not in done)]


def patent_diligence(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    hits = []
    for i, family in enumerate(deal.patents.families):
        lacks = _lacks(family)  # an expired family is refused when the deal loads
        if not lacks:
            continue
        problems = [f"does not record {join_and([_MISSING[k] for k in lacks], 'or')}"]
        remedies = []
        fields = [k for k in lacks if k in ("status", "expiry")]
        checks = [k for k in lacks if k in DILIGENCE_CHECKS]
        if fields:
            remedies.append(f"give {join_and(fields)}")
        if checks:
            remedies.append(f"do and list in diligence: {', '.join(checks)}")
        hits.append(
            Hit(
                f"patents.families[{i}]",
                {
                    "problem": f"The patent family {family.ref} "
                    f"({deal.party(family.owner).short_name}) " + " and ".join(problems),
                    "remedy": f"For patents.families[{i}], " + "; ".join(remedies) + ".",
                },
            )
        )
    return hits


PROBLEM = ("problem", "remedy")
CHECKS = {
    "milestone_periods": Check(PROBLEM, milestone_periods),
    "patent_diligence": Check(PROBLEM, patent_diligence),
}
