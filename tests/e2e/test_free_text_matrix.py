"""Every free-text key of the deal, each carrying each restraint: none gets past.

The keys come from the deal schema (every text key `free_text` screens), filled into the
reference deal one at a time; the restraints are a challenge, a customer allocation, a price
and an output limit. A property test writes such sentences from parts, so the rule is
tested, not the examples.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clausesmith.deal.schema import DEAL_SCHEMA
from clausesmith.errors import InvalidInput
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.plan import free_text
from clausesmith.resources import Sources
from helpers.deals import ACME

INPUTS = Inputs(Sources.resolve())
REFERENCE: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))

# What each restraint must reach, between competitors.
RESTRAINTS = {
    "challenge": (
        "the licence lapses if the licensee challenges the validity of a Licensed Patent",
        {"CL-04-NO-CHALLENGE", "CL-05-TERMINATION-ON-CHALLENGE"},
    ),
    "allocation": ("only robotic arms sold to customers in Japan", {"CL-07-SCOPE-ALLOCATION"}),
    "price": ("arms sold at no less than the list price", {"CL-17-PRICE-OUTPUT-RESEARCH"}),
    "output": (
        "no more than 5,000 units a year made by either party",
        {"CL-17-PRICE-OUTPUT-RESEARCH"},
    ),
}
# Where a free-text key lives in a deal, as the smallest valid entry that holds it.
HOLDERS: dict[str, Any] = {
    "patents.families[].title": lambda t: {
        "patents": {"families": [{**REFERENCE["patents"]["families"][0], "title": t}]}
    },
    "field.licensed[].segment": lambda t: {
        "field": {"licensed": [{"segment": t, "product_categories": ["robotic arms"]}]}
    },
    "field.licensed[].product_categories[]": lambda t: {
        "field": {"licensed": [{"segment": "industrial automation", "product_categories": [t]}]}
    },
    "field.excluded[]": lambda t: {"field": {"excluded": [t]}},
    "field.per_licensee[].licensed[].segment": lambda t: _both(
        {"licensed": [{"segment": t, "product_categories": ["robotic arms"]}]}
    ),
    "field.per_licensee[].licensed[].product_categories[]": lambda t: _both(
        {"licensed": [{"segment": "industrial automation", "product_categories": [t]}]}
    ),
    "field.per_licensee[].excluded_products[]": lambda t: _both({"excluded_products": [t]}),
    "grant_back.collaboration": lambda t: {"grant_back": {"collaboration": t}},
    "grant_back.milestones[].event": lambda t: {
        "grant_back": {"milestones": [{"event": t, "effect": "lapses"}]}
    },
    "carve_outs.sensitive_fields[].name": lambda t: {
        "carve_outs": {
            "sensitive_fields": [{"key": "s", "name": t, "owner": "acme", "licence": "excluded"}]
        },
        "side_letters": [],
    },
    "related_agreements[].title": lambda t: {
        "related_agreements": [{"title": t, "date": "2020-01-01", "effect": "leaves_in_force"}]
    },
    "definitions[].term": lambda t: {"definitions": [{"term": t[:60], "meaning": "a robot"}]},
    "definitions[].meaning": lambda t: {"definitions": [{"term": "Cobot", "meaning": t}]},
    "side_letters[].title": lambda t: {
        "side_letters": [{**REFERENCE["side_letters"][0], "title": t}]
    },
}


def _both(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "field": {
            "per_licensee": [
                {"licensee": "acme", **copy.deepcopy(entry)},
                {"licensee": "beta", **copy.deepcopy(entry)},
            ]
        }
    }


def schema_text_keys(rules: dict[str, Any] = DEAL_SCHEMA, prefix: str = "") -> Iterator[str]:
    for key, rule in rules.items():
        path = f"{prefix}{key}"
        yield from _keys(rule, path)


def _keys(rule: dict[str, Any], path: str) -> Iterator[str]:
    if rule.get("type") == "dict" and isinstance(rule.get("schema"), dict):
        yield from schema_text_keys(rule["schema"], path + ".")
    elif rule.get("type") == "list" and isinstance(rule.get("schema"), dict):
        yield from _keys(rule["schema"], path + "[]")
    elif free_text.is_free_text(path):
        yield path


def test_every_free_text_key_of_the_schema_has_a_holder_here() -> None:
    """A key added to the schema is screened at once; this test asks for its holder so that
    the matrix below covers it too."""
    keys = set(schema_text_keys())
    unscreened = {"grant_back.blocking", "carve_outs.sensitive_fields[].side_letter"}
    assert keys - set(HOLDERS) - unscreened <= {
        k for k in keys if re.search(r"(owner|licensee|payer|from|to|party)$", k)
    }


def _plan_rules(tmp_path: Path, changes: dict[str, Any]) -> set[str] | None:
    data = copy.deepcopy(REFERENCE)
    for section, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(section), dict):
            data[section] = {**data[section], **value}
        else:
            data[section] = value
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    try:
        return {f.rule for f in plan_deal(path, INPUTS).blocking}
    except InvalidInput:
        return None  # a key the deal format refuses to hold this text (e.g. a field clash)


@pytest.mark.parametrize("restraint", list(RESTRAINTS))
@pytest.mark.parametrize("key", list(HOLDERS))
def test_no_free_text_key_carries_a_restraint_past_the_guardrails(
    tmp_path: Path, key: str, restraint: str
) -> None:
    text, rules = RESTRAINTS[restraint]
    blocked = _plan_rules(tmp_path, HOLDERS[key](text))
    assert blocked is not None, f"{key} refused {text!r}"
    assert blocked & rules, f"{key} = {text!r} blocked only {sorted(blocked)}"


SUBJECTS = st.sampled_from(["Beta", "the licensee", "either party", "Acme", "neither party"])
PLACES = st.sampled_from(
    ["Germany", "France", "North America", "the Americas", "Asia", "the EU", "Japan", "Brazil"]
)
CUSTOMERS = st.sampled_from(["automotive OEMs", "customers", "distributors", "resellers"])
LIMITS = st.sampled_from(["only", "not", "except", "other than"])
CHALLENGES = st.sampled_from(
    [
        "challenges the validity of",
        "opposes",
        "files an inter partes review of",
        "brings a nullity action against",
        "seeks revocation of",
        "contests the validity of",
    ]
)


@st.composite
def restraint_sentences(draw: st.DrawFn) -> tuple[str, set[str]]:
    kind = draw(st.sampled_from(["challenge", "place", "customer", "price", "output"]))
    who = draw(SUBJECTS)
    if kind == "challenge":
        return (
            f"the grant-back ends on the day {who} {draw(CHALLENGES)} any Licensed Patent",
            {"CL-04-NO-CHALLENGE", "CL-05-TERMINATION-ON-CHALLENGE"},
        )
    if kind == "place":
        return (
            f"arms that {who} sells {draw(LIMITS)} in {draw(PLACES)}",
            {"CL-07-SCOPE-ALLOCATION"},
        )
    if kind == "customer":
        return (f"arms {who} sells {draw(LIMITS)} to {draw(CUSTOMERS)}", {"CL-07-SCOPE-ALLOCATION"})
    if kind == "price":
        return (f"{who} sells arms at no less than the list price", {"CL-17-PRICE-OUTPUT-RESEARCH"})
    return (f"{who} makes no more than 4,000 units a year", {"CL-17-PRICE-OUTPUT-RESEARCH"})


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    key=st.sampled_from(["grant_back.collaboration", "definitions[].meaning",
                         "field.per_licensee[].excluded_products[]",
                         "grant_back.milestones[].event", "related_agreements[].title"]),
    sentence=restraint_sentences(),
)  # fmt: skip
def test_any_sentence_of_a_restraint_is_stopped_in_any_key(
    tmp_path: Path, key: str, sentence: tuple[str, set[str]]
) -> None:
    text, rules = sentence
    blocked = _plan_rules(tmp_path, HOLDERS[key](text[:200]))
    assert blocked is not None and blocked & rules, (key, text, blocked)
