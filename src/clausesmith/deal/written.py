"""A value as the deal file writes it: `{provider: WIPO, days: 60}`, `2019-05-14`, `1500000`,
`true`, never Python's `Mediation(provider='WIPO', days=60)` or `Decimal('1500000')`.

What `explain` and the guardrails' figures show, so counsel can find it in the file."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from clausesmith.deal.build import file_key


def as_written(value: Any) -> str:
    """YAML's flow style for one value of the deal (or of its model)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ((file_key(f), getattr(value, f.name)) for f in dataclasses.fields(value))
        return "{" + ", ".join(f"{k}: {as_written(v)}" for k, v in fields) + "}"
    if isinstance(value, tuple) and value and all(_pair(v) for v in value):
        value = dict(value)  # the model keeps a mapping (market shares) as (key, value) pairs
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {as_written(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(as_written(v) for v in value) + "]"
    return str(value)


def _pair(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
