"""A 40-page agreement and the other side's revision of it, for the redline benchmark and
the redline's tests.

OLD: every paragraph of the reference term sheet (body and heads-of-terms cells), laid out
as a long-form agreement, numbered, part after part, each part with other party names,
until it holds `words` words (18,000 by default: some 40 pages). Each clause paragraph is
fingerprinted in the lock as `render` does, its slot numbered by part. NEW: OLD as a
counterparty returns it: words edited in some paragraphs, paragraphs deleted, inserted and
moved far away, a heading outside the clauses renamed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from clausesmith.docx.wordxml import DOCUMENT, parse, read_parts, w
from clausesmith.docx.zipwrite import write_parts
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from clausesmith.tools.clause_paragraphs import clause_owners, paragraph_text
from clausesmith.tools.redline import Rendering, created
from clausesmith.write.lockfile import (
    LOCK_NAME,
    Lock,
    LockedClause,
    LockedDocument,
    paragraph_hash,
    parse_lock,
    sha256,
)

ROOT = Path(__file__).resolve().parent.parent
# The deal the agreement is built from is pinned (the reference deal of an earlier round, with
# no grant-back), so the redline benchmark measures the same 40 pages from round to round.
REFERENCE = Path(__file__).resolve().parent / "agreement-deal.yaml"
NAME = "agreement.docx"
PARTIES = [("Acme", "Beta"), ("Gamma", "Delta"), ("Epsilon", "Zeta"), ("Eta", "Theta")]
INSERTED = "The parties will meet once in each quarter to review the operation of this part."


@dataclass
class Changes:
    """The text of each paragraph NEW edited (as OLD has it), deleted, inserted or moved."""

    edited: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Agreement:
    old: Rendering
    new: Rendering
    words: int
    changes: Changes


def agreement(words: int = 18_000) -> Agreement:
    """OLD and NEW of a long agreement (see the module's docstring)."""
    rendered = render_deal(REFERENCE, Inputs(Sources.resolve()), out_dir=ROOT / "out")
    lock = parse_lock(LOCK_NAME, rendered.files[LOCK_NAME])
    clauses = lock.clauses("term-sheet.docx")
    parts = read_parts(rendered.files["term-sheet.docx"], "term-sheet.docx")
    root = parse(parts[DOCUMENT], "term-sheet.docx")
    body = root.find(w("body"))
    assert body is not None
    owners = clause_owners(body, clauses)
    source = [p for p in body.iter(w("p")) if paragraph_text(p).strip()]

    old: list[tuple[etree._Element, str | None]] = []  # (paragraph, slot)
    count, part = 0, 0
    while count < words:
        first, second = PARTIES[part % len(PARTIES)]
        old.append((_paragraph(source[0], f"Part {part + 1}"), None))
        for number, paragraph in enumerate(source, 1):
            if count >= words:
                break
            copied = _renamed(paragraph, first, second, f"{part + 1}.{number} ")
            owner = owners.get(paragraph)
            old.append((copied, f"{owner[0]}.{part + 1}" if owner else None))
            count += len(paragraph_text(copied).split())
        part += 1
    changes = Changes()
    new = _revised(old, changes)
    return Agreement(
        _rendering("old", root, parts, old, clauses),
        _rendering("new", root, parts, new, clauses),
        count,
        changes,
    )


def _revised(
    old: list[tuple[etree._Element, str | None]], made: Changes
) -> list[tuple[etree._Element, str | None]]:
    """What a counterparty sends back: one paragraph in 23 edited, in 41 deleted, in 37
    followed by a new one, in 97 moved some 300 paragraphs on; one heading renamed."""
    new: list[tuple[etree._Element, str | None]] = []
    moved: dict[int, list[tuple[etree._Element, str | None]]] = {}
    for i, (paragraph, slot) in enumerate(old):
        copied, text = copy.deepcopy(paragraph), paragraph_text(paragraph)
        landing = moved.pop(i, [])  # moved here from 300 paragraphs before
        if i % 97 == 13 and i + 300 < len(old):
            moved.setdefault(i + 300, []).append((copied, slot))
            made.moved.append(text)
        elif i % 41 == 7:
            made.deleted.append(text)
        else:
            if i % 23 == 5:
                _edit(copied)
                made.edited.append(text)
            elif text == "Part 2":
                _set_text(copied, "Part Two")
                made.edited.append(text)
            new.append((copied, slot))
            if i % 37 == 11:
                new.append((_paragraph(paragraph, INSERTED), slot))
                made.inserted.append(INSERTED)
        new.extend(landing)
    return new


def _edit(paragraph: etree._Element) -> None:
    """A lawyer's edit: "will" becomes "shall" once, a proviso is added at the end."""
    texts = [t for t in paragraph.iter(w("t")) if t.text]
    for t in texts:
        if t.text and " will " in t.text:
            t.text = t.text.replace(" will ", " shall ", 1)
            break
    if texts:
        texts[-1].text = (texts[-1].text or "") + " This is subject to applicable law."


def _renamed(paragraph: etree._Element, first: str, second: str, number: str) -> etree._Element:
    """The paragraph with other party names, numbered as a long-form agreement numbers its
    paragraphs (so no two hold the same text)."""
    copied = copy.deepcopy(paragraph)
    texts = [t for t in copied.iter(w("t")) if t.text]
    for t in texts:
        t.text = (t.text or "").replace("Acme", first).replace("Beta", second)
    if texts:
        texts[0].text = number + (texts[0].text or "")
    return copied


def _paragraph(like: etree._Element, text: str) -> etree._Element:
    """A paragraph formatted as `like`, holding `text` in one run."""
    paragraph = copy.deepcopy(like)
    _set_text(paragraph, text)
    return paragraph


def _set_text(paragraph: etree._Element, text: str) -> None:
    props = paragraph.find(w("pPr"))
    run = copy.deepcopy(paragraph.find(w("r")))
    paragraph[:] = [] if props is None else [props]
    if run is None:
        run = etree.SubElement(paragraph, w("r"))
    else:
        paragraph.append(run)
    for child in list(run):
        if child.tag != w("rPr"):
            run.remove(child)
    etree.SubElement(run, w("t")).text = text


def _rendering(
    label: str,
    root: etree._Element,
    parts: dict[str, bytes],
    paragraphs: list[tuple[etree._Element, str | None]],
    clauses: tuple[LockedClause, ...],
) -> Rendering:
    document = copy.deepcopy(root)
    body = document.find(w("body"))
    assert body is not None
    section = body.find(w("sectPr"))
    body[:] = [p for p, _ in paragraphs] + ([] if section is None else [section])
    ids = {c.slot: c.id for c in clauses}
    fingerprints: dict[str, list[str]] = {}
    for paragraph, slot in paragraphs:
        if slot is not None:
            text = paragraph_text(paragraph).strip()
            fingerprints.setdefault(slot, []).append(paragraph_hash(text))
    locked = tuple(
        LockedClause(slot, ids[slot.rsplit(".", 1)[0]], None, tuple(hashes))
        for slot, hashes in fingerprints.items()
    )
    files = dict(parts)
    files[DOCUMENT] = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    docx = write_parts(files, created(parts))
    lock = Lock((LockedDocument(NAME, sha256(docx), locked),), None, None)
    return Rendering(label, {NAME: docx}, lock)
