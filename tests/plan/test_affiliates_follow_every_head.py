"""Whatever `affiliates` chooses, every head that names affiliates follows it: the licensed
subsidiaries are called so in the Parties, Licensed Patents, Capture Period, Release,
Standstill, Have-Made and Royalties heads; a reasonable-efforts duty never sits beside "will
procure", "responsible for their compliance" or a release given "for itself and its"
affiliates; the parties alone are licensed with no sub-licence; and being acquired never
licenses the acquirer's group. Checked in both locales, for scheduled and portfolio licences."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausesmith.library.clause import overlay
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources

ROOT = Path(__file__).resolve().parents[2]
REFERENCE: dict[str, Any] = yaml.safe_load(
    (ROOT / "examples" / "acme-beta.yaml").read_text(encoding="utf-8")
)
INPUTS = Inputs(Sources.resolve())
HEADS = (
    "Parties",
    "Licensed Patents",
    "Capture Period",
    "Release of Past Infringement",
    "Standstill and Without-Prejudice Exchanges",
    "Have-Made Rights and Customers",
    "Royalties",
)


def render(tmp_path: Path, changes: dict[str, Any]) -> str:
    path = tmp_path / "deal.yaml"
    data = overlay(REFERENCE, changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rendered = render_deal(path, INPUTS, out_dir=tmp_path / "out")
    return rendered.files["term-sheet.md"].decode("utf-8")


def head(text: str, heading: str) -> str:
    # an en-US deal spells "Licence" the US way in headings; these headings have no "licence"
    return next(line for line in text.splitlines() if re.match(rf"^\| \d+\. {heading} \|", line))


COMBINATIONS = list(
    itertools.product(
        ["en-GB", "en-US"],
        ["all_affiliates", "subsidiaries", "party_only"],
        ["procure", "reasonable_efforts"],
        ["scheduled", "portfolio"],
    )
)


@pytest.mark.parametrize(("locale", "licensed", "binding", "scope"), COMBINATIONS)
def test_every_head_that_names_affiliates_follows_the_affiliates_section(
    tmp_path: Path, locale: str, licensed: str, binding: str, scope: str
) -> None:
    text = render(
        tmp_path,
        {
            "deal": {"locale": locale},
            "patents": {"scope": scope},
            "affiliates": {"licensed": licensed, "binding": binding},
        },
    )
    for heading in HEADS:
        row = head(text, heading)
        if licensed != "all_affiliates":  # nobody else's Affiliates are licensed or bound
            assert not re.search(r"(or|and|nor) its Affiliates|party\u2019s Affiliates", row), (
                heading,
                row,
            )
        if licensed == "subsidiaries" and heading not in (
            "Standstill and Without-Prejudice Exchanges",
        ):
            assert "licensed subsidiaries" in row, heading
    if binding == "reasonable_efforts" or licensed == "party_only":
        assert "will procure" not in text.replace("reasonable efforts to procure", "")
        assert "responsible for their compliance" not in text
        assert "for itself and its" not in text
    else:
        assert "will procure that" in head(text, "Affiliates, Acquisitions and Divestitures")
    if licensed == "party_only":
        sub = "sublicense" if locale == "en-US" else "sub-license"  # US spelling
        assert f"without any right to {sub}" in head(text, "Licensed Patents")
    # being acquired: the acquirer and its group stay out, whatever the position
    assert (
        "If a party itself comes under the control of another entity, neither that entity nor "
        "any company it controls"
    ) in head(text, "Affiliates, Acquisitions and Divestitures")


@pytest.mark.parametrize("test", ["more_than", "at_least"])
def test_full_ownership_prints_all_of_the_voting_rights_never_a_percentage(
    tmp_path: Path, test: str
) -> None:
    text = render(
        tmp_path,
        {"affiliates": {"licensed": "subsidiaries", "control_pct": 100, "control_test": test}},
    )
    affiliates = head(text, "Affiliates, Acquisitions and Divestitures")
    assert "holds all of the voting rights" in affiliates
    assert "100%" not in text


def test_the_acquirer_of_a_party_keeps_its_own_patents_and_products_out(tmp_path: Path) -> None:
    text = render(tmp_path, {"affiliates": {"acquired_volume_cap": True}})
    row = head(text, "Affiliates, Acquisitions and Divestitures")
    # the rule that brings companies in is for companies a party comes to control ...
    assert "A company that a party comes to control after the Effective Date" in row
    assert "becomes a party\u2019s Affiliate" not in row
    # ... and the acquirer of a party stays out, its acquired lines capped at their volume
    assert "none of their patents will become Licensed Patents; the licences of the party" in row
    assert "each up to its volume in the twelve (12) months before it" in row
