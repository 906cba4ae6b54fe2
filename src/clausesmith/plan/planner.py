"""PlannedDeal 2: the playbook applied to a deal: findings first, then one clause per slot."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Any

from clausesmith.deal import model
from clausesmith.deal.written import as_written
from clausesmith.errors import InvalidInput, Problem
from clausesmith.library.clause import Clause, Library
from clausesmith.library.playbook import Condition, Playbook, Slot
from clausesmith.plan import guardrails, sensitive_twice, signers
from clausesmith.plan.consistency import unused_definitions
from clausesmith.plan.guardrails import Finding
from clausesmith.plan.planned_deal import PlannedDeal
from clausesmith.templating.context import deal_context, letter_context
from clausesmith.templating.limits import RENDER_ERRORS
from clausesmith.templating.spelling import us_spelling
from clausesmith.templating.typography import typeset


@dataclass(frozen=True)
class Choice:
    slot: str
    heading: str
    clause: Clause
    rule: str  # id of the playbook rule that chose the clause
    reads: tuple[tuple[str, str], ...]  # (deal path, value as written) the rule looked at
    defaulted: tuple[str, ...]  # sections among those read that took the playbook default
    status: str  # the clause's approval status against approved.json ("unapproved" if edited)


@dataclass(frozen=True)
class DocumentPlan:
    kind: str  # term_sheet | side_letter
    key: str | None  # the side letter's key
    stem: str  # output file name without extension
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Plan:
    deal: model.Deal
    playbook: Playbook
    findings: tuple[Finding, ...]
    documents: tuple[DocumentPlan, ...]
    context: dict[str, Any]

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocks)


def plan(
    deal: model.Deal, playbook: Playbook, library: Library, counsel: tuple[str, ...] = ()
) -> Plan:
    """Pure: the same deal, playbook, library and counsel list always give the same plan."""
    _check_overrides(deal, playbook, (*counsel, *playbook.counsel))
    sensitive_twice.check(deal, library.taxonomy)
    headings = {s.slot: localised(s.heading, deal.deal.locale) for s in playbook.slots}
    context = deal_context(deal, headings)
    # A definition nothing uses is not printed (a finding says so); a printed one is
    # typeset like clause text, with curly apostrophes and quotes.
    unused = set(unused_definitions(deal))
    context["definitions"] = tuple(
        replace(d, term=typeset(d.term), meaning=typeset(d.meaning))
        for i, d in enumerate(deal.definitions)
        if i not in unused
    )
    documents = [_document(deal, playbook, library, "term_sheet", None, "term-sheet", context)]
    for letter in deal.side_letters:
        documents.append(
            _document(
                deal,
                playbook,
                library,
                "side_letter",
                letter.key,
                f"side-letter-{letter.key}",
                letter_context(context, deal, letter),
            )
        )
    context["annexes"] = annex_letters(documents[0], playbook, bool(deal.patents.families))
    gaps = {d.key: _missing(playbook, d) for d in documents if d.kind == "side_letter"}
    # The consistency stage: guardrails see the heads chosen, not only the deal's keys.
    planned = PlannedDeal(
        deal,
        library.taxonomy,
        frozenset(c.slot for c in documents[0].choices),
        {key: tuple(missing) for key, missing in gaps.items() if key is not None},
    )
    when_context = {**context, "side_letter_gaps": gaps}
    findings = guardrails.findings(
        playbook,
        planned,
        lambda condition, what: _holds(condition, when_context, what),
        lambda path: value_of(path, when_context),
    )
    findings += unapproved_findings(documents)
    return Plan(deal, playbook, findings, tuple(documents), context)


UNAPPROVED = "CS-UNAPPROVED-CLAUSE"


def unapproved_findings(documents: list[DocumentPlan]) -> tuple[Finding, ...]:
    """A warning for each chosen clause counsel have not approved: one whose text is not the
    approved text of its version, or whose status is draft or deprecated. It renders
    (counsel may be mid-edit) but never passes as approved: `--strict` fails on it, and so
    does `render --check`."""
    chosen = {
        c.clause.id: (c.clause, c.status)
        for d in documents
        for c in d.choices
        if c.status != "approved"
    }
    return tuple(
        Finding(
            UNAPPROVED,
            "Clause text not approved",
            "warn",
            _unapproved_message(cid, clause, status),
            (),
            None,
            "policy",
            str(clause.path),  # the clause file, not a line of the deal
        )
        for cid, (clause, status) in sorted(chosen.items())
    )


def _unapproved_message(cid: str, clause: Clause, status: str) -> str:
    approve = f"once counsel have reviewed it, run `clausesmith clauses approve {cid} --by NAME`"
    if status == "unapproved":
        return (
            f"{cid} v{clause.version} ({clause.path}) is not the text counsel approved for "
            f"that version in approved.json; {approve}"
        )
    return (
        f"{cid} v{clause.version} ({clause.path}) has status {status}: the playbook chose a "
        f"clause counsel have not approved, and it renders into the deal's documents; {approve}"
    )


def _check_overrides(deal: model.Deal, playbook: Playbook, counsel: tuple[str, ...]) -> None:
    """Every override and acknowledgement names a guardrail of the playbook; an
    acknowledgement, a warning (a block needs counsel's override); and one of a `law` or
    `guidance` finding is signed by a name on the counsel list, with a reason of substance."""
    severity = {g.id: g.severity for g in playbook.guardrails}
    basis = {g.id: g.basis for g in playbook.guardrails}
    entries = [("overrides", o.rule, o.approved_by, o.reason) for o in deal.overrides]
    entries += [
        ("acknowledgements", a.rule, a.acknowledged_by, a.reason) for a in deal.acknowledgements
    ]
    problems = []
    counts: dict[str, int] = {}
    for section, rule, signer, reason in entries:
        index = counts[section] = counts.get(section, -1) + 1
        path = f"{section}[{index}].rule"
        if rule not in severity:
            known = list(severity)
            near = difflib.get_close_matches(rule, known, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"known rules: {', '.join(known)}"
            message = f"{rule!r} is not a guardrail of playbook {playbook.id}; {hint}"
        elif section == "acknowledgements" and severity[rule] == "block":
            message = (
                f"{rule!r} blocks rather than warns; a block needs counsel's approval under "
                "overrides: [{rule, approved_by, date, reason}]"
            )
        elif basis[rule] in signers.BASES:
            who = "approved_by" if section == "overrides" else "acknowledged_by"
            what = "override" if section == "overrides" else "acknowledgement"
            for key, problem in (
                (who, signers.signer_problem(signer, counsel, what)),
                ("reason", signers.reason_problem(reason)),
            ):
                if problem is not None:
                    at = f"{section}[{index}].{key}"
                    problems.append(Problem(deal.locate(at), None, None, at, problem))
            continue
        else:
            continue
        problems.append(Problem(deal.locate(path), None, None, path, message))
    if problems:
        raise InvalidInput(problems)


def _document(
    deal: model.Deal,
    playbook: Playbook,
    library: Library,
    kind: str,
    key: str | None,
    stem: str,
    context: dict[str, Any],
) -> DocumentPlan:
    choices = []
    for slot in playbook.slots_for(kind):
        choice = _choose(deal, slot, library, context)
        if choice is not None:
            choices.append(choice)
    return DocumentPlan(kind, key, stem, tuple(choices))


def _choose(
    deal: model.Deal, slot: Slot, library: Library, context: dict[str, Any]
) -> Choice | None:
    # A rule is chosen because its condition holds and every earlier one did not: it read
    # what all of them read.
    seen: dict[str, None] = {}
    for rule in slot.rules:
        if rule.when is not None:
            seen.update(dict.fromkeys(rule.when.paths))
            if not _holds(rule.when, context, f"rule {rule.id}"):
                continue
        if rule.clause == "omit":  # the playbook's way to say the slot has no text here
            return None
        if rule.clause not in library.clauses:
            raise InvalidInput(
                [
                    Problem(
                        rule.file,
                        rule.line,
                        None,
                        f"slots.{slot.slot}.{rule.id}",
                        f"names clause {rule.clause!r}, which is not in the library",
                    )
                ]
            )
        paths = tuple(seen)
        reads = tuple((p, value_of(p, context)) for p in paths)
        defaulted = tuple(
            d for d in deal.defaulted if any(p == d or p.startswith(d + ".") for p in paths)
        )
        clause = library.get(rule.clause)
        status = library.status_of(clause)
        return Choice(slot.slot, slot.heading, clause, rule.id, reads, defaulted, status)
    return None


def annex_letters(
    term_sheet: DocumentPlan, playbook: Playbook, patent_annex: bool = True
) -> dict[str, str]:
    """The letter of each annex the term sheet has, in order and without gaps: the patent
    schedule is A (a portfolio licence listing no family has none), then each annex
    slot the playbook chose a clause for."""
    roles = {s.slot: s.role for s in playbook.slots}
    chosen = [c.slot for c in term_sheet.choices if roles[c.slot] == "annex"]
    annexes = ["patents", *chosen] if patent_annex else chosen
    return {slot: chr(ord("A") + i) for i, slot in enumerate(annexes)}


def localised(text: str, locale: str) -> str:
    """A heading in the deal's spelling ("Pre-existing Licenses" in an en-US deal)."""
    return us_spelling(text) if locale == "en-US" else text


def _missing(playbook: Playbook, document: DocumentPlan) -> list[str]:
    chosen = {c.slot for c in document.choices}
    return [
        s.slot for s in playbook.slots_for("side_letter") if s.slot not in chosen and s.required
    ]


def _holds(condition: Condition, context: dict[str, Any], what: str) -> bool:
    try:
        return condition(context)
    except RENDER_ERRORS as exc:
        raise InvalidInput(
            [
                Problem(
                    condition.file,
                    condition.line,
                    None,
                    what,
                    f"condition {condition.source!r} failed: {exc}",
                )
            ]
        ) from None


def value_of(path: str, context: dict[str, Any]) -> str:
    """The value at a dotted path of the context, as the deal file writes it."""
    value: Any = context
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return as_written(value)
