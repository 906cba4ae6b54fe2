"""The pre-commit hooks and the GitHub Actions workflow the README shows run as written, in
a deals repository set up by `clausesmith new --repository`."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import MINIMAL, ROOT

runner = CliRunner()
HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
WORKFLOW: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "ci" / "deals.yml").read_text())


@pytest.fixture
def deals_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "deals").mkdir()
    # --strict in the hook: counsel acknowledge the warnings the reference deal carries
    rules = ("CL-06-EU-SAFE-HARBOUR", "CL-06-UK-ASSESSMENT", "CL-06-US-SAFETY-ZONE",
             "CL-13-INFORMATION-EXCHANGE", "CS-07-PATENT-DILIGENCE")  # fmt: skip
    acknowledged = "acknowledgements:\n" + "".join(
        f"  - {{rule: {r}, acknowledged_by: J. Counsel, date: 2026-05-01, reason: assessed}}\n"
        for r in rules
    )
    text = MINIMAL.read_text(encoding="utf-8")
    (tmp_path / "deals" / "minimal.yaml").write_text(text + acknowledged, encoding="utf-8")
    (tmp_path / "clausesmith.toml").write_text('deals = ["deals"]\noutput = "out"\n')
    assert runner.invoke(cli, ["render"]).exit_code == 0
    return tmp_path


def args(entry: str) -> list[str]:
    words = shlex.split(entry)
    assert words[0] == "clausesmith"
    return words[1:]


def test_the_hooks_pass_on_a_clean_repository_and_fail_on_a_stale_one(deals_repo: Path) -> None:
    assert [h["id"] for h in HOOKS] == ["clausesmith-validate", "clausesmith-check"]
    validate, check = HOOKS
    changed = ["deals/minimal.yaml"]  # what pre-commit passes to a hook taking file names
    assert runner.invoke(cli, [*args(validate["entry"]), *changed]).exit_code == 0
    assert check["pass_filenames"] is False
    assert runner.invoke(cli, args(check["entry"])).exit_code == 0
    twin = deals_repo / "out" / "north-south-2026" / "term-sheet.md"
    twin.write_text("edited\n", encoding="utf-8")
    assert runner.invoke(cli, args(check["entry"])).exit_code == 4


def test_the_readme_shows_the_hooks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook in HOOKS:
        assert f"          - id: {hook['id']}\n" in readme


def test_the_workflow_commands_run_and_write_junit(deals_repo: Path) -> None:
    steps = WORKFLOW["jobs"]["deals"]["steps"]
    commands = [s["run"] for s in steps if s.get("run", "").startswith("clausesmith ")]
    assert len(commands) == 2
    found = 0
    for shard in WORKFLOW["jobs"]["deals"]["strategy"]["matrix"]["shard"]:
        for command in commands:
            line, _, report = command.replace("${{ matrix.shard }}", str(shard)).partition(" > ")
            result = runner.invoke(cli, args(line))
            assert result.exit_code == 0, result.output
            suite = ET.fromstring(result.stdout).find("testsuite")
            assert suite is not None and suite.get("failures") == "0", report
            found += int(suite.get("tests") or 0)
    assert found == 2  # the one deal, once by validate and once by --check, in one shard


def test_the_validate_hook_takes_deals_and_leaves_our_own_files() -> None:
    import re

    validate = HOOKS[0]
    taken = [
        name
        for name in (
            "deals/acme.yaml", "deals/kita.json", "out/acme/clausesmith.lock.json",
            "deal.schema.json", ".pre-commit-config.yaml", ".github/workflows/deals.yml",
            "playbooks/firm.yaml", "clausesmith.toml",
        )
        if re.search(validate["files"], name) and not re.search(validate["exclude"], name)
    ]  # fmt: skip
    assert taken == ["deals/acme.yaml", "deals/kita.json"]
