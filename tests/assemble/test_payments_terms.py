"""Payment structures, grant-back milestones and blocking protection, challenge costs, patent
diligence, the royalty model's sensitivity and the keyed "Other Terms": each renders
what a reader checks, each bad combination is refused naming the key and what to type, and
confidential rates appear nowhere in a deliverable."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.assemble.assembler import assemble
from clausesmith.assemble.document_model import template_context
from clausesmith.assemble.royalty_model import sensitivity
from clausesmith.cli.main import cli
from clausesmith.deal.payments import royalty_period
from clausesmith.docx.totext import docx_to_text
from clausesmith.docx.writer import prepare_template, render_prepared, render_with_docxtpl
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.resources import Sources
from helpers.deals import DILIGENT_FAMILIES
from helpers.document_models import CORE, TERM_SHEET

INPUTS = Inputs(Sources.resolve())
runner = CliRunner()
COLLABORATION = "joint development of a force-controlled gripper for automotive assembly lines"


def render(path: Path, out: Path) -> dict[str, str]:
    """Every deliverable's text: the Markdown twins and the Word files read back."""
    result = runner.invoke(cli, ["render", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "acme-beta-2026"
    # run-in headings ("**Taxes.**") are bold in the twin; the words are what is checked here
    texts = {p.name: p.read_text(encoding="utf-8").replace("**", "") for p in folder.glob("*.md")}
    texts |= {p.name: docx_to_text(p) for p in folder.glob("*.docx")}
    return texts


def row(text: str, heading: str) -> str:
    return next(line for line in text.splitlines() if f". {heading} |" in line)


def refused(variant: Callable[..., Path], changes: dict[str, Any]) -> str:
    result = runner.invoke(cli, ["validate", str(variant(changes))])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


# ---- confidential rates ------------------------------------------------------------------

SECRET = {
    "royalties": {
        "rate_schedule": [{"from": dt.date(2029, 4, 1), "rate_pct": 1.75}],
    },
    "grant_back": {
        "collaboration": COLLABORATION,
        "royalty": "bearing",
        "royalty_rate_pct": 1.5,
        "blocking": "revenue_share",
        "blocking_share_pct": 3.5,
    },
}
# Each figure the deal holds that would show a rate, or let a reader work one out.
FIGURES = [
    r"(?<![\d.,])2%",
    r"(?<![\d.,])1\.5%",
    r"(?<![\d.,])3\.5%",
    r"(?<![\d.,])1\.75%",
    r"(?<![\d.,])3\.75%",
    r"1,500,000",
    r"40,000,000",
    r"75,000,000",
]


def test_confidential_rates_appear_in_no_deliverable(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    printed = render(variant(SECRET), tmp_path / "open")
    term_sheet = printed["term-sheet.md"]
    for figure in FIGURES:  # the same deal, not confidential, prints each of them
        assert re.search(figure, term_sheet), figure
    secret = render(
        variant({**SECRET, "royalties": {**SECRET["royalties"], "confidential": True}}, "c.yaml"),
        tmp_path / "secret",
    )
    assert set(secret) == set(printed)
    for name, text in secret.items():
        for figure in FIGURES:
            assert not re.search(figure, text), (name, figure)
        assert "Royalty Model" not in text  # the model would print the rates
    royalties = row(secret["term-sheet.md"], "Royalties")
    assert (
        "at the rate and on the terms set out in a schedule that the parties will sign with this "
        "Term Sheet and keep confidential (the \u201cConfidential Schedule\u201d)" in royalties
    )
    # neither the rates nor the dates they change on are printed
    assert "will change on the dates, and to the rates, set out in the Confidential Schedule" in (
        royalties
    )
    assert "2029" not in royalties
    cap = row(secret["term-sheet.md"], "Royalty Cap")
    assert "will not exceed the amount set out in the Confidential Schedule" in cap
    grant_back = row(secret["term-sheet.md"], "Grant-Back")
    assert "in return for a royalty at the rate set out in the Confidential Schedule" in grant_back
    assert "in return for the share set out in the Confidential Schedule" in grant_back


def test_confidential_with_nothing_payable_is_refused(variant: Callable[..., Path]) -> None:
    output = refused(
        variant,
        {
            "royalties": {
                "structure": "royalty_free",
                "cap": None,
                "confidential": True,
            }
        },
    )
    assert (
        "royalties.confidential: the licences are royalty-free and no grant-back royalty or "
        "revenue share is payable, so there is no rate to keep confidential; set "
        "confidential: false"
    ) in output


# ---- instalments -------------------------------------------------------------------------

LUMP = {"structure": "lump_sum", "rate_pct": None, "lump_sum": 3000000, "cap": None}
INSTALMENTS = [
    {"date": dt.date(2026, 6, 30), "amount": 1000000},
    {"date": dt.date(2027, 6, 30), "amount": 2000000},
]


def test_instalments_of_a_lump_sum_are_listed_with_their_dates(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    texts = render(variant({"royalties": {**LUMP, "instalments": INSTALMENTS}}), tmp_path)
    royalties = row(texts["term-sheet.md"], "Royalties")
    assert (
        "Beta will pay Acme a balancing payment of EUR 3,000,000 in two (2) instalments: "
        "EUR 1,000,000 on 30 June 2026 and EUR 2,000,000 on 30 June 2027." in royalties
    )
    # The payee's licences are paid up by the last instalment; the payer's by the licences it
    # receives, at signature, as "Insolvency Protection" says of Beta (the German payer).
    assert (
        "the licences Acme grants will be fully paid-up on payment of the last instalment, "
        "and those Beta grants will be fully paid-up when the Agreement is signed" in royalties
    )
    assert "will be fully paid-up when the Agreement is signed" in row(
        texts["term-sheet.md"], "Insolvency Protection"
    )
    # One set of payment terms: the instalments carry late-payment interest like a royalty,
    # and no "Royalty Cap" head says "Not applicable" where there is no running royalty.
    assert (
        "Payment terms. The balancing payment is payable in EUR on the dates stated for its "
        "instalments. Any "
        "amount not paid when due will carry interest from the day it fell due until it is paid, "
        "at 4% a year above the main refinancing operations rate of the European Central Bank"
    ) in royalties
    assert ". Royalty Cap |" not in texts["term-sheet.md"]


def test_instalments_owed_to_the_german_party_leave_its_licences_unpaid_until_the_last(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    """Royalties and Insolvency Protection agree: a German payee's licences are not fully
    paid while instalments are owed to it (InsO §103), so neither head says they are paid
    up at signature."""
    deal = {"royalties": {**LUMP, "payer": "acme", "instalments": INSTALMENTS}}
    sheet = render(variant(deal), tmp_path)["term-sheet.md"]
    assert "the licences Beta grants will be fully paid-up on payment of the last instalment" in (
        row(sheet, "Royalties")
    )
    insolvency = row(sheet, "Insolvency Protection")
    # irrevocable, and nothing that concedes the InsO s.103 point (a counsel note says it)
    assert (
        "the licences Beta grants will be granted irrevocably, for the life of each Licensed "
        "Patent." in insolvency
    )
    assert "fully paid" not in insolvency


@pytest.mark.parametrize(
    ("royalties", "message"),
    [
        (
            {**LUMP, "instalments": [{"date": dt.date(2026, 6, 30), "amount": 1000000}]},
            "royalties.instalments: the instalments sum to 1000000 but lump_sum is 3000000; "
            "make the amounts add up to lump_sum",
        ),
        (
            {"instalments": INSTALMENTS},
            "royalties.instalments: instalments divide a lump sum, and structure is running; "
            "set structure: lump_sum with lump_sum: the total, or instalments: []",
        ),
        (
            {**LUMP, "instalments": [INSTALMENTS[1], INSTALMENTS[0]]},
            "royalties.instalments[1].date: instalments are listed in date order, each after "
            "the one before; 2026-06-30 is not after 2027-06-30",
        ),
        (
            {
                **LUMP,
                "instalments": [
                    {"date": dt.date(2026, 1, 31), "amount": 1000000},
                    INSTALMENTS[1],
                ],
            },
            "royalties.instalments[0].date: an instalment falls due after the term sheet is "
            "dated (2026-03-02); got 2026-01-31",
        ),
    ],
    ids=["sum", "structure", "order", "before-the-date"],
)
def test_bad_instalments_are_refused_with_what_to_type(
    variant: Callable[..., Path], royalties: dict[str, Any], message: str
) -> None:
    assert message in refused(variant, {"royalties": royalties})


# ---- rates keyed to dates ----------------------------------------------------------------

TIERED = {
    "structure": "tiered",
    "rate_pct": None,
    "tiers": [
        {"up_to": 10000000, "rate_pct": 2.0},
        {"up_to": 50000000, "rate_pct": 1.5},
        {"up_to": None, "rate_pct": 1.0},
    ],
}


def test_scheduled_rates_are_stated_for_running_and_tiered_royalties(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    schedule = [
        {"from": dt.date(2028, 4, 1), "rate_pct": 1.75},
        {"from": dt.date(2030, 4, 1), "rate_pct": 1.5},
    ]
    texts = render(variant({"royalties": {"rate_schedule": schedule}}), tmp_path / "r")
    royalties = row(texts["term-sheet.md"], "Royalties")
    assert (
        "Scheduled rates. The rate will be 1.75% from 1 April 2028 and 1.5% from 1 April 2030; "
        "each scheduled rate replaces the rate then in force, including any set on a review, "
        "and later reviews adjust it." in royalties
    )
    assert (
        "the rates scheduled under \u201cRoyalties\u201d from later dates are not modelled"
        in (texts["term-sheet.md"])
    )
    tiered = {
        **TIERED,
        "rate_schedule": [{"from": dt.date(2029, 4, 1), "rates_pct": [1.8, 1.2, 0.8]}],
    }
    texts = render(variant({"royalties": tiered}, "t.yaml"), tmp_path / "t")
    assert (
        "The marginal rates will be 1.8%, 1.2% and 0.8% from 1 April 2029, band by band in the "
        "order above" in row(texts["term-sheet.md"], "Royalties")
    )


@pytest.mark.parametrize(
    ("royalties", "message"),
    [
        (
            {"rate_schedule": [{"from": dt.date(2034, 1, 1), "rate_pct": 1.5}]},
            "royalties.rate_schedule[0].from: a scheduled rate starts after the Effective Date "
            "(2026-04-01) and before the term ends (2033-04-01); got 2034-01-01",
        ),
        (
            {"rate_schedule": [{"from": dt.date(2029, 1, 1), "rates_pct": [1.5]}]},
            "royalties.rate_schedule[0]: a running royalty's schedule gives one rate from each "
            "date; write {from: YYYY-MM-DD, rate_pct: N}",
        ),
        (
            {**TIERED, "rate_schedule": [{"from": dt.date(2029, 1, 1), "rates_pct": [1.5, 1]}]},
            "royalties.rate_schedule[0]: a tiered royalty's schedule gives a rate for each of "
            "the 3 bands from each date, in the order of tiers; write {from: YYYY-MM-DD, "
            "rates_pct: [N, N, N]}",
        ),
        (
            {**LUMP, "rate_schedule": [{"from": dt.date(2029, 1, 1), "rate_pct": 1.5}]},
            "royalties.rate_schedule: a rate schedule changes a running or tiered royalty's "
            "rates, and structure is lump_sum; set rate_schedule: []",
        ),
    ],
    ids=["after-the-term", "running-list", "tiered-count", "lump-sum"],
)
def test_bad_rate_schedules_are_refused_with_what_to_type(
    variant: Callable[..., Path], royalties: dict[str, Any], message: str
) -> None:
    assert message in refused(variant, {"royalties": royalties})


# ---- grant-back milestones and blocking protection ---------------------------------------

MILESTONES = [
    {
        "event": "the first commercial sale of a gripper made under the Collaboration",
        "effect": "starts",
        "by": dt.date(2028, 4, 1),
    },
    {"event": "the end of the joint development phase", "effect": "lapses", "by": None},
]


def test_milestones_start_and_end_the_grant_back_and_the_committees_rights(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    changes = {
        "grant_back": {
            "collaboration": COLLABORATION,
            "consent": "committee",
            "milestones": MILESTONES,
        }
    }
    grant_back = row(render(variant(changes), tmp_path)["term-sheet.md"], "Grant-Back")
    assert (
        "Milestones. No request under the grant-back may be made, and the Committee will have "
        "no power to decide one, before the first commercial sale of a gripper made under the "
        "Collaboration; if that has not occurred by 1 April 2028, the grant-back will not start."
    ) in grant_back
    assert (
        "The grant-back will lapse on the end of the joint development phase. Once it lapses, no "
        "request may be made, the Committee will have no further power to decide requests and "
        "the grant-back will not reach any Improvement conceived after it lapses" in grant_back
    )
    assert "A milestone never extends the grant-back beyond the period stated above." in grant_back


def test_a_milestone_past_the_sunset_is_a_finding(variant: Callable[..., Path]) -> None:
    late = [{"event": "the first sale", "effect": "starts", "by": dt.date(2030, 1, 1)}]
    plan = plan_deal(
        variant({"grant_back": {"collaboration": COLLABORATION, "milestones": late}}), INPUTS
    )
    [finding] = [f for f in plan.findings if f.rule == "CS-06-MILESTONE-PERIOD"]
    assert finding.severity == "warn"
    assert finding.message == (
        "The milestone 'the first sale' has a long-stop date of 2030-01-01, after the "
        "grant-back's sunset on 2029-04-01 (3 years after the Effective Date), so the "
        "grant-back could start after it has ended; the playbook does not accept a milestone "
        "that does not fit the grant-back period. Set grant_back.milestones[0].by on or before "
        "2029-04-01, or lengthen grant_back.sunset_years."
    )


@pytest.mark.parametrize(
    ("grant_back", "message"),
    [
        (
            {"scope": "none", "milestones": MILESTONES},
            "grant_back.milestones: milestones start or end a grant-back, and grant_back.scope "
            "is none; set milestones: []",
        ),
        (
            {
                "milestones": [
                    MILESTONES[0],
                    {**MILESTONES[0], "event": "a second event", "by": dt.date(2028, 5, 1)},
                ]
            },
            "grant_back.milestones[1].effect: only one milestone may start the grant-back; make "
            "this one lapses, or describe both events in one milestone",
        ),
        (
            {"milestones": [{**MILESTONES[1], "by": dt.date(2026, 1, 1)}]},
            "grant_back.milestones[0].by: a milestone's long-stop date falls after the Effective "
            "Date (2026-04-01); got 2026-01-01",
        ),
        (
            {"blocking": "revenue_share"},
            "grant_back.blocking_share_pct: revenue sharing for a blocking improvement needs "
            "the share; give blocking_share_pct: N (a percentage of Net Sales)",
        ),
        (
            {"blocking_share_pct": 3},
            "grant_back.blocking_share_pct: only revenue sharing has a share, and blocking is "
            "veto; set blocking_share_pct: null",
        ),
    ],
    ids=["no-grant-back", "two-starts", "long-stop-early", "share-missing", "share-with-veto"],
)
def test_bad_milestones_and_blocking_are_refused_with_what_to_type(
    variant: Callable[..., Path], grant_back: dict[str, Any], message: str
) -> None:
    assert message in refused(variant, {"grant_back": grant_back})


def test_a_revenue_share_brings_the_audit_and_the_taxes_into_a_royalty_free_deal(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    royalty_free = {"structure": "royalty_free", "payer": None, "rate_pct": None, "cap": None}
    grant_back = {"collaboration": COLLABORATION}
    veto = render(variant({"royalties": royalty_free, "grant_back": grant_back}), tmp_path / "v")
    assert "the requesting party may veto a refusal" in veto["term-sheet.md"]
    assert "Taxes." not in veto["term-sheet.md"]  # nothing is paid
    shared = {**grant_back, "blocking": "revenue_share", "blocking_share_pct": 3}
    texts = render(variant({"royalties": royalty_free, "grant_back": shared}, "s.yaml"), tmp_path)
    term_sheet = texts["term-sheet.md"]
    assert "in return for 3% of the Net Sales of each product of the licensee" in (
        row(term_sheet, "Grant-Back")
    )
    assert "save for the amounts payable under \u201cGrant-Back\u201d" in row(
        term_sheet, "Royalties"
    )
    assert "Taxes. If the law requires a party to withhold tax" in row(term_sheet, "Royalties")
    assert "independent chartered or certified public accountant" in row(term_sheet, "Audit")


# ---- diligence per patent family ---------------------------------------------------------


def test_annex_a_records_each_familys_status_and_expiry_but_never_the_diligence_done(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    families = [*DILIGENT_FAMILIES[:3], {**DILIGENT_FAMILIES[3], "diligence": ["ownership"]}]
    path = variant({"patents": {"families": families}})
    texts = render(path, tmp_path)
    assert (
        "| Acme | US 11,203,456 B2 | Adaptive gripper force control | Granted | 14 June 2039 |\n"
    ) in texts["term-sheet.md"]
    assert (
        "| Beta | DE 10 2021 104 556 A1 | Sensor fusion for pick-and-place | Pending | "
        "1 March 2041 |\n" in texts["term-sheet.md"]
    )
    assert "| Title | Status | Expiry |" in texts["term-sheet.docx"]
    for text in texts.values():  # counsel's diligence is work product: never sent
        assert "freedom to operate |" not in text and "Diligence" not in text
    [finding] = [f for f in plan_deal(path, INPUTS).findings if f.rule == "CS-07-PATENT-DILIGENCE"]
    assert finding.message == (
        "The patent family DE 10 2021 104 556 A1 (Beta) does not record a check that "
        "maintenance fees are current or a freedom-to-operate review; the playbook does not "
        "accept a licensed family whose status, expiry, ownership, maintenance and freedom to "
        "operate have not been checked. For patents.families[3], do and list in diligence: "
        "maintenance, freedom_to_operate."
    )
    for text in texts.values():  # counsel's finding stays out of the documents
        assert "does not record" not in text


def test_an_expired_family_is_refused_and_a_family_with_no_record_is_a_finding(
    variant: Callable[..., Path],
) -> None:
    expired = {**DILIGENT_FAMILIES[0], "expiry": dt.date(2025, 1, 1)}
    bare = {"owner": "beta", "ref": "EP 1", "title": "A housing"}
    result = runner.invoke(cli, ["validate", str(variant({"patents": {"families": [expired]}}))])
    assert result.exit_code == 1
    assert (
        "patents.families[0].expiry: the family US 11,203,456 B2 expires on 2025-01-01, on or "
        "before the Effective Date (2026-04-01), so it has nothing left to license; take it out "
        "of patents.families"
    ) in result.output
    assert "Traceback" not in result.output
    plan = plan_deal(variant({"patents": {"families": [DILIGENT_FAMILIES[0], bare]}}), INPUTS)
    messages = [f.message for f in plan.findings if f.rule == "CS-07-PATENT-DILIGENCE"]
    assert len(messages) == 1
    assert messages[0].startswith(
        "The patent family EP 1 (Beta) does not record its status (granted or pending), its "
        "expiry date, a check of ownership, a check that maintenance fees are current or a "
        "freedom-to-operate review;"
    )


def test_the_reference_schedule_shows_status_and_expiry_never_the_diligence(
    acme_out: Path,
) -> None:
    twin = (acme_out / "term-sheet.md").read_text(encoding="utf-8")
    assert "| Owner | Patent or application | Title | Status | Expiry |\n" in twin
    assert "Diligence done" not in twin


# ---- the royalty model's sensitivity (figures worked by hand) -----------------------------


def sensitivity_of(variant: Callable[..., Path], changes: dict[str, Any]) -> Any:
    deal = plan_deal(variant(changes), INPUTS).deal
    return sensitivity(deal.royalties, royalty_period(deal).years(deal.deal.effective_date))


def test_the_reference_deals_sensitivity_is_printed_in_the_royalty_annex(acme_out: Path) -> None:
    # Rate 2%, annual cap EUR 1,500,000, base case EUR 40,000,000, reviews move 15% at most:
    # the cap binds at 1,500,000 / 2% = 75,000,000; base-case sales reach it at
    # 1,500,000 / 40,000,000 = 3.75%; 2% x 1.15 = 2.3% gives 920,000, 2% x 0.85 = 1.7% 680,000.
    twin = (acme_out / "term-sheet.md").read_text(encoding="utf-8")
    for line in (
        "| Annual net sales at which the Royalty Cap is reached | EUR 75,000,000 |",
        "| Single rate at which base-case net sales reach the Royalty Cap | 3.75% |",
        "| Base-case royalty after a review raising the rate by 15% (to 2.3%) | EUR 920,000 |",
        "| Base-case royalty after a review lowering the rate by 15% (to 1.7%) | EUR 680,000 |",
    ):
        assert line in twin, line
    word = docx_to_text(acme_out / "term-sheet.docx")
    assert "| Annual net sales at which the Royalty Cap is reached | EUR 75,000,000 |" in word


def test_tiered_sensitivity_finds_the_band_where_the_cap_binds(
    variant: Callable[..., Path],
) -> None:
    # Bands 10m at 2% (200,000) and 40m at 1.5% (600,000) make 800,000; the cap of 1,000,000
    # needs 200,000 more at 1%: 20,000,000 more sales, so 70,000,000. At base 40m the single
    # rate is 1,000,000 / 40,000,000 = 2.5%. A 10% review: 2.2% x 10m + 1.65% x 30m =
    # 220,000 + 495,000 = 715,000; down: 1.8% x 10m + 1.35% x 30m = 180,000 + 405,000.
    found = sensitivity_of(
        variant,
        {
            "royalties": {
                **TIERED,
                "cap": {"amount": 1000000, "period": "annual"},
                "max_adjustment_pct": 10,
            }
        },
    )
    assert found.cap_binding_sales == Decimal("70000000")
    assert found.cap_binding_rate_pct == Decimal("2.50")
    up, down = found.reviews
    assert (up.royalty_before_cap, up.payable) == (Decimal("715000"), Decimal("715000"))
    assert (down.royalty_before_cap, down.payable) == (Decimal("585000"), Decimal("585000"))
    assert [float(r) for r in up.rates_pct] == [2.2, 1.65, 1.1]


def test_a_lifetime_cap_and_a_review_the_cap_stops(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    # Licences for the life of each patent: royalties accrue until Acme's last patent expires
    # (14 June 2039), 13 whole years from 1 April 2026. Lifetime cap 9,000,000 over 13 years:
    # 692,307.69 a year, reached at 2% on 34,615,385 of annual sales (half-up); at base 40m
    # the single rate is 1.73%.
    lifetime = {"cap": {"amount": 9000000, "period": "lifetime"}}
    found = sensitivity_of(variant, {"royalties": lifetime})
    assert found.cap_binding_sales == Decimal("34615385")
    assert found.cap_binding_rate_pct == Decimal("1.73")
    # Licences that end with the 7-year term: 1,285,714.29 a year, 64,285,714 and 3.21%.
    found = sensitivity_of(
        variant, {"royalties": lifetime, "duration": {"licences_last": "end_of_term"}}
    )
    assert found.cap_binding_sales == Decimal("64285714")
    assert found.cap_binding_rate_pct == Decimal("3.21")
    # An annual cap of 850,000: a 15% rise gives 920,000 before the cap, 850,000 payable.
    path = variant({"royalties": {"cap": {"amount": 850000, "period": "annual"}}}, "c.yaml")
    twin = render(path, tmp_path)["term-sheet.md"]
    assert (
        "| Base-case royalty after a review raising the rate by 15% (to 2.3%) | EUR 850,000 "
        "(EUR 920,000 before the cap) |" in twin
    )


def test_no_cap_and_no_review_leave_no_sensitivity_table(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    changes = {"royalties": {"cap": None, "review_every_months": None}}
    found = sensitivity_of(variant, changes)
    assert (found.cap_binding_sales, found.cap_binding_rate_pct, found.reviews) == (None, None, ())
    path = variant(changes, "plain.yaml")
    twin = render(path, tmp_path)["term-sheet.md"]
    assert "Annex B: Royalty Model" in twin
    assert "Sensitivity" not in twin
    assert "The sensitivity table" not in twin


# ---- every non-default position at once --------------------------------------------------

NON_DEFAULT: dict[str, Any] = {
    "patents": {"families": DILIGENT_FAMILIES},
    "royalties": {
        "taxes": "gross_up",
        "rate_schedule": [{"from": dt.date(2029, 4, 1), "rate_pct": 1.5}],
    },
    "grant_back": {
        "collaboration": COLLABORATION,
        "consent": "committee",
        "milestones": MILESTONES,
        "blocking": "revenue_share",
        "blocking_share_pct": 3,
    },
    "challenge": {"costs": "as_awarded"},
    "other_terms": {
        "freedom_to_operate": "knowledge_warranty",
        "marking": "virtual",
        "export_control": "none",
        "notices": "addresses_only",
    },
}


def test_a_deal_with_every_non_default_position_of_i14b_says_each(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    texts = render(variant(NON_DEFAULT), tmp_path)
    term_sheet = texts["term-sheet.md"]
    for words in (
        "what it would have received had no tax been withheld",
        "Scheduled rates. The rate will be 1.5% from 1 April 2029",
        "Milestones. No request under the grant-back may be made",
        "in return for 3% of the Net Sales",
        "leaves the grant-back from the date of that decision",
        "will lie where the court or patent office deciding it awards them",
        "and the warranty of third-party claims below, and no other",
        "it has received no written claim that a product practising its Licensed Patents",
        "Each party will mark Licensed Products by virtual marking",
        "The Agreement will contain no export-control undertaking",
        "delivered by hand or by courier to the other party\u2019s address given above",
        "| Granted | 14 June 2039 |",
    ):
        assert words in term_sheet, words
    assert "with a copy by email" not in term_sheet


def test_the_compiled_word_road_gives_docxtpls_bytes_for_the_new_annex_tables(
    variant: Callable[..., Path],
) -> None:
    """Annex A's status and expiry columns and Annex B's sensitivity table, through both
    roads."""
    plan = plan_deal(variant(NON_DEFAULT), INPUTS)
    [term_sheet] = [d for d in assemble(plan) if d.kind == "term_sheet"]
    context = template_context(term_sheet.content)
    assert context["annexes"].patents.status_columns
    assert context["annexes"].royalty_model.sensitivity
    prepared = prepare_template(TERM_SHEET)
    assert prepared.compiled is not None
    plain = render_with_docxtpl(prepared, copy.deepcopy(context), CORE)
    assert render_prepared(prepared, context, CORE) == plain


def test_a_term_to_the_last_patent_stops_the_model_at_the_payees_last_expiry(
    variant: Callable[..., Path],
) -> None:
    to_last_patent = {
        "ends": "last_patent_expiry",
        "years": None,
        "renewal": "none",
        "renewal_years": None,
        "renegotiation_window_months": None,
    }
    changes = {
        "term": to_last_patent,
        "royalties": {
            "cap": {"amount": 9000000, "period": "lifetime"},
            "rate_schedule": [{"from": dt.date(2038, 1, 1), "rate_pct": 1.0}],
        },
    }
    # Acme's last patent expires on 14 June 2039: 13 whole years of royalties.
    found = sensitivity_of(variant, changes)
    assert (found.cap_binding_sales, found.cap_binding_rate_pct) == (
        Decimal("34615385"),
        Decimal("1.73"),
    )
    # With an expiry not stated, nothing bounds the years: no lifetime-cap figures.
    unstated = [{k: v for k, v in f.items() if k != "expiry"} for f in DILIGENT_FAMILIES]
    found = sensitivity_of(variant, {**changes, "patents": {"families": unstated}})
    assert (found.cap_binding_sales, found.cap_binding_rate_pct) == (None, None)
    assert [case.payable for case in found.reviews] == [Decimal("920000"), Decimal("680000")]
