"""What a key of the deal format may hold, in words, from the one cerberus schema: the
comments `clausesmith new` writes beside each key, and the JSON Schema's descriptions."""

from __future__ import annotations

from typing import Any

from clausesmith.inputs.validator import EMAIL, PARTY_KEY, SLUG

CHECKS = {
    "jurisdiction": "ISO 3166-1 alpha-2 code (DE) or ISO 3166-2 code (US-DE)",
    "region": "ISO 3166-1 alpha-2 code (JP), or WORLD, EU, EEA",
    "currency": "ISO 4217 code (EUR, USD)",
}
REGEX_WORDS = {
    SLUG: "lowercase words joined by hyphens (acme-beta-2026)",
    PARTY_KEY: "a lowercase word (acme)",
    EMAIL: "an email address",
}


def describe(rules: dict[str, Any]) -> str:
    """`none | mutual | automatic`, `whole number, at least 1`, `YYYY-MM-DD`..."""
    words = _words(rules)
    hint = rules.get("meta", {}).get("hint")
    if hint:  # the schema's own guidance for a key whose form is not enough (courts.place)
        words += f" ({hint})"
    if rules.get("nullable") and not rules.get("required"):
        words += "; optional"
    elif rules.get("required"):
        words += "; required"
    return words


def _words(rules: dict[str, Any]) -> str:
    kind = rules.get("type")
    if "allowed" in rules:
        # as a deal file spells them: true | false beside named values, never True | False
        return " | ".join(
            str(v).lower() if isinstance(v, bool) else str(v) for v in rules["allowed"]
        )
    if kind == "date":
        return "a date, YYYY-MM-DD"
    if kind == "boolean":
        return "true | false"
    if kind == "list":
        return f"a list of: {_words(rules.get('schema', {}))}"
    if kind == "dict":
        if "schema" in rules:
            return "{" + ", ".join(rules["schema"]) + "}"
        return f"a mapping of key: {_words(rules.get('valuesrules', {}))}"
    if rules.get("check_with") in CHECKS:
        return CHECKS[rules["check_with"]]
    if kind in ("integer", "number"):
        return _number(kind, rules)
    if "regex" in rules:
        return REGEX_WORDS.get(rules["regex"], "text")
    return f"text, at most {rules['maxlength']} characters" if "maxlength" in rules else "text"


def _number(kind: str, rules: dict[str, Any]) -> str:
    noun = "whole number" if kind == "integer" else "number"
    if rules.get("check_with") == "positive":
        return f"{noun} above 0" + (f", at most {rules['max']}" if "max" in rules else "")
    low, high = rules.get("min"), rules.get("max")
    if low is not None and high is not None:
        return f"{noun} from {low} to {high}"
    return f"{noun}, at least {low}" if low is not None else noun
