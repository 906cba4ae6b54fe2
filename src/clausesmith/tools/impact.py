"""`clausesmith impact`: which deals a library or playbook change makes render differently.

The "before" library and playbooks are the current folders with each changed file put back
as git has it at the base revision (HEAD, or `--since REF`); every deal is planned and
assembled in memory against both, and the chosen clauses and text twins are compared.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausesmith.assemble.assembler import assemble
from clausesmith.config import Config
from clausesmith.errors import UserMessageError, invalid
from clausesmith.library.registry import REGISTRY_NAME
from clausesmith.pipeline import Inputs, one_deal, plan_deal
from clausesmith.resources import Sources
from clausesmith.tools.compare.sequence import opcodes
from clausesmith.write.lockfile import LOCK_NAME
from clausesmith.write.markdown import render_markdown


@dataclass
class Outcome:
    clauses: dict[tuple[str, str], str] = field(default_factory=dict)  # (document, slot) -> id
    texts: dict[str, str] = field(default_factory=dict)  # document stem -> text twin
    findings: tuple[dict[str, Any], ...] = ()
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
        deal_files = _deal_files(deals)
        entries = [_compare(d, Inputs(before), Inputs(sources)) for d in deal_files]
    return {
        "base": base,
        "changed_files": [str(p.relative_to(top)) for p in changed],
        "deals": entries,
    }


def _deal_files(deals: Path) -> list[Path]:
    """The deals under `deals` as render finds them: *.yaml, *.yml and *.json, in no hidden
    folder (.venv, .git) and no output folder (one holding a lock file)."""
    found = []
    for path in sorted(deals.rglob("*")):
        parts = path.relative_to(deals).parts
        if path.suffix.lower() not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        if any(part.startswith(".") for part in parts):
            continue
        folders = [deals.joinpath(*parts[:i]) for i in range(len(parts))]
        if any((folder / LOCK_NAME).exists() for folder in folders):
            continue
        found.append(path)
    return found


def sources_for(
    paths: list[Path],
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None = None,
    config: Config | None = None,
) -> Sources:
    """The folders to compare: as given, else found from the edited files themselves (the
    library is the folder above a clause that holds approved.json; the playbooks are the
    folder of an edited playbook, or `playbooks/` beside the library), else those of
    clausesmith.toml, else the shipped ones. A reviewer runs
    `clausesmith impact path/to/edited.md` in any checkout."""
    if config is not None and not paths:
        library, playbooks = library or config.library, playbooks or config.playbooks
        templates = templates or config.templates
    for path in paths:
        full = path.resolve()
        if library is None:
            library = next((d for d in full.parents if (d / REGISTRY_NAME).is_file()), None)
        if playbooks is None and full.suffix in (".yaml", ".yml"):
            playbooks = full.parent
    if playbooks is None and library is not None and (library.parent / "playbooks").is_dir():
        playbooks = library.parent / "playbooks"
    if config is not None:
        library, playbooks = library or config.library, playbooks or config.playbooks
        templates = templates or config.templates
    return Sources.resolve(library, playbooks, templates)


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
        for root, option in zip(roots, ("--library", "--playbooks"), strict=True):
            if not _git(top, "ls-files", "--", str(root)).stdout.strip():
                raise invalid(
                    str(root),
                    option,
                    "is not kept in this git repository (git-ignored, or the copy shipped with "
                    "clausesmith), so it has no history to compare; give "
                    f"{option} FOLDER, or set {option[2:]} in clausesmith.toml",
                )
        untracked = ("ls-files", "--others", "--exclude-standard", "--")  # never git-ignored
        for args in (("diff", "--name-only", since, "--"), untracked):
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
                target.write_text(old.stdout, encoding="utf-8", newline="\n")
    return Sources(library, playbooks, sources.templates, sources.counsel)


@one_deal()
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
        outcome.texts[document.stem] = render_markdown(document.content, inputs.sources.templates)
    outcome.findings = tuple(
        {"rule": f.rule, "severity": f.severity, "blocks": f.blocks} for f in plan.findings
    )
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
        "wording": [
            {"document": stem, "changes": wording(before.texts.get(stem), after.texts.get(stem))}
            for stem in texts
        ],
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
        if d["error_before"] and not d["error_after"]:
            lines.append(f"    before: {d['error_before']}")
        # A side that did not plan has no clauses: no "no clause -> ..." line for each slot.
        failed = d["error_before"] is not None or d["error_after"] is not None
        for c in [] if failed else d["clauses"]:
            lines.append(
                f"    {c['document']} {c['slot']}: {c['before'] or 'no clause'} -> "
                f"{c['after'] or 'no clause'}"
            )
        for w in d["wording"]:
            lines.append(f"    {w['document']}:")
            lines.extend(f"      {change}" for change in w["changes"])
        if d["findings_before"] != d["findings_after"]:
            lines.append(
                f"    findings: {_findings(d['findings_before'])} -> "
                f"{_findings(d['findings_after'])}"
            )
        if d["error_before"] != d["error_after"]:
            lines.append(f"    now: {d['error_after'] or 'renders'}")
    unchanged = [d["path"] for d in report["deals"] if not d["changed"]]
    if unchanged:
        lines.append("Unchanged: " + ", ".join(unchanged))
    return "\n".join(lines)


def _findings(findings: list[dict[str, Any]]) -> str:
    return (
        ", ".join(f"{f['rule']} ({'blocks' if f['blocks'] else f['severity']})" for f in findings)
        or "none"
    )


TOKEN = re.compile(r"\S+|\s+")


def wording(before: str | None, after: str | None) -> list[str]:
    """The paragraphs of a text twin that changed, each with its words struck and added as
    `[-old-]{+new+}` (git's --word-diff notation), so counsel read the change itself."""
    old, new = (before or "").splitlines(), (after or "").splitlines()
    changes: list[str] = []
    for op, a1, a2, b1, b2 in opcodes(old, new):
        if op == "equal":
            continue
        olds, news = [x for x in old[a1:a2] if x.strip()], [x for x in new[b1:b2] if x.strip()]
        for i in range(max(len(olds), len(news))):
            o = olds[i] if i < len(olds) else ""
            n = news[i] if i < len(news) else ""
            changes.append(_word_diff(o, n))
    return changes


def _word_diff(old: str, new: str) -> str:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    if not a or not b:
        return (f"[-{old}-]" if old else "") + (f"{{+{new}+}}" if new else "")
    # Changes separated only by a space read as one change: "[-thirty (30)-]{+ten (10)+}".
    pieces: list[list[str]] = []  # [kind, old, new]: kind "=" or "~"
    for op, a1, a2, b1, b2 in opcodes(a, b):
        old_part, new_part = "".join(a[a1:a2]), "".join(b[b1:b2])
        if op == "equal" and not (old_part.isspace() and pieces and pieces[-1][0] == "~"):
            pieces.append(["=", old_part, old_part])
        elif pieces and pieces[-1][0] == "~":
            pieces[-1][1] += old_part
            pieces[-1][2] += new_part
        else:
            pieces.append(["~", old_part, new_part])
    out: list[str] = []
    for kind, old_part, new_part in pieces:
        if kind == "=":
            out.append(old_part)
            continue
        out.append(f"[-{old_part}-]" if old_part else "")
        out.append(f"{{+{new_part}+}}" if new_part else "")
    return "".join(out)
