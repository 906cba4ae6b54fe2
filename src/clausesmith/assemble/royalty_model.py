"""Annex B: the royalty each scenario of projected net sales would yield, with the cap applied.

Decimal throughout; every amount is rounded half-up to whole units of currency, once, at
the end of each calculation, so a reader can redo the sums by hand.
"""

from __future__ import annotations

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
    """`term_years` None: a term to the last patent's expiry, which bounds no year (#14)."""
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
