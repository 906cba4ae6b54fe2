"""`clausesmith explain --docx FILE`: the explain report as a Word issues list counsel annotate.

Two tables, findings then clause choices, each with an empty "Counsel notes" column, and a
list of the sections that took the playbook's default.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import docx
from docx.shared import Pt

from clausesmith.docx.zipwrite import normalise_zip, utc_naive


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
            "blocks" if f["blocks"] else ("overridden" if f["override"] else f["severity"]),
            f"{f['title']}. {f['message']}",
            "; ".join(
                f"{c['source']}, {c['pinpoint']}" + ("" if c["verified"] else " (unverified)")
                for c in f["citations"]
            ),
            _override(f["override"]),
        ]
        for f in data["findings"]
    ]
    _table(document, ["Rule", "Severity", "Finding", "Citations", "Override"], rows)
    document.add_heading("Clauses chosen", level=2)
    rows = [
        [
            f"{doc['document']}: {s['slot']}",
            f"{s['clause']} v{s['version']} ({s['position']}, {s['status']})",
            s["rule"],
            ", ".join(f"{r['path']}={r['value']}" for r in s["reads"]) or "always",
        ]
        for doc in data["documents"]
        for s in doc["slots"]
    ]
    _table(document, ["Slot", "Clause", "Rule", "Deal values read"], rows)
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


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header) + 1)
    table.style = "Table Grid"
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
