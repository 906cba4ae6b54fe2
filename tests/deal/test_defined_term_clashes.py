"""Attacks on a deal's own defined terms: the guard against redefining a term the
term sheet defines itself, beaten by a term it defines but does not list, by singular and
plural, by US spelling, or by a party's short name.

Each would print two definitions of one term (the deal's and the term sheet's) in one
document; the user expects exit 1 and the message naming the clash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli

runner = CliRunner()


@pytest.mark.parametrize(
    ("term", "defined"),
    [
        ("Royalty Cap", "Royalty Cap"),  # defined by the Royalty Cap head ("the Royalty Cap")
        ("Licensed Product", "Licensed Products"),
        ("Affiliates", "Affiliate"),
        ("Pre-existing Licenses", "Pre-existing Licences"),  # how an en-US deal prints it
        ("Beta", "Beta"),  # a party's short name: ("Beta") in the parties block
    ],
)
def test_a_definition_of_a_term_the_term_sheet_defines_is_refused(
    variant: Callable[..., Path], term: str, defined: str
) -> None:
    deal = variant({"definitions": [{"term": term, "meaning": "any cobot sold by Acme"}]})
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1, result.output
    assert (
        f"definitions[0].term: {term!r} is a term the term sheet already defines ({defined!r}); "
        "choose another term, or remove this definition"
    ) in result.output
