"""The one payment model: every amount the deal makes payable, who pays it and to whom.

Several keys make something payable (the royalty structure, the grant-back royalty, the
revenue share for a blocking improvement, the release payment). Every head that depends on
"is anything payable?" (the Royalties head's payment terms, taxes, audit, the insolvency
head's "fully paid-up", the German-licensor guardrail) reads this list, never the keys one
by one, so a payable key added later is seen everywhere once it is listed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clausesmith.deal import model
from clausesmith.inputs.dates import add_years

# Kinds, in the order the payment terms name them.
KINDS = ("royalty", "lump_sum", "grant_back_royalty", "blocking_share", "release_payment")
# Kinds that accrue on sales quarter by quarter (a statement, an audit and a defined base).
ON_SALES = frozenset({"royalty", "grant_back_royalty", "blocking_share"})


@dataclass(frozen=True)
class Payable:
    kind: str  # one of KINDS
    payer: str  # party key
    payee: str  # party key
    key: str  # the deal key that makes it payable, for messages

    @property
    def on_sales(self) -> bool:
        return self.kind in ON_SALES


@dataclass(frozen=True)
class Payments:
    """What templates and playbook conditions see as `payments`."""

    amounts: tuple[Payable, ...]

    def any(self) -> bool:
        return bool(self.amounts)

    def to(self, party: str) -> bool:
        """Whether anything is payable to `party` (a party key)."""
        return any(a.payee == party for a in self.amounts)

    def by(self, party: str) -> bool:
        return any(a.payer == party for a in self.amounts)

    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k in KINDS if any(a.kind == k for a in self.amounts))

    def kinds_to(self, party: str) -> tuple[str, ...]:
        return tuple(
            k for k in KINDS if any(a.kind == k and a.payee == party for a in self.amounts)
        )

    def has(self, kind: str) -> bool:
        return any(a.kind == kind for a in self.amounts)

    def on_sales(self) -> bool:
        """Whether anything accrues on sales: then Net Sales, statements and audit apply."""
        return any(a.on_sales for a in self.amounts)

    def fixed(self) -> bool:
        """Whether a fixed amount (lump sum, instalment, release payment) is payable."""
        return any(not a.on_sales for a in self.amounts)


def payments_of(deal: model.Deal) -> Payments:
    """Every amount payable under the deal, in the order of KINDS."""
    found: list[Payable] = []
    roy = deal.royalties
    if roy.structure != "royalty_free" and roy.payer is not None:
        payee = deal.other(roy.payer).key
        if roy.structure == "lump_sum":
            key = "royalties.instalments" if roy.instalments else "royalties.lump_sum"
            found.append(Payable("lump_sum", roy.payer, payee, key))
        else:
            found.append(Payable("royalty", roy.payer, payee, "royalties.structure"))
    gb = deal.grant_back
    if gb.applies():  # the grant-back runs both ways: each party may owe the other
        for kind, key, holds in (
            ("grant_back_royalty", "grant_back.royalty", gb.royalty == "bearing"),
            ("blocking_share", "grant_back.blocking", gb.blocking == "revenue_share"),
        ):
            if holds:
                found += [Payable(kind, p.key, deal.other(p.key).key, key) for p in deal.parties]
    release = deal.release
    if release.payment is not None and release.scope != "none":
        pay = release.payment
        found.append(
            Payable("release_payment", pay.payer, deal.other(pay.payer).key, "release.payment")
        )
    order = {k: i for i, k in enumerate(KINDS)}
    return Payments(tuple(sorted(found, key=lambda a: order[a.kind])))


@dataclass(frozen=True)
class RoyaltyPeriod:
    """How long the balancing royalty accrues at the latest, as far as the deal says."""

    end: dt.date | None  # None: not known (licences for the life of patents with no expiry)
    by: str  # "term": the Agreement's term ends it | "expiry": the payee's last patent does

    def years(self, start: dt.date) -> int | None:
        """Whole years from `start` to the end (at least one); None when the end is unknown."""
        if self.end is None:
            return None
        years = (
            self.end.year - start.year - ((self.end.month, self.end.day) < (start.month, start.day))
        )
        return max(years, 1)


def last_expiry(deal: model.Deal, owner: str) -> dt.date | None:
    """The last stated expiry of `owner`'s scheduled families; None when any is not stated
    (or the schedule lists examples of a portfolio only)."""
    families = [f for f in deal.patents.families if f.owner == owner]
    if deal.patents.scope != "scheduled" or not families or any(f.expiry is None for f in families):
        return None
    return max(f.expiry for f in families if f.expiry is not None)


def royalty_period(deal: model.Deal) -> RoyaltyPeriod:
    """Royalties stop when the payee's last Licensed Patent expires, or with the term where
    the licences end with it: the Annex B model stops there too."""
    roy = deal.royalties
    expiry = last_expiry(deal, deal.other(roy.payer).key) if roy.payer else None
    years = deal.term.years
    term_end = add_years(deal.deal.effective_date, years) if years is not None else None
    if deal.duration.licences_last == "end_of_term" and term_end is not None:
        if expiry is not None and expiry < term_end:
            return RoyaltyPeriod(expiry, "expiry")
        return RoyaltyPeriod(term_end, "term")
    return RoyaltyPeriod(expiry, "expiry")


def problems(deal: model.Deal) -> list[tuple[tuple[str, ...], str]]:
    """Keys that need something payable, in a deal where nothing is: (path, message)."""
    found: list[tuple[tuple[str, ...], str]] = []
    if deal.duration.non_payment_days is not None and not payments_of(deal).any():
        found.append(
            (
                ("duration", "non_payment_days"),
                "nothing is payable under the deal (no royalty or balancing payment, no "
                "grant-back royalty or revenue share, no release payment), so there is no "
                "payment to miss; set non_payment_days: null",
            )
        )
    return found
