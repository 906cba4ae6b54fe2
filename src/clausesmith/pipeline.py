"""The whole road for one deal: load, plan, assemble, write. The library API behind the CLI.

Each stage below runs within the deal's time budget (`templating.limits.deal_budget`): one
deadline for every template the deal renders, set here, so every command and the Python
API get it, and shared when one stage calls another or a run sets it around the deal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausesmith.assemble.assembler import Document, assemble
from clausesmith.assemble.coherence import contradictions
from clausesmith.deal.load import DEFAULT_PLAYBOOK, load
from clausesmith.deal.model import Deal
from clausesmith.errors import (
    Blocked,
    InvalidInput,
    UsageError,
    UserMessageError,
    Warned,
)
from clausesmith.files import is_regular
from clausesmith.library.clause import Library, load_library
from clausesmith.library.playbook import Playbook, load_playbook
from clausesmith.plan.guardrails import cited
from clausesmith.plan.planner import Plan, plan
from clausesmith.resources import Sources
from clausesmith.templating.limits import deal_budget, in_deal_budget
from clausesmith.write import atomic, lockfile, trust


@dataclass
class Inputs:
    """Library and playbooks loaded once, shared by every deal of a run."""

    sources: Sources
    _library: Library | None = None
    _playbooks: dict[str, Playbook] | None = None

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = load_library(self.sources.library)
        return self._library

    def playbook(self, name: str) -> Playbook:
        self._playbooks = self._playbooks or {}
        if name not in self._playbooks:
            self._playbooks[name] = load_playbook(self.sources.playbooks, name)
        return self._playbooks[name]

    def defaults_for(self, name: str) -> dict[str, Any]:
        """The playbook's `defaults:`: the one place a left-out key gets its value."""
        return self.playbook(name).defaults

    def warm(self, validate_only: bool = False) -> None:
        """Load and compile now what every deal will need (the default playbook's conditions,
        each clause's template, the Word templates), so that workers forked afterwards
        inherit it instead of each building it again. A broken library or template is left
        for each deal to report."""
        try:
            playbook = self.playbook(DEFAULT_PLAYBOOK)
            if validate_only:
                return
            from clausesmith.docx.writer import prepare_template

            for guardrail in playbook.guardrails:
                _ = guardrail.when and guardrail.when.evaluate
            for slot in playbook.slots:
                for rule in slot.rules:
                    _ = rule.when and rule.when.evaluate
            for clause in self.library.clauses.values():
                _ = clause.template
            for name in ("term-sheet.docx", "side-letter.docx"):
                _ = prepare_template(self.sources.templates / name).compiled
        except UserMessageError:
            pass


@contextmanager
def one_deal() -> Iterator[None]:
    """The deal's time budget around a stage, unless one is already running."""
    if in_deal_budget():
        yield
        return
    with deal_budget():
        yield


def load_deal(path: Path, inputs: Inputs, label: str | None = None) -> Deal:
    """The deal at `path`, named `label` in messages (default: the path)."""
    return load(path, inputs.defaults_for, label)


@one_deal()
def plan_deal(path: Path, inputs: Inputs, label: str | None = None) -> Plan:
    deal = load_deal(path, inputs, label)
    return plan(deal, inputs.playbook(deal.deal.playbook), inputs.library, inputs.sources.counsel)


@one_deal()
def validate_deal(path: Path, inputs: Inputs, strict: bool = False) -> Plan:
    """Everything render checks, writing nothing: the deal, its plan (guardrails, overrides,
    acknowledgements), and each chosen clause's text rendered for it. Blocked as render is;
    with `strict`, Warned for a warning the deal does not acknowledge."""
    the_plan = plan_deal(path, inputs)
    validate_plan(the_plan, strict)
    return the_plan


def validate_plan(the_plan: Plan, strict: bool = False) -> None:
    """`validate_deal` once the deal is planned: Blocked, Warned (strict), or nothing."""
    if the_plan.blocking:
        raise Blocked(blocked_message(the_plan, writing=False))
    documents = assemble(the_plan)  # a clause that cannot render fails here, as in render
    incoherent = contradictions(the_plan, documents)  # an override the heads contradict
    if incoherent:
        raise InvalidInput(incoherent)
    if strict:
        check_warnings(the_plan)


