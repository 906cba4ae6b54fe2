"""The process-level speed settings, in one place: the garbage collector during a batch's
start-up, freezing what start-up loaded before workers fork, and the fast exit.

Each was measured (docs/benchmark.md): start-up allocates hundreds of thousands of
objects that live for the whole run, and the collector walked them some 150 times (35 ms);
frozen before the fork, they stay shared copy-on-write instead of being copied into each
worker; ending with `os._exit` once output is flushed saves the 75-120 ms the interpreter
spends taking every object down after a batch.

`CLAUSESMITH_PLAIN_RUNTIME=1` turns all of them off, for a debugger, a profiler or coverage:
the results are the same, only slower.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator

PLAIN = os.environ.get("CLAUSESMITH_PLAIN_RUNTIME", "").strip() not in ("", "0")


def pause_collector() -> None:
    """Before a batch command starts up: `resume_collector` switches it back on."""
    if not PLAIN:
        gc.disable()


def resume_collector() -> None:
    """Once the first deal is done, what start-up loaded lives for the whole run: freeze it,
    so full collections skip it, and turn the collector back on. A library caller's
    collector (never paused) is left as it is."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@contextlib.contextmanager
def frozen_for_fork() -> Iterator[None]:
    """Workers forked inside keep the parent's objects frozen, so their memory stays shared;
    the parent may collect them again afterwards."""
    resume_collector()
    if PLAIN:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def exit_now(code: int | str | None) -> None:
    """End the process once its output is flushed, without the interpreter's teardown.
    Nothing is left to tear down that matters: files are closed, worker pools joined, and
    nothing registers an exit handler of its own."""
    if isinstance(code, str):  # sys.exit("message"): Python prints it and exits 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    if PLAIN:
        sys.exit(code or 0)
    os._exit(code or 0)
