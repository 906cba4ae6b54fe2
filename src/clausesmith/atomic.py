"""Put a set of files into a folder all at once, or not at all.

Every file is first written to a staging folder beside its destination (same file system,
so each move is an atomic rename). Only when all are staged are they moved into place, the
last one last (the lock, which vouches for the rest). If anything fails, or the run is
interrupted, while moving, the files already moved are put back as they were: the folder
holds either the complete old set or the complete new set, never a mix.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def replace_all(folder: Path, files: dict[str, bytes]) -> None:
    """Write `files` (name -> bytes) into `folder`, in order, all or nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".clausesmith-", dir=folder))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        _move_in(staging, folder, list(files))
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
