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
    claims: str = "infringement"  # infringement | all_claims (a settlement's release)
    includes: tuple[str, ...] = ()  # claims named in the release, each printed


@dataclass(frozen=True)
class AmendedBy:
    title: str
    date: dt.date


@dataclass(frozen=True)
class Duration:
    licences_last: str  # patent_life | end_of_term
    cure_days: int
    terminate_on_insolvency: bool | str  # elective | automatic | false (true: elective)
    non_payment_days: int | None = None  # termination for an amount unpaid so long (#14)
    non_payment_amounts: str = "undisputed"  # undisputed | any

    def on_insolvency(self) -> str:
        """Termination on the licensee's insolvency: "elective", "automatic" or "none"."""
        value = self.terminate_on_insolvency
        if value is True:
            return "elective"
        return "none" if value is False else str(value)


@dataclass(frozen=True)
class Insolvency:
    german_licensor: str  # irrevocable_paid_up | security


@dataclass(frozen=True)
class Affiliates:
    licensed: str  # all_affiliates | subsidiaries | party_only
    control_pct: int
    binding: str  # procure | reasonable_efforts
    acquisitions: str  # included | excluded
    divestiture: str  # products_at_divestiture | none
    control_test: str = "more_than"  # more_than | at_least
    acquired_volume_cap: bool = False  # a party taken over: its lines capped at their volume
    excluded_developments: bool = False  # joint work with a third party is not licensed
    confirm_days: int | None = None  # days to confirm whether an entity is licensed

    # The words every head that names affiliates uses, so that each follows this section.
    def members(self) -> str:
        """Who beside a party is licensed: "Affiliates", "licensed subsidiaries" or ""."""
        return {"all_affiliates": "Affiliates", "subsidiaries": "licensed subsidiaries"}.get(
            self.licensed, ""
        )

    def group(self, who: str, joiner: str = "or") -> str:
        """`who` with its licensed affiliates: group("a party") is "a party or its Affiliates"."""
        return f"{who} {joiner} its {self.members()}" if self.members() else who

    def procure(self) -> str:
        if self.binding == "procure":
            return "will procure"
        return "will use reasonable efforts to procure"

    def threshold(self, pct: int | None = None) -> str:
        """The control test in words: "more than 50%", "at least 75%", or "all" at 100."""
        value = self.control_pct if pct is None else pct
        if value >= 100:
            return "all"
        return f"{'at least' if self.control_test == 'at_least' else 'more than'} {value}%"


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
    effect: str = "suspend"  # suspend | terminate
    trigger: str = "product_suits"  # product_suits | any_assertion


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
            claims=rel.get("claims") or "infringement",
            includes=tuple(rel.get("includes") or ()),
        ),
        "duration": Duration(
            dur["licences_last"],
            dur["cure_days"],
            dur["terminate_on_insolvency"],
            dur.get("non_payment_days"),
            dur.get("non_payment_amounts") or "undisputed",
        ),
        "insolvency": Insolvency(d["insolvency"]["german_licensor"]),
        "affiliates": Affiliates(
            aff["licensed"],
            aff["control_pct"],
            aff["binding"],
            aff["acquisitions"],
            aff["divestiture"],
            aff.get("control_test") or "more_than",
            bool(aff.get("acquired_volume_cap")),
            bool(aff.get("excluded_developments")),
            aff.get("confirm_days"),
        ),
        "products": Products(prod["have_made"], prod["pass_through"]),
        "grant": Grant(d["grant"]["form"]),
        "liability": Liability(
            _amount(d["liability"].get("cap")), d["liability"]["exclude_indirect"]
        ),
        "standards": Standards(d["standards"]["frand"]),
        "defensive_suspension": DefensiveSuspension(
            d["defensive_suspension"]["scope"],
            d["defensive_suspension"].get("effect") or "suspend",
            d["defensive_suspension"].get("trigger") or "product_suits",
        ),
    }


def _amount(a: dict[str, Any] | None) -> Amount | None:
    return None if a is None else Amount(Decimal(str(a["amount"])), a["currency"])


def _payment(p: dict[str, Any] | None) -> Payment | None:
    return None if p is None else Payment(Decimal(str(p["amount"])), p["currency"], p["payer"])
