"""The pre-commit hooks and the GitHub Actions workflow docs/ci.md shows run as written, in
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
from helpers.deals import MINIMAL, REASON, ROOT

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
        f"  - {{rule: {r}, acknowledged_by: J. Counsel, date: 2026-05-01, reason: {REASON}}}\n"
        for r in rules
    )
    text = MINIMAL.read_text(encoding="utf-8")
    (tmp_path / "deals" / "minimal.yaml").write_text(text + acknowledged, encoding="utf-8")
    (tmp_path / "clausesmith.toml").write_text(
        'deals = ["deals"]\noutput = "out"\ncounsel = ["J. Counsel"]\n'
    )
    assert runner.invoke(cli, ["render"]).exit_code == 0
    return tmp_path


def args(entry: str) -> list[str]:
    words = shlex.split(entry)
    assert words[0] == "clausesmith"
    return words[1:]


def test_the_hooks_pass_on_a_clean_repository_and_fail_on_a_stale_one(deals_repo: Path) -> None:
    assert [h["id"] for h in HOOKS] == [
        "clausesmith-validate",
        "clausesmith-check",
        "clausesmith-lint",
    ]
    validate, check, lint = HOOKS
    assert runner.invoke(cli, args(lint["entry"])).exit_code == 0
    changed = ["deals/minimal.yaml"]  # what pre-commit passes to a hook taking file names
    assert runner.invoke(cli, [*args(validate["entry"]), *changed]).exit_code == 0
    assert check["pass_filenames"] is False
    assert runner.invoke(cli, args(check["entry"])).exit_code == 0
    twin = deals_repo / "out" / "north-south-2026" / "term-sheet.md"
    twin.write_text("edited\n", encoding="utf-8")
    assert runner.invoke(cli, args(check["entry"])).exit_code == 4


def test_the_docs_show_the_hooks() -> None:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for hook in HOOKS:
        assert f"      - id: {hook['id']}\n" in docs


def test_the_workflow_commands_run_and_write_junit(deals_repo: Path) -> None:
    steps = WORKFLOW["jobs"]["deals"]["steps"]
    commands = [s["run"] for s in steps if s.get("run", "").startswith("clausesmith ")]
    assert commands[0] == "clausesmith lint"
    assert runner.invoke(cli, args(commands.pop(0))).exit_code == 0
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


def test_the_documented_pre_commit_config_runs_the_hooks_as_printed() -> None:
    """The snippet in docs/ci.md pins no revision that does not exist (it is a local
    repository), and each hook runs the command .pre-commit-hooks.yaml gives."""
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = next(b for b in docs.split("```yaml\n")[1:] if "pre-commit-config" in b)
    config = yaml.safe_load(block.split("```", 1)[0])
    (repo,) = config["repos"]
    assert repo["repo"] == "local" and "rev" not in repo
    ours = {h["id"]: h for h in HOOKS}
    assert [h["id"] for h in repo["hooks"]] == list(ours)
    for hook in repo["hooks"]:
        assert {"id", "name", "entry", "language"} <= set(hook)  # what pre-commit requires
        assert hook["language"] == "system"
        shipped = ours[hook["id"]]
        for key in ("entry", "pass_filenames", "always_run", "require_serial"):
            assert hook.get(key) == shipped.get(key), (hook["id"], key)


def test_each_job_of_the_matrix_uploads_under_names_of_its_own() -> None:
    """upload-artifact refuses a name two jobs use: each name holds every matrix key, and
    the documents are uploaded beside the JUnit reports."""
    job = WORKFLOW["jobs"]["deals"]
    keys = list(job["strategy"]["matrix"])
    uploads = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload")]
    assert {s["with"]["path"] for s in uploads} >= {"*.xml", "out/"}
    for step in uploads:
        for key in keys:
            assert f"${{{{ matrix.{key} }}}}" in step["with"]["name"], (step["with"]["name"], key)
