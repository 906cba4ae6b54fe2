"""The deal's shape is declared twice on purpose: the cerberus schema (for located messages)
and the typed model (what every later stage reads). These tests hold the two to the same
keys and compatible types, key by key, and the shipped playbook to a default for every key
the schema lets a deal leave out without a value of its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any

import pytest

from clausesmith.deal import model
from clausesmith.deal.build import file_key
from clausesmith.deal.schema import DEAL_SCHEMA
from clausesmith.library.playbook import load_playbook
from clausesmith.resources import bundled

SCALARS: dict[Any, str] = {
    str: "string",
    int: "integer",
    bool: "boolean",
    Decimal: "number",
    dt.date: "date",
}


def optional(hint: Any) -> tuple[bool, Any]:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        return True, next(a for a in args if a is not type(None))
    return False, hint


def disagreements(cls: type[Any], schema: dict[str, Any], where: str) -> list[str]:
    """Every way the dataclass `cls` and the cerberus mapping `schema` differ."""
    found: list[str] = []
    hints = typing.get_type_hints(cls)
    fields = {file_key(f): f for f in dataclasses.fields(cls) if f.metadata.get("file", True)}
    for key in schema.keys() - fields.keys():
        found.append(f"{where}{key}: in the schema, not in model.{cls.__name__}")
    for key in fields.keys() - schema.keys():
        found.append(f"{where}{key}: in model.{cls.__name__}, not in the schema")
    for key in schema.keys() & fields.keys():
        field, rules = fields[key], schema[key]
        found += field_disagreements(hints[field.name], rules, field, f"{where}{key}")
    return found


def field_disagreements(
    hint: Any, rules: dict[str, Any], field: dataclasses.Field[Any] | None, where: str
) -> list[str]:
    is_optional, inner = optional(hint)
    is_list = typing.get_origin(inner) is tuple
    nullable = bool(rules.get("nullable"))
    derived = field is not None and field.metadata.get("derived", False)
    found: list[str] = []
    if is_optional and not nullable:
        found.append(f"{where}: the model allows None, the schema refuses null")
    if nullable and not is_optional and not is_list and not derived:
        found.append(f"{where}: the schema allows null, the model has no None")
    # neither the deal nor the playbook must give it (a section a deal may leave out is the
    # playbook's, whole)
    needed = field is not None and not is_optional and not is_list and not derived
    if needed and "required" not in rules and where not in model.DEFAULTABLE_SECTIONS:
        found.append(f"{where}: the model needs a value the deal may leave out")
    return found + type_disagreements(inner, rules, where)


def type_disagreements(hint: Any, rules: dict[str, Any], where: str) -> list[str]:
    kind, origin, args = rules.get("type"), typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        if kind != "dict" or "schema" not in rules:
            return [f"{where}: a {hint.__name__} in the model, {kind} in the schema"]
        return disagreements(typing.cast(type[Any], hint), rules["schema"], f"{where}.")
    if origin is typing.Literal:
        values = set(args)
        if set(rules.get("allowed", ())) != values:
            return [
                f"{where}: the model allows {sorted(map(str, values))}, the schema "
                f"{sorted(map(str, rules.get('allowed', ())))}"
            ]
        kinds = {type(v) for v in values}
        # true and false beside named values (terminate_on_insolvency: true | elective | ...)
        expected: str | list[str] = (
            "integer" if kinds == {int} else ["boolean", "string"] if bool in kinds else "string"
        )
        return [] if kind == expected else [f"{where}: {kind} in the schema, {expected} values"]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            if kind == "dict" and "valuesrules" in rules:  # {key: value} read as pairs
                pair = typing.get_args(args[0])
                return type_disagreements(pair[1], rules["valuesrules"], f"{where}.*")
            if kind != "list":
                return [f"{where}: a tuple in the model, {kind} in the schema"]
            return field_disagreements(args[0], rules.get("schema", {}), None, f"{where}[]")
        if kind != "list" or rules.get("minlength") != len(args) != rules.get("maxlength"):
            return [f"{where}: {len(args)} items in the model, not so in the schema"]
        return [
            problem
            for arg in set(args)
            for problem in type_disagreements(arg, rules["schema"], f"{where}[]")
        ]
    if "allowed" in rules:
        return [f"{where}: the schema allows {rules['allowed']}, the model any {hint}"]
    if SCALARS.get(hint) != kind:
        return [f"{where}: {hint} in the model, {kind} in the schema"]
    return []


def test_the_schema_and_the_model_agree_key_by_key() -> None:
    assert disagreements(model.Deal, DEAL_SCHEMA, "") == []


def test_a_key_only_in_the_schema_or_only_in_the_model_is_named() -> None:
    schema = {**DEAL_SCHEMA, "newkey": {"type": "string", "required": False}}
    assert disagreements(model.Deal, schema, "") == ["newkey: in the schema, not in model.Deal"]
    term = {k: v for k, v in DEAL_SCHEMA["term"]["schema"].items() if k != "sell_off_months"}
    schema = {**DEAL_SCHEMA, "term": {**DEAL_SCHEMA["term"], "schema": term}}
    assert disagreements(model.Deal, schema, "") == [
        "term.sell_off_months: in model.Term, not in the schema"
    ]


@pytest.mark.parametrize(
    ("path", "rules", "expected"),
    [
        (
            ("term", "ends"),
            {"type": "string", "allowed": ["fixed_years"], "required": False},
            "the model allows",
        ),
        (("term", "years"), {"type": "integer", "required": True}, "the model allows None"),
        (("audit", "per_year"), {"type": "number", "required": True}, "int"),
        (
            ("governance", "clean_team"),
            {"type": "boolean", "nullable": True, "required": False},
            "no None",
        ),
        (("governance", "clean_team"), {"type": "boolean"}, "may leave out"),
    ],
)
def test_an_incompatible_type_is_named(
    path: tuple[str, str], rules: dict[str, Any], expected: str
) -> None:
    section, key = path
    inner = {**DEAL_SCHEMA[section]["schema"], key: rules}
    schema = {**DEAL_SCHEMA, section: {**DEAL_SCHEMA[section], "schema": inner}}
    found = disagreements(model.Deal, schema, "")
    assert len(found) == 1 and found[0].startswith(f"{section}.{key}:") and expected in found[0]


def playbook_filled(schema: dict[str, Any], path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Paths (list items as `[]`) of the keys a deal may leave out but not hold null: the
    playbook is their only source."""
    found: list[tuple[str, ...]] = []
    for key, rules in schema.items():
        if rules.get("required") is False and not rules.get("nullable"):
            found.append((*path, key))
        inner = rules.get("schema", {})
        if rules.get("type") == "dict" and "schema" in rules:
            found += playbook_filled(inner, (*path, key))
        elif rules.get("type") == "list" and inner.get("type") == "dict":
            found += playbook_filled(inner["schema"], (*path, key, "[]"))
    return found


def test_the_shipped_playbook_gives_every_key_only_it_can_fill() -> None:
    defaults = load_playbook(bundled("playbooks"), "cross-licence-standard").defaults
    paths = playbook_filled(DEAL_SCHEMA, ())
    assert ("parties", "[]", "address_kind") in paths and ("royalties", "base") in paths
    for path in paths:
        if "[]" in path:
            index = len(path) - 1 - path[::-1].index("[]")
            default = defaults["each"][".".join(p for p in path[:index] if p != "[]")]
        else:
            default = defaults[path[0]]
            for part in path[1:-1]:
                default = default[part]
        assert default.get(path[-1]) is not None, path
    for section in model.DEFAULTABLE_SECTIONS:  # whole sections too, with every key
        assert set(defaults[section]) == set(DEAL_SCHEMA[section]["schema"]), section
