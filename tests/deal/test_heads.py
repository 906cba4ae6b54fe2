"""The heads a real cross-licence has: release, standstill, duration, insolvency, and the
rest. Each default renders the reference deal sensibly; each bad combination is refused with
a message that names the key and what to type instead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.assemble.assembler import assemble
from clausesmith.cli.main import cli
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.resources import Sources
from helpers.deals import deep_merge

INPUTS = Inputs(Sources.resolve())
runner = CliRunner()


def twin(acme_out: Path) -> str:
    return (acme_out / "term-sheet.md").read_text(encoding="utf-8")


def row(text: str, heading: str) -> str:
    return next(line for line in text.splitlines() if f". {heading} |" in line)


def test_the_reference_deal_has_release_duration_and_insolvency_heads(acme_out: Path) -> None:
    text = twin(acme_out)
    release = row(text, "Release of Past Infringement")
    assert "each party, for itself and its Affiliates, will release the other party" in release
    assert "No payment is due for the release." in release
    standstill = row(text, "Standstill and Without-Prejudice Exchanges")
    assert "the end of ninety (90) days after that date" in standstill
    assert "exchanged without prejudice and for the purpose of settlement only" in standstill
    # a standstill that does not bind does nothing: printed, it binds, and the legend says so
    assert standstill.startswith(
        "| 11. Standstill and Without-Prejudice Exchanges | This section is legally binding."
    )
    assert (
        "“Costs” and “Standstill and Without-Prejudice Exchanges”, which are legally binding"
        in text
    )
    duration = row(text, "Licence Duration and Termination")
    assert "will last for the life of that patent" in duration
    assert "within sixty (60) days after written notice" in duration
    insolvency = row(text, "Insolvency Protection")
    assert "section 365(n) of the United States Bankruptcy Code" in insolvency
    assert "section 103 of the German Insolvency Code" in insolvency
    assert "the licences Beta grants will be granted irrevocably" in insolvency


def test_the_sell_off_is_stated_once_under_the_term_head(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    path = variant(
        {
            "term": {"renewal": "none", "renewal_years": None, "sell_off_months": 3},
            "duration": {"licences_last": "end_of_term"},  # where a sell-off can bite
        }
    )
    result = runner.invoke(cli, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")
    assert "sold off for three (3) months" in row(text, "Term and Renewal")
    assert text.count("sold off") == 1
    assert "sell" not in row(text, "Licence Duration and Termination")


def test_a_binding_standstill_is_named_in_the_legend(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    path = variant({"deal": {"binding_sections": ["confidentiality", "standstill"]}})
    result = runner.invoke(cli, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")
    assert "headed “Confidentiality” and “Standstill and Without-Prejudice Exchanges”" in text
    standstill = row(text, "Standstill and Without-Prejudice Exchanges")
    assert "This section is legally binding. It grants no licence and waives no claim" in standstill


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"release": {"scope": "one_way"}},
            "release.releasing_party: a one-way release needs the party that gives it; "
            "give releasing_party: a party key",
        ),
        (
            {"release": {"releasing_party": "acme"}},
            "release.releasing_party: only a one-way release has a releasing party, and scope "
            "is mutual; set releasing_party: null",
        ),
        (
            {
                "release": {
                    "scope": "none",
                    "payment": {"amount": 5, "currency": "EUR", "payer": "acme"},
                }
            },
            "release.payment: there is no release to pay for (scope: none); set payment: null",
        ),
        (
            {"release": {"from_date": dt.date(2026, 4, 1)}},
            "release.from_date: the release reaches back from the Effective Date, so from_date "
            "must be before it; got 2026-04-01",
        ),
        (
            {"release": {"payment": {"amount": 5, "currency": "EUR", "payer": "gamma"}}},
            "release.payment.payer: 'gamma' names no party; use 'acme' or 'beta'",
        ),
        (
            {"duration": {"licences_last": "forever"}},
            "duration.licences_last",
        ),
    ],
)
def test_bad_release_and_duration_keys_are_refused_with_what_to_type(
    variant: Callable[..., Path], changes: dict[str, Any], message: str
) -> None:
    path = variant(changes)
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


# Every key that makes something payable, paid to Beta (the German party) and by it.
PAYMENTS_TO_BETA: dict[str, dict[str, Any]] = {
    "royalty": {"royalties": {"payer": "acme"}},
    "lump_sum": {
        "royalties": {
            "structure": "lump_sum",
            "payer": "acme",
            "rate_pct": None,
            "cap": None,
            "lump_sum": 3000000,
            "instalments": [
                {"date": dt.date(2026, 6, 30), "amount": 1000000},
                {"date": dt.date(2027, 6, 30), "amount": 2000000},
            ],
        }
    },
    "grant_back_royalty": {"grant_back": {"royalty": "bearing", "royalty_rate_pct": 1.5}},
    "blocking_share": {"grant_back": {"blocking": "revenue_share", "blocking_share_pct": 3}},
    "release_payment": {
        "release": {"payment": {"amount": 400000, "currency": "EUR", "payer": "acme"}}
    },
}
ROYALTY_FREE = {
    "structure": "royalty_free",
    "payer": None,
    "rate_pct": None,
    "cap": None,
    "scenarios": None,
    "most_favoured_licensee": False,
    "currency": "EUR",
}


@pytest.mark.parametrize("key", list(PAYMENTS_TO_BETA))
def test_the_german_licensor_guardrail_reads_every_payment_to_the_german_party(
    variant: Callable[..., Path], key: str
) -> None:
    rule = "CL-14-INSOLVENCY-GERMAN-LICENSOR"
    base = {} if key in ("royalty", "lump_sum") else {"royalties": ROYALTY_FREE}
    changes = deep_merge(base, PAYMENTS_TO_BETA[key])
    the_plan = plan_deal(variant(changes), INPUTS)
    finding = next(f for f in the_plan.findings if f.rule == rule)
    assert finding.severity == "warn"
    assert finding.message.startswith("Beta, a party established in Germany, is owed the ")
    assert "risk under InsO §103" in finding.message
    insolvency = " ".join(dict(assemble(the_plan)[0].texts)["insolvency"])
    assert "fully paid-up when the Agreement is signed" not in insolvency
    assert "nothing remains for the licensee to perform" not in insolvency
    secured = variant({**changes, "insolvency": {"german_licensor": "security"}}, "s.yaml")
    assert rule not in {f.rule for f in plan_deal(secured, INPUTS).findings}


def test_the_german_licensor_guardrail_is_silent_when_nothing_is_owed_to_the_german_party(
    variant: Callable[..., Path],
) -> None:
    rule = "CL-14-INSOLVENCY-GERMAN-LICENSOR"
    reference = plan_deal(variant({}), INPUTS)  # Beta pays the royalty
    assert rule not in {f.rule for f in reference.findings}
    paid_by_beta = {"release": {"payment": {"amount": 4, "currency": "EUR", "payer": "beta"}}}
    assert rule not in {f.rule for f in plan_deal(variant(paid_by_beta, "b.yaml"), INPUTS).findings}


def test_the_boilerplate_is_one_other_terms_head_and_affiliates_one_head(acme_out: Path) -> None:
    text = twin(acme_out)
    other = [line for line in text.splitlines() if ". Other Terms |" in line]
    assert len(other) == 1
    for label in (
        "No implied licences.",
        "Warranties.",
        "Liability.",
        "Marking.",
        "Export control.",
        "Notices.",
        "Entire agreement.",
    ):
        assert label in other[0], label
    assert "the side letter “Surgical Robotics Carve-Out” dated 2 March 2026" in other[0]
    assert (
        sum(". Affiliates, Acquisitions and Divestitures |" in line for line in text.splitlines())
        == 1
    )


# Every position that is not the playbook's default, in one deal.
NON_DEFAULT: dict[str, Any] = {
    "release": {
        "scope": "one_way",
        "releasing_party": "acme",
        "from_date": dt.date(2020, 1, 1),
        "unknown_claims": False,
        "payment": {"amount": 4000000, "currency": "EUR", "payer": "beta"},
        "standstill_days": None,
        "claim_charts_without_prejudice": False,
    },
    "duration": {
        "licences_last": "end_of_term",
        "cure_days": 30,
        "terminate_on_insolvency": False,
    },
    "insolvency": {"german_licensor": "security"},
    "affiliates": {
        "licensed": "subsidiaries",
        "control_pct": 75,
        "binding": "reasonable_efforts",
        "acquisitions": "excluded",
        "divestiture": "none",
    },
    "products": {"have_made": "unrestricted", "pass_through": False},
    "grant": {"form": "covenant_not_to_sue"},
    "liability": {"cap": {"amount": 5000000, "currency": "EUR"}, "exclude_indirect": False},
    "standards": {"frand": "none_declared"},
    "defensive_suspension": {"scope": "none"},
}


def test_a_deal_with_every_non_default_position_says_each(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["render", str(variant(NON_DEFAULT)), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "o" / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")
    for words in (
        # subsidiaries under a reasonable-efforts duty: the release names licensed subsidiaries
        # and gives no strict promise for them (the Affiliates head asks for efforts)
        "Acme, for itself, will release Beta and Beta\u2019s licensed subsidiaries from "
        "all claims for infringement of Acme\u2019s Licensed Patents by acts done on or after "
        "1 January 2020",
        "Beta will pay Acme EUR 4,000,000 for the release",
        "will end when the term of the Agreement ends",
        "within thirty (30) days after written notice describing the breach. A challenge",
        "Beta will grant the licensee, when the Agreement is signed, a security over the "
        "Licensed Patents it owns. The security will not depend on Beta\u2019s insolvency",
        "more than 75% of the voting rights",
        "will use reasonable efforts to procure",
        "unless the parties agree in writing",
        "will lose its licence on the divestiture.",
        "made for it by any third party",
        "beyond those the applicable law gives a purchaser",
        "instead of granting a licence, each party will covenant not to sue the other party "
        "and its licensed subsidiaries",
        "will be limited to EUR 5,000,000 in aggregate",
        "it has declared none of its Licensed Patents essential",
        "There will be no defensive suspension",
    ):
        assert words in text, words
    # no standstill: no head, and no without-prejudice paragraph on its own
    assert "Standstill and Without-Prejudice" not in text
    assert "without prejudice" not in text
    assert "Form of grant" not in text  # the covenant is chosen in Licensed Patents


@pytest.mark.parametrize("key", ["grant_back_royalty", "blocking_share", "release_payment"])
def test_a_non_payment_termination_is_accepted_wherever_something_is_payable(
    variant: Callable[..., Path], key: str
) -> None:
    changes = deep_merge(
        {"royalties": ROYALTY_FREE, "duration": {"non_payment_days": 30}}, PAYMENTS_TO_BETA[key]
    )
    result = runner.invoke(cli, ["validate", str(variant(changes))])
    assert "non_payment_days" not in result.output, result.output
    assert result.exit_code == 0, result.output


def test_every_kind_of_payment_the_model_lists_is_tried_on_the_german_party() -> None:
    """A kind added to the payment model without a deal here that pays it to Beta fails."""
    from clausesmith.deal.payments import KINDS

    assert set(PAYMENTS_TO_BETA) == set(KINDS)
