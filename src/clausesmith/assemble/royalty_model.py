"""Annex B: the royalty each scenario of projected net sales would yield, with the cap applied,
and its sensitivity: where the cap starts to bind, and what a review's maximum move does.

Decimal throughout; every amount is rounded half-up to whole units of currency, once, at
the end of each calculation, so a reader can redo the sums by hand.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from clausesmith.deal import model

WHOLE = Decimal("1")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class ScenarioRow:
    scenario: str
    net_sales: Decimal
    royalty_before_cap: Decimal
    cap: Decimal | None
    payable: Decimal
    years_to_lifetime_cap: int | None  # lifetime caps only: the year the cap is reached


def round_whole(value: Decimal) -> Decimal:
    return value.quantize(WHOLE, rounding=ROUND_HALF_UP)


def royalty_on(sales: Decimal, royalties: model.Royalties) -> Decimal:
    """The royalty on one year's sales before any cap; tiers apply band by band."""
    if royalties.structure == "running":
        assert royalties.rate_pct is not None
        return round_whole(sales * royalties.rate_pct / HUNDRED)
    if royalties.structure == "tiered":
        total, floor = Decimal(0), Decimal(0)
        for tier in royalties.tiers:
            ceiling = sales if tier.up_to is None else min(sales, tier.up_to)
            if ceiling > floor:
                total += (ceiling - floor) * tier.rate_pct / HUNDRED
            floor = max(floor, ceiling)
        return round_whole(total)
    raise ValueError(f"no royalty model for structure {royalties.structure}")


def scenario_rows(royalties: model.Royalties, term_years: int | None) -> tuple[ScenarioRow, ...]:
    """`term_years`: the whole years in which royalties accrue (payments.royalty_period: the
    term, or the payee's last expiry); None when the deal does not bound them."""
    if royalties.scenarios is None or royalties.structure not in ("running", "tiered"):
        return ()
    cap = royalties.cap
    rows = []
    for name in ("worst", "base", "best"):
        sales = getattr(royalties.scenarios, name)
        before = royalty_on(sales, royalties)
        payable = min(before, cap.amount) if cap else before
        years = None
        if cap and cap.period == "lifetime" and before > 0:
            years = int(-(-cap.amount // before))  # ceiling: the year the running total hits it
            years = years if term_years is None or years <= term_years else None
        rows.append(ScenarioRow(name, sales, before, cap.amount if cap else None, payable, years))
    return tuple(rows)


# ---- sensitivity: where the cap starts to bind, and a review's maximum move ------

RATE_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ReviewCase:
    direction: str  # up | down
    rates_pct: tuple[Decimal, ...]  # the rate (running) or each band's rate (tiered)
    royalty_before_cap: Decimal  # on base-case net sales
    payable: Decimal


@dataclass(frozen=True)
class Sensitivity:
    # Annual net sales at which the royalty reaches the cap (a lifetime cap: reaches it by
    # the end of the term, at the same sales every year); None without a cap.
    cap_binding_sales: Decimal | None
    # The single rate at which base-case net sales reach the cap (the same way).
    cap_binding_rate_pct: Decimal | None
    reviews: tuple[ReviewCase, ...]  # up and down by max_adjustment_pct; () without reviews


def _rates(royalties: model.Royalties) -> tuple[Decimal, ...]:
    if royalties.structure == "running":
        assert royalties.rate_pct is not None
        return (royalties.rate_pct,)
    return tuple(t.rate_pct for t in royalties.tiers)


def _with_rates(royalties: model.Royalties, rates: tuple[Decimal, ...]) -> model.Royalties:
    if royalties.structure == "running":
        return dataclasses.replace(royalties, rate_pct=rates[0])
    tiers = tuple(
        dataclasses.replace(t, rate_pct=r) for t, r in zip(royalties.tiers, rates, strict=True)
    )
    return dataclasses.replace(royalties, tiers=tiers)


def _sales_for(royalty: Decimal, royalties: model.Royalties) -> Decimal:
    """The annual net sales whose royalty (band by band) is exactly `royalty`."""
    if royalties.structure == "running":
        assert royalties.rate_pct is not None
        return royalty * HUNDRED / royalties.rate_pct
    paid, floor = Decimal(0), Decimal(0)
    for tier in royalties.tiers:
        band = None if tier.up_to is None else (tier.up_to - floor) * tier.rate_pct / HUNDRED
        if band is None or paid + band >= royalty:
            return floor + (royalty - paid) * HUNDRED / tier.rate_pct
        paid += band
        floor = tier.up_to if tier.up_to is not None else floor
    raise ValueError("the last tier is open-ended")  # crosscheck.py guarantees it


def sensitivity(royalties: model.Royalties, term_years: int | None) -> Sensitivity | None:
    """`term_years`: the whole years in which royalties accrue; None when the deal does not
    bound them, so a lifetime cap has no year it must be reached by, and only an annual cap
    gives the cap's figures."""
    if royalties.scenarios is None or royalties.structure not in ("running", "tiered"):
        return None
    cap = royalties.cap
    base = royalties.scenarios.base
    sales = rate = None
    if cap is not None and (cap.period == "annual" or term_years is not None):
        years = term_years if cap.period == "lifetime" and term_years is not None else 1
        per_year = cap.amount / years
        sales = round_whole(_sales_for(per_year, royalties))
        if base > 0:
            rate = (per_year * HUNDRED / base).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
    reviews: list[ReviewCase] = []
    if royalties.review_every_months is not None and royalties.max_adjustment_pct:
        for direction, sign in (("up", 1), ("down", -1)):
            factor = 1 + sign * royalties.max_adjustment_pct / HUNDRED
            rates = tuple(r * factor for r in _rates(royalties))
            before = royalty_on(base, _with_rates(royalties, rates))
            payable = min(before, cap.amount) if cap else before
            reviews.append(ReviewCase(direction, rates, before, payable))
    return Sensitivity(sales, rate, tuple(reviews))
