"""Whether the outputs on disk can be trusted, and putting a render's files in place.

A deal's folder is read once (`read_folder`): its lock, checked, and every file under an
output name, each read one time. From that one reading come which outputs are stale
(`stale`), which no valid lock vouches for (`unvouched`: hand edits, a user's own files
under our names) and which the lock lists that the render no longer has (`gone`).
`write_outputs` puts every file in place only once all are written, and keeps what no lock
vouches for unless forced.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from clausesmith.errors import InvalidInput, ProtectedOutput, invalid
from clausesmith.files import TooLarge, is_regular
from clausesmith.write import atomic, lockfile

# git with core.autocrlf=true checks text files out with CRLF: every twin would differ.
CRLF = "CRLF on disk, LF rendered; see .gitattributes in docs/ci.md"
LINE_ENDINGS = f" (line endings differ: {CRLF})"
# No output clausesmith writes comes near this; a larger file under an output name is not
# ours, and is not read further.
OUTPUT_LIMIT = 64 * 1024 * 1024
_TOO_LARGE = b""  # stands for a file larger than OUTPUT_LIMIT: never equal to a render


@dataclass(frozen=True)
class Reading:
    """A deal's folder as read once."""

    folder: Path
    interrupted: bool  # a render's journal is there: it was killed and not yet finished
    present: tuple[str, ...] | None  # output names in the folder, sorted; None: unreadable
    files: Mapping[str, bytes | OSError | None]  # name -> bytes; None: not a regular file
    lock: lockfile.Lock | None
    lock_problem: InvalidInput | None  # why the lock on disk cannot vouch, if it cannot


def read_folder(folder: Path, fresh: Mapping[str, bytes]) -> Reading:
    """Read the lock and each file under an output name (or a name `fresh` has), once."""
    interrupted = os.path.lexists(folder / atomic.JOURNAL)
    try:
        listed = os.listdir(folder)
    except OSError:
        listed = None
    present = (
        None
        if listed is None
        else tuple(sorted(n for n in listed if n in fresh or lockfile.OUTPUT_NAME.fullmatch(n)))
    )
    lock_bytes, lock, problem = lockfile.read_lock_once(folder)
    files: dict[str, bytes | OSError | None] = {lockfile.LOCK_NAME: lock_bytes}
    for name in sorted({*fresh, *(present or ())} - {lockfile.LOCK_NAME}):
        try:
            files[name] = lockfile.read_output(folder / name, OUTPUT_LIMIT)
        except TooLarge:
            files[name] = _TOO_LARGE
        except FileNotFoundError:
            files[name] = None
        except OSError as exc:
            files[name] = exc
    return Reading(folder, interrupted, present, files, lock, problem)


def stale(
    reading: Reading, fresh: Mapping[str, bytes], outdated_pdfs: tuple[str, ...] = ()
) -> list[str]:
    """Outputs missing from disk, different from a fresh render, or no longer rendered; a
    PDF made from an earlier Word file (`outdated_pdfs`, see pipeline.settle_pdfs)."""
    folder = reading.folder
    if reading.interrupted:
        return [f"{folder / atomic.JOURNAL} (an interrupted render; render again to finish it)"]
    found = []
    for name, data in fresh.items():
        path = folder / name
        on_disk = reading.files.get(name)
        if not isinstance(on_disk, bytes):
            found.append(f"{path} (missing)")
        elif on_disk != data:
            found.append(str(path) + (LINE_ENDINGS if only_line_endings(on_disk, data) else ""))
    for name in gone(reading, fresh, outdated_pdfs):
        why = "made from an earlier Word file" if name.endswith(".pdf") else "no longer rendered"
        found.append(f"{folder / name} ({why})")
    return found


