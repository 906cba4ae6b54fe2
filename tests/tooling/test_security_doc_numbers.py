"""The limits docs/security.md states are the constants the code enforces."""

from __future__ import annotations

from clausesmith.inputs import validator, yamlio
from clausesmith.templating import limits
from helpers.deals import ROOT

TEXT = " ".join((ROOT / "docs" / "security.md").read_text(encoding="utf-8").split())


def test_each_input_limit_the_page_states_is_the_codes() -> None:
    assert f"at most {yamlio.MAX_BYTES:,} bytes" in TEXT
    assert f"{yamlio.MAX_NODES:,} values and {yamlio.MAX_DEPTH} levels of nesting" in TEXT
    assert f"At most {validator.MAX_ERRORS} problems are listed at once" in TEXT


def test_each_template_limit_the_page_states_is_the_codes() -> None:
    assert f"no value over {limits.MAX_STRING:,} characters or {limits.MAX_ITEMS:,} items" in TEXT
    assert f"at most {limits.MAX_STEPS:,} loop steps and calls" in TEXT
    assert f"calls nested at most {limits.MAX_DEPTH} deep" in TEXT
    assert f"at most {limits.MAX_OUTPUT:,} characters of output" in TEXT
    assert f"more than {limits.MAX_NESTING} expressions or {limits.MAX_BLOCKS} blocks deep" in TEXT
