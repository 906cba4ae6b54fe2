"""Numbers a document would print wrongly are refused where the deal writes them.

YAML reads `.nan`, `.inf`, `-0.0`, `1e-300` and `1.7e308` as numbers, and Babel prints them
as "NaN%", "EUR ∞", "-0%" and "0%": legal text that is silently wrong. Every number in a
deal must be finite, not minus zero, at most MAX_MAGNITUDE, and have no more decimal places
than the documents print (formatting.number shows at most four).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from clausesmith.errors import Problem
from clausesmith.inputs.yamlio import Marks, PathKey, dotted

MAX_MAGNITUDE = 10**15  # a thousand trillion: above any figure a deal states
MAX_DECIMALS = 4  # as many as the documents print


def misprinted_numbers(data: Any, marks: Marks, file: str) -> list[Problem]:
    """A located problem for each number in `data` that a document would misprint."""
    problems = []
    for path, value in _numbers(data, ()):
        message = _why_misprinted(value)
        if message:
            where = marks.locate(path)
            line, column = where if where else (None, None)
            problems.append(Problem(file, line, column, dotted(path), message))
    return problems


def _numbers(value: Any, path: PathKey) -> Iterator[tuple[PathKey, int | float]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, (*path, index))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def _why_misprinted(value: int | float) -> str | None:
    if isinstance(value, float) and math.isnan(value):
        return "is not a number (.nan); write the figure in digits, e.g. 2.5"
    if isinstance(value, float) and math.isinf(value):
        return "is infinite (.inf); write the figure in digits, e.g. 2.5"
    if isinstance(value, float) and value == 0 and math.copysign(1, value) < 0:
        return "is minus zero, which documents would print as -0; write 0"
    if abs(value) > MAX_MAGNITUDE:
        return f"is larger than {MAX_MAGNITUDE:,}, more than any figure a deal states"
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        shown = f"{round(value, MAX_DECIMALS):.{MAX_DECIMALS}f}".rstrip("0").rstrip(".")
        return (
            f"has more than {MAX_DECIMALS} decimal places, so documents would print it as "
            f"{shown}; round it to {MAX_DECIMALS} places or fewer"
        )
    return None


def number_text(value: Any) -> str:
    """A number as a deal writes it, for a message: 2500000, 1250000.5, never 2.5e+06."""
    return format(Decimal(str(value)).normalize(), "f")
