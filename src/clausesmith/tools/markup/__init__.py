"""`clausesmith markup`: the other side's edited Word file read back, head by head.

Their file is read with every tracked change accepted (`docx.accepted`), matched to our
rendering paragraph by paragraph (`markup.align`), and each edited clause is compared with
every library clause of its slot as the playbook would render it for this deal, or for the
deal with one value changed (`markup.deal`). An edit that one of those renderings gives
word for word is "reproduced" by that change of the deal; the changed deal is planned again
and its new guardrail findings reported. An edit nothing reproduces is off-playbook.

Exit codes: 3 when a deal change that an edit maps to (or moves toward) is blocked by a
guardrail; else 5 when some text is off-playbook; else 0.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from clausesmith.docx.accepted import accept_all
from clausesmith.docx.wordxml import DOCUMENT, parse, read_docx, read_parts, w
from clausesmith.errors import (
    EXIT_BLOCKED,
    EXIT_OFF_PLAYBOOK,
    EXIT_OK,
    InvalidInput,
    UsageError,
    invalid,
)
from clausesmith.files import write_file
from clausesmith.library.clause import Clause
from clausesmith.pipeline import Inputs, render_plan
from clausesmith.templating.reads import template_reads
from clausesmith.tools.compare.word_diff import diff, hunks, similarity
from clausesmith.tools.compare.words import words
from clausesmith.tools.markup.align import Alignment, align, matched_count, paragraphs
from clausesmith.tools.markup.deal import (
    Change,
    DealVariants,
    numbers,
    shown,
    typed,
)
from clausesmith.tools.redline import Rendering, load_side
from clausesmith.write.lockfile import LOCK_NAME, Lock, paragraph_hash

PHRASE = 4  # words in a row that make their insertion another position's wording
MAX_NUMBERS = 6  # new numbers in their text tried as deal values
MAX_RENDERS = 16  # whole documents rendered to check edits outside the clauses


@dataclass
class Candidate:
    clause: Clause | None  # None: the playbook leaves the head out
    changes: tuple[Change, ...] | None  # None: no change of one deal value chooses it
    text: str

    @property
    def name(self) -> str:
        return self.clause.id if self.clause else "(head left out)"

    @property
    def position(self) -> str:
        return self.clause.position if self.clause else "omitted"


@dataclass
class Markup:
    """What `markup` found; `data` is the JSON report."""

    data: dict[str, Any]
    ours: Rendering
    document: str
    theirs_document: bytes  # their document.xml with every change accepted
    parties: list[tuple[str, str]]  # (key, short name) of each party of the deal
    their_lock: Lock  # our lock with their paragraphs as each clause's fingerprints
    exit_code: int = EXIT_OK


def markup(theirs: Path, against: Path, inputs: Inputs) -> Markup:
    parts = read_docx(theirs)
    root = accept_all(parse(parts[DOCUMENT], f"{theirs}/{DOCUMENT}"))
    body = root.find(w("body"))
    if body is None:
        raise invalid(str(theirs), "", "has no document body")
    ours = load_side(against, inputs)
    deal = DealVariants(_spec_of(against, ours), inputs)
    name = _which_document(theirs, body, ours)
    clauses = ours.clauses(name)
    our_root = parse(read_parts(ours.files[name], name)[DOCUMENT], name)
    our_body = our_root.find(w("body"))
    assert our_body is not None  # we wrote it
    alignment = align(our_body, body, clauses)
    headings = {s.slot: s.heading for s in deal.base.playbook.slots}
    stem = name.removesuffix(".docx")
    heads = []
    exact: list[Change] = []  # every deal change that reproduces a clause edit
    mapped: list[Change] = []  # and every change an edit maps to (reproduced or pointed to)
    for clause in clauses:
        slot = clause.slot
        ours_text = "\n".join(alignment.ours.get(slot, []))
        theirs_text = "\n".join(alignment.theirs.get(slot, []))
        head: dict[str, Any] = {
            "slot": slot,
            "heading": headings.get(slot, slot),
            "clause": clause.id,
            "position": clause.position,
            "status": _status(ours_text, theirs_text, alignment.moved.get(slot)),
        }
        if head["status"] != "unchanged":
            head["moved_to"] = [headings.get(s, s) for s in alignment.moved.get(slot, [])]
            found, reproduced, toward = _analyse(
                deal, stem, slot, ours_text, theirs_text, clause.id
            )
            head.update(found)
            exact.extend(c for c in reproduced if c not in exact)
            mapped.extend(c for c in reproduced + toward if c not in mapped)
        heads.append(head)
    renders = _Renders(deal, inputs, name)
    outside = []
    for old, new, where in alignment.outside:
        item, reproduced = _outside(deal, renders, old, new, exact)
        item["row"] = where if where not in (old, new) else ""
        outside.append(item)
        mapped.extend(c for c in reproduced if c not in mapped)
    together = _together(deal, mapped)
    data: dict[str, Any] = {
        "theirs": str(theirs),
        "against": str(against),
        "document": name,
        "heads": heads,
        "outside": outside,
        "together": together,
    }
    code = data["exit_code"] = _exit_code([*heads, *outside, *([together] if together else [])])
    accepted = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    parties = [(p.key, p.short_name) for p in deal.base.deal.parties]
    return Markup(data, ours, name, accepted, parties, _their_lock(ours, name, alignment), code)


def _their_lock(ours: Rendering, name: str, alignment: Alignment) -> Lock:
    """Our lock, with each clause of `name` fingerprinted by the paragraphs of theirs it was
    matched to: the redline then diffs an edited paragraph word by word in its clause."""
    fingerprints = {
        slot: tuple(paragraph_hash(t) for t in texts)
        for slot, texts in alignment.theirs_raw.items()
    }
    return ours.lock.with_paragraphs(name, fingerprints)


def _spec_of(against: Path, ours: Rendering) -> Path:
    """The deal file behind OURS: itself, or the one its lock names (unchanged since)."""
    if not against.is_dir():
        return against
    path = (against / (ours.lock.spec_path or "")).resolve()
    lock = str(against / LOCK_NAME)
    if not path.is_file():
        raise invalid(lock, "spec.path", f"names the deal {path}, which is not there; pass the "
                      "deal file itself as --against")  # fmt: skip
    from clausesmith.inputs.yamlio import read_text
    from clausesmith.write.lockfile import sha256

    if sha256(read_text(path, str(path)).encode("utf-8")) != ours.lock.spec_sha256:
        raise invalid(lock, "spec.sha256", f"the deal {path} has changed since this folder was "
                      "rendered; render it again, or pass the deal file as --against")  # fmt: skip
    return path


def _which_document(theirs: Path, body: etree._Element, ours: Rendering) -> str:
    """Our document their file is a markup of: the one most of whose paragraphs it keeps."""
    counts = {name: matched_count(body, ours.clauses(name)) for name in ours.documents()}
    best = max(counts, key=lambda n: counts[n], default=None)
    if best is None or counts[best] == 0:
        raise invalid(str(theirs), "", f"keeps no clause paragraph of any document of "
                      f"{ours.label}; is it a markup of another deal?")  # fmt: skip
    return best


def _status(ours: str, theirs: str, moved: list[str] | None) -> str:
    if not theirs:
        return "deleted"
    if moved or (ours != theirs and sorted(ours.split("\n")) == sorted(theirs.split("\n"))):
        return "moved"
    return "unchanged" if ours == theirs else "edited"


# --------------------------------------------------------------------------- one head


def _analyse(
    deal: DealVariants, stem: str, slot: str, ours: str, theirs: str, our_id: str
) -> tuple[dict[str, Any], tuple[Change, ...], tuple[Change, ...]]:
    """The report on one edited head, the deal change that reproduces it (if any), and the
    one it points to (if any)."""
    candidates = _candidates(deal, stem, slot, theirs)
    reproduced = next(
        (c for c in candidates if _same(c.text, theirs) and c.changes is not None), None
    )
    if reproduced is None and theirs:
        reproduced = _refined(deal, stem, slot, theirs, candidates)
    listed = [c for c in candidates if c.clause is not None or not theirs]
    ranked = sorted(listed, key=lambda c: -similarity(theirs, c.text))
    toward = None if reproduced else _moves_toward(ours, theirs, candidates, our_id)
    guard = reproduced.changes if reproduced else (toward.changes if toward else None)
    found = {
        "diff": diff(ours, theirs),
        "nearest": [
            {"clause": c.name, "position": c.position, "similarity": _pct(theirs, c.text)}
            for c in ranked[:3]
        ],
        "reproduced_by": _candidate_data(reproduced, deal) if reproduced else None,
        "moves_toward": None if toward is None else _candidate_data(toward, deal),
        "findings": _new_findings(deal, guard) if guard else [],
        "off_playbook": reproduced is None,
    }
    return (
        found,
        (reproduced.changes or ()) if reproduced else (),
        (toward.changes or ()) if toward else (),
    )


def _moves_toward(
    ours: str, theirs: str, candidates: list[Candidate], our_id: str
) -> Candidate | None:
    """The other position whose own wording their insertions bring in: the one sharing the
    most phrases of PHRASE words with what they added, phrases our clause lacks (an inserted
    "exclusive (including as against the grantor)" is the exclusive grant-back's wording;
    an inserted "thirty (30) days' notice" is no one position's). Deletions alone point
    nowhere: words struck out are missing from many positions."""
    added = {g for h in hunks(ours, theirs) for g in _phrases(h.new)}
    added -= _phrases(ours)
    best: Candidate | None = None
    most = 0
    for candidate in candidates:
        if candidate.name == our_id or not candidate.changes or candidate.clause is None:
            continue
        shared = len(added & _phrases(candidate.text))
        if shared > most:
            best, most = candidate, shared
    return best


def _phrases(text: str) -> set[tuple[str, ...]]:
    found = [t.lower() for t in words(text) if t[0].isalnum()]
    return {tuple(found[i : i + PHRASE]) for i in range(len(found) - PHRASE + 1)}


def _candidates(deal: DealVariants, stem: str, slot: str, theirs: str) -> list[Candidate]:
    """Each clause the playbook may put in `slot`: as it is, and as one changed deal value
    (a value the rules of the slot read) makes the playbook choose it."""
    clause, text = deal.slot_text(deal.base, stem, slot)
    found = {clause.id if clause else "": Candidate(clause, (), text)}
    rules = next((s.rules for s in deal.base.playbook.slots if s.slot == slot), ())
    paths = dict.fromkeys(p for r in rules if r.when for p in r.when.paths)
    for path in (deal.deal_path(p, stem) for p in paths):
        for value in deal.choices(path):
            if value == deal.value(path):
                continue
            the_plan, changes = _valid_plan(deal, ((path, value),), theirs)
            if the_plan is None:
                continue
            try:
                clause, text = deal.slot_text(the_plan, stem, slot)
            except InvalidInput:  # a clause that does not render for that deal is no candidate
                continue
            found.setdefault(clause.id if clause else "", Candidate(clause, changes, text))
    for clause in deal.inputs.library.clauses.values():
        if clause.slot == slot and clause.id not in found:
            rendered = deal.render_with(clause, stem)
            if rendered is not None:
                found[clause.id] = Candidate(clause, None, rendered)
    return list(found.values())


def _valid_plan(
    deal: DealVariants, changes: tuple[Change, ...], theirs: str
) -> tuple[Any, tuple[Change, ...]]:
    """The plan of a changed deal; if the format then needs a number it lacks (a rate for
    a royalty-bearing grant-back), each number of their text is tried for it."""
    the_plan = deal.plan(changes)
    if the_plan is not None:
        return the_plan, changes
    section = changes[0][0].split(".")[0]
    for leaf in deal.leaves({section}):
        kind = deal.number_type(leaf.path)
        if leaf.value is not None or kind is None:
            continue
        for number in numbers(theirs)[:MAX_NUMBERS]:
            value = typed(number, kind)
            filled = (*changes, (leaf.path, value))
            if value is not None and (the_plan := deal.plan(filled)) is not None:
                return the_plan, filled
    return None, changes


def _refined(
    deal: DealVariants, stem: str, slot: str, theirs: str, candidates: list[Candidate]
) -> Candidate | None:
    """A candidate with one more value changed, taken from their text: a number they
    typed, or words they replaced in a value the deal holds (an address)."""
    for candidate in candidates:
        if candidate.changes is None or candidate.clause is None:
            continue
        sections = {deal.section(r.path[0]) for r in template_reads(candidate.clause.body)}
        for change in _value_changes(deal, sections, candidate.text, theirs):
            changes = (*candidate.changes, change)
            the_plan = deal.plan(changes)
            if the_plan is None:
                continue
            try:
                clause, text = deal.slot_text(the_plan, stem, slot)
            except InvalidInput:
                continue
            if _same(text, theirs):
                return Candidate(clause, changes, text)
    return None


def _value_changes(deal: DealVariants, sections: set[str], ours: str, theirs: str) -> list[Change]:
    changes: list[Change] = []
    new_numbers = [n for n in numbers(theirs) if n not in numbers(ours)][:MAX_NUMBERS]
    replaced = [h for h in hunks(ours, theirs) if h.old]
    for leaf in deal.leaves(sections):
        kind = deal.number_type(leaf.path)
        if kind and not isinstance(leaf.value, bool):
            changes.extend((leaf.path, v) for n in new_numbers if (v := typed(n, kind)) is not None)
        elif isinstance(leaf.value, str):
            value = leaf.value
            for hunk in replaced:
                value = value.replace(hunk.old, hunk.new)
            if value != leaf.value:
                changes.append((leaf.path, value))
    return changes


def _candidate_data(candidate: Candidate, deal: DealVariants) -> dict[str, Any]:
    return {
        "clause": candidate.name,
        "position": candidate.position,
        "changes": [
            {"path": p, "from": shown(deal.value(p)), "to": shown(v)}
            for p, v in candidate.changes or ()
        ],
    }


def _same(rendered: str, theirs: str) -> bool:
    """The same words: where one paragraph ends and the next begins is layout (the legend's
    two paragraphs are printed as one)."""
    return rendered.split() == theirs.split()


def _pct(a: str, b: str) -> int:
    """Whole per cent, rounded down: 100% only for the very same words."""
    return math.floor(similarity(a, b) * 100)


def _new_findings(deal: DealVariants, changes: tuple[Change, ...]) -> list[dict[str, Any]]:
    """The guardrail findings the changed deal has and ours has not."""
    the_plan = deal.plan(changes)
    if the_plan is None:
        return []
    before = {f.rule for f in deal.base.findings}
    return [
        {"rule": f.rule, "title": f.title, "severity": f.severity, "blocks": f.blocks}
        for f in the_plan.findings
        if f.rule not in before
    ]


# --------------------------------------------------------------------------- outside clauses


def _outside(
    deal: DealVariants, renders: _Renders, old: str | None, new: str | None, exact: list[Change]
) -> tuple[dict[str, Any], tuple[Change, ...]]:
    status = "edited" if old and new else ("deleted" if old else "new")
    item: dict[str, Any] = {"status": status, "ours": old, "theirs": new}
    item["diff"] = diff(old or "", new or "")
    reproduced = None
    if old and new:
        # the changes that reproduce clause edits, one by one, then all together (an annex
        # figure moves with the rate), then their words put into a text value
        tries: list[tuple[Change, ...]] = [(c,) for c in exact]
        tries += [tuple(exact)] if len(exact) > 1 else []
        sections = {k for k in deal.data if isinstance(deal.data[k], dict | list)}
        tries.extend(
            (c,) for c in _value_changes(deal, sections, old, new) if isinstance(c[1], str)
        )
        reproduced = next((c for c in tries if new in renders.paragraphs(c)), None)
    item["reproduced_by"] = (
        None
        if reproduced is None
        else {
            "clause": None,
            "position": None,
            "changes": [
                {"path": p, "from": shown(deal.value(p)), "to": shown(v)} for p, v in reproduced
            ],
        }
    )
    item["findings"] = _new_findings(deal, reproduced) if reproduced else []
    item["off_playbook"] = reproduced is None
    return item, reproduced or ()


class _Renders:
    """The paragraphs of our document rendered from changed deals, each deal rendered once
    and at most MAX_RENDERS deals in all (a whole render is some 100 ms)."""

    def __init__(self, deal: DealVariants, inputs: Inputs, document: str) -> None:
        self.deal, self.inputs, self.document = deal, inputs, document
        self.done: dict[str, set[str]] = {}

    def paragraphs(self, changes: tuple[Change, ...]) -> set[str]:
        key = repr(changes)
        if key not in self.done:
            if len(self.done) >= MAX_RENDERS:
                return set()
            self.done[key] = self._render(changes)
        return self.done[key]

    def _render(self, changes: tuple[Change, ...]) -> set[str]:
        the_plan = self.deal.plan(changes)
        if the_plan is None or the_plan.blocking:
            return set()
        files = render_plan(the_plan, self.inputs).files
        if self.document not in files:
            return set()
        part = read_parts(files[self.document], self.document)[DOCUMENT]
        body = parse(part, self.document).find(w("body"))
        return set() if body is None else {p.text for p in paragraphs(body, [])}


def _together(deal: DealVariants, mapped: list[Change]) -> dict[str, Any] | None:
    """Every deal change their edits map to, made at once: the deal as they would have it
    (when there are two or more; one is reported with its edit)."""
    changes = dict(reversed(mapped))  # the first change of each value wins
    if len(changes) < 2:
        return None
    raw = tuple((p, changes[p]) for p in dict.fromkeys(p for p, _ in mapped))
    return {
        "changes": [{"path": p, "from": shown(deal.value(p)), "to": shown(v)} for p, v in raw],
        "valid": deal.plan(raw) is not None,
        "findings": _new_findings(deal, raw),
    }


def _exit_code(items: list[dict[str, Any]]) -> int:
    if any(f["blocks"] for i in items for f in i.get("findings", [])):
        return EXIT_BLOCKED
    if any(i.get("off_playbook") for i in items):
        return EXIT_OFF_PLAYBOOK
    return EXIT_OK


# --------------------------------------------------------------------------- --redline


def markup_redline(found: Markup, author: str) -> bytes:
    """Our document with their changes as tracked changes by `author`: their accepted text
    in our package (our styles, headers and section), so nothing of theirs but words comes
    through."""
    from clausesmith.docx.zipwrite import utc_naive, write_parts
    from clausesmith.tools.redline import Revision, created, redline_document

    parts = read_parts(found.ours.files[found.document], found.document)
    theirs = etree.fromstring(found.theirs_document)
    ours = parse(parts[DOCUMENT], found.document)
    _keep_our_section(ours, theirs)
    _drop_foreign_links(theirs, parts)
    parts[DOCUMENT] = etree.tostring(
        theirs, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    when = created(parts)
    new = Rendering(
        "theirs", {found.document: write_parts(parts, utc_naive(when))}, found.their_lock
    )
    return redline_document(found.ours, new, found.document, Revision(author, when))


def _keep_our_section(ours: etree._Element, theirs: etree._Element) -> None:
    body, their_body = ours.find(w("body")), theirs.find(w("body"))
    if body is None or their_body is None:
        return
    for section in their_body.findall(w("sectPr")):
        their_body.remove(section)
    ours_section = body.find(w("sectPr"))
    if ours_section is not None:
        their_body.append(ours_section)


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _drop_foreign_links(root: etree._Element, parts: dict[str, bytes]) -> None:
    """Elements naming a relationship our package lacks (their images, hyperlinks): a
    hyperlink keeps its text, anything else goes."""
    rels = parts.get("word/_rels/document.xml.rels", b"")
    known = set(re.findall(rb'Id="([^"]+)"', rels))
    for element in list(root.iter()):
        ids = [v for k, v in element.attrib.items() if str(k).startswith(f"{{{R_NS}}}")]
        if not ids or all(str(i).encode() in known for i in ids) or element.getparent() is None:
            continue
        holder = next(element.iterancestors(w("drawing"), w("pict"), w("object")), None)
        element = element if holder is None else holder
        parent = element.getparent()
        if parent is None:
            continue
        if element.tag == w("hyperlink"):
            at = parent.index(element)
            for offset, child in enumerate(list(element)):
                parent.insert(at + offset, child)
        parent.remove(element)


def party_name(found: Markup, key: str | None) -> str:
    """The short name of the party that sent their file: `key`, else the second party."""
    parties = found.parties
    if key is None:
        return parties[-1][1]
    for party_key, short in parties:
        if party_key == key:
            return short
    known = ", ".join(k for k, _ in parties)
    raise UsageError(f"--them: {key!r} is not a party of the deal; its parties are {known}")


def write_markup_redline(found: Markup, them: str | None, target: Path) -> None:
    """--redline OUT.docx, written whole or not at all."""
    write_file(target, markup_redline(found, party_name(found, them)))  # unique O_EXCL temporary
