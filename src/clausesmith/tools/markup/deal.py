"""The deal as the other side's edit would have it: variants of the deal, planned again.

A variant is the deal with a few values changed (`grant_back.exclusivity: exclusive`,
`royalties.rate_pct: 2.5`). It is validated and planned as if typed into the deal file, so
the playbook chooses its clauses and runs its guardrails exactly as `render` would; a
variant the deal format refuses is no variant at all.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from clausesmith.deal.load import load_parsed
from clausesmith.deal.model import DEFAULTABLE_SECTIONS
from clausesmith.deal.schema import DEAL_SCHEMA
from clausesmith.errors import InvalidInput, UserMessageError
from clausesmith.inputs.yamlio import Loaded, Marks, parse, read_text
from clausesmith.library.clause import Clause, render_clause
from clausesmith.pipeline import Inputs, one_deal
from clausesmith.plan.planner import DocumentPlan, Plan, plan
from clausesmith.templating.context import letter_context

Change = tuple[str, Any]  # (dotted deal path, new value)
# names a side letter's clauses read, and the section of the deal file they come from
_SECTIONS = {
    "letter": "side_letters",
    "sender": "parties",
    "addressee": "parties",
    "letter_fields": "carve_outs",
}
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Leaf:
    path: str
    value: Any


def shown(value: Any) -> str:
    """A deal value as a user would type it in the deal file."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    return str(value)


def change_text(changes: tuple[Change, ...], deal: DealVariants) -> str:
    return "; ".join(f"{p}: {shown(deal.value(p))} → {shown(v)}" for p, v in changes)


class DealVariants:
    """The deal of OURS, and any variant of it, planned with the same playbook and library."""

    def __init__(self, spec: Path, inputs: Inputs) -> None:
        self.spec = spec
        self.inputs = inputs
        loaded = parse(read_text(spec, str(spec)), str(spec))
        self.base = self._plan_data(loaded.data, str(spec))  # a broken deal says so here
        defaults = inputs.defaults_for(self.base.deal.deal.playbook)
        self.data = dict(loaded.data)
        for section in DEFAULTABLE_SECTIONS:
            given = self.data.get(section)
            self.data[section] = _overlay(
                defaults[section], given if isinstance(given, dict) else {}
            )
        self._plans: dict[str, Plan | None] = {}

    @one_deal()
    def _plan_data(self, data: Any, label: str) -> Plan:
        deal = load_parsed(Loaded(data, Marks(), label), self.inputs.defaults_for, "")
        playbook = self.inputs.playbook(deal.deal.playbook)
        return plan(deal, playbook, self.inputs.library, self.inputs.sources.counsel)

    def plan(self, changes: tuple[Change, ...]) -> Plan | None:
        """The plan of the deal with `changes`; None if the deal format refuses them."""
        if not changes:
            return self.base
        key = repr(changes)
        if key not in self._plans:
            data = copy.deepcopy(self.data)
            try:
                for path, value in changes:
                    _set(data, path, value)
                self._plans[key] = self._plan_data(data, f"{self.spec} as changed")
            except (UserMessageError, _NoPlace):
                self._plans[key] = None
        return self._plans[key]

    def value(self, path: str) -> Any:
        """The deal's value at `path`; None where the deal has nothing there (a null cap)."""
        node: Any = self.data
        for part in _parts(path):
            if isinstance(part, int):
                node = node[part] if isinstance(node, list) and part < len(node) else None
            else:
                node = node.get(part) if isinstance(node, dict) else None
        return node

    def deal_path(self, path: str, stem: str) -> str:
        """A path as the deal file spells it: a side letter's `letter.terms.x` is
        `side_letters[i].terms.x` of the letter whose document `stem` is."""
        if not path.startswith("letter."):
            return path
        letters = [s.get("key") for s in self.data.get("side_letters") or []]
        key = stem.removeprefix("side-letter-")
        return f"side_letters[{letters.index(key)}]{path[6:]}" if key in letters else path

    @staticmethod
    def section(name: str) -> str:
        """The section of the deal file a name a clause reads comes from."""
        return _SECTIONS.get(name, name)

    def leaves(self, sections: set[str]) -> Iterator[Leaf]:
        """Every plain value under the named top-level sections, with its dotted path."""
        for section in sorted(sections):
            if section in self.data:
                yield from _leaves(self.data[section], section)

    def choices(self, path: str) -> list[Any]:
        """The values the deal format allows at `path`, when it lists them."""
        rule: Any = {"type": "dict", "schema": DEAL_SCHEMA}
        for part in _parts(path):
            if rule.get("type") == "list" and isinstance(part, int):
                rule = rule.get("schema", {})
                continue
            rule = (rule.get("schema") or {}).get(part) if isinstance(part, str) else None
            if not isinstance(rule, dict):
                return []
        if "allowed" in rule:
            return list(rule["allowed"])
        return [True, False] if rule.get("type") == "boolean" else []

    def number_type(self, path: str) -> str | None:
        rule: Any = {"type": "dict", "schema": DEAL_SCHEMA}
        for part in _parts(path):
            if isinstance(part, int):
                rule = rule.get("schema", {})
                continue
            rule = (rule.get("schema") or {}).get(part)
            if not isinstance(rule, dict):
                return None
        kind = rule.get("type")
        return kind if kind in ("integer", "number") else None

    def slot_text(self, the_plan: Plan, stem: str, slot: str) -> tuple[Clause | None, str]:
        """The clause a plan puts in `slot` of document `stem`, and its text ("" if none;
        InvalidInput if the library's clause does not render for this deal)."""
        for document in the_plan.documents:
            if document.stem == stem:
                for choice in document.choices:
                    if choice.slot == slot:
                        context = _context(the_plan, document)
                        return choice.clause, render_text(choice.clause, context)
        return None, ""

    def render_with(self, clause: Clause, stem: str) -> str | None:
        """`clause` rendered with the deal as it is (for a clause no variant chooses); None
        if it does not render for this deal."""
        for document in self.base.documents:
            if document.stem == stem:
                try:
                    return render_text(clause, _context(self.base, document))
                except InvalidInput:
                    return None
        return None


