"""Counsel's review copy: a deliverable with a native Word comment on each clause saying why
it is there, and one on the title listing the deal's findings.

The deliverable itself is never touched: the review copy is made from its bytes, comments
added, and written to a separate folder (docs/reviewing.md, "Review copies"). A review copy
is privileged work product and must never pass for the deliverable: every page says so in
its header, its footer and a watermark, its title property says so, and its file name starts
with PRIVILEGED. Comments are anchored on the paragraphs each clause rendered, found by the
lock's fingerprints
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
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.text.paragraph import CT_P
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph

from clausesmith.docx.zipwrite import normalise_zip, utc_naive
from clausesmith.pipeline import Rendered, document_date
from clausesmith.plan.guardrails import cited
from clausesmith.tools.clause_paragraphs import clause_owners
from clausesmith.tools.explain import explain_data
from clausesmith.write.atomic import replace_all
from clausesmith.write.lockfile import LOCK_NAME, LockedClause, parse_lock

# The file name leads with the warning, so a list of files sorted or cut short still shows it.
PREFIX = "PRIVILEGED-counsel-review-"
INITIALS = "CS"
PRIVILEGE = "Privileged and confidential \u2013 counsel review copy \u2013 not for sending"
WATERMARK = "PRIVILEGED \u2013 NOT FOR SENDING"
RED = "C00000"
VML_NS = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'


def review_name(stem: str) -> str:
    """`PRIVILEGED-counsel-review-term-sheet.docx`: never the deliverable's name."""
    return f"{PREFIX}{stem}.docx"


def review_copies(rendered: Rendered) -> dict[str, bytes]:
    """`PRIVILEGED-counsel-review-<document>.docx` for each Word deliverable of a deal."""
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
        copies[review_name(stem)] = _annotated(
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
    _mark_privileged(document)
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue(), when)


def _mark_privileged(document: Any) -> None:
    """The privilege line at the top of every header and the foot of every footer, a
    watermark behind every page, and the title property: whichever part of the copy is seen
    (a printed page, a preview, a file's properties), it says it is not for sending."""
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            if part.is_linked_to_previous:
                continue  # it shows the previous section's, already marked
            top = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
            line = top.insert_paragraph_before()
            _privilege_run(line)
            line.runs[0]._r.addprevious(parse_xml(_watermark_xml()))
        for part in (section.footer, section.first_page_footer, section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            _privilege_run(part.add_paragraph())
    props = document.core_properties
    props.title = f"{PRIVILEGE}: {props.title}"
    props.content_status = "Privileged: counsel review copy"


def _privilege_run(paragraph: Paragraph) -> None:
    run = paragraph.add_run(PRIVILEGE)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(RED)


def _watermark_xml() -> str:
    """A diagonal text watermark as Word writes one (a VML text path in the header)."""
    return (
        f"<w:r {nsdecls('w')} {VML_NS}><w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e">'
        '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
        '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/>'
        '<v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>'
        '<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>'
        '<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
        '<v:path textpathok="t" o:connecttype="custom" '
        'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/>'
        "</v:shapetype>"
        '<v:shape id="PrivilegeWatermark" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:480pt;height:80pt;'
        "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#bfbfbf" '
        'stroked="f"><v:fill opacity=".6"/>'
        f'<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="{WATERMARK}"/>'
        "</v:shape></w:pict></w:r>"
    )


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
