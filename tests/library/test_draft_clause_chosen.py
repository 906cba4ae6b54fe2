"""A clause the playbook chooses whose status is draft renders, but never silently: it is a
finding, `--strict` fails on it, and the CI recipe runs `lint`, which names it too."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()


def draft_library(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped library whose assignment clause is marked draft."""
    library = tmp_path / "library"
    shutil.copytree(ROOT / "clause_library", library)
    clause = library / "assignment" / "consent.md"
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.replace("status: approved", "status: draft", 1), encoding="utf-8")
    return library, clause


def test_a_chosen_draft_clause_is_a_finding_and_strict_fails(tmp_path: Path) -> None:
    library, clause = draft_library(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(ACME), "-o", str(out), "--library", str(library)])
    assert result.exit_code == 0, result.output
    assert (
        f"CS-UNAPPROVED-CLAUSE [warn] at {clause}: assignment/consent v1 ({clause}) has status "
        "draft: the playbook chose a clause counsel have not approved"
    ) in result.output
    strict = runner.invoke(cli, ["validate", "--strict", str(ACME), "--library", str(library)])
    assert strict.exit_code == 3
    assert "CS-UNAPPROVED-CLAUSE (Clause text not approved)" in strict.output


def test_the_ci_recipe_runs_lint() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "deals.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(step.strip().startswith("clausesmith lint") for step in steps)
