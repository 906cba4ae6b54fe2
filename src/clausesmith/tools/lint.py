"""`clausesmith lint`: every problem in a clause library and its playbooks, with file and line.

Counsel run it before they merge a library change; CI runs it on the shipped library.
Each check is a small function returning Problems; `lint` runs them all and never stops
at the first.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, is_dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from clausesmith.deal.load import load, load_parsed
from clausesmith.errors import EXIT_INVALID, EXIT_OK, InvalidInput, Problem
from clausesmith.inputs.yamlio import Loaded, Marks, parse, read_text
from clausesmith.library import registry
from clausesmith.library.annex_parts import declaration_problem, split_parts
from clausesmith.library.clause import (
    Citation,
    Clause,
    Library,
    overlay,
    render_marked,
    scan_library,
)
from clausesmith.library.fields import Taxonomy, scan_taxonomy
from clausesmith.library.playbook import Playbook, Rule, Slot, load_playbook
from clausesmith.plan.planner import Plan, plan
from clausesmith.resources import bundled
from clausesmith.templating.context import deal_context, letter_context
from clausesmith.templating.limits import RENDER_ERRORS
from clausesmith.templating.reads import Read, expression_reads, unknown_reads
from clausesmith.templating.shape import ITEM, context_shape, dotted, resolve, why_not
from clausesmith.tools.guardrail_lint import guardrail_problems

MAX_COMBINATIONS = 4096  # per slot; beyond this a fixed-seed sample is checked


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    clauses: int = 0
    playbooks: int = 0


@dataclass
class _Library:
    clauses: dict[str, Clause]
    marks: dict[str, Marks]  # clause id -> front matter marks (lines are the file's)
    taxonomy: Taxonomy


@dataclass
class _Playbooks:
    loaded: dict[str, Playbook]
    marks: dict[str, Marks]  # playbook id -> marks of its file

    def defaults_for(self, name: str) -> dict[str, Any]:
        return _playbook(self, name).defaults


def lint(library_root: Path, playbooks: Path, reference: Path) -> Report:
    """Run every check; the report lists problems in file order."""
    report = Report()
    lib = _load_library(library_root, report)
    books = _load_playbooks(playbooks, report)
    side_letter_slots = {
        s.slot for p in books.loaded.values() for s in p.slots if s.document == "side_letter"
    }
    report.problems += _registry_problems(library_root, lib)
    for clause in lib.clauses.values():
        kind = "side_letter" if clause.slot in side_letter_slots else "term_sheet"
        report.problems += _clause_reads(clause, lib.marks[clause.id], kind)
    reachable: dict[str, set[str]] = {}
    ref = _reference(reference, books, report)
    for book in books.loaded.values():
        report.problems += _condition_reads(book)
        report.problems += _guardrail_citations(book, books.marks[book.id])
        report.problems += guardrail_problems(book, books.marks[book.id])
        report.problems += _rule_clauses(book, lib)
        reachable.setdefault(book.id, set())  # a playbook may have no slots
        for slot in book.slots:
            winners = _slot_coverage(book, slot, books.marks[book.id], ref, report)
            reachable.setdefault(book.id, set()).update(winners)
        report.problems += _unapproved_choices(book, lib, reachable[book.id])
    report.problems += _unreachable(lib, books, reachable)
    report.problems += citation_ledger(lib, books)
    if ref is not None:
        library = Library(library_root, lib.clauses, taxonomy=lib.taxonomy)
        for clause in lib.clauses.values():
            report.problems += _examples(clause, lib.marks[clause.id], ref, books, library)
    report.clauses, report.playbooks = len(lib.clauses), len(books.loaded)
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.key, p.message))
    return report


# ---- loading ---------------------------------------------------------------------------


def _load_library(root: Path, report: Report) -> _Library:
    if not root.is_dir():
        report.problems.append(Problem(str(root), None, None, "", "clause library not found"))
        return _Library({}, {}, Taxonomy())
    clauses, problems = scan_library(root)
    taxonomy, taxonomy_problems = scan_taxonomy(root)
    report.problems += problems + taxonomy_problems
    return _Library(clauses, {cid: clause.marks for cid, clause in clauses.items()}, taxonomy)


def _load_playbooks(directory: Path, report: Report) -> _Playbooks:
    books = _Playbooks({}, {})
    if not directory.is_dir():
        report.problems.append(Problem(str(directory), None, None, "", "playbooks not found"))
        return books
    for path in sorted(directory.glob("*.yaml")):
        try:
            book = load_playbook(directory, path.stem)
        except InvalidInput as exc:
            report.problems += exc.problems
            continue
        books.loaded[book.id] = book
        books.marks[book.id] = parse(read_text(path, str(path)), str(path)).marks
    return books


@dataclass(frozen=True)
class _Reference:
    path: Path
    data: dict[str, Any]
    contexts: dict[str, dict[str, Any]]  # term_sheet / side_letter -> a context to vary
    plans: dict[str, Plan | InvalidInput] = field(default_factory=dict)  # by example spec


def _reference(path: Path, books: _Playbooks, report: Report) -> _Reference | None:
    """The reference deal every example is laid over and every slot's enumeration starts from."""
    try:
        data = yaml.safe_load(read_text(path, str(path)))
        deal = load(path, books.defaults_for)
        book = _playbook(books, deal.deal.playbook)
    except InvalidInput as exc:
        report.problems += exc.problems
        report.notes.append(f"examples and slot coverage not checked: {path} did not load")
        return None
    context = deal_context(deal, {s.slot: s.heading for s in book.slots})
    contexts = {"term_sheet": context}
    if deal.side_letters:
        contexts["side_letter"] = letter_context(context, deal, deal.side_letters[0])
    return _Reference(path, data, contexts)


