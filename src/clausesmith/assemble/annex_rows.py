"""Rows #14 adds to the annexes: each patent family's status and expiry (Annex A) and
the royalty model's sensitivity table, written the way the deal's locale writes figures.
"""

from __future__ import annotations

from decimal import Decimal

from clausesmith.assemble.document_model import PatentRow, SensitivityRow
from clausesmith.assemble.royalty_model import sensitivity
from clausesmith.deal import model
from clausesmith.templating import formatting

NOT_STATED = "Not stated"


def has_status_columns(deal: model.Deal) -> bool:
    """Whether any family states a status, expiry or diligence: only then the status and
    expiry columns print (the diligence itself never does)."""
    return any(
        f.status is not None or f.expiry is not None or f.diligence is not None
        for f in deal.patents.families
    )


def patent_row(deal: model.Deal, family: model.PatentFamily, with_status: bool) -> PatentRow:
    row = PatentRow(
        owner=deal.party(family.owner).short_name, ref=family.ref, title=family.title or NOT_STATED
    )
    if not with_status:
        return row
    return PatentRow(
        owner=row.owner,
        ref=row.ref,
        title=row.title,
        status=family.status.capitalize() if family.status else NOT_STATED,
        expiry=formatting.date(family.expiry, deal.deal.locale) if family.expiry else NOT_STATED,
    )


def sensitivity_rows(deal: model.Deal) -> tuple[SensitivityRow, ...]:
    roy = deal.royalties
    found = sensitivity(roy, deal.term.years)
    if found is None:
        return ()
    assert roy.currency is not None
    locale = deal.deal.locale

    def money(value: Decimal) -> str:
        return formatting.money(value, str(roy.currency), locale)

    def percents(values: tuple[Decimal, ...]) -> str:
        shown = [formatting.percent(v, locale) for v in values]
        return formatting.join_and(shown, serial=locale == "en-US")

    rows = []
    lifetime = roy.cap is not None and roy.cap.period == "lifetime"
    reached = " by the end of the term" if lifetime else ""
    cap = "the lifetime Royalty Cap" if lifetime else "the Royalty Cap"
    if found.cap_binding_sales is not None:
        rows.append(
            SensitivityRow(
                f"Annual net sales at which {cap} is reached{reached}",
                money(found.cap_binding_sales),
            )
        )
    if found.cap_binding_rate_pct is not None:
        rows.append(
            SensitivityRow(
                f"Single rate at which base-case net sales reach {cap}{reached}",
                formatting.percent(found.cap_binding_rate_pct, locale),
            )
        )
    tiered = roy.structure == "tiered"
    assert roy.max_adjustment_pct is not None or not found.reviews
    for case in found.reviews:
        moved = "raising" if case.direction == "up" else "lowering"
        what = "each rate" if tiered else "the rate"
        label = (
            f"Base-case royalty after a review {moved} {what} by "
            f"{formatting.percent(roy.max_adjustment_pct or Decimal(0), locale)} "
            f"(to {percents(case.rates_pct)})"
        )
        value = money(case.payable)
        if case.payable != case.royalty_before_cap:
            value += f" ({money(case.royalty_before_cap)} before the cap)"
        rows.append(SensitivityRow(label, value))
    return tuple(rows)
