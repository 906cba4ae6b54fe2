"""Where a courts forum sits: a US place needs the state and federal courts of a city or county.

US patent claims lie within the exclusive jurisdiction of the federal courts (28 U.S.C.
§1338(a)), so "the courts of the State of New York" cannot hear one, and "the courts of
Delaware" does not say which. A US place is written "city or county, State" ("New York
County, New York"); the State is recognised by its ISO 3166-2 name or code (pycountry), not
by a list kept here.
"""

from __future__ import annotations

import re

from clausesmith.inputs.iso import subdivisions


def _states() -> dict[str, str]:
    """Each US State's name and two-letter code (lowercase) -> its name."""
    found: dict[str, str] = {}
    for code, (name, country) in subdivisions().items():
        if country == "US":
            found[name.lower()] = name
            found[code.removeprefix("US-").lower()] = name
    return found


def _bare(text: str) -> str:
    return re.sub(r"^(the\s+)?(state|commonwealth)\s+of\s+", "", text.strip(), flags=re.I)


def us_state(place: str) -> str | None:
    """The US State a courts place lies in ("New Castle County, Delaware" -> Delaware)."""
    last = place.rsplit(",", 1)[-1]
    return _states().get(_bare(last).lower())


def names_only_a_state(place: str) -> bool:
    """ "Delaware", "the State of New York": a State alone, no city or county."""
    return "," not in place and us_state(place) is not None
