"""Which clause each paragraph of a rendered Word document belongs to, by the lock's
fingerprints: redline aligns by it, and the review copy anchors its comments by it.

The lock keeps a fingerprint of every paragraph a clause rendered. A paragraph of the
document belongs to the clause whose fingerprint matches its text, or the end of its text
(a heads-of-terms cell may print a number or label before the clause's words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from lxml import etree

from clausesmith.docx.wordxml import run_text, w
from clausesmith.write.lockfile import LockedClause, paragraph_hash

Tag = tuple[str, str]  # (slot, clause id)


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(run_text(r, deleted=False) for r in paragraph.iter(w("r")))


def clause_owners(
    body: etree._Element, clauses: Sequence[LockedClause]
) -> dict[etree._Element, Tag]:
    """Each paragraph under `body` that a clause of the lock rendered, with that clause.

    Within budgets (a Word file may be anyone's): per paragraph MAX_HASHED_CHARACTERS, per
    document MAX_HASHES fingerprints; a paragraph past them is treated as text outside
    clauses (redline then diffs it word by word), never an error."""
    owners: dict[str, Tag] = {}
    for clause in clauses:
        for digest in clause.paragraphs:
            owners.setdefault(digest, (clause.slot, clause.id))
    found: dict[etree._Element, Tag] = {}
    hashes_left = MAX_HASHES if owners else 0
    for paragraph in body.iter(w("p")):
        if hashes_left <= 0:
            break
        # stripped: a page break LibreOffice moves into the end of a paragraph is no text
        text = paragraph_text(paragraph).strip()
        for start in _suffix_starts(text):
            hashes_left -= 1
            owner = owners.get(paragraph_hash(text[start:]))
            if owner:
                found[paragraph] = owner
                break
            if hashes_left <= 0:
                break
    return found


def clause_start(text: str, digests: set[str]) -> int | None:
    """Where a clause's own words start in a paragraph's `text` (after any label the
    document prints before them), if a fingerprint in `digests` knows them."""
    return next((s for s in _suffix_starts(text) if paragraph_hash(text[s:]) in digests), None)


# Hashing every suffix of a paragraph costs its length times its words: fine for a clause,
# hours for a hostile 1 MB paragraph of single letters, or 50,000 long paragraphs. Past
# these, later starts are not tried (a term sheet needs some 30,000 hashes, and a real
# paragraph some 100,000 characters hashed).
MAX_HASHES = 300_000
MAX_HASHED_CHARACTERS = 2_000_000


def _suffix_starts(text: str) -> Iterator[int]:
    """Where a clause's paragraph may start: the start, or after a space or tab, within the
    hashing budget."""
    budget = MAX_HASHED_CHARACTERS - len(text)
    yield 0
    for match in re.finditer(r"\s+", text):
        budget -= len(text) - match.end()
        if budget < 0:
            return
        yield match.end()
