"""`render`, `render --check` and `validate` over many deals: which deals (arguments, or
the `deals` of clausesmith.toml; a shard of them), the run, then what the run as a whole
finds (output folders no deal renders), printed as text, JSON or JUnit."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from clausesmith.batch import portfolio
from clausesmith.batch import run as batch
from clausesmith.batch.expand import expand
from clausesmith.batch.outcome import DealOutcome, Options, worst
from clausesmith.batch.shard import Shard
from clausesmith.config import Config, find_config
from clausesmith.errors import EXIT_STALE, UsageError


@dataclass(frozen=True)
class Request:
    deals: tuple[str, ...]
    options: Options
    fmt: str  # text, json, junit
    jobs: int | None
    library: Path | None
    playbooks: Path | None
    templates: Path | None
    shard: str | None = None
    prune: bool = False


def run_deals(request: Request) -> int:
    """Process the request's deals and print the outcome; the run's exit code."""
    config = find_config()
    options = _effective(request, config)
    paths = _deal_paths(request.deals or config.deals)
    if not request.deals:  # the settings file's deals: only files inside its repository
        paths = config.confine(paths)
    if len(paths) > 1:  # before anything is written, over every shard
        portfolio.refuse_shared_ids(paths)
    shard = Shard.parse(request.shard) if request.shard else None
    if shard is not None:
        total, paths = len(paths), shard.select(paths)
        if not paths and request.fmt == "text":
            click.echo(f"shard {request.shard}: no deal of the {total} falls to this job")
    sources = config.sources(request.library, request.playbooks, request.templates)
    jobs = request.jobs or os.cpu_count() or 1
    outcomes: list[DealOutcome] = []
    if request.fmt == "text":
        from clausesmith.cli.console import Console

        console = Console(len(paths), sys.stdout, sys.stderr, tty=sys.stderr.isatty())

        def report(outcome: DealOutcome) -> None:
            console.report(outcome)
            outcomes.append(_small(outcome))

        summary = batch.run(paths, options, sources, jobs, report)
        summary.exit_code, lines = _after(request, options, outcomes, shard, summary.exit_code)
        click.echo("\n".join(lines), err=options.command == "check", nl=bool(lines))
        console.finish(summary)
        return summary.exit_code
    from clausesmith.batch import report as reporting

    batch.run(paths, options, sources, jobs, outcomes.append)
    data, code = reporting.report(options.command, outcomes)
    code, lines = _after(request, options, outcomes, shard, code)
    if request.fmt == "junit":
        from clausesmith.batch.junit import junit

        click.echo(junit(options.command, outcomes, lines), nl=False)
        return code
    data["exit_code"] = code
    if options.command != "validate":
        data["orphans" if options.command == "check" else "pruned"] = lines
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    return code


def _small(outcome: DealOutcome) -> DealOutcome:
    """What the run keeps of a deal for the checks after it: its file and id."""
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


def _after(
    request: Request,
    options: Options,
    outcomes: list[DealOutcome],
    shard: Shard | None,
    code: int,
) -> tuple[int, list[str]]:
    """The checks on the run as a whole: an output folder no deal renders is stale for
    --check (exit 4) and removed by --prune. The run's exit code, and what to say."""
    lines: list[str] = []
    if options.command == "validate" or not (options.command == "check" or request.prune):
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
