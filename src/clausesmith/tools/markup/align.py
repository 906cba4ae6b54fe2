"""Their paragraphs matched to ours, head by head, for `markup`.

First by the lock's fingerprints (`clause_paragraphs`): an unedited paragraph of a clause is
found wherever they put it. Then by similarity: each of their paragraphs no fingerprint
knows is paired with the most similar of ours that they no longer have (an edited
paragraph). What is still unpaired belongs to the head whose table row it sits in (a
paragraph they added to a clause), else it is new text outside the clauses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from clausesmith.docx.wordxml import w
from clausesmith.tools.clause_paragraphs import clause_owners, clause_start, paragraph_text
from clausesmith.tools.compare.pairing import best_first
from clausesmith.tools.compare.word_diff import similarity
from clausesmith.write.lockfile import LockedClause


@dataclass
class Para:
    text: str
    slot: str | None  # the clause's slot, None outside the clauses
    row: etree._Element | None  # the table row it sits in
    exact: bool = False  # found by fingerprint (their side) or found unchanged (our side)
    pair: Para | None = None  # (their side) the paragraph of ours it is an edit of
    raw: str = ""  # the text as the document has it, for fingerprints
    where: str = ""  # in a table row, the text of the row's first cell (its label)


@dataclass
class Alignment:
    ours: dict[str, list[str]]  # slot -> our paragraphs, in order
    theirs: dict[str, list[str]]  # slot -> their paragraphs, in their order
    moved: dict[str, list[str]] = field(default_factory=dict)  # slot -> where they moved it
    theirs_raw: dict[str, list[str]] = field(default_factory=dict)  # as `theirs`, unspaced
    # (ours, theirs, the row it is in) of each change outside the clauses
    outside: list[tuple[str | None, str | None, str]] = field(default_factory=list)


def paragraphs(body: etree._Element, clauses: Sequence[LockedClause]) -> list[Para]:
    owners = clause_owners(body, clauses)
    found = []
    for element in body.iter(w("p")):
        raw = paragraph_text(element).strip()
        if raw:
            owner = owners.get(element)
            row = next(element.iterancestors(w("tr")), None)
            text = " ".join(raw.split())
            para = Para(text, owner[0] if owner else None, row, owner is not None, raw=raw)
            para.where = _label(row) if row is not None else ""
            found.append(para)
    return found


def matched_count(body: etree._Element, clauses: Sequence[LockedClause]) -> int:
    return len(clause_owners(body, clauses))


def align(
    ours_body: etree._Element, theirs_body: etree._Element, clauses: Sequence[LockedClause]
) -> Alignment:
    ours, theirs = paragraphs(ours_body, clauses), paragraphs(theirs_body, clauses)
    _mark_unchanged(ours, theirs)
    _pair_edited(ours, theirs)
    rows = _row_slots(theirs)
    for para in theirs:
        if para.slot is None and not para.exact and para.row is not None:
            para.slot = rows.get(para.row)
    prefixes = _labels(ours, clauses)
    # Slots that share one head in our document (e.g. "Other Terms") are not moves.
    our_row = {p.slot: p.row for p in ours if p.slot and p.row is not None}
    alignment = Alignment({}, {})
    for para in ours:
        if para.slot:
            alignment.ours.setdefault(para.slot, []).append(_unlabelled(para, prefixes)[0])
    for para in theirs:
        if para.slot and para.slot in alignment.ours:
            text, raw = _unlabelled(para, prefixes)
            alignment.theirs.setdefault(para.slot, []).append(text)
            alignment.theirs_raw.setdefault(para.slot, []).append(raw)
            host = rows.get(para.row) if para.row is not None else None
            same_head = host in our_row and our_row.get(host) is our_row.get(para.slot)
            if para.exact and host and host != para.slot and not same_head:
                alignment.moved.setdefault(para.slot, []).append(host)
    alignment.outside = _outside(ours, theirs)
    return alignment


def _labels(ours: list[Para], clauses: Sequence[LockedClause]) -> dict[str, set[str]]:
    """What the document prints before a clause's own words in a paragraph (a side letter's
    "3. Grant-Back. "), by slot: the part before the suffix the lock fingerprints."""
    digests = {d for c in clauses for d in c.paragraphs}
    labels: dict[str, set[str]] = {}
    for para in ours:
        start = clause_start(para.raw, digests) if para.slot else None
        if start:  # 0: no label; None: not a clause paragraph
            labels.setdefault(str(para.slot), set()).add(para.raw[:start])
    return labels


def _unlabelled(para: Para, labels: dict[str, set[str]]) -> tuple[str, str]:
    """A clause paragraph's text and raw text without its label, if it has ours."""
    for label in sorted(labels.get(para.slot or "", ()), key=len, reverse=True):
        if para.raw.startswith(label):
            raw = para.raw[len(label) :]
            return " ".join(raw.split()), raw
    return para.text, para.raw


def _mark_unchanged(ours: list[Para], theirs: list[Para]) -> None:
    """Our paragraphs they still have word for word; theirs outside clauses likewise."""
    left = Counter(p.text for p in theirs)
    for para in ours:
        para.exact = left[para.text] > 0
        if para.exact:
            left[para.text] -= 1
    ours_left = Counter(p.text for p in ours if p.slot is None)
    for para in theirs:
        if para.slot is None and ours_left[para.text]:
            ours_left[para.text] -= 1
            para.exact = True


def _pair_edited(ours: list[Para], theirs: list[Para]) -> None:
    """Each of their unknown paragraphs takes the slot of the most similar of ours that
    they lack, best pairs first, each of ours used once (`compare.pairing.best_first`)."""
    missing = [i for i, p in enumerate(ours) if not p.exact]
    unknown = [i for i, p in enumerate(theirs) if not p.exact]
    texts = ([ours[i].text for i in missing], [theirs[j].text for j in unknown])
    for i, j in best_first(*texts, similarity):
        theirs[unknown[j]].slot = ours[missing[i]].slot
        theirs[unknown[j]].pair = ours[missing[i]]


def _row_slots(theirs: list[Para]) -> dict[etree._Element, str]:
    """The head each table row holds: the slot most of its known paragraphs belong to."""
    counts: dict[etree._Element, Counter[str]] = {}
    for para in theirs:
        if para.row is not None and para.slot and para.exact:
            counts.setdefault(para.row, Counter())[para.slot] += 1
    for para in theirs:  # rows whose every paragraph was edited
        if para.row is not None and para.slot and para.row not in counts:
            counts.setdefault(para.row, Counter())[para.slot] += 1
    return {row: c.most_common(1)[0][0] for row, c in counts.items()}


def _label(row: etree._Element) -> str:
    cell = row.find(w("tc"))
    text = "" if cell is None else " ".join(paragraph_text(p) for p in cell.iter(w("p")))
    return " ".join(text.split())


def _outside(ours: list[Para], theirs: list[Para]) -> list[tuple[str | None, str | None, str]]:
    """Changes to text outside the clauses: (ours, theirs) edited, (ours, None) deleted,
    (None, theirs) added."""
    changes: list[tuple[str | None, str | None, str]] = []
    paired = {id(p.pair): p for p in theirs if p.pair is not None}
    for para in ours:
        if para.slot is not None or para.exact:
            continue
        partner = paired.get(id(para))
        changes.append((para.text, partner.text if partner else None, para.where))
    for para in theirs:
        if para.slot is None and not para.exact and para.pair is None:
            changes.append((None, para.text, para.where))
    return changes
