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
from typing import TYPE_CHECKING, Any

from clausesmith.errors import InvalidInput, Problem
from clausesmith.files import read_bounded, write_user_file

if TYPE_CHECKING:  # the library reads the registry when it loads: no import cycle at run time
    from clausesmith.library.clause import Clause

REGISTRY_NAME = "approved.json"
ABOUT = (
    "Approved clause versions and the sha256 of their text. Written by "
    "`clausesmith clauses approve`; `clausesmith lint` fails when a clause's text changes "
    "and its version does not. Review changes to this file like clause text."
)


@dataclass(frozen=True)
class Approval:
    version: int
    sha256: str
    approved_by: str | None = None
    approved_on: str | None = None  # YYYY-MM-DD


def approval_status(clause: Clause, registry: dict[str, Approval] | None) -> str:
    """The status documents and reports give a clause: its front matter's, except that a
    clause marked approved whose text is not the approved text of its version (or that no
    registry vouches for) is "unapproved". An edit never passes as approved."""
    if clause.status != "approved":
        return clause.status
    if registry is None or check(clause, registry) is not None:
        return "unapproved"
    return "approved"


MAX_REGISTRY_BYTES = 10_000_000  # about 50,000 approvals


def registry_path(library: Path) -> Path:
    return library / REGISTRY_NAME


def read_registry(library: Path) -> dict[str, Approval] | None:
    """The recorded entries, None when the library has no registry yet."""
    path = registry_path(library)
    if not path.is_file():
        return None
    try:
        data = json.loads(read_bounded(path, MAX_REGISTRY_BYTES).decode("utf-8"))
        return {
            cid: Approval(
                int(e["version"]),
                str(e["sha256"]),
                None if e.get("approved_by") is None else str(e["approved_by"]),
                None if e.get("approved_on") is None else str(e["approved_on"]),
            )
            for cid, e in data["clauses"].items()
        }
    except OSError as exc:
        raise InvalidInput(
            [Problem(str(path), None, None, "", f"cannot be read ({exc.strerror or exc})")]
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidInput(
            [Problem(str(path), None, None, "", f"is not a clause registry ({exc})")]
        ) from None


def check(clause: Clause, registry: dict[str, Approval]) -> str | None:
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


def approve(
    library: Path,
    clauses: list[Clause],
    force: bool = False,
    only: set[str] | None = None,
    by: str | None = None,
    on: str | None = None,
) -> list[str]:
    """Record the version and hash of every clause (or of those whose ids are in `only`),
    with who approved them and when; return what changed, one line each. Clauses left out
    of `only` keep their entries.

    Refuses (InvalidInput) a clause whose text changed at an already approved version,
    unless `force`: the registry must not launder an edit that skipped its version bump.
    """
    old = read_registry(library) or {}
    chosen = [c for c in clauses if only is None or c.id in only]
    stale = [
        c
        for c in chosen
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
    present = {c.id for c in clauses}
    new = {cid: e for cid, e in old.items() if only is not None and cid in present}
    for c in chosen:
        kept = old.get(c.id)
        if kept is not None and not by and (kept.version, kept.sha256) == (c.version, c.sha256):
            who = (kept.approved_by, kept.approved_on)  # nothing new to record
        else:
            who = (by, on)
        new[c.id] = Approval(c.version, c.sha256, *who)
    new = dict(sorted(new.items()))
    changes = [_change(cid, old.get(cid), new.get(cid)) for cid in sorted({*old, *new})]
    data: dict[str, Any] = {"about": ABOUT, "clauses": {cid: _json(e) for cid, e in new.items()}}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_user_file(registry_path(library), text.encode("utf-8"))
    return [c for c in changes if c]


def _json(entry: Approval) -> dict[str, Any]:
    data: dict[str, Any] = {"version": entry.version, "sha256": entry.sha256}
    if entry.approved_by:
        data["approved_by"] = entry.approved_by
    if entry.approved_on:
        data["approved_on"] = entry.approved_on
    return data


def _change(cid: str, old: Approval | None, new: Approval | None) -> str:
    if old is None and new is not None:
        who = f" by {new.approved_by}" if new.approved_by else ""
        when = f" on {new.approved_on}" if new.approved_on else ""
        return f"approved {cid} v{new.version}{who}{when}"
    if new is None and old is not None:
        return f"removed {cid} (no longer in the library)"
    assert old is not None and new is not None
    if old == new:
        return ""
    who = f" by {new.approved_by}" if new.approved_by else ""
    when = f" on {new.approved_on}" if new.approved_on else ""
    if (old.version, old.sha256) == (new.version, new.sha256):
        return f"approved {cid} v{new.version}{who}{when} (already recorded)"
    return f"approved {cid} v{new.version}{who}{when} (was v{old.version})"
