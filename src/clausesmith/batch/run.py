"""Many deals in one run: expand folders and globs, spread the deals over worker processes,
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

import gc
import glob
import multiprocessing
import os
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from clausesmith import pipeline as rendering
from clausesmith.errors import (
    EXIT_BLOCKED,
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_STALE,
    EXIT_USAGE,
    Blocked,
    InvalidInput,
    ProtectedOutput,
    Stale,
    UsageError,
    UserMessageError,
    Warned,
)
from clausesmith.pipeline import Inputs
from clausesmith.plan.planner import Finding
from clausesmith.resources import Sources
from clausesmith.write.lockfile import LOCK_NAME

Command = Literal["render", "check", "validate"]

DEAL_SUFFIXES = (".yaml", ".yml", ".json")
GLOB_CHARACTERS = frozenset("*?[")

# Which exit code wins when deals end differently: the one that needs a person soonest.
SEVERITY = (EXIT_OK, EXIT_STALE, EXIT_BLOCKED, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL)


@dataclass(frozen=True)
class Options:
    command: Command
    output: Path | None = None  # -o: the deal's folder for one deal, else the root
    force: bool = False
    json: bool = False  # --format json: each result carries its deal's report entry
    strict: bool = False  # --strict: a warning not acknowledged fails the deal (exit 3)


@dataclass(frozen=True)
class DealResult:
    """How one deal ended; `lines` are what a person reads about it."""

    path: str
    outcome: str  # rendered, up to date, valid, blocked, invalid, stale, protected, failed
    exit_code: int
    lines: tuple[str, ...]
    deal_id: str | None = None
    out_dir: str | None = None
    files: tuple[str, ...] = ()
    findings: tuple[dict[str, str], ...] = ()
    entry: dict[str, Any] | None = None  # with Options.json: the deal's --format json entry

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK


@dataclass
class Summary:
    """Counts per outcome and the run's exit code: the worst of its deals'."""

    counts: Counter[str] = field(default_factory=Counter)
    exit_code: int = EXIT_OK

    def add(self, result: DealResult) -> None:
        self.counts[result.outcome] += 1
        self.exit_code = worst(self.exit_code, result.exit_code)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def text(self) -> str:
        parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(self.counts.items()))
        noun = "deal" if self.total == 1 else "deals"
        return f"{self.total} {noun}: {parts}; exit code {self.exit_code}"


def worst(a: int, b: int) -> int:
    rank = {code: i for i, code in enumerate(SEVERITY)}
    return max(a, b, key=lambda code: rank.get(code, len(SEVERITY)))


def expand(arguments: Iterable[str]) -> list[Path]:
    """Deal files named by each argument: a file as given, every *.yaml, *.yml and *.json
    under a folder (hidden folders and output folders skipped), or a glob's matches; each
    once, in order.

    A name that is none of these is kept, so loading it reports "no such file"."""
    seen: dict[Path, None] = {}
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = [p for p in sorted(path.rglob("*")) if _is_deal(p, path)]
            if not found:
                raise UsageError(
                    f"{argument}: a folder with no deal files (*.yaml, *.yml, *.json) in it"
                )
        elif GLOB_CHARACTERS & set(argument) and not path.exists():
            found = [Path(p) for p in sorted(glob.glob(argument, recursive=True))]
            found = [p for p in found if p.is_file()]
            if not found:
                raise UsageError(f"{argument}: no deal files match this pattern")
        else:
            found = [path]
        seen.update(dict.fromkeys(found))
    return list(seen)


def _is_deal(path: Path, root: Path) -> bool:
    """A deal file in the folder: not hidden, and not an output of ours (a lock file, or
    anything beside one: a folder of outputs kept among the deals)."""
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    ours = (path.parent / LOCK_NAME).is_file()
    return path.suffix.lower() in DEAL_SUFFIXES and path.is_file() and not hidden and not ours


def run(
    deals: list[Path],
    options: Options,
    sources: Sources,
    jobs: int,
    report: Callable[[DealResult], None],
) -> Summary:
    """Process every deal, `jobs` at a time, calling `report` as each one finishes."""
    summary = Summary()
    single = len(deals) == 1
    for result in _results(deals, options, sources, jobs, single):
        summary.add(result)
        report(result)
    return summary


def _results(
    deals: list[Path], options: Options, sources: Sources, jobs: int, single: bool
) -> Iterator[DealResult]:
    tasks = [(str(deal), options, single) for deal in deals]
    jobs = max(1, min(jobs, len(deals)))
    # The first deal loads and compiles everything a deal needs (library, playbook, Word
    # templates, locale and country data), once.
    if jobs == 1:
        _start_worker(sources)
        yield _process(tasks.pop(0))
        _collect_again()
        yield from map(_process, tasks)
        return
    context = _context()
    if context.get_start_method() == "fork":
        # The parent does the first deal itself, so every worker inherits what it loaded.
        # Frozen, the collector leaves those objects alone, so their memory stays shared
        # instead of being copied into each worker.
        _start_worker(sources)
        _warm(options.command)
        yield _process(tasks.pop(0))
        _collect_again()
        gc.freeze()
        pool = context.Pool(jobs)
        gc.unfreeze()  # the workers keep theirs frozen; the parent may collect again
    else:
        _collect_again()
        pool = context.Pool(jobs, initializer=_start_worker, initargs=(sources,))
    with pool:
        yield from pool.imap(_process, tasks, chunksize=1)


def _collect_again() -> None:
    """cli.main turns the collector off while a command starts up. Once the first deal is
    done, what start-up loaded lives for the whole run: freeze it, so full collections skip
    it, and turn the collector back on. A library caller's collector is left as it is."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    use_fork = "fork" in methods and sys.platform != "darwin"
    return multiprocessing.get_context("fork" if use_fork else "spawn")


