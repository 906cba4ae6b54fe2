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
from typing import Any, TextIO

from clausesmith.batch.outcome import DealOutcome
from clausesmith.batch.run import Summary
from clausesmith.plan.guardrails import figures, state

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1

# A status as a sentence reads it: "3 deals: 1 blocked, 2 rendered".
WORDS = {
    "written": "rendered",
    "up_to_date": "up to date",
    "invalid_input": "invalid",
    "protected_output": "protected",
    "usage_error": "invalid",
    "internal_error": "failed",
}


def lines(outcome: DealOutcome, verbose: bool = False) -> list[str]:
    """What a person reads about one deal: its line, its notes, then its findings."""
    spec = outcome.spec
    notes = [f"  note: {note}" for note in outcome.notes]
    if outcome.status == "valid":  # its findings: explain, and --strict for warnings
        return [f"{spec}: valid ({outcome.deal_id})", *notes]
    if outcome.status == "up_to_date":  # its notes were said when it was written
        return [f"{spec}: up to date ({outcome.out_dir})"]
    if outcome.status == "reviewed":
        n = len(outcome.written)
        return [f"{spec}: wrote {n} review {'copy' if n == 1 else 'copies'} to {outcome.out_dir}"]
    if outcome.status == "written":
        head = f"{spec}: wrote {len(outcome.written)} files to {outcome.out_dir}"
        return [head, *notes, *finding_lines(outcome.findings, verbose)]
    return [outcome.message]


def finding_lines(findings: tuple[dict[str, Any], ...], verbose: bool = False) -> list[str]:
    """Each finding of a deal that went through, where it points; a warning not
    acknowledged with the deal's values its guardrail read. A finding counsel have
    acknowledged or overridden is one line (its rule and title) unless `verbose`."""
    found = []
    for finding in findings:
        settled = state(finding) in ("acknowledged", "overridden")
        if settled and not verbose:
            found.append(f"  {finding['rule']} [{state(finding)}]: {finding['title']}")
            continue
        found.append(
            f"  {finding['rule']} [{state(finding)}] at {finding['where']}: {finding['message']}"
        )
        if state(finding) == "warn" and figures(finding):
            found.append(f"    {figures(finding)}")
    return found


def summary_text(summary: Summary) -> str:
    counts: dict[str, int] = {}
    for status, n in summary.counts.items():
        word = WORDS.get(status, status)
        counts[word] = counts.get(word, 0) + n
    parts = ", ".join(f"{n} {word}" for word, n in sorted(counts.items()))
    noun = "deal" if summary.total == 1 else "deals"
    return f"{summary.total} {noun}: {parts}; exit code {summary.exit_code}"


@dataclass
class Console:
    total: int
    out: TextIO
    err: TextIO
    tty: bool
    verbose: bool = False
    done: int = 0
    problems: int = 0
    _drawn: float = field(default=0.0, repr=False)
    _width: int = field(default=0, repr=False)  # of the progress line drawn last
    _gone: list[TextIO] = field(default_factory=list, repr=False)  # closed pipes

    @property
    def batch(self) -> bool:
        return self.total > 1

    def report(self, outcome: DealOutcome) -> None:
        self.done += 1
        self.problems += not outcome.ok
        text = "\n".join(lines(outcome, self.verbose)) + "\n"
        bar = self.tty and self.batch
        if not outcome.ok:
            if bar:
                self._clear()
            self._say(self.err, text)
        elif not bar:
            # Flushed each time: in order with stderr, and seen as it happens in CI.
            self._say(self.out, text)
        if bar:
            self._draw(force=self.done == self.total or not outcome.ok)

    def finish(self, summary: Summary) -> None:
        if not self.batch:
            return
        if self.tty:
            self._clear()
        self._say(self.out, summary_text(summary) + "\n")

    def _say(self, stream: TextIO, text: str) -> None:
        if stream in self._gone:
            return
        try:
            stream.write(text)
            stream.flush()
        except BrokenPipeError:
            self._gone.append(stream)

    def _clear(self) -> None:
        # Spaces over the old line, not the escape that clears it: Windows' classic console
        # prints escape sequences raw, and every terminal understands a carriage return.
        self._say(self.err, "\r" + " " * self._width + "\r")
        self._width = 0

    def _draw(self, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        self._clear()
        filled = BAR_WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        note = f", {self.problems} need attention" if self.problems else ""
        line = f"[{bar}] {self.done}/{self.total} deals{note}"
        self._width = len(line)
        self._say(self.err, line)