def check_warnings(the_plan: Plan) -> None:
    """`--strict`: Warned, naming each warning the deal has not acknowledged."""
    warnings = [f for f in the_plan.findings if f.warns]
    if not warnings:
        return
    noun = "warning" if len(warnings) == 1 else "warnings"
    lines = [
        f"{the_plan.deal.source}: {len(warnings)} {noun} of the {the_plan.playbook.id} "
        "playbook not acknowledged (--strict)"
    ]
    for finding in warnings:
        lines.append(f"  {finding.rule} ({finding.title}) at {finding.where}: {finding.message}")
        if finding.figures:
            lines.append(f"    {finding.figures}")
    lines.append(
        "  To pass, change the deal, or record that counsel accept it under acknowledgements: "
        "[{rule: RULE-ID, acknowledged_by: Name, date: YYYY-MM-DD, reason: text}]"
    )
    raise Warned("\n".join(lines))


@dataclass(frozen=True)
class Rendered:
    plan: Plan
    documents: tuple[Document, ...]
    files: dict[str, bytes]  # file name in the deal's folder -> bytes, lock last
    out_dir: Path
    # PDFs on disk made from an earlier Word file: removed, unless --pdf makes them again.
    outdated_pdfs: tuple[str, ...] = ()


@one_deal()
def render_deal(
    path: Path, inputs: Inputs, out_dir: Path | None = None, out_root: Path | None = None
) -> Rendered:
    """Every output of one deal, in memory; Blocked if a guardrail stops it.

    The deal's folder is `out_dir`, else `out_root/<deal id>`, else `out/<deal id>`.
    """
    return render_plan(plan_deal(path, inputs), inputs, out_dir, out_root)


@one_deal()
def render_plan(
    the_plan: Plan, inputs: Inputs, out_dir: Path | None = None, out_root: Path | None = None
) -> Rendered:
    """`render_deal` for a deal already planned."""
    if the_plan.blocking:
        raise Blocked(blocked_message(the_plan))
    documents = assemble(the_plan)
    incoherent = contradictions(the_plan, documents)
    if incoherent:
        raise InvalidInput(incoherent)
    folder = out_dir or (out_root or Path("out")) / the_plan.deal.deal.id
    files = _document_files(documents, the_plan.deal, inputs.sources)
    lock = lockfile.build_lock(the_plan, files, folder, documents, inputs.library)
    files[lockfile.LOCK_NAME] = lockfile.dumps(lock, the_plan.deal.source)
    return Rendered(the_plan, documents, files, folder)


def blocked_message(the_plan: Plan, writing: bool = True) -> str:
    """What stops the deal; `validate` writes nothing anyway, so it does not say so."""
    lines = [
        f"{the_plan.deal.source}: blocked by the {the_plan.playbook.id} playbook"
        + ("; nothing was written" if writing else "")
    ]
    for finding in the_plan.blocking:
        cites = "; ".join(cited(c.data()) for c in finding.citations)
        lines.append(f"  {finding.rule} ({finding.title}) at {finding.where}: {finding.message}")
        lines.append(f"    cites: {cites}")
    lines.append(
        "  To proceed, change the deal, or record counsel's approval under overrides: "
        "[{rule: RULE-ID, approved_by: Name, date: YYYY-MM-DD, reason: text}]"
    )
    return "\n".join(lines)


