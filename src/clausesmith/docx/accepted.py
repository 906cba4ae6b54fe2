"""A Word file from the other side, read with every tracked change accepted.

Their file is untrusted: it is read only if it is a zip of bounded size, with a bounded
number of parts, each bounded when inflated (a zip bomb names a small size and inflates to
gigabytes, so the inflated bytes are counted as they come, not taken from the directory).
Its XML is parsed without entities (`wordxml.parse`).

Accepting changes is what Word's "Accept All" does to the text: insertions and moves-to
stay, deletions and moves-from go, a deleted paragraph mark joins a paragraph to the next,
deleted table rows go, and the record of formatting changes is dropped.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from clausesmith.docx.wordxml import DOCUMENT, w
from clausesmith.errors import invalid

MAX_FILE = 20_000_000  # bytes of the .docx itself; a 40-page term sheet is some 100 kB
MAX_PARTS = 500
MAX_PART = 25_000_000  # inflated bytes of any one part
MAX_TOTAL = 100_000_000  # inflated bytes of all parts together

_GONE = {w("del"), w("moveFrom"), w("pPrChange"), w("rPrChange"), w("sectPrChange")}
_GONE |= {w("tblPrChange"), w("trPrChange"), w("tcPrChange"), w("tblGridChange")}
_GONE |= {w("numberingChange"), w("moveFromRangeStart"), w("moveFromRangeEnd")}
_GONE |= {w("moveToRangeStart"), w("moveToRangeEnd"), w("cellDel")}
_KEPT = {w("ins"), w("moveTo")}  # their content stays, the wrapper goes


def read_untrusted(path: Path) -> dict[str, bytes]:
    """Every part of the .docx at `path`, within the limits above; InvalidInput if not."""
    label = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise invalid(label, "", f"is {size:,} bytes; a Word file here may be {MAX_FILE:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise invalid(label, "", f"cannot read: {exc.strerror}") from exc
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_PARTS:
                raise invalid(label, "", f"has {len(infos)} parts; a Word file here may have "
                              f"{MAX_PARTS}")  # fmt: skip
            parts: dict[str, bytes] = {}
            total = 0
            for info in infos:
                parts[info.filename] = _inflate(z, info, label)
                total += len(parts[info.filename])
                if total > MAX_TOTAL:
                    raise invalid(label, "", f"inflates to more than {MAX_TOTAL:,} bytes")
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError):
        raise invalid(label, "", "is not a Word (.docx) file (not a readable zip)") from None
    if DOCUMENT not in parts:
        raise invalid(label, "", f"is not a Word (.docx) file: it has no {DOCUMENT}")
    return parts


def _inflate(z: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    out = bytearray()
    with z.open(info) as member:
        while chunk := member.read(1 << 16):
            out += chunk
            if len(out) > MAX_PART:
                raise invalid(label, "", f"part {info.filename} inflates to more than "
                              f"{MAX_PART:,} bytes")  # fmt: skip
    return bytes(out)


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
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(at + offset, child)
    parent.remove(element)
