"""Counsel's review copy: a deliverable with a native Word comment on each clause saying why
it is there, and one on the title listing the deal's findings.

The deliverable itself is never touched: the review copy is made from its bytes, comments
added, and written to a separate folder (docs/reviewing.md, "Review copies"). Comments are
anchored on the paragraphs each clause rendered, found by the lock's fingerprints
(`clause_paragraphs`), so the copy shows exactly the text a comment explains. Author and
date come from the deal (its playbook, its document date), so the same deal gives the same
bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import docx
from docx.oxml.text.paragraph import CT_P
from docx.text.paragraph import Paragraph

from clausesmith.docx.zipwrite import normalise_zip, utc_naive
from clausesmith.pipeline import Rendered, document_date
from clausesmith.plan.guardrails import cited
from clausesmith.tools.clause_paragraphs import clause_owners
from clausesmith.tools.explain import explain_data
from clausesmith.write.atomic import replace_all
from clausesmith.write.lockfile import LOCK_NAME, LockedClause, parse_lock

SUFFIX = ".review.docx"
INITIALS = "CS"


def review_copies(rendered: Rendered) -> dict[str, bytes]:
    """`<document>.review.docx` for each Word deliverable of a rendered deal."""
    lock = parse_lock(LOCK_NAME, rendered.files[LOCK_NAME])
    report = explain_data(rendered.plan)
    when = utc_naive(document_date(rendered.plan.deal))
    author = f"clausesmith: {report['playbook']['id']} playbook v{report['playbook']['version']}"
    copies = {}
    for entry in lock.documents:
        name = entry.path
        if not name.endswith(".docx"):
            continue
        stem = name.removesuffix(".docx")
        slots: list[dict[str, Any]] = next(
            (d["slots"] for d in report["documents"] if d["document"] == stem), []
        )
        copies[stem + SUFFIX] = _annotated(
            rendered.files[name], entry.clauses, slots, report["findings"], author, when
        )
    return copies


def _annotated(
    data: bytes,
    clauses: Sequence[LockedClause],
    slots: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    author: str,
    when: Any,
) -> bytes:
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    owners = clause_owners(body, clauses)
    by_slot = {s["slot"]: s for s in slots}
    groups: dict[tuple[str, str], list[Paragraph]] = {}
    for element, tag in owners.items():
        paragraph = Paragraph(cast(CT_P, element), document)
        if paragraph.runs:
            groups.setdefault(tag, []).append(paragraph)
    title = next((p for p in document.paragraphs if p.runs), None)
    if title is not None:
        _comment(document, [title], findings_text(findings), author, when)
    for (slot, _clause), paragraphs in groups.items():
        if slot in by_slot:
            _comment(document, paragraphs, clause_text(by_slot[slot]), author, when)
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue(), when)


def _comment(
    document: Any, paragraphs: list[Paragraph], lines: Iterable[str], author: str, when: Any
) -> None:
    first, *rest = list(lines)
    comment = document.add_comment(
        [paragraphs[0].runs[0], paragraphs[-1].runs[-1]], first, author, INITIALS
    )
    comment._comment_elm.date = when  # python-docx leaves it out; Word shows it
    for line in rest:
        comment.add_paragraph(line)


def clause_text(slot: dict[str, Any]) -> list[str]:
    """What a clause's comment says: which clause, how approved, and why it was chosen."""
    lines = [
        f"{slot['clause']} v{slot['version']}: {slot['status']}, {slot['position']} position",
        f"Chosen by playbook rule {slot['rule']}.",
    ]
    reads = ", ".join(f"{r['path']} = {r['value']}" for r in slot["reads"])
    lines.append(f"Deal values read: {reads}." if reads else "Chosen whatever the deal says.")
    if slot["defaulted"]:
        lines.append("Took the playbook default for: " + ", ".join(slot["defaulted"]) + ".")
    note = slot.get("counsel_note")
    if note:
        lines.append(f"Counsel note: {note}")
    return lines


def findings_text(findings: list[dict[str, Any]]) -> list[str]:
    """The title's comment: every finding with its citations and any override."""
    if not findings:
        return ["Findings: none. No guardrail of the playbook fired for this deal."]
    lines = [f"Findings ({len(findings)}):"]
    for f in findings:
        state = "overridden" if f["override"] else ("blocks" if f["blocks"] else f["severity"])
        lines.append(
            f"{f['rule']} [{state}] (basis: {f['basis']}) at {f['where']}: "
            f"{f['title']}. {f['message']}"
        )
        lines += [f"  Cites {cited(c)}." for c in f["citations"]]
        if f["override"]:
            o = f["override"]
            lines.append(f"  Override approved by {o['approved_by']} on {o['date']}: {o['reason']}")
    return lines


def write_review_copies(rendered: Rendered, root: Path) -> list[Path]:
    """The review copies of a deal into `root/<deal id>/`, all at once."""
    copies = review_copies(rendered)
    folder = root / rendered.plan.deal.deal.id
    replace_all(folder, copies)
    return [folder / name for name in copies]
