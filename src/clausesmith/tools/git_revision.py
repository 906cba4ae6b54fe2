"""`REV:path` for redline's OLD and NEW: a deal or an output folder as a git commit has it
(`HEAD~1:deals/acme.yaml`, `main:out/acme-beta-2026`), read with `git cat-file` and
`git show`, so a redline between two commits needs no second worktree.

git is run with a list of arguments (no shell), from the working directory, and only reads.
Of an output folder only what its lock names as our outputs is read, as from a folder on
disk; a deal is written to a private temporary folder under its own name (so a `.json`
deal is read as JSON), rendered in memory, and named `REV:path` in every message."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from clausesmith.errors import UsageError, invalid
from clausesmith.write.lockfile import LOCK_NAME, parse_lock

if TYPE_CHECKING:
    from clausesmith.pipeline import Inputs, Rendered

# Never an option: a revision starting with "-" would be read by git as one.
REVISION = re.compile(r"(?P<rev>[^:\s-][^:]*):(?P<path>[^:].*)")


def split_revision(argument: str) -> tuple[str, str] | None:
    """(REV, path) when `argument` is `REV:path` and no file of that name exists."""
    found = REVISION.fullmatch(argument)
    if found is None or Path(argument).exists():
        return None
    return found["rev"], found["path"]


def _git(label: str, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise UsageError(
            f"{label}: reading a git revision needs git, which is not on PATH"
        ) from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise invalid(label, "", f"git cannot read it: {why[0] if why else 'no reason given'}")
    return done.stdout


def is_folder(rev: str, path: str) -> bool:
    spec = f"{rev}:{path}"
    return _git(spec, "cat-file", "-t", spec).strip() == b"tree"


def folder_files(rev: str, path: str) -> dict[str, bytes]:
    """The lock of the output folder at REV:path and each output it names."""
    label = f"{rev}:{path}"
    base = path.rstrip("/")
    lock = _git(label, "show", f"{rev}:{base}/{LOCK_NAME}")
    files = {LOCK_NAME: lock}
    for name in parse_lock(f"{label}/{LOCK_NAME}", lock).names():  # plain output names only
        files[name] = _git(label, "show", f"{rev}:{base}/{name}")
    return files


def render_revision(rev: str, path: str, inputs: Inputs) -> Rendered:
    """The deal at REV:path, rendered in memory."""
    from clausesmith.pipeline import plan_deal, render_plan

    label = f"{rev}:{path}"
    text = _git(label, "show", label)
    with tempfile.TemporaryDirectory(prefix="clausesmith-rev-") as folder:
        deal = Path(folder) / Path(path).name
        deal.write_bytes(text)
        return render_plan(plan_deal(deal, inputs, label), inputs, out_dir=Path(folder))
