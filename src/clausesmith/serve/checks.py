"""One check of a deal typed into the form: the same public functions the CLI calls.

The deal arrives as JSON (dates as ISO text), which clausesmith reads as it reads any
`deal.json`, so the validator, the guardrails and the documents stay the one judge: the form
adds no rule of its own. The answer keys every problem by the deal key it names
(`royalties.rate_pct`), lists the guardrail findings, and previews the text twins as HTML.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from clausesmith.errors import InvalidInput, UserMessageError
from clausesmith.pipeline import Inputs, Rendered, plan_deal, render_plan
from clausesmith.plan.guardrails import Finding

DEAL_LABEL = "deal"  # how messages name the deal: the form has no file or line to show
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Checked:
    problems: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    preview: str
    rendered: Rendered | None

    def answer(self) -> dict[str, Any]:
        return {"problems": self.problems, "findings": self.findings, "preview": self.preview}


def check_deal(deal: object, inputs: Inputs) -> Checked:
    """Validate, plan and (when nothing blocks) render `deal`, a JSON object."""
    if not isinstance(deal, dict):
        problem = {"key": "", "message": "expected the deal as a JSON object"}
        return Checked([problem], [], "", None)
    with tempfile.TemporaryDirectory(prefix="clausesmith-serve-") as folder:
        path = Path(folder) / "deal.json"
        path.write_text(json.dumps(deal, ensure_ascii=False), encoding="utf-8")
        try:
            plan = plan_deal(path, inputs, label=DEAL_LABEL)
        except InvalidInput as exc:
            problems = [{"key": p.key, "message": p.message} for p in exc.problems]
            return Checked(problems, [], "", None)
        except UserMessageError as exc:
            return Checked([{"key": "", "message": exc.format_message()}], [], "", None)
        findings = [_finding(f) for f in plan.findings]
        if plan.blocking:
            note = "<p class='blocked'>No preview: a guardrail blocks this deal (see above).</p>"
            return Checked([], findings, note, None)
        try:
            rendered = render_plan(plan, inputs, out_dir=Path(folder) / "out")
        except UserMessageError as exc:
            return Checked([{"key": "", "message": exc.format_message()}], findings, "", None)
    return Checked([], findings, preview_html(rendered), rendered)


def _finding(finding: Finding) -> dict[str, Any]:
    state = "overridden" if finding.override else "acknowledged" if finding.acknowledgement else ""
    return {
        "rule": finding.rule,
        "title": finding.title,
        "severity": finding.severity,
        "basis": finding.basis,
        "message": finding.message,
        "state": state,
    }


def preview_html(rendered: Rendered) -> str:
    """Every text twin as HTML, the term sheet first, each in its own section."""
    names = sorted(
        (n for n in rendered.files if n.endswith(".md")), key=lambda n: (n != "term-sheet.md", n)
    )
    parts = []
    for name in names:
        # Raw HTML stays escaped (a deal's text must never become markup on this page); the
        # one tag the twins write, a line break inside a table cell, is put back.
        body = _MARKDOWN.render(rendered.files[name].decode("utf-8")).replace("&lt;br&gt;", "<br>")
        parts.append(f"<section class='document' data-document='{name}'>{body}</section>")
    return "\n".join(parts)
