"""The royalty annex rounds each amount half-up to whole units of currency, once, at the end
of the calculation, as its own text says: a reader redoing the sums by hand gets the same
figures. Each case sits on a half unit, where the rounding rule decides the printed figure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources

INPUTS = Inputs(Sources.resolve())


def worst_case_row(variant: Callable[..., Path], royalties: dict[str, Any]) -> str:
    """The worst-case row of Annex B in the term sheet's text twin."""
    path = variant({"royalties": royalties})
    rendered = render_deal(path, INPUTS, out_dir=path.parent / "out")
    twin = rendered.files["term-sheet.md"].decode("utf-8")
    return next(line for line in twin.splitlines() if line.startswith("| Worst |"))


SCENARIOS = {"base": 40_000_000, "best": 95_000_000}


def test_a_half_unit_of_royalty_is_rounded_up(variant: Callable[..., Path]) -> None:
    # 2% of 8,000,025 is 160,000.50: half-up prints 160,001 (half-even would print 160,000).
    row = worst_case_row(variant, {"scenarios": {"worst": 8_000_025, **SCENARIOS}})
    assert row == "| Worst | EUR 8,000,025 | EUR 160,001 | EUR 1,500,000 | EUR 160,001 |"


def test_a_tiered_royalty_is_rounded_once_on_the_total_not_band_by_band(
    variant: Callable[..., Path],
) -> None:
    # 2% of the first 1,000,025 is 20,000.50 and 1.5% of the next 100 is 1.50: together
    # 20,002 exactly. Rounding each band first would print 20,001 + 2 = 20,003.
    tiers = [{"up_to": 1_000_025, "rate_pct": 2.0}, {"up_to": None, "rate_pct": 1.5}]
    royalties = {
        "structure": "tiered",
        "rate_pct": None,
        "tiers": tiers,
        "scenarios": {"worst": 1_000_125, **SCENARIOS},
    }
    row = worst_case_row(variant, royalties)
    assert row == "| Worst | EUR 1,000,125 | EUR 20,002 | EUR 1,500,000 | EUR 20,002 |"


@pytest.mark.parametrize(
    ("worst", "royalty"),
    [(8_000_075, "160,002"), (8_000_024, "160,000"), (8_000_026, "160,001")],
)
def test_amounts_off_the_half_round_to_the_nearest_unit(
    variant: Callable[..., Path], worst: int, royalty: str
) -> None:
    # 160,001.50 rounds up under either rule; 160,000.48 down; 160,000.52 up.
    row = worst_case_row(variant, {"scenarios": {"worst": worst, **SCENARIOS}})
    assert row == f"| Worst | EUR {worst:,} | EUR {royalty} | EUR 1,500,000 | EUR {royalty} |"


def test_the_first_unit_of_sales_bears_royalty(variant: Callable[..., Path]) -> None:
    # 2% of exactly 1,000,025 is 20,000.50, printed 20,001: a band counted from the first
    # unit of sales (a band counted from the second would be 20,000.48, printed 20,000).
    tiers = [{"up_to": 1_000_025, "rate_pct": 2.0}, {"up_to": None, "rate_pct": 1.5}]
    royalties = {
        "structure": "tiered",
        "rate_pct": None,
        "tiers": tiers,
        "scenarios": {"worst": 1_000_025, **SCENARIOS},
    }
    row = worst_case_row(variant, royalties)
    assert row == "| Worst | EUR 1,000,025 | EUR 20,001 | EUR 1,500,000 | EUR 20,001 |"


def test_a_cap_reached_inside_a_middle_band_is_found_in_that_band(
    variant: Callable[..., Path],
) -> None:
    # Bands 10m at 2% (200,000), 40m at 1.5% (600,000), then 1%. A cap of 500,000 is
    # reached inside the middle band: 300,000 more at 1.5% is 20,000,000 more sales, so
    # 30,000,000. At base 40m the single rate is 500,000 / 40,000,000 = 1.25%.
    tiers = [
        {"up_to": 10_000_000, "rate_pct": 2.0},
        {"up_to": 50_000_000, "rate_pct": 1.5},
        {"up_to": None, "rate_pct": 1.0},
    ]
    path = variant(
        {
            "royalties": {
                "structure": "tiered",
                "rate_pct": None,
                "tiers": tiers,
                "cap": {"amount": 500_000, "period": "annual"},
            }
        }
    )
    twin = render_deal(path, INPUTS, out_dir=path.parent / "out").files["term-sheet.md"]
    text = twin.decode("utf-8")
    assert "| Annual net sales at which the Royalty Cap is reached | EUR 30,000,000 |" in text
    assert "| Single rate at which base-case net sales reach the Royalty Cap | 1.25% |" in text