def _playbook(books: _Playbooks, name: str) -> Playbook:
    if name not in books.loaded:
        raise InvalidInput(
            [Problem(name, None, None, "deal.playbook", f"no loadable playbook {name!r}")]
        )
    return books.loaded[name]


# ---- checks on clauses -----------------------------------------------------------------


def _registry_problems(library: Path, lib: _Library) -> list[Problem]:
    entries = registry.read_registry(library)
    path = str(registry.registry_path(library))
    if entries is None:
        return [
            Problem(
                path,
                None,
                None,
                "",
                "no registry of approved clause versions; run `clausesmith clauses approve`",
            )
        ]
    problems = []
    for clause in lib.clauses.values():
        message = registry.check(clause, entries)
        if message:
            line = (lib.marks[clause.id].locate(("version",)) or (None, None))[0]
            problems.append(Problem(clause.path, line, None, "version", message))
    for cid in sorted(set(entries) - set(lib.clauses)):
        problems.append(
            Problem(
                path,
                None,
                None,
                cid,
                "is approved here but no longer in the library; run `clausesmith clauses approve`",
            )
        )
    return problems


def _clause_reads(clause: Clause, marks: Marks, kind: str) -> list[Problem]:
    names = context_shape(kind)
    problems = [
        Problem(clause.path, line, None, "", message)
        for line, message in unknown_reads(clause.padded_body, kind)
    ]
    for i, required in enumerate(clause.requires):
        why = why_not(tuple(required.replace("[]", ".[]").split(".")), names)
        if why:
            line = (marks.locate(("requires", i)) or (None, None))[0]
            problems.append(Problem(clause.path, line, None, f"requires[{i}]", why))
    return problems


# ---- checks on playbooks ---------------------------------------------------------------


def _conditions(book: Playbook) -> Iterator[tuple[str, str, str, int | None, str]]:
    """(kind, what, source, line, file) of every condition in the playbook."""
    for g in book.guardrails:
        if g.when is not None:
            yield "guardrail", f"guardrails.{g.id}", g.when.source, g.when.line, g.when.file
    for slot in book.slots:
        for rule in slot.rules:
            if rule.when is not None:
                what = f"slots.{slot.slot}.{rule.id}"
                yield slot.document, what, rule.when.source, rule.when.line, rule.when.file


def _condition_reads(book: Playbook) -> list[Problem]:
    problems = []
    for kind, what, source, line, file in _conditions(book):
        names = context_shape(kind)
        for read in expression_reads(source):
            why = why_not(read.path, names)
            if why:
                problems.append(Problem(file, line, None, what, f"condition {why}"))
    return problems


