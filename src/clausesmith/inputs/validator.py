"""Cerberus, taught our checks and made to speak in the file's own terms."""

from __future__ import annotations

import difflib
import re
from typing import Any

import cerberus
from cerberus import errors as cerrors
from cerberus.schema import DefinitionSchema

from clausesmith.chars import not_one_line
from clausesmith.errors import Problem
from clausesmith.inputs.hints import choice_hint, country_hint, number_hint
from clausesmith.inputs.iso import REGIONS, is_country, is_currency, is_subdivision
from clausesmith.inputs.yamlio import Marks, PathKey, dotted

# Names that become file names: lowercase words joined by hyphens, nothing a path can abuse.
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PARTY_KEY = r"^[a-z][a-z0-9_]*$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# Names Windows refuses as file names, whatever the extension.
RESERVED_NAMES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


# Cerberus re-sorts its error list on every error, so n errors cost n squared comparisons: a
# small file with thousands of unknown keys would take minutes. Stop after this many.
MAX_ERRORS = 50


class _TooManyErrors(Exception):
    pass


class _CheckedSchema(DefinitionSchema):  # type: ignore[misc]
    """One of our own schemas: constants in the code, each checked against cerberus's rules
    by tests/test_schemas.py. Checking them again at every start would cost a deal render's
    worth of time (cerberus validates a schema with a validator of its own)."""

    def validate(self, schema: Any = None) -> None:
        pass


