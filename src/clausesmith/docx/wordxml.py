"""Reading WordprocessingML with lxml: the few helpers `totext` and `redline` share."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from clausesmith.errors import invalid

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "word/document.xml"


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML element or attribute: w("p") -> {ns}p."""
    return f"{{{W_NS}}}{tag}"


def read_parts(data: bytes, label: str) -> dict[str, bytes]:
    """Every part of a .docx package by name; InvalidInput naming `label` if it is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {name: z.read(name) for name in z.namelist()}
    except zipfile.BadZipFile:
        raise invalid(label, "", "is not a Word (.docx) file") from None
    if DOCUMENT not in parts:
        raise invalid(label, "", f"is not a Word (.docx) file: it has no {DOCUMENT}")
    return parts


def read_docx(path: Path) -> dict[str, bytes]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise invalid(str(path), "", f"cannot read: {exc.strerror}") from exc
    return read_parts(data, str(path))


def parse(data: bytes, label: str) -> etree._Element:
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise invalid(label, "", f"malformed XML: {exc}") from exc


def run_text(run: etree._Element, deleted: bool = True) -> str:
    """A run's visible text: tabs as \\t, breaks as \\n; deleted text too unless told not."""
    out = []
    for child in run:
        if child.tag == w("t") or (deleted and child.tag == w("delText")):
            out.append(child.text or "")
        elif child.tag == w("tab"):
            out.append("\t")
        elif child.tag in (w("br"), w("cr")):
            out.append("\n")
        elif child.tag == w("noBreakHyphen"):
            out.append("-")
    return "".join(out)


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of a paragraph as NEW shows it (no deleted text), field codes left out."""
    return "".join(
        run_text(r, deleted=False)
        for r in paragraph.iter(w("r"))
        if not any(a.tag == w("del") for a in r.iterancestors())
    )
