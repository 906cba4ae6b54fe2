"""What real portfolio cross-licences need (#14): licence scope per licensee, portfolio
licences and a dated capture period, a term to the last patent's expiry, earlier agreements
between the parties, and a deal's own defined terms.

The dataclasses the deal model holds for them, the reading of a validated deal into them,
and the one adjustment of the playbook's defaults they need (`settle_defaults`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

# Terms the term sheet defines itself (general/definitions and the heads); a deal's own
# definition may not reuse one, in any case or spacing.
BUILT_IN_TERMS = (
    "Affiliate",
    "Agreement",
    "Background IP",
    "Capture Period",
    "Collaboration",
    "Collaboration Improvements",
    "Committee",
    "Effective Date",
    "Excluded Field",
    "Excluded Products",
    "Improvement",
    "Licensed Field",
    "Licensed Patents",
    "Licensed Products",
    "Net Sales",
    "Non-Severable Improvement",
    "Pre-existing Licences",
    "Related Agreements",
    "Royalty Cap",
    "Sensitive Field",
    "Term Sheet",
    "Territory",
    "party",
    "parties",
)

# Keys of the term section that mean nothing when the term ends at the last expiry. The
# renegotiation window is not one: its right to revisit the rate runs in periods from the
# Effective Date, and matters more over a term as long as a patent's life.
_FIXED_TERM_KEYS = ("years", "renewal", "renewal_years")


@dataclass(frozen=True)
class Segment:
    segment: str
    product_categories: tuple[str, ...]


@dataclass(frozen=True)
class LicenseeScope:
    """One party's licence as licensee: its own field (empty: the common Licensed Field) and
    the products of the other party it is not licensed for."""

    licensee: str  # party key
    licensed: tuple[Segment, ...]
    excluded_products: tuple[str, ...]
    have_made: str | None = None  # none | own_designs | unrestricted; None: products.have_made


@dataclass(frozen=True)
class Amendment:
    title: str
    date: dt.date


@dataclass(frozen=True)
class RelatedAgreement:
    title: str
    date: dt.date
    effect: str  # amends | supersedes | leaves_in_force | not_stated (the Agreement will say)
    amended_by: tuple[Amendment, ...] = ()  # printed "as amended by ..."
    prevails_on: tuple[str, ...] = ()  # points on which this agreement prevails


@dataclass(frozen=True)
class Definition:
    term: str
    meaning: str


def segments(items: list[dict[str, Any]] | None) -> tuple[Segment, ...]:
    return tuple(
        Segment(s["segment"], tuple(s.get("product_categories") or ())) for s in items or ()
    )


def per_licensee(items: list[dict[str, Any]] | None) -> tuple[LicenseeScope, ...]:
    return tuple(
        LicenseeScope(
            x["licensee"],
            segments(x.get("licensed")),
            tuple(x.get("excluded_products") or ()),
            x.get("have_made"),
        )
        for x in items or ()
    )


def related_agreements(items: list[dict[str, Any]] | None) -> tuple[RelatedAgreement, ...]:
    return tuple(
        RelatedAgreement(
            x["title"],
            x["date"],
            x["effect"],
            tuple(Amendment(a["title"], a["date"]) for a in x.get("amended_by") or ()),
            tuple(x.get("prevails_on") or ()),
        )
        for x in items or ()
    )


def definitions(items: list[dict[str, Any]] | None) -> tuple[Definition, ...]:
    return tuple(Definition(x["term"], x["meaning"]) for x in items or ())


def settle_defaults(full: dict[str, Any], defaulted: list[str]) -> None:
    """A term to the last patent's expiry has no years or renewal: drop the ones the
    playbook filled in (a deal that types them is refused by crosscheck)."""
    term = full.get("term")
    if not isinstance(term, dict) or term.get("ends") != "last_patent_expiry":
        return
    for key in _FIXED_TERM_KEYS:
        if f"term.{key}" in defaulted:
            term[key] = "none" if key == "renewal" else None
