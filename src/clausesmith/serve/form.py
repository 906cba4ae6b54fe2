"""The deal form, generated from the deal's JSON Schema (itself generated from the one
cerberus schema the validator uses), so a key added to the deal appears in the form without
a line here.

Every section is a fieldset in the schema's order (the order of the deal file, which follows
the term sheet's heads); every key gets a labelled control fitting its type, the schema's
own words as help and the playbook's default beside it. Lists of objects (parties, patent
families, side letters, overrides...) are rows that can be added and removed; lists of
plain values are one item per line. Values are not judged here: a number field accepts
`5%` so that the validator can say what to type instead.

The page's script (`static/form.js`) reads the controls back into a deal through the
`data-node` and `data-key` attributes written here.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pycountry

COUNTRY_KEYS = {"jurisdiction", "include", "exclude"}
CURRENCY_KEYS = {"currency"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def non_null(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A JSON Schema node with its `null` alternative taken off, and whether it had one."""
    options = schema.get("anyOf")
    if options:
        inner = next(o for o in options if o.get("type") != "null")
        merged = {**inner, "description": schema.get("description", "")}
        return merged, True
    return schema, False


def _title(key: str) -> str:
    return key.replace("_", " ").capitalize()


class Form:
    """HTML for the deal form; `ids` makes each control's id unique on the page."""

    def __init__(self, schema: dict[str, Any], defaults: dict[str, Any]) -> None:
        self.schema = schema
        self.defaults = defaults
        self._next_id = 0

    def _id(self) -> str:
        self._next_id += 1
        return f"f{self._next_id}"

    def render(self, data: dict[str, Any]) -> str:
        sections = []
        for key, node in self.schema["properties"].items():
            sections.append(self._node(key, node, data.get(key), key in data, [key], top=True))
        return "\n".join(sections)

    def _default(self, path: list[str]) -> tuple[bool, Any]:
        value: Any = self.defaults
        for part in path:
            if not isinstance(value, dict) or part not in value:
                return False, None
            value = value[part]
        return True, value

    def _help(self, schema: dict[str, Any], path: list[str], hid: str) -> str:
        words = schema.get("description", "")
        known, default = self._default(path)
        if known and not isinstance(default, dict):
            shown = json.dumps(default, ensure_ascii=False) if default is not None else "null"
            words += f" (left out: {shown}, the playbook's default)"
        return f"<small id='{hid}' class='help'>{_e(words)}</small>" if words else ""

    def _node(
        self,
        key: str,
        schema: dict[str, Any],
        value: Any,
        present: bool,
        path: list[str],
        top: bool = False,
    ) -> str:
        inner, nullable = non_null(schema)
        kind = inner.get("type")
        if kind == "object" and "properties" in inner:
            return self._object(key, inner, value, present, nullable, path, top)
        if kind == "array" and non_null(inner.get("items", {}))[0].get("type") == "object":
            return self._rows(key, inner, value, path)
        return self._scalar(key, inner, value, path)

    def _object(
        self,
        key: str,
        schema: dict[str, Any],
        value: Any,
        present: bool,
        nullable: bool,
        path: list[str],
        top: bool,
    ) -> str:
        values = value if isinstance(value, dict) else {}
        anchor = f" id='section-{_e(key)}'" if top else ""
        parts = [
            f"<fieldset data-node='object' data-key='{_e(key)}'{anchor}"
            f" data-path='{_e('.'.join(path))}'>",
            f"<legend>{_e(_title(key))}</legend>",
        ]
        if nullable:
            fid = self._id()
            checked = " checked" if present and value is None else ""
            parts.append(
                f"<label class='none' for='{fid}'><input type='checkbox' id='{fid}'"
                f" data-none{checked}> None (no {_e(_title(key).lower())})</label>"
            )
        for name, node in schema["properties"].items():
            parts.append(self._node(name, node, values.get(name), name in values, [*path, name]))
        parts.append("</fieldset>")
        return "\n".join(parts)

    def _rows(self, key: str, schema: dict[str, Any], value: Any, path: list[str]) -> str:
        item = non_null(schema["items"])[0]
        items = value if isinstance(value, list) else []
        hid = self._id()
        rows = [self._row(item, v if isinstance(v, dict) else {}, path) for v in items]
        template = self._row(item, {}, path)
        return (
            f"<fieldset data-node='array' data-key='{_e(key)}'"
            f" data-path='{_e('.'.join(path))}' aria-describedby='{hid}'>"
            f"<legend>{_e(_title(key))}</legend>{self._help(schema, path, hid)}"
            f"<div class='rows'>{''.join(rows)}</div>"
            f"<template>{template}</template>"
            f"<button type='button' data-add>Add a row to {_e(_title(key).lower())}</button>"
            "</fieldset>"
        )

    def _row(self, item: dict[str, Any], values: dict[str, Any], path: list[str]) -> str:
        fields = [
            self._node(name, node, values.get(name), name in values, [*path, name])
            for name, node in item["properties"].items()
        ]
        return (
            "<fieldset class='row' data-node='object'>"
            + "".join(fields)
            + "<button type='button' data-remove>Remove this row</button></fieldset>"
        )

    def _scalar(self, key: str, schema: dict[str, Any], value: Any, path: list[str]) -> str:
        fid, hid = self._id(), self._id()
        kind = schema.get("type")
        label = f"<label for='{fid}'>{_e(_title(key))}</label>"
        common = (
            f"id='{fid}' data-node='scalar' data-key='{_e(key)}'"
            f" data-path='{_e('.'.join(path))}' aria-describedby='{hid}'"
        )
        if "enum" in schema:
            options = ["<option value=''>(left out)</option>"]
            for choice in schema["enum"]:
                chosen = " selected" if value == choice else ""
                options.append(
                    f"<option value='{_e(json.dumps(choice))}'{chosen}>{_e(choice)}</option>"
                )
            control = f"<select {common} data-kind='json'>{''.join(options)}</select>"
        elif kind == "boolean":
            options = [
                f"<option value='{v}'{' selected' if value is b else ''}>{t}</option>"
                for v, b, t in (
                    ("", None, "(left out)"),
                    ("true", True, "yes"),
                    ("false", False, "no"),
                )
            ]
            control = f"<select {common} data-kind='json'>{''.join(options)}</select>"
        elif kind == "array":
            lines = "\n".join(str(v) for v in value) if isinstance(value, list) else ""
            items = non_null(schema.get("items", {}))[0]
            item_kind = "number" if items.get("type") in ("number", "integer") else "text"
            control = (
                f"<textarea {common} data-kind='lines' data-item='{item_kind}' rows='2'"
                f"{self._list_attr(key)}>{_e(lines)}</textarea>"
            )
        elif kind == "object":  # a mapping of free keys: market shares, cost shares
            lines = (
                "\n".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else ""
            )
            control = f"<textarea {common} data-kind='pairs' rows='2'>{_e(lines)}</textarea>"
        elif schema.get("format") == "date":
            shown = _e(value) if isinstance(value, str) else ""
            control = f"<input type='date' {common} data-kind='date' value='{shown}'>"
        elif kind in ("number", "integer"):
            shown = "" if value is None else _e(value)
            control = (
                f"<input type='text' inputmode='decimal' {common} data-kind='number'"
                f" value='{shown}'>"
            )
        else:
            shown = "" if value is None else _e(value)
            multi = key in ("reason", "meaning", "event", "collaboration")
            if multi:
                control = f"<textarea {common} data-kind='text' rows='2'>{shown}</textarea>"
            else:
                control = (
                    f"<input type='text' {common} data-kind='text' value='{shown}'"
                    f"{self._list_attr(key)}>"
                )
        return (
            f"<div class='field'>{label}{control}{self._help(schema, path, hid)}"
            "<p class='problem' role='alert' hidden></p></div>"
        )

    @staticmethod
    def _list_attr(key: str) -> str:
        if key in COUNTRY_KEYS:
            return " list='countries'"
        if key in CURRENCY_KEYS:
            return " list='currencies'"
        return ""


def pickers() -> str:
    """The country and currency lists the text fields offer, from the ISO data the
    validator checks against."""
    countries = [f"<option value='{c.alpha_2}'>{_e(c.name)}</option>" for c in pycountry.countries]
    countries += [f"<option value='{r}'></option>" for r in ("WORLD", "EU", "EEA")]
    currencies = [
        f"<option value='{c.alpha_3}'>{_e(c.name)}</option>" for c in pycountry.currencies
    ]
    return (
        f"<datalist id='countries'>{''.join(countries)}</datalist>"
        f"<datalist id='currencies'>{''.join(currencies)}</datalist>"
    )
