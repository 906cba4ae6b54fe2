"""Work kept on disk between runs, as Python keeps __pycache__: faster start, same results.

Two kinds of entry, both in one folder per version of the code:
- compiled Jinja (the Markdown templates' bytecode), through `bytecode_cache()`;
- `remember`: a checked input (a clause, a playbook, a compiled Word template) pickled whole,
  keyed by the text it was built from, so an unchanged file is neither parsed, validated nor
  compiled again. Only what built without error is kept: a broken file is checked, and
  reported, on every run.

The key cannot lie: the folder's name is a digest of every module of the package (all
subpackages), the interpreter and the versions of every library that shapes what is kept
(`SHAPING`), and each entry's name is a digest of its kind and key parts, built in one
place (`_entry_name`).

The cache holds pickles, and unpickling runs code, so nothing is unpickled that this user
did not write:
- folders are made 0700 whatever the umask; a folder or entry that is not this user's, or
  that group or others may write, is no cache;
- every entry is signed with HMAC-SHA256 under a per-user key kept outside the cache folder
  (`cache-key` in `portable.user_state_dir()`: `~/.local/state/clausesmith/` on Linux, a
  0600 file of this user's); an entry whose signature does not check is a miss, read no further.
  Whoever can write that key file can already run code as the user.
- clean-up of earlier versions removes only folders holding the marker file clausesmith
  writes into every version folder it makes (`MARKER`), never anything picked by its name.

`CLAUSESMITH_CACHE_DIR` picks the parent folder (default: `portable.user_cache_dir()`, the
per-user cache folder of each system: `$XDG_CACHE_HOME/clausesmith` on Linux);
`CLAUSESMITH_CACHE_DIR=off` turns the cache off. A cache that cannot be read, written or
trusted is no cache: a miss, never an error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import re
import secrets
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from jinja2.bccache import Bucket, BytecodeCache

from clausesmith import portable
from clausesmith.files import read_bounded, write_file

T = TypeVar("T")

# Distributions whose version changes what an entry holds or how it is read back.
SHAPING = (
    "docxtpl",
    "python-docx",
    "jinja2",
    "markupsafe",
    "smartypants",
    "babel",
    "pycountry",
    "num2words",
    "pyyaml",
    "cerberus",
    "lxml",
)
MARKER = ".clausesmith-cache"  # in every version folder clausesmith made, and only there
_MAGIC = b"clausesmith-cache-1\n"
_MAX_ENTRY_BYTES = 64 * 1024 * 1024  # the largest entry (a Word template) is about 200 KB
_KEY_BYTES = 32


def library_versions() -> tuple[tuple[str, str], ...]:
    """Each shaping library's installed version, read from the names of the `*.dist-info`
    folders on sys.path as importlib.metadata finds them, without its 30 ms import."""
    found: dict[str, str] = {}
    for entry in sys.path:
        with contextlib.suppress(OSError):
            for item in os.scandir(entry or "."):
                stem, dot, suffix = item.name.rpartition(".")
                if suffix not in ("dist-info", "egg-info") or not dot:
                    continue
                name, _, version = stem.partition("-")
                found.setdefault(re.sub(r"[-_.]+", "-", name).lower(), version)
    return tuple((name, found.get(name, "absent")) for name in SHAPING)


def package_root() -> Path:
    return Path(__file__).parent


def code_digest(root: Path, versions: tuple[tuple[str, str], ...]) -> str:
    """Every module below `root` (subpackages too), by path and bytes, with the interpreter
    and the shaping libraries' versions."""
    digest = hashlib.sha256(repr((sys.implementation.cache_tag, versions)).encode())
    for module in sorted(root.rglob("*.py")):
        name = module.relative_to(root).as_posix().encode()
        body = hashlib.sha256(module.read_bytes()).digest()
        digest.update(len(name).to_bytes(4, "big") + name + body)
    return digest.hexdigest()[:16]


def _owned_private(info: os.stat_result, kind: int) -> bool:
    """This user's, of the expected kind, and writable by nobody else."""
    return (
        stat.S_IFMT(info.st_mode) == kind
        and portable.owned_by_this_user(info)
        and portable.private_to_others(info)
    )


def _private_folder(path: Path) -> bool:
    """Make `path` (and any missing parent) 0700; True if it is a folder we can trust."""
    missing = [p for p in (path, *path.parents) if not os.path.lexists(p)]
    try:
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(folder, 0o700)
                os.chmod(folder, 0o700)  # a umask like 0o777 would have left it unusable
        return _owned_private(os.lstat(path), stat.S_IFDIR)
    except OSError:
        return False


@functools.cache
def _key() -> bytes | None:
    """This user's signing key, made on first use; None if it cannot be made or trusted."""
    folder = portable.user_state_dir()
    if not _private_folder(folder):
        return None
    path = folder / "cache-key"
    with contextlib.suppress(OSError):
        if not os.path.lexists(path):
            _publish_key(path)
        portable.refuse_link(path)
        fd = os.open(path, os.O_RDONLY | portable.NOFOLLOW | portable.BINARY)
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            key = f.read(_KEY_BYTES + 1)
        readable_by_others = not portable.IS_WINDOWS and info.st_mode & (
            stat.S_IRWXG | stat.S_IRWXO
        )
        if _owned_private(info, stat.S_IFREG) and not readable_by_others:
            return key if len(key) == _KEY_BYTES else None
    return None


