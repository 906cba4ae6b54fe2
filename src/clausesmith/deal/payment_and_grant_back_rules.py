"""Cross-field rules for payments (instalments, rates keyed to dates, a confidential
schedule) and for the grant-back's milestones and blocking protection: invalid input,
refused before any rule runs.

Runs only on data the schema accepted, so types are known here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from clausesmith.inputs.dates import add_years
from clausesmith.inputs.numbers import number_text

Issue = tuple[tuple[str | int, ...], str]  # (path, message)


def check(data: dict[str, Any]) -> list[Issue]:
    return [
        *_instalments(data),
        *_rate_schedule(data),
        *_patents_in_time(data),
        *_currency(data),
        *_confidential(data),
        *_milestones(data),
        *_blocking(data),
    ]


def _instalments(data: dict[str, Any]) -> Iterator[Issue]:
    roy = data["royalties"]
    items = roy.get("instalments") or []
    if not items:
        return
    path = ("royalties", "instalments")
    if roy["structure"] != "lump_sum":
        yield (
            path,
            f"instalments divide a lump sum, and structure is {roy['structure']}; "
            "set structure: lump_sum with lump_sum: the total, or instalments: []",
        )
        return
    total = sum(Decimal(str(i["amount"])) for i in items)
    lump = roy.get("lump_sum")
    if lump is not None and total != Decimal(str(lump)):
        yield (
            path,
            f"the instalments sum to {number_text(total)} but lump_sum is {number_text(lump)}; "
            "make the amounts add up to lump_sum",
        )
    signed = data["deal"]["date"]
    for i, item in enumerate(items):
        if item["date"] < signed:
            yield (
                (*path, i, "date"),
                f"an instalment falls due after the term sheet is dated ({signed.isoformat()}); "
                f"got {item['date'].isoformat()}",
            )
        elif i and item["date"] <= items[i - 1]["date"]:
            yield (
                (*path, i, "date"),
                "instalments are listed in date order, each after the one before; "
                f"{item['date'].isoformat()} is not after {items[i - 1]['date'].isoformat()}",
            )


def _rate_schedule(data: dict[str, Any]) -> Iterator[Issue]:
    roy = data["royalties"]
    steps = roy.get("rate_schedule") or []
    if not steps:
        return
    path = ("royalties", "rate_schedule")
    structure = roy["structure"]
    if structure not in ("running", "tiered"):
        yield (
            path,
            f"a rate schedule changes a running or tiered royalty's rates, and structure is "
            f"{structure}; set rate_schedule: []",
        )
        return
    start: dt.date = data["deal"]["effective_date"]
    years = data["term"].get("years")  # None: the term runs to the last patent's expiry
    end = None if years is None else add_years(start, years)
    bands = len(roy.get("tiers") or [])
    for i, step in enumerate(steps):
        here = (*path, i)
        when = step["from"]
        if when <= start or (end is not None and when >= end):
            before = "" if end is None else f" and before the term ends ({end.isoformat()})"
            yield (
                (*here, "from"),
                f"a scheduled rate starts after the Effective Date ({start.isoformat()}){before}; "
                f"got {when.isoformat()}",
            )
        elif i and when <= steps[i - 1]["from"]:
            yield (
                (*here, "from"),
                "scheduled rates are listed in date order, each after the one before; "
                f"{when.isoformat()} is not after {steps[i - 1]['from'].isoformat()}",
            )
        if structure == "running" and (step.get("rate_pct") is None or step.get("rates_pct")):
            yield (
                here,
                "a running royalty's schedule gives one rate from each date; "
                "write {from: YYYY-MM-DD, rate_pct: N}",
            )
        if structure == "tiered" and (
            step.get("rate_pct") is not None or len(step.get("rates_pct") or []) != bands
        ):
            yield (
                here,
                f"a tiered royalty's schedule gives a rate for each of the {bands} bands from "
                "each date, in the order of tiers; write {from: YYYY-MM-DD, rates_pct: ["
                + ", ".join(["N"] * bands)
                + "]}",
            )


def _patents_in_time(data: dict[str, Any]) -> Iterator[Issue]:
    """A family that has expired licenses nothing; a rate scheduled after the payee's last
    stated expiry charges for patents that no longer exist."""
    start: dt.date = data["deal"]["effective_date"]
    families = data["patents"].get("families") or []
    for i, family in enumerate(families):
        expiry = family.get("expiry")
        if expiry is not None and expiry <= start:
            yield (
                ("patents", "families", i, "expiry"),
                f"the family {family['ref']} expires on {expiry.isoformat()}, on or before the "
                f"Effective Date ({start.isoformat()}), so it has nothing left to license; take "
                "it out of patents.families",
            )
    roy = data["royalties"]
    payer, steps = roy.get("payer"), roy.get("rate_schedule") or []
    if not steps or payer is None or data["patents"].get("scope", "scheduled") != "scheduled":
        return
    owned = [f for f in families if f["owner"] != payer]
    if not owned or any(f.get("expiry") is None for f in owned):
        return  # an expiry not stated: the last one is not known
    last = max(f["expiry"] for f in owned)
    payee = next(p for p in data["parties"] if p["key"] != payer)
    for i, step in enumerate(steps):
        if step["from"] > last:
            yield (
                ("royalties", "rate_schedule", i, "from"),
                f"a scheduled rate from {step['from'].isoformat()} starts after the last "
                f"Licensed Patent of {payee.get('short_name') or payee['key']} expires "
                f"({last.isoformat()}), when no royalty accrues; give a date on or before "
                f"{last.isoformat()}, or remove the step",
            )


def _currency(data: dict[str, Any]) -> Iterator[Issue]:
    """Every amount payable has a currency: the grant-back's amounts use the royalties'."""
    roy, gb = data["royalties"], data["grant_back"]
    if roy.get("currency") is not None:
        return
    applies = gb["scope"] != "none" and gb.get("collaboration") is not None
    owed = [
        name
        for name, holds in (
            ("the grant-back royalty", gb["royalty"] == "bearing"),
            ("the revenue share for Blocking Improvements", gb["blocking"] == "revenue_share"),
        )
        if applies and holds
    ]
    if owed:
        yield (
            ("royalties", "currency"),
            f"{' and '.join(owed)} {'is' if len(owed) == 1 else 'are'} paid in the currency of "
            "the royalties; give currency: an ISO 4217 code such as EUR",
        )


def _confidential(data: dict[str, Any]) -> Iterator[Issue]:
    roy, gb = data["royalties"], data["grant_back"]
    pays = (
        roy["structure"] != "royalty_free"
        or gb["royalty"] == "bearing"
        or gb["blocking"] == "revenue_share"
    )
    if roy["confidential"] and not pays:
        yield (
            ("royalties", "confidential"),
            "the licences are royalty-free and no grant-back royalty or revenue share is "
            "payable, so there is no rate to keep confidential; set confidential: false",
        )


def _milestones(data: dict[str, Any]) -> Iterator[Issue]:
    gb = data["grant_back"]
    items = gb.get("milestones") or []
    if not items:
        return
    path = ("grant_back", "milestones")
    if gb["scope"] == "none":
        yield (
            path,
            "milestones start or end a grant-back, and grant_back.scope is none; "
            "set milestones: []",
        )
        return
    start: dt.date = data["deal"]["effective_date"]
    starts = [i for i, m in enumerate(items) if m["effect"] == "starts"]
    for i in starts[1:]:
        yield (
            (*path, i, "effect"),
            "only one milestone may start the grant-back; make this one lapses, or "
            "describe both events in one milestone",
        )
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item["event"] in seen:
            yield ((*path, i, "event"), f"the milestone {item['event']!r} is listed twice")
        seen.add(item["event"])
        if item.get("by") is not None and item["by"] <= start:
            yield (
                (*path, i, "by"),
                f"a milestone's long-stop date falls after the Effective Date "
                f"({start.isoformat()}); got {item['by'].isoformat()}",
            )


def _blocking(data: dict[str, Any]) -> Iterator[Issue]:
    gb = data["grant_back"]
    share = gb.get("blocking_share_pct")
    if gb["blocking"] == "revenue_share" and share is None:
        yield (
            ("grant_back", "blocking_share_pct"),
            "revenue sharing for a blocking improvement needs the share; "
            "give blocking_share_pct: N (a percentage of Net Sales)",
        )
    if gb["blocking"] != "revenue_share" and share is not None:
        yield (
            ("grant_back", "blocking_share_pct"),
            f"only revenue sharing has a share, and blocking is {gb['blocking']}; "
            "set blocking_share_pct: null",
        )
