"""Reading a file that may be hostile: a regular file only, never through a symlink where
that matters, and never more than a stated number of bytes (a symlink to /dev/zero or a FIFO
would otherwise be read until memory runs out, or hang). Writing one file atomically: the
one writer every output, report and cache entry goes through."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from clausesmith import portable


class NotRegular(OSError):
    """A folder, device, FIFO or socket (or a symlink, when links are not followed)."""


class TooLarge(OSError):
    """Larger than the limit the caller gave."""


class Outside(OSError):
    """Leads (through a symlink) out of the folder it must stay in."""


def read_bounded(
    path: Path, limit: int, follow_symlinks: bool = True, within: Path | None = None
) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes, and (when `within` is
    given) inside that folder once every symlink is resolved. NotRegular, TooLarge, Outside,
    or the OSError of opening or reading it. Only what the file holds is allocated."""
    if within is not None and not path.resolve().is_relative_to(within.resolve()):
        raise Outside(errno.EACCES, f"leads outside {within} (through a symlink)")
    flags = os.O_RDONLY | portable.NONBLOCK | portable.BINARY
    flags |= 0 if follow_symlinks else portable.NOFOLLOW
    try:
        if not follow_symlinks:
            portable.refuse_link(path)
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise NotRegular(errno.ELOOP, "is a symbolic link, not followed") from None
        raise
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, "is not a regular file")
        if info.st_size > limit:
            raise TooLarge(errno.EFBIG, f"is {info.st_size:,} bytes")
        data = f.read(info.st_size + 1)  # +1: a file that grew while being read
    if len(data) > limit:
        raise TooLarge(errno.EFBIG, f"is more than {limit:,} bytes")
    return data


def write_file(target: Path, data: bytes, private: bool = False) -> None:
    """One file, whole or not at all, through a temporary file of a unique name created with
    O_EXCL beside it (mkstemp): a symlink planted under a predictable name is never written
    through, one at `target` itself is replaced, not followed, and a reader (another worker
    of a parallel run) never sees it half written. `private`: readable by its owner alone
    (0600, as mkstemp creates it); else the permissions a plain new file would get."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if not private:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_regular(path: Path) -> bool:
    """Whether `path` itself (a symlink not followed) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
