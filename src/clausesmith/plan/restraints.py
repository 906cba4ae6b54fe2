"""Guardrails 4, 5, 7 and 14 on every key: restraints written anywhere in the deal.

The keyed positions (`challenge.no_challenge`, `challenge.termination_on_challenge`) and
what the free-text screen (`free_text.py`) finds in any other key go to the same rules: a
grant-back milestone that lapses on a challenge is a termination on challenge (CL-05) as
surely as the flag is. Geography, customers and channels in a scope key are a market or
customer allocation between competitors (CL-07-SCOPE), and so is a per-licensee split that
leaves one competitor a narrower licence than the other; prices, output and a party's own
research are the hardcore restraints of Art 4(1)(a), (b) and (d) (CL-17). Between
non-competitors the same words are a finding counsel assess (CL-18), not a block.
"""

from __future__ import annotations

from clausesmith.deal import model
from clausesmith.plan import free_text
from clausesmith.plan.planned_deal import Check, Hit, PlannedDeal

_WHAT = {
    "allocation": "limits a licence by place, customer or channel",
    "price": "restricts a party's prices",
    "output": "limits a party's output or quantities",
    "research": "restricts a party's own technology or research and development",
}
_LAW = {
    "price": "Art 4(1)(a)",
    "output": "Art 4(1)(b)",
    "research": "Art 4(1)(d)",
}


def _said(hit: free_text.Hit) -> str:
    return f"{hit.text.path} says {hit.quote()} (\u201c{hit.words}\u201d)"


def _text_hits(stage: PlannedDeal, kinds: tuple[str, ...]) -> list[free_text.Hit]:
    return [h for h in free_text.screen(stage.deal) if h.kind in kinds]


def no_challenge(stage: PlannedDeal) -> list[Hit]:
    hits = []
    if stage.deal.challenge.no_challenge:
        hits.append(
            Hit(
                "challenge.no_challenge",
                {
                    "what": "The deal contains a promise not to challenge the other party's "
                    "patents (challenge.no_challenge is true)",
                    "remedy": "Set challenge.no_challenge to false (and "
                    "challenge.right_of_challenge to true)",
                },
            )
        )
    for hit in _text_hits(stage, ("challenge",)):
        hits.append(
            Hit(
                hit.text.path,
                {
                    "what": f"{_said(hit)}: a term tied to a challenge of validity, written "
                    "into free text, which can restrain a party from challenging",
                    "remedy": f"Take the challenge out of {hit.text.path}",
                },
            )
        )
    return hits


def termination_on_challenge(stage: PlannedDeal) -> list[Hit]:
    hits = []
    if stage.deal.challenge.termination_on_challenge:
        hits.append(
            Hit(
                "challenge.termination_on_challenge",
                {
                    "what": "The licensor may terminate if its patents are challenged "
                    "(challenge.termination_on_challenge is true)",
                    "remedy": "Set challenge.termination_on_challenge to false",
                },
            )
        )
    for hit in _text_hits(stage, ("ends_on_challenge",)):
        hits.append(
            Hit(
                hit.text.path,
                {
                    "what": f"{_said(hit)}: a licence or grant-back that ends, lapses or "
                    "narrows on a challenge of validity, written into free text",
                    "remedy": f"Take the challenge out of {hit.text.path}",
                },
            )
        )
    return hits


def _scope_of(deal: model.Deal, key: str) -> tuple[frozenset[str], frozenset[str]]:
    """A party's licence as licensee: its field's names, and the products excluded."""
    names = set()
    for segment in deal.field.for_licensee(key):
        names.add(segment.segment)
        names.update(segment.product_categories)
    own = deal.field.of(key)
    return frozenset(names), frozenset(own.excluded_products if own else ())


def _uneven_split(deal: model.Deal) -> Hit | None:
    """A per-licensee split that leaves one party a narrower licence than the other."""
    if not deal.field.per_licensee:
        return None
    a, b = deal.parties
    scope_a, scope_b = _scope_of(deal, a.key), _scope_of(deal, b.key)
    if scope_a == scope_b:
        return None
    index = next(i for i, x in enumerate(deal.field.per_licensee))
    return Hit(
        f"field.per_licensee[{index}]",
        {
            "allocation": f"field.per_licensee gives {a.short_name} and {b.short_name} "
            "different licences as licensee (a different Licensed Field or different "
            "Excluded Products), so one competitor is kept out of products the other may "
            "make under its licence",
            "remedy": "Give both parties the same Licensed Field and Excluded Products",
        },
    )


def scope_allocation(stage: PlannedDeal) -> list[Hit]:
    """CL-07-SCOPE: between competitors, an allocation in any scope key or free text."""
    deal = stage.deal
    if not deal.relationship.competitors:
        return []
    hits = []
    for hit in _text_hits(stage, ("allocation",)):
        hits.append(
            Hit(
                hit.text.path,
                {
                    "allocation": f"{_said(hit)}, which {_WHAT['allocation']}",
                    "remedy": f"Write {hit.text.path} by technology or product, not by where "
                    "or to whom products are sold",
                },
            )
        )
    uneven = _uneven_split(deal)
    if uneven is not None:
        hits.append(uneven)
    return hits


def hardcore_text(stage: PlannedDeal) -> list[Hit]:
    """CL-17: between competitors, prices, output or own research restricted in words."""
    if not stage.deal.relationship.competitors:
        return []
    return [
        Hit(
            hit.text.path,
            {
                "restraint": f"{_said(hit)}, which {_WHAT[hit.kind]}",
                "law": _LAW[hit.kind],
                "remedy": f"Take the restriction out of {hit.text.path}",
            },
        )
        for hit in _text_hits(stage, ("price", "output", "research"))
    ]


def restraints_to_assess(stage: PlannedDeal) -> list[Hit]:
    """CL-18: the same words between non-competitors, for counsel to assess."""
    if stage.deal.relationship.competitors:
        return []
    return [
        Hit(
            hit.text.path,
            {
                "restraint": f"{_said(hit)}, which {_WHAT[hit.kind]}",
                "remedy": f"Take the restriction out of {hit.text.path}, or have counsel "
                "confirm that it fits the block exemption between non-competitors and record "
                "that as an acknowledgement",
            },
        )
        for hit in _text_hits(stage, ("allocation", "price", "output", "research"))
    ]


CHECKS = {
    "no_challenge": Check(("what", "remedy"), no_challenge),
    "termination_on_challenge": Check(("what", "remedy"), termination_on_challenge),
    "scope_allocation": Check(("allocation", "remedy"), scope_allocation),
    "hardcore_text": Check(("restraint", "law", "remedy"), hardcore_text),
    "restraints_to_assess": Check(("restraint", "remedy"), restraints_to_assess),
}
