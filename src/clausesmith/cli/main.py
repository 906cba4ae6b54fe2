"""The command line: parse options, call one library function, map the outcome to an exit code.

The only module that imports click.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from clausesmith import __version__, portable, runtime
from clausesmith.deal.schema import GOVERNING_LAWS
from clausesmith.errors import EXIT_INTERNAL, UsageError, UserMessageError
from clausesmith.resources import Sources

if TYPE_CHECKING:  # the pipeline (and its Word libraries) load only for commands that need them
    from clausesmith.pipeline import Inputs

F = TypeVar("F", bound=Callable[..., Any])

STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 3) on a guardrail warning the deal does not acknowledge.",
)
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="json: one report on stdout for CI; junit: a JUnit XML report (see README).",
)
JSON_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the report as JSON on stdout.",
)
SHARD = click.option(
    "--shard",
    metavar="K/N",
    help="Only the K-th of N stable shares of the deals, for a CI matrix of N jobs.",
)

PathArg = click.Path(path_type=Path)
LIBRARY_HELP = "Clause library folder (default: the shipped one)."
PLAYBOOKS_HELP = "Folder of playbooks (default: the shipped ones)."


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
@FORMAT
@SHARD
@jobs_option
@source_options
def render(
    deals: tuple[str, ...],
    output: Path | None,
    check: bool,
    prune: bool,
    force: bool,
    pdf: bool,
    strict: bool,
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
    from clausesmith.cli.runs import Request, run_deals

    if check and prune:
        raise click.UsageError("--prune removes folders; --check writes nothing: give one")
    if pdf:
        if check:
            raise UsageError("--pdf writes files and --check writes none: use one or the other")
        from clausesmith.docx.pdf import require_libreoffice

        require_libreoffice()  # before any deal is rendered, not after the first
    options = Options("check" if check else "render", output, force, pdf, strict=strict)
    request = Request(deals, options, fmt, jobs, library, playbooks, templates, shard, prune)
    click.get_current_context().exit(run_deals(request))


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
@source_options
def review(
    deals: tuple[str, ...],
    output: Path,
    library: Path | None,
    playbooks: Path | None,
    templates: Path | None,
) -> None:
    """Write counsel's review copies of each DEAL's Word documents: a comment on every clause
    (its version, status, position, the rule that chose it and the values it read) and the
    deal's findings on the title. Never sent to the other side; the deliverables are
    unchanged."""
    from clausesmith.batch.expand import expand
    from clausesmith.pipeline import plan_deal, render_plan
    from clausesmith.tools.review import write_review_copies

    inputs = _inputs(library, playbooks, templates)
    for path in expand(deals):
        rendered = render_plan(plan_deal(path, inputs), inputs)
        written = write_review_copies(rendered, output)
        click.echo(f"{path}: wrote {len(written)} review copies to {written[0].parent}")


@cli.command()
@click.argument("deals", nargs=-1)
@STRICT
@FORMAT
@SHARD
@jobs_option
@source_options
def validate(
    deals: tuple[str, ...],
    strict: bool,
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
    from clausesmith.cli.runs import Request, run_deals

    options = Options("validate", strict=strict)
    request = Request(deals, options, fmt, jobs, library, playbooks, templates, shard)
    click.get_current_context().exit(run_deals(request))


@cli.command()
@click.argument("deal", type=PathArg)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
        from clausesmith.write.atomic import write_file

        write_file(docx_file, issues_docx(data, document_date(the_plan.deal)))
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(explain_text(data, colour=portable.colour_allowed(sys.stdout)))


@cli.command()
@click.option("--library", type=click.Path(path_type=Path, file_okay=False), help=LIBRARY_HELP)
@click.option("--playbooks", type=click.Path(path_type=Path, file_okay=False), help=PLAYBOOKS_HELP)
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
@click.option("--library", type=click.Path(path_type=Path, file_okay=False), help=LIBRARY_HELP)
def clauses_list(slot: str | None, library: Path | None) -> None:
    """Every clause: id, version, status, position, slot and title."""
    from clausesmith.library.clause import load_library
    from clausesmith.tools import clause_browser as lib

    loaded = load_library(_sources(library).library)
    click.echo(lib.table(lib.list_clauses(loaded, slot), loaded))


@clauses.command("show")
@click.argument("clause_id")
@click.option("--library", type=click.Path(path_type=Path, file_okay=False), help=LIBRARY_HELP)
@click.option("--playbooks", type=click.Path(path_type=Path, file_okay=False), help=PLAYBOOKS_HELP)
def clauses_show(clause_id: str, library: Path | None, playbooks: Path | None) -> None:
    """A clause's front matter, its text, and the playbook rules that choose it."""
    from clausesmith.library.clause import load_library
    from clausesmith.tools import clause_browser as lib

    sources = _sources(library, playbooks)
    clause = lib.find(load_library(sources.library), clause_id)
    click.echo(lib.show(clause, lib.playbooks_in(sources.playbooks)))


