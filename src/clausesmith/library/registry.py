"""The registry of approved clause versions: `approved.json` beside the clauses.

It records, for each clause id, the version counsel approved and the sha256 of its text.
`clausesmith lint` fails when a clause's text no longer matches the hash recorded for its
version; `clausesmith clauses approve` (run on purpose, after review) records the library
as it stands, and refuses a changed text whose version was not raised unless forced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausesmith.errors import InvalidInput, Problem
from clausesmith.library.clause import Clause

REGISTRY_NAME = "approved.json"
ABOUT = (
    "Approved clause versions and the sha256 of their text. Written by "
    "`clausesmith clauses approve`; `clausesmith lint` fails when a clause's text changes "
    "and its version does not. Review changes to this file like clause text."
)


@dataclass(frozen=True)
class Entry:
    version: int
    sha256: str


def registry_path(library: Path) -> Path:
    return library / REGISTRY_NAME


def read_registry(library: Path) -> dict[str, Entry] | None:
    """The recorded entries, None when the library has no registry yet."""
    path = registry_path(library)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            cid: Entry(int(e["version"]), str(e["sha256"])) for cid, e in data["clauses"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidInput(
            [Problem(str(path), None, None, "", f"is not a clause registry ({exc})")]
        ) from None


def check(clause: Clause, registry: dict[str, Entry]) -> str | None:
    """What is wrong with this clause against the registry, or None."""
    entry = registry.get(clause.id)
    if entry is None:
        return (
            f"{clause.id} v{clause.version} is not in {REGISTRY_NAME}; once counsel have "
            "reviewed it, run `clausesmith clauses approve`"
        )
    if clause.version < entry.version:
        return (
            f"version {clause.version} is lower than the approved version {entry.version}; "
            "a clause's version only goes up"
        )
    if clause.version == entry.version and clause.sha256 != entry.sha256:
        return (
            f"the text changed but the version did not (still {clause.version}); raise "
            f"`version` to {clause.version + 1}, then run `clausesmith clauses approve`"
        )
    if clause.version > entry.version:
        return (
            f"version {clause.version} is not yet approved (registry has {entry.version}); "
            "run `clausesmith clauses approve` once counsel have reviewed it"
        )
    return None


def approve(library: Path, clauses: list[Clause], force: bool = False) -> list[str]:
    """Record every clause's version and hash; return what changed, one line each.

    Refuses (InvalidInput) a clause whose text changed at an already approved version,
    unless `force`: the registry must not launder an edit that skipped its version bump.
    """
    old = read_registry(library) or {}
    stale = [
        c
        for c in clauses
        if c.id in old and old[c.id].version >= c.version and old[c.id].sha256 != c.sha256
    ]
    if stale and not force:
        raise InvalidInput(
            [
                Problem(
                    c.path,
                    None,
                    None,
                    "version",
                    f"text changed but version {c.version} was already approved with other "
                    "text; raise the version (or approve with --force to re-baseline)",
                )
                for c in stale
            ]
        )
    new = {c.id: Entry(c.version, c.sha256) for c in sorted(clauses, key=lambda c: c.id)}
    changes = [_change(cid, old.get(cid), new.get(cid)) for cid in sorted({*old, *new})]
    data: dict[str, Any] = {
        "about": ABOUT,
        "clauses": {cid: {"version": e.version, "sha256": e.sha256} for cid, e in new.items()},
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    registry_path(library).write_text(text, encoding="utf-8")
    return [c for c in changes if c]


def _change(cid: str, old: Entry | None, new: Entry | None) -> str:
    if old is None and new is not None:
        return f"approved {cid} v{new.version}"
    if new is None and old is not None:
        return f"removed {cid} (no longer in the library)"
    assert old is not None and new is not None
    if old == new:
        return ""
    return f"approved {cid} v{new.version} (was v{old.version})"
