"""Deals written as JSON (`*.json`), as tools that generate deals write them.

JSON's grammar decides what is valid (a trailing comma is an error, `1e5` is a number);
YAML, which reads JSON too, then gives the same limits as a YAML deal (size, nesting,
duplicate keys, control characters) and every key's line and column for messages. Dates
are ISO 8601 text, which inputs/dates.py takes wherever a date is expected."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from clausesmith.errors import invalid
from clausesmith.inputs.yamlio import Loaded, parse

SUFFIX = ".json"


def parse_json(text: str, file: str) -> Loaded:
    """The deal in `text`, with its marks; InvalidInput naming line and column if broken."""
    try:
        data = json.loads(
            text, parse_constant=_no_constant, parse_int=_integer, parse_float=_decimal
        )
    except _Number as exc:
        line, column = _position(text, exc.text)
        raise invalid(file, "", exc.message, line, column) from None
    except json.JSONDecodeError as exc:
        raise invalid(file, "", f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except _Constant as exc:  # NaN, Infinity: JSON's grammar refuses them, Python's not
        line, column = _position(text, exc.name)
        message = f"{exc.name} is not a number; write a number"
        raise invalid(file, "", message, line, column) from None
    except RecursionError:  # the YAML reading below says how deep is too deep
        data = None
    marked = parse(text, file)
    return Loaded(data if data is not None else marked.data, marked.marks, file)


MAX_DIGITS = 30  # in a JSON number: a deal's figures stay under 10**15


class _Number(Exception):
    def __init__(self, text: str, message: str) -> None:
        self.text, self.message = text, message


def _integer(text: str) -> int:
    """An integer of at most MAX_DIGITS digits (Python refuses to read more than 4,300, and
    no figure of a deal needs a twentieth)."""
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _Number(text, f"a number of {digits:,} digits; a deal's figures have at most "
                      f"{MAX_DIGITS}")  # fmt: skip
    return int(text)


def _decimal(text: str) -> float:
    """A number with a fraction or exponent, refused unless it reads back exactly as
    written: 2.0000000000000000000000001 would silently be 2.0."""
    if len(text) > MAX_DIGITS + 10:
        raise _Number(text[:40], f"a number of {len(text):,} characters; a deal's figures "
                      f"have at most {MAX_DIGITS} digits")  # fmt: skip
    value = float(text)
    try:
        exact = Decimal(text) == Decimal(repr(value))
    except InvalidOperation:
        exact = False
    if not exact:
        raise _Number(
            text,
            f"{text} cannot be held exactly (it would be read as {value!r}); write it with "
            "fewer digits",
        )
    return value


class _Constant(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _no_constant(name: str) -> NoReturn:
    raise _Constant(name)


def _position(text: str, word: str) -> tuple[int, int]:
    before = text[: max(text.find(word), 0)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def is_json(name: str) -> bool:
    return name.lower().endswith(SUFFIX)
