"""A Word file from the other side, read with every tracked change accepted.

Accepting changes is what Word's "Accept All" does to the text: insertions and moves-to
stay, deletions and moves-from go, a deleted paragraph mark joins a paragraph to the next,
deleted table rows go, and the record of formatting changes is dropped. (The file itself is
read within the limits of `wordxml.read_docx`.)
"""

from __future__ import annotations

from lxml import etree

from clausesmith.docx.wordxml import w

_GONE = {w("del"), w("moveFrom"), w("pPrChange"), w("rPrChange"), w("sectPrChange")}
_GONE |= {w("tblPrChange"), w("trPrChange"), w("tcPrChange"), w("tblGridChange")}
_GONE |= {w("numberingChange"), w("moveFromRangeStart"), w("moveFromRangeEnd")}
_GONE |= {w("moveToRangeStart"), w("moveToRangeEnd"), w("cellDel")}
_KEPT = {w("ins"), w("moveTo")}  # their content stays, the wrapper goes


def accept_all(root: etree._Element) -> etree._Element:
    """`root` (a document part) with every tracked change accepted, changed in place."""
    for row in list(root.iter(w("tr"))):
        props = row.find(w("trPr"))
        if props is not None and props.find(w("del")) is not None:
            _remove(row)
    for paragraph in list(root.iter(w("p"))):
        mark = paragraph.find(f"{w('pPr')}/{w('rPr')}/{w('del')}")
        if mark is not None and paragraph.getparent() is not None:
            _join_next(paragraph)
    for element in list(root.iter(*_GONE)):
        if element.getparent() is not None and not _is_paragraph_mark(element):
            _remove(element)
    for element in list(root.iter(w("ins"), w("del"))):
        if _is_paragraph_mark(element) or element.getparent() is None:
            _remove(element)
    for element in list(root.iter(*_KEPT)):
        _unwrap(element)
    return root


def _is_paragraph_mark(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and parent.tag in (w("rPr"), w("trPr"))


def _join_next(paragraph: etree._Element) -> None:
    """A deleted paragraph mark: the next paragraph's content joins this one (and the one
    after it too, while the joined paragraph's own mark was deleted)."""
    while True:
        following = paragraph.getnext()
        if following is None or following.tag != w("p"):
            return  # the last paragraph of a cell, or one before a table, keeps its mark
        for child in list(following):
            if child.tag != w("pPr"):
                paragraph.append(child)
        deleted = following.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None
        _remove(following)
        if not deleted:
            return


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """The element's children in its place. addprevious is constant time, where finding
    the element's index is not: 150,000 sibling insertions took minutes that way."""
    parent = element.getparent()
    if parent is None:
        return
    for child in list(element):
        element.addprevious(child)
    parent.remove(element)
