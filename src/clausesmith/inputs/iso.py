"""ISO 3166 country and subdivision codes and ISO 4217 currency codes, from pycountry:
what a jurisdiction, a territory and a currency in an input file may be."""

from __future__ import annotations

import functools
from typing import Any

import pycountry

from clausesmith import compile_cache

REGIONS = ("WORLD", "EU", "EEA")
# pycountry's lookups are untyped; these are the only handles the project uses.
COUNTRIES: Any = pycountry.countries
SUBDIVISIONS: Any = pycountry.subdivisions
CURRENCIES: Any = pycountry.currencies


def is_country(code: str) -> bool:
    return len(code) == 2 and COUNTRIES.get(alpha_2=code) is not None


def is_subdivision(code: str) -> bool:
    return "-" in code and code in subdivisions()


@functools.cache
def subdivisions() -> dict[str, tuple[str, str]]:
    """Every ISO 3166-2 code, with its name and country code. pycountry reads its whole
    subdivision database (some 5,000 records) on first use, which costs more than a deal;
    these three fields are kept in the compile cache instead."""
    return compile_cache.remember(
        "subdivisions",
        (),
        lambda: {s.code: (s.name, s.country_code) for s in SUBDIVISIONS},
    )


def is_currency(code: str) -> bool:
    return len(code) == 3 and CURRENCIES.get(alpha_3=code) is not None