@clauses.command("approve")
@click.argument("clause_ids", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Approve every clause of the library.")
@click.option("--by", help="Who approves (recorded in approved.json and the front matter).")
@click.option(
    "--on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date of approval, YYYY-MM-DD (default: today).",
)
@click.option("--library", type=click.Path(path_type=Path, file_okay=False), help=LIBRARY_HELP)
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
    from clausesmith.tools import clause_browser as lib

    if bool(clause_ids) == every:
        raise UsageError(
            "name the clauses to approve (clausesmith clauses approve grant_back/exclusive "
            "--by 'Jane Counsel'), or pass --all to approve the whole library"
        )
    if clause_ids and not by:
        raise UsageError("say who approves: --by 'Jane Counsel'")
    root = _sources(library).library
    when = (on or dt.datetime.now()).date().isoformat() if by else None
    changes = lib.approve(root, clause_ids, by=by, on=when, force=force)
    for change in changes:
        click.echo(change)
    click.echo(f"{root / 'approved.json'}: {len(changes)} change(s) recorded")


@cli.command()
@click.argument("paths", nargs=-1, type=PathArg)
@click.option(
    "--deals",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of deal files to re-render before and after the change.",
)
@click.option("--since", "since", metavar="GIT_REF", help="Compare with this revision.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--library", type=click.Path(path_type=Path, file_okay=False), help=LIBRARY_HELP)
@click.option("--playbooks", type=click.Path(path_type=Path, file_okay=False), help=PLAYBOOKS_HELP)
def impact(
    paths: tuple[Path, ...],
    deals: Path,
    since: str | None,
    fmt: str,
    library: Path | None,
    playbooks: Path | None,
) -> None:
    """Which deals render differently after a change to clause or playbook files PATHS."""
    from clausesmith.tools import impact as review

    if not paths and since is None:
        raise click.UsageError("name the changed files, or give --since GIT_REF")
    sources = review.sources_for(list(paths), library, playbooks)
    report = review.impact(list(paths), deals, since, sources)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(review.impact_text(report))


@cli.command()
@click.argument("deal", type=PathArg)
@click.option("--id", "deal_id", help="Deal id: lowercase words joined by hyphens.")
@click.option("--title", help="Title printed on the term sheet.")
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), help="Term sheet date, YYYY-MM-DD.")
@click.option("--governing-law", type=click.Choice(GOVERNING_LAWS))
@click.option(
    "--party", "parties", nargs=3, multiple=True, metavar="KEY NAME JURISDICTION",
    help="A party (give two): key, full name, ISO 3166 code.",
)  # fmt: skip
@click.option("--field", "field_", help="The licensed field's segment.")
@click.option("--territory", multiple=True, help="ISO 3166-1 code, WORLD, EU or EEA (repeat).")
@click.option(
    "--patent", "patents", nargs=3, multiple=True, metavar="OWNER REF TITLE",
    help="A patent family: owner party key, reference, title (repeat).",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite DEAL if it exists.")
@click.option(
    "--repository",
    is_flag=True,
    help="Also set up the deals repository here: clausesmith.toml, .gitattributes lines and "
    "deal.schema.json, each only if missing.",
)
def new(
    deal: Path,
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
    """Write a commented starting DEAL file that validates (asks for what is missing on a TTY)."""
    from clausesmith.config import find_config
    from clausesmith.tools import new_deal as newdeal

    ask = sys.stdin.isatty()
    if not ask:  # nobody to ask: name everything missing at once
        missing = [
            option
            for option, given in (
                ("--id", deal_id),
                ("--governing-law", governing_law),
                ("--party KEY NAME JURISDICTION" + (" (twice)" if not parties else ""),
                 len(parties) >= 2),
                ("--field", field_),
                ("--patent OWNER REF TITLE", patents),
            )
            if not given
        ]  # fmt: skip
        if missing:
            raise click.UsageError(
                f"missing {', '.join(missing)} (not run on a terminal, so nothing can be asked)"
            )

    def need(value: Any, prompt: str, **kw: Any) -> Any:
        return value or click.prompt(prompt, **kw)

    deal_id = need(deal_id, "Deal id (e.g. acme-beta-2026)")
    law = need(governing_law, "Governing law", type=click.Choice(GOVERNING_LAWS))
    while len(parties) < 2:
        n = len(parties) + 1
        parties += (
            (
                click.prompt(f"Party {n} key (e.g. acme)"),
                click.prompt(f"Party {n} full name"),
                click.prompt(f"Party {n} jurisdiction (ISO 3166, e.g. US-DE)"),
            ),
        )
    field_ = need(field_, "Licensed field segment (e.g. industrial automation)")
    if not patents:
        owner = click.prompt("First patent family's owner (party key)")
        patents = ((owner, click.prompt("Its reference"), click.prompt("Its title")),)
    answers = newdeal.Answers(
        id=deal_id,
        title=title or newdeal.DEFAULT_TITLE,
        date=date.date() if date else dt.date.today(),
        governing_law=law,
        parties=parties,
        field=field_,
        territory=territory or ("WORLD",),
        patents=patents,
    )
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
def schema() -> None:
    """Print the deal format as a JSON Schema, for editors (see README)."""
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
@JSON_FORMAT
@click.option(
    "--redline",
    "redline_file",
    type=PathArg,
    help="Also write OUT.docx: our document with their changes as tracked changes.",
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
    from clausesmith.tools.markup_report import markup_text

    found = reading.markup(theirs, against, _inputs(library, playbooks, templates))
    if redline_file is not None:
        reading.write_markup_redline(found, them, redline_file)
    if fmt == "json":
        _json_exit(found.data, found.exit_code)
    click.echo(markup_text(found.data))
    if redline_file is not None:
        click.echo(f"wrote {redline_file}")
    click.get_current_context().exit(found.exit_code)


@cli.command()
@click.argument("docx_file", metavar="FILE.docx", type=PathArg)
def totext(docx_file: Path) -> None:
    """Print a stable plain-text view of a .docx, for git diff (textconv)."""
    from clausesmith.docx.totext import docx_to_text

    click.echo(docx_to_text(docx_file), nl=False)


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
