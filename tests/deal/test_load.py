"""Stage 1: reading, validating and building the deal."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clausesmith.deal.load import load
from clausesmith.errors import InvalidInput
from helpers.deals import ACME, MINIMAL

FURTHER_HEADS = (
    "release",
    "duration",
    "insolvency",
    "affiliates",
    "products",
    "grant",
    "liability",
    "standards",
    "defensive_suspension",
)


@functools.cache
def no_defaults(name: str) -> dict[str, Any]:
    """The shipped playbook's defaults (the reference deal fills every key itself)."""
    from clausesmith.library.playbook import load_playbook
    from clausesmith.resources import bundled

    return load_playbook(bundled("playbooks"), name).defaults


def messages(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load(path, no_defaults, label="deal.yaml")
    return [str(p) for p in caught.value.problems]


def test_reference_deal_loads_into_frozen_dataclasses() -> None:
    deal = load(ACME, no_defaults)
    assert deal.deal.id == "acme-beta-2026"
    assert deal.deal.date == dt.date(2026, 3, 2)
    assert [p.name for p in deal.parties] == ["Acme Robotics, Inc.", "Beta Automation GmbH"]
    assert deal.royalties.cap is not None and deal.royalties.cap.amount == Decimal("1500000")
    assert deal.royalties.rate_pct == Decimal("2.0")
    # The keys added in later rounds are left to the playbook, as the shared reference has
    # them not.
    assert deal.defaulted == (
        "relationship.substitute_technologies",
        "term.sell_off_months",
        "term.ends",
        "grant_back.milestones",
        "grant_back.blocking",
        "grant_back.blocking_share_pct",
        "royalties.instalments",
        "royalties.rate_schedule",
        "royalties.confidential",
        "royalties.taxes",
        "challenge.costs",
        "governance.form",
        "governance.clean_team",
        "dispute_resolution.courts",
        *FURTHER_HEADS,
        "other_terms",
    )
    with pytest.raises(AttributeError):
        deal.deal.id = "other"  # type: ignore[misc]


def test_every_schema_error_is_reported_at_once_with_line_and_hint(
    write_deal: Callable[..., Path],
) -> None:
    text = ACME.read_text(encoding="utf-8")
    text = text.replace("  locale: en-GB", "  locle: en-GB")
    text = text.replace("  years: 7", "  years: seven")
    text = text.replace("cap: {amount: 1500000", "cap: {amount: -5")
    path = write_deal(text)
    assert messages(path) == [
        "deal.yaml:12:3: deal.locle: unknown key; did you mean 'locale'?",
        "deal.yaml:57:10: term.years: expected a whole number, got 'seven'",
        "deal.yaml:80:17: royalties.cap.amount: expected a positive number, got -5",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"grant_back": {"royalty": "bearing", "royalty_rate_pct": None}},
            "grant_back.royalty_rate_pct: a royalty-bearing grant-back needs a rate; "
            "give royalty_rate_pct",
        ),
        (
            {
                "royalties": {
                    "structure": "tiered",
                    "tiers": [
                        {"up_to": 5000000, "rate_pct": 2},
                        {"up_to": 1000000, "rate_pct": 1},
                        {"up_to": None, "rate_pct": 1},
                    ],
                }
            },
            "royalties.tiers[1].up_to: tiers must ascend: 1000000 is not above 5000000",
        ),
        (
            {"prosecution": {"cost_share_pct": {"acme": 60, "beta": 50}}},
            "prosecution.cost_share_pct: cost shares must sum to 100, got 110",
        ),
        (
            {"governance": {"grant_back_review": {"necessity": 50}}},
            "governance.grant_back_review: review weights must sum to 100, got 110",
        ),
        (
            {"royalties": {"scenarios": {"worst": 9, "base": 8, "best": 10}}},
            "royalties.scenarios: scenarios must be ordered worst <= base <= best, got 9, 8, 10",
        ),
        (
            {"royalties": {"payer": "gamma"}},
            "royalties.payer: 'gamma' names no party; use 'acme' or 'beta'",
        ),
    ],
)
def test_cross_field_rules_are_invalid_input(
    variant: Callable[..., Path], changes: dict[str, Any], expected: str
) -> None:
    found = messages(variant(changes))
    assert len(found) == 1
    assert found[0].split(": ", 1)[1] == expected


