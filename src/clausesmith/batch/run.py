"""Many deals in one run (named by batch.expand): spread the deals over worker processes,
and hand back one small result per deal as it finishes.

One deal's failure never stops the others: every `UserMessageError` (and, as a last resort,
any other exception) becomes that deal's result. A worker writes a deal's files as soon as
that deal is rendered and keeps nothing of it; the caller's `report` sees the small results
in the order the deals were given (so two runs print the same log), and nothing here keeps
a list of deals done, so a run of ten thousand deals takes the memory of one.

Processes, not threads: rendering is pure Python (Jinja, lxml glue, zip) and holds the GIL.
The pool uses the "fork" start method where the platform has it (Linux), deliberately: the
parent loads the clause library and playbook and compiles the Word templates once, then
forks, and every worker starts in milliseconds already holding them (shared copy-on-write),
where "spawn" would start a new interpreter per worker and import docxtpl, lxml and Babel
and compile everything again in each. The pool forks all its workers when it is created,
before it starts its own threads, so no thread is ever forked. Where "fork" is missing
(Windows) or unsafe (macOS), "spawn" is used and each worker builds its own `Inputs` once,
in its initializer, and keeps it for the rest of the run.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from clausesmith import runtime
from clausesmith.batch.outcome import DealOutcome, Options, process, worst
from clausesmith.errors import (
    EXIT_OK,
)
from clausesmith.pipeline import Inputs
from clausesmith.resources import Sources


@dataclass
class Summary:
    """Counts per status and the run's exit code: the worst of its deals' (`worst`)."""

    counts: Counter[str] = field(default_factory=Counter)
    exit_code: int = EXIT_OK

    def add(self, outcome: DealOutcome) -> None:
        self.counts[outcome.status] += 1
        self.exit_code = worst(self.exit_code, outcome.exit_code)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def run(
    deals: list[Path],
    options: Options,
    sources: Sources,
    jobs: int,
    report: Callable[[DealOutcome], None],
) -> Summary:
    """Process every deal, `jobs` at a time, calling `report` as each one finishes."""
    summary = Summary()
    for result in _results(deals, options, sources, jobs):
        summary.add(result)
        report(result)
    return summary


def _results(
    deals: list[Path], options: Options, sources: Sources, jobs: int
) -> Iterator[DealOutcome]:
    tasks = [(str(deal), options) for deal in deals]
    if not tasks:  # a shard of a small portfolio may hold no deal
        return
    jobs = max(1, min(jobs, len(deals)))
    # The first deal loads and compiles everything a deal needs (library, playbook, Word
    # templates, locale and country data), once.
    if jobs == 1:
        _start_worker(sources)
        yield _process(tasks.pop(0))
        runtime.resume_collector()
        yield from map(_process, tasks)
        return
    context = _context()
    if context.get_start_method() == "fork":
        # The parent does the first deal itself, so every worker inherits what it loaded.
        # Frozen, the collector leaves those objects alone, so their memory stays shared
        # instead of being copied into each worker.
        _start_worker(sources)
        _INPUTS[0].warm(validate_only=options.command == "validate")
        yield _process(tasks.pop(0))
        with runtime.frozen_for_fork():
            pool = context.Pool(jobs)
    else:
        runtime.resume_collector()
        pool = context.Pool(jobs, initializer=_start_worker, initargs=(sources,))
    with pool:
        yield from pool.imap(_process, tasks, chunksize=1)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    use_fork = "fork" in methods and sys.platform != "darwin"
    return multiprocessing.get_context("fork" if use_fork else "spawn")


_INPUTS: list[Inputs] = []  # per process: the one Inputs of this run, loaded on first use


def _start_worker(sources: Sources) -> None:
    _INPUTS[:] = [Inputs(sources)]


def _process(task: tuple[str, Options]) -> DealOutcome:
    path, options = task
    (inputs,) = _INPUTS
    return process(Path(path), options, inputs)
