"""Guardrails 3, 6, 7, 8, 10, 11 and 13 and the consistency checks, on variants of the deal.

Each test is a deal counsel reviewed (issue 12) and what they must read about it: the rule,
its severity, the message naming the deal's own figures, and the line of the deal it
points at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clausesmith.errors import Blocked
from clausesmith.pipeline import Inputs, plan_deal, render_deal
from clausesmith.plan.guardrails import Finding
from clausesmith.resources import Sources
from helpers.deals import ACME, MINIMAL, ROOT, deep_merge

INPUTS = Inputs(Sources.resolve(library=ROOT / "clause_library", playbooks=ROOT / "playbooks"))

Variant = Callable[..., Path]


@pytest.fixture
def variant(acme_data: dict[str, Any], write_deal: Callable[..., Path]) -> Callable[..., Path]:
    """The reference deal with keys changed; market shares are replaced, not merged."""

    def make(changes: dict[str, Any]) -> Path:
        data = deep_merge(acme_data, changes)
        shares = changes.get("relationship", {}).get("market_share_pct", "kept")
        if shares != "kept":
            data["relationship"]["market_share_pct"] = shares
        return write_deal(data)

    return make


def findings(path: Path, rule: str | None = None) -> list[Finding]:
    found = plan_deal(path, INPUTS).findings
    return [f for f in found if rule is None or f.rule == rule]


def only(path: Path, rule: str) -> Finding:
    [finding] = findings(path, rule)
    return finding


US_PARTIES = [
    {"key": "acme", "name": "Acme Robotics, Inc.", "short_name": "Acme", "jurisdiction": "US-DE"},
    {"key": "beta", "name": "Beta Automation Inc.", "short_name": "Beta", "jurisdiction": "US-CA"},
]


def us_only(share: Any) -> dict[str, Any]:
    return {
        "parties": US_PARTIES,
        "territory": {"include": ["US"], "exclude": []},
        "relationship": {"competitors": True, "market_share_pct": share},
    }


# ---- the reference deals ----------------------------------------------------------------


def test_the_reference_deal_warns_only_of_the_uk() -> None:
    rules = [(f.rule, f.severity, f.where) for f in findings(ACME)]
    # Its capture period fits the term, its families record their diligence, its side
    # letter asks for no entry notice and its neutral chair alone scores sales velocity:
    # what remains is the UK assessment.
    assert rules == [
        ("CL-06-UK-ASSESSMENT", "warn", f"{ACME}:{_line(ACME, 'market_share_pct')}:21"),
    ]


def test_a_ten_year_capture_period_in_a_seven_year_term_warns(variant: Variant) -> None:
    path = variant({"patents": {"capture_period_years": 10}})
    [periods] = findings(path, "CL-08-PERIODS")
    assert periods.message == (
        "The capture period of 10 years is longer than the 7-year term; the playbook does not "
        "accept a grant-back, capture period or licence whose period does not fit the term. "
        "Set patents.capture_period_years to at most 7, or lengthen term.years."
    )
    assert periods.where == f"{path}:{_line(path, 'capture_period_years')}:25"


def test_the_minimal_deal_warns_that_shares_between_competitors_are_unknown() -> None:
    found = {f.rule: f for f in findings(MINIMAL)}
    assert set(found) == {
        "CL-06-EU-SAFE-HARBOUR",
        "CL-06-UK-ASSESSMENT",
        "CL-06-US-SAFETY-ZONE",
        "CS-07-PATENT-DILIGENCE",  # its families record no diligence
    }  # no CL-13: the minimal deal has no grant-back, so no scorecard asks for sales
    assert "no market shares (relationship.market_share_pct is not given)" in (
        found["CL-06-EU-SAFE-HARBOUR"].message
    )
    assert "Regulation (EU) 2026/877 (the Agreement takes effect on 11 May 2026" in (
        found["CL-06-EU-SAFE-HARBOUR"].message
    )


# ---- guardrail 7: market allocation on the set of countries -----------------------------


def test_worldwide_excluding_the_eu_with_a_german_party_is_blocked(variant: Variant) -> None:
    path = variant({"territory": {"include": ["WORLD"], "exclude": ["EU"]}})
    finding = only(path, "CL-07-MARKET-ALLOCATION")
    assert finding.blocks
    assert finding.message.startswith(
        "The parties compete and the Territory (worldwide excluding the European Union) "
        "leaves out Germany (DE), the home market of Beta. In a reciprocal cross-licence,"
    )
    assert "hardcore restriction under Art 4(1)(c) of Regulation (EU) 2026/877" in finding.message
    assert finding.where == f"{path}:{_line(path, '- EU')}:3"
    with pytest.raises(Blocked):
        render_deal(path, INPUTS, out_dir=path.parent / "out")


def test_the_eea_excluded_is_caught_like_the_eu(variant: Variant) -> None:
    path = variant({"territory": {"include": ["WORLD"], "exclude": ["EEA"]}})
    assert (
        "leaves out Germany (DE), the home market of Beta"
        in only(path, "CL-07-MARKET-ALLOCATION").message
    )


def test_listed_countries_without_either_home_market_are_blocked(variant: Variant) -> None:
    path = variant({"territory": {"include": ["FR", "IT", "JP"], "exclude": []}})
    finding = only(path, "CL-07-MARKET-ALLOCATION")
    assert finding.blocks
    assert (
        "the Territory (France, Italy and Japan) leaves out the United States (US), the home "
        "market of Acme and Germany (DE), the home market of Beta." in finding.message
    )


def test_the_allocation_message_names_only_the_law_that_reaches_the_deal(
    variant: Variant,
) -> None:
    asian = [
        {**US_PARTIES[0], "jurisdiction": "KR", "name": "Acme Korea Co., Ltd."},
        {**US_PARTIES[1], "jurisdiction": "JP", "name": "Beta KK"},
    ]
    path = variant({"parties": asian, "territory": {"include": ["CN"], "exclude": []}})
    finding = only(path, "CL-07-MARKET-ALLOCATION")
    assert finding.blocks
    assert "Regulation (EU)" not in finding.message
    assert (
        "leaves out the Republic of Korea (KR), the home market of Acme and Japan (JP), the home "
        "market of Beta. In a reciprocal cross-licence, leaving a party's home market out of the "
        "other's licence reserves that market to its owner: an allocation of markets, which "
        "the playbook never accepts between competitors." in finding.message
    )
    us = variant({"parties": US_PARTIES, "territory": {"include": ["CA"], "exclude": []}})
    message = only(us, "CL-07-MARKET-ALLOCATION").message
    assert "Regulation (EU)" not in message
    assert (
        "an allocation of markets, market division that the US agencies challenge under the "
        "per se rule (DOJ/FTC Guidelines §5.5)." in message
    )


def test_excluding_a_home_country_by_its_code_is_still_caught(variant: Variant) -> None:
    path = variant({"territory": {"include": ["WORLD"], "exclude": ["DE"]}})
    assert only(path, "CL-07-MARKET-ALLOCATION").blocks


def test_a_territory_holding_both_home_markets_allocates_nothing(variant: Variant) -> None:
    path = variant({"territory": {"include": ["EU", "US"], "exclude": ["FR"]}})
    assert findings(path, "CL-07-MARKET-ALLOCATION") == []


def test_non_competitors_may_leave_out_a_home_market(variant: Variant) -> None:
    path = variant(
        {
            "relationship": {"competitors": False, "market_share_pct": {"acme": 12, "beta": 9}},
            "territory": {"include": ["WORLD"], "exclude": ["EU"]},
        }
    )
    assert findings(path, "CL-07-MARKET-ALLOCATION") == []


# ---- guardrail 6: market shares per regime ----------------------------------------------


def test_a_us_only_deal_gets_the_us_safety_zone_and_no_eu_or_uk_test(variant: Variant) -> None:
    path = variant(us_only({"combined": 24}))
    rules = {f.rule for f in findings(path)} & {
        "CL-06-EU-SAFE-HARBOUR",
        "CL-06-UK-ASSESSMENT",
        "CL-06-US-SAFETY-ZONE",
    }
    assert rules == {"CL-06-US-SAFETY-ZONE"}
    finding = only(path, "CL-06-US-SAFETY-ZONE")
    assert finding.basis == "guidance"
    assert finding.message.startswith(
        "US: the Territory includes the United States (US), Acme is established in the United "
        "States and Beta is established in the United States. Risk under the DOJ/FTC Antitrust "
        "Guidelines for the Licensing of Intellectual Property (2017), §4.3: the deal states a "
        "collective share of 24%; the safety zone needs the parties together to hold no more "
        "than 20%"
    )
    assert "30%" not in finding.message


def test_us_shares_within_twenty_percent_collectively_are_in_the_safety_zone(
    variant: Variant,
) -> None:
    assert findings(variant(us_only({"combined": 20})), "CL-06-US-SAFETY-ZONE") == []


def test_four_independent_substitute_technologies_put_the_us_deal_in_the_safety_zone(
    variant: Variant,
) -> None:
    changes = us_only({"combined": 35})
    changes["relationship"]["substitute_technologies"] = 4
    assert findings(variant(changes), "CL-06-US-SAFETY-ZONE") == []
    changes["relationship"]["substitute_technologies"] = 3
    assert "(the deal states 3)" in only(variant(changes), "CL-06-US-SAFETY-ZONE").message


def test_non_competitors_shares_in_different_markets_are_not_added_in_the_us(
    variant: Variant,
) -> None:
    changes = us_only({"acme": 12, "beta": 10})
    changes["relationship"]["competitors"] = False
    assert findings(variant(changes), "CL-06-US-SAFETY-ZONE") == []
    changes = us_only({"acme": 24, "beta": 10})
    changes["relationship"]["competitors"] = False
    finding = only(variant(changes), "CL-06-US-SAFETY-ZONE")
    assert "the deal states 24% for Acme in its own market;" in finding.message


def test_unknown_shares_between_competitors_warn_under_each_regime(variant: Variant) -> None:
    path = variant({"relationship": {"market_share_pct": None}})
    eu = only(path, "CL-06-EU-SAFE-HARBOUR")
    assert eu.severity == "warn" and not eu.blocks
    assert (
        "The deal states no market shares (relationship.market_share_pct is not given); the "
        "safe harbour of Art 3 needs at most 20% combined on each relevant market, as the "
        "parties compete." in eu.message
    )
    assert "no market shares" in only(path, "CL-06-US-SAFETY-ZONE").message


def test_the_eu_regime_follows_the_effective_date(variant: Variant) -> None:
    before = only(
        variant({"relationship": {"market_share_pct": {"combined": 21}}}), "CL-06-EU-SAFE-HARBOUR"
    )
    assert before.message.startswith(
        "EU: the Territory includes 27 EU countries and Beta is established in Germany, so "
        "Regulation (EU) 316/2014 (the Agreement takes effect on 1 April 2026, before 1 May "
        "2026; an agreement in force on 30 April 2026 that met it stays exempt to 30 April "
        "2027, and Regulation (EU) 2026/877 applies after) applies. The deal states a "
        "combined share of 21%"
    )
    assert (
        "the two-year grace period of Art 8(e) does not help: it keeps the exemption only "
        "where the shares were within the threshold when the Agreement began" in before.message
    )
    after = only(
        variant(
            {
                "deal": {"effective_date": dt.date(2026, 6, 1)},
                "relationship": {"market_share_pct": {"combined": 21}},
            }
        ),
        "CL-06-EU-SAFE-HARBOUR",
    )
    assert (
        "so Regulation (EU) 2026/877 (the Agreement takes effect on 1 June 2026, on or after "
        "1 May 2026) applies" in after.message
    )
    assert "the three-year grace period of Art 8(e) does not help" in after.message


def test_eu_non_competitors_are_tested_at_thirty_percent_each(variant: Variant) -> None:
    path = variant(
        {"relationship": {"competitors": False, "market_share_pct": {"acme": 31, "beta": 5}}}
    )
    message = only(path, "CL-06-EU-SAFE-HARBOUR").message
    assert (
        "The deal states shares of 31% (Acme) and 5% (Beta); the safe harbour of Art 3 needs "
        "at most 30% for each party" in message
    )
    ok = variant(
        {"relationship": {"competitors": False, "market_share_pct": {"acme": 30, "beta": 5}}}
    )
    assert findings(ok, "CL-06-EU-SAFE-HARBOUR") == []


def test_the_uk_test_applies_when_a_party_is_established_there(variant: Variant) -> None:
    changes = us_only({"combined": 10})
    changes["parties"] = [US_PARTIES[0], {**US_PARTIES[1], "jurisdiction": "GB"}]
    message = only(variant(changes), "CL-06-UK-ASSESSMENT").message
    assert message.startswith(
        "UK assessment needed: Beta is established in the United Kingdom. The Agreement takes "
        "effect on 1 April 2026: the assimilated Regulation 316/2014 applies to 30 April 2026"
    )
    assert "The deal states a combined share of 10%." in message
    assert findings(variant(us_only({"combined": 10})), "CL-06-UK-ASSESSMENT") == []


# ---- guardrails 10 and 11: fields through the taxonomy ----------------------------------

SURGICAL = {"key": "surgical", "name": "Surgical  Robotics", "owner": "acme"}


def test_a_sensitive_field_licensed_inside_an_excluded_field_is_blocked(variant: Variant) -> None:
    path = variant(
        {
            "field": {"excluded": ["consumer robotics", "Medical Devices"]},
            "carve_outs": {
                "sensitive_fields": [{**SURGICAL, "side_letter": "surgical", "licence": "included"}]
            },
        }
    )
    finding = only(path, "CL-10-SIDE-LETTER")
    assert finding.blocks
    assert finding.message == (
        "The sensitive field 'Surgical  Robotics' has licence: included but lies inside the "
        "excluded field 'Medical Devices' (surgical robotics → medical devices), so its side "
        "letter 'surgical' would license into a field the term sheet excludes; the playbook "
        "does not accept it. Set carve_outs.sensitive_fields[0].licence to excluded, or take "
        "'Medical Devices' out of field.excluded."
    )


def test_a_sensitive_field_licensed_and_excluded_by_name_is_blocked(variant: Variant) -> None:
    path = variant(
        {
            "field": {"excluded": ["surgical robotics"]},
            "carve_outs": {"sensitive_fields": [{**SURGICAL, "licence": "included"}]},
        }
    )
    assert "lies inside the excluded field 'surgical robotics' (the same field), so the term " in (
        only(path, "CL-10-SIDE-LETTER").message
    )


def test_a_sensitive_field_kept_out_of_the_licence_may_sit_in_an_excluded_field(
    variant: Variant,
) -> None:
    path = variant(
        {
            "field": {"excluded": ["medical devices"]},
            "carve_outs": {"sensitive_fields": [{**SURGICAL, "side_letter": "surgical"}]},
        }
    )
    assert findings(path, "CL-10-SIDE-LETTER") == []


def test_a_licensed_sensitive_field_without_a_side_letter_warns(variant: Variant) -> None:
    path = variant(
        {
            "field": {"licensed": [{"segment": "robotics"}]},
            "carve_outs": {"sensitive_fields": [{**SURGICAL, "licence": "included"}]},
            "side_letters": [],
        }
    )
    finding = only(path, "CL-11-SENSITIVE-FIELD")
    assert finding.severity == "warn"
    assert finding.message.startswith(
        'The sensitive field "Surgical  Robotics" lies inside the Licensed Field (licence: '
        "included; surgical robotics → robotics) and no side letter deals with it"
    )
    excluded = variant({"carve_outs": {"sensitive_fields": [SURGICAL]}, "side_letters": []})
    assert findings(excluded, "CL-11-SENSITIVE-FIELD") == []


def test_a_licensed_segment_inside_an_excluded_field_is_a_contradiction(variant: Variant) -> None:
    path = variant({"field": {"excluded": ["robotics"]}})
    messages = [f.message for f in findings(path, "CS-01-FIELDS")]
    assert messages[0].startswith(
        "The licensed field 'industrial automation' lies inside the excluded field 'robotics' "
        "(industrial automation → robotics)"
    )


def test_a_field_the_taxonomy_does_not_know_is_named(variant: Variant) -> None:
    path = variant({"field": {"excluded": ["toys"]}})
    [finding] = findings(path, "CS-01-FIELDS")
    assert finding.message.startswith(
        "The field 'toys' is not in the field taxonomy counsel keep, so clausesmith can "
        "compare it with the other fields by its name alone"
    )
    # nothing contradicts: the title says the taxonomy cannot place it, and a paralegal is
    # sent to counsel (the taxonomy is theirs), with the nearest field the taxonomy knows
    assert finding.title.startswith("A field the taxonomy cannot place")
    assert "ask counsel to add 'toys' to the field taxonomy" in finding.message.lower()
    assert "nothing contradicts yet, and the deal renders as it stands" in finding.message
    near = variant({"field": {"excluded": ["medical device"]}})
    [finding] = findings(near, "CS-01-FIELDS")
    assert "If you meant 'medical devices', write that" in finding.message


# ---- guardrail 13: information exchange -------------------------------------------------


def test_an_entry_notice_between_competitors_blocks_until_a_clean_team_is_drafted(
    variant: Variant, acme_data: dict[str, Any]
) -> None:
    [letter] = acme_data["side_letters"]
    notice_of_entry = {
        "side_letters": [deep_merge(letter, {"terms": {"notice_before_entry_months": 6}})]
    }
    no_collaboration = {"grant_back": {"collaboration": None}}
    [notice] = findings(variant({**no_collaboration, **notice_of_entry}), "CL-13-ENTRY-NOTICE")
    assert notice.blocks
    assert notice.message.startswith(
        "The parties compete and side letter 'surgical' requires 6 months' notice of entry "
        "into surgical robotics, but no clean team is drafted to receive it "
        "(governance.clean_team is false)"
    )
    assert notice.message.endswith(
        "remove side_letters[0].terms.notice_before_entry_months, or record a counsel override."
    )
    # The scorecard is printed only with a described collaboration; with no neutral chair,
    # its sales-velocity criterion puts time-to-market before the competitor's members.
    chairless = {**notice_of_entry, "governance": {"neutral_chair": False}}
    [scorecard] = findings(variant(chairless), "CL-13-INFORMATION-EXCHANGE")
    assert (
        "the grant-back scorecard weighs the impact on sales velocity (25%), which puts the "
        "requesting party's time-to-market before committee members its competitor appoints"
        in scorecard.message
    )
    assert findings(variant(notice_of_entry), "CL-13-INFORMATION-EXCHANGE") == []
    drafted = variant({**notice_of_entry, "governance": {"clean_team": True}})
    assert findings(drafted, "CL-13-ENTRY-NOTICE") == []
    apart = variant(
        {
            **notice_of_entry,
            "relationship": {"competitors": False, "market_share_pct": {"acme": 12, "beta": 9}},
        }
    )
    assert findings(apart, "CL-13-ENTRY-NOTICE") == []


# ---- guardrail 8 and 3: periods, capture period ------------------------------------------


def test_a_grant_back_and_a_capture_period_past_the_term_each_warn(variant: Variant) -> None:
    path = variant(
        {
            "patents": {"capture_period_years": 15},
            "grant_back": {"sunset_years": 13},
            "term": {"years": 12},
        }
    )
    messages = [f.message for f in findings(path, "CL-08-PERIODS")]
    assert messages == [
        "The grant-back runs 13 years, past the 12-year term; the playbook does not accept a "
        "grant-back, capture period or licence whose period does not fit the term. Set "
        "grant_back.sunset_years to at most 12, or lengthen term.years.",
        "The capture period of 15 years is longer than the 12-year term; the playbook does not "
        "accept a grant-back, capture period or licence whose period does not fit the term. "
        "Set patents.capture_period_years to at most 12, or lengthen term.years.",
    ]


def test_no_sell_off_period_warns(variant: Variant) -> None:
    path = variant(
        {
            "term": {"sell_off_months": None},
            "patents": {"capture_period_years": 7},
            "duration": {"licences_last": "end_of_term"},  # licences that end with the term
        }
    )
    [finding] = findings(path, "CL-08-PERIODS")
    assert finding.where == f"{path}:{_line(path, 'sell_off_months')}:20"
    assert finding.message.startswith(
        "There is no sell-off period for stock made under licence once the term ends"
    )


def test_a_royalty_free_capture_period_between_competitors_warns(variant: Variant) -> None:
    path = variant(
        {
            "patents": {"capture_period_years": 10},
            "royalties": {
                "structure": "royalty_free",
                "payer": None,
                "rate_pct": None,
                "currency": None,
                "cap": None,
                "scenarios": None,
                "review_every_months": None,
                "max_adjustment_pct": None,
                "most_favoured_licensee": False,
            },
        }
    )
    [finding] = findings(path, "CL-03-COMPETITOR-IMPROVEMENT-SHARING")
    assert finding.basis == "policy"
    assert finding.message.startswith(
        "The parties compete and each licenses the other, royalty-free, every patent family "
        "first filed in a 10-year capture period: future technology at no cost. The playbook "
        "does not accept this without counsel's assessment"
    )


def test_a_letter_excluding_its_field_from_a_grant_back_that_does_not_exist(
    variant: Variant,
) -> None:
    [finding] = findings(variant({"grant_back": {"scope": "none"}}), "CS-02-LETTER-GRANT-BACK")
    assert finding.message.startswith(
        "Side letter 'surgical' excludes its field from the grant-back, but the deal has no "
        "grant-back (grant_back.scope is none)"
    )


# ---- where findings go ---------------------------------------------------------------------


def test_findings_point_at_the_deal_line_and_stay_out_of_the_deliverables(
    variant: Variant, tmp_path: Path
) -> None:
    path = variant(
        {
            "patents": {"capture_period_years": 9},
            "term": {"years": 8},
            "relationship": {"market_share_pct": {"combined": 22}},
        }
    )
    rendered = render_deal(path, INPUTS, out_dir=tmp_path / "out")
    twins = "\n".join(d.decode() for n, d in rendered.files.items() if n.endswith(".md"))
    assert rendered.plan.findings
    for finding in rendered.plan.findings:
        assert finding.where.startswith(f"{path}:")
        assert finding.message[:60] not in twins


def _line(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith(text))


# ---- the recalibrated messages, word for word -------------------------------------------


def test_cl02_is_policy_and_says_a_non_exclusive_grant_back_is_not_art_5(
    variant: Variant,
) -> None:
    finding = only(variant({"grant_back": {"scope": "all_improvements"}}), "CL-02-ALL-IMPROVEMENTS")
    assert (finding.basis, finding.severity) == ("policy", "block")
    assert finding.message == (
        "The grant-back reaches all improvements, including each party's independent "
        "developments; the playbook does not accept a grant-back beyond improvements arising "
        "from the collaboration. (A non-exclusive grant-back is not an Art 5(1)(a) "
        "restriction: that article reaches exclusive grant-backs and assignments, guardrail "
        "CL-01.) Set grant_back.scope to collaboration_improvements (or "
        "non_severable_improvements), or record a counsel override."
    )
    holding = [c for c in finding.citations if c.holds == "holding"]
    assert [c.identifier for c in holding] == ["docs/legal-basis.md, The firm's own positions"]


def test_cl04_never_calls_a_no_challenge_clause_unenforceable(variant: Variant) -> None:
    path = variant({"challenge": {"no_challenge": True, "right_of_challenge": False}})
    finding = only(path, "CL-04-NO-CHALLENGE")
    assert "unenforceable" not in finding.message
    assert finding.message.endswith(
        "In the US such a clause is at risk outside a settlement (Lear v. Adkins). Set "
        "challenge.no_challenge to false (and challenge.right_of_challenge to true), or "
        "record a counsel override."
    )
    medimmune = next(c for c in finding.citations if c.identifier == "549 U.S. 118 (2007)")
    assert (medimmune.holds, medimmune.verified) == ("context", False)
    assert "without first breaching" not in medimmune.pinpoint
    assert "need not breach the licence before suing" in medimmune.pinpoint


def test_cl05_cites_art_5_and_not_medimmune(variant: Variant) -> None:
    finding = only(
        variant({"challenge": {"termination_on_challenge": True}}), "CL-05-TERMINATION-ON-CHALLENGE"
    )
    assert [(c.identifier, c.pinpoint, c.verified) for c in finding.citations] == [
        ("Regulation (EU) 2026/877", "Art 5(1)(b)", True),
        ("Regulation (EU) 316/2014", "Art 5(1)(b)", True),
    ]


def test_cl12_committee_without_a_neutral_chair_is_policy(variant: Variant) -> None:
    path = variant({"grant_back": {"consent": "committee"}, "governance": {"neutral_chair": False}})
    finding = only(path, "CL-12-COMMITTEE-CHAIR")
    assert (finding.basis, finding.severity) == ("policy", "warn")
    assert finding.message.startswith(
        "Grant-back requests are decided by a committee with no neutral chair; the playbook "
        "does not accept it"
    )
    # A condition's finding points at the first key the condition reads.
    assert finding.where == f"{path}:{_line(path, 'scope:')}:10"


def test_a_binding_head_the_term_sheet_does_not_hold() -> None:
    from clausesmith.library.fields import Taxonomy
    from clausesmith.plan import consistency
    from clausesmith.plan.planned_deal import PlannedDeal

    deal = plan_deal(ACME, INPUTS).deal  # binding: confidentiality, governing_law, costs
    held = frozenset({"confidentiality", "costs", "standstill"})
    [hit] = consistency.binding_heads(PlannedDeal(deal, Taxonomy(), held, {}))
    assert hit.path == "deal.binding_sections[1]"
    assert hit.facts["problem"] == (
        "deal.binding_sections names 'governing_law', but the playbook gives the term sheet no "
        "such head, so the legend would call binding a section that is not there"
    )
    held = PlannedDeal(deal, Taxonomy(), frozenset(deal.deal.binding_sections), {})
    assert consistency.binding_heads(held) == []


# ---- how counsel see them ---------------------------------------------------------------


def test_explain_prints_basis_place_and_each_citation(variant: Variant) -> None:
    from click.testing import CliRunner

    from clausesmith.cli.main import cli

    path = variant({"territory": {"include": ["WORLD"], "exclude": ["EU"]}})
    output = CliRunner().invoke(cli, ["explain", str(path)]).output
    lines = output.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("Finding CL-07")))
    assert lines[at].startswith(
        "Finding CL-07-MARKET-ALLOCATION [BLOCKS]: Territory allocation between competitors. "
        "The parties compete and the Territory (worldwide excluding the European Union)"
    )
    assert lines[at + 1 : at + 5] == [
        f"    basis law; at {path}:{_line(path, '- EU')}:3",
        "    cites Regulation (EU) 2026/877, Art 4(1)(c) (its exceptions (i), (ii) and (iv) "
        "apply only to non-reciprocal agreements) (holding; verified 2026-11-29)",
        "    cites Regulation (EU) 316/2014, Art 4(1)(c) (holding; verified 2026-11-29)",
        "    cites DOJ/FTC IP Licensing Guidelines (2017), §5.5 (cross-licences used for market "
        "division: per se rule) (context; UNVERIFIED)",
    ]


def test_a_blocked_render_names_the_rule_its_place_and_its_citations(variant: Variant) -> None:
    path = variant({"territory": {"include": ["WORLD"], "exclude": ["EU"]}})
    with pytest.raises(Blocked) as caught:
        render_deal(path, INPUTS, out_dir=path.parent / "out")
    lines = caught.value.format_message().splitlines()
    assert lines[1].startswith(
        f"  CL-07-MARKET-ALLOCATION (Territory allocation between competitors) at "
        f"{path}:{_line(path, '- EU')}:3: The parties compete and the Territory"
    )
    assert lines[2] == (
        "    cites: Regulation (EU) 2026/877, Art 4(1)(c) (its exceptions (i), (ii) and (iv) "
        "apply only to non-reciprocal agreements) (holding; verified 2026-11-29); Regulation "
        "(EU) 316/2014, Art 4(1)(c) (holding; verified 2026-11-29); DOJ/FTC IP Licensing "
        "Guidelines (2017), §5.5 (cross-licences used for market division: per se rule) "
        "(context; UNVERIFIED)"
    )
    assert not (path.parent / "out").exists()


def test_the_console_names_the_line_of_each_warning(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from clausesmith.cli.main import cli

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(ACME), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "[warn]" in line]
    assert lines[0].startswith(
        f"  CL-06-UK-ASSESSMENT [warn] at {ACME}:{_line(ACME, 'market_share_pct')}:21: "
        "UK assessment needed"
    )


def test_a_playbook_naming_a_check_clausesmith_lacks_is_invalid_input(
    tmp_path: Path, acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    from clausesmith.errors import InvalidInput

    shipped = (ROOT / "playbooks" / "cross-licence-standard.yaml").read_text(encoding="utf-8")
    books = tmp_path / "books"
    books.mkdir()
    (books / "cross-licence-standard.yaml").write_text(
        shipped.replace("check: periods", "check: lengths"), encoding="utf-8"
    )
    inputs = Inputs(Sources.resolve(library=ROOT / "clause_library", playbooks=books))
    with pytest.raises(InvalidInput) as caught:
        plan_deal(write_deal(acme_data), inputs)
    [problem] = caught.value.problems
    assert problem.key == "guardrails.CL-08-PERIODS"
    assert problem.message.startswith("names no check clausesmith has: 'lengths'; known: ")


def test_the_review_copy_lists_each_finding_with_basis_place_and_citations() -> None:
    from clausesmith.tools.explain import explain_data
    from clausesmith.tools.review import findings_text

    data = explain_data(plan_deal(ACME, INPUTS))
    lines = findings_text(data["findings"])
    assert lines[0] == "Findings (1):"
    assert lines[1].startswith(
        f"CL-06-UK-ASSESSMENT [warn] (basis: law) at {ACME}:{_line(ACME, 'market_share_pct')}"
        ":21: UK block exemption to be assessed. UK assessment needed: "
    )
    assert lines[2] == (
        "  Cites Competition Act 1998 (Technology Transfer Agreements Block Exemption) Order "
        "2026, conditions and thresholds (text not read) (holding; UNVERIFIED)."
    )


def test_capture_fifteen_sunset_three_term_twelve_is_no_longer_silent(variant: Variant) -> None:
    path = variant(
        {
            "patents": {"capture_period_years": 15},
            "grant_back": {"sunset_years": 3},
            "term": {"years": 12},
        }
    )
    [finding] = findings(path, "CL-08-PERIODS")
    assert finding.message.startswith(
        "The capture period of 15 years is longer than the 12-year term"
    )
    assert finding.where == f"{path}:{_line(path, 'capture_period_years')}:25"


def test_automatic_renewal_no_sunset_and_windows_outside_the_term(variant: Variant) -> None:
    path = variant(
        {
            "patents": {"capture_period_years": 2},
            "term": {"years": 2, "renewal": "automatic", "renegotiation_window_months": 24},
            "grant_back": {"sunset_years": None},
            "royalties": {"review_every_months": 30},
        }
    )
    problems = [f.message.split(";")[0] for f in findings(path, "CL-08-PERIODS")]
    assert problems == [
        "The grant-back has no sunset (grant_back.sunset_years is not given)",
        "The licence renews automatically, with no end (term.renewal is automatic)",
        "term.renegotiation_window_months is 24 months, so it never falls inside the 2-year "
        "term (24 months)",
        "royalties.review_every_months is 30 months, so it never falls inside the 2-year term "
        "(24 months)",
    ]


def test_a_licensed_sensitive_field_the_taxonomy_does_not_place_in_the_licensed_field(
    variant: Variant,
) -> None:
    path = variant(
        {
            "carve_outs": {"sensitive_fields": [{**SURGICAL, "licence": "included"}]},
            "side_letters": [],
        }
    )
    message = only(path, "CL-11-SENSITIVE-FIELD").message
    assert message.startswith(
        'The sensitive field "Surgical  Robotics" lies inside the Licensed Field (licence: '
        "included) and no side letter deals with it"
    )
    assert "set carve_outs.sensitive_fields[0].licence to excluded" in message


def test_a_playbook_message_naming_a_fact_its_check_lacks_is_invalid_input(
    tmp_path: Path, acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    from clausesmith.errors import InvalidInput

    shipped = (ROOT / "playbooks" / "cross-licence-standard.yaml").read_text(encoding="utf-8")
    books = tmp_path / "books"
    books.mkdir()
    (books / "cross-licence-standard.yaml").write_text(
        shipped.replace(
            "{problem}; the playbook does not accept a grant-back",
            "{issue}; the playbook does not accept a grant-back",
        ),
        encoding="utf-8",
    )
    inputs = Inputs(Sources.resolve(library=ROOT / "clause_library", playbooks=books))
    too_long = deep_merge(acme_data, {"patents": {"capture_period_years": 10}})
    with pytest.raises(InvalidInput) as caught:
        plan_deal(write_deal(too_long), inputs)
    [problem] = caught.value.problems
    assert (problem.key, problem.message) == (
        "guardrails.CL-08-PERIODS",
        "message names {issue}, which its check does not give",
    )