def test_country_and_currency_codes_come_from_iso_lists(variant: Callable[..., Path]) -> None:
    found = messages(
        variant({"royalties": {"currency": "EUX"}, "territory": {"include": ["DE", "FR", "QQ"]}})
    )
    assert [m.split(": ", 1)[1] for m in found] == [
        "territory.include[2]: expected an ISO 3166-1 alpha-2 code or one of WORLD, EU, EEA, "
        "got 'QQ'",
        "royalties.currency: expected an ISO 4217 currency code (EUR, USD), got 'EUX'",
    ]


def test_duplicate_keys_are_refused(write_deal: Callable[..., Path]) -> None:
    text = ACME.read_text(encoding="utf-8").replace(
        "  locale: en-GB", "  locale: en-GB\n  locale: en-US"
    )
    assert messages(write_deal(text)) == [
        "deal.yaml:13:3: deal.locale: duplicate key (first given on line 12); keep one of them"
    ]


def test_a_list_is_not_a_deal(write_deal: Callable[..., Path]) -> None:
    assert messages(write_deal("- one\n- two\n")) == [
        "deal.yaml:1:1: expected a deal (a mapping of sections such as clausesmith, deal, "
        "parties), got a list"
    ]


def test_missing_sections_take_the_playbook_defaults(write_deal: Callable[..., Path]) -> None:
    from helpers.deals import MINIMAL

    seen = []

    def defaults(name: str) -> dict[str, Any]:
        seen.append(name)
        from clausesmith.library.playbook import load_playbook
        from clausesmith.resources import bundled

        return load_playbook(bundled("playbooks"), name).defaults

    deal = load(MINIMAL, defaults)
    assert set(seen) == {"cross-licence-standard"}
    assert "royalties" in deal.defaulted and "grant_back" in deal.defaulted
    assert deal.deal.locale == "en-US"  # New York law, no locale given
    assert deal.deal.effective_date == deal.deal.date


def test_defaults_fill_a_copy_and_leave_the_parsed_deal_as_it_was(
    acme_data: dict[str, Any],
) -> None:
    """load_parsed fills left-out keys from the playbook without changing its input, which
    callers (lint, impact, explain) may read again."""
    from clausesmith.deal.load import load_parsed
    from clausesmith.inputs.yamlio import Loaded, Marks
    from clausesmith.pipeline import Inputs
    from clausesmith.resources import Sources

    del acme_data["audit"]
    del acme_data["term"]["years"]
    before = copy.deepcopy(acme_data)
    inputs = Inputs(Sources.resolve())
    deal = load_parsed(
        Loaded(acme_data, Marks(), "deal.yaml"), lambda name: inputs.playbook(name).defaults, "0"
    )
    assert acme_data == before
    assert "audit" in deal.defaulted and "term.years" in deal.defaulted
    assert deal.term.years == inputs.playbook(deal.deal.playbook).defaults["term"]["years"]


ROAD_CASES = {
    "reference deal": ACME.read_text(encoding="utf-8"),
    "minimal deal": MINIMAL.read_text(encoding="utf-8"),
    "deep block nesting": "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + "  " * 40 + "x: 1\n",
    "deep flow nesting": "notes: " + "[" * 40 + "]" * 40 + "\n",
    "too many values": "notes: [" + "1, " * 25_000 + "1]\n",
    "too many keys": "".join(f"{i}: 1\n" for i in range(12_000)),
    "duplicate key": "deal:\n  id: a\n  id: b\n",
    "second document": "a: 1\n---\nb: 2\n",
    "impossible date": "date: 2026-02-30\n",
    "control character": 'name: "Acme\\u0007 Ltd"\n',
    "tab indentation": "deal:\n\tid: a\n",
    "list as a key": "? [a, b]\n: 1\n",
    "empty": "",
}


@pytest.mark.parametrize("name", ROAD_CASES)
def test_the_c_composer_road_reads_as_the_python_composer_does(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """yamlio composes small files without tags or aliases in C and counts values while
    building; the result, or the problem reported, is the Python composer's to the letter."""
    from clausesmith.inputs import yamlio

    text = ROAD_CASES[name]
    assert yamlio._TAG_OR_ALIAS.search(text) is None and len(text) <= yamlio.FAST_BYTES

    def outcome() -> Any:
        try:
            loaded = yamlio.parse(text, "f.yaml")
        except InvalidInput as exc:
            return exc.problems
        return loaded.data, loaded.marks.keys, loaded.marks.values

    fast = outcome()
    monkeypatch.setattr(yamlio, "_CLoader", None)  # every file through the Python composer
    assert fast == outcome()