def citation_ledger(lib: _Library, books: _Playbooks) -> list[Problem]:
    """One verification state per citation: a provision cited (same source or identifier,
    same pinpoint) as verified in one clause or guardrail and as unverified in another tells
    counsel two things about one text. Every place but the first verified one is named."""
    places: dict[tuple[str, str], list[tuple[bool, Problem]]] = {}

    def note(c: Citation, file: str, line: int | None, key: str) -> None:
        place = Problem(file, line, None, key, c.pinpoint)  # the message is filled in below
        for name in {c.source, c.identifier or c.source}:
            places.setdefault((_squash(name), _squash(c.pinpoint)), []).append((c.verified, place))

    for clause in lib.clauses.values():
        for j, c in enumerate(clause.citations):
            at = lib.marks[clause.id].locate(("citations", j))
            note(c, clause.path, at[0] if at else None, f"citations[{j}]")
    for book in books.loaded.values():
        for i, g in enumerate(book.guardrails):
            for j, c in enumerate(g.citations):
                at = books.marks[book.id].locate(("guardrails", i, "citations", j))
                note(c, book.path, at[0] if at else None, f"guardrails.{g.id}.citations[{j}]")
    found: dict[tuple[str, int | None, str], Problem] = {}
    for seen in places.values():
        states = {verified for verified, _ in seen}
        if len(states) < 2:
            continue
        verified_at = next(p for v, p in seen if v)
        for v, place in seen:
            if not v:
                where = f"{verified_at.file}:{verified_at.line}" if verified_at.line else ""
                found[(place.file, place.line, place.key)] = Problem(
                    place.file,
                    place.line,
                    None,
                    place.key,
                    f"cites {place.message!r} as unverified, but {where or verified_at.file} "
                    "marks the same citation verified; a citation has one verification state: "
                    "set verified (and checked_on) alike in both, false unless the primary "
                    "text was read",
                )
    return list(found.values())


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def _guardrail_citations(book: Playbook, marks: Marks) -> list[Problem]:
    return [
        Problem(
            book.path,
            (marks.locate(("guardrails", i, "citations")) or (None, None))[0],
            None,
            f"guardrails.{g.id}",
            "has no citation; every guardrail names the law it enforces",
        )
        for i, g in enumerate(book.guardrails)
        if not g.citations
    ]


def _rule_clauses(book: Playbook, lib: _Library) -> list[Problem]:
    problems = []
    for slot in book.slots:
        for rule in slot.rules:
            where = f"slots.{slot.slot}.{rule.id}"
            clause = lib.clauses.get(rule.clause)
            if rule.clause == "omit":
                continue
            wrong = (
                f"names clause {rule.clause!r}, which is not in the library"
                if clause is None
                else f"names {rule.clause}, a clause for slot {clause.slot!r}, in slot "
                f"{slot.slot!r}"
                if clause.slot != slot.slot
                else None
            )
            if wrong is not None or clause is None:
                problems.append(Problem(rule.file, rule.line, None, where, str(wrong)))
            elif slot.annex is not None and (bad := declaration_problem(clause, slot.annex)):
                problems.append(bad)
    return problems


