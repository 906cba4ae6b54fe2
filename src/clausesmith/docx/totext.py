"""A stable plain-text view of any .docx, for `git diff` through a textconv driver.

One line per paragraph; one line per table row, cells between `|`, a cell's paragraphs
joined by ` / `; headers and footers after the body under `== header (default) ==` and the
like. Tracked changes show as `[-deleted-]` and `{+inserted+}`. The same file always gives
the same text: nothing depends on the clock, the folder or the zip's layout.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from clausesmith.docx.wordxml import DOCUMENT, R_NS, REL_NS, parse, read_docx, run_text, w


def docx_to_text(path: Path) -> str:
    parts = read_docx(path)
    root = parse(parts[DOCUMENT], str(path))
    body = root.find(w("body"))
    lines = _blocks(body) if body is not None else []
    for label, part in _headers_and_footers(root, parts):
        lines.append("")
        lines.append(f"== {label} ==")
        lines.extend(_blocks(parse(parts[part], f"{path}:{part}")))
    return "\n".join(lines).rstrip("\n") + "\n"


def _blocks(parent: etree._Element) -> list[str]:
    lines = []
    for child in parent:
        if child.tag == w("p"):
            lines.append(paragraph(child))
        elif child.tag == w("tbl"):
            lines.extend(_table(child))
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            lines.extend(_blocks(content) if content is not None else [])
    return lines


def _table(table: etree._Element) -> list[str]:
    lines = []
    for row in table.iter(w("tr")):
        if row.getparent() is not table:  # a nested table's rows come with their cell
            continue
        cells = [" / ".join(_cell_lines(cell)) for cell in row.findall(w("tc"))]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _cell_lines(cell: etree._Element) -> list[str]:
    return [line for line in _blocks(cell) if line.strip()]


def paragraph(p: etree._Element) -> str:
    """A paragraph on one line; tracked insertions and deletions marked wdiff-style."""
    out = []
    for run in p.iter(w("r")):
        text = run_text(run).replace("\t", " ").replace("\n", " / ")
        if not text:
            continue
        states = {a.tag for a in run.iterancestors() if a.tag in (w("ins"), w("del"))}
        if w("del") in states:
            text = f"[-{text}-]"
        elif w("ins") in states:
            text = f"{{+{text}+}}"
        out.append(text)
    return "".join(out).replace("-][-", "").replace("+}{+", "").rstrip()


def _headers_and_footers(root: etree._Element, parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """(label, part name) of each header and footer, in the order the sections name them."""
    rels = parts.get("word/_rels/document.xml.rels")
    targets = {}
    if rels:
        for rel in parse(rels, "word/_rels/document.xml.rels").iter(f"{{{REL_NS}}}Relationship"):
            targets[rel.get("Id")] = "word/" + str(rel.get("Target", "")).lstrip("/")
    found: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()  # a set: 20,000 references must not be quadratic
    for kind in ("header", "footer"):
        for ref in root.iter(w(f"{kind}Reference")):
            part = targets.get(ref.get(f"{{{R_NS}}}id"))
            if part in parts and (kind, str(part)) not in seen:
                seen.add((kind, str(part)))
                found.append((kind, str(ref.get(w("type"), "default")), str(part)))
    return [(f"{kind} ({which})", part) for kind, which, part in found]
