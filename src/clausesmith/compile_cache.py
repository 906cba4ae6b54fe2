"""Compiled clause templates kept on disk between runs, as Python keeps __pycache__.

Compiling the library's Jinja is most of a run's start-up; the compiled code depends only
on the clause text and on the rules clausesmith checks templates against, so both are in
the key. `CLAUSESMITH_CACHE_DIR` picks the folder (default: the user's cache folder);
`CLAUSESMITH_CACHE_DIR=off` turns the cache off. A cache that cannot be written is no cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

from clausesmith import __version__

# The modules whose rules a cached template has passed: a change to them empties the cache.
_RULE_MODULES = ("limits.py", "sandbox.py", "library.py", "typography.py")


def _rules_digest() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256(f"{__version__} {jinja2.__version__}".encode())
    for name in _RULE_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def bytecode_cache() -> BytecodeCache | None:
    setting = os.environ.get("CLAUSESMITH_CACHE_DIR", "")
    if setting.lower() == "off":
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clausesmith"
    folder = (Path(setting) if setting else base) / f"jinja-{_rules_digest()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def load(env: jinja2.Environment, name: str, source: str) -> tuple[Bucket | None, CodeType | None]:
    """The cached bucket for this source and its code, or (bucket, None) on a miss."""
    cache = bytecode_cache()
    if cache is None:
        return None, None
    try:
        bucket = cache.get_bucket(env, name, name, source)
    except (OSError, EOFError, ValueError):
        return None, None
    return bucket, bucket.code


def store(bucket: Bucket | None, code: CodeType) -> None:
    cache = bytecode_cache()
    if cache is None or bucket is None:
        return
    bucket.code = code
    with contextlib.suppress(OSError):  # a read-only cache costs speed, never correctness
        cache.set_bucket(bucket)
