"""A test that needs LibreOffice or pandoc skips, naming the program, when it is missing;
CLAUSESMITH_REQUIRE_TOOLS=1 (set by .ci/run) turns that skip into a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
ROOT = TESTS.parent
SAMPLE = """
import pytest

@pytest.mark.tools("clausesmith-no-such-program")
def test_needs_it():
    pass

@pytest.mark.tools("python3")
def test_has_it():
    pass
"""


def run_sample(tmp_path: Path, require: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(
        "from helpers.tools_required import (\n"
        "    mark_missing_tools, pytest_configure, pytest_runtest_setup)\n"
        "def pytest_collection_modifyitems(items):\n"
        "    mark_missing_tools(items)\n"
    )
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    env.pop("CLAUSESMITH_REQUIRE_TOOLS", None)
    if require is not None:
        env["CLAUSESMITH_REQUIRE_TOOLS"] = require
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-ra", "-p", "no:cacheprovider", "-o", "addopts=",
         "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )  # fmt: skip


def test_missing_program_skips_with_its_name(tmp_path: Path) -> None:
    done = run_sample(tmp_path, None)
    assert done.returncode == 0, done.stdout
    assert (
        "SKIPPED [1] test_sample.py:4: clausesmith-no-such-program missing: .ci/run installs it"
        in done.stdout
    )
    assert "1 passed, 1 skipped" in done.stdout


@pytest.mark.parametrize("require", ["1"])
def test_ci_turns_the_skip_into_a_failure(tmp_path: Path, require: str) -> None:
    done = run_sample(tmp_path, require)
    assert done.returncode == 1, done.stdout
    assert (
        "clausesmith-no-such-program missing: .ci/run installs it, and "
        "CLAUSESMITH_REQUIRE_TOOLS=1 says the test must run" in done.stdout
    )
    assert "1 passed, 1 error" in done.stdout


def test_ci_script_requires_the_tools_and_runs_the_readme_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest"
    assert f"```sh\n{command}\n```\n" in readme
    assert script.rstrip("\n").endswith(f"\nCLAUSESMITH_REQUIRE_TOOLS=1 {command}") or (
        "export CLAUSESMITH_REQUIRE_TOOLS=1\n" in script and script.rstrip("\n").endswith(command)
    )
