"""Switch a deal's folder from its old set of files to the new set in one step, or not at all.

A folder that does not exist yet (a deal's first render, every deal of a fresh CI run) is
staged whole beside it and renamed into place: it appears complete or not at all.

An existing folder cannot be swapped whole without losing what else the user keeps in it,
so the switch is a journal rolled forward:
1. `_stage`: every new file is written into a staging folder inside the deal's folder (a
   unique name, made by mkdtemp);
2. `_back_up`: the old files are linked (or copied) into the staging folder, so they stay
   reachable;
3. `_write_journal`: `.clausesmith-journal.json` names the staging folder and the files; its
   atomic rename is the commit point;
4. `_move`, once per file, the lock last: each staged file is renamed over the old one;
5. the journal and the staging folder are removed.
An error or Ctrl-C before step 3 leaves the old set untouched; during step 4, the old files
are put back from the backup. A process killed outright (kill -9, SIGTERM, power cut) before
step 3 leaves the old set; after it, the next clausesmith run on the folder (`recover`) rolls
the journal forward first, so the new set is completed before anything reads the folder.
`render --check` on a folder with a pending journal reports it as stale. Staging folders
of killed runs are removed by the next run (those of live processes are left alone).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TypeGuard

from clausesmith import portable
from clausesmith.errors import InvalidInput, invalid
from clausesmith.files import is_regular, read_bounded

JOURNAL = ".clausesmith-journal.json"
_STAGE = ".clausesmith-stage-"
_STAGE_NAME = re.compile(re.escape(_STAGE) + r"(\d+)-[A-Za-z0-9_]+")
_JOURNAL_TEMP = re.compile(r"\.clausesmith-journal-(\d+)-[A-Za-z0-9_]+")
_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9.-]*")  # what a deal's outputs are called
_MAX_JOURNAL_BYTES = 100_000


class HeldOpen(PermissionError):
    """An output another program holds open (Word, on Windows, refuses its replacement)."""


def replace_all(folder: Path, files: dict[str, bytes], remove: tuple[str, ...] = ()) -> None:
    """Make `folder` hold `files` (name -> bytes, the lock last) and no longer `remove`.
    HeldOpen, naming the file, when another program holds one of them open: then nothing
    has changed, and no staging folder or journal is left behind."""
    recover(folder)
    if not os.path.lexists(folder) and _create_whole(folder, files):
        return
    names = [*files, *remove]
    for name in names:  # before anything is staged: the usual case costs nothing to undo
        if is_regular(folder / name) and portable.held_open(folder / name):
            raise HeldOpen(errno.EACCES, "is open in another program", str(folder / name))
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGE}{os.getpid()}-", dir=folder))
    try:
        _stage(staging, files)
        _back_up(folder, staging, names)
        _write_journal(folder, staging, list(files), list(remove))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    done: list[str] = []  # only these are put back: the rest were never touched
    try:
        for name in files:
            _move(staging / name, folder / name)
            done.append(name)
        for name in remove:
            (folder / name).unlink(missing_ok=True)
            done.append(name)
    except PermissionError as exc:  # opened (in Word, on Windows) since the check above
        _roll_back(folder, staging, done)
        raise HeldOpen(errno.EACCES, "is open in another program", exc.filename) from None
    except BaseException:
        _roll_back(folder, staging, done)
        raise
    _finish(folder, staging)


def recover(folder: Path) -> None:
    """Finish a switch a killed run committed, and remove staging folders of killed runs."""
    journal = pending(folder)
    if journal is not None:
        staging, files, remove = journal
        for name in files:
            source = staging / name
            if is_regular(source):
                _move(source, folder / name)
        for name in remove:
            if is_regular(folder / name):
                (folder / name).unlink()
        _finish(folder, staging)
    whole = re.compile(re.escape(f".clausesmith-{folder.name}-") + r"(\d+)-[0-9a-f]{8}")
    for leftover in [*_dead_stagings(folder, _STAGE_NAME), *_dead_stagings(folder.parent, whole)]:
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in _dead_stagings(folder, _JOURNAL_TEMP, folders=False):
        leftover.unlink(missing_ok=True)  # a journal killed before its rename: never committed


def pending(folder: Path) -> tuple[Path, list[str], list[str]] | None:
    """The committed switch a killed run left in `folder` (staging folder, files, files to
    remove), or None. InvalidInput if the journal is not one clausesmith wrote."""
    path = folder / JOURNAL
    if not os.path.lexists(path):
        return None
    try:
        journal = json.loads(read_bounded(path, _MAX_JOURNAL_BYTES, follow_symlinks=False))
    except (OSError, ValueError):
        raise _bad_journal(path) from None
    if not isinstance(journal, dict):
        raise _bad_journal(path)
    staging, files, remove = (journal.get(k) for k in ("staging", "files", "remove"))
    if not (
        isinstance(staging, str)
        and _STAGE_NAME.fullmatch(staging)
        and _plain_names(files)
        and _plain_names(remove)
    ):
        raise _bad_journal(path)
    return folder / staging, list(files), list(remove)


def _bad_journal(path: Path) -> InvalidInput:
    return invalid(
        str(path),
        "",
        "is not a journal clausesmith wrote; delete it (and any .clausesmith-stage-* folder "
        "beside it) and render again",
    )


def _plain_names(names: object) -> TypeGuard[list[str]]:
    return isinstance(names, list) and all(
        isinstance(n, str) and _PLAIN_NAME.fullmatch(n) and ".." not in n for n in names
    )


def _dead_stagings(folder: Path, name: re.Pattern[str], folders: bool = True) -> list[Path]:
    """Staging folders (or files) in `folder` whose process (the pid in the name) is gone."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = name.fullmatch(entry.name)
            kind = entry.is_dir if folders else entry.is_file
            if match and kind(follow_symlinks=False) and not _alive(int(match[1])):
                found.append(Path(entry.path))
    return found


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours, from an earlier switch of this process that failed
    return portable.process_alive(pid) and not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed process nobody has reaped yet (its parent was killed too, and a container's
    init may never reap it) still answers kill(pid, 0), but will never finish a switch."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            data = stat_file.read()
    except OSError:
        return False
    return data[data.rfind(b")") + 2 :][:1] == b"Z"