def gone(
    reading: Reading, fresh: Mapping[str, bytes], outdated_pdfs: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Files the lock on disk lists that this render no longer has (a dropped side letter,
    the PDF of a document no longer rendered), and PDFs made from an earlier Word file; only
    plain output names (the lock was checked; a PDF's name is its Word file's) and only
    regular files."""
    lock = reading.lock
    names = list(lock.names()) if lock is not None else []
    names += [
        p.path
        for p in (lock.pdfs if lock is not None else ())
        if p.path[: -len(".pdf")] + ".docx" not in fresh
    ]
    names += list(outdated_pdfs)
    return tuple(
        dict.fromkeys(n for n in names if n not in fresh and is_regular(reading.folder / n))
    )


def _regular(reading: Reading, name: str) -> bool:
    return isinstance(reading.files.get(name), bytes | OSError)


def only_line_endings(disk: bytes, expected: bytes) -> bool:
    return b"\r\n" in disk and disk.replace(b"\r\n", b"\n") == expected


def stale_message(spec: str, found: list[str] | tuple[str, ...], rerun: str) -> str:
    """The stale outputs of the deal at `spec`, and the command that brings them up to date."""
    lines = [f"{spec}: stale or missing outputs:", *(f"  {s}" for s in found)]
    lines.append(f"  To update them, run: {rerun}")
    return "\n".join(lines)


def unvouched(reading: Reading) -> list[str]:
    """Each output on disk that a valid lock does not vouch for, with the reason: edited
    since rendered, not listed, not a regular file, or no valid lock at all."""
    folder = reading.folder
    if reading.present is None:
        return []
    # a PDF is never a hand edit to keep: it is made again from its Word file
    others = [n for n in reading.present if n != lockfile.LOCK_NAME and not n.endswith(".pdf")]
    if reading.lock_problem is not None:
        reason = f"{lockfile.LOCK_NAME} cannot vouch for it"
        first = str(reading.lock_problem.problems[0])
        return [first, *(f"{folder / n}: {reason}" for n in others)]
    if reading.lock is None:
        return [
            f"{folder / n}: no {lockfile.LOCK_NAME} vouches for it (was it deleted?)"
            for n in others
        ]
    listed = {d.path: d.sha256 for d in reading.lock.documents}
    problems = []
    for name in others:
        path = folder / name
        disk = reading.files.get(name)
        if isinstance(disk, OSError):
            raise disk
        if disk is None:
            problems.append(f"{path}: not a regular file (a symlink?)")
        elif name not in listed:
            problems.append(f"{path}: not listed in {lockfile.LOCK_NAME}")
        elif lockfile.sha256(disk) != listed[name]:
            if b"\r\n" in disk and lockfile.sha256(disk.replace(b"\r\n", b"\n")) == listed[name]:
                problems.append(f"{path}: only its line endings changed ({CRLF})")
            else:
                problems.append(
                    f"{path}: edited since clausesmith rendered it (it no longer matches "
                    f"{lockfile.LOCK_NAME})"
                )
    return problems


def write_outputs(
    folder: Path,
    fresh: dict[str, bytes],
    force: bool = False,
    outdated_pdfs: tuple[str, ...] = (),
) -> list[Path]:
    """Put every file of `fresh` in `folder` only once all are written; keep what no lock
    vouches for (hand edits, a user's own files under output names) unless forced.

    Outputs already what the deal renders are left alone, timestamps and all: nothing is
    written and the list is empty (`make`, editors and backups see no change)."""
    atomic.recover(folder)  # a render killed after its commit point is finished first
    reading = read_folder(folder, fresh)
    if not stale(reading, fresh, outdated_pdfs):
        return []
    problems = [] if force else unvouched(reading)
    if problems:
        raise ProtectedOutput(
            "\n".join(f"{p}; nothing was written" for p in problems)
            + "\n  To keep the edit, copy the file elsewhere (or put the change into the deal "
            "or the clause library) and render again; to discard it, render with --force."
        )
    # forced past a lock that cannot be trusted to name files to delete: none are
    removed = gone(reading, fresh, outdated_pdfs)
    try:
        atomic.replace_all(folder, fresh, removed)  # the lock moves last: it vouches
    except atomic.HeldOpen as exc:
        raise invalid(
            str(exc.filename),
            "",
            "is open in another program (Word?) and cannot be replaced; close it and render "
            "again; nothing was changed",
        ) from None
    except OSError as exc:  # not writable, a file in the way, a dangling link, disk full
        raise invalid(
            str(folder), "", f"cannot write the outputs here ({exc.strerror}); nothing was changed"
        ) from None
    return [folder / name for name in fresh]
