"""What differs between Windows, macOS and Linux, in one place.

Paralegals run clausesmith on Windows laptops and counsel on macOS, while it is built and
tested on Linux. Every call that one of them lacks (`os.geteuid`, `os.O_NOFOLLOW`,
`os.O_NONBLOCK`, the meaning of `os.kill(pid, 0)`, where per-user folders and LibreOffice
live) is answered here, each with its guarded alternative, so the rest of the code never
asks which system it runs on. `tests/tooling/test_portable.py` runs the main commands with
these attributes removed and the `spawn` start method forced, as on Windows.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import sys
from pathlib import Path
from typing import TextIO

APP = "clausesmith"
IS_WINDOWS = os.name == "nt"

# Flags Windows lacks are 0 there: opening without O_NOFOLLOW then relies on the lstat check
# callers make first (`refuse_link`), which leaves a race a local attacker could win, but
# creating symlinks on Windows needs a privilege ordinary users do not hold.
NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
BINARY: int = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends


def refuse_link(path: Path | str) -> None:
    """Where the platform cannot refuse a symlink when opening (no O_NOFOLLOW), refuse it
    first: the same ELOOP error the open would have raised."""
    if not NOFOLLOW and stat.S_ISLNK(os.lstat(path).st_mode):
        raise OSError(40, "is a symbolic link, not followed", str(path))  # ELOOP


def owned_by_this_user(info: os.stat_result) -> bool:
    """The file belongs to the user running clausesmith. Windows has no numeric owner in
    `stat`; there the per-user folders (under the profile) are protected by their ACLs."""
    geteuid = getattr(os, "geteuid", None)
    return True if geteuid is None else info.st_uid == geteuid()


def private_to_others(info: os.stat_result) -> bool:
    """Nobody else may write it. Windows reports synthetic mode bits (0o666 for any writable
    file), so the group and other bits say nothing there: the ACLs of the profile do."""
    if IS_WINDOWS:
        return True
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def user_cache_dir() -> Path:
    """This user's cache folder: `$XDG_CACHE_HOME/clausesmith` (default `~/.cache`) on
    Linux, `~/Library/Caches/clausesmith` on macOS, `%LOCALAPPDATA%\\clausesmith\\Cache` on
    Windows."""
    import platformdirs  # on first use: not on the path of `--help`

    return platformdirs.user_cache_path(APP, appauthor=False)


def user_state_dir() -> Path:
    """Where this user's signing key for the cache lives, outside the cache folder:
    `$XDG_STATE_HOME/clausesmith` (default `~/.local/state`) on Linux, `~/Library/Application
    Support/clausesmith` on macOS, `%LOCALAPPDATA%\\clausesmith` on Windows."""
    import platformdirs

    return platformdirs.user_state_path(APP, appauthor=False)


def process_alive(pid: int) -> bool:
    """Whether process `pid` still runs. On POSIX `kill(pid, 0)` asks; on Windows the same
    call would terminate the process, so the process is opened and its exit code read."""
    if IS_WINDOWS:
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def _windows_process_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    # Looked up by name: these exist only in Windows builds of ctypes.
    kernel32 = getattr(ctypes, "WinDLL")("kernel32", use_last_error=True)  # noqa: B009
    last_error = getattr(ctypes, "get_last_error")  # noqa: B009
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return bool(last_error() == access_denied)  # it exists, another user's
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == still_active)
    finally:
        kernel32.CloseHandle(handle)


def colour_allowed(stream: TextIO) -> bool:
    """Colour only on a terminal that shows it: never when NO_COLOR is set (no-color.org) or
    TERM is dumb, and on Windows only in a console known to read escape sequences (Windows
    Terminal, or a TERM a shell such as Git Bash sets); the classic console prints them raw."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return False
    return not IS_WINDOWS or bool(os.environ.get("WT_SESSION") or os.environ.get("TERM"))


def held_open(path: Path) -> bool:
    """Whether another program holds `path` so that it cannot be replaced: Word on Windows
    opens a document denying others write access, and Windows then refuses to replace it.
    On macOS and Linux an open file never stops a rename, so nothing is asked."""
    if not IS_WINDOWS:
        return False
    try:  # pragma: no cover - Windows only
        with open(path, "r+b"):
            return False
    except PermissionError:  # pragma: no cover - Windows only
        return True
    except OSError:  # pragma: no cover - Windows only
        return False


def claim_port(listener: socket.socket) -> None:
    """Make `listener` (not yet bound) the only socket on its port. On POSIX, SO_REUSEADDR
    lets a restarted server bind past connections still closing, and no other socket can
    join it on a port in use. On Windows SO_REUSEADDR means the opposite (another program,
    another user's too, may bind the same port and receive the browser's requests, the
    token with them), so the port is claimed with SO_EXCLUSIVEADDRUSE instead."""
    if IS_WINDOWS:
        exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", -5)  # ~SO_REUSEADDR, Windows only
        listener.setsockopt(socket.SOL_SOCKET, exclusive, 1)
    else:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)


SOFFICE_SETTING = "CLAUSESMITH_SOFFICE"


def soffice_candidates() -> list[str]:
    """Where LibreOffice is looked for, in order: the user's `CLAUSESMITH_SOFFICE` setting,
    `soffice` on PATH, then where its installers put it on Windows and macOS. A repository's
    clausesmith.toml cannot name it: a pull request could then name a program of its own
    for CI to run."""
    places = [p for p in (os.environ.get(SOFFICE_SETTING),) if p]
    places.append("soffice on PATH")
    if IS_WINDOWS:
        for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if base:
                places.append(str(Path(base) / "LibreOffice" / "program" / "soffice.exe"))
    elif sys.platform == "darwin":
        places.append("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return places


def find_soffice() -> tuple[str | None, list[str]]:
    """The first LibreOffice found, and every place looked (for the message when none is)."""
    looked = soffice_candidates()
    for place in looked:
        found: str | None = None
        if place == "soffice on PATH":
            found = shutil.which("soffice")
        else:
            with contextlib.suppress(OSError):
                found = place if Path(place).is_file() and os.access(place, os.X_OK) else None
        if found:
            return found, looked
    return None, looked


def lock_file(fd: int, blocking: bool) -> bool:
    """Take an exclusive advisory lock on the open file `fd` (released when it is closed):
    flock on POSIX, msvcrt.locking on Windows. False if `blocking` is off and another
    process holds it; True where the system offers neither (nothing to wait for)."""
    try:
        import fcntl
    except ImportError:
        return _lock_windows(fd, blocking)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def _lock_windows(fd: int, blocking: bool) -> bool:  # pragma: no cover - Windows only
    try:
        import msvcrt
    except ImportError:
        return True
    mode = getattr(msvcrt, "LK_LOCK" if blocking else "LK_NBLCK")
    try:
        getattr(msvcrt, "locking")(fd, mode, 1)  # noqa: B009
    except OSError:
        if blocking:
            raise
        return False
    return True
