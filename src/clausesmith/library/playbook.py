"""Playbooks: guardrails and clause-selection rules as data, conditions compiled once."""

from __future__ import annotations

import functools
import marshal
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from clausesmith import compile_cache
from clausesmith.errors import InvalidInput, Problem
from clausesmith.inputs.validator import SLUG, validate
from clausesmith.inputs.yamlio import Loaded, dotted, parse, read_text
from clausesmith.library.annex_parts import ANNEX_PARTS
from clausesmith.library.clause import CITATION, Citation
from clausesmith.templating.sandbox import ENV, compile_condition, condition_function

RULE = {
    "type": "dict",
    "schema": {
        "id": {"type": "string", "required": True, "regex": r"^[a-z0-9-]+$"},
        "when": {"type": "string", "empty": False},
        "clause": {"type": "string", "required": True},
    },
}

# A guardrail's citation says what it is, where, whether it decides the point, and when it
# was checked (docs/legal-basis.md, "Three kinds of basis"); lint checks the combinations.
GUARDRAIL_CITATION = {
    "type": "dict",
    "schema": {
        **CITATION["schema"],
        "identifier": {"type": "string", "required": True, "empty": False},
        "holds": {"type": "string", "required": True, "allowed": ["holding", "context"]},
        "checked_on": {"type": "date", "required": True, "nullable": True},
    },
}
BASES = ("law", "guidance", "policy")
ROLES = ("head", "legend", "annex")

PLAYBOOK_SCHEMA: dict[str, Any] = {
    "id": {"type": "string", "required": True, "regex": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
    "version": {"type": "integer", "required": True, "min": 1},
    "title": {"type": "string", "required": True},
    "status": {"type": "string", "required": True, "allowed": ["draft", "approved"]},
    "defaults": {"type": "dict", "required": True},
    # Names added to the repository's counsel list for deals this playbook plans.
    "counsel": {"type": "list", "required": False, "schema": {"type": "string", "empty": False}},
    "guardrails": {
        "type": "list",
        "required": True,
        "schema": {
            "type": "dict",
            "schema": {
                "id": {"type": "string", "required": True, "regex": r"^[A-Z0-9]+(-[A-Z0-9]+)*$"},
                "title": {"type": "string", "required": True},
                "basis": {"type": "string", "required": True, "allowed": list(BASES)},
                "severity": {"type": "string", "required": True, "allowed": ["block", "warn"]},
                # Exactly one: a condition, or a check of the consistency stage by name.
                "when": {"type": "string", "required": True, "excludes": "check"},
                "check": {
                    "type": "string",
                    "required": True,
                    "excludes": "when",
                    "regex": r"^[a-z_]+$",
                },
                "message": {"type": "string", "required": True},
                "citations": {"type": "list", "required": True, "schema": GUARDRAIL_CITATION},
                # Words of the documents that contradict the position a counsel override of
                # this guardrail accepts: an override is refused while a head still says them.
                "contradicted_by": {
                    "type": "list",
                    "required": False,
                    "schema": {"type": "string", "empty": False},
                },
            },
        },
    },
    "slots": {
        "type": "list",
        "required": True,
        "schema": {
            "type": "dict",
            "schema": {
                "slot": {"type": "string", "required": True, "regex": r"^[a-z0-9_]+$"},
                "document": {
                    "type": "string",
                    "required": True,
                    "allowed": ["term_sheet", "side_letter"],
                },
                "heading": {"type": "string", "required": True},
                # What the slot is on the page: a head (the default), the term sheet's
                # legend, or an annex of the kind `annex` names (its parts: annex_parts.py).
                "role": {"type": "string", "allowed": list(ROLES)},
                "annex": {
                    "type": "string",
                    "allowed": list(ANNEX_PARTS),
                    "dependencies": {"role": ["annex"]},
                },
                # A document that leaves a required slot out gets a finding (side letters:
                # incorporation and precedence say how the letter binds).
                "required": {"type": "boolean"},
                "rules": {"type": "list", "required": True, "minlength": 1, "schema": RULE},
            },
        },
    },
}


@dataclass(frozen=True)
class Condition:
    source: str
    paths: tuple[str, ...]  # the deal paths it reads, for explain and lint
    code: bytes = field(repr=False)  # checked and compiled (sandbox.compile_condition), marshalled
    file: str
    line: int | None

    @functools.cached_property
    def evaluate(self) -> Callable[..., Any]:
        return condition_function(self.code)

    def __call__(self, context: dict[str, Any]) -> bool:
        return bool(self.evaluate(**context))

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "evaluate"}  # code is kept


@dataclass(frozen=True)
class Guardrail:
    id: str
    title: str
    severity: str
    when: Condition | None  # None: `check` names the consistency check that decides
    message: str  # may name the check's facts in braces: {left_out}
    citations: tuple[Citation, ...]
    basis: str  # law | guidance | policy
    check: str | None
    file: str
    line: int | None
    contradicted_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition | None  # None: always
    clause: str
    file: str
    line: int | None


@dataclass(frozen=True)
class Slot:
    slot: str
    document: str
    heading: str
    rules: tuple[Rule, ...]
    role: str = "head"  # head | legend | annex
    annex: str | None = None  # role annex: which annex (a key of ANNEX_PARTS)
    required: bool = False


