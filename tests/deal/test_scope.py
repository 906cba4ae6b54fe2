"""What real portfolio cross-licences need: scope per licensee, portfolio licences and a
dated capture period, a term to the last patent, termination, related agreements, office
addresses, no committee, a deal's own defined terms and courts after mediation.

The reference deal, which has none of these keys, renders as before; a deal with every
non-default position says each; each bad combination is refused naming file, line and key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.resources import Sources
from helpers.deals import ACME, MINIMAL, QUIET, REASON

INPUTS = Inputs(Sources.resolve())
runner = CliRunner()

# Every non-default position of the keys below, in one deal (no grant-back: governance none).
NON_DEFAULT: dict[str, Any] = {
    "patents": {
        "scope": "portfolio",
        "capture_period_years": None,
        "capture_until": dt.date(2031, 12, 31),
    },
    "field": {
        "per_licensee": [
            {
                "licensee": "acme",
                "licensed": [
                    {
                        "segment": "industrial automation",
                        "product_categories": ["end effectors", "motion controllers"],
                    }
                ],
            },
            {"licensee": "beta", "excluded_products": ["robotic arms sold under the Acme Brand"]},
        ]
    },
    "term": {"ends": "last_patent_expiry", "years": None, "renewal": "none", "renewal_years": None},
    "duration": {"non_payment_days": 30},
    "related_agreements": [
        {"title": "Patent Licence Agreement", "date": dt.date(2015, 6, 1), "effect": "supersedes"},
        {"title": "Joint Development Agreement", "date": dt.date(2022, 9, 15), "effect": "amends"},
        {
            "title": "Mutual Non-Disclosure Agreement",
            "date": dt.date(2025, 11, 3),
            "effect": "leaves_in_force",
        },
    ],
    "definitions": [{"term": "Acme Brand", "meaning": "the ACME word mark and logo"}],
    # The split leaves Beta a narrower licence than Acme: counsel accept it here.
    "overrides": [
        {
            "rule": "CL-07-SCOPE-ALLOCATION",
            "approved_by": "Counsel",
            "date": "2026-03-01",
            "reason": REASON,
        }
    ],
    "governance": {"form": "none"},
    "grant_back": {"collaboration": None},  # without a committee, no grant-back to score
    "dispute_resolution": {
        "arbitration": None,
        "courts": {"place": "England and Wales", "exclusive": True},
    },
}


def render(path: Path, out: Path) -> str:
    result = runner.invoke(cli, ["render", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return (out / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")


def row(text: str, heading: str) -> str:
    return next(line for line in text.splitlines() if f". {heading} |" in line)


def test_the_reference_deal_keeps_its_scope_heads(acme_out: Path) -> None:
    text = (acme_out / "term-sheet.md").read_text(encoding="utf-8")
    assert "whose registered office is at Industriestraße 12" in text
    assert "## Annex A: Patent Schedule" in text
    assert "The Licensed Patents are the patent families listed in Annex A" in text
    assert "The Agreement will run for seven (7) years" in text
    assert ". Related Agreements |" not in text
    assert "as licensee:" not in text  # no per-licensee field list
    assert "any earlier agreement of the parties on its subject; it will list" in text
    assert "The parties will set up a joint committee" in text
    # The termination section says which licences survive and points at change of control.
    duration = row(text, "Licence Duration and Termination")
    assert (
        "Termination of a party\u2019s licences will not end the licences it has granted"
        in duration
    )
    assert "as provided under “Assignment and Change of Control”" in duration
    assert "non-payment" not in duration


def test_a_deal_with_every_non_default_position_says_each(
    variant: Callable[..., Path], tmp_path: Path, counsel_repo: Path
) -> None:
    acme, beta = yaml.safe_load(ACME.read_text(encoding="utf-8"))["parties"]
    path = variant(NON_DEFAULT | {"parties": [acme | {"address_kind": "office"}, beta]})
    out = render(path, tmp_path / "o")
    for heading, words in (
        ("Parties", "having an office at 1201 Orange Street, Wilmington, DE 19801"),
        ("Definitions", "(a) “Acme Brand” means the ACME word mark and logo;"),
        (
            "Definitions",
            "“Capture Period” means the period from the Effective Date to 31 December 2031",
        ),
        (
            "Definitions",
            "“Licensed Field” means, in relation to a party as licensee, the field stated for "
            "that party under “Licensed Field”",
        ),
        (
            "Definitions",
            "“Licensed Patents” means all patents and patent applications, in every country, "
            "owned or controlled by a party or its Affiliates at any time during the "
            "Capture Period",
        ),
        ("Licensed Patents", "The Licensed Patents are not scheduled"),
        ("Capture Period", "The Capture Period ends on 31 December 2031"),
        (
            "Licensed Field",
            "(i) Acme as licensee: industrial automation, limited to end effectors and motion "
            "controllers; and",
        ),
        (
            "Licensed Field",
            "(ii) Beta as licensee: the Licensed Field stated above, except robotic arms sold "
            "under the Acme Brand (the “Excluded Products” of Beta)",
        ),
        ("Term and Renewal", "until the last of the Licensed Patents (including those"),
        ("Term and Renewal", "it has no fixed number of years and will not renew"),
        ("Licence Duration and Termination", "will last for the life of that patent, until"),
        ("Licence Duration and Termination", "within thirty (30) days after written notice of"),
        ("Related Agreements", "(a) the Patent Licence Agreement dated 1 June 2015: the"),
        ("Related Agreements", "it will otherwise remain in force; and"),
        ("Related Agreements", "3 November 2025: it will remain in force unchanged."),
        ("Other Terms", "any earlier agreement of the parties on its subject, except as stated"),
        ("Governance", "The parties will not set up a joint committee."),
        ("Dispute Resolution", "either party may refer it to the courts."),
        ("Dispute Resolution", "decided by the courts of England and Wales"),
    ):
        assert words in row(out, heading), (heading, words)
    assert "## Annex A: Examples of Licensed Patents" in out
    assert "beyond the end of the term" not in out


def test_a_portfolio_without_families_has_no_annex_a(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    path = variant({"patents": {"scope": "portfolio", "families": []}})
    out = render(path, tmp_path / "o")
    assert "Annex A" not in out.replace("## Annex A: Royalty Model", "")
    assert "## Annex A: Royalty Model" in out
    assert "Annex A lists examples" not in out
    assert "they are all patents owned or controlled by a party or its Affiliates" in out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"field": {"per_licensee": [{"licensee": "gamma", "excluded_products": ["x"]}]}},
            "field.per_licensee[0].licensee: 'gamma' names no party; use 'acme' or 'beta'",
        ),
        (
            {"field": {"per_licensee": [{"licensee": "beta"}]}},
            "field.per_licensee[0]: says nothing about the licensee's scope; give licensed (its "
            "own Licensed Field), excluded_products or have_made, or remove the entry",
        ),
        (
            {
                "field": {
                    "per_licensee": [
                        {"licensee": "beta", "excluded_products": ["x"]},
                        {"licensee": "beta", "excluded_products": ["y"]},
                    ]
                }
            },
            "field.per_licensee[1].licensee: 'beta' has two entries; give each party one entry",
        ),
        (
            {
                "field": {
                    "per_licensee": [{"licensee": "beta", "excluded_products": ["Robotic  Arms"]}]
                }
            },
            "field.per_licensee[0].excluded_products[0]: 'Robotic  Arms' is both excluded and "
            "licensed to 'beta' (at field.licensed[0].product_categories[0]); take it out of "
            "one of them",
        ),
        (
            {"patents": {"families": []}},
            "patents.families: a scheduled licence needs its patent families; list them under "
            "patents.families, or set patents.scope: portfolio",
        ),
        (
            {"patents": {"families": None}},
            "patents.families: a scheduled licence needs its patent families; list them under "
            "patents.families, or set patents.scope: portfolio",
        ),
        (
            {"patents": {"capture_until": dt.date(2030, 1, 1)}},
            "patents.capture_until: the capture period is given both in years "
            "(capture_period_years) and as an end date (capture_until); set one of them to null",
        ),
        (
            {"patents": {"capture_period_years": None, "capture_until": dt.date(2026, 4, 1)}},
            "patents.capture_until: the capture period ends after the Effective Date "
            "(2026-04-01), so capture_until must be later; got 2026-04-01",
        ),
        (
            {"term": {"years": None}},
            "term.years: required when term.ends is fixed_years; give years: N, or set "
            "term.ends: last_patent_expiry",
        ),
        (
            {"term": {"ends": "last_patent_expiry"}},
            "term.years: a term that ends when the last Licensed Patent expires has no length "
            "in years; set years: null, or term.ends: fixed_years",
        ),
        (
            {"term": {"ends": "last_patent_expiry", "years": None}},
            "term.renewal: a term that ends when the last Licensed Patent expires does not "
            "renew; set renewal: none",
        ),
        (
            {
                "related_agreements": [
                    {"title": "NDA", "date": dt.date(2026, 3, 3), "effect": "amends"}
                ]
            },
            "related_agreements[0].date: a related agreement is one made before this term sheet "
            "(dated 2026-03-02); got 2026-03-03",
        ),
        (
            {
                "related_agreements": [
                    {"title": "NDA", "date": dt.date(2020, 1, 1), "effect": "amends"},
                    {"title": "nda", "date": dt.date(2020, 1, 1), "effect": "supersedes"},
                ]
            },
            "related_agreements[1]: 'nda' dated 2020-01-01 is listed twice; remove one",
        ),
        (
            {
                "related_agreements": [
                    {"title": "NDA", "date": dt.date(2020, 1, 1), "effect": "ends"}
                ]
            },
            "related_agreements[0].effect",
        ),
        (
            {"definitions": [{"term": "licensed  field", "meaning": "anything"}]},
            "definitions[0].term: 'licensed  field' is a term the term sheet already defines "
            "('Licensed Field'); choose another term, or remove this definition",
        ),
        (
            {"definitions": [{"term": f"Term {i}", "meaning": "x"} for i in range(15)]},
            "definitions: expected at most 14 entries, got 15",
        ),
        (
            {"definitions": [{"term": "Cobot", "meaning": "a"}, {"term": "COBOT", "meaning": "b"}]},
            "definitions[1].term: 'COBOT' is defined twice; remove one",
        ),
        (
            {"governance": {"form": "none"}, "grant_back": {"collaboration": "joint work"}},
            "governance.form: the grant-back's requests are scored by the joint committee (the "
            "scorecard annex), so the deal needs one; set form: committee, or "
            "grant_back.scope: none",
        ),
        (
            {"governance": {"form": "none"}, "prosecution": {"enforcement": "joint"}},
            "governance.form: joint enforcement is decided through the joint committee, so the "
            "deal needs one; set form: committee, or prosecution.enforcement: owner_first",
        ),
        (
            {
                "duration": {"non_payment_days": 30},
                "royalties": {"structure": "royalty_free", "cap": None},
            },
            "duration.non_payment_days: nothing is payable under the deal (no royalty or "
            "balancing payment, no grant-back royalty or revenue share, no release payment), so "
            "there is no payment to miss; set non_payment_days: null",
        ),
    ],
)
def test_bad_scope_keys_are_refused_with_what_to_type(
    variant: Callable[..., Path], changes: dict[str, Any], message: str
) -> None:
    path = variant(changes)
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:" in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_office_address_needs_an_address(write_deal: Callable[..., Path]) -> None:
    text = ACME.read_text(encoding="utf-8").replace(
        "    address: Industriestraße 12, 70565 Stuttgart, Germany\n",
        "    address_kind: office\n",
    )
    result = runner.invoke(cli, ["validate", str(write_deal(text))])
    assert result.exit_code == 1
    assert (
        ":30:19: parties[1].address_kind: says how the address is introduced, but the party has "
        "no address; give address, or remove address_kind"
    ) in result.output


def findings(path: Path) -> dict[str, str]:
    return {f.rule: f.message for f in plan_deal(path, INPUTS).findings}


def test_a_capture_period_to_a_date_after_the_term_is_a_cl08_warning(
    variant: Callable[..., Path],
) -> None:
    path = variant(
        {"patents": {"capture_period_years": None, "capture_until": dt.date(2034, 1, 1)}}
    )
    assert findings(path)["CL-08-PERIODS"] == (
        "The capture period ends on 2034-01-01, after the 7-year term ends on 2033-04-01; the "
        "playbook does not accept a grant-back, capture period or licence whose period does "
        "not fit the term. Set patents.capture_until to 2033-04-01 or earlier, or lengthen "
        "term.years."
    )


def test_a_term_to_the_last_patent_is_not_compared_with_years(
    variant: Callable[..., Path],
) -> None:
    """No length to compare with: the term head ends the grant-back with the Agreement."""
    path = variant(
        QUIET
        | {
            "term": {
                "ends": "last_patent_expiry",
                "years": None,
                "renewal": "none",
                "renewal_years": None,
            },
            "patents": {"capture_period_years": 30},
            "grant_back": {**QUIET["grant_back"], "sunset_years": 40},
        }
    )
    assert "CL-08-PERIODS" not in findings(path)


def test_a_deals_own_term_that_nothing_uses_is_a_warning(variant: Callable[..., Path]) -> None:
    path = variant({"definitions": [{"term": "Cobot", "meaning": "a robot arm"}]})
    assert findings(path)["CS-05-UNUSED-DEFINITION"] == (
        "The defined term 'Cobot' is used nowhere else in the deal, so the term sheet would "
        "print a definition no head uses; the playbook does not accept a definition the "
        "documents never use. Use 'Cobot' in the text it defines (a field, a product, the "
        "collaboration, another definition), or remove definitions[0]."
    )
    used = variant(
        {
            "definitions": [{"term": "Cobot", "meaning": "a robot arm"}],
            "field": {"per_licensee": [{"licensee": "beta", "excluded_products": ["Cobot"]}]},
        },
        "used.yaml",
    )
    assert "CS-05-UNUSED-DEFINITION" not in findings(used)


def test_field_per_licensee_warns_between_competitors_only(variant: Callable[..., Path]) -> None:
    scope = {"field": {"per_licensee": [{"licensee": "beta", "excluded_products": ["arms"]}]}}
    message = findings(variant(scope))["CL-15-FIELD-PER-LICENSEE"]
    assert message.startswith("The parties compete and the deal scales back one party's licence")
    assert "field.per_licensee gives a party its own Licensed Field" in message
    assert "Risk under the Commission's Guidelines on technology transfer agreements" in message
    apart = variant(
        scope | {"relationship": {"competitors": False, "market_share_pct": None}},
        "apart.yaml",
    )
    assert "CL-15-FIELD-PER-LICENSEE" not in findings(apart)


def test_checks_read_the_right_partys_field(variant: Callable[..., Path]) -> None:
    # Acme's sensitive field is kept from Beta: it is compared with Beta's own field.
    sensitive = {"key": "surgical", "name": "surgical robotics", "owner": "acme"}
    path = variant(
        {
            "field": {
                "per_licensee": [
                    {"licensee": "beta", "licensed": [{"segment": "robotics"}]},
                    {"licensee": "acme", "licensed": [{"segment": "medical devices"}]},
                ],
            },
            "carve_outs": {"sensitive_fields": [sensitive | {"licence": "included"}]},
            "side_letters": [],
        }
    )
    found = findings(path)
    assert "CL-11-SENSITIVE-FIELD" in found
    assert "compared with Beta's Licensed Field as licensee" in found["CL-11-SENSITIVE-FIELD"]
    # A licensee's own segment inside the Excluded Field is named by its own path.
    inside = variant(
        {
            "field": {
                "per_licensee": [
                    {"licensee": "beta", "licensed": [{"segment": "consumer robotics"}]}
                ]
            }
        },
        "inside.yaml",
    )
    assert (
        "Take 'consumer robotics' out of field.excluded, or 'consumer robotics' out of "
        "field.per_licensee[0].licensed."
    ) in findings(inside)["CS-01-FIELDS"]


def test_a_term_to_the_last_patent_drops_the_playbooks_years_and_renewal(
    write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    """Typed alone, `ends` takes no default years or renewal, so nothing contradicts it; the
    playbook's renegotiation window stays (the right to revisit the rate matters more over a
    term that runs to the last patent)."""
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "term:\n  years: 5\n", "term:\n  ends: last_patent_expiry\n"
    )
    path = write_deal(text)
    plan = plan_deal(path, INPUTS)
    assert plan.deal.term.years is None
    assert plan.deal.term.renewal == "none"
    assert plan.deal.term.renegotiation_window_months == 24  # the playbook's
    result = runner.invoke(cli, ["render", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    twin = (tmp_path / "o" / "north-south-2026" / "term-sheet.md").read_text(encoding="utf-8")
    assert "The Agreement will run from the Effective Date until the last of the" in twin
    assert "renewed" not in twin
