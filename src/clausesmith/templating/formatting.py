"""Dates, numbers, money and names written the way the deal's locale writes them (Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from num2words import num2words

from clausesmith.deal.validator import COUNTRIES, REGIONS, subdivisions


def babel_locale(locale: str) -> str:
    return locale.replace("-", "_")


def date(value: dt.date, locale: str) -> str:
    """2 March 2026 (en-GB) or March 2, 2026 (en-US)."""
    return str(format_date(value, format="long", locale=babel_locale(locale)))


def number(value: Decimal | int | float, locale: str) -> str:
    """1,500,000 or 2.5: grouping by locale, no trailing zeros."""
    return str(format_decimal(value, format="#,##0.####", locale=babel_locale(locale)))


def money(value: Decimal | int, currency: str, locale: str) -> str:
    """EUR 1,500,000 or EUR 1,500,000.50: ISO code first, as agreements write it."""
    amount = Decimal(value)
    pattern = "¤¤\u00a0#,##0" if amount == amount.to_integral_value() else "¤¤\u00a0#,##0.00"
    text = format_currency(
        amount, currency, format=pattern, locale=babel_locale(locale), currency_digits=False
    )
    return str(text).replace("\u00a0", " ")


def percent(value: Decimal | int | float, locale: str) -> str:
    """2%, 1.5%: the number as written, then a percent sign."""
    return f"{number(value, locale)}%"


def country(code: str) -> str:
    """Germany, Delaware, United States; the regions by their usual names."""
    regions = {
        "WORLD": "worldwide",
        "EU": "the European Union",
        "EEA": "the European Economic Area",
    }
    if code in REGIONS:
        return regions[code]
    if "-" in code:
        name, country_code = subdivisions()[code]
        return f"{name}, {country(country_code)}"
    found = COUNTRIES.get(alpha_2=code)
    return str(getattr(found, "common_name", None) or getattr(found, "name", code))


def join_and(items: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    """a, b and c."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def words(value: int) -> str:
    """A count in words with the figure after it, as drafters write it: twenty-four (24).

    Past 999 the figure alone reads better than a line of words.
    """
    if not 0 <= value < 1000:
        return str(value)
    return f"{num2words(value, lang='en')} ({value})"
