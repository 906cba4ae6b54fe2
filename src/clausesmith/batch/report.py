"""`--format json` for render and validate: one report per run, for CI to read.

Every deal of the run is reported, also after one fails; the exit code is that of the first
deal that failed (0 when none did). Each error is reported with its message, and an invalid
deal with each problem's file, line, column, key and message. Each entry is made where its
deal is processed (a worker process under -j); the report puts them together at the end,
in the order the deals were given.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from clausesmith.errors import EXIT_OK, InvalidInput, UserMessageError
from clausesmith.pipeline import (
    Inputs,
    check_warnings,
    plan_deal,
    render_plan,
    stale_files,
    validate_deal,
    write,
)
from clausesmith.write import lockfile


def validate_entry(path: Path, inputs: Inputs, strict: bool = False) -> dict[str, Any]:
    """One deal's entry in a validate report: the whole plan checked, as render checks it."""
    try:
        the_plan = validate_deal(path, inputs, strict)
    except UserMessageError as exc:
        return {"spec": str(path), "valid": False, **error_data(exc)}
    findings = [f.data() for f in the_plan.findings]
    return {"spec": str(path), "valid": True, "deal": the_plan.deal.deal.id, "findings": findings}


def render_entry(
    path: Path,
    inputs: Inputs,
    output: Path | None,
    single: bool,
    check: bool = False,
    force: bool = False,
    strict: bool = False,
) -> dict[str, Any]:
    """One deal's entry in a render report. `output` is the deal's folder when it is the
    run's `single` deal, else the root of the deals' folders."""
    entry: dict[str, Any] = {"spec": str(path)}
    try:
        the_plan = plan_deal(path, inputs)
        entry["deal"] = the_plan.deal.deal.id
        entry["findings"] = [f.data() for f in the_plan.findings]
        out_dir = output if single else None
        rendered = render_plan(the_plan, inputs, out_dir=out_dir, out_root=output)
        if strict:
            check_warnings(the_plan)
        entry["out_dir"] = str(rendered.out_dir)
        entry["files"] = [
            {"path": name, "sha256": lockfile.sha256(data)} for name, data in rendered.files.items()
        ]
        if check:
            entry["stale"] = stale_files(rendered)
            entry["status"] = "stale" if entry["stale"] else "up_to_date"
            entry["exit_code"] = 4 if entry["stale"] else EXIT_OK
        else:
            write(rendered, force=force)
            entry["status"], entry["exit_code"] = "written", EXIT_OK
    except UserMessageError as exc:
        entry.update(status=_snake(type(exc).__name__), **error_data(exc))
    return entry


def error_data(exc: UserMessageError) -> dict[str, Any]:
    data: dict[str, Any] = {"exit_code": exc.exit_code, "message": exc.format_message()}
    if isinstance(exc, InvalidInput):
        data["problems"] = [
            {"file": p.file, "line": p.line, "column": p.column, "key": p.key, "message": p.message}
            for p in exc.problems
        ]
    return data


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def report(command: str, entries: list[dict[str, Any]]) -> tuple[dict[str, Any], int]:
    """The report of a run from its deals' entries, in the order the deals were given."""
    codes = [e["exit_code"] for e in entries if e.get("exit_code", EXIT_OK) != EXIT_OK]
    code = codes[0] if codes else EXIT_OK
    return {"command": command, "exit_code": code, "deals": entries}, code
