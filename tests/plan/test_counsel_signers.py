"""Only counsel clear a law or guidance finding, with a reason of substance.

The counsel list is the repository's (`counsel` in clausesmith.toml), and a playbook may add
names; a `policy` finding keeps the plain rule.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.plan import signers
from helpers.deals import REASON

runner = CliRunner()
SPLIT = {"field": {"per_licensee": [{"licensee": "beta", "excluded_products": ["arms for OEMs"]}]}}


def override(rule: str, by: str, reason: str) -> dict[str, Any]:
    return {"rule": rule, "approved_by": by, "date": "2026-03-01", "reason": reason}


def test_an_unlisted_signer_and_a_reason_of_one_word_are_refused_at_their_lines(
    variant: Callable[..., Path], counsel_repo: Path
) -> None:
    deal = variant({**SPLIT, "overrides": [override("CL-07-SCOPE-ALLOCATION", "Paralegal", "ok")]})
    result = runner.invoke(cli, ["validate", "--strict", str(deal)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].endswith(
        "overrides[0].approved_by: 'Paralegal' is not on the counsel list, and only counsel may "
        "sign the override of a law or guidance finding (the list holds 'A. Counsel', "
        "'Jane Counsel', 'J. Counsel', 'Test Counsel', 'Counsel'); have counsel sign it, or add "
        'the name to the repository\'s clausesmith.toml as counsel = ["Paralegal"] (or to the '
        "playbook's counsel list) once it belongs there"
    )
    assert lines[0].startswith(f"{deal}:")
    assert lines[1].endswith(
        "overrides[0].reason: 'ok' is not a reason of substance; a law/guidance finding needs at "
        "least 8 words that say why counsel accept the position for this deal (the facts relied "
        "on and the conclusion), not a word such as 'ok' or 'approved'"
    )


def test_an_acknowledgement_by_an_unlisted_signer_is_refused(
    variant: Callable[..., Path], counsel_repo: Path
) -> None:
    ack = {"rule": "CL-15-FIELD-PER-LICENSEE", "acknowledged_by": "Paralegal"}
    deal = variant({**SPLIT, "acknowledgements": [{**ack, "date": "2026-03-01", "reason": REASON}]})
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert "acknowledgements[0].acknowledged_by: 'Paralegal' is not on the counsel list" in (
        result.output
    )


def test_without_a_counsel_list_no_one_may_clear_a_law_finding(
    variant: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    deal = variant({**SPLIT, "overrides": [override("CL-07-SCOPE-ALLOCATION", "Counsel", REASON)]})
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert "(the list is empty)" in result.output


def test_listed_counsel_with_a_reason_clears_the_block_and_the_lock_records_the_signer(
    variant: Callable[..., Path], counsel_repo: Path
) -> None:
    deal = variant(
        {**SPLIT, "overrides": [override("CL-07-SCOPE-ALLOCATION", "Jane  Counsel", REASON)]}
    )
    result = runner.invoke(cli, ["render", str(deal), "-o", str(counsel_repo / "out")])
    assert result.exit_code == 0, result.output
    lock = json.loads(next((counsel_repo / "out").rglob("*.lock.json")).read_text("utf-8"))
    found = [f for f in lock["findings"] if f["rule"] == "CL-07-SCOPE-ALLOCATION"]
    assert len(found) == 2  # the OEM customers, and the split that excludes only Beta
    for finding in found:
        assert finding["override"]["approved_by"] == "Jane  Counsel"
        assert finding["override"]["reason"] == REASON


def test_a_policy_finding_keeps_the_plain_rule(
    variant: Callable[..., Path], counsel_repo: Path
) -> None:
    ack = {"rule": "CS-04-GRANT-BACK-WITHOUT-COLLABORATION", "acknowledged_by": "Paralegal"}
    deal = variant(
        {
            "grant_back": {"collaboration": None},
            "acknowledgements": [{**ack, "date": "2026-03-01", "reason": "ok"}],
        }
    )
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 0, result.output


def test_the_playbook_may_add_counsel(
    variant: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers.deals import ROOT

    books = tmp_path / "books"
    books.mkdir()
    text = (ROOT / "playbooks" / "cross-licence-standard.yaml").read_text(encoding="utf-8")
    (books / "cross-licence-standard.yaml").write_text(
        text.replace("status: approved\n", 'status: approved\ncounsel: ["Kim Lee"]\n', 1),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    deal = variant({**SPLIT, "overrides": [override("CL-07-SCOPE-ALLOCATION", "Kim Lee", REASON)]})
    result = runner.invoke(cli, ["validate", "--playbooks", str(books), str(deal)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "reason",
    ["ok", "approved", "fine", "ok ok ok ok ok ok ok ok", "Reviewed with the client"],
)
def test_reasons_of_a_few_words_are_not_of_substance(reason: str) -> None:
    assert signers.reason_problem(reason) is not None


def test_a_reason_that_names_facts_and_a_conclusion_is_of_substance() -> None:
    assert signers.reason_problem("Shares are below ten per cent on every relevant market") is None
