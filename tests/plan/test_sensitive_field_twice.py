"""One sensitive field declared twice, or overlapping fields whose letters disagree: refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from clausesmith.cli.main import cli

runner = CliRunner()


def letter(key: str, excluded: bool) -> dict[str, Any]:
    return {
        "key": key,
        "title": f"Carve-Out {key}",
        "from": "acme" if key == "a" else "beta",
        "to": "beta" if key == "a" else "acme",
        "terms": {"excluded_from_grant_back": excluded, "notice_before_entry_months": None},
    }


def fields(first: str, second: str) -> list[dict[str, Any]]:
    return [
        {"key": "one", "name": first, "owner": "acme", "side_letter": "a"},
        {"key": "two", "name": second, "owner": "beta", "side_letter": "b"},
    ]


def test_the_same_field_declared_by_each_owner_is_refused_at_its_line(
    variant: Callable[..., Path],
) -> None:
    deal = variant(
        {
            "carve_outs": {"sensitive_fields": fields("surgical robotics", "Surgical  Robotics")},
            "side_letters": [letter("a", True), letter("b", False)],
        }
    )
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{deal}:")
    assert result.output.rstrip().endswith(
        "carve_outs.sensitive_fields[1].name: 'Surgical  Robotics' is the field "
        "carve_outs.sensitive_fields[0] already declares ('surgical robotics'); declare each "
        "sensitive field once, with one owner and one side letter"
    )


def test_overlapping_fields_whose_letters_disagree_are_refused(
    variant: Callable[..., Path],
) -> None:
    deal = variant(
        {
            "carve_outs": {"sensitive_fields": fields("medical devices", "surgical robotics")},
            "side_letters": [letter("a", True), letter("b", False)],
            "field": {"excluded": []},
        }
    )
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert "say different things of them" in result.output


def test_overlapping_fields_whose_letters_agree_pass_this_check(
    variant: Callable[..., Path],
) -> None:
    deal = variant(
        {
            "carve_outs": {"sensitive_fields": fields("medical devices", "surgical robotics")},
            "side_letters": [letter("a", True), letter("b", True)],
            "field": {"excluded": []},
        }
    )
    result = runner.invoke(cli, ["validate", str(deal)])
    assert "sensitive_fields[1].name" not in result.output
