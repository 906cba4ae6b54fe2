"""The heads a real cross-licence has beyond the commercial core (#14): release, duration,
insolvency, affiliates, products, form of grant, liability, standards, defensive suspension.

Each is a section a deal may leave out (the playbook's `defaults:` fill it), read here into
frozen dataclasses that templates and playbook conditions see under the section's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Sections of this module, in the order the deal format lists them.
SECTIONS = (
    "release",
    "duration",
    "insolvency",
    "affiliates",
    "products",
    "grant",
    "liability",
    "standards",
    "defensive_suspension",
)


@dataclass(frozen=True)
class Amount:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    currency: str
    payer: str  # party key


@dataclass(frozen=True)
class Release:
    scope: str  # mutual | one_way | none
    releasing_party: str | None  # one_way: the party that gives the release
    from_date: dt.date | None  # earliest released act; None: every act before the Effective Date
    unknown_claims: bool
    payment: Payment | None
    standstill_days: int | None
    claim_charts_without_prejudice: bool


@dataclass(frozen=True)
class Duration:
    licences_last: str  # patent_life | end_of_term
    cure_days: int
    terminate_on_insolvency: bool
    non_payment_days: int | None = None  # termination for an amount unpaid so long (#14)


@dataclass(frozen=True)
class Insolvency:
    german_licensor: str  # irrevocable_paid_up | security


@dataclass(frozen=True)
class Affiliates:
    licensed: str  # all_affiliates | subsidiaries
    control_pct: int
    binding: str  # procure | reasonable_efforts
    acquisitions: str  # included | excluded
    divestiture: str  # products_at_divestiture | none


@dataclass(frozen=True)
class Products:
    have_made: str  # own_designs | unrestricted
    pass_through: bool


@dataclass(frozen=True)
class Grant:
    form: str  # licence | covenant_not_to_sue


@dataclass(frozen=True)
class Liability:
    cap: Amount | None  # None: no cap beyond the exclusions
    exclude_indirect: bool


@dataclass(frozen=True)
class Standards:
    frand: str  # encumbered | none_declared


@dataclass(frozen=True)
class DefensiveSuspension:
    scope: str  # field | all_patents | none


def build(d: dict[str, Any]) -> dict[str, Any]:
    """The new sections of a validated, defaulted deal, keyed as Deal's fields."""
    rel, dur, aff, prod = d["release"], d["duration"], d["affiliates"], d["products"]
    return {
        "release": Release(
            scope=rel["scope"],
            releasing_party=rel.get("releasing_party"),
            from_date=rel.get("from_date"),
            unknown_claims=rel["unknown_claims"],
            payment=_payment(rel.get("payment")),
            standstill_days=rel.get("standstill_days"),
            claim_charts_without_prejudice=rel["claim_charts_without_prejudice"],
        ),
        "duration": Duration(
            dur["licences_last"],
            dur["cure_days"],
            dur["terminate_on_insolvency"],
            dur.get("non_payment_days"),
        ),
        "insolvency": Insolvency(d["insolvency"]["german_licensor"]),
        "affiliates": Affiliates(
            aff["licensed"],
            aff["control_pct"],
            aff["binding"],
            aff["acquisitions"],
            aff["divestiture"],
        ),
        "products": Products(prod["have_made"], prod["pass_through"]),
        "grant": Grant(d["grant"]["form"]),
        "liability": Liability(
            _amount(d["liability"].get("cap")), d["liability"]["exclude_indirect"]
        ),
        "standards": Standards(d["standards"]["frand"]),
        "defensive_suspension": DefensiveSuspension(d["defensive_suspension"]["scope"]),
    }


def _amount(a: dict[str, Any] | None) -> Amount | None:
    return None if a is None else Amount(Decimal(str(a["amount"])), a["currency"])


def _payment(p: dict[str, Any] | None) -> Payment | None:
    return None if p is None else Payment(Decimal(str(p["amount"])), p["currency"], p["payer"])
