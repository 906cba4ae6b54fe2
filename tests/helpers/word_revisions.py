"""Small Word documents for redline tests, and a redline read back as Word shows it with
every change accepted or rejected (pandoc does the same, slower)."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from clausesmith.docx.wordxml import DOCUMENT, W_NS, read_parts, w
from clausesmith.docx.zipwrite import write_parts
from clausesmith.tools.redline import Rendering, redline_document
from clausesmith.write import lockfile

NAME = "term-sheet.docx"


def side(
    label: str, blocks: list[str], clause_size: int, old: list[str] | None = None
) -> Rendering:
    """A document of `blocks` (a paragraph's text, or a table's XML), each paragraph
    fingerprinted for the clause OLD's paragraph of that text was in (clause n: OLD's
    paragraphs n*size to n*size+size-1); no fingerprints when `clause_size` is 0."""
    body = "".join(
        b
        if b.startswith("<w:tbl")
        else f"<w:p><w:r><w:t xml:space='preserve'>{b}</w:t></w:r></w:p>"
        for b in blocks
    )
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'.encode()
    slots: dict[str, list[str]] = {}
    if clause_size:
        numbered = old or blocks
        for text in blocks:
            n = numbered.index(text) // clause_size if text in numbered else len(numbered)
            slots.setdefault(f"slot{n}", []).append(lockfile.paragraph_hash(text))
    clauses = tuple(lockfile.LockedClause(s, s, None, tuple(h)) for s, h in slots.items())
    data = write_parts({DOCUMENT: document}, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    lock = lockfile.Lock(
        (lockfile.LockedDocument(NAME, lockfile.sha256(data), clauses),), None, None
    )
    return Rendering(label, {NAME: data}, lock)


def table(*rows: str) -> str:
    """A table of one column, a row per text."""
    cells = "".join(f"<w:tr><w:tc><w:p><w:r><w:t>{r}</w:t></w:r></w:p></w:tc></w:tr>" for r in rows)
    return f"<w:tbl>{cells}</w:tbl>"


def redlined_body(old: Rendering, new: Rendering) -> etree._Element:
    body = etree.fromstring(read_parts(redline_document(old, new, NAME), "redline")[DOCUMENT])
    found = body.find(w("body"))
    assert found is not None
    return found


def read(body: etree._Element, accept: bool) -> list[str]:
    """Paragraph texts as Word shows them with every change accepted (or rejected)."""
    dropped = w("del") if accept else w("ins")
    texts = []
    for paragraph in body.iter(w("p")):
        mark = paragraph.find(f"{w('pPr')}/{w('rPr')}/{dropped}")
        text = "".join(
            t.text or ""
            for t in paragraph.iter(w("t"), w("delText"))
            if not any(a.tag == dropped for a in t.iterancestors())
        )
        if mark is not None:  # the paragraph itself is gone, with all its text
            assert text == ""
            continue
        texts.append(text)
    return texts
