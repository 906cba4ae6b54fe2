"""Which clause each paragraph of a rendered Word document belongs to, by the lock's
fingerprints: redline aligns by it, and the review copy anchors its comments by it.

The lock keeps a fingerprint of every paragraph a clause rendered. A paragraph of the
document belongs to the clause whose fingerprint matches its text, or the end of its text
(a heads-of-terms cell may print a number or label before the clause's words).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from clausesmith.docx.wordxml import run_text, w
from clausesmith.write.lockfile import paragraph_hash

Tag = tuple[str, str]  # (slot, clause id)


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(run_text(r, deleted=False) for r in paragraph.iter(w("r")))


def clause_owners(body: etree._Element, clauses: list[dict[str, Any]]) -> dict[etree._Element, Tag]:
    """Each paragraph under `body` that a clause of the lock rendered, with that clause."""
    owners: dict[str, Tag] = {}
    for clause in clauses:
        for digest in clause.get("paragraphs", []):
            owners.setdefault(str(digest), (str(clause["slot"]), str(clause["id"])))
    found: dict[etree._Element, Tag] = {}
    for paragraph in body.iter(w("p")):
        text = paragraph_text(paragraph)
        for start in _suffix_starts(text):
            owner = owners.get(paragraph_hash(text[start:]))
            if owner:
                found[paragraph] = owner
                break
    return found


MAX_PREFIX_WORDS = 32  # words before a clause's text in its paragraph (a number, a label)


def _suffix_starts(text: str) -> Iterator[int]:
    """Where a clause's paragraph may start: the start, or after one of the first
    MAX_PREFIX_WORDS spaces or tabs (a number or a label before it); no further, so a long
    paragraph of an untrusted file costs a few hashes, not one per word."""
    yield 0
    for match in itertools.islice(re.finditer(r"\s+", text), MAX_PREFIX_WORDS):
        yield match.end()
