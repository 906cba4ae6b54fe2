"""The command line: parse options, call one library function, map the outcome to an exit code.

The only module that imports click.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from clausesmith import __version__
from clausesmith.errors import EXIT_INTERNAL, UserMessageError
from clausesmith.resources import Sources

F = TypeVar("F", bound=Callable[..., Any])

PathArg = click.Path(path_type=Path)


def source_options(func: F) -> F:
    """--library, --playbooks and --template: a firm's own files instead of the shipped ones."""
    func = click.option(
        "--template",
        "templates",
        type=click.Path(path_type=Path, file_okay=False),
        help="Folder with term-sheet.docx and side-letter.docx (default: the shipped templates).",
    )(func)
    func = click.option(
        "--playbooks",
        type=click.Path(path_type=Path, file_okay=False),
        help="Folder of playbooks (default: the shipped ones).",
    )(func)
    func = click.option(
        "--library",
        type=click.Path(path_type=Path, file_okay=False),
        help="Clause library folder (default: the shipped one).",
    )(func)
    return func


def _inputs(library: Path | None, playbooks: Path | None, templates: Path | None) -> Any:
    from clausesmith.render import Inputs

    return Inputs(Sources.resolve(library, playbooks, templates))


class _Group(click.Group):
    """Turns our errors into their exit codes once, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except UserMessageError as exc:
            click.echo(exc.format_message(), err=True)
            ctx.exit(exc.exit_code)
        except Exception:  # last resort: a short message here, the details in a file
            with tempfile.NamedTemporaryFile(
                "w", prefix="clausesmith-crash-", suffix=".log", delete=False
            ) as log:
                traceback.print_exc(file=log)
            click.echo(
                f"clausesmith: internal error; details written to {log.name}. "
                "Please report it with that file.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clausesmith")
def cli() -> None:
    """Draft cross-licence term sheets and side letters from a YAML deal specification."""


def jobs_option(func: F) -> F:
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        help="Deals processed at once, each in its own process (default: the CPU cores).",
    )(func)


def _run_batch(
    deals: tuple[str, ...],
    options: Any,
    jobs: int | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Every deal named by DEALS (files, folders, globs); exit with the worst deal's code."""
    from clausesmith import batch
    from clausesmith.console import Console

    paths = batch.expand(deals)
    console = Console(len(paths), sys.stdout, sys.stderr, tty=sys.stderr.isatty())
    sources = Sources.resolve(library, playbooks, templates)
    summary = batch.run(paths, options, sources, jobs or os.cpu_count() or 1, console.report)
    console.finish(summary)
    click.get_current_context().exit(summary.exit_code)


@cli.command()
@click.argument("deals", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=PathArg,
    help="Output folder (default out/<deal id>/; with several deals, "
    "each goes to OUTPUT/<deal id>/).",
)
@click.option("--check", is_flag=True, help="Render in memory; exit 4 if files on disk differ.")
@click.option("--force", is_flag=True, help="Overwrite outputs that were edited by hand.")
@jobs_option
@source_options
def render(
    deals: tuple[str, ...],
    output: Path | None,
    check: bool,
    force: bool,
    jobs: int | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Render each DEAL (a file, a folder of deals or a glob) into Word documents, text
    twins and a lock file."""
    from clausesmith.batch import Options

    options = Options("check" if check else "render", output, force)
    _run_batch(deals, options, jobs, library, playbooks, templates)


@cli.command()
@click.argument("deals", nargs=-1, required=True)
@jobs_option
@source_options
def validate(
    deals: tuple[str, ...],
    jobs: int | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Check each DEAL (a file, a folder of deals or a glob) against the deal format; print
    every problem with its line."""
    from clausesmith.batch import Options

    _run_batch(deals, Options("validate"), jobs, library, playbooks, templates)


@cli.command()
@click.argument("deal", type=PathArg)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@source_options
def explain(
    deal: Path, fmt: str, library: Path | None, playbooks: Path | None, templates: Path | None
) -> None:
    """Show which clause fills each slot, the rule that chose it, and every finding."""
    from clausesmith.explain import explain_data, explain_text
    from clausesmith.render import plan_deal

    data = explain_data(plan_deal(deal, _inputs(library, playbooks, templates)))
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(explain_text(data))


def main() -> None:
    """Console entry point."""
    cli()