class SchemaValidator(cerberus.Validator):  # type: ignore[misc]
    """Cerberus with our checks, which stops once it has found MAX_ERRORS problems."""

    types_mapping = cerberus.Validator.types_mapping.copy()
    # YAML's true and false are ints to Python; a count or an amount is never a boolean.
    types_mapping["integer"] = cerberus.TypeDefinition("integer", (int,), (bool,))
    types_mapping["number"] = cerberus.TypeDefinition("number", (int, float), (bool,))

    def _error(self, *args: Any) -> None:
        # One list shared with every child validator (cerberus copies _config into them).
        seen: list[Any] = self._config.setdefault("seen_errors", [])
        new = len(args) >= 2 and not isinstance(args[1], str)  # not a bulk merge of children
        if new and len(seen) >= MAX_ERRORS:
            raise _TooManyErrors
        super()._error(*args)
        if new:
            seen.append(self.recent_error)

    def _check_with_printable(self, field: str, value: Any) -> None:
        if isinstance(value, str) and (bad := not_one_line(value)):
            self._error(field, bad)

    def _check_with_printable_block(self, field: str, value: Any) -> None:
        if isinstance(value, str) and (bad := not_one_line(value, multiline=True)):
            self._error(field, bad)

    def _check_with_positive(self, field: str, value: Any) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
            self._error(field, f"expected a positive number, got {value}")

    def _check_with_jurisdiction(self, field: str, value: Any) -> None:
        if isinstance(value, str) and not (is_country(value) or is_subdivision(value)):
            self._error(
                field,
                f"expected an ISO 3166-1 alpha-2 code (DE) or ISO 3166-2 code "
                f"(US-DE), got {value!r}" + country_hint(value, subdivisions=True),
            )

    def _check_with_region(self, field: str, value: Any) -> None:
        if isinstance(value, str) and not (value in REGIONS or is_country(value)):
            self._error(
                field,
                f"expected an ISO 3166-1 alpha-2 code or one of WORLD, EU, EEA, got {value!r}"
                + country_hint(value),
            )

    def _check_with_currency(self, field: str, value: Any) -> None:
        if isinstance(value, str) and not is_currency(value):
            self._error(field, f"expected an ISO 4217 currency code (EUR, USD), got {value!r}")

    def _check_with_filename(self, field: str, value: Any) -> None:
        if isinstance(value, str) and value.lower() in RESERVED_NAMES:
            self._error(field, f"{value!r} is a reserved file name on Windows; choose another")


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date written YYYY-MM-DD (ISO 8601, e.g. 2026-03-02)",
    "dict": "a mapping of keys",
    "list": "a list",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = repr(value) if isinstance(value, str) else str(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _message(error: Any, allowed_keys: list[str]) -> str:
    code, constraint, value = error.code, error.constraint, error.value
    if code == cerrors.UNKNOWN_FIELD.code:
        near = difflib.get_close_matches(str(error.field), allowed_keys, n=1, cutoff=0.6)
        hint = (
            f"; did you mean {near[0]!r}?" if near else f"; allowed here: {', '.join(allowed_keys)}"
        )
        return f"unknown key{hint}"
    if code == cerrors.REQUIRED_FIELD.code:
        return "required key is missing"
    if code == cerrors.NOT_NULLABLE.code:
        return "a value is required here, got nothing (null)"
    if code == cerrors.BAD_TYPE.code:
        words = " or ".join(
            _TYPE_WORDS.get(t, t)
            for t in (constraint if isinstance(constraint, list) else [str(constraint)])
        )
        hint = (
            " (put it in quotes)"
            if constraint == "string" and value is not None and not isinstance(value, dict | list)
            else number_hint(value)
            if constraint in ("number", "integer")
            else ""
        )
        return f"expected {words}, got {_describe(value)}{hint}"
    if code == cerrors.UNALLOWED_VALUE.code:
        return (
            f"expected one of {' | '.join(map(str, constraint))}, got {_describe(value)}"
            + choice_hint(value, constraint)
        )
    if code == cerrors.MIN_VALUE.code:
        return f"expected at least {constraint}, got {_describe(value)}"
    if code == cerrors.MAX_VALUE.code:
        return f"expected at most {constraint}, got {_describe(value)}"
    if code == cerrors.MIN_LENGTH.code:
        return f"expected at least {constraint} entries, got {len(value)}"
    if code == cerrors.MAX_LENGTH.code:
        noun = "characters" if isinstance(value, str) else "entries"
        return f"expected at most {constraint} {noun}, got {len(value)}"
    if code == cerrors.EMPTY_NOT_ALLOWED.code:
        return "must not be empty"
    if code == cerrors.REGEX_MISMATCH.code:
        wanted = _REGEX_WORDS.get(constraint, constraint)
        return f"{_describe(value)} is not allowed here; use {wanted}"
    if code == cerrors.CUSTOM.code:
        return str(error.info[0])
    return f"not valid ({error.rule}: {constraint})"


_REGEX_WORDS = {
    SLUG: "lowercase letters, digits and single hyphens (acme-beta-2026)",
    PARTY_KEY: "a lowercase word of letters, digits and underscores (acme)",
    EMAIL: "an email address (legal@example.com)",
}


def _allowed_keys(schema: dict[str, Any], path: tuple[Any, ...]) -> list[str]:
    node: Any = {"type": "dict", "schema": schema}
    for part in path:
        inner = node.get("schema", {})
        node = inner if node.get("type") == "list" else inner.get(part, {})
    return list(node.get("schema", {}))


def _node(schema: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    """The rules of the key at `path` (a list's items share one set)."""
    node: Any = {"type": "dict", "schema": schema}
    for part in path:
        inner = node.get("schema", {})
        node = inner if node.get("type") == "list" else inner.get(part, {})
    return node if isinstance(node, dict) else {}


def _mapping_form(rules: dict[str, Any], given: Any) -> str:
    """How to write the mapping a scalar was given for: `cap: 4,000,000` is answered with
    `{amount: 4000000, period: annual}`, the number the user typed put where it belongs."""
    keys = rules.get("schema")
    if not isinstance(keys, dict) or isinstance(given, dict | list):
        return ""
    wanted = {k: r for k, r in keys.items() if r.get("required")} or keys
    number = _as_number(given)
    parts = []
    for key, rule in wanted.items():
        kind = rule.get("type")
        if "allowed" in rule:
            value = str(rule["allowed"][0])
        elif kind in ("number", "integer") and number is not None:
            value, number = number, None  # the typed number, once
        elif kind in ("number", "integer"):
            value = "N"
        elif kind == "date":
            value = "YYYY-MM-DD"
        elif kind == "boolean":
            value = "true"
        else:
            value = "..."
        parts.append(f"{key}: {value}")
    return f"; write it as {{{', '.join(parts)}}}"


def _as_number(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        plain = value.replace(",", "").replace("_", "").replace(" ", "")
        if re.fullmatch(r"\d+(\.\d+)?", plain):
            return plain
    return None


def _leaves(errs: Any) -> list[Any]:
    out: list[Any] = []
    for error in errs:
        if error.is_group_error or error.is_logic_error:
            out.extend(_leaves(error.child_errors))
        else:
            out.append(error)
    return out


_VALIDATORS: dict[int, tuple[dict[str, Any], SchemaValidator]] = {}


def _validator(schema: dict[str, Any]) -> SchemaValidator:
    """One validator per schema per process: cerberus expands and checks a schema each time a
    validator is built, which costs more than validating a deal. Keyed by identity (a dict is
    not hashable); the entry keeps the schema alive, so its id cannot be reused."""
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        validator = SchemaValidator(allow_unknown=False)
        validator.schema = _CheckedSchema(validator, schema)
        cached = _VALIDATORS[id(schema)] = (schema, validator)
    return cached[1]


def validate(
    data: dict[str, Any], schema: dict[str, Any], marks: Marks, file: str
) -> list[Problem]:
    """Every schema problem in `data`, in file order."""
    validator = _validator(schema)
    seen: list[Any] = []
    validator._config["seen_errors"] = seen  # shared with the child validators it makes
    truncated = False
    try:
        if validator.validate(data, normalize=False):  # the schemas have no coerce or default
            return []
        errors = _leaves(validator._errors)
    except _TooManyErrors:
        errors, truncated = _leaves(seen), True
    # A misspelt required key shows up twice, as unknown and as missing: say it once.
    suggested = {
        (*tuple(e.document_path)[:-1], hint)
        for e in errors
        if e.code == cerrors.UNKNOWN_FIELD.code
        for hint in difflib.get_close_matches(
            str(e.field), _allowed_keys(schema, tuple(e.document_path)[:-1]), n=1, cutoff=0.6
        )
    }
    problems = []
    for error in errors:
        path: PathKey = tuple(error.document_path)
        if error.code == cerrors.REQUIRED_FIELD.code and path in suggested:
            continue
        where = marks.keys.get(path) if error.code == cerrors.UNKNOWN_FIELD.code else None
        where = where or marks.locate(path)
        line, col = where if where else (None, None)
        allowed = _allowed_keys(schema, path[:-1])
        message = _message(error, allowed)
        if error.code == cerrors.BAD_TYPE.code and error.constraint == "dict":
            message += _mapping_form(_node(schema, path), error.value)
        problems.append(Problem(file, line, col, dotted(path), message))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.key))
    if truncated:
        problems.append(
            Problem(file, None, None, "", f"stopped after {MAX_ERRORS} problems; fix these first")
        )
    return problems


__all__ = ["SchemaValidator", "validate"]