def _warm(command: Command) -> None:
    """Load what every deal needs before the workers fork, so none of them loads it again.
    A broken library or template is left for each deal to report."""
    from clausesmith.deal.load import DEFAULT_PLAYBOOK

    (inputs,) = _INPUTS
    try:
        playbook = inputs.playbook(DEFAULT_PLAYBOOK)
        if command != "validate":
            from clausesmith.docx.writer import prepare_template

            for guardrail in playbook.guardrails:
                _ = guardrail.when.evaluate
            for slot in playbook.slots:
                for rule in slot.rules:
                    _ = rule.when and rule.when.evaluate
            for clause in inputs.library.clauses.values():
                _ = clause.template
            for name in ("term-sheet.docx", "side-letter.docx"):
                _ = prepare_template(inputs.sources.templates / name).compiled
    except UserMessageError:
        pass


_INPUTS: list[Inputs] = []  # per process: the one Inputs of this run, loaded on first use


def _start_worker(sources: Sources) -> None:
    _INPUTS[:] = [Inputs(sources)]


def _process(task: tuple[str, Options, bool]) -> DealResult:
    path, options, single = task
    (inputs,) = _INPUTS
    try:
        if options.json:
            return _reported(Path(path), options, single, inputs)
        if options.command == "validate":
            return _validate(Path(path), inputs, options.strict)
        return _render(Path(path), options, single, inputs)
    except UserMessageError as exc:
        return DealResult(path, _outcome(exc), exc.exit_code, (exc.format_message(),))
    except Exception:  # one deal's bug must not stop the others; details go to a file
        return DealResult(path, "failed", EXIT_INTERNAL, (_crash_note(path),))


def _outcome(exc: UserMessageError) -> str:
    kinds = (
        (Blocked, "blocked"),
        (Warned, "warned"),
        (Stale, "stale"),
        (ProtectedOutput, "protected"),
    )
    for kind, name in kinds:
        if isinstance(exc, kind):
            return name
    return "invalid" if isinstance(exc, InvalidInput) else "failed"


def _reported(path: Path, options: Options, single: bool, inputs: Inputs) -> DealResult:
    from clausesmith.batch import report as reporting

    if options.command == "validate":
        entry = reporting.validate_entry(path, inputs, options.strict)
        outcome = "valid" if entry["valid"] else "invalid"
    else:
        check = options.command == "check"
        entry = reporting.render_entry(
            path, inputs, options.output, single, check, options.force, options.strict
        )
        outcome = entry["status"]
    code = entry.get("exit_code", EXIT_OK)
    return DealResult(str(path), outcome, code, (), entry.get("deal"), entry=entry)


def _validate(path: Path, inputs: Inputs, strict: bool) -> DealResult:
    the_plan = rendering.validate_deal(path, inputs, strict)
    deal_id = the_plan.deal.deal.id
    lines = (f"{path}: valid ({deal_id})", *finding_lines(the_plan.findings))
    return DealResult(str(path), "valid", EXIT_OK, lines, deal_id)


def finding_lines(findings: Iterable[Finding]) -> list[str]:
    """What a person reads about each finding of a deal that went through."""
    lines = []
    for finding in findings:
        lines.append(f"  {finding.rule} [{finding.state}]: {finding.message}")
        if finding.warns:
            lines.append(f"    {finding.figures}")
    return lines


def _render(path: Path, options: Options, single: bool, inputs: Inputs) -> DealResult:
    # -o names the deal's own folder when it is the run's only deal, else the root of them.
    own = options.output if single else None
    rendered = rendering.render_deal(path, inputs, out_dir=own, out_root=options.output)
    if options.strict:
        rendering.check_warnings(rendered.plan)
    deal_id = rendered.plan.deal.deal.id
    findings = tuple(
        {"rule": f.rule, "state": "overridden" if f.override else f.severity, "message": f.message}
        for f in rendered.plan.findings
    )
    if options.command == "check":
        rendering.check(rendered)
        line = f"{path}: up to date ({rendered.out_dir})"
        return DealResult(str(path), "up to date", EXIT_OK, (line,), deal_id, str(rendered.out_dir))
    written = rendering.write(rendered, force=options.force)
    lines = [f"{path}: wrote {len(written)} files to {rendered.out_dir}"]
    lines += finding_lines(rendered.plan.findings)
    files = tuple(str(p) for p in written)
    out_dir = str(rendered.out_dir)
    return DealResult(
        str(path), "rendered", EXIT_OK, tuple(lines), deal_id, out_dir, files, findings
    )


def _crash_note(path: str) -> str:
    with tempfile.NamedTemporaryFile(
        "w", prefix="clausesmith-crash-", suffix=".log", delete=False
    ) as log:
        log.write(f"while processing {path} (pid {os.getpid()})\n")
        traceback.print_exc(file=log)
    return (
        f"{path}: internal error; details written to {log.name}. Please report it with that file."
    )