def document_date(deal: Deal) -> dt.datetime:
    """Document dates come from SOURCE_DATE_EPOCH, else the deal's date; never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.combine(deal.deal.date, dt.time(), tzinfo=dt.UTC)
    if not (epoch.isascii() and epoch.isdigit() and ZIP_EPOCHS[0] <= int(epoch) <= ZIP_EPOCHS[1]):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={epoch[:40]}: expected whole seconds since 1970, from "
            f"{ZIP_EPOCHS[0]} (1980-01-01) to {ZIP_EPOCHS[1]} (2107-12-31), the dates a Word "
            "file's zip can hold"
        )
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)


ZIP_EPOCHS = (315_532_800, 4_354_819_199)


def _document_files(
    documents: tuple[Document, ...], deal: Deal, sources: Sources
) -> dict[str, bytes]:
    from clausesmith.docx.writer import CoreProperties, render_docx
    from clausesmith.write.markdown import render_markdown

    files: dict[str, bytes] = {}
    for doc in documents:
        template = sources.templates / (
            "term-sheet.docx" if doc.kind == "term_sheet" else "side-letter.docx"
        )
        core = CoreProperties(
            title=doc.title,
            subject=deal.deal.title,
            keywords="",  # the internal deal id is for the lock, not the other side
            created=document_date(deal),
            # en-US deals are spell-checked in US English; the templates' own is en-GB
            proofing_language=None if deal.deal.locale == "en-GB" else deal.deal.locale,
        )
        files[doc.stem + ".docx"] = render_docx(template, doc.content, core)
        text = render_markdown(doc.content, sources.templates)
        files[doc.stem + ".md"] = text.encode("utf-8")
    return files


def stale_files(rendered: Rendered) -> list[str]:
    """Outputs missing from disk, different from a fresh render, or no longer rendered."""
    reading = trust.read_folder(rendered.out_dir, rendered.files)
    return trust.stale(reading, rendered.files, rendered.outdated_pdfs)


class Written(list[Path]):
    """The files `write_deal` wrote, and what a person should know about how it went."""

    note: str = ""


def write_deal(rendered: Rendered, force: bool = False) -> Written:
    """Put every file in place only once all are written; keep what no lock vouches for
    (hand edits, a user's own files under output names) unless forced.

    Outputs already what the deal renders are left alone, timestamps and all: nothing is
    written and the list is empty (`make`, editors and backups see no change).

    Two processes rendering one deal into one folder take turns (`atomic.exclusive`): the
    folder ends with one render's files, never a mix, and the one that waited says that its
    outputs replaced the other's."""
    atomic.refuse_link(rendered.out_dir)
    with atomic.exclusive(rendered.out_dir) as waited:
        written = Written(_write_deal(rendered, force))
    if waited and written:
        written.note = (
            f"{rendered.out_dir}: another render of this deal wrote this folder while this one "
            "ran; this one finished last, so the folder holds its outputs"
        )
    return written


def _write_deal(rendered: Rendered, force: bool) -> list[Path]:
    return trust.write_outputs(rendered.out_dir, rendered.files, force, rendered.outdated_pdfs)


def settle_pdfs(rendered: Rendered) -> Rendered:
    """A PDF is an output like the others: the lock records each PDF with the Word file it
    was made from, and the record is carried into a new lock while that Word file is
    unchanged (whether or not the PDF is in this checkout: PDFs may be git-ignored). A PDF
    on disk made from an earlier Word file is outdated: removed, or made again by --pdf."""
    folder = rendered.out_dir
    try:
        lock = lockfile.read_lock(folder)
    except InvalidInput:
        lock = None
    recorded = {p.path: p.docx_sha256 for p in lock.pdfs} if lock is not None else {}
    keep: list[dict[str, str]] = []
    outdated: list[str] = []
    for name, data in rendered.files.items():
        if not name.endswith(".docx"):
            continue
        pdf, fresh = name[: -len(".docx")] + ".pdf", lockfile.sha256(data)
        if recorded.get(pdf) == fresh:
            keep.append({"path": pdf, "docx_sha256": fresh})
        elif is_regular(folder / pdf):
            if pdf not in recorded and _disk_sha(folder / name) == fresh:
                keep.append({"path": pdf, "docx_sha256": fresh})  # made before PDFs were locked
            else:
                outdated.append(pdf)
    keep.sort(key=lambda e: e["path"])  # as add_pdfs writes them
    return _with_pdfs(rendered, keep, {}, tuple(outdated))


def add_pdfs(rendered: Rendered) -> Rendered:
    """`render --pdf`: a PDF of each Word file whose PDF is missing or outdated, made now
    (LibreOffice) and written with the other outputs; a current PDF is left alone."""
    from clausesmith.docx.pdf import pdf_bytes

    lock = lockfile.parse_lock(lockfile.LOCK_NAME, rendered.files[lockfile.LOCK_NAME])
    keep = {p.path: {"path": p.path, "docx_sha256": p.docx_sha256} for p in lock.pdfs}
    made: dict[str, bytes] = {}
    for name, data in rendered.files.items():
        pdf = name[: -len(".docx")] + ".pdf"
        if not name.endswith(".docx") or (pdf in keep and is_regular(rendered.out_dir / pdf)):
            continue
        made[pdf] = pdf_bytes(name, data)
        keep[pdf] = {"path": pdf, "docx_sha256": lockfile.sha256(data)}
    return _with_pdfs(rendered, sorted(keep.values(), key=lambda e: e["path"]), made, ())


def _with_pdfs(
    rendered: Rendered,
    records: list[dict[str, str]],
    made: dict[str, bytes],
    outdated: tuple[str, ...],
) -> Rendered:
    lock = json.loads(rendered.files[lockfile.LOCK_NAME])
    lock.pop(lockfile.PDFS, None)
    if records:  # a deal never rendered with --pdf keeps the lock it always had
        lock[lockfile.PDFS] = records
    files = {n: d for n, d in rendered.files.items() if n != lockfile.LOCK_NAME}
    files.update(made)
    files[lockfile.LOCK_NAME] = lockfile.dumps(lock)  # the lock last: it vouches
    return dataclasses.replace(rendered, files=files, outdated_pdfs=outdated)


def _disk_sha(path: Path) -> str | None:
    try:
        data = lockfile.read_output(path, 64_000_000)
    except OSError:
        return None
    return None if data is None else lockfile.sha256(data)