def _stage(staging: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        with open(staging / name, "xb") as f:  # O_EXCL in a folder only we know of
            f.write(data)


def _back_up(folder: Path, staging: Path, names: list[str]) -> None:
    backup = staging / ".previous"
    backup.mkdir()
    for name in names:
        if not is_regular(folder / name):
            continue
        try:
            os.link(folder / name, backup / name)  # the old bytes stay reachable, no copy
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                raise
            shutil.copy2(folder / name, backup / name, follow_symlinks=False)  # no hard links


def _write_journal(folder: Path, staging: Path, files: list[str], remove: list[str]) -> None:
    journal = {"staging": staging.name, "files": files, "remove": remove}
    fd, temp = tempfile.mkstemp(prefix=f".clausesmith-journal-{os.getpid()}-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(journal, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, folder / JOURNAL)  # the commit point
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _move(source: Path, target: Path) -> None:
    os.replace(source, target)


def _roll_back(folder: Path, staging: Path, names: list[str]) -> None:
    """Put back the old files of `names` (those already switched), then tidy up."""
    backup = staging / ".previous"
    for name in names:
        if is_regular(backup / name):
            os.replace(backup / name, folder / name)
        else:  # moved in, and new: take it out again
            (folder / name).unlink(missing_ok=True)
    _finish(folder, staging)


def _finish(folder: Path, staging: Path) -> None:
    (folder / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _create_whole(folder: Path, files: dict[str, bytes]) -> bool:
    """Stage the whole folder beside it and rename it into place; False if the folder
    appeared meanwhile (another process), so the caller switches file by file."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    # mkdtemp would make it 0700: a deal's folder keeps the permissions the umask gives.
    staging = folder.parent / f".clausesmith-{folder.name}-{os.getpid()}-{os.urandom(4).hex()}"
    staging.mkdir()
    try:
        _stage(staging, files)
        try:
            os.rename(staging, folder)  # atomic; refuses a folder that now has files in it
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR):
                raise
            return False
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)
