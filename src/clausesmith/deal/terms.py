"""Payment structures, grant-back milestones, blocking protection, patent diligence and the
keyed "Other Terms" positions (#14): the parts of the deal format that give real portfolio
cross-licences their payment and grant-back mechanics.

Read here from a validated, defaulted deal into frozen dataclasses; the sections and keys
they extend (royalties, grant_back, patents, challenge) are built in load.py, which calls
the functions below for the new keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# The new section of this module, in the order the deal format lists it.
SECTIONS = ("other_terms",)


@dataclass(frozen=True)
class Instalment:
    date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class ScheduledRate:
    """The rate (running) or the rates band by band (tiered) in force from a date."""

    start: dt.date  # `from` in the file; a Python keyword
    rate_pct: Decimal | None
    rates_pct: tuple[Decimal, ...]


@dataclass(frozen=True)
class Milestone:
    event: str
    effect: str  # starts | lapses
    by: dt.date | None  # the long-stop date


@dataclass(frozen=True)
class Representation:
    by: str  # party key
    text: str  # what the party represents, completing "represents that ..."
    remedy: str = "none"  # none: no ground for a claim or for termination


@dataclass(frozen=True)
class OtherTerms:
    freedom_to_operate: str  # each_party | knowledge_warranty
    marking: str  # on_request | virtual | none
    export_control: str  # standard | none
    notices: str  # addresses_and_email | addresses_only
    representations: tuple[Representation, ...] = ()


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def royalty_terms(r: dict[str, Any]) -> dict[str, Any]:
    """The #14 keys of `royalties`, keyed as model.Royalties' fields."""
    return {
        "instalments": tuple(
            Instalment(i["date"], _dec(i["amount"])) for i in r.get("instalments") or ()
        ),
        "rate_schedule": tuple(
            ScheduledRate(
                s["from"],
                None if s.get("rate_pct") is None else _dec(s["rate_pct"]),
                tuple(_dec(x) for x in s.get("rates_pct") or ()),
            )
            for s in r.get("rate_schedule") or ()
        ),
        "confidential": bool(r.get("confidential")),
        "taxes": r.get("taxes") or "withheld",
    }


def grant_back_terms(g: dict[str, Any]) -> dict[str, Any]:
    """The #14 keys of `grant_back`, keyed as model.GrantBack's fields."""
    share = g.get("blocking_share_pct")
    return {
        "milestones": tuple(
            Milestone(m["event"], m["effect"], m.get("by")) for m in g.get("milestones") or ()
        ),
        "blocking": g.get("blocking") or "veto",
        "blocking_share_pct": None if share is None else _dec(share),
    }


def family_terms(f: dict[str, Any]) -> dict[str, Any]:
    """A patent family's diligence record, keyed as model.PatentFamily's fields."""
    return {
        "status": f.get("status"),
        "expiry": f.get("expiry"),
        "diligence": None if f.get("diligence") is None else tuple(f["diligence"]),
    }


def build(d: dict[str, Any]) -> dict[str, Any]:
    """The new sections of a validated, defaulted deal, keyed as Deal's fields."""
    other = d["other_terms"]
    return {
        "other_terms": OtherTerms(
            other["freedom_to_operate"],
            other["marking"],
            other["export_control"],
            other["notices"],
            tuple(
                Representation(r["by"], r["text"], r.get("remedy") or "none")
                for r in other.get("representations") or ()
            ),
        )
    }
