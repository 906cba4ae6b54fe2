"""`clausesmith clauses list|show|approve`: the clause library as counsel browse it."""

from __future__ import annotations

import difflib
from pathlib import Path

from clausesmith.deal.yamlio import read_text
from clausesmith.errors import invalid
from clausesmith.library import registry
from clausesmith.library.clause import Clause, Library, load_library
from clausesmith.library.playbook import Playbook, load_playbook

COLUMNS = ("id", "version", "status", "position", "slot", "title")


def list_clauses(library: Library, slot: str | None = None) -> list[Clause]:
    clauses = sorted(library.clauses.values(), key=lambda c: (c.slot, c.id))
    if slot is None:
        return clauses
    chosen = [c for c in clauses if c.slot == slot]
    if not chosen:
        slots = sorted({c.slot for c in clauses})
        near = difflib.get_close_matches(slot, slots, n=1)
        hint = f"did you mean {near[0]!r}?" if near else f"slots: {', '.join(slots)}"
        raise invalid(str(library.root), "--slot", f"no clause fills slot {slot!r}; {hint}")
    return chosen


def table(clauses: list[Clause]) -> str:
    rows = [COLUMNS] + [
        (c.id, str(c.version), c.status, c.position, c.slot, c.title) for c in clauses
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + "  " + r[-1]
        for r in rows
    )


def find(library: Library, clause_id: str) -> Clause:
    if clause_id in library.clauses:
        return library.clauses[clause_id]
    near = difflib.get_close_matches(clause_id, list(library.clauses), n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise invalid(str(library.root), "", f"no clause with id {clause_id!r}{hint}")


def playbooks_in(directory: Path) -> list[Playbook]:
    return [load_playbook(directory, p.stem) for p in sorted(directory.glob("*.yaml"))]


def uses(clause_id: str, playbooks: list[Playbook]) -> list[str]:
    """Where playbooks name the clause: `playbook slot rule (when ...)`, in playbook order."""
    found = []
    for book in playbooks:
        for slot in book.slots:
            for rule in slot.rules:
                if rule.clause == clause_id:
                    when = f"when {rule.when.source}" if rule.when else "otherwise"
                    found.append(
                        f"{book.id} v{book.version}, slot {slot.slot}, rule {rule.id} "
                        f"({when}) at {rule.file}:{rule.line}"
                    )
    return found


def show(clause: Clause, playbooks: list[Playbook]) -> str:
    text = read_text(Path(clause.path), clause.path)
    front = text[: len(text) - len(clause.body)].strip()
    used = uses(clause.id, playbooks) or ["no playbook rule names this clause"]
    return "\n".join(
        [
            f"{clause.path}",
            "",
            front,
            "",
            "Text:",
            clause.body.strip(),
            "",
            "Used by:",
            *(f"  {u}" for u in used),
        ]
    )


def approve(root: Path, force: bool) -> list[str]:
    """Record the library's versions and hashes in its registry; the changes, one a line."""
    library = load_library(root)
    return registry.approve(root, list(library.clauses.values()), force=force)
