"""Why each clause was chosen: the plan as a report counsel can read."""

from __future__ import annotations

from typing import Any

from clausesmith.plan.guardrails import cited
from clausesmith.plan.planner import Plan


def explain_data(plan: Plan) -> dict[str, Any]:
    """The report as plain data; the text and JSON views both come from this."""
    deal = plan.deal
    return {
        "deal": deal.deal.id,
        "spec": deal.source,
        "playbook": {"id": plan.playbook.id, "version": plan.playbook.version},
        "blocked": bool(plan.blocking),
        "defaulted_sections": list(deal.defaulted),
        "documents": [
            {
                "document": doc.stem,
                "slots": [
                    {
                        "slot": c.slot,
                        "heading": c.heading,
                        "clause": c.clause.id,
                        "version": c.clause.version,
                        "position": c.clause.position,
                        "status": c.status,
                        "rule": c.rule,
                        "counsel_note": c.clause.counsel_note,
                        "reads": [{"path": p, "value": v} for p, v in c.reads],
                        "defaulted": list(c.defaulted),
                    }
                    for c in doc.choices
                ],
            }
            for doc in plan.documents
        ],
        "findings": [f.data() for f in plan.findings],
    }


_COLOURS = {"BLOCKS": "31", "warn": "33", "overridden": "36", "UNVERIFIED": "33"}


def _paint(word: str, colour: bool) -> str:
    code = _COLOURS.get(word)
    return f"\x1b[1;{code}m{word}\x1b[0m" if colour and code else word


def explain_text(data: dict[str, Any], colour: bool = False) -> str:
    """The report for a terminal; `colour` adds ANSI colours (the CLI asks only on a TTY)."""
    lines = [
        f"Deal {data['deal']} ({data['spec']}), playbook {data['playbook']['id']} "
        f"v{data['playbook']['version']}"
    ]
    if data["defaulted_sections"]:
        lines.append(
            "Sections left out of the deal took the playbook's preferred position: "
            + ", ".join(data["defaulted_sections"])
        )
    for doc in data["documents"]:
        lines.append("")
        lines.append(f"{doc['document']}:")
        for s in doc["slots"]:
            reads = ", ".join(f"{r['path']}={r['value']}" for r in s["reads"]) or "always"
            default = f" [default: {', '.join(s['defaulted'])}]" if s["defaulted"] else ""
            lines.append(
                f"  {s['slot']:<24} {s['clause']} v{s['version']} ({s['position']}, "
                f"{s['status']}) by rule {s['rule']}: {reads}{default}"
            )
            if s["counsel_note"]:
                lines.append(f"    counsel note (not printed in the document): {s['counsel_note']}")
    lines.append("")
    if not data["findings"]:
        lines.append("Findings: none")
    for f in data["findings"]:
        state = "BLOCKS" if f["blocks"] else ("overridden" if f["override"] else f["severity"])
        lines.append(f"Finding {f['rule']} [{_paint(state, colour)}]: {f['title']}. {f['message']}")
        lines.append(f"    basis {f['basis']}; at {f['where']}")
        for c in f["citations"]:
            flag = "verified" if c["verified"] else "UNVERIFIED"
            lines.append(f"    cites {cited(c, _paint(flag, colour))}")
        if f["override"]:
            o = f["override"]
            lines.append(
                f"    override approved by {o['approved_by']} on {o['date']}: {o['reason']}"
            )
    return "\n".join(lines)
