"""What to type instead: the value a person most likely meant, for a value the schema refuses.

Only hints whose meaning is certain are given: `"25000000"` is 25000000, `5%` is 5 in a
field of percentages, `Japan` is JP. A hint is a suggestion in the message, never a value
put into the deal: the file stays what its author wrote, and the document what the file says.
"""

from __future__ import annotations

import re
from typing import Any

from clausesmith.inputs.iso import COUNTRIES, SUBDIVISIONS

PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")


def number_hint(value: Any) -> str:
    """For text where a number is expected: ' (drop the %: 5)', or ''."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if PLAIN_NUMBER.fullmatch(text):
        return f" (drop the quotes: {text})"
    if text.endswith("%") and PLAIN_NUMBER.fullmatch(text[:-1].strip()):
        return f" (drop the %: {text[:-1].strip()})"
    if THOUSANDS.fullmatch(text):
        return (
            f" (no thousands separators: write {text.replace(',', '')}, "
            f"or {text.replace(',', '_')})"
        )
    if DECIMAL_COMMA.fullmatch(text):
        return f" (write the decimal point as a full stop: {text.replace(',', '.')})"
    return ""


def _squashed(text: str) -> str:
    return re.sub(r"[-_\s]+", "_", text.strip().lower())


def choice_hint(value: Any, allowed: list[Any]) -> str:
    """For a value not among `allowed`: "; did you mean 'royalty_free'?" when it differs from
    one of them only in case, hyphens, underscores or spaces; else ''."""
    if not isinstance(value, str):
        return ""
    same = [a for a in allowed if isinstance(a, str) and _squashed(a) == _squashed(value)]
    return f"; did you mean {same[0]!r}?" if len(same) == 1 else ""


def country_hint(value: Any, subdivisions: bool = False) -> str:
    """For a country written as a name or another code: "; did you mean 'JP'?", or ''.

    pycountry knows names, official names and alpha-3 codes (Japan, DEU); with
    `subdivisions`, ISO 3166-2 names too (Delaware: US-DE)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    if "-" in text and len(text) <= 6:  # us-de: a subdivision code in the wrong case
        found = SUBDIVISIONS.get(code=text.upper()) if subdivisions else None
        return f"; did you mean {text.upper()!r}?" if found else ""
    try:
        return f"; did you mean {COUNTRIES.lookup(text).alpha_2!r}?"
    except LookupError:
        pass
    if subdivisions:
        try:
            return f"; did you mean {SUBDIVISIONS.lookup(text).code!r}?"
        except LookupError:
            pass
    return ""
