"""The one road for a run over many deals, for every command that takes several: which
deals (the arguments, else the `deals` of clausesmith.toml; a shard of them), refused before
anything is written when two share an id (over every shard), processed by `run`, then what
the run as a whole finds (output folders no deal renders) and the run's exit code. The CLI
only prints what comes back."""

from __future__ import annotations

import dataclasses
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from clausesmith.batch import portfolio
from clausesmith.batch.expand import expand
from clausesmith.batch.outcome import DealOutcome, Options, worst
from clausesmith.batch.shard import Shard
from clausesmith.config import Config, find_config
from clausesmith.errors import EXIT_STALE, UsageError
from clausesmith.resources import Sources


@dataclass(frozen=True)
class Request:
    deals: tuple[str, ...]
    options: Options
    jobs: int | None
    library: Path | None
    playbooks: Path | None
    templates: Path | None
    shard: str | None = None
    prune: bool = False


@dataclass(frozen=True)
class Selection:
    """The deals this job processes, and with what."""

    paths: list[Path]
    total: int  # the deals of the run, before sharding
    shard: Shard | None
    options: Options  # with clausesmith.toml's output folder and what a rerun repeats
    sources: Sources
    jobs: int


def select(request: Request) -> Selection:
    """The run's deals (refused if two share an id), this job's shard of them, and the
    options and sources they are processed with."""
    config = find_config()
    options = _effective(request, config)
    paths = _deal_paths(request.deals or config.deals)
    if not request.deals:  # the settings file's deals: only files inside its repository
        paths = config.confine(paths)
    if len(paths) > 1:  # before anything is written, over every shard
        portfolio.refuse_shared_ids(paths)
    total = len(paths)
    shard = Shard.parse(request.shard) if request.shard else None
    if shard is not None:
        paths = shard.select(paths)
    sources = config.sources(request.library, request.playbooks, request.templates)
    jobs = request.jobs or os.cpu_count() or 1
    return Selection(paths, total, shard, options, sources, jobs)


def kept(outcome: DealOutcome) -> DealOutcome:
    """What a run keeps of a deal for the checks after it: its file and id."""
    return DealOutcome(outcome.spec, outcome.status, outcome.exit_code, outcome.deal_id)


def _effective(request: Request, config: Config) -> Options:
    """The options with clausesmith.toml's output folder, and what a command repeating the
    run for one deal must say again (as typed, or as the config file gives it)."""
    options = request.options
    output = options.output or config.output
    repeat: list[str] = []
    for flag, given in (
        ("-o", output),
        ("--library", request.library or config.library),
        ("--playbooks", request.playbooks or config.playbooks),
        ("--template", request.templates or config.templates),
    ):
        if given is not None:
            repeat += [flag, str(given)]
    if options.strict:
        repeat.append("--strict")
    return dataclasses.replace(options, output=output, repeat=tuple(repeat))


def _deal_paths(arguments: tuple[str, ...]) -> list[Path]:
    if not arguments:
        raise UsageError(
            "name the deals (files, folders or globs), or list them under deals in clausesmith.toml"
        )
    return expand(arguments)


def after(
    request: Request, selection: Selection, outcomes: list[DealOutcome], code: int
) -> tuple[int, list[str]]:
    """The checks on the run as a whole: an output folder no deal renders is stale for
    --check (exit 4) and removed by --prune. The run's exit code, and what to say."""
    options, shard = selection.options, selection.shard
    lines: list[str] = []
    if options.command not in ("check", "render") or not (
        options.command == "check" or request.prune
    ):
        return code, lines
    rendered = {Path(o.spec).resolve(): o.deal_id for o in outcomes if o.deal_id is not None}
    found = portfolio.orphans(options.output or Path("out"), rendered)
    if shard is not None:  # each folder is reported by one job of the matrix: the one
        # that rendered its deal under a new id, else (its deal is gone) the folder's own
        found = [o for o in found if o.renamed or shard.holds(o.folder.name)]
    for orphan in found:
        if options.command == "check":
            again = ["clausesmith", "render", "--prune", *request.deals, *options.repeat]
            lines.append(
                f"{portfolio.orphan_line(orphan)}\n  To remove it, run: {shlex.join(again)}"
            )
            code = worst(code, EXIT_STALE)
        else:
            lines += portfolio.prune(orphan, options.force)
    return code, lines
