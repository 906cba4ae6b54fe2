"""The axes of the matrix: every allowed value of every enumerated key of the deal schema,
the companion change each needs to make a valid deal, and the combinations that interact.
The matrix renders them; counsel's read of the deliverables reads them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from clausesmith.deal.schema import DEAL_SCHEMA
from helpers.deals import deep_merge

# Keys whose values need a companion change to make a valid deal.
COMPANIONS: dict[tuple[str, Any], dict[str, Any]] = {
    # The terms real cross-licences are signed on.
    ("duration.non_payment_amounts", "undisputed"): {"duration": {"non_payment_days": 30}},
    ("duration.non_payment_amounts", "any"): {"duration": {"non_payment_days": 30}},
    ("affiliates.control_test", "at_least"): {"affiliates": {"licensed": "subsidiaries"}},
    ("royalties.structure", "tiered"): {
        "royalties": {
            "tiers": [
                {"up_to": 10000000, "rate_pct": 2.0},
                {"up_to": 50000000, "rate_pct": 1.5},
                {"up_to": None, "rate_pct": 1.0},
            ]
        }
    },
    ("royalties.structure", "lump_sum"): {"royalties": {"lump_sum": 2500000, "cap": None}},
    ("royalties.structure", "royalty_free"): {"royalties": {"cap": None}},
    ("challenge.no_challenge", True): {"challenge": {"right_of_challenge": False}},
    ("grant_back.royalty", "bearing"): {"grant_back": {"royalty_rate_pct": 1.5}},
    ("deal.governing_law", "new-york"): {},
    ("dispute_resolution.courts.exclusive", True): {
        "dispute_resolution": {"arbitration": None, "courts": {"place": "England and Wales"}}
    },
    ("dispute_resolution.courts.exclusive", False): {
        "dispute_resolution": {"arbitration": None, "courts": {"place": "England and Wales"}}
    },
    # The heads of a real cross-licence.
    ("release.scope", "one_way"): {
        "release": {
            "releasing_party": "acme",
            "payment": {"amount": 4000000, "currency": "EUR", "payer": "beta"},
        }
    },
    ("insolvency.german_licensor", "security"): {},
    # What real portfolio cross-licences need.
    ("term.ends", "last_patent_expiry"): {
        "term": {"years": None, "renewal": "none", "renewal_years": None}
    },
    ("governance.form", "none"): {"grant_back": {"collaboration": None}},
    # Payments, grant-back mechanics and other terms.
    ("grant_back.blocking", "revenue_share"): {"grant_back": {"blocking_share_pct": 3}},
}


def enumerated(schema: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, list[Any]]]:
    """(dotted key, allowed values) for every enumerated or boolean key of the deal schema."""
    for key, rule in schema.items():
        path = f"{prefix}{key}"
        if "allowed" in rule and rule.get("type") != "list":
            yield path, list(rule["allowed"])
        elif rule.get("type") == "boolean":
            yield path, [False, True]
        elif rule.get("type") == "dict" and "schema" in rule:
            yield from enumerated(rule["schema"], path + ".")


AXES = [(k, v) for k, values in enumerated(DEAL_SCHEMA) for v in values if k not in {"clausesmith"}]


def change(path: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    node = out
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return deep_merge(out, COMPANIONS.get((path, value), {}))


GRANT_BACK_PAIRS = list(
    itertools.product(
        ["none", "collaboration_improvements", "non_severable_improvements", "all_improvements"],
        ["non_exclusive", "exclusive"],
        ["free", "bearing"],
    )
)


CAP_PAIRS = list(
    itertools.product(
        ["royalty_free", "running", "tiered", "lump_sum"], ["annual", "lifetime", None]
    )
)


CHALLENGE = list(itertools.product([False, True], repeat=3))