def _slot_coverage(
    book: Playbook, slot: Slot, marks: Marks, ref: _Reference | None, report: Report
) -> set[str]:
    """Rule ids that can win; a problem if some combination of values leaves the slot empty."""
    always = next((i for i, r in enumerate(slot.rules) if r.when is None), None)
    structural = {r.id for r in slot.rules[: (always or len(slot.rules)) + 1]}
    context = ref.contexts.get(slot.document) if ref else None
    if context is None:
        return structural
    names = context_shape(slot.document)
    values: dict[tuple[str, ...], tuple[Any, ...]] = {}
    complete = True  # every condition reads only enumerated values
    for rule in slot.rules[: (always or len(slot.rules)) + 1]:
        for read in expression_reads(rule.when.source) if rule.when else []:
            node, _ = resolve(read.path, names)
            if node is not None and node.allowed and ITEM not in read.path:
                values[read.path] = node.allowed
            else:
                complete = False
    combos, total = _combinations(values)
    if len(combos) < total:
        report.notes.append(
            f"{book.path}: slot {slot.slot}: checked a sample of {len(combos)} of {total:,} "
            "combinations of enumerated values"
        )
    winners: set[str] = set()
    gaps: list[str] = []
    for combo in combos:
        chosen, why = _first_match(
            slot, _with_values(context, dict(zip(values, combo, strict=True)))
        )
        if chosen is None:
            gaps.append(why)
        else:
            winners.add(chosen.id)
    if gaps:
        line = (marks.locate(("slots", _index(book, slot), "slot")) or (None, None))[0]
        report.problems.append(
            Problem(
                book.path,
                line,
                None,
                f"slots.{slot.slot}",
                f"{gaps[0]} ({len(gaps)} of {len(combos)} combinations of enumerated values "
                "leave the slot without a clause); end the slot with a rule that has no `when`",
            )
        )
    return winners if complete and len(combos) == total else structural


def _index(book: Playbook, slot: Slot) -> int:
    return next(i for i, s in enumerate(book.slots) if s is slot)


def _combinations(
    values: dict[tuple[str, ...], tuple[Any, ...]],
) -> tuple[list[tuple[Any, ...]], int]:
    total = 1
    for allowed in values.values():
        total *= len(allowed)
    if total <= MAX_COMBINATIONS:
        return list(itertools.product(*values.values())), total
    rng = random.Random(0)  # the same sample every run
    return [tuple(rng.choice(a) for a in values.values()) for _ in range(MAX_COMBINATIONS)], total


def _with_values(context: dict[str, Any], values: dict[tuple[str, ...], Any]) -> dict[str, Any]:
    varied = dict(context)
    for path, value in values.items():
        varied[path[0]] = _replace(varied[path[0]], path[1:], value)
    return varied


def _replace(obj: Any, parts: tuple[str, ...], value: Any) -> Any:
    if not parts:
        return value
    if not is_dataclass(obj) or isinstance(obj, type):
        return obj  # e.g. an optional section the reference leaves out: nothing to vary
    inner = _replace(getattr(obj, parts[0]), parts[1:], value)
    return replace(obj, **{parts[0]: inner})


def _first_match(slot: Slot, context: dict[str, Any]) -> tuple[Rule | None, str]:
    for rule in slot.rules:
        if rule.when is None:
            return rule, ""
        try:
            if rule.when(context):
                return rule, ""
        except RENDER_ERRORS as exc:
            return None, f"rule {rule.id} fails when {_describe(rule, context)}: {exc}"
    return None, f"no rule matches when {_describe(None, context, slot)}"


def _describe(rule: Rule | None, context: dict[str, Any], slot: Slot | None = None) -> str:
    rules = [rule] if rule else list(slot.rules if slot else [])
    parts = []
    for r in rules:
        for read in expression_reads(r.when.source) if r.when else []:
            text = f"{dotted(read.path)} = {_value(read, context)}"
            if text not in parts:
                parts.append(text)
    return ", ".join(parts) or "the reference deal's values"


def _value(read: Read, context: dict[str, Any]) -> str:
    value: Any = context
    for part in read.path:
        if part == ITEM:
            return "..."
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    if isinstance(value, bool):
        return str(value).lower()
    return "none" if value is None else repr(value) if isinstance(value, str) else "..."


def _unapproved_choices(book: Playbook, lib: _Library, winners: set[str]) -> list[Problem]:
    if book.status != "approved":
        return []
    problems = []
    for slot in book.slots:
        for rule in slot.rules:
            clause = lib.clauses.get(rule.clause)
            if clause is not None and clause.status != "approved" and rule.id in winners:
                problems.append(
                    Problem(
                        rule.file,
                        rule.line,
                        None,
                        f"slots.{slot.slot}.{rule.id}",
                        f"approved playbook {book.id} can choose {clause.status} clause "
                        f"{clause.id}; approve the clause or remove the rule",
                    )
                )
    return problems


