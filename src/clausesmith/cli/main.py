"""The command line: parse options, call one library function, map the outcome to an exit code.

The only module that imports click.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from clausesmith import __version__, portable, runtime
from clausesmith.cli.options import (
    FORMAT,
    JOBS,
    LIBRARY,
    PLAYBOOKS,
    RUN_FORMAT,
    SHARD,
    STRICT,
    VERBOSE,
    GoverningLawChoice,
    PathArg,
    source_options,
)
from clausesmith.errors import EXIT_INTERNAL, UsageError, UserMessageError, internal_error
from clausesmith.resources import Sources

if TYPE_CHECKING:  # the pipeline (and its Word libraries) load only for commands that need them
    from clausesmith.pipeline import Inputs


def _sources(
    library: Path | None = None, playbooks: Path | None = None, templates: Path | None = None
) -> Sources:
    """The options given, else clausesmith.toml's folders, else the shipped ones."""
    from clausesmith.config import find_config

    return find_config().sources(library, playbooks, templates)


def _inputs(library: Path | None, playbooks: Path | None, templates: Path | None) -> Inputs:
    from clausesmith.pipeline import Inputs

    return Inputs(_sources(library, playbooks, templates))


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
        except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
            with contextlib.suppress(OSError, ValueError):  # not a real file: nothing to do
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception:  # last resort: a short message here, the details in a file
            click.echo(internal_error(), err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clausesmith")
def cli() -> None:
    """Draft cross-licence term sheets and side letters from a YAML deal specification."""


@cli.command()
@click.argument("deals", nargs=-1)
@click.option(
    "-o",
    "--output",
    type=PathArg,
    help="Folder of the deals' output folders: each deal goes to OUTPUT/<deal id>/ (default: out).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Render in memory; exit 4 if files on disk differ or a folder belongs to no deal.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Also remove output folders no deal renders any more (only folders with a lock).",
)
@click.option("--force", is_flag=True, help="Overwrite outputs that were edited by hand.")
@click.option(
    "--pdf", is_flag=True, help="Also convert each Word document to PDF (needs LibreOffice)."
)
@STRICT
@VERBOSE
@RUN_FORMAT
@SHARD
@JOBS
@source_options
def render(
    deals: tuple[str, ...],
    output: Path | None,
    check: bool,
    prune: bool,
    force: bool,
    pdf: bool,
    strict: bool,
    verbose: bool,
    fmt: str,
    shard: str | None,
    jobs: int | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Render each DEAL (a file, a folder of deals or a glob; default: the deals of
    clausesmith.toml) into Word documents, text twins and a lock file, in OUTPUT/<deal id>/."""
    from clausesmith.batch.outcome import Options
    from clausesmith.batch.road import Request
    from clausesmith.cli.runs import run_deals

    if check and prune:
        raise click.UsageError("--prune removes folders; --check writes nothing: give one")
    if pdf:
        if check:
            raise UsageError("--pdf writes files and --check writes none: use one or the other")
        from clausesmith.docx.pdf import require_libreoffice

        require_libreoffice()  # before any deal is rendered, not after the first
    options = Options(
        "check" if check else "render", output, force, pdf, strict=strict, verbose=verbose
    )
    request = Request(deals, options, jobs, library, playbooks, templates, shard, prune)
    click.get_current_context().exit(run_deals(request, fmt))


@cli.command()
@click.argument("deals", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=PathArg,
    default=Path("review"),
    show_default=True,
    help="Folder for the copies: OUTPUT/<deal id>/PRIVILEGED-counsel-review-<document>.docx.",
)
@JOBS
@source_options
def review(
    deals: tuple[str, ...],
    output: Path,
    jobs: int | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Write counsel's review copies of each DEAL's Word documents: a comment on every clause
    (its version, status, position, the rule that chose it and the values it read) and the
    deal's findings on the title. Never sent to the other side; the deliverables are
    unchanged."""
    from clausesmith.batch.outcome import Options
    from clausesmith.batch.road import Request
    from clausesmith.cli.runs import run_deals
    from clausesmith.tools.review import write_review_copies

    options = Options("review", output, review_copies=write_review_copies)
    request = Request(deals, options, jobs, library, playbooks, templates)
    click.get_current_context().exit(run_deals(request, "text"))


@cli.command()
@click.argument("deals", nargs=-1)
@STRICT
@VERBOSE
@RUN_FORMAT
@SHARD
@JOBS
@source_options
def validate(
    deals: tuple[str, ...],
    strict: bool,
    verbose: bool,
    fmt: str,
    shard: str | None,
    jobs: int | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Check each DEAL (a file, a folder of deals or a glob; default: the deals of
    clausesmith.toml) as render would, writing nothing; print every problem with its line."""
    from clausesmith.batch.outcome import Options
    from clausesmith.batch.road import Request
    from clausesmith.cli.runs import run_deals

    options = Options("validate", strict=strict, verbose=verbose)
    request = Request(deals, options, jobs, library, playbooks, templates, shard)
    click.get_current_context().exit(run_deals(request, fmt))


@cli.command()
@click.argument("deal", type=PathArg)
@FORMAT
@click.option("--docx", "docx_file", type=PathArg, help="Also write an issues list to annotate.")
@source_options
def explain(
    deal: Path,
    fmt: str,
    docx_file: Path | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Show which clause fills each slot, the rule that chose it, and every finding."""
    from clausesmith.pipeline import document_date, plan_deal
    from clausesmith.tools.explain import explain_data, explain_text

    the_plan = plan_deal(deal, _inputs(library, playbooks, templates))
    data = explain_data(the_plan)
    if docx_file is not None:
        from clausesmith.docx.issues_list import issues_docx
        from clausesmith.files import write_file

        write_file(docx_file, issues_docx(data, document_date(the_plan.deal)))
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(explain_text(data, colour=portable.colour_allowed(sys.stdout)))


@cli.command()
@LIBRARY
@PLAYBOOKS
@click.option(
    "--reference",
    type=PathArg,
    help="Deal that clause examples are laid over (default: the shipped acme-beta.yaml).",
)
def lint(library: Path | None, playbooks: Path | None, reference: Path | None) -> None:
    """Check the clause library and playbooks; exit 1 if anything is wrong."""
    from clausesmith.tools.lint import lint_command

    sources = _sources(library, playbooks)
    output, code = lint_command(sources.library, sources.playbooks, reference)
    click.echo(output)
    raise SystemExit(code)


@cli.group()
def clauses() -> None:
    """Browse the clause library and approve its versions."""


@clauses.command("list")
@click.option("--slot", help="Only the clauses that fill this slot.")
@LIBRARY
def clauses_list(slot: str | None, library: Path | None) -> None:
    """Every clause: id, version, status, position, slot and title."""
    from clausesmith.library.clause import load_library
    from clausesmith.tools import clause_browser as browser

    loaded = load_library(_sources(library).library)
    click.echo(browser.table(browser.list_clauses(loaded, slot), loaded))


@clauses.command("show")
@click.argument("clause_id")
@LIBRARY
@PLAYBOOKS
def clauses_show(clause_id: str, library: Path | None, playbooks: Path | None) -> None:
    """A clause's front matter, its text, and the playbook rules that choose it."""
    from clausesmith.library.clause import load_library
    from clausesmith.tools import clause_browser as browser

    sources = _sources(library, playbooks)
    clause = browser.find(load_library(sources.library), clause_id)
    click.echo(browser.show(clause, browser.playbooks_in(sources.playbooks)))


@clauses.command("approve")
@click.argument("clause_ids", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Approve every clause of the library.")
@click.option("--by", help="Who approves (recorded in approved.json and the front matter).")
@click.option(
    "--on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date of approval, YYYY-MM-DD (default: today).",
)
@LIBRARY
@click.option("--force", is_flag=True, help="Also record texts that changed without a new version.")
def clauses_approve(
    clause_ids: tuple[str, ...],
    every: bool,
    by: str | None,
    on: dt.datetime | None,
    library: Path | None,
    force: bool,
) -> None:
    """Record the approved version and text hash of each CLAUSE_ID (or of every clause with
    --all) in the library's approved.json, with who approved it and when."""
    from clausesmith.tools import clause_browser as browser

    if bool(clause_ids) == every:
        raise UsageError(
            "name the clauses to approve (clausesmith clauses approve grant_back/exclusive "
            "--by 'Jane Counsel'), or pass --all to approve the whole library"
        )
    if clause_ids and not by:
        raise UsageError("say who approves: --by 'Jane Counsel'")
    root = _sources(library).library
    _refuse_installed(library, root)
    when = (on or dt.datetime.now()).date().isoformat() if by else None
    changes = browser.approve(root, clause_ids, by=by, on=when, force=force)
    for change in changes:
        click.echo(change)
    click.echo(f"{root / 'approved.json'}: {len(changes)} change(s) recorded")


def _refuse_installed(given: Path | None, library: Path) -> None:
    """approve records into a library named on the command line or in clausesmith.toml, never
    by default into the installed package's copy (which an upgrade replaces, and which every
    user of the machine shares)."""
    from clausesmith.resources import bundled

    if given is None and library.resolve() == bundled("clause_library").resolve():
        raise UsageError(
            "name the library to approve in: --library clause_library (or library = ... in "
            "clausesmith.toml); the library shipped with clausesmith is part of the installed "
            "package and is never written"
        )


@cli.command()
@click.argument("paths", nargs=-1, type=PathArg)
@click.option(
    "--deals",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of deal files to re-render before and after the change.",
)
@click.option("--since", "since", metavar="GIT_REF", help="Compare with this revision.")
@FORMAT
@LIBRARY
@PLAYBOOKS
def impact(
    paths: tuple[Path, ...],
    deals: Path,
    since: str | None,
    fmt: str,
    library: Path | None,
    playbooks: Path | None,
) -> None:
    """Which deals render differently after a change to clause or playbook files PATHS."""
    from clausesmith.tools import impact as impact_tool

    if not paths and since is None:
        raise click.UsageError("name the changed files, or give --since GIT_REF")
    from clausesmith.config import find_config

    sources = impact_tool.sources_for(list(paths), library, playbooks, config=find_config())
    report = impact_tool.impact(list(paths), deals, since, sources)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(impact_tool.impact_text(report))


@cli.command()
@click.argument("deal", type=PathArg, required=False)
@click.option("--id", "deal_id", help="Deal id: lowercase words joined by hyphens.")
@click.option("--title", help="Title printed on the term sheet.")
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), help="Term sheet date, YYYY-MM-DD.")
@click.option("--governing-law", type=GoverningLawChoice())
@click.option(
    "--party", "parties", nargs=3, multiple=True, metavar="KEY NAME JURISDICTION",
    help="A party (give two): key, full name, ISO 3166 code.",
)  # fmt: skip
@click.option("--field", "field_", help="The licensed field's segment.")
@click.option("--territory", multiple=True, help="ISO 3166-1 code, WORLD, EU or EEA (repeat).")
@click.option(
    "--patent", "patents", nargs=3, multiple=True, metavar="OWNER REF TITLE",
    help='A patent family: owner party key, reference, title ("" if not known yet; repeat).',
)  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite DEAL if it exists.")
@click.option(
    "--repository",
    is_flag=True,
    help="Also set up the deals repository here: clausesmith.toml, .gitattributes lines and "
    "deal.schema.json, each only if missing.",
)
def new(
    deal: Path | None,
    deal_id: str | None,
    title: str | None,
    date: Any,
    governing_law: str | None,
    parties: tuple[tuple[str, str, str], ...],
    field_: str | None,
    territory: tuple[str, ...],
    patents: tuple[tuple[str, str, str], ...],
    force: bool,
    repository: bool,
) -> None:
    """Write a commented starting DEAL file that validates (asks for what is missing on a TTY).
    With --repository and no DEAL, only set up the deals repository."""
    from clausesmith.config import find_config
    from clausesmith.tools import new_deal as newdeal

    if deal is None:
        if not repository:
            raise click.UsageError(
                "name the deal file to write (e.g. deals/acme.yaml), or give --repository "
                "alone to set up a deals repository here"
            )
        config = find_config()
        root = config.file.parent if config.file else Path.cwd()
        said = newdeal.set_up_repository(root, config.output or Path("out"))
        for line in said or [
            f"{root}: already set up (clausesmith.toml, .gitattributes, {newdeal.SCHEMA_NAME})"
        ]:
            click.echo(line)
        click.echo("Start a deal with: clausesmith new deals/DEAL.yaml")
        return

    given = newdeal.Given(
        deal_id, title, date.date() if date else None, governing_law, parties, field_,
        territory, patents,
    )  # fmt: skip
    if not sys.stdin.isatty():  # nobody to ask: name everything missing at once
        missing = newdeal.missing(given)
        if missing:
            raise click.UsageError(
                f"missing {', '.join(missing)} (not run on a terminal, so nothing can be asked)"
            )
    from clausesmith.deal.schema import GOVERNING_LAWS

    answers = newdeal.complete(given, _ask, GOVERNING_LAWS, dt.date.today())
    config = find_config()
    root = config.file.parent if config.file else Path.cwd()
    if repository:
        for line in newdeal.set_up_repository(root, config.output or Path("out")):
            click.echo(line)
    # A deals repository (clausesmith.toml) keeps the schema beside its settings.
    schema_file = root / newdeal.SCHEMA_NAME
    repo = config.file is not None or repository or schema_file.exists()
    inputs = _inputs(None, None, None)
    newdeal.write_new(deal, answers, inputs.defaults_for, force, schema_file if repo else None)
    click.echo(f"{deal}: written; it validates. Render it with: clausesmith render {deal}")
    if repo and not schema_file.exists():
        click.echo(
            f"  Its $schema line names {schema_file}, for editors: write it with "
            f"clausesmith schema > {schema_file}"
        )


@cli.command()
@click.argument("old")
@click.argument("new")
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
    old: str,
    new: str,
    output: Path,
    document: str,
    author: str,
    when: dt.datetime | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """NEW's documents with OLD's differences as Word tracked changes.

    OLD and NEW are folders rendered by clausesmith (with their lock files) or deal specs,
    each on disk or at a git revision: REV:path (HEAD~1:deals/acme.yaml).
    """
    from clausesmith.tools.redline import Revision, write_redline

    inputs = _inputs(library, playbooks, templates)
    revision = Revision(author, when.replace(tzinfo=dt.UTC) if when else None)
    for path in write_redline(old, new, output, inputs, document, revision):
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("deal", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 to listen on; 0 picks a free one.")  # fmt: skip
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@source_options
def serve(
    deal: Path | None,
    port: int,
    no_browser: bool,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Draft DEAL in a form in your browser, with live checks and a preview (a new deal,
    started from the minimal one, when DEAL is left out). Needs the serve extra:
    pip install 'clausesmith[serve]'."""
    try:
        from clausesmith.serve.server import serve as run_server
    except ImportError as exc:
        raise click.UsageError(
            f"clausesmith serve needs the serve extra ({exc.name} is missing): "
            "pip install 'clausesmith[serve]'"
        ) from None
    if deal is not None and not deal.is_file():
        raise click.UsageError(f"{deal}: no such deal file (leave DEAL out to start a new deal)")
    run_server(deal, _inputs(library, playbooks, templates), port, not no_browser, click.echo)


@cli.command()
def schema() -> None:
    """Print the deal format as a JSON Schema, for editors (see docs/ci.md)."""
    from clausesmith.deal.json_schema import deal_json_schema

    click.echo(json.dumps(deal_json_schema(), indent=2, ensure_ascii=False))


@cli.command()
def example() -> None:
    """Print the reference deal shipped with clausesmith, every key commented."""
    from clausesmith.resources import bundled

    text = (bundled("examples") / "acme-beta.yaml").read_text(encoding="utf-8")
    click.echo(text, nl=False)


@cli.command()
@click.argument("theirs", metavar="THEIRS.docx", type=PathArg)
@click.option(
    "--against",
    type=PathArg,
    required=True,
    help="OURS: the folder the deal was rendered into (with its lock), or the deal file.",
)
@FORMAT
@click.option(
    "--redline",
    "redline_file",
    type=PathArg,
    help="Also write OUT.docx: our document with their changes as tracked changes.",
)
@click.option(
    "--changed-only",
    is_flag=True,
    help="Leave the unchanged heads out of the report (the changed ones come first anyway).",
)
@click.option(
    "--them",
    metavar="PARTY_KEY",
    help="The party that sent THEIRS, named as author of --redline's changes "
    "(default: the deal's second party).",
)
@source_options
def markup(
    theirs: Path,
    against: Path,
    fmt: str,
    redline_file: Path | None,
    changed_only: bool,
    them: str | None,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Read THEIRS.docx, our document as the other side edited it (tracked changes accepted,
    or silent edits), head by head: what changed, the library position nearest to it, the
    deal change that reproduces it, and the guardrails that change would trip. Exit 0 when
    every edit is a deal change that trips no block, 3 when one would be blocked, 5 when
    some text is off-playbook."""
    from clausesmith.tools import markup as reading
    from clausesmith.tools.markup.report import markup_text

    found = reading.markup(theirs, against, _inputs(library, playbooks, templates))
    if redline_file is not None:
        reading.write_markup_redline(found, them, redline_file)
    if fmt == "json":
        _json_exit(found.data, found.exit_code)
    click.echo(markup_text(found.data, changed_only))
    if redline_file is not None:
        click.echo(f"wrote {redline_file}")
    click.get_current_context().exit(found.exit_code)


@cli.command()
@click.argument("docx_file", metavar="FILE.docx", type=PathArg)
def totext(docx_file: Path) -> None:
    """Print a stable plain-text view of a .docx, for git diff (textconv)."""
    from clausesmith.docx.totext import docx_to_text

    click.echo(docx_to_text(docx_file), nl=False)


def _ask(prompt: str, choices: Sequence[str]) -> str:
    """One question on the terminal, for `new`; `choices` (if any) are the answers allowed."""
    answer: str = click.prompt(prompt, type=click.Choice(list(choices)) if choices else None)
    return answer


def _json_exit(report: dict[str, Any], code: int) -> None:
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    click.get_current_context().exit(code)


def main() -> None:
    """Console entry point: the speed settings of `runtime` around the click group."""
    if sys.argv[1:2] in (["render"], ["validate"]):
        runtime.pause_collector()  # batch.run resumes it once start-up is done
    try:
        cli()
    except SystemExit as exc:
        runtime.exit_now(exc.code)
