"""What a batch run prints: a line per deal in CI, a progress bar on a terminal, a summary.

A reader that goes away (`clausesmith render deals/ | head`) stops the printing, never the
run: every deal is still processed and the run still exits with its worst deal's code.

On a terminal (stderr is a TTY) a run of several deals shows one progress line, redrawn in
place, and prints only the deals that need attention above it. Anywhere else (CI logs,
pipes) it prints one line per deal as it finishes, and never a carriage return. Problems go
to stderr, everything else to stdout. A run of one deal prints what it always printed,
without progress or summary.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TextIO

from clausesmith.batch.run import DealResult, Summary

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1


@dataclass
class Console:
    total: int
    out: TextIO
    err: TextIO
    tty: bool
    done: int = 0
    problems: int = 0
    _drawn: float = field(default=0.0, repr=False)
    _gone: list[TextIO] = field(default_factory=list, repr=False)  # closed pipes

    @property
    def batch(self) -> bool:
        return self.total > 1

    def report(self, result: DealResult) -> None:
        self.done += 1
        self.problems += not result.ok
        bar = self.tty and self.batch
        if not result.ok:
            if bar:
                self._clear()
            self._say(self.err, "\n".join(result.lines) + "\n")
        elif not bar:
            # Flushed each time: in order with stderr, and seen as it happens in CI.
            self._say(self.out, "\n".join(result.lines) + "\n")
        if bar:
            self._draw(force=self.done == self.total or not result.ok)

    def finish(self, summary: Summary) -> None:
        if not self.batch:
            return
        if self.tty:
            self._clear()
        self._say(self.out, summary.text() + "\n")

    def _say(self, stream: TextIO, text: str) -> None:
        if stream in self._gone:
            return
        try:
            stream.write(text)
            stream.flush()
        except BrokenPipeError:
            self._gone.append(stream)

    def _clear(self) -> None:
        self._say(self.err, "\r\033[K")

    def _draw(self, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        self._clear()
        filled = BAR_WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        note = f", {self.problems} need attention" if self.problems else ""
        self._say(self.err, f"[{bar}] {self.done}/{self.total} deals{note}")
