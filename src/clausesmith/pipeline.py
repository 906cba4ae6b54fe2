"""The whole road for one deal: load, plan, assemble, write. The library API behind the CLI."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausesmith.assemble.assembler import Document, assemble
from clausesmith.deal.load import DEFAULT_PLAYBOOK, load
from clausesmith.deal.model import Deal
from clausesmith.errors import (
    Blocked,
    InvalidInput,
    ProtectedOutput,
    UsageError,
    UserMessageError,
    Warned,
    invalid,
)
from clausesmith.files import TooLarge
from clausesmith.library.clause import Library, load_library
from clausesmith.library.playbook import Playbook, load_playbook
from clausesmith.plan.guardrails import cited
from clausesmith.plan.planner import Plan, plan
from clausesmith.resources import Sources
from clausesmith.write import atomic, lockfile


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


def load_deal(path: Path, inputs: Inputs, label: str | None = None) -> Deal:
    """The deal at `path`, named `label` in messages (default: the path)."""
    return load(path, inputs.defaults_for, label)


def plan_deal(path: Path, inputs: Inputs, label: str | None = None) -> Plan:
    deal = load_deal(path, inputs, label)
    return plan(deal, inputs.playbook(deal.deal.playbook), inputs.library)


def validate_deal(path: Path, inputs: Inputs, strict: bool = False) -> Plan:
    """Everything render checks, writing nothing: the deal, its plan (guardrails, overrides,
    acknowledgements), and each chosen clause's text rendered for it. Blocked as render is;
    with `strict`, Warned for a warning the deal does not acknowledge."""
    the_plan = plan_deal(path, inputs)
    if the_plan.blocking:
        raise Blocked(blocked_message(the_plan))
    assemble(the_plan)  # a clause that cannot render for this deal fails here, as in render
    if strict:
        check_warnings(the_plan)
    return the_plan


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


def render_deal(
    path: Path, inputs: Inputs, out_dir: Path | None = None, out_root: Path | None = None
) -> Rendered:
    """Every output of one deal, in memory; Blocked if a guardrail stops it.

    The deal's folder is `out_dir`, else `out_root/<deal id>`, else `out/<deal id>`.
    """
    return render_plan(plan_deal(path, inputs), inputs, out_dir, out_root)


def render_plan(
    the_plan: Plan, inputs: Inputs, out_dir: Path | None = None, out_root: Path | None = None
) -> Rendered:
    """`render_deal` for a deal already planned."""
    if the_plan.blocking:
        raise Blocked(blocked_message(the_plan))
    documents = assemble(the_plan)
    folder = out_dir or (out_root or Path("out")) / the_plan.deal.deal.id
    files = _document_files(documents, the_plan.deal, inputs.sources)
    lock = lockfile.build_lock(the_plan, files, folder, documents, inputs.library)
    files[lockfile.LOCK_NAME] = lockfile.dumps(lock)
    return Rendered(the_plan, documents, files, folder)


def blocked_message(the_plan: Plan) -> str:
    lines = [
        f"{the_plan.deal.source}: blocked by the {the_plan.playbook.id} playbook; "
        "nothing was written"
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
    folder = rendered.out_dir
    if os.path.lexists(folder / atomic.JOURNAL):
        return [f"{folder / atomic.JOURNAL} (an interrupted render; render again to finish it)"]
    stale = []
    for name, data in rendered.files.items():
        path = folder / name
        try:
            # at most twice the fresh bytes: the same text with CRLF line endings still fits
            on_disk = lockfile.read_output(path, 2 * len(data))
        except TooLarge:
            on_disk = b""  # larger than a fresh render: it differs
        except OSError:
            on_disk = None
        if on_disk is None:
            stale.append(f"{path} (missing)")
        elif on_disk != data:
            stale.append(str(path) + (LINE_ENDINGS if only_line_endings(on_disk, data) else ""))
    try:
        gone = _gone(rendered, lockfile.read_lock(folder))
    except InvalidInput:
        gone = ()  # the lock itself differs from a fresh render, and is listed as stale
    for name in gone:
        stale.append(f"{folder / name} (no longer rendered)")
    return stale


def _gone(rendered: Rendered, lock: dict[str, Any] | None) -> tuple[str, ...]:
    """Files the lock on disk lists that this render no longer has (a dropped side letter);
    only plain output names (the lock was checked) and only regular files."""
    names = [str(e["path"]) for e in (lock or {}).get("documents", [])]
    return tuple(n for n in names if n not in rendered.files and _regular(rendered.out_dir / n))


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# git with core.autocrlf=true checks text files out with CRLF: every twin would differ.
CRLF = "CRLF on disk, LF rendered; see .gitattributes in the README"
LINE_ENDINGS = f" (line endings differ: {CRLF})"


def only_line_endings(disk: bytes, expected: bytes) -> bool:
    return b"\r\n" in disk and disk.replace(b"\r\n", b"\n") == expected


def stale_message(spec: str, stale: list[str] | tuple[str, ...], rerun: str) -> str:
    """The stale outputs of the deal at `spec`, and the command that brings them up to date."""
    lines = [f"{spec}: stale or missing outputs:", *(f"  {s}" for s in stale)]
    lines.append(f"  To update them, run: {rerun}")
    return "\n".join(lines)


def unvouched(rendered: Rendered) -> list[str]:
    """Each output on disk that a valid lock does not vouch for, with the reason: edited
    since rendered, not listed, not a regular file, or no valid lock at all."""
    folder = rendered.out_dir
    try:
        present = sorted(
            n
            for n in os.listdir(folder)
            if n in rendered.files or lockfile.OUTPUT_NAME.fullmatch(n)
        )
    except OSError:
        return []
    try:
        lock = lockfile.read_lock(folder)
    except InvalidInput as exc:
        unlocked = [folder / n for n in present if n != lockfile.LOCK_NAME]
        reason = f"{lockfile.LOCK_NAME} cannot vouch for it"
        return [str(exc.problems[0]), *(f"{p}: {reason}" for p in unlocked)]
    if lock is None:
        unlocked = [folder / n for n in present if n != lockfile.LOCK_NAME]
        return [f"{p}: no {lockfile.LOCK_NAME} vouches for it (was it deleted?)" for p in unlocked]
    listed = {str(e["path"]): str(e["sha256"]) for e in lock["documents"]}
    problems = []
    for name in present:
        path = folder / name
        if name == lockfile.LOCK_NAME:
            continue
        if not _regular(path):
            problems.append(f"{path}: not a regular file (a symlink?)")
        elif name not in listed:
            problems.append(f"{path}: not listed in {lockfile.LOCK_NAME}")
        elif lockfile.sha256(disk := path.read_bytes()) != listed[name]:
            if b"\r\n" in disk and lockfile.sha256(disk.replace(b"\r\n", b"\n")) == listed[name]:
                problems.append(f"{path}: only its line endings changed ({CRLF})")
            else:
                problems.append(
                    f"{path}: edited since clausesmith rendered it (it no longer matches "
                    f"{lockfile.LOCK_NAME})"
                )
    return problems


def write_deal(rendered: Rendered, force: bool = False) -> list[Path]:
    """Put every file in place only once all are written; keep what no lock vouches for
    (hand edits, a user's own files under output names) unless forced.

    Outputs already what the deal renders are left alone, timestamps and all: nothing is
    written and the list is empty (`make`, editors and backups see no change)."""
    folder = rendered.out_dir
    atomic.recover(folder)  # a render killed after its commit point is finished first
    if not stale_files(rendered):
        return []
    problems = [] if force else unvouched(rendered)
    if problems:
        raise ProtectedOutput(
            "\n".join(f"{p}; nothing was written" for p in problems)
            + "\n  To keep the edit, copy the file elsewhere (or put the change into the deal "
            "or the clause library) and render again; to discard it, render with --force."
        )
    try:
        gone = _gone(rendered, lockfile.read_lock(folder))
    except InvalidInput:
        gone = ()  # forced past a lock that cannot be trusted to name files to delete
    try:
        atomic.replace_all(folder, rendered.files, gone)  # the lock moves last: it vouches
    except atomic.HeldOpen as exc:
        raise invalid(
            str(exc.filename),
            "",
            "is open in another program (Word?) and cannot be replaced; close it and render "
            "again; nothing was changed",
        ) from None
    except OSError as exc:  # not writable, a file in the way, a dangling link, disk full
        raise invalid(
            str(folder), "", f"cannot write the outputs here ({exc.strerror}); nothing was changed"
        ) from None
    return [folder / name for name in rendered.files]
