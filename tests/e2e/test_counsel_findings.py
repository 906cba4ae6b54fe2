"""Each defect counsel found in the rendered deals, held by the words
a reader would look for: what a document must now say, and what it must never say again."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from helpers.deals import ACME, COUNSEL, REASON, ROYALTY_FREE, deep_merge

INPUTS = Inputs(Sources.resolve(counsel=COUNSEL))
SHARED: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
COLLABORATION = {"grant_back": {"collaboration": "joint development of a gripper for car plants"}}
runner = CliRunner()


def flat(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("\u2019", "'")
    return re.sub(r"\s+", " ", text.replace("<br>", " ").replace("\\", ""))


@pytest.fixture
def render(tmp_path: Path) -> Callable[..., dict[str, str]]:
    """The text twins of the reference deal with `changes` laid over it."""

    def run(*changes: dict[str, Any]) -> dict[str, str]:
        data = SHARED
        for change in changes:
            data = deep_merge(data, change)
        path = tmp_path / "deal.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        files = render_deal(path, INPUTS, out_dir=tmp_path / "out").files
        return {n: flat(b.decode("utf-8")) for n, b in files.items() if n.endswith(".md")}

    return run


def everything(texts: dict[str, str]) -> str:
    return " ".join(texts.values())


# --------------------------------------------------------------------------- 2. sensitive field


def test_a_sensitive_field_letter_never_licenses_into_the_field(
    render: Callable[..., dict[str, str]],
) -> None:
    letter = render()["side-letter-surgical.md"]
    assert "falls within the Licensed Field" not in letter
    assert "extend to it" not in letter
    assert (
        "The licences under the Agreement will not extend to the Sensitive Field: neither party "
        "will be licensed under the other party's Licensed Patents for products in it, even "
        "where those products would otherwise fall within the Licensed Field." in letter
    )


def test_a_sensitive_field_licensed_by_choice_is_licensed_only_inside_the_licensed_field(
    render: Callable[..., dict[str, str]],
) -> None:
    field = dict(SHARED["carve_outs"]["sensitive_fields"][0], licence="included")
    texts = render({"carve_outs": {"sensitive_fields": [field]}})
    assert (
        "The Sensitive Field is licensed on the terms of the Agreement only so far as it lies "
        "within the Licensed Field and outside the Excluded Field; this letter does not extend "
        "any licence." in texts["side-letter-surgical.md"]
    )
    assert (
        "surgical robotics is licensed only so far as "
        "it lies within the Licensed Field and outside the Excluded Field" in texts["term-sheet.md"]
    )


def test_a_sensitive_field_licence_other_than_excluded_or_included_is_refused(
    tmp_path: Path,
) -> None:
    text = ACME.read_text(encoding="utf-8").replace("licence: excluded", "licence: extended")
    text = text.replace("side_letter: surgical}", "side_letter: surgical, licence: extended}")
    path = tmp_path / "deal.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        "carve_outs.sensitive_fields[0].licence: expected one of excluded | included, "
        "got 'extended'" in result.output
    )


def test_entry_is_never_announced_to_a_competitor_and_scoring_asks_for_no_sales_data(
    render: Callable[..., dict[str, str]],
) -> None:
    [letter_spec] = SHARED["side_letters"]
    notice = deep_merge(letter_spec, {"terms": {"notice_before_entry_months": 6}})
    clean_team = {"governance": {"clean_team": True}}  # between competitors, only to it
    texts = render({**COLLABORATION, "side_letters": [notice], **clean_team})
    letter, sheet = texts["side-letter-surgical.md"], texts["term-sheet.md"]
    assert "intended date of entry" not in letter
    assert "Neither party's business will learn of the other's plans to enter" in letter
    assert "notify the Clean Team described in the Term Sheet (and no one else)" in letter
    assert "The Clean Team may receive only the information the Agreement routes to it" in sheet
    assert "owner's own sales" not in sheet
    assert "neither party is asked for its sales, prices or customer data" in sheet


# --------------------------------------------------------------------------- 3. side letters


def test_two_letters_are_ranked_and_scope_their_defined_terms(
    render: Callable[..., dict[str, str]],
) -> None:
    second = {
        "key": "logistics",
        "title": "Warehouse Logistics",
        "from": "beta",
        "to": "acme",
        "terms": {"excluded_from_grant_back": True, "notice_before_entry_months": None},
    }
    texts = render({"side_letters": [SHARED["side_letters"][0], second]})
    for name, this in (("surgical", "(1)"), ("logistics", "(2)")):
        letter = texts[f"side-letter-{name}.md"]
        assert (
            "If this letter conflicts with another side letter to the Term Sheet, the letter "
            'that comes earlier in the following order prevails: (1) "Surgical Robotics '
            'Carve-Out"' in letter
        )
        assert f'{this} "' in letter and "(this letter)" in letter
        assert (
            "Terms defined in this letter have their defined meanings in this letter only, and "
            "not in any other side letter to the Term Sheet." in letter
        )


# --------------------------------------------------------------------------- 4. grant-back


def test_no_collaboration_no_grant_back_and_no_grant_back_wording_anywhere(
    render: Callable[..., dict[str, str]],
) -> None:
    texts = render({"grant_back": {"collaboration": None}})
    sheet = texts["term-sheet.md"]
    assert "| 16. Grant-Back | There is no grant-back. Neither party will be obliged" in sheet
    assert "Grant-Back Review Scorecard" not in sheet
    assert "grant-back" not in texts["side-letter-surgical.md"].lower()


def test_a_collaboration_grant_back_is_coherent(render: Callable[..., dict[str, str]]) -> None:
    sheet = render(COLLABORATION)["term-sheet.md"]
    assert '"Collaboration" means joint development of a gripper for car plants;' in sheet
    assert "grants, and will grant" not in sheet
    assert "continue for the term" not in sheet
    assert (
        "Under the Agreement, each party will grant to the other party, on a request approved "
        "as set out below, a non-exclusive, royalty-free licence under its patents claiming "
        "Collaboration Improvements it owns, to exploit them in the Licensed Field and in the "
        "Territory." in sheet
    )
    # Licences for the life of each patent: a grant-back licence follows them past the term.
    assert "but ends when the Agreement ends" not in sheet
    assert (
        'A licence granted under the grant-back lasts, like the licences under "Licence '
        'Duration and Termination", for the life of the licensed patent, beyond the end of the '
        "term of the Agreement, unless it is terminated under that head." in sheet
    )
    assert "The owner will grant the licence on the terms above once both parties have" in sheet


@pytest.mark.parametrize("law", ["england-and-wales", "new-york", "germany", "japan"])
def test_jointly_owned_improvements_replace_each_laws_default_rule(
    render: Callable[..., dict[str, str]], law: str
) -> None:
    sheet = render(COLLABORATION, {"deal": {"governing_law": law}})["term-sheet.md"]
    assert (
        "but may not license, assign or charge it, or its share in it, without the other's "
        "prior written consent" in sheet.replace("License", "license").replace("\u2019", "'")
    )
    # s.36(3) asks consent with no reasonableness qualifier: the clause never "matches" it
    assert (
        "As between the parties, this rule replaces the default rules on joint ownership of "
        "the law of each country in which a jointly owned patent is granted." in sheet
    )
    assert "This matches" not in sheet and "section 36 of the Patents Act" not in sheet


def test_an_exclusive_grant_back_stays_in_the_field_territory_and_term_without_a_veto(
    render: Callable[..., dict[str, str]],
) -> None:
    overrides = {
        "overrides": [
            {
                "rule": "CL-01-EXCLUSIVE-GRANT-BACK",
                "approved_by": "Counsel",
                "date": dt.date(2026, 3, 1),
                "reason": REASON,
            }
        ]
    }
    data = deep_merge(
        COLLABORATION,
        {
            "grant_back": {
                "exclusivity": "exclusive",
                "field_limited": False,
                "consent": "committee",
            }
        },
    )
    texts = render(data, {"governance": {"neutral_chair": False}}, overrides)
    sheet = texts["term-sheet.md"]
    assert "in any field" not in sheet
    assert "to exploit them in the Licensed Field and in the Territory" in sheet
    assert (
        "and after the Agreement ends, the owner remains free to exploit its Improvements" in sheet
    )
    assert "majority of each party's members" not in sheet
    assert "no member or party has a veto over it" in sheet
    assert "departs from the standard playbook" not in sheet


# --------------------------------------------------------------------------- 5. enforcement


def test_enforcement_is_a_request_with_shared_costs_never_a_step_in(
    render: Callable[..., dict[str, str]],
) -> None:
    sheet = render()["term-sheet.md"]
    assert "the other party may enforce the Licensed Patent" not in sheet
    assert (
        "The owner of the Licensed Patent alone will decide whether and how to enforce it, and "
        "will control any proceedings and any defence of the patent's validity" in sheet
    )
    assert "the other party may elect to share the costs of the proceedings equally" in sheet


# --------------------------------------------------------------------------- 6. economic terms


def test_one_rate_mechanism_with_a_limit_and_a_fallback(
    render: Callable[..., dict[str, str]],
) -> None:
    # With a review, the review is the one mechanism (the captured families weighed in it);
    # a renegotiation window never stacks its limit on the review's.
    sheet = render()["term-sheet.md"]
    assert "the royalty rate, any cap and any balancing payment" not in sheet
    assert "ask the other to negotiate" not in sheet
    assert (
        "in the light of the patent families captured during the Capture Period; no review may "
        "increase or reduce a rate by more than 15% of the rate then in force. If the parties "
        "do not agree a revised rate within sixty (60) days after a review begins, the rate "
        "then in force continues until the next review. No other mechanism reopens the rate."
        in sheet
    )
    assert (
        "Any amount not paid when due will carry interest from the day it fell due until it is "
        "paid, at 4% a year above the main refinancing operations rate of the European Central "
        "Bank" in sheet
    )
    # Without a review, the window is the mechanism, with its own limit and fallback.
    window = render({"royalties": {"review_every_months": None}})["term-sheet.md"]
    assert (
        "in the light of the patent families captured during the Capture Period; no revision may "
        "increase or reduce a rate by more than 15% of the rate then in force. If the parties "
        "have not agreed in writing within ninety (90) days of the notice, the terms then in "
        "force continue unchanged." in window
    )
    assert "Rate reviews." not in window


def test_a_paid_up_licence_is_not_reopened_and_has_no_royalty_machinery(
    render: Callable[..., dict[str, str]],
) -> None:
    sheet = render(ROYALTY_FREE)["term-sheet.md"]
    assert "renegotiate" not in sheet and "revised royalty" not in sheet
    assert "Most-Favoured Licensee" not in sheet  # no financial terms to compare: no head
    assert "Royalty Cap" not in sheet  # no running royalty, no cap head
    assert "continuing to pay" not in sheet and "Payment terms." not in sheet
    assert "calculation of royalties" not in sheet
    lump = render({"royalties": {"structure": "lump_sum", "lump_sum": 2500000, "cap": None}})
    lump_sheet = lump["term-sheet.md"]
    assert "As no running royalty is payable, there is no royalty audit." in lump_sheet
    assert "interest as for late payment" not in lump_sheet
    assert "Any amount not paid when due will carry interest" in lump_sheet
    assert "revised royalty" not in lump_sheet


def test_tiered_rates_read_grammatically_and_count_a_product_once(
    render: Callable[..., dict[str, str]],
) -> None:
    tiers = [{"up_to": 10000000, "rate_pct": 2.0}, {"up_to": None, "rate_pct": 1.5}]
    sheet = render(
        {"royalties": {"structure": "tiered", "tiers": tiers, "review_every_months": None}},
        {"term": {"renegotiation_window_months": None}},
    )["term-sheet.md"]
    assert "The rates will not be reviewed." in sheet
    assert (
        "A Licensed Product that practises claims of more than one Licensed Patent of Acme "
        "bears a single royalty, and its Net Sales are counted once in the bands." in sheet
    )


# --------------------------------------------------------------------------- 7. binding heads


def test_no_binding_heads_is_honoured(render: Callable[..., dict[str, str]]) -> None:
    sheet = render({"deal": {"binding_sections": []}, "release": {"standstill_days": None}})[
        "term-sheet.md"
    ]
    assert "This Term Sheet is not legally binding" in sheet
    assert "legally binding on signature" not in sheet
    assert "This section is legally binding." not in sheet
    assert "The Agreement will contain mutual confidentiality obligations" in sheet


def test_a_licence_head_cannot_be_made_binding(tmp_path: Path) -> None:
    text = ACME.read_text(encoding="utf-8").replace(
        "binding_sections: [confidentiality, governing_law, costs]",
        "binding_sections: [confidentiality, licensed_patents]",
    )
    path = tmp_path / "deal.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        "deal.binding_sections[1]: expected one of confidentiality | governing_law | costs | "
        "standstill, "
        "got 'licensed_patents'" in result.output
    )


# --------------------------------------------------------------------------- 8. courts


def test_the_courts_of_a_named_place_instead_of_arbitration(
    render: Callable[..., dict[str, str]],
) -> None:
    courts = {
        "dispute_resolution": {
            "arbitration": None,
            "courts": {"place": "England and Wales", "exclusive": False},
        }
    }
    sheet = render(courts)["term-sheet.md"]
    assert "by arbitration" not in sheet and "Arbitration Rules" not in sheet
    # non-exclusive: permissive wording, in the Agreement's head and the binding one
    assert (
        "Any dispute not so resolved may be brought in the courts of England and Wales, which "
        "will have non-exclusive jurisdiction over it; this does not prevent either party from "
        "bringing proceedings in any other competent court." in sheet
    )
    assert (
        "Any such dispute may be brought in the courts of England and Wales, which have "
        "non-exclusive jurisdiction over it" in sheet
    )
    assert "without regard to its conflict-of-laws rules" not in sheet  # English law


@pytest.mark.parametrize("exclusive", [True, False])
def test_us_courts_are_the_state_and_federal_courts_of_a_county_with_a_jury_waiver(
    render: Callable[..., dict[str, str]], exclusive: bool
) -> None:
    courts = {
        "deal": {"governing_law": "new-york"},
        "dispute_resolution": {
            "arbitration": None,
            "courts": {"place": "New York County, New York", "exclusive": exclusive},
        },
    }
    sheet = render(courts)["term-sheet.md"]
    binding = (
        "Any such dispute shall be brought exclusively in the state and federal courts located "
        "in New York County, New York."
        if exclusive
        else "Any such dispute may be brought in the state and federal courts located in New "
        "York County, New York, without preventing either party from bringing proceedings in "
        "any other competent court."
    )
    assert binding in sheet
    assert (
        "Each party irrevocably submits to the personal jurisdiction of those courts and waives "
        "any objection to proceedings in them on the grounds of venue or inconvenient forum, and "
        "each party waives, to the fullest extent the law allows, any right to trial by jury in "
        "any such dispute." in sheet
    )
    assert "the courts of New York" not in sheet and "State of New York, which" not in sheet


def test_a_us_state_alone_is_not_a_courts_place(tmp_path: Path) -> None:
    text = ACME.read_text(encoding="utf-8").replace(
        "  arbitration: {institution: ICC, seat: London, language: English, arbitrators: 3}",
        "  arbitration: null\n  courts: {place: Delaware, exclusive: true}",
    )
    path = tmp_path / "deal.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert (
        "dispute_resolution.courts.place: 'Delaware' names a US State but no city or county; "
        "US patent claims go to the federal courts, so name the city or county whose state and "
        "federal courts are meant, e.g. place: New Castle County, Delaware" in result.output
    )


@pytest.mark.parametrize(
    ("disputes", "message"),
    [
        (
            {"courts": {"place": "England and Wales", "exclusive": True}},
            "dispute_resolution.courts: both arbitration and courts are given; to use the "
            "courts, set dispute_resolution.arbitration to null, or set courts to null",
        ),
        (
            {"arbitration": None},
            "dispute_resolution.arbitration: neither arbitration nor courts is given; give "
            "arbitration: {institution: ICC, seat: London, language: English, arbitrators: 3} "
            "or courts: {place: England and Wales, exclusive: true}",
        ),
    ],
)
def test_a_deal_chooses_arbitration_or_courts_not_both_nor_neither(
    tmp_path: Path, disputes: dict[str, Any], message: str
) -> None:
    data = deep_merge(SHARED, {"dispute_resolution": disputes})
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert message in result.output


# --------------------------------------------------------------------------- 9. on the page


def test_country_names_as_counsel_write_them(render: Callable[..., dict[str, str]]) -> None:
    beta = dict(SHARED["parties"][1], jurisdiction="GB")
    sheet = render(
        {"territory": {"include": ["KR", "US", "GB"], "exclude": []}},
        {"parties": [SHARED["parties"][0], beta]},
    )["term-sheet.md"]
    assert (
        "The Territory is the Republic of Korea, the United States and the United Kingdom." in sheet
    )
    assert "South Korea" not in sheet
    assert "organised under the laws of England and Wales" in sheet
    assert "laws of United Kingdom" not in sheet


def test_capture_period_is_defined_once(render: Callable[..., dict[str, str]]) -> None:
    sheet = render()["term-sheet.md"]
    assert sheet.count('"Capture Period"') == 1


def test_en_us_lists_take_the_serial_comma(render: Callable[..., dict[str, str]]) -> None:
    territory = {"territory": {"include": ["KR", "US", "DE"], "exclude": []}}
    us = render(territory, {"deal": {"locale": "en-US"}})["term-sheet.md"]
    assert "The Territory is the Republic of Korea, the United States, and Germany." in us
    gb = render(territory)["term-sheet.md"]
    assert "The Territory is the Republic of Korea, the United States and Germany." in gb


def test_en_us_spells_the_plural_of_installment_and_capitalized_the_us_way(
    render: Callable[..., dict[str, str]],
) -> None:
    """Each inflection is its own word in the respelling list: "instalment" alone left the
    plural, and the side letter's "capitalised", in UK spelling in a US deal."""
    lump = {
        "royalties": {
            "structure": "lump_sum",
            "rate_pct": None,
            "lump_sum": 3000000,
            "cap": None,
            "instalments": [
                {"date": dt.date(2026, 6, 30), "amount": 1000000},
                {"date": dt.date(2027, 6, 30), "amount": 2000000},
            ],
        }
    }
    texts = render(lump, {"deal": {"locale": "en-US"}})
    sheet, letter = texts["term-sheet.md"], texts["side-letter-surgical.md"]
    assert "in two (2) installments: EUR 1,000,000 on June 30, 2026" in sheet
    assert "on payment of the last installment" in sheet
    assert "Other capitalized terms have the meanings" in letter
    assert "instalment" not in sheet + letter
    assert "capitalised" not in letter