def _unreachable(lib: _Library, books: _Playbooks, reachable: dict[str, set[str]]) -> list[Problem]:
    named: dict[str, list[str]] = {}
    chosen: set[str] = set()
    for book in books.loaded.values():
        for slot in book.slots:
            for rule in slot.rules:
                named.setdefault(rule.clause, []).append(f"{book.id} rule {rule.id}")
                if rule.id in reachable.get(book.id, set()):
                    chosen.add(rule.clause)
    problems = []
    for clause in lib.clauses.values():
        if clause.id in chosen or not books.loaded:
            continue
        line = (lib.marks[clause.id].locate(("id",)) or (None, None))[0]
        if clause.id in named:
            why = (
                f"only {', '.join(named[clause.id])} names it, and earlier rules of its slot "
                "match every case first"
            )
        else:
            why = "no playbook rule names it"
        problems.append(Problem(clause.path, line, None, "id", f"no rule can choose it: {why}"))
    return problems


# ---- examples --------------------------------------------------------------------------


def _examples(
    clause: Clause, marks: Marks, ref: _Reference, books: _Playbooks, library: Library
) -> list[Problem]:
    problems = []
    for i, example in enumerate(clause.examples):
        line = (marks.locate(("examples", i)) or (None, None))[0]
        why = _example_failure(clause, example.spec, example.expect, ref, books, library)
        if why:
            problems.append(Problem(clause.path, line, None, f"examples[{i}]", why))
    return problems


def _example_failure(
    clause: Clause,
    spec: dict[str, Any],
    expect: str,
    ref: _Reference,
    books: _Playbooks,
    library: Library,
) -> str | None:
    try:
        the_plan = _example_plan(spec, ref, books, library)
    except InvalidInput as exc:
        first = exc.problems[0]
        where = f"{first.key}: " if first.key else ""
        return f"the spec laid over the reference deal is not a valid deal: {where}{first.message}"
    deal = the_plan.deal
    for document in the_plan.documents:
        for choice in document.choices:
            if choice.clause.id != clause.id:
                continue
            context = the_plan.context
            if document.key is not None:
                letter = next(s for s in deal.side_letters if s.key == document.key)
                context = letter_context(context, deal, letter)
            try:
                marked = render_marked(clause, context)
                if clause.parts:
                    split_parts(clause.path, clause.parts, marked)
                text = tuple(t for _, t in marked)
            except InvalidInput as exc:
                return f"does not render: {exc.problems[0].message}"
            if any(expect in paragraph for paragraph in text):
                return None
            shown = " ".join(text)
            shown = shown if len(shown) <= 200 else shown[:200] + "..."
            return f"does not render its expected phrase {expect!r}; it rendered: {shown!r}"
    return f"the playbook does not choose {clause.id} for this spec"


def _example_plan(
    spec: dict[str, Any], ref: _Reference, books: _Playbooks, library: Library
) -> Plan:
    """The plan of the reference deal with the spec laid over it; one per distinct spec."""
    key = json.dumps(spec, sort_keys=True, default=str)
    if key not in ref.plans:
        loaded = Loaded(overlay(ref.data, spec), Marks(), f"{ref.path} with the example")
        try:
            deal = load_parsed(loaded, books.defaults_for, "")
            ref.plans[key] = plan(deal, _playbook(books, deal.deal.playbook), library)
        except InvalidInput as exc:
            ref.plans[key] = exc
    cached = ref.plans[key]
    if isinstance(cached, InvalidInput):
        raise cached
    return cached


def lint_command(library: Path, playbooks: Path, reference: Path | None) -> tuple[str, int]:
    """What `clausesmith lint` prints, and its exit code."""
    started = time.perf_counter()
    report = lint(library, playbooks, reference or bundled("examples") / "acme-beta.yaml")
    seconds = time.perf_counter() - started
    lines = [str(p) for p in report.problems] + [f"note: {n}" for n in report.notes]
    found = len(report.problems)
    lines.append(
        f"{found} problem{'' if found == 1 else 's'} in {report.clauses} clauses and "
        f"{report.playbooks} playbook{'' if report.playbooks == 1 else 's'} "
        f"({library}, {playbooks}; {seconds:.1f} s)"
    )
    return "\n".join(lines), EXIT_INVALID if found else EXIT_OK
