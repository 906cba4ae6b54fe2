"""Printing a run over many deals (`render`, `render --check`, `validate`, `review`): the run
itself, from choosing the deals to its exit code, is `batch.road`'s; here it is printed as
text, JSON or JUnit."""

from __future__ import annotations

import json
import sys

import click

from clausesmith.batch import road
from clausesmith.batch import run as batch
from clausesmith.batch.outcome import DealOutcome


def run_deals(request: road.Request, fmt: str) -> int:
    """Process the request's deals and print the outcome; the run's exit code."""
    selection = road.select(request)
    if selection.shard is not None and not selection.paths and fmt == "text":
        click.echo(f"shard {request.shard}: no deal of the {selection.total} falls to this job")
    options = selection.options
    outcomes: list[DealOutcome] = []
    if fmt == "text":
        from clausesmith.cli.console import Console

        console = Console(
            len(selection.paths),
            sys.stdout,
            sys.stderr,
            tty=sys.stderr.isatty(),
            verbose=options.verbose,
        )

        def report(outcome: DealOutcome) -> None:
            console.report(outcome)
            outcomes.append(road.kept(outcome))

        summary = batch.run(selection.paths, options, selection.sources, selection.jobs, report)
        summary.exit_code, lines = road.after(request, selection, outcomes, summary.exit_code)
        click.echo("\n".join(lines), err=options.command == "check", nl=bool(lines))
        console.finish(summary)
        return summary.exit_code
    from clausesmith.batch import report as reporting

    batch.run(selection.paths, options, selection.sources, selection.jobs, outcomes.append)
    data, code = reporting.report(options.command, outcomes)
    code, lines = road.after(request, selection, outcomes, code)
    if fmt == "junit":
        from clausesmith.batch.junit import junit

        click.echo(junit(options.command, outcomes, lines), nl=False)
        return code
    data["exit_code"] = code
    if options.command != "validate":
        data["orphans" if options.command == "check" else "pruned"] = lines
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    return code
