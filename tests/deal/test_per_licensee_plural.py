"""Attack on `field.per_licensee`: a product excluded for a licensee and licensed to
it at once, written in the singular ("end effector" against the licensed category
"end effectors"). The document would license and exclude the same products; the guard
that compares them must not be beaten by a plural.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli

runner = CliRunner()


def test_a_product_excluded_in_the_singular_and_licensed_in_the_plural_is_refused(
    variant: Callable[..., Path],
) -> None:
    deal = variant(
        {"field": {"per_licensee": [{"licensee": "beta", "excluded_products": ["end effector"]}]}}
    )
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1, result.output
    assert (
        "field.per_licensee[0].excluded_products[0]: 'end effector' is both excluded and "
        "licensed to 'beta' (at field.licensed[0].product_categories[1]); take it out of one "
        "of them"
    ) in result.output
