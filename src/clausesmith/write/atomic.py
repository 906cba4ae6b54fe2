"""Put a set of files into a folder all at once, or not at all.

Every file is first written to a staging folder beside its destination (same file system,
so each move is an atomic rename).

A folder that does not exist yet (a deal's first render, every deal of a fresh CI run) is
the staging folder itself, renamed into place in one step once every file is in it: the
folder appears complete or not at all, with one rename instead of one per file.

Into an existing folder, the staged files are moved one by one, the last one last (the
lock, which vouches for the rest). If anything fails, or the run is interrupted, while
moving, the files already moved are put back as they were: the folder holds either the
complete old set or the complete new set, never a mix.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path


def replace_all(folder: Path, files: dict[str, bytes]) -> None:
    """Write `files` (name -> bytes) into `folder`, in order, all or nothing."""
    if not folder.exists() and _create_whole(folder, files):
        return
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".clausesmith-", dir=folder))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        _move_in(staging, folder, list(files))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _create_whole(folder: Path, files: dict[str, bytes]) -> bool:
    """Stage the whole folder beside it and rename it into place; False if the folder
    appeared meanwhile (another process), so the caller moves the files in one by one."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    # os.mkdir, not mkdtemp: the folder keeps the permissions the user's umask gives.
    staging = folder.parent / f".clausesmith-{folder.name}-{os.getpid()}-{os.urandom(4).hex()}"
    staging.mkdir()
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        try:
            os.rename(staging, folder)  # atomic; refuses a folder that now has files in it
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR):
                raise
            return False
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_in(staging: Path, folder: Path, names: list[str]) -> None:
    backup = staging / ".previous"
    backup.mkdir()
    moved: list[str] = []
    try:
        for name in names:
            if (folder / name).exists():
                os.link(folder / name, backup / name)  # the old bytes stay reachable
            os.replace(staging / name, folder / name)
            moved.append(name)
    except BaseException:
        for name in reversed(moved):
            if (backup / name).exists():
                os.replace(backup / name, folder / name)
            else:
                (folder / name).unlink(missing_ok=True)
        raise
