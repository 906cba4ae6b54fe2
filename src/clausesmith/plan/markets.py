"""Guardrails 6 and 7: market shares per regime, and market allocation, on the country set.

Which regimes apply follows from the Territory (as countries) and where the parties are
established; which rules of a regime follows from the Agreement's effective date
(docs/legal-basis.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from clausesmith.deal import model
from clausesmith.plan.planned_deal import Check, Hit, PlannedDeal
from clausesmith.plan.territory import EU, countries, describe, home, names
from clausesmith.templating.formatting import country, date, join_and, percent

NEW_RULES = dt.date(2026, 5, 1)  # Regulation (EU) 2026/877 and the UK Order apply
COMPETITORS_MAX = Decimal(20)  # EU Art 3(1); US §4.3 (collectively)
EACH_MAX = Decimal(30)  # EU Art 3(2), non-competitors
SUBSTITUTES_MIN = 4  # US §4.3, technology and research markets
SHARES = "relationship.market_share_pct"


def reach(deal: model.Deal, members: frozenset[str], region: str) -> str | None:
    """Why a regime reaches the deal ("the Territory includes ..."), or None."""
    reasons = []
    inside = countries(deal.territory) & members
    if inside:
        listed = names(inside) if len(inside) <= 3 else f"{len(inside)} {region} countries"
        reasons.append(f"the Territory includes {listed}")
    for party in deal.parties:
        if home(party) in members:
            reasons.append(f"{party.short_name} is established in {country(home(party))}")
    return join_and(reasons) if reasons else None


def _pct(value: Decimal) -> str:
    return percent(value, "en-GB")


def _stated(deal: model.Deal) -> str:
    rel = deal.relationship
    if rel.market_share_pct is None:
        return f"no market shares ({SHARES} is not given)"
    if rel.competitors:
        return f"a combined share of {_pct(rel.share('combined') or Decimal(0))}"
    return "shares of " + join_and(
        [f"{_pct(rel.share(p.key) or Decimal(0))} ({p.short_name})" for p in deal.parties]
    )


def _shares_path(deal: model.Deal) -> str:
    """Where the shares are, or the key that makes them matter when they are not given."""
    return SHARES if deal.relationship.market_share_pct else "relationship.competitors"


def _effective(deal: model.Deal) -> str:
    return date(deal.deal.effective_date, "en-GB")


def _outside_art3(deal: model.Deal) -> bool:
    rel = deal.relationship
    if rel.market_share_pct is None:
        return rel.competitors  # no safe harbour can be assumed between competitors
    if rel.competitors:
        return (rel.share("combined") or Decimal(0)) > COMPETITORS_MAX
    return any((rel.share(p.key) or Decimal(0)) > EACH_MAX for p in deal.parties)


def eu_market_share(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    why = reach(deal, EU, "EU")
    if why is None or not _outside_art3(deal):
        return []
    old = deal.deal.effective_date < NEW_RULES
    regime = (
        f"Regulation (EU) 316/2014 (the Agreement takes effect on {_effective(deal)}, before "
        "1 May 2026; an agreement in force on 30 April 2026 that met it stays exempt to "
        "30 April 2027, and Regulation (EU) 2026/877 applies after)"
        if old
        else f"Regulation (EU) 2026/877 (the Agreement takes effect on {_effective(deal)}, "
        "on or after 1 May 2026)"
    )
    threshold = (
        "at most 20% combined on each relevant market, as the parties compete"
        if deal.relationship.competitors
        else "at most 30% for each party on each relevant market, as the parties do not compete"
    )
    years = "two" if old else "three"
    # The grace period keeps the exemption only for an agreement whose shares were within
    # the threshold at the start: never for one that starts above it or with shares unknown.
    grace = (
        f"the {years}-year grace period of Art 8(e) does not help: it keeps the exemption only "
        "where the shares were within the threshold when the Agreement began, which the deal "
        "does not show"
    )
    facts = {"reach": why, "regime": regime, "share": _stated(deal), "threshold": threshold}
    return [Hit(_shares_path(deal), {**facts, "grace": grace})]


def uk_market_share(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    why = reach(deal, frozenset({"GB"}), "UK")
    if why is None:
        return []
    order = "the Competition Act 1998 (Technology Transfer Agreements Block Exemption) Order 2026"
    if deal.deal.effective_date < NEW_RULES:
        regime = (
            f"The Agreement takes effect on {_effective(deal)}: the assimilated Regulation "
            "316/2014 applies to 30 April 2026, an agreement in force then that met it stays "
            f"exempt to 30 April 2027 (as firms' notes report), and {order} applies after."
        )
    else:
        regime = f"The Agreement takes effect on {_effective(deal)}, so {order} applies."
    return [Hit(_shares_path(deal), {"reach": why, "regime": regime, "share": _stated(deal)})]


def us_market_share(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    why = reach(deal, frozenset({"US"}), "US")
    rel = deal.relationship
    if why is None:
        return []
    substitutes = rel.substitute_technologies
    if substitutes is not None and substitutes >= SUBSTITUTES_MIN:
        return []
    if rel.market_share_pct is None:
        if not rel.competitors:
            return []
        share = f"no market shares ({SHARES} is not given)"
    else:
        if rel.competitors:
            together = rel.share("combined") or Decimal(0)
            if together <= COMPETITORS_MAX:
                return []
            share = f"a collective share of {_pct(together)}"
        else:
            # Non-competitors are in different markets: their shares are not added; each
            # market needs its own share within the zone.
            over = [p for p in deal.parties if (rel.share(p.key) or Decimal(0)) > COMPETITORS_MAX]
            if not over:
                return []
            share = join_and(
                [
                    f"{_pct(rel.share(p.key) or Decimal(0))} for {p.short_name} in its own market"
                    for p in over
                ]
            )
    stated = (
        "relationship.substitute_technologies is not given"
        if substitutes is None
        else f"the deal states {substitutes}"
    )
    return [Hit(_shares_path(deal), {"reach": why, "share": share, "substitutes": stated})]


def market_allocation(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    if not deal.relationship.competitors:
        return []
    reached = countries(deal.territory)
    left_out = [p for p in deal.parties if home(p) not in reached]
    if not left_out:
        return []
    markets = join_and(
        [f"{country(home(p))} ({home(p)}), the home market of {p.short_name}" for p in left_out]
    )
    excluded = countries(model.Territory(deal.territory.exclude, ()))
    path = (
        "territory.exclude" if any(home(p) in excluded for p in left_out) else "territory.include"
    )
    facts = {"territory": describe(deal.territory), "left_out": markets, "law": _allocation(deal)}
    return [Hit(path, facts)]


def _allocation(deal: model.Deal) -> str:
    """What the law of each regime that reaches the deal makes of a market allocation."""
    laws = []
    if reach(deal, EU, "EU"):
        laws.append(
            "a hardcore restriction under Art 4(1)(c) of Regulation (EU) 2026/877 (the same "
            "article of Regulation (EU) 316/2014) that takes the whole agreement out of the "
            "block exemption"
        )
    if reach(deal, frozenset({"GB"}), "UK"):
        laws.append(
            "in the UK a hardcore restriction too (the Order keeps the hardcore list, as "
            "firms' notes report; its text was not verified)"
        )
    if reach(deal, frozenset({"US"}), "US"):
        laws.append(
            "market division that the US agencies challenge under the per se rule (DOJ/FTC "
            "Guidelines §5.5)"
        )
    if not laws:
        return "which the playbook never accepts between competitors"
    return "; ".join(laws)


CHECKS = {
    "eu_market_share": Check(("reach", "regime", "share", "threshold", "grace"), eu_market_share),
    "uk_market_share": Check(("reach", "regime", "share"), uk_market_share),
    "us_market_share": Check(("reach", "share", "substitutes"), us_market_share),
    "market_allocation": Check(("territory", "left_out", "law"), market_allocation),
}
