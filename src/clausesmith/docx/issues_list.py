"""`clausesmith explain --docx FILE`: the explain report as a Word issues list counsel annotate.

Two tables, findings then clause choices, each with an empty "Counsel notes" column, and a
list of the sections that took the playbook's default.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Emu, Pt

from clausesmith.docx.zipwrite import normalise_zip, utc_naive
from clausesmith.plan.guardrails import cited


def issues_docx(data: dict[str, Any], when: dt.datetime) -> bytes:
    """`when` (the deal's document date) dates the file and its zip entries, never the clock."""
    document = docx.Document()
    props = document.core_properties
    props.title = f"Issues list: {data['deal']}"
    props.created = props.modified = props.last_printed = utc_naive(when)
    props.revision = 1
    document.add_heading(f"Issues list for {data['deal']}", level=1)
    document.add_paragraph(
        f"Deal file {data['spec']}; playbook {data['playbook']['id']} "
        f"v{data['playbook']['version']}. Write your notes in the last column."
    )
    document.add_heading("Findings", level=2)
    rows = [
        [
            f["rule"],
            ("blocks" if f["blocks"] else ("overridden" if f["override"] else f["severity"]))
            + f" ({f['basis']})",
            f"{f['title']} ({f['where']}). {f['message']}",
            "; ".join(cited(c) for c in f["citations"]),
            _override(f["override"]),
        ]
        for f in data["findings"]
    ]
    _table(
        document, ["Rule", "Severity", "Finding", "Citations", "Override"], rows, [4, 3, 8, 6, 3]
    )
    document.add_heading("Clauses chosen", level=2)
    rows = [
        [
            f"{doc['document']}: {s['slot']}",
            f"{s['clause']} v{s['version']} ({s['position']}, {s['status']})",
            s["rule"],
            "; ".join(f"{r['path']} = {r['value']}" for r in s["reads"]) or "always",
        ]
        for doc in data["documents"]
        for s in doc["slots"]
    ]
    _table(document, ["Slot", "Clause", "Rule", "Deal values read"], rows, [3, 5, 3, 8])
    document.add_heading("Sections that took the playbook default", level=2)
    for section in data["defaulted_sections"] or ["none"]:
        document.add_paragraph(section, style="List Bullet")
    out = BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue(), utc_naive(when))


def _override(override: dict[str, Any] | None) -> str:
    if override is None:
        return "none"
    return f"{override['approved_by']}, {override['date']}: {override['reason']}"


NOTES_SHARE = 0.3  # of the text width: counsel write their notes in this column


def _landscape(document: Any) -> Emu:
    """A4 landscape with 2 cm margins; the width tables may use."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    return Emu(section.page_width - section.left_margin - section.right_margin)


def _table(document: Any, header: list[str], rows: list[list[str]], weights: list[int]) -> None:
    """A table whose last column, "Counsel notes", takes NOTES_SHARE of the width and the
    others share the rest by `weights`, wide enough that no word breaks mid-word."""
    width = _landscape(document)
    # Whole twips (635 EMU), as Word stores widths, rounded down so the table fits.
    twips = width // 635
    notes = int(twips * NOTES_SHARE)
    widths = [(twips - notes) * w // sum(weights) * 635 for w in weights] + [notes * 635]
    table = document.add_table(rows=1, cols=len(header) + 1)
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, [*header, "Counsel notes"], strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(9)
    if not rows:
        rows = [["none", *[""] * (len(header) - 1)]]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, [*row, ""], strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    for column, size in zip(table.columns, widths, strict=True):
        column.width = Emu(size)
        for cell in column.cells:
            cell.width = Emu(size)
