"""The Territory as a set of countries: regions expanded, exclusions taken out.

Guardrails read the countries a licence reaches, never the spelling of the list: "WORLD
excluding EU" leaves out Germany as surely as "exclude: [DE]" does (docs/legal-basis.md,
Art 4(1)(c)).
"""

from __future__ import annotations

import functools

from clausesmith.deal import model
from clausesmith.inputs.iso import COUNTRIES
from clausesmith.templating.formatting import country, join_and

# The Member States, kept by hand: pycountry knows countries, not unions. Current since
# 1 February 2020 (the United Kingdom left); change it with a CHANGELOG line.
EU = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
    }
)
EEA = EU | {"IS", "LI", "NO"}


@functools.cache
def world() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in COUNTRIES)


def expand(code: str) -> frozenset[str]:
    """The countries a code of the deal names: WORLD, EU, EEA or one ISO 3166-1 country."""
    if code == "WORLD":
        return world()
    if code == "EU":
        return EU
    if code == "EEA":
        return EEA
    return frozenset({code})


def countries(territory: model.Territory) -> frozenset[str]:
    included = frozenset().union(*(expand(c) for c in territory.include))
    excluded = frozenset().union(*(expand(c) for c in territory.exclude))
    return included - excluded


def home(party: model.Party) -> str:
    """The country a party is established in: DE, or US for US-DE."""
    return party.jurisdiction.split("-")[0]


def describe(territory: model.Territory) -> str:
    """`worldwide excluding the European Union`, as counsel would read the list."""
    named = join_and([country(c) for c in territory.include])
    if not territory.exclude:
        return named
    return f"{named} excluding {join_and([country(c) for c in territory.exclude])}"


def names(codes: frozenset[str] | set[str]) -> str:
    """Germany (DE) and United States (US), in the order of their names."""
    return join_and(sorted(f"{country(c)} ({c})" for c in codes))
