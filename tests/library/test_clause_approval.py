"""An edited clause never passes as approved; counsel approve chosen clauses by name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()


def edited_library(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped library whose assignment clause text changed, version not."""
    library = tmp_path / "library"
    shutil.copytree(ROOT / "clause_library", library)
    clause = library / "assignment" / "consent.md"
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.rstrip("\n") + " Counsel added this sentence.\n", encoding="utf-8")
    return library, clause


def test_an_edited_clause_is_unapproved_in_explain_the_lock_and_a_finding(tmp_path: Path) -> None:
    library, clause = edited_library(tmp_path)
    out = tmp_path / "out" / "acme-beta-2026"  # -o DIR renders into DIR/<deal id>/
    result = runner.invoke(
        cli, ["render", str(ACME), "-o", str(out.parent), "--library", str(library)]
    )
    assert result.exit_code == 0, result.output
    assert f"CS-UNAPPROVED-CLAUSE [warn] at {clause}: assignment/consent v1 (" in result.output
    lock = json.loads((out / "clausesmith.lock.json").read_text(encoding="utf-8"))
    slots = {c["slot"]: c for d in lock["documents"] for c in d.get("clauses", [])}
    assert slots["assignment"]["status"] == "unapproved"
    assert slots["governing_law"]["status"] == "approved"
    explain = runner.invoke(
        cli, ["explain", str(ACME), "--format", "json", "--library", str(library)]
    )
    data = json.loads(explain.output)
    statuses = {s["clause"]: s["status"] for d in data["documents"] for s in d["slots"]}
    assert statuses["assignment/consent"] == "unapproved"
    listing = runner.invoke(
        cli, ["clauses", "list", "--slot", "assignment", "--library", str(library)]
    )
    line = next(x for x in listing.output.splitlines() if x.startswith("assignment/consent"))
    assert line.split()[2] == "unapproved"


def test_check_fails_on_unapproved_text_naming_the_clause(tmp_path: Path) -> None:
    library, clause = edited_library(tmp_path)
    out = tmp_path / "out" / "acme-beta-2026"  # -o DIR renders into DIR/<deal id>/
    runner.invoke(cli, ["render", str(ACME), "-o", str(out.parent), "--library", str(library)])
    result = runner.invoke(
        cli, ["render", "--check", str(ACME), "-o", str(out.parent), "--library", str(library)]
    )
    assert result.exit_code == 1
    assert f"{ACME}: renders clause text counsel have not approved:" in result.output
    assert f"assignment/consent v1 ({clause})" in result.output


def test_approve_by_name_records_who_and_when_and_clears_the_finding(tmp_path: Path) -> None:
    library, clause = edited_library(tmp_path)
    clause.write_text(
        clause.read_text(encoding="utf-8").replace("version: 1", "version: 2"), encoding="utf-8"
    )
    result = runner.invoke(
        cli,
        [
            "clauses", "approve", "assignment/consent",
            "--by", "Jane Counsel", "--on", "2026-11-20", "--library", str(library),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "approved assignment/consent v2 by Jane Counsel on 2026-11-20 (was v1)"
    )
    registry = json.loads((library / "approved.json").read_text(encoding="utf-8"))
    entry = registry["clauses"]["assignment/consent"]
    assert (entry["version"], entry["approved_by"], entry["approved_on"]) == (
        2,
        "Jane Counsel",
        "2026-11-20",
    )
    assert (
        registry["clauses"]["mfl/full"]
        == json.loads((ROOT / "clause_library" / "approved.json").read_text(encoding="utf-8"))[
            "clauses"
        ]["mfl/full"]
    )  # clauses not named keep their entries
    front = yaml.safe_load(clause.read_text(encoding="utf-8").split("---")[1])
    assert (front["status"], front["approved_by"], str(front["approved_on"])) == (
        "approved",
        "Jane Counsel",
        "2026-11-20",
    )
    out = tmp_path / "out" / "acme-beta-2026"  # -o DIR renders into DIR/<deal id>/
    rendered = runner.invoke(
        cli, ["render", str(ACME), "-o", str(out.parent), "--library", str(library)]
    )
    assert rendered.exit_code == 0, rendered.output
    assert "CS-UNAPPROVED-CLAUSE" not in rendered.output


def test_approve_needs_names_or_all_and_a_name_for_who(tmp_path: Path) -> None:
    library, _ = edited_library(tmp_path)
    nothing = runner.invoke(cli, ["clauses", "approve", "--library", str(library)])
    assert nothing.exit_code == 2
    assert "name the clauses to approve" in nothing.output
    anonymous = runner.invoke(cli, ["clauses", "approve", "mfl/full", "--library", str(library)])
    assert anonymous.exit_code == 2
    assert "say who approves: --by 'Jane Counsel'" in anonymous.output
    typo = runner.invoke(
        cli, ["clauses", "approve", "mfl/ful", "--by", "J", "--library", str(library)]
    )
    assert typo.exit_code == 1
    assert "no clause with id 'mfl/ful' (did you mean 'mfl/full'?)" in typo.output
