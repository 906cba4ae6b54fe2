"""Work kept on disk between runs, as Python keeps __pycache__: faster start, same results.

Two kinds of entry, both in one folder per version of the code:
- compiled Jinja (Jinja's own bytecode cache), for the Markdown templates;
- `remember`: a checked input (a clause, a playbook, a compiled Word template) pickled whole,
  keyed by the text it was built from, so an unchanged file is neither parsed, validated nor
  compiled again. Only what built without error is kept: a broken file is checked, and
  reported, on every run.

The folder's name is a digest of every module of clausesmith, the interpreter and the
libraries whose output is kept, so a change to any of them starts a new cache (and removes
the folders of earlier versions).
`CLAUSESMITH_CACHE_DIR` picks the parent folder (default: the user's cache folder);
`CLAUSESMITH_CACHE_DIR=off` turns the cache off. A cache that cannot be read or written is no
cache. The cache holds pickles: like __pycache__, it must be writable only by its user.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import cerberus
import jinja2
import yaml
from jinja2.bccache import BytecodeCache, FileSystemBytecodeCache

from clausesmith import __version__

T = TypeVar("T")


def _code_digest() -> str:
    here = Path(__file__).parent
    versions = (__version__, sys.implementation.cache_tag, jinja2.__version__)
    digest = hashlib.sha256(repr((*versions, yaml.__version__, cerberus.__version__)).encode())
    # Every module of the package, subpackages included: a change anywhere may shape output.
    for module in sorted(here.rglob("*.py")):
        digest.update(module.relative_to(here).as_posix().encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def folder() -> Path | None:
    """This code version's cache folder, made if need be; None when off or unusable."""
    setting = os.environ.get("CLAUSESMITH_CACHE_DIR", "")
    if setting.lower() == "off":
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clausesmith"
    parent = Path(setting) if setting else base
    path = parent / f"v-{_code_digest()}"
    if path.is_dir():
        return path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    # A new version of the code: the other versions' entries will not be read again.
    for old in parent.glob("[vj]*-*"):
        if old != path and old.name.startswith(("v-", "jinja-")):
            shutil.rmtree(old, ignore_errors=True)
    return path


def bytecode_cache() -> BytecodeCache | None:
    path = folder()
    return None if path is None else FileSystemBytecodeCache(str(path), "jinja-%s.cache")


def remember(kind: str, key: str | bytes, build: Callable[[], T]) -> T:
    """What `build` returns for `key`: from the cache if it was built before, else built now
    and kept. Exceptions from `build` propagate and keep nothing."""
    path = folder()
    if path is None:
        return build()
    raw = key.encode("utf-8", "surrogatepass") if isinstance(key, str) else key
    digest = hashlib.sha256(raw).hexdigest()
    entry = path / f"{kind}-{digest[:32]}.pickle"
    try:
        with entry.open("rb") as f:
            stored_digest, value = pickle.load(f)
        if stored_digest == digest:  # the whole digest, not only the file name's part
            return value  # type: ignore[no-any-return]
    except Exception:  # missing, unreadable or from another build: a miss, never an error
        pass
    value = build()
    _write(entry, pickle.dumps((digest, value), protocol=pickle.HIGHEST_PROTOCOL))
    return value


def _write(entry: Path, data: bytes) -> None:
    """Atomically, so a worker of a parallel run never reads another's half-written entry."""
    with contextlib.suppress(OSError):
        fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temp, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
