"""A copy of the clause library to edit and the reference deal with the scorecard annex, for
the tests of annex parts and of counsel's edits to them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, COLLABORATION, ROOT, deep_merge

runner = CliRunner()

SCORECARD = Path("governance") / "scorecard_advisory.md"


def deal_with_scorecard(tmp_path: Path) -> Path:
    data: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    data = deep_merge(data, {"grant_back": {"collaboration": COLLABORATION}})
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def library_copy(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "clause_library", library)
    return library


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def render(deal: Path, library: Path, out: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["render", str(deal), "--library", str(library), "-o", str(out)])
    return result.exit_code, result.output