def _context(the_plan: Plan, document: DocumentPlan) -> dict[str, Any]:
    """What a document's clauses read: a side letter's also see the letter."""
    if document.key is None:
        return the_plan.context
    letter = next(s for s in the_plan.deal.side_letters if s.key == document.key)
    return letter_context(the_plan.context, the_plan.deal, letter)


def render_text(clause: Clause, context: dict[str, Any]) -> str:
    return "\n".join(" ".join(p.split()) for p in render_clause(clause, context))


def numbers(text: str) -> list[Decimal]:
    found: list[Decimal] = []
    for match in NUMBER.finditer(text):
        try:
            value = Decimal(match.group().replace(",", ""))
        except InvalidOperation:
            continue
        if value not in found:
            found.append(value)
    return found


def typed(number: Decimal, kind: str) -> int | float | None:
    if kind == "integer":
        return int(number) if number == int(number) else None
    return int(number) if number == int(number) else float(number)


def _overlay(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in given.items():
        out[key] = copy.deepcopy(value)
    return out


def _parts(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return parts


class _NoPlace(Exception):
    """The deal has no place for a value at that path (inside a null or a short list)."""


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = _parts(path)
    node: Any = data
    for part in parts[:-1]:
        if isinstance(part, int):
            if not _within(node, part):
                raise _NoPlace(path)
            node = node[part]
        elif isinstance(node, dict):
            node = node.setdefault(part, {}) if node.get(part) is None else node[part]
        else:
            raise _NoPlace(path)
    last = parts[-1]
    fits = isinstance(last, str) if isinstance(node, dict) else _within(node, last)
    if not fits:
        raise _NoPlace(path)
    node[last] = value


def _within(node: Any, index: str | int) -> bool:
    return isinstance(node, list) and isinstance(index, int) and index < len(node)


def _leaves(node: Any, path: str) -> Iterator[Leaf]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{path}[{index}]")
    else:
        yield Leaf(path, node)
