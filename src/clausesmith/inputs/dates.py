"""Dates written as ISO 8601 text become dates, wherever the schema expects a date.

YAML reads `2026-03-02` as a date but `"2026-03-02"` as text, and JSON (what a tool that
generates deals writes) has no dates at all: both are the same date to a reader, so both are
taken. Only the calendar form YYYY-MM-DD is: `05/11/2026` is a different date in London and
New York, and a time (`2026-03-02T10:00`) is not a date; the schema refuses both, showing
the form to type."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from clausesmith.inputs.yamlio import PathKey

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The years a deal's dates may fall in: a term, a renewal or a capture period counted on
# from one (at most MAX_YEARS_COUNTED years each) stays a date Python can hold (to 9999).
FIRST_YEAR, LAST_YEAR = 1900, 2199
MAX_YEARS_COUNTED = 99  # the most years a term, renewal or period of a deal may count


def dates_from_text(data: Any, schema: dict[str, Any]) -> list[tuple[PathKey, str]]:
    """Replace, in place, each ISO date string where `schema` wants a date; return
    (path, message) for each string of that form that names no calendar day."""
    problems: list[tuple[PathKey, str]] = []
    _walk(data, {"type": "dict", "schema": schema}, (), problems)
    return problems


def _walk(value: Any, rules: dict[str, Any], path: PathKey, problems: list[Any]) -> None:
    kind, inner = rules.get("type"), rules.get("schema")
    if kind == "dict" and isinstance(value, dict) and isinstance(inner, dict):
        for key, item in list(value.items()):
            if key in inner:
                if inner[key].get("type") == "date" and isinstance(item, str | dt.date):
                    value[key] = _date(item, (*path, key), problems)
                else:
                    _walk(item, inner[key], (*path, key), problems)
    elif kind == "list" and isinstance(value, list) and isinstance(inner, dict):
        for i, item in enumerate(value):
            if inner.get("type") == "date" and isinstance(item, str | dt.date):
                value[i] = _date(item, (*path, i), problems)
            else:
                _walk(item, inner, (*path, i), problems)


def _date(text: str | dt.date, path: PathKey, problems: list[Any]) -> Any:
    if isinstance(text, dt.date):
        return _in_range(text, path, problems)
    if not ISO_DATE.fullmatch(text):
        return text  # the schema says what to type instead
    try:
        return _in_range(dt.date.fromisoformat(text), path, problems)
    except ValueError as exc:  # 2026-02-30: the form is right, the day does not exist
        problems.append((path, f"{text!r} is a date that does not exist ({exc})"))
        return text


def _in_range(day: dt.date, path: PathKey, problems: list[Any]) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.append(
            (path, f"{day.isoformat()} is outside the years {FIRST_YEAR} to {LAST_YEAR} a deal's "
             "dates may fall in; give the date as the parties mean it")
        )  # fmt: skip
    return day


def add_years(start: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year; a
    date past the calendar's last year is its last day."""
    if start.year + years > dt.MAXYEAR:
        return dt.date.max
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)
