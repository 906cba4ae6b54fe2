"""`--format json` on validate and render: whole reports, and the exit code of the run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, MINIMAL

runner = CliRunner()


def test_validate_json_reports_every_deal_and_each_problem(
    write_deal: Callable[..., Path],
) -> None:
    text = ACME.read_text(encoding="utf-8").replace(
        "  governing_law: england", "  governing_lw: england"
    )
    bad = write_deal(text)
    result = runner.invoke(cli, ["validate", "--format", "json", str(MINIMAL), str(bad)])
    assert result.exit_code == 1
    problem = f"{bad}:11:3: deal.governing_lw: unknown key; did you mean 'governing_law'?"
    report = json.loads(result.stdout)
    findings = report["deals"][0]["findings"]  # the minimal deal's warnings
    assert {f["rule"] for f in findings} >= {"CL-06-EU-SAFE-HARBOUR", "CL-06-US-SAFETY-ZONE"}
    assert report == {
        "command": "validate",
        "exit_code": 1,
        "summary": {
            "deals": 2,
            "by_status": {"invalid_input": 1, "valid": 1},
            "findings": {"warn": len(findings)},
            "warnings": len(findings),
        },
        "deals": [
            {
                "spec": str(MINIMAL),
                "valid": True,
                "deal": "north-south-2026",
                "findings": findings,
                "notes": report["deals"][0]["notes"],
                "status": "valid",
                "exit_code": 0,
            },
            {
                "spec": str(bad),
                "valid": False,
                "status": "invalid_input",
                "exit_code": 1,
                "message": problem,
                "problems": [
                    {
                        "file": str(bad),
                        "line": 11,
                        "column": 3,
                        "key": "deal.governing_lw",
                        "message": "unknown key; did you mean 'governing_law'?",
                    }
                ],
            },
        ],
    }


def test_render_json_then_check_json(tmp_path: Path) -> None:
    out = tmp_path / "out" / "acme-beta-2026"
    result = runner.invoke(cli, ["render", "--format", "json", str(ACME), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    [deal] = json.loads(result.stdout)["deals"]
    lock = json.loads((out / "clausesmith.lock.json").read_text(encoding="utf-8"))
    assert deal["status"] == "written"
    assert deal["out_dir"] == str(out)
    assert {f["path"]: f["sha256"] for f in deal["files"] if f["path"].endswith(".docx")} == {
        d["path"]: d["sha256"] for d in lock["documents"] if d["path"].endswith(".docx")
    }
    result = runner.invoke(
        cli, ["render", "--check", "--format", "json", str(ACME), "-o", str(out.parent)]
    )
    assert result.exit_code == 0, result.output
    [deal] = json.loads(result.stdout)["deals"]
    assert (deal["status"], deal["stale"], deal["exit_code"]) == ("up_to_date", [], 0)


def test_render_json_reports_a_blocked_deal_and_goes_on(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    blocked = variant({"grant_back": {"exclusivity": "exclusive"}}, "blocked.yaml")
    args = ["render", "--format", "json", str(blocked), str(MINIMAL), "-o", str(tmp_path)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 3
    first, second = json.loads(result.stdout)["deals"]
    assert first["status"] == "blocked"
    assert first["message"].startswith(
        f"{blocked}: blocked by the cross-licence-standard playbook; nothing was written\n"
    )
    rules: list[dict[str, Any]] = first["findings"]
    assert {"rule": "CL-01-EXCLUSIVE-GRANT-BACK", "blocks": True}.items() <= next(
        f for f in rules if f["rule"] == "CL-01-EXCLUSIVE-GRANT-BACK"
    ).items()
    assert second["status"] == "written"
    assert (tmp_path / "north-south-2026" / "term-sheet.docx").is_file()
    assert not (tmp_path / "acme-beta-2026").exists()
