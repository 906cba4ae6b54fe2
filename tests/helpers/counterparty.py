"""Edits a counterparty makes to our Word file, made the way Word writes them: by editing
document.xml, silently or as tracked changes (w:ins / w:del) by their author."""

from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

from clausesmith.docx.wordxml import DOCUMENT, w
from clausesmith.tools.clause_paragraphs import paragraph_text
from clausesmith.write.lockfile import LockedClause

AUTHOR = "Beta"
DATE = "2026-03-09T10:00:00Z"
_ids = iter(range(9000, 99999))


def _edit(data: bytes, change: object) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(parts[DOCUMENT])
    change(root)  # type: ignore[operator]
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def _paragraph(root: etree._Element, text: str) -> etree._Element:
    found = [p for p in root.iter(w("p")) if text in paragraph_text(p)]
    assert len(found) == 1, f"{len(found)} paragraphs hold {text!r}"
    return found[0]


def _mark(kind: str) -> etree._Element:
    mark = etree.Element(w(kind))
    mark.set(w("id"), str(next(_ids)))
    mark.set(w("author"), AUTHOR)
    mark.set(w("date"), DATE)
    return mark


def _run(text: str, props: etree._Element | None, deleted: bool = False) -> etree._Element:
    run = etree.Element(w("r"))
    if props is not None:
        run.append(copy.deepcopy(props))
    t = etree.SubElement(run, w("delText" if deleted else "t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def replace(data: bytes, old: str, new: str, tracked: bool) -> bytes:
    """Their words `new` for our `old`, inside the one paragraph that holds `old`."""

    def change(root: etree._Element) -> None:
        p = _paragraph(root, old)
        text = paragraph_text(p)
        props = p.find(f"{w('r')}/{w('rPr')}")
        for run in p.findall(w("r")):
            p.remove(run)
        before, after = text.split(old, 1)
        if not tracked:
            p.append(_run(before + new + after, props))
            return
        p.append(_run(before, props))
        if old:
            deleted = _mark("del")
            deleted.append(_run(old, props, deleted=True))
            p.append(deleted)
        if new:
            inserted = _mark("ins")
            inserted.append(_run(new, props))
            p.append(inserted)
        p.append(_run(after, props))

    return _edit(data, change)


def delete_paragraph(data: bytes, text: str, tracked: bool) -> bytes:
    def change(root: etree._Element) -> None:
        p = _paragraph(root, text)
        if not tracked:
            parent = p.getparent()
            assert parent is not None
            parent.remove(p)
            return
        for run in p.findall(w("r")):
            for t in run.iter(w("t")):
                t.tag = w("delText")
            mark = _mark("del")
            p.replace(run, mark)
            mark.append(run)
        props = p.find(w("pPr"))
        if props is None:
            props = etree.SubElement(p, w("pPr"))
            p.insert(0, props)
        rpr = props.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(props, w("rPr"))
        rpr.append(_mark("del"))

    return _edit(data, change)


def delete_row(data: bytes, text: str, tracked: bool) -> bytes:
    """The table row holding `text`, struck whole (a deleted head)."""

    def change(root: etree._Element) -> None:
        row = next(_paragraph(root, text).iterancestors(w("tr")))
        if not tracked:
            parent = row.getparent()
            assert parent is not None
            parent.remove(row)
            return
        props = row.find(w("trPr"))
        if props is None:
            props = etree.Element(w("trPr"))
            row.insert(0, props)
        props.append(_mark("del"))
        for run in list(row.iter(w("r"))):
            for t in run.iter(w("t")):
                t.tag = w("delText")
            mark = _mark("del")
            parent = run.getparent()
            assert parent is not None
            parent.replace(run, mark)
            mark.append(run)

    return _edit(data, change)


def move_paragraph(data: bytes, text: str, after: str) -> bytes:
    """The paragraph holding `text` cut and pasted after the one holding `after`."""

    def change(root: etree._Element) -> None:
        p = _paragraph(root, text)
        _paragraph(root, after).addnext(p)

    return _edit(data, change)


def replace_everywhere(data: bytes, changes: dict[str, str]) -> bytes:
    """Their figures typed over ours wherever ours stand (a table of figures redone)."""

    def change(root: etree._Element) -> None:
        for t in root.iter(w("t")):
            for old, new in changes.items():
                t.text = (t.text or "").replace(old, new)

    return _edit(data, change)


def append_to_every_clause(data: bytes, clauses: tuple[LockedClause, ...], words: str) -> bytes:
    """`words` added to the first paragraph of every clause (a careless global edit)."""
    from clausesmith.tools.clause_paragraphs import clause_owners

    def change(root: etree._Element) -> None:
        body = root.find(w("body"))
        assert body is not None
        seen: set[tuple[str, str]] = set()
        for paragraph, owner in clause_owners(body, clauses).items():
            if owner not in seen:
                seen.add(owner)
                last = list(paragraph.iter(w("t")))[-1]
                last.text = (last.text or "") + words

    return _edit(data, change)
