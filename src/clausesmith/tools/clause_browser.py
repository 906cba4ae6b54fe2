"""`clausesmith clauses list|show|approve`: the clause library as counsel browse it."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

from clausesmith.errors import invalid
from clausesmith.files import write_user_file
from clausesmith.inputs.yamlio import read_text
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


def table(clauses: list[Clause], library: Library) -> str:
    """The status column says "unapproved" for an edited approved clause."""
    rows = [COLUMNS] + [
        (c.id, str(c.version), library.status_of(c), c.position, c.slot, c.title) for c in clauses
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


def approve(
    root: Path,
    ids: tuple[str, ...] = (),
    by: str | None = None,
    on: str | None = None,
    force: bool = False,
) -> list[str]:
    """Record versions and hashes in the library's registry: of the clauses `ids`, or of
    every clause when none is named. Named clauses also get `status: approved`,
    `approved_by` and `approved_on` in their front matter. The changes, one a line."""
    library = load_library(root)
    chosen = [find(library, cid) for cid in ids]
    for path in [registry.registry_path(root), *(Path(c.path) for c in chosen)]:
        if os.path.islink(path):  # checked before anything is written
            raise invalid(str(path), "", "is a symbolic link; it is not written through")
    changes = registry.approve(
        root,
        list(library.clauses.values()),
        force=force,
        only={c.id for c in chosen} if ids else None,
        by=by,
        on=on,
    )
    for clause in chosen:
        _stamp_front_matter(Path(clause.path), by, on)
    return changes


FRONT_KEYS = ("status", "approved_by", "approved_on")


def _stamp_front_matter(path: Path, by: str | None, on: str | None) -> None:
    """Set status, approved_by and approved_on in a clause's front matter, line by line, so
    counsel's comments and key order stay as they wrote them. The body (what the registry
    hashes) is not touched."""
    text = read_text(path, str(path))
    head, sep, body = text.partition("\n---\n")  # the front matter's closing fence
    values = {"status": "approved", "approved_by": by, "approved_on": on}
    lines = head.split("\n")
    for key in FRONT_KEYS:
        if values[key] is None:
            continue
        line = f"{key}: {_yaml_scalar(str(values[key]))}"
        at = next((i for i, x in enumerate(lines) if x.startswith(f"{key}:")), None)
        if at is None:
            lines.append(line)
        else:
            lines[at] = line
    write_user_file(path, ("\n".join(lines) + sep + body).encode("utf-8"))


def _yaml_scalar(value: str) -> str:
    """A name or date as a YAML scalar that reads back as the same string."""
    return value if value.replace(" ", "").replace("-", "").isalnum() else json.dumps(value)