def _publish_key(path: Path) -> None:
    """Write the key whole under a unique name, then link it in: two processes starting at
    once both end up reading the one that won, never a half-written file."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(_KEY_BYTES))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)
    finally:
        os.unlink(temp)


@functools.cache
def folder() -> Path | None:
    """This code version's cache folder, made if need be; None when off or not trustworthy."""
    setting = os.environ.get("CLAUSESMITH_CACHE_DIR", "")
    if setting.lower() == "off" or _key() is None:
        return None
    base = portable.user_cache_dir()
    parent = Path(setting) if setting else base
    path = parent / f"v-{code_digest(package_root(), library_versions())}"
    new = not os.path.lexists(path)
    if not (_private_folder(parent) and _private_folder(path)):
        return None
    if new:
        with contextlib.suppress(OSError):
            write_file(path / MARKER, b"clausesmith compile cache; safe to delete\n", private=True)
        _remove_earlier_versions(parent, path)
    else:
        with contextlib.suppress(OSError):  # in use: not to be removed by another version
            os.utime(path / MARKER)
    return path


# A folder another version used this recently is kept: two checkouts of different versions
# sharing one cache (a developer's branches, CI jobs) must not delete each other's folder
# while it is in use.
IDLE_SECONDS = 24 * 3600


def _remove_earlier_versions(parent: Path, current: Path) -> None:
    """A new version of the code: the folders of earlier versions, idle for a day, will not
    be read again. Only folders clausesmith made (with its marker, both this user's) are
    removed."""
    idle_since = time.time() - IDLE_SECONDS
    with contextlib.suppress(OSError):
        for old in parent.iterdir():
            if old == current:
                continue
            with contextlib.suppress(OSError):
                marker = os.lstat(old / MARKER)
                if (
                    _owned_private(os.lstat(old), stat.S_IFDIR)
                    and _owned_private(marker, stat.S_IFREG)
                    and marker.st_mtime < idle_since
                ):
                    shutil.rmtree(old)


def _entry_name(kind: str, parts: tuple[str | bytes, ...]) -> tuple[str, str]:
    """The one place an entry's key is built: its file name and its full digest."""
    digest = hashlib.sha256(kind.encode() + b"\0")
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(raw).to_bytes(8, "big") + raw)
    full = digest.hexdigest()
    return f"{kind}-{full[:32]}.pickle", full


def remember(kind: str, parts: tuple[str | bytes, ...], build: Callable[[], T]) -> T:
    """What `build` returns for the key `parts`: from the cache if it was built before, else
    built now and kept. Exceptions from `build` propagate and keep nothing."""
    path = folder()
    if path is None:
        return build()
    name, digest = _entry_name(kind, parts)
    payload = _read_signed(path / name)
    if payload is not None:
        try:
            stored_digest, value = pickle.loads(payload)  # signed by this user: safe to load
            if stored_digest == digest:
                return value  # type: ignore[no-any-return]
        except Exception:  # from another build of the libraries: a miss, never an error
            pass
    value = build()
    _write_signed(path / name, pickle.dumps((digest, value), protocol=pickle.HIGHEST_PROTOCOL))
    return value


def _signature(key: bytes, name: str, payload: bytes) -> bytes:
    return hmac.new(key, name.encode() + b"\0" + payload, hashlib.sha256).digest()


def _read_signed(entry: Path) -> bytes | None:
    """The entry's payload if this user wrote it (owner, mode and signature), else None."""
    key = _key()
    if key is None:
        return None
    try:
        info = os.lstat(entry)
        if not _owned_private(info, stat.S_IFREG):
            return None
        data = read_bounded(entry, _MAX_ENTRY_BYTES, follow_symlinks=False)
    except OSError:
        return None
    head = len(_MAGIC) + hashlib.sha256().digest_size
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    signature, payload = data[len(_MAGIC) : head], data[head:]
    if not hmac.compare_digest(signature, _signature(key, entry.name, payload)):
        return None
    return payload


def _write_signed(entry: Path, payload: bytes) -> None:
    key = _key()
    if key is not None:
        signature = _signature(key, entry.name, payload)
        with contextlib.suppress(OSError):
            write_file(entry, _MAGIC + signature + payload, private=True)


class SignedBytecodeCache(BytecodeCache):
    """Jinja's compiled templates, kept as signed entries like every other: Jinja's own
    file cache would unmarshal whatever file sits under the expected name."""

    def load_bytecode(self, bucket: Bucket) -> None:
        path = folder()
        payload = None if path is None else _read_signed(path / f"jinja-{bucket.key}.cache")
        if payload is not None:
            try:
                bucket.bytecode_from_string(payload)
            except Exception:  # another interpreter's bytecode: a miss
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        path = folder()
        if path is not None:
            _write_signed(path / f"jinja-{bucket.key}.cache", bucket.bytecode_to_string())


def bytecode_cache() -> BytecodeCache | None:
    return None if folder() is None else SignedBytecodeCache()
