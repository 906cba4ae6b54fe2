"""Restraints written outside the keys made for them: every scope key and free text.

A customer or territory allocation in an Excluded Product, a no-challenge in a milestone or
a definition, a price or output limit in a collaboration: each reaches the rule it would
reach as a keyed position, with the key path and the line of the deal file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.plan import free_text
from clausesmith.plan.guardrails import Finding
from clausesmith.resources import Sources
from helpers.deals import ROOT

INPUTS = Inputs(Sources.resolve(library=ROOT / "clause_library", playbooks=ROOT / "playbooks"))
Variant = Callable[..., Path]


AFTER_CHALLENGE = "products made after Beta challenges the validity"
PRICE = "CL-17-PRICE-OUTPUT-RESEARCH"


def found(path: Path) -> dict[str, list[Finding]]:
    by_rule: dict[str, list[Finding]] = {}
    for finding in plan_deal(path, INPUTS).findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    return by_rule


def per_licensee(acme: list[str], beta: list[str]) -> dict[str, Any]:
    return {
        "field": {
            "per_licensee": [
                {"licensee": "acme", "excluded_products": acme},
                {"licensee": "beta", "excluded_products": beta},
            ]
        }
    }


def test_customer_and_region_exclusions_between_competitors_block_at_their_line(
    variant: Variant,
) -> None:
    path = variant(
        per_licensee(
            [
                "robotic arms sold to customers established in Germany",
                "arms sold to automotive OEMs",
            ],
            ["robotic arms sold in North or South America"],
        )
    )
    hits = found(path)["CL-07-SCOPE-ALLOCATION"]
    assert all(f.blocks for f in hits)
    where = {f.where.rsplit(":", 2)[0].rsplit("/", 1)[-1] for f in hits}
    assert where == {"deal.yaml"}
    first = hits[0].message
    assert first.startswith(
        'The parties compete and field.per_licensee[0].excluded_products[0] says "robotic arms '
        'sold to customers established in Germany" (\u201cGermany\u201d), which limits a '
        "licence by place, customer or channel."
    )
    assert "Art 4(1)(c)" in first and "Sherman Act §1" in first
    paths = [f.message.split(" says ")[0].rsplit(" ", 1)[-1] for f in hits[:3]]
    assert paths == [
        "field.per_licensee[0].excluded_products[0]",
        "field.per_licensee[0].excluded_products[1]",
        "field.per_licensee[1].excluded_products[0]",
    ]


def test_an_uneven_split_between_competitors_blocks_even_in_technical_words(
    variant: Variant,
) -> None:
    path = variant(per_licensee(["six-axis robotic arms"], ["grippers for glass panels"]))
    [hit] = found(path)["CL-07-SCOPE-ALLOCATION"]
    assert "gives Acme and Beta different licences as licensee" in hit.message
    assert hit.blocks


def test_an_even_technical_split_is_only_the_field_of_use_warning(variant: Variant) -> None:
    path = variant(per_licensee(["six-axis robotic arms"], ["six-axis robotic arms"]))
    rules = found(path)
    assert "CL-07-SCOPE-ALLOCATION" not in rules
    assert "CL-15-FIELD-PER-LICENSEE" in rules


def test_the_same_allocation_between_non_competitors_is_a_finding_not_a_block(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    acme_data["relationship"] = {"competitors": False, "market_share_pct": {"acme": 10, "beta": 10}}
    acme_data["field"].update(
        per_licensee(["arms sold to automotive OEMs"], ["arms sold to automotive OEMs"])["field"]
    )
    path = write_deal(acme_data)
    rules = found(path)
    assert "CL-07-SCOPE-ALLOCATION" not in rules
    hits = [f for f in rules["CL-18-RESTRICTION-TO-ASSESS"] if "OEMs" in f.message]
    assert [f.severity for f in hits] == ["warn", "warn"]


@pytest.mark.parametrize(
    ("changes", "rule", "path"),
    [
        (
            {
                "grant_back": {
                    "milestones": [
                        {
                            "event": "the date on which the requesting party challenges the "
                            "validity of any Licensed Patent",
                            "effect": "lapses",
                        }
                    ]
                }
            },
            "CL-05-TERMINATION-ON-CHALLENGE",
            "grant_back.milestones[0].event",
        ),
        (
            per_licensee(
                ["products made after Beta challenges the validity"],
                ["products made after Beta challenges the validity"],
            ),
            "CL-05-TERMINATION-ON-CHALLENGE",
            "field.per_licensee[0].excluded_products[0]",
        ),
        (
            {
                "definitions": [
                    {
                        "term": "Challenge Termination Event",
                        "meaning": "the day on which the other party may terminate all licences",
                    }
                ]
            },
            "CL-05-TERMINATION-ON-CHALLENGE",
            "definitions[0].term",
        ),
        (
            {
                "grant_back": {
                    "collaboration": "joint design of a gripper; neither party will "
                    "oppose the other's patents at the EPO"
                }
            },
            "CL-04-NO-CHALLENGE",
            "grant_back.collaboration",
        ),
    ],
)
def test_a_challenge_in_any_free_text_goes_to_the_challenge_rules(
    variant: Variant, changes: dict[str, Any], rule: str, path: str
) -> None:
    hits = found(variant(changes))
    [hit] = [f for f in hits[rule] if path in f.message]
    assert hit.blocks
    assert hit.message.startswith(path) or f" {path} " in hit.message


def test_a_flagged_definition_is_never_advised_to_be_made_operative(variant: Variant) -> None:
    path = variant(
        {
            "definitions": [
                {
                    "term": "Challenge Termination Event",
                    "meaning": "the day on which the other party may terminate all licences",
                }
            ]
        }
    )
    rules = found(path)
    assert "CL-05-TERMINATION-ON-CHALLENGE" in rules
    assert "CS-05-UNUSED-DEFINITION" not in rules


@pytest.mark.parametrize(
    ("text", "rule", "law"),
    [
        ("each party will sell robotic arms at no less than the list price", PRICE, "Art 4(1)(a)"),
        ("neither party will make more than 10,000 units a year", PRICE, "Art 4(1)(b)"),
        ("Beta will not develop competing gripper technology", PRICE, "Art 4(1)(d)"),
        ("Acme sells only to customers in Japan", "CL-07-SCOPE-ALLOCATION", "Art 4(1)(c)"),
    ],
)  # fmt: skip
def test_price_output_and_research_restraints_in_words_block_between_competitors(
    variant: Variant, text: str, rule: str, law: str
) -> None:
    hits = found(variant({"grant_back": {"collaboration": f"joint design of a gripper; {text}"}}))
    [hit] = hits[rule]
    assert hit.blocks and law in hit.message
    assert "grant_back.collaboration" in hit.message


def test_the_reference_deal_has_free_text_and_none_of_it_restrains(
    acme_data: dict[str, Any], variant: Variant
) -> None:
    path = variant({})
    rules = found(path)
    for rule in (
        "CL-07-SCOPE-ALLOCATION",
        "CL-17-PRICE-OUTPUT-RESEARCH",
        "CL-18-RESTRICTION-TO-ASSESS",
    ):
        assert rule not in rules


def test_party_addresses_and_the_seat_are_not_read_as_allocations() -> None:
    assert not free_text.is_free_text("parties[].address")
    assert not free_text.is_free_text("dispute_resolution.arbitration.seat")
    assert free_text.is_free_text("definitions[].meaning")
    assert free_text.is_free_text("field.per_licensee[].excluded_products[]")


@pytest.mark.parametrize(
    "text",
    [
        "grippers with opposing fingers for challenging environments",
        "the joint development of a force-controlled gripper module",
        "robotic arms for automotive assembly lines",
    ],
)
def test_technical_words_are_not_restraints(text: str) -> None:
    hits = free_text.classify(free_text.Text("x", "grant_back.collaboration", text))
    assert hits == []
