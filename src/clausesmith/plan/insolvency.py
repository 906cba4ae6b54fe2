"""Findings on insolvency: a licence from a party established in Germany that is not fully
paid (InsO §103), read from the one payment model so that every amount payable counts.

A finding, not invalid input: counsel may accept it (an acknowledgement), and its text stays
in explain, the lock and the console, never in a document.
"""

from __future__ import annotations

from clausesmith.deal.payments import payments_of
from clausesmith.plan.planned_deal import Check, Hit, PlannedDeal
from clausesmith.templating.formatting import join_and

# Each payable kind as counsel name it (deal/payments.py lists the kinds).
_OWED = {
    "royalty": "the balancing royalty",
    "lump_sum": "the balancing payment",
    "grant_back_royalty": "the grant-back royalty",
    "blocking_share": "the revenue share for Blocking Improvements",
    "release_payment": "the release payment",
}


def german_licensor_payments(planned: PlannedDeal) -> list[Hit]:
    """A party established in Germany to whom anything is payable: its licences are not fully
    paid, whatever the amount is called (InsO §103). Reads the one payment model, so a
    payable key added later is read here without a change."""
    deal = planned.deal
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


CHECKS = {
    "german_licensor_payments": Check(("party", "payments", "remedy"), german_licensor_payments),
}
