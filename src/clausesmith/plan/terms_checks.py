"""Checks of #14 on the seed's own mechanisms: grant-back milestones against the grant-back
period, and the diligence Annex A records for each licensed patent family.

Findings, not invalid input: counsel may accept them (acknowledgements), and their text stays
in explain, the lock and the console, never in a document.
"""

from __future__ import annotations

from clausesmith.deal import model
from clausesmith.deal.payments import payments_of
from clausesmith.deal.schema import DILIGENCE_CHECKS
from clausesmith.deal.terms_checks import add_years
from clausesmith.plan.stage import Check, Hit, Stage
from clausesmith.templating.formatting import join_and

# What a family's diligence record lacks, as counsel read it.
_MISSING = {
    "status": "its status (granted or pending)",
    "expiry": "its expiry date",
    "ownership": "a check of ownership",
    "maintenance": "a check that maintenance fees are current",
    "freedom_to_operate": "a freedom-to-operate review",
}


def milestone_periods(stage: Stage) -> list[Hit]:
    """A milestone's long-stop date after the sunset: the sunset ends the grant-back first."""
    deal = stage.deal
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


def patent_diligence(stage: Stage) -> list[Hit]:
    deal = stage.deal
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


# Each payable kind as counsel name it (deal/payments.py lists the kinds).
_OWED = {
    "royalty": "the balancing royalty",
    "lump_sum": "the balancing payment",
    "grant_back_royalty": "the grant-back royalty",
    "blocking_share": "the revenue share for Blocking Improvements",
    "release_payment": "the release payment",
}


def german_licensor_payments(stage: Stage) -> list[Hit]:
    """A party established in Germany to whom anything is payable: its licences are not fully
    paid, whatever the amount is called (InsO §103). Reads the one payment model, so a
    payable key added later is read here without a change."""
    deal = stage.deal
    if deal.insolvency.german_licensor != "irrevocable_paid_up":
        return []  # the security position is the remedy
    owed = payments_of(deal)
    hits = []
    for party in deal.parties:
        if party.jurisdiction[:2] != "DE" or not owed.to(party.key):
            continue
        first = next(a for a in owed.amounts if a.payee == party.key)
        hits.append(
            Hit(
                first.key,
                {
                    "party": party.short_name,
                    "payments": join_and([_OWED[k] for k in owed.kinds_to(party.key)]),
                    "remedy": "Set insolvency.german_licensor to security, or make every "
                    f"amount payable to {party.short_name} fall due on signature, and have "
                    "German counsel confirm the structure.",
                },
            )
        )
    return hits


PROBLEM = ("problem", "remedy")
CHECKS = {
    "german_licensor_payments": Check(("party", "payments", "remedy"), german_licensor_payments),
    "milestone_periods": Check(PROBLEM, milestone_periods),
    "patent_diligence": Check(PROBLEM, patent_diligence),
}
