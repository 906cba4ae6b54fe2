"""The test tree stays arranged by stage: every test file in the folder of a stage, shared
code in the helpers package, and no test file importing another test file or conftest (a
second import of conftest would run it again, with a cache folder of its own)."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers.deals import ROOT

TESTS = ROOT / "tests"
STAGES = {
    "deal", "templating", "library", "plan", "assemble", "docx", "write", "tools", "batch",
    "cli", "serve", "e2e", "tooling",
}  # fmt: skip


def all_test_files() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def test_every_test_file_sits_in_a_stage_folder() -> None:
    misplaced = [
        str(p.relative_to(TESTS))
        for p in all_test_files()
        if p.relative_to(TESTS).parts[0] not in STAGES
    ]
    assert misplaced == []


def test_no_test_file_imports_another_test_file_or_conftest() -> None:
    found = []
    for path in [*all_test_files(), *(TESTS / "helpers").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [
                f"{path.relative_to(TESTS)}: {name}"
                for name in names
                if name == "conftest" or name.split(".")[-1].startswith("test_")
            ]
    assert found == []


def test_test_file_names_are_unique() -> None:
    names = [p.name for p in all_test_files()]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
