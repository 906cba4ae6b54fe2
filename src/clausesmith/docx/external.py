"""What in a Word file reaches outside it: a relationship with TargetMode="External" (a
linked image or object, an attached template, a subdocument, a hyperlink), and the fields
that fetch a file or a URL when a program updates them (INCLUDEPICTURE, INCLUDETEXT, LINK,
DDE, DDEAUTO, IMPORT).

A Word template (a firm's own, or one a pull request changes) and every file converted to
PDF are refused when they hold any of these: LibreOffice would fetch the target (a
`file://` link embeds a local file in the PDF sent to the other side) while the .docx keeps
only the link. Refusing is simpler to audit than stripping, and a firm's template has no
need for either. The conversion itself also runs with links from untrusted documents
blocked (`pdf.NO_FETCH`), a second wall behind this one.
"""

from __future__ import annotations

import re

from lxml import etree

from clausesmith.docx.wordxml import REL_NS, parse, w
from clausesmith.errors import InvalidInput, Problem

# Field instructions that fetch something when updated; matched as Word reads them, the
# first word of the instruction, any case.
FETCHING_FIELDS = ("INCLUDEPICTURE", "INCLUDETEXT", "LINK", "DDE", "DDEAUTO", "IMPORT")
_FIELD = re.compile(r"\s*(" + "|".join(FETCHING_FIELDS) + r")\b", re.IGNORECASE)


def refuse_external(parts: dict[str, bytes], label: str, what: str) -> None:
    """InvalidInput naming each reference out of the package `label` (`what` it is)."""
    found = external_references(parts, label)
    if found:
        raise InvalidInput(
            [
                Problem(
                    label,
                    None,
                    None,
                    "",
                    f"{ref}; {what} may not link outside itself (LibreOffice would fetch the "
                    "target into the PDF): insert the picture or text instead of linking it, "
                    "or remove the link",
                )
                for ref in found
            ]
        )


def external_references(parts: dict[str, bytes], label: str) -> list[str]:
    """Each reference out of the package, as `part: what` (never the target itself: it may
    be a path on the machine of whoever made the file)."""
    found = []
    for name in sorted(parts):
        if name.endswith(".rels"):
            for rel in parse(parts[name], f"{label}: {name}").iter(f"{{{REL_NS}}}Relationship"):
                if (rel.get("TargetMode") or "").lower() == "external":
                    kind = (rel.get("Type") or "").rsplit("/", 1)[-1] or "relationship"
                    found.append(f"{name}: {rel.get('Id')} ({kind}) points outside the file")
        elif name.endswith(".xml") and name.startswith("word/"):
            found += [f"{name}: the field {f}" for f in _fetching_fields(parts[name], label, name)]
    return found


def _fetching_fields(data: bytes, label: str, name: str) -> list[str]:
    if b"instr" not in data:  # neither w:instrText nor w:fldSimple/@w:instr
        return []
    root = parse(data, f"{label}: {name}")
    return sorted({m for i in _instructions(root) if (m := _fetches(i))})


def _instructions(root: etree._Element) -> list[str]:
    """Every field's instruction: a simple field's attribute, and a complex field's
    w:instrText runs joined from its begin to its separate (an instruction split across
    runs, or one field nested in another, is read whole)."""
    found = [e.get(w("instr")) or "" for e in root.iter(w("fldSimple"))]
    open_fields: list[list[str]] = []
    for element in root.iter(w("fldChar"), w("instrText")):
        if element.tag == w("instrText"):
            if open_fields:
                open_fields[-1].append(element.text or "")
            else:
                found.append(element.text or "")
            continue
        kind = element.get(w("fldCharType"))
        if kind == "begin":
            open_fields.append([])
        elif kind in ("separate", "end") and open_fields:
            found.append("".join(open_fields.pop()))
            if kind == "separate":
                open_fields.append([])  # its result follows; instrText there is stray
    found += ["".join(parts) for parts in open_fields]
    return found


def _fetches(instruction: str) -> str | None:
    match = _FIELD.match(instruction)
    return match[1].upper() if match else None
