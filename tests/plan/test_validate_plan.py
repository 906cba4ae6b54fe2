"""validate means "render would succeed": the whole plan, guardrails and overrides included,
with render's exit codes; --strict fails on a warning the deal does not acknowledge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.console import without_notes
from helpers.deals import ACME, REASON

runner = CliRunner()
WARNINGS = (  # what the reference deal with a 26% combined share warns of
    "CL-06-EU-SAFE-HARBOUR",
    "CL-06-UK-ASSESSMENT",
    "CL-06-US-SAFETY-ZONE",
)
ACKNOWLEDGE = "acknowledgements:\n" + "".join(
    f"  - {{rule: {rule}, acknowledged_by: J. Counsel, date: 2026-03-01, reason: {REASON}}}\n"
    for rule in WARNINGS
)


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = ACME.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "deal.yaml"
    path.write_text(text, encoding="utf-8")
    return path


WARNED = ("market_share_pct: {combined: 14.5}", "market_share_pct: {combined: 26}")


def test_validate_exits_3_where_render_blocks(tmp_path: Path) -> None:
    deal = edited(tmp_path, ("exclusivity: non_exclusive", "exclusivity: exclusive"))
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 3
    assert result.output.startswith(
        f"{deal}: blocked by the cross-licence-standard playbook\n"  # validate writes nothing
        f"  CL-01-EXCLUSIVE-GRANT-BACK (Exclusive grant-back of improvements) at {deal}:63:10: "
    )
    assert list(tmp_path.iterdir()) == [deal]


def test_validate_finds_a_misspelt_override_rule(tmp_path: Path) -> None:
    deal = edited(
        tmp_path,
        ("overrides: []", "overrides: [{rule: CL-01-EXCLUSIVE, approved_by: J, "
         "date: 2026-03-01, reason: r}]"),
    )  # fmt: skip
    line = deal.read_text(encoding="utf-8").split("overrides:")[0].count("\n") + 1
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert result.output == (
        f"{deal}:{line}:20: overrides[0].rule: 'CL-01-EXCLUSIVE' is not a guardrail of playbook "
        "cross-licence-standard; did you mean 'CL-01-EXCLUSIVE-GRANT-BACK'?\n"
    )


def test_a_warning_states_the_deals_figure_against_the_threshold(tmp_path: Path) -> None:
    deal = edited(tmp_path, WARNED)
    result = runner.invoke(cli, ["validate", str(deal)])
    assert (result.exit_code, without_notes(result.output)) == (
        0,
        f"{deal}: valid (acme-beta-2026)\n",
    )
    report = json.loads(runner.invoke(cli, ["validate", "--format", "json", str(deal)]).stdout)
    (eu,) = [f for f in report["deals"][0]["findings"] if f["rule"] == "CL-06-EU-SAFE-HARBOUR"]
    assert "The deal states a combined share of 26%; the safe harbour of Art 3 needs at most " \
        "20% combined" in eu["message"]  # fmt: skip
    assert eu["where"] == f"{deal}:36:21"


@pytest.mark.parametrize("command", [["validate"], ["render", "--check"]])
def test_strict_fails_on_a_warning_not_acknowledged(tmp_path: Path, command: list[str]) -> None:
    deal = edited(tmp_path, WARNED)
    out = tmp_path / "out"
    options = ["-o", str(out)] if "render" in command else []
    result = runner.invoke(cli, [*command, "--strict", str(deal), *options])
    assert result.exit_code == 3
    assert result.output.startswith(
        f"{deal}: {len(WARNINGS)} warnings of the cross-licence-standard playbook not "
        "acknowledged (--strict)\n"
        "  CL-06-EU-SAFE-HARBOUR (EU market-share safe harbour not shown) at "
        f"{deal}:36:21: EU: the Territory includes 27 EU countries"
    )
    assert result.output.endswith(
        "  To pass, change the deal, or record that counsel accept it under acknowledgements: "
        "[{rule: RULE-ID, acknowledged_by: Name, date: YYYY-MM-DD, reason: text}]\n"
    )
    assert not out.exists()


def test_acknowledged_warnings_pass_strict_and_are_recorded(
    tmp_path: Path, counsel_repo: Path
) -> None:
    deal = edited(tmp_path, WARNED, ("# acknowledgements: []", ACKNOWLEDGE.rstrip("\n")))
    result = runner.invoke(cli, ["validate", "--strict", str(deal)])
    assert (result.exit_code, without_notes(result.output)) == (
        0,
        f"{deal}: valid (acme-beta-2026)\n",
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", "--strict", str(deal), "-o", str(out)])
    assert result.exit_code == 0, result.output
    # one line, its rule and title: counsel have read it (--verbose prints it in full)
    assert "  CL-06-EU-SAFE-HARBOUR [acknowledged]: " in result.output
    lock = json.loads(next(out.rglob("clausesmith.lock.json")).read_text(encoding="utf-8"))
    (finding,) = [f for f in lock["findings"] if f["rule"] == "CL-06-EU-SAFE-HARBOUR"]
    assert finding["acknowledgement"] == {
        "acknowledged_by": "J. Counsel",
        "date": "2026-03-01",
        "reason": REASON,
    }


def test_a_block_cannot_be_acknowledged(tmp_path: Path) -> None:
    deal = edited(
        tmp_path,
        ("# acknowledgements: []", "acknowledgements: [{rule: CL-04-NO-CHALLENGE, "
         "acknowledged_by: J, date: 2026-03-01, reason: r}]"),
    )  # fmt: skip
    line = deal.read_text(encoding="utf-8").split("acknowledgements:")[0].count("\n") + 1
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert result.output == (
        f"{deal}:{line}:27: acknowledgements[0].rule: 'CL-04-NO-CHALLENGE' blocks rather than "
        "warns; a block needs counsel's approval under overrides: "
        "[{rule, approved_by, date, reason}]\n"
    )
