"""The term sheet's annexes, built from the deal and the annex clauses' parts: the patent
schedule (Annex A, with each family's status and expiry when any is stated), the royalty
model with its sensitivity table, and the grant-back review scorecard, written the way the
deal's locale writes figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clausesmith.assemble.document_model import (
    Annexes,
    PatentAnnex,
    PatentRow,
    RoyaltyAnnex,
    RoyaltyRow,
    ScorecardAnnex,
    ScorecardRow,
    SensitivityRow,
)
from clausesmith.assemble.royalty_model import scenario_rows, sensitivity
from clausesmith.deal import model
from clausesmith.deal.payments import royalty_period
from clausesmith.errors import InvalidInput
from clausesmith.library.annex_parts import declaration_problem, split_parts
from clausesmith.plan.planner import Choice
from clausesmith.templating import formatting

NOT_STATED = "Not stated"


# A slot's rendered paragraphs, each with the part of an annex clause it belongs to.
Marked = tuple[tuple[str | None, str], ...]
Parts = dict[str, tuple[str, ...]]


def _parts(
    kind: str, annexes: dict[str, tuple[Choice, str]], marked: dict[str, Marked]
) -> tuple[Parts | None, str | None]:
    """The `kind` annex clause's paragraphs by the part names its front matter declares."""
    if kind not in annexes:
        return None, None
    choice, letter = annexes[kind]
    clause = choice.clause
    # lint checks the declaration too, but a library is rendered without being linted
    if bad := declaration_problem(clause, kind):
        raise InvalidInput([bad])
    return split_parts(clause.path, clause.parts, marked[choice.slot]), letter


def annexes_of(
    deal: model.Deal,
    patents_letter: str | None,
    chosen: dict[str, tuple[Choice, str]],
    marked: dict[str, Marked],
) -> Annexes:
    """The annexes of the term sheet; `chosen` maps an annex kind to its clause's choice
    and letter, `marked` each slot's rendered paragraphs."""
    return Annexes(
        patents=_patent_annex(deal, patents_letter),
        royalty_model=_royalty_annex(deal, *_parts("royalty_model", chosen, marked)),
        scorecard=_scorecard_annex(deal, *_parts("scorecard", chosen, marked)),
    )


def _patent_annex(deal: model.Deal, letter: str | None) -> PatentAnnex:
    """The schedule; under a portfolio licence its families are examples only, and
    with none listed there is no annex (no letter, no rows). With a family's status, expiry
    or diligence stated, the status and expiry columns."""
    if letter is None:
        return PatentAnnex(title="", rows=())
    status_columns = _has_status_columns(deal)
    rows = tuple(_patent_row(deal, f, status_columns) for f in deal.patents.families)
    name = (
        "Examples of Licensed Patents"
        if all(deal.patents.scope_of(p.key) == "portfolio" for p in deal.parties)
        else "Patent Schedule"
    )
    return PatentAnnex(title=f"Annex {letter}: {name}", rows=rows, status_columns=status_columns)


def _royalty_annex(
    deal: model.Deal, parts: Parts | None, letter: str | None
) -> RoyaltyAnnex | None:
    roy = deal.royalties
    rows = scenario_rows(roy, royalty_period(deal).years(deal.deal.effective_date))
    if not rows or parts is None or letter is None:
        return None
    assert roy.currency is not None
    locale = deal.deal.locale

    def money(value: Any) -> str:
        return formatting.money(value, str(roy.currency), locale)

    return RoyaltyAnnex(
        title=f"Annex {letter}: Royalty Model",
        intro=parts["intro"][0],
        notes=parts["notes"],
        rows=tuple(
            RoyaltyRow(
                scenario=r.scenario.capitalize(),
                net_sales=money(r.net_sales),
                royalty_before_cap=money(r.royalty_before_cap),
                cap=money(r.cap) if r.cap is not None else "No cap",
                payable=money(r.payable),
            )
            for r in rows
        ),
        sensitivity=_sensitivity_rows(deal),
    )


_CRITERIA = (
    ("necessity", "Necessity"),
    ("value_contribution", "Value contribution"),
    ("sales_velocity_impact", "Impact on sales velocity"),
)


def _scorecard_annex(
    deal: model.Deal, parts: Parts | None, letter: str | None
) -> ScorecardAnnex | None:
    if parts is None or letter is None:
        return None
    review = deal.governance.grant_back_review
    locale = deal.deal.locale
    return ScorecardAnnex(
        title=f"Annex {letter}: Grant-Back Review Scorecard",
        intro=parts["intro"][0],
        rows=tuple(
            ScorecardRow(
                criterion=label,
                weight=formatting.percent(getattr(review, key), locale),
                description=parts[key][0],
            )
            for key, label in _CRITERIA
        ),
        threshold=parts["threshold"][0],
        notes=parts["notes"],
    )


def _has_status_columns(deal: model.Deal) -> bool:
    """Whether any family states a status, expiry or diligence: only then the status and
    expiry columns print (the diligence itself never does)."""
    return any(
        f.status is not None or f.expiry is not None or f.diligence is not None
        for f in deal.patents.families
    )


def _patent_row(deal: model.Deal, family: model.PatentFamily, with_status: bool) -> PatentRow:
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


def _sensitivity_rows(deal: model.Deal) -> tuple[SensitivityRow, ...]:
    roy = deal.royalties
    period = royalty_period(deal)
    found = sensitivity(roy, period.years(deal.deal.effective_date))
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
    ends = (
        " by the end of the term"
        if period.by == "term"
        else f" by the expiry of {deal.other(str(roy.payer)).short_name}'s last Licensed Patent"
    )
    reached = ends if lifetime else ""
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