def test_a_head_that_fits_a_page_is_never_split_and_a_long_one_may_be(tmp_path: Path) -> None:
    """The orphaned last line of a head on the next page: each head row says whether
    Word may split it; the long Definitions head may, a short head may not."""
    files = render_deal(ACME, INPUTS, out_dir=tmp_path / "out").files
    with zipfile.ZipFile(io.BytesIO(files["term-sheet.docx"])) as z:
        body = z.read("word/document.xml").decode("utf-8")
    rows = re.findall(r"<w:tr\b.*?</w:tr>", body, re.S)
    heads = {
        m.group(1): row
        for row in rows
        if (m := re.search(r"<w:t[^>]*>(Definitions|Territory|Costs)</w:t>", row))
    }
    assert '<w:cantSplit w:val="false"/>' in heads["Definitions"]
    assert '<w:cantSplit w:val="true"/>' in heads["Territory"]
    assert '<w:cantSplit w:val="true"/>' in heads["Costs"]


def test_a_bare_us_state_as_courts_place_is_answered_with_a_county_of_that_state(
    tmp_path: Path,
) -> None:
    # The example county must lie in the State named: "New Castle County" is in Delaware,
    # so it is never offered for New York.
    text = ACME.read_text(encoding="utf-8").replace(
        "  arbitration: {institution: ICC, seat: London, language: English, arbitrators: 3}",
        "  arbitration: null\n  courts: {place: New York, exclusive: true}",
    )
    path = tmp_path / "deal.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "e.g. place: New York County, New York" in result.output
    assert "New Castle County, New York" not in result.output
