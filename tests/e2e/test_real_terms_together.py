"""Every key real cross-licences need, set away from its default at once, with the positions
it meets: both locales, licensed subsidiaries or all Affiliates, scheduled or portfolio
licences. Each says what it should, in the head it belongs to, and no head is left behind."""

from __future__ import annotations

import datetime as dt
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

ALL_KEYS: dict[str, Any] = {
    "patents": {"ownership": "at_any_time"},
    "release": {
        "claims": "all_claims",
        "includes": ["the claims made in the action between the parties in Munich"],
    },
    "related_agreements": [
        {
            "title": "Development Agreement",
            "date": dt.date(2019, 5, 1),
            "effect": "not_stated",
            "amended_by": [{"title": "First Amendment", "date": dt.date(2021, 2, 1)}],
            "prevails_on": ["the ownership of jointly developed tooling"],
        }
    ],
    "affiliates": {
        "control_test": "at_least",
        "acquired_volume_cap": True,
        "excluded_developments": True,
        "confirm_days": 30,
    },
    "field": {"per_licensee": [{"licensee": "beta", "have_made": "unrestricted"}]},
    "defensive_suspension": {"effect": "terminate", "trigger": "any_assertion"},
    "duration": {
        "terminate_on_insolvency": "automatic",
        "non_payment_days": 45,
        "non_payment_amounts": "any",
    },
    "royalties": {
        "confidential": True,
        "rate_schedule": [{"from": dt.date(2029, 4, 1), "rate_pct": 1.5}],
    },
    "other_terms": {
        "representations": [
            {"by": "beta", "text": "it has made no filing for insolvency", "remedy": "none"}
        ]
    },
}

# (heading, words); "{licensed}" stands for the affiliates the deal licenses
SAYS = [
    (
        "Capture Period",
        "so that neither party can acquire such patents to assert against the other",
    ),
    ("Release of Past Infringement", "their directors and officers"),
    ("Release of Past Infringement", "and in particular the claims made in the action between"),
    ("Related Agreements", "as amended by the First Amendment dated"),
    ("Related Agreements", "it will prevail over the Agreement on the ownership of jointly"),
    ("Affiliates, Acquisitions and Divestitures", "develops jointly with an independent third"),
    ("Affiliates, Acquisitions and Divestitures", "within thirty (30) days, whether an entity"),
    ("Affiliates, Acquisitions and Divestitures", "each up to its volume in the twelve (12)"),
    ("Have-Made Rights and Customers", "however, will include the right to have Licensed"),
    ("Defensive Suspension", "terminate the licen"),
    ("Defensive Suspension", "any product, process or service in the Licensed Field"),
    ("Licen", "will end automatically, without notice, if that party, as licensee"),
    ("Licen", "whether or not it disputes the amount, within forty-five (45) days"),
    ("Royalties", "set out in the Confidential Schedule"),
    ("Other Terms", "Representations. Beta represents to Acme that it has made no filing"),
]

COMBINATIONS = list(
    itertools.product(
        ["en-GB", "en-US"], ["all_affiliates", "subsidiaries"], ["scheduled", "portfolio"]
    )
)


@pytest.mark.parametrize(("locale", "licensed", "scope"), COMBINATIONS)
def test_every_new_key_says_its_piece_beside_the_positions_it_meets(
    tmp_path: Path, locale: str, licensed: str, scope: str
) -> None:
    changes = overlay(
        ALL_KEYS,
        {
            "deal": {"locale": locale},
            "patents": {"scope": scope},
            "affiliates": {"licensed": licensed},
        },
    )
    path = tmp_path / "deal.yaml"
    path.write_text(
        yaml.safe_dump(overlay(REFERENCE, changes), allow_unicode=True), encoding="utf-8"
    )
    rendered = render_deal(path, INPUTS, out_dir=tmp_path / "out")
    text = rendered.files["term-sheet.md"].decode("utf-8").replace("**", "")
    for heading, words in SAYS:
        rows = [r for r in text.splitlines() if re.match(rf"^\| \d+\. {heading}", r)]
        assert any(words in r for r in rows), (heading, words)
    assert "2029" not in text and "1.5%" not in text  # confidential rates and dates
    member = "licensed subsidiar" if licensed == "subsidiaries" else "Affiliate"
    affiliates = next(r for r in text.splitlines() if re.match(r"^\| \d+\. Affiliates, ", r))
    assert f"whether an entity the request names is its {member}" in affiliates
    if licensed == "subsidiaries":
        assert "holds at least 50% of the voting rights" in affiliates
    else:
        assert "ownership of at least 50% of the voting rights" in text  # the definition
    lock = rendered.files["clausesmith.lock.json"].decode("utf-8")
    assert "CL-16-IPSO-FACTO-TERMINATION" in lock
