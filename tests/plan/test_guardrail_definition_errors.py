"""A firm's playbook whose guardrail cannot run (a check clausesmith does not have, a message
naming a fact its check does not give) is an error at the guardrail's own line in the
playbook, not a finding and not an internal error."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()
PLAYBOOK = "cross-licence-standard.yaml"
GUARDRAIL = "  - id: CL-07-MARKET-ALLOCATION\n"


def playbooks_with(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the shipped playbooks with one edit; the guardrail's line."""
    folder = tmp_path / "playbooks"
    shutil.copytree(ROOT / "playbooks", folder)
    path = folder / PLAYBOOK
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder, text[: text.index(GUARDRAIL)].count("\n") + 1


def validate(deal: Path, playbooks: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["validate", str(deal), "--playbooks", str(playbooks)])
    return result.exit_code, result.output


def test_a_check_clausesmith_does_not_have_is_named_at_the_guardrails_line(
    tmp_path: Path,
) -> None:
    folder, line = playbooks_with(
        tmp_path, "    check: market_allocation\n", "    check: market_allocatoin\n"
    )
    code, output = validate(ACME, folder)
    assert code == 1
    first = output.splitlines()[0]
    assert first.startswith(
        f"{folder / PLAYBOOK}:{line}: guardrails.CL-07-MARKET-ALLOCATION: names no check "
        "clausesmith has: 'market_allocatoin'; known: "
    )
    assert "market_allocation" in first


def test_a_message_naming_a_fact_its_check_does_not_give_is_named_at_the_guardrails_line(
    tmp_path: Path,
) -> None:
    folder, line = playbooks_with(tmp_path, "leaves out {left_out}.", "leaves out {left_ot}.")
    # The message is filled only when the check fires: a Territory leaving out the US.
    data = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    data["territory"] = {"include": ["EU"], "exclude": []}
    deal = tmp_path / "deal.yaml"
    deal.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    code, output = validate(deal, folder)
    assert (code, output) == (
        1,
        f"{folder / PLAYBOOK}:{line}: guardrails.CL-07-MARKET-ALLOCATION: message names "
        "{left_ot}, which its check does not give\n",
    )
