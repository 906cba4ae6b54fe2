"""`clausesmith impact`: which deals a library or playbook change makes render differently.

The "before" library and playbooks are the current folders with each changed file put back
as git has it at the base revision (HEAD, or `--since REF`); every deal is planned and
assembled in memory against both, and the chosen clauses and text twins are compared.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausesmith.assemble.assembler import assemble
from clausesmith.errors import UserMessageError, invalid
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.resources import Sources
from clausesmith.write.markdown import render_markdown


@dataclass
class Outcome:
    clauses: dict[tuple[str, str], str] = field(default_factory=dict)  # (document, slot) -> id
    texts: dict[str, str] = field(default_factory=dict)  # document stem -> text twin
    findings: tuple[str, ...] = ()
    error: str | None = None
    deal_id: str | None = None


def impact(paths: list[Path], deals: Path, since: str | None, sources: Sources) -> dict[str, Any]:
    """The review report as data: changed files, then one entry per deal in `deals`."""
    if not deals.is_dir():
        raise invalid(str(deals), "--deals", "is not a folder of deal files")
    top = _git_top(sources.library)
    base = since or "HEAD"
    changed = _changed_files(top, sources, paths, since)
    with tempfile.TemporaryDirectory(prefix="clausesmith-impact-") as tmp:
        before = _materialise(top, base, sources, changed, Path(tmp))
        deal_files = sorted(p for p in deals.rglob("*") if p.suffix in (".yaml", ".yml"))
        entries = [_compare(d, Inputs(before), Inputs(sources)) for d in deal_files]
    return {
        "base": base,
        "changed_files": [str(p.relative_to(top)) for p in changed],
        "deals": entries,
    }


def _git(top: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(top), *args], capture_output=True, text=True, check=False
    )


def _git_top(folder: Path) -> Path:
    result = _git(folder, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise invalid(str(folder), "", "is not inside a git repository; impact compares with git")
    return Path(result.stdout.strip()).resolve()


def _changed_files(top: Path, sources: Sources, paths: list[Path], since: str | None) -> list[Path]:
    roots = (sources.library.resolve(), sources.playbooks.resolve())
    found: set[Path] = set()
    for path in paths:
        full = path.resolve()
        if not any(full.is_relative_to(r) for r in roots):
            raise invalid(str(path), "", f"is not in {roots[0]} or {roots[1]}")
        found.add(full)
    if since is not None:
        if _git(top, "rev-parse", "--verify", "--quiet", since + "^{commit}").returncode != 0:
            raise invalid(str(top), "--since", f"{since!r} is not a commit in this repository")
        for args in (("diff", "--name-only", since, "--"), ("ls-files", "--others", "--")):
            listed = _git(top, *args, *(str(r) for r in roots)).stdout.splitlines()
            found.update((top / line).resolve() for line in listed if line)
    return sorted(found)


def _materialise(top: Path, base: str, sources: Sources, changed: list[Path], tmp: Path) -> Sources:
    """Copies of the library and playbooks with each changed file as it was at `base`."""
    library, playbooks = tmp / "library", tmp / "playbooks"
    shutil.copytree(sources.library, library)
    shutil.copytree(sources.playbooks, playbooks)
    for path in changed:
        for root, copy in ((sources.library.resolve(), library), (sources.playbooks, playbooks)):
            root = root.resolve()
            if not path.is_relative_to(root):
                continue
            target = copy / path.relative_to(root)
            old = _git(top, "show", f"{base}:{path.relative_to(top).as_posix()}")
            if old.returncode != 0:  # new since base: it did not exist before
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(old.stdout, encoding="utf-8")
    return Sources(library, playbooks, sources.templates)


def _outcome(deal: Path, inputs: Inputs) -> Outcome:
    try:
        plan = plan_deal(deal, inputs)
        documents = assemble(plan)
    except UserMessageError as exc:
        return Outcome(error=exc.format_message())
    outcome = Outcome(deal_id=plan.deal.deal.id)
    for doc in plan.documents:
        for choice in doc.choices:
            c = choice.clause
            outcome.clauses[(doc.stem, choice.slot)] = f"{c.id} v{c.version} ({c.sha256[:12]})"
    for document in documents:
        outcome.texts[document.stem] = render_markdown(
            document.kind, document.context, inputs.sources.templates
        )
    outcome.findings = tuple(f"{f.rule}:{f.blocks}" for f in plan.findings)
    return outcome


def _compare(deal: Path, before_inputs: Inputs, after_inputs: Inputs) -> dict[str, Any]:
    before, after = _outcome(deal, before_inputs), _outcome(deal, after_inputs)
    clauses = [
        {"document": key[0], "slot": key[1], "before": before.clauses.get(key),
         "after": after.clauses.get(key)}
        for key in sorted({*before.clauses, *after.clauses})
        if before.clauses.get(key) != after.clauses.get(key)
    ]  # fmt: skip
    texts = sorted(
        stem
        for stem in {*before.texts, *after.texts}
        if before.texts.get(stem) != after.texts.get(stem)
    )
    return {
        "path": str(deal),
        "deal": after.deal_id or before.deal_id,
        "changed": bool(
            clauses or texts or before.error != after.error or before.findings != after.findings
        ),
        "clauses": clauses,
        "documents_changed": texts,
        "findings_before": list(before.findings),
        "findings_after": list(after.findings),
        "error_before": before.error,
        "error_after": after.error,
    }


def impact_text(report: dict[str, Any]) -> str:
    changed = [d for d in report["deals"] if d["changed"]]
    files = ", ".join(report["changed_files"]) or "none"
    lines = [
        f"Changed since {report['base']}: {files}",
        f"{len(changed)} of {len(report['deals'])} deals render differently",
    ]
    for d in changed:
        lines.append(f"  {d['path']} ({d['deal'] or 'invalid deal'})")
        for c in d["clauses"]:
            lines.append(
                f"    {c['document']} {c['slot']}: {c['before'] or 'no clause'} -> "
                f"{c['after'] or 'no clause'}"
            )
        for stem in d["documents_changed"]:
            lines.append(f"    {stem}: text changed")
        if d["findings_before"] != d["findings_after"]:
            lines.append(
                f"    findings: {', '.join(d['findings_before']) or 'none'} -> "
                f"{', '.join(d['findings_after']) or 'none'}"
            )
        if d["error_before"] != d["error_after"]:
            lines.append(f"    now: {d['error_after'] or 'renders'}")
    unchanged = [d["path"] for d in report["deals"] if not d["changed"]]
    if unchanged:
        lines.append("Unchanged: " + ", ".join(unchanged))
    return "\n".join(lines)
