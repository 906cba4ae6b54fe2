"""A run's deals as a whole: two deals may not share an output folder, and an output folder
that no deal renders any more is found (and, on request, removed).

A deal's folder is named after its `deal.id`, so two deal files with the same id would
render into one folder, the second overwriting the first (under -j, whichever finishes
last). The ids are read before anything is rendered, so the run is refused with both files
named and nothing written. They are read cheaply (`deal.peek`, a tenth of a millisecond a
deal); only the files of an id seen twice are read again in full, so a file the full parse
refuses is reported by its own error, not as a clash.

A folder is left behind when its deal is deleted, or its id changed. It is recognised by
its lock (`clausesmith.lock.json` records the deal file it was rendered from) and only
then: a folder whose deal file still exists and was not part of this run belongs to a run
of other deals (a pre-commit hook passes only the changed ones; a CI shard, its share), and
is left alone. Pruning deletes only what the lock names as our outputs, with the bytes the
lock records, and the lock itself: a hand-edited file, or anything else in the folder, is
kept and the folder with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from clausesmith.deal import load, peek
from clausesmith.errors import InvalidInput, Problem
from clausesmith.write import lockfile


def refuse_shared_ids(deals: Iterable[Path]) -> None:
    """InvalidInput naming both files for each id that two deals of the run share."""
    cheap = [(path, peek.peek_id(path)) for path in deals]
    seen = Counter(found[0] for _, found in cheap if found is not None)
    confirmed = [
        (path, load.peek_id(path) if found is not None and seen[found[0]] > 1 else found)
        for path, found in cheap
    ]
    first: dict[str, tuple[Path, int | None, int | None]] = {}
    problems = []
    for path, peeked in confirmed:
        if peeked is None:
            continue
        deal_id, line, column = peeked
        if deal_id in first:
            other, other_line, _ = first[deal_id]
            where = f"{other}:{other_line}" if other_line else str(other)
            problems.append(
                Problem(
                    str(path),
                    line,
                    column,
                    "deal.id",
                    f"{deal_id!r} is also the id of {where}; each deal needs its own id (it "
                    "names the output folder); nothing was rendered",
                )
            )
        else:
            first[deal_id] = (path, line, column)
    if problems:
        raise InvalidInput(problems)


@dataclass(frozen=True)
class Orphan:
    folder: Path
    spec: str  # the deal file its lock names, as the lock has it (from the folder)
    why: str  # "no longer exists", or "now has the id x"

    @property
    def renamed(self) -> bool:
        """Its deal was rendered in this run, under another id."""
        return self.why.startswith("now has")


def orphans(root: Path, rendered: dict[Path, str]) -> list[Orphan]:
    """Folders under `root` holding a lock that no deal of this run renders: their deal
    file is gone, or was rendered in this run under another id. `rendered` maps each deal
    file of the run (resolved) to the id it rendered as."""
    ids = set(rendered.values())
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else ():
        lock = lockfile.read_lock(folder) if folder.is_dir() else None
        if lock is None or folder.name in ids:
            continue
        spec = lock.spec_path
        if spec is None:
            continue
        source = (folder / spec).resolve()
        if not source.exists():
            found.append(Orphan(folder, spec, "no longer exists"))
        elif source in rendered:
            found.append(Orphan(folder, spec, f"now has the id {rendered[source]!r}"))
    return found


def orphan_line(orphan: Orphan) -> str:
    return (
        f"{orphan.folder}: no deal renders this folder any more (its lock names "
        f"{orphan.spec}, which {orphan.why})"
    )


def prune(orphan: Orphan, force: bool = False) -> list[str]:
    """Delete the orphan's outputs (those with the bytes its lock records, unless `force`),
    its lock, and the folder if nothing else is left in it; what a person reads about it."""
    folder = orphan.folder
    lock = lockfile.read_lock(folder)
    kept = []
    for entry in lock.documents if lock is not None else ():
        path = folder / entry.path  # a plain output name: read_lock checked it
        if path.is_symlink() or not path.is_file():
            continue
        if force or lockfile.sha256(path.read_bytes()) == entry.sha256:
            path.unlink()
        else:
            kept.append(f"  kept {path}: edited since clausesmith rendered it")
    if kept:
        return [f"{folder}: not removed, no deal renders it but it holds hand edits", *kept]
    (folder / lockfile.LOCK_NAME).unlink(missing_ok=True)
    if any(folder.iterdir()):
        return [f"{folder}: removed clausesmith's outputs; other files in it are kept"]
    folder.rmdir()
    return [f"{folder}: removed (no deal renders it)"]
