"""The deal format as a JSON Schema, generated from the one cerberus schema (deal/schema.py).

Editors use it while a paralegal types (VS Code's YAML support reads the
`# yaml-language-server: $schema=...` line that `clausesmith new` writes): keys complete,
allowed values are offered, a misspelt key is underlined. It is a first line of help, not
the judge: `clausesmith validate` still decides, with the checks a JSON Schema cannot state
(ISO codes looked up, cross-field rules, the playbook's guardrails). Dates are text in the
form YYYY-MM-DD, as JSON and YAML editors see them."""

from __future__ import annotations

from typing import Any

from clausesmith.deal.describe import describe
from clausesmith.deal.model import DEFAULTABLE_SECTIONS
from clausesmith.deal.schema import DEAL_SCHEMA

SCHEMA_ID = "https://clausesmith.invalid/deal.schema.json"
TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
# check_with rules that a pattern can state (the lookups themselves stay in validate)
PATTERNS = {
    "jurisdiction": r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
    "region": r"^([A-Z]{2}|WORLD|EU|EEA)$",
    "currency": r"^[A-Z]{3}$",
}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def deal_json_schema() -> dict[str, Any]:
    schema = _mapping(DEAL_SCHEMA)
    for section in DEFAULTABLE_SECTIONS:  # the playbook fills in every key left out
        schema["properties"][section]["required"] = []
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "clausesmith deal specification",
        "description": "Written by `clausesmith schema` from the schema `validate` uses.",
        **schema,
    }


def _mapping(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {key: _field(rules) for key, rules in fields.items()},
        "required": [key for key, rules in fields.items() if rules.get("required")],
        "additionalProperties": False,
    }


def _field(rules: dict[str, Any]) -> dict[str, Any]:
    out = _value(rules)
    if rules.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    if rules:
        out["description"] = describe(rules)  # what an editor shows on hover
    return out


def _value(rules: dict[str, Any]) -> dict[str, Any]:
    kind = rules.get("type")
    if kind == "date":
        return dict(DATE)
    if kind == "dict":
        if "schema" in rules:
            return _mapping(rules["schema"])
        return {"type": "object", "additionalProperties": _field(rules.get("valuesrules", {}))}
    if kind == "list":
        out: dict[str, Any] = {"type": "array", "items": _field(rules.get("schema", {}))}
        _bounds(out, rules, "minItems", "maxItems")
        return out
    if isinstance(kind, list):  # true, false or a named value (terminate_on_insolvency)
        out = {"type": [TYPES[k] for k in kind if k in TYPES]}
    else:
        out = {"type": TYPES[kind]} if kind in TYPES else {}
    if "allowed" in rules:
        out["enum"] = list(rules["allowed"])
    if "min" in rules:
        out["minimum"] = rules["min"]
    if "max" in rules:
        out["maximum"] = rules["max"]
    if rules.get("check_with") == "positive":
        out["exclusiveMinimum"] = 0
    if rules.get("check_with") in PATTERNS:
        out["pattern"] = PATTERNS[rules["check_with"]]
    if "regex" in rules:
        out["pattern"] = rules["regex"]
    if kind == "string":
        _bounds(out, rules, "minLength", "maxLength")
        if rules.get("empty") is False:
            out.setdefault("minLength", 1)
    return out


def _bounds(out: dict[str, Any], rules: dict[str, Any], low: str, high: str) -> None:
    if "minlength" in rules:
        out[low] = rules["minlength"]
    if "maxlength" in rules:
        out[high] = rules["maxlength"]
