"""Reading WordprocessingML with lxml: the few helpers `totext` and `redline` share."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from lxml import etree

from clausesmith.errors import InvalidInput, invalid
from clausesmith.files import TooLarge, read_bounded

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "word/document.xml"

# A Word file is input from anyone (totext is git's textconv: a file in any commit), so each
# is read within limits far above any real document (a rendered term sheet: 60 kB stored,
# 25 parts, 300 kB of XML, 4,000 elements, 20 levels deep), and each limit names itself.
MAX_DOCX_BYTES = 50_000_000  # the file as stored
MAX_PARTS = 1_000  # entries in the zip
MAX_PART_BYTES = 32_000_000  # one entry, uncompressed, counted while it streams
MAX_TOTAL_BYTES = 128_000_000  # every entry together, uncompressed
MAX_ELEMENTS = 500_000  # XML elements in one part
MAX_PARAGRAPHS = 50_000  # paragraphs in one part (a 500-page agreement has some 10,000)
MAX_DEPTH = 128  # elements inside one another (tables in tables, w:ins in w:ins)
MAX_TEXT = 1_000_000  # characters in one text node (a whole term sheet has 40,000)
_CHUNK = 1 << 20


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML element or attribute: w("p") -> {ns}p."""
    return f"{{{W_NS}}}{tag}"


def _past(label: str, what: str) -> InvalidInput:
    return invalid(label, "", f"{what}; clausesmith reads Word files only within that limit")


def read_parts(data: bytes, label: str) -> dict[str, bytes]:
    """Every part of a .docx package by name; InvalidInput naming `label` if it is not one,
    or if it passes a limit above (the sizes in the zip's directory are not trusted: each
    entry is measured as it is inflated)."""
    if len(data) > MAX_DOCX_BYTES:
        raise _past(label, f"is {len(data):,} bytes, over {MAX_DOCX_BYTES:,}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            entries = z.infolist()
            if len(entries) > MAX_PARTS:
                raise _past(label, f"has {len(entries):,} parts, over {MAX_PARTS:,}")
            parts: dict[str, bytes] = {}
            budget = MAX_TOTAL_BYTES
            for entry in entries:
                parts[entry.filename] = _inflate(z, entry, label, budget)
                budget -= len(parts[entry.filename])
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise invalid(label, "", "is not a Word (.docx) file") from None
    except NotImplementedError as exc:
        raise invalid(label, "", f"is not a Word (.docx) file: {exc}") from None
    if DOCUMENT not in parts:
        raise invalid(label, "", f"is not a Word (.docx) file: it has no {DOCUMENT}")
    return parts


def _inflate(z: zipfile.ZipFile, entry: zipfile.ZipInfo, label: str, budget: int) -> bytes:
    if entry.flag_bits & 0x1:
        raise invalid(label, "", f"{entry.filename}: is encrypted; clausesmith cannot read it")
    limit = min(MAX_PART_BYTES, budget)
    chunks, size = [], 0
    with z.open(entry) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                what = "together" if limit < MAX_PART_BYTES else "uncompressed"
                total = MAX_TOTAL_BYTES if what == "together" else MAX_PART_BYTES
                raise _past(label, f"{entry.filename}: {what} over {total:,} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


def read_docx(path: Path) -> dict[str, bytes]:
    try:
        data = read_bounded(path, MAX_DOCX_BYTES)
    except TooLarge:
        raise _past(str(path), f"is over {MAX_DOCX_BYTES:,} bytes") from None
    except OSError as exc:
        raise invalid(str(path), "", f"cannot read: {exc.strerror}") from None
    return read_parts(data, str(path))


class _Past(Exception):
    """A limit passed while scanning a part."""


def _scan(data: bytes) -> None:
    """Count elements, paragraphs and depth with expat before lxml builds a tree; refuse a
    DOCTYPE (Word never writes one; it is how entities, and entity bombs, are declared)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    elements = paragraphs = depth = text = 0
    paragraph = f"{W_NS} p"

    def start(name: str, _attrs: object) -> None:
        nonlocal elements, paragraphs, depth, text
        elements += 1
        depth += 1
        text = 0
        if name == paragraph:
            paragraphs += 1
            if paragraphs > MAX_PARAGRAPHS:
                raise _Past(f"more than {MAX_PARAGRAPHS:,} paragraphs")
        if elements > MAX_ELEMENTS:
            raise _Past(f"more than {MAX_ELEMENTS:,} XML elements")
        if depth > MAX_DEPTH:
            raise _Past(f"XML elements nested more than {MAX_DEPTH} deep")

    def end(_name: str) -> None:
        nonlocal depth, text
        depth -= 1
        text = 0

    def characters(data: str) -> None:
        nonlocal text
        text += len(data)
        if text > MAX_TEXT:
            raise _Past(f"a text of more than {MAX_TEXT:,} characters in one element")

    def doctype(*_args: object) -> None:
        raise _Past("a DOCTYPE declaration (Word files have none)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype
    parser.Parse(data, True)


def parse(data: bytes, label: str) -> etree._Element:
    try:
        _scan(data)
        # No huge_tree: lxml's own limits (10 MB text nodes, 256 levels) stay on.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return etree.fromstring(data, parser)
    except _Past as exc:
        raise _past(label, f"has {exc}") from None
    except (etree.XMLSyntaxError, expat.ExpatError) as exc:
        raise invalid(label, "", f"malformed XML: {exc}") from None


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
        elif child.tag == w("sym"):
            out.append(symbol(child.get(w("char"))))
    return "".join(out)


def symbol(char: str | None) -> str:
    """The character a w:sym shows: its code in hexadecimal, a symbol font's F0xx range
    read as the character it stands for (Word shows "2" for F032 in Symbol)."""
    try:
        code = int(char or "", 16)
    except ValueError:
        return "\ufffd"
    if 0xF020 <= code <= 0xF0FF:
        code -= 0xF000
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of a paragraph as NEW shows it (no deleted text), field codes left out."""
    return "".join(
        run_text(r, deleted=False)
        for r in paragraph.iter(w("r"))
        if not any(a.tag == w("del") for a in r.iterancestors())
    )
