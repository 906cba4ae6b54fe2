"""docs/security.md states every bound with the constant it comes from: each number on the
page must equal its constant, so the page cannot drift from the code."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from clausesmith.templating.limits import REMOVED_FILTERS

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
ROW = re.compile(r"^\| (?P<what>[^|]+?) \| (?P<bound>[^|]+?) \| `(?P<constant>[\w.]+)` \|$", re.M)
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _constant(dotted: str) -> object:
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _rows() -> list[tuple[str, str, str]]:
    return [(m["what"], m["bound"], m["constant"]) for m in ROW.finditer(DOC.read_text("utf-8"))]


def test_every_number_on_the_page_is_its_constants_value() -> None:
    rows = _rows()
    assert len(rows) >= 45, len(rows)
    wrong = []
    for what, bound, dotted in rows:
        found = NUMBER.search(bound)
        assert found, f"{what}: no number in {bound!r}"
        stated = float(found.group().replace(",", ""))
        actual = _constant(dotted)
        assert isinstance(actual, int | float), dotted
        if stated != actual:
            wrong.append(f"{what}: the page says {found.group()}, {dotted} is {actual:,}")
    assert not wrong, "\n".join(wrong)


def test_every_constant_named_is_stated_once() -> None:
    constants = [dotted for _, _, dotted in _rows()]
    assert len(constants) == len(set(constants))


def test_the_removed_filters_are_the_ones_the_sandbox_removes() -> None:
    text = DOC.read_text("utf-8")
    sentence = text[text.index("Removed filters") : text.index("They build far")]
    named = set(re.findall(r"`(\w+)`", sentence.split(":", 1)[1]))
    assert named == set(REMOVED_FILTERS)


def test_the_page_names_a_constant_that_drifted(tmp_path: Path) -> None:
    """The check itself can fail: a page with one number changed is caught."""
    text = DOC.read_text("utf-8").replace(
        "| 100,000 bytes | `clausesmith.config", "| 99 bytes | `clausesmith.config", 1
    )
    (bound,) = [
        m["bound"] for m in ROW.finditer(text) if m["constant"].endswith("MAX_CONFIG_BYTES")
    ]
    assert float(NUMBER.search(bound).group().replace(",", "")) != _constant(  # type: ignore[union-attr]
        "clausesmith.config.MAX_CONFIG_BYTES"
    )
