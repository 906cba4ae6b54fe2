"""Dates, numbers, money and names written the way the deal's locale writes them (Babel)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from num2words import num2words

from clausesmith.inputs.iso import COUNTRIES, REGIONS, subdivisions


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
        return f"{name}, {country_name(country_code)}"
    return _with_article(country_name(code))


def country_name(code: str) -> str:
    """The ISO 3166 short name as counsel write it, from pycountry: "Korea, Republic of"
    turned round to "Republic of Korea" (not the colloquial "South Korea"); otherwise
    pycountry's common name where a comma would read badly ("Taiwan"), else its name."""
    found = COUNTRIES.get(alpha_2=code)
    name = str(getattr(found, "name", code))
    head, sep, tail = name.partition(", ")
    if sep and re.search(r"\bof(?: the)?$", tail):
        tail = tail.removeprefix("The ")  # "Congo, The Democratic Republic of the"
        return f"{tail} {head}"
    if sep:
        return str(getattr(found, "common_name", None) or name)
    return name


# Short names that take "the" in running text ("the laws of the United Kingdom"): a rule of
# English grammar on the name's form, not a list of countries.
_ARTICLE = re.compile(
    r"^(United|Republic|Kingdom|Federated|Democratic|Islamic|Plurinational|Bolivarian|Holy|"
    r"Russian|Central African|Dominican|Czech|State of|Sultanate)\b"
    r"|(Islands|Republic|Federation|Emirates|Netherlands|Philippines|Bahamas|Gambia|Maldives)$"
)


def _with_article(name: str) -> str:
    return f"the {name}" if _ARTICLE.search(name) else name


# The law areas of the United Kingdom: a company "organised under the laws of the United
# Kingdom" does not exist; England and Wales is one jurisdiction, Scotland another.
_UK_LAW_AREAS = {
    "GB": "England and Wales",
    "GB-ENG": "England and Wales",
    "GB-WLS": "England and Wales",
    "GB-SCT": "Scotland",
    "GB-NIR": "Northern Ireland",
}


def law_area(code: str) -> str:
    """What follows "organised under the laws of": England and Wales for GB, else the place."""
    return _UK_LAW_AREAS.get(code) or country(code)


def join_and(
    items: list[str] | tuple[str, ...], conjunction: str = "and", *, serial: bool = False
) -> str:
    """a, b and c; with `serial` (US style) a, b, and c."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    comma = "," if serial and len(items) > 2 else ""
    return f"{', '.join(items[:-1])}{comma} {conjunction} {items[-1]}"


def words(value: int) -> str:
    """A count in words with the figure after it, as drafters write it: twenty-four (24).

    Past 999 the figure alone reads better than a line of words.
    """
    if not 0 <= value < 1000:
        return str(value)
    return f"{num2words(value, lang='en')} ({value})"
