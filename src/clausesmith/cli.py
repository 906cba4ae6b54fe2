"""The command line: parse options, call one library function, map the outcome to an exit code.

The only module that imports click.
"""

from __future__ import annotations

import datetime as dt
import json
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

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one report on stdout for CI (see README).",
)

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


@cli.command()
@click.argument("deals", nargs=-1, required=True, type=PathArg)
@click.option(
    "-o",
    "--output",
    type=PathArg,
    help="Output folder (default out/<deal id>/; with several deals, "
    "each goes to OUTPUT/<deal id>/).",
)
@click.option("--check", is_flag=True, help="Render in memory; exit 4 if files on disk differ.")
@click.option("--force", is_flag=True, help="Overwrite outputs that were edited by hand.")
@FORMAT
@source_options
def render(
    deals: tuple[Path, ...],
    output: Path | None,
    check: bool,
    force: bool,
    fmt: str,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Render each DEAL into Word documents, text twins and a lock file."""
    from clausesmith import render as rendering

    inputs = _inputs(library, playbooks, templates)
    if fmt == "json":
        from clausesmith.reporting import render_report

        _json_exit(*render_report(deals, inputs, output, check=check, force=force))
    for deal_path in deals:
        if output is not None and len(deals) == 1:
            rendered = rendering.render_deal(deal_path, inputs, out_dir=output)
        else:
            rendered = rendering.render_deal(deal_path, inputs, out_root=output)
        if check:
            rendering.check(rendered)
            click.echo(f"{deal_path}: up to date ({rendered.out_dir})")
            continue
        written = rendering.write(rendered, force=force)
        click.echo(f"{deal_path}: wrote {len(written)} files to {rendered.out_dir}")
        for finding in rendered.plan.findings:
            state = "overridden" if finding.override else finding.severity
            click.echo(f"  {finding.rule} [{state}]: {finding.message}")


@cli.command()
@click.argument("deals", nargs=-1, required=True, type=PathArg)
@FORMAT
@source_options
def validate(
    deals: tuple[Path, ...],
    fmt: str,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Check each DEAL against the deal format; print every problem with its line."""
    from clausesmith.render import load_deal

    inputs = _inputs(library, playbooks, templates)
    if fmt == "json":
        from clausesmith.reporting import validate_report

        _json_exit(*validate_report(deals, inputs))
    for deal_path in deals:
        deal = load_deal(deal_path, inputs)
        click.echo(f"{deal_path}: valid ({deal.deal.id})")


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


@cli.command()
@click.argument("old", type=PathArg)
@click.argument("new", type=PathArg)
@click.option(
    "-o",
    "--output",
    type=PathArg,
    required=True,
    help="REDLINE.docx for one document, or a folder for every document of NEW.",
)
@click.option(
    "--document",
    default="term-sheet",
    show_default=True,
    help="Which document, when OUTPUT is a .docx (e.g. side-letter-surgical).",
)
@click.option("--author", default="clausesmith", show_default=True, help="Author of the changes.")
@click.option(
    "--date",
    "when",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Date of the changes, UTC (default: NEW's document date).",
)
@source_options
def redline(
    old: Path,
    new: Path,
    output: Path,
    document: str,
    author: str,
    when: dt.datetime | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """NEW's documents with OLD's differences as Word tracked changes.

    OLD and NEW are folders rendered by clausesmith (with their lock files) or deal specs.
    """
    from clausesmith.redline import Revision, write_redline

    inputs = _inputs(library, playbooks, templates)
    revision = Revision(author, when.replace(tzinfo=dt.UTC) if when else None)
    for path in write_redline(old, new, output, inputs, document, revision):
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("docx_file", metavar="FILE.docx", type=PathArg)
def totext(docx_file: Path) -> None:
    """Print a stable plain-text view of a .docx, for git diff (textconv)."""
    from clausesmith.totext import docx_to_text

    click.echo(docx_to_text(docx_file), nl=False)


def _json_exit(report: dict[str, Any], code: int) -> None:
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    click.get_current_context().exit(code)


def main() -> None:
    """Console entry point."""
    cli()
