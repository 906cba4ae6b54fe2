"""How one deal ended, for every command that processes deals: one `DealOutcome` per deal.

The worker that processes a deal returns its outcome (a small, picklable value); the console
and the JSON report only format it, so the two can never disagree about what happened. A
status is a word of this module's `Status`, carried by the error class that ends a deal
(`UserMessageError.status`), never derived from a class name.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from clausesmith import pipeline
from clausesmith.errors import (
    EXIT_BLOCKED,
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_STALE,
    EXIT_USAGE,
    InvalidInput,
    Problem,
    UserMessageError,
    internal_error,
)
from clausesmith.pipeline import Inputs
from clausesmith.plan.notes import plan_notes
from clausesmith.plan.planner import UNAPPROVED
from clausesmith.write import lockfile, trust

Command = Literal["render", "check", "validate", "review"]
# Which exit code a run ends with when its deals end differently: the one that needs a
# person soonest. The same rule for the console and the JSON report.
SEVERITY = (EXIT_OK, EXIT_STALE, EXIT_BLOCKED, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL)


def worst(a: int, b: int) -> int:
    rank = {code: i for i, code in enumerate(SEVERITY)}
    return max(a, b, key=lambda code: rank.get(code, len(SEVERITY)))


@dataclass(frozen=True)
class DealOutcome:
    """One deal's result: what happened, the exit code it asks for, and what it produced."""

    spec: str
    status: str  # written, up_to_date, valid, stale, blocked, invalid_input, ...
    exit_code: int
    deal_id: str | None = None
    out_dir: str | None = None
    files: tuple[tuple[str, str], ...] = ()  # every output: (name, sha256)
    written: tuple[str, ...] = ()  # the paths this run wrote
    stale: tuple[str, ...] = ()
    findings: tuple[dict[str, Any], ...] = ()  # Finding.data() of each finding
    message: str = ""  # the error, as a person reads it
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # what the deal implies that a reader may not expect

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK


@dataclass(frozen=True)
class Options:
    command: Command
    output: Path | None = None  # -o: the root of the deals' folders (default: out)
    force: bool = False
    pdf: bool = False  # render --pdf: a PDF beside each Word deliverable, recorded in the lock
    strict: bool = False  # --strict: a warning not acknowledged fails the deal (exit 3)
    verbose: bool = False  # --verbose: acknowledged findings in full, not one line each
    # The options a run was given that a command repeating it for one deal needs (-o, --library,
    # ...), as typed: what a stale deal's message tells the user to run.
    repeat: tuple[str, ...] = ()
    # review: what writes a deal's review copies into OUTPUT/<deal id>/ (the CLI passes
    # tools.review's writer: batch and tools are sibling stages and never import each other)
    review_copies: Callable[[pipeline.Rendered, Path], list[Path]] | None = None

    def rerun(self, spec: str) -> str:
        return shlex.join(["clausesmith", "render", spec, *self.repeat])


def process(path: Path, options: Options, inputs: Inputs) -> DealOutcome:
    """Run one deal through the pipeline; never raises: every ending is an outcome."""
    with pipeline.one_deal():  # plan, render and check within one deadline
        return _process(path, options, inputs)


def _process(path: Path, options: Options, inputs: Inputs) -> DealOutcome:
    spec = str(path)
    known: dict[str, Any] = {}
    try:
        the_plan = pipeline.plan_deal(path, inputs)
        known["deal_id"] = the_plan.deal.deal.id
        if options.command == "review":
            assert options.review_copies is not None
            copies = options.review_copies(
                pipeline.render_plan(the_plan, inputs), options.output or Path("review")
            )
            folder = str(copies[0].parent) if copies else None
            return DealOutcome(
                spec, "reviewed", EXIT_OK, known["deal_id"], folder, written=tuple(map(str, copies))
            )
        known["findings"] = tuple(f.data() for f in the_plan.findings)
        known["notes"] = plan_notes(the_plan)
        if options.command == "validate":
            pipeline.validate_plan(the_plan, options.strict)  # the deal and its findings
            return DealOutcome(spec, "valid", EXIT_OK, **known)  # stay in every ending
        if options.strict:
            pipeline.check_warnings(the_plan)
        # -o DIR is the root of the deals' folders, DIR/<deal id>/, however many deals the
        # run has: a pre-commit hook passing one changed deal writes where CI does.
        rendered = pipeline.render_plan(the_plan, inputs, out_root=options.output)
        rendered = pipeline.settle_pdfs(rendered)  # the lock's PDFs, as --check sees them too
        if options.pdf:
            rendered = pipeline.add_pdfs(rendered)
        known["out_dir"] = str(rendered.out_dir)
        known["files"] = tuple((n, lockfile.sha256(d)) for n, d in rendered.files.items())
        if options.command == "check":
            unapproved = [f["message"] for f in known["findings"] if f["rule"] == UNAPPROVED]
            if unapproved:
                message = f"{spec}: renders clause text counsel have not approved:\n" + "\n".join(
                    f"  {m}" for m in unapproved
                )
                return DealOutcome(spec, "unapproved", EXIT_INVALID, message=message, **known)
            stale = tuple(pipeline.stale_files(rendered))
            if stale:
                message = trust.stale_message(spec, stale, options.rerun(spec))
                return DealOutcome(spec, "stale", EXIT_STALE, stale=stale, message=message, **known)
            return DealOutcome(spec, "up_to_date", EXIT_OK, **known)
        written = pipeline.write_deal(rendered, force=options.force)
        if not written:
            return DealOutcome(spec, "up_to_date", EXIT_OK, **known)
        if written.note:  # another render of this deal ran at the same time
            known["notes"] += (written.note,)
        removed = [n for n in rendered.outdated_pdfs if n not in rendered.files]
        if removed:
            known["notes"] += (
                f"removed {', '.join(removed)}, made from the Word file before this change; "
                "render with --pdf to make it again",
            )
        return DealOutcome(spec, "written", EXIT_OK, written=tuple(map(str, written)), **known)
    except UserMessageError as exc:
        problems = tuple(exc.problems) if isinstance(exc, InvalidInput) else ()
        return DealOutcome(
            spec,
            exc.status,
            exc.exit_code,
            message=exc.format_message(),
            problems=problems,
            **known,
        )
    except Exception:  # one deal's bug must not stop the others; details go to a file
        return DealOutcome(spec, "internal_error", EXIT_INTERNAL, message=internal_error(spec))