@dataclass(frozen=True)
class Playbook:
    id: str
    version: int
    title: str
    status: str
    defaults: dict[str, Any]
    guardrails: tuple[Guardrail, ...]
    slots: tuple[Slot, ...]
    path: str
    counsel: tuple[str, ...] = ()

    def slots_for(self, document: str) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.document == document)

    def slot(self, name: str) -> Slot:
        return next(s for s in self.slots if s.slot == name)


def load_playbook(directory: Path, name: str) -> Playbook:
    path = directory / f"{name}.yaml"
    if not re.fullmatch(SLUG, name) or not path.is_file():
        known = sorted(p.stem for p in directory.glob("*.yaml")) if directory.is_dir() else []
        raise InvalidInput(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    "deal.playbook",
                    f"no playbook named {name!r}; available: {', '.join(known) or 'none'}",
                )
            ]
        )
    label = str(path)
    text = read_text(path, label)
    # Kept in the compile cache under its text: an unchanged playbook loads in one read.
    return compile_cache.remember("playbook", (label, text), lambda: _check(text, label))


def _check(text: str, label: str) -> Playbook:
    loaded = parse(text, label)
    if not isinstance(loaded.data, dict):
        raise InvalidInput([Problem(label, 1, 1, "", "a playbook is a mapping")])
    problems = validate(loaded.data, PLAYBOOK_SCHEMA, loaded.marks, label)
    if problems:
        raise InvalidInput(problems)
    return _playbook(loaded)


def _playbook(loaded: Loaded) -> Playbook:
    data, file = loaded.data, loaded.file
    problems: list[Problem] = []

    def condition(source: str, path: tuple[str | int, ...]) -> Condition | None:
        where = loaded.marks.locate(path)
        line = where[0] if where else None
        try:
            code = marshal.dumps(compile_condition(source))
            return Condition(source, condition_paths(source), code, file, line)
        except TemplateSyntaxError as exc:
            problems.append(
                Problem(
                    file,
                    line,
                    None,
                    dotted(path),
                    f"condition does not compile: {exc.message}",
                )
            )
            return None

    guardrails = []
    for i, g in enumerate(data["guardrails"]):
        when = condition(g["when"], ("guardrails", i, "when")) if "when" in g else None
        if when is not None or "check" in g:
            where = loaded.marks.locate(("guardrails", i))
            guardrails.append(
                Guardrail(
                    g["id"],
                    g["title"],
                    g["severity"],
                    when,
                    " ".join(g["message"].split()),
                    tuple(Citation(**c) for c in g["citations"]),
                    g["basis"],
                    g.get("check"),
                    file,
                    where[0] if where else None,
                    tuple(g.get("contradicted_by") or ()),
                )
            )
    slots = []
    annex_slots: dict[tuple[str, str], str] = {}  # (document, annex kind) -> its slot
    for i, s in enumerate(data["slots"]):
        rules = []
        for j, r in enumerate(s["rules"]):
            when = condition(r["when"], ("slots", i, "rules", j, "when")) if "when" in r else None
            where = loaded.marks.locate(("slots", i, "rules", j))
            rules.append(Rule(r["id"], when, r["clause"], file, where[0] if where else None))
        role = s.get("role", "head")
        wrong = None
        if role == "annex" and "annex" not in s:
            wrong = f"slot {s['slot']!r} has role annex but no `annex:`; type one of " + ", ".join(
                ANNEX_PARTS
            )
        elif role == "annex":
            # Both would be chosen, one printed, and annex letters counted for both.
            first = annex_slots.setdefault((s["document"], s["annex"]), s["slot"])
            if first != s["slot"]:
                wrong = (
                    f"slot {s['slot']!r} prints the {s['annex']} annex, as slot {first!r} "
                    "does; a term sheet has one annex of each kind: choose between clauses "
                    "by the rules of one slot"
                )
        if wrong is not None:
            where = loaded.marks.locate(("slots", i))
            line = where[0] if where else None
            problems.append(Problem(file, line, None, f"slots[{i}].annex", wrong))
        slots.append(
            Slot(
                s["slot"],
                s["document"],
                s["heading"],
                tuple(rules),
                role=role,
                annex=s.get("annex"),
                required=s.get("required", False),
            )
        )
    if problems:
        raise InvalidInput(problems)
    return Playbook(
        data["id"],
        data["version"],
        data["title"],
        data["status"],
        data["defaults"],
        tuple(guardrails),
        tuple(slots),
        file,
        tuple(" ".join(c.split()) for c in data.get("counsel") or ()),
    )


def condition_paths(source: str) -> tuple[str, ...]:
    """Dotted paths a Jinja expression reads (`grant_back.scope`), in first-seen order."""
    tree = ENV.parse("{{ " + source + " }}")
    found: dict[str, None] = {}
    methods = {id(call.node) for call in tree.find_all(nodes.Call)}
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        if id(node) in methods:  # relationship.share(...) reads relationship, not a method
            node = node.node if isinstance(node, nodes.Getattr) else node
            if id(node) in methods:
                continue
        path = _dotted_path(node)
        if path:
            found.setdefault(path, None)
    # Keep only the longest paths: `grant_back.scope` makes `grant_back` redundant.
    paths = list(found)
    return tuple(p for p in paths if not any(q.startswith(p + ".") for q in paths))


def _dotted_path(node: nodes.Node) -> str | None:
    parts: list[str] = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name) and node.ctx == "load":
        parts.append(node.name)
        return ".".join(reversed(parts))
    return None
