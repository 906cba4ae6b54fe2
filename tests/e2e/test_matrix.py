"""Every allowed value of every enumerated key, one axis at a time, plus the pairs that interact.

Each variant of the reference deal either renders, with the expected clause in the lock and
the expected words in the text twin, or stops with the expected guardrail. A blocked variant
is then rendered again with counsel's override, because a walk-away clause must read right
too. No rendered twin may contain template debris, Python values or empty rows.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausesmith.errors import Blocked, InvalidInput
from clausesmith.inputs.places import us_state
from clausesmith.pipeline import Inputs, plan_deal, render_deal
from clausesmith.resources import Sources
from helpers.deals import ACME, COLLABORATION, COUNSEL, REASON, deep_merge
from helpers.matrix import AXES, CAP_PAIRS, CHALLENGE, GRANT_BACK_PAIRS, change

INPUTS = Inputs(Sources.resolve(counsel=COUNSEL))
# The reference deal with a described collaboration, so that every grant-back position is
# printed (without one there is no grant-back).
REFERENCE: dict[str, Any] = deep_merge(
    yaml.safe_load(ACME.read_text(encoding="utf-8")),
    {"grant_back": {"collaboration": COLLABORATION}},
)

# (key, value) -> (slot, clause id, words the text twin must contain).
EXPECTED: dict[tuple[str, Any], tuple[str, str, str]] = {
    ("deal.governing_law", "england-and-wales"): (
        "governing_law",
        "disputes/governing_law",
        "the laws of England and Wales",
    ),
    ("deal.governing_law", "new-york"): (
        "governing_law",
        "disputes/governing_law",
        "the laws of the State of New York",
    ),
    ("deal.governing_law", "delaware"): (
        "governing_law",
        "disputes/governing_law",
        "the laws of the State of Delaware",
    ),
    ("deal.governing_law", "california"): (
        "governing_law",
        "disputes/governing_law",
        "the laws of the State of California",
    ),
    ("deal.governing_law", "germany"): (
        "governing_law",
        "disputes/governing_law",
        "the laws of the Federal Republic of Germany",
    ),
    ("deal.governing_law", "switzerland"): (
        "governing_law",
        "disputes/governing_law",
        "the substantive laws of Switzerland",
    ),
    ("deal.governing_law", "singapore"): (
        "governing_law",
        "disputes/governing_law",
        "the laws of the Republic of Singapore",
    ),
    ("deal.governing_law", "japan"): (
        "governing_law",
        "disputes/governing_law",
        "the laws of Japan",
    ),
    ("deal.locale", "en-GB"): ("parties", "general/parties", "Dated 2 March 2026"),
    ("deal.locale", "en-US"): ("parties", "general/parties", "Dated March 2, 2026"),
    ("deal.status", "draft"): (
        "legend",
        "general/legend_non_binding",
        "The words “Draft: subject to contract” on this Term Sheet do not apply to the binding "
        "sections.",
    ),
    ("deal.status", "execution"): (
        "legend",
        "general/legend_non_binding",
        "does not amount to an offer capable of acceptance. No licence, covenant",
    ),
    # The reference deal reviews its rate, so no renegotiation window prints (one mechanism).
    ("term.renewal", "none"): ("term", "term/fixed_no_renewal", "seven (7) years"),
    ("term.renewal", "mutual"): ("term", "term/fixed_with_renewal", "seven (7) years"),
    ("term.renewal", "automatic"): ("term", "term/fixed_with_renewal", "seven (7) years"),
    ("grant_back.scope", "none"): ("grant_back", "grant_back/none", "Grant-Back"),
    ("grant_back.scope", "collaboration_improvements"): (
        "grant_back",
        "grant_back/collaboration_free",
        "Collaboration Improvements",
    ),
    ("grant_back.scope", "non_severable_improvements"): (
        "grant_back",
        "grant_back/non_severable_free",
        "Non-Severable Improvements",
    ),
    ("grant_back.scope", "all_improvements"): (
        "grant_back",
        "grant_back/all_improvements",
        "Improvements",
    ),
    ("grant_back.exclusivity", "exclusive"): ("grant_back", "grant_back/exclusive", "exclusive"),
    ("grant_back.royalty", "bearing"): ("grant_back", "grant_back/non_exclusive_bearing", "1.5%"),
    ("royalties.structure", "royalty_free"): ("royalties", "royalties/royalty_free", "royalty"),
    ("royalties.structure", "running"): ("royalties", "royalties/running", "2%"),
    ("royalties.structure", "tiered"): ("royalties", "royalties/tiered", "EUR 10,000,000"),
    ("royalties.structure", "lump_sum"): ("royalties", "royalties/lump_sum", "EUR 2,500,000"),
    ("royalties.cap.period", "annual"): ("royalty_cap", "royalties/cap_annual", "EUR 1,500,000"),
    ("royalties.cap.period", "lifetime"): (
        "royalty_cap",
        "royalties/cap_lifetime",
        "EUR 1,500,000",
    ),
    ("royalties.most_favoured_licensee", False): ("most_favoured_licensee", "mfl/none", ""),
    ("royalties.most_favoured_licensee", True): ("most_favoured_licensee", "mfl/full", ""),
    ("challenge.no_challenge", True): ("right_to_challenge", "challenge/no_challenge", "challenge"),
    ("challenge.termination_on_challenge", True): (
        "right_to_challenge",
        "challenge/termination_on_challenge",
        "terminate",
    ),
    ("prosecution.maintenance", "each_owner"): ("prosecution", "prosecution/each_owner", ""),
    ("prosecution.maintenance", "shared"): (
        "prosecution",
        "prosecution/shared_with_step_in",
        "50%",
    ),
    ("prosecution.enforcement", "owner_first"): (
        "enforcement",
        "enforcement/owner_first",
        "ninety (90) days",
    ),
    ("prosecution.enforcement", "joint"): ("enforcement", "enforcement/joint", ""),
    ("governance.neutral_chair", True): (
        "governance",
        "governance/neutral_chair_committee",
        "neutral",
    ),
    ("governance.neutral_chair", False): ("governance", "governance/party_committee", ""),
    ("assignment.change_of_control", "consent"): ("assignment", "assignment/consent", "consent"),
    ("assignment.change_of_control", "free"): ("assignment", "assignment/with_business", ""),
    ("assignment.change_of_control", "terminate"): (
        "assignment",
        "assignment/terminate_on_change_of_control",
        "terminate",
    ),
    ("dispute_resolution.mediation.provider", "WIPO"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the WIPO Mediation Rules",
    ),
    ("dispute_resolution.mediation.provider", "CEDR"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the CEDR Model Mediation Procedure",
    ),
    ("dispute_resolution.mediation.provider", "JAMS"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the JAMS International Mediation Rules",
    ),
    ("dispute_resolution.mediation.provider", "ICC"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the ICC Mediation Rules",
    ),
    ("dispute_resolution.arbitration.institution", "ICC"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the ICC Rules of Arbitration",
    ),
    ("dispute_resolution.arbitration.institution", "WIPO"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the WIPO Arbitration Rules",
    ),
    ("dispute_resolution.arbitration.institution", "LCIA"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the LCIA Arbitration Rules",
    ),
    ("dispute_resolution.arbitration.institution", "ICDR"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the ICDR International Arbitration Rules",
    ),
    ("dispute_resolution.arbitration.institution", "SIAC"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the SIAC Rules",
    ),
    ("dispute_resolution.arbitration.institution", "JAMS"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the JAMS International Arbitration Rules",
    ),
    ("dispute_resolution.arbitration.institution", "DIS"): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "the DIS Arbitration Rules",
    ),
    ("dispute_resolution.arbitration.arbitrators", 1): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "by a sole arbitrator",
    ),
    ("dispute_resolution.courts.exclusive", True): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "decided by the courts of England and Wales, which will have exclusive jurisdiction",
    ),
    ("dispute_resolution.courts.exclusive", False): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "which will have non-exclusive jurisdiction",
    ),
    ("dispute_resolution.arbitration.arbitrators", 3): (
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "by three (3) arbitrators",
    ),
    # The further heads.
    ("release.scope", "mutual"): (
        "release",
        "release/mutual",
        "each party, for itself and its Affiliates, will release the other party",
    ),
    ("release.scope", "one_way"): (
        "release",
        "release/one_way",
        "Beta will pay Acme EUR 4,000,000 for the release",
    ),
    ("release.scope", "none"): (
        "release",
        "release/none",
        "Neither party will release any claim for infringement before the Effective Date",
    ),
    ("release.unknown_claims", False): (
        "release",
        "release/mutual",
        "from all claims for infringement of its Licensed Patents",
    ),
    ("release.claim_charts_without_prejudice", False): (
        "standstill",
        "release/standstill",
        "The standstill does not restrict either party from challenging the validity",
    ),
    ("release.claim_charts_without_prejudice", True): (
        "standstill",
        "release/standstill",
        "exchanged without prejudice and for the purpose of settlement only",
    ),
    ("duration.licences_last", "patent_life"): (
        "duration",
        "duration/patent_life",
        "will last for the life of that patent, beyond the end of the term of the Agreement",
    ),
    ("duration.licences_last", "end_of_term"): (
        "duration",
        "duration/end_of_term",
        "will end when the term of the Agreement ends",
    ),
    ("duration.terminate_on_insolvency", False): (
        "duration",
        "duration/patent_life",
        "written notice describing the breach. A challenge",
    ),
    ("duration.terminate_on_insolvency", True): (
        "duration",
        "duration/patent_life",
        "to the extent the law that governs the insolvency allows termination on that ground",
    ),
    ("insolvency.german_licensor", "irrevocable_paid_up"): (
        "insolvency",
        "insolvency/irrevocable_paid_up",
        "will be fully paid-up when the Agreement is signed",
    ),
    ("insolvency.german_licensor", "security"): (
        "insolvency",
        "insolvency/security",
        "The security will not depend on Beta\u2019s insolvency or on any decision of its "
        "insolvency administrator, will be perfected (including any registration it needs) "
        "when the Agreement is signed",
    ),
    ("affiliates.licensed", "subsidiaries"): (
        "affiliates",
        "affiliates/subsidiaries",
        "more than 50% of the voting rights",
    ),
    ("affiliates.licensed", "all_affiliates"): (
        "affiliates",
        "affiliates/all_affiliates",
        "will extend to its Affiliates for as long as they remain its Affiliates",
    ),
    ("affiliates.binding", "reasonable_efforts"): (
        "affiliates",
        "affiliates/all_affiliates",
        "will use reasonable efforts to procure that its Affiliates",
    ),
    ("affiliates.binding", "procure"): (
        "affiliates",
        "affiliates/all_affiliates",
        "Each party will procure that its Affiliates",
    ),
    ("affiliates.acquisitions", "included"): (
        "acquisitions",
        "affiliates/acquisitions_included",
        "its patents will become Licensed Patents from that date",
    ),
    ("affiliates.acquisitions", "excluded"): (
        "acquisitions",
        "affiliates/acquisitions_excluded",
        "its patents will not become Licensed Patents, unless the parties agree in writing",
    ),
    ("affiliates.divestiture", "products_at_divestiture"): (
        "divestiture",
        "affiliates/divestiture_licence",
        "limited to the products that business made or sold at the date of the divestiture",
    ),
    ("affiliates.divestiture", "none"): (
        "divestiture",
        "affiliates/divestiture_none",
        "will lose its licence on the divestiture",
    ),
    ("products.have_made", "own_designs"): (
        "licensed_products",
        "products/have_made_own_designs",
        "will not extend to foundry or contract-manufacturing services",
    ),
    ("products.have_made", "unrestricted"): (
        "licensed_products",
        "products/have_made_unrestricted",
        "made for it by any third party",
    ),
    ("products.pass_through", False): (
        "licensed_products",
        "products/have_made_own_designs",
        "no rights under the Agreement beyond those the applicable law gives a purchaser",
    ),
    ("products.pass_through", True): (
        "licensed_products",
        "products/have_made_own_designs",
        "neither party will assert its Licensed Patents against them for those products",
    ),
    ("grant.form", "licence"): (
        "grant_form",
        "other/licence_no_implied",
        "**No implied licences.** The Agreement will grant licences only as it expressly states",
    ),
    ("grant.form", "covenant_not_to_sue"): (
        "licensed_patents",
        "patents/licensed_patents",
        "Under the Agreement, instead of granting a licence, each party will covenant not to sue",
    ),
    ("liability.exclude_indirect", True): (
        "liability",
        "other/liability_exclusions",
        "Neither party will be liable to the other for loss of profit",
    ),
    ("liability.exclude_indirect", False): (
        "liability",
        "other/liability_exclusions",
        "Neither party will limit its liability under the Agreement",
    ),
    ("standards.frand", "encumbered"): (
        "standards",
        "standards/frand_encumbered",
        "will oblige the transferee to bind its own successors in the same way",
    ),
    ("standards.frand", "none_declared"): (
        "standards",
        "standards/none_declared",
        "it has declared none of its Licensed Patents essential to a standard",
    ),
    ("defensive_suspension.scope", "field"): (
        "defensive_suspension",
        "suspension/field",
        "alleging that a product in the Licensed Field of the other party",
    ),
    ("defensive_suspension.scope", "all_patents"): (
        "defensive_suspension",
        "suspension/field",
        "alleging that any product of the other party or its Affiliates infringes",
    ),
    ("defensive_suspension.scope", "none"): (
        "defensive_suspension",
        "suspension/none",
        "There will be no defensive suspension",
    ),
    # What real portfolio cross-licences need.
    ("patents.scope", "scheduled"): (
        "licensed_patents",
        "patents/licensed_patents",
        "The Licensed Patents are the patent families listed in Annex A",
    ),
    ("patents.scope", "portfolio"): (
        "licensed_patents",
        "patents/licensed_patents",
        "Annex A lists examples of them (Acme: two (2) patent families; Beta: two (2) patent "
        "families) for information only",
    ),
    ("term.ends", "fixed_years"): (
        "term",
        "term/fixed_with_renewal",
        "The Agreement will run for seven (7) years from the Effective Date",
    ),
    ("term.ends", "last_patent_expiry"): (
        "term",
        "term/last_patent_expiry",
        "until the last of the Licensed Patents (including those captured during the Capture "
        "Period) expires or is finally held invalid or unenforceable",
    ),
    ("governance.form", "committee"): (
        "governance",
        "governance/neutral_chair_committee",
        "The parties will set up a joint committee",
    ),
    ("governance.form", "none"): (
        "governance",
        "governance/no_committee",
        "The parties will not set up a joint committee.",
    ),
}

# Payments, grant-back mechanics and the keyed "Other Terms" of the payment and grant-back keys.
EXPECTED.update(
    {
        ("royalties.confidential", False): (
            "royalties",
            "royalties/running",
            "a balancing royalty of 2% of Net Sales",
        ),
        ("royalties.confidential", True): (
            "royalties",
            "payments/confidential_schedule",
            "keep confidential (the \u201cConfidential Schedule\u201d)",
        ),
        ("royalties.taxes", "withheld"): (
            "royalty_taxes",
            "payments/taxes_withheld",
            "the paying party may do so, will pay the tax to the proper authority",
        ),
        ("royalties.taxes", "gross_up"): (
            "royalty_taxes",
            "payments/taxes_gross_up",
            "what it would have received had no tax been withheld",
        ),
        ("royalties.taxes", "no_deduction"): (
            "royalty_taxes",
            "payments/taxes_no_deduction",
            "and no additional amount will be payable",
        ),
        ("grant_back.blocking", "veto"): (
            "grant_back_blocking",
            "grant_back_terms/blocking_veto",
            "the requesting party may veto a refusal",
        ),
        ("grant_back.blocking", "revenue_share"): (
            "grant_back_blocking",
            "grant_back_terms/blocking_revenue_share",
            "in return for 3% of the Net Sales",
        ),
        ("challenge.costs", "each_own"): (
            "challenge_costs",
            "challenge_costs/each_own",
            "Each party will bear its own costs of any challenge",
        ),
        ("challenge.costs", "as_awarded"): (
            "challenge_costs",
            "challenge_costs/as_awarded",
            "will lie where the court or patent office deciding it awards them",
        ),
        ("other_terms.freedom_to_operate", "each_party"): (
            "freedom_to_operate",
            "boilerplate/fto_each_party",
            "Each party will bear the risk of third-party rights",
        ),
        ("other_terms.freedom_to_operate", "knowledge_warranty"): (
            "freedom_to_operate",
            "boilerplate/fto_knowledge_warranty",
            "it has received no written claim",
        ),
        ("other_terms.marking", "on_request"): (
            "marking",
            "boilerplate/marking_on_request",
            "At the other party\u2019s written request, each party will mark",
        ),
        ("other_terms.marking", "virtual"): (
            "marking",
            "boilerplate/marking_virtual",
            "Each party will mark Licensed Products by virtual marking",
        ),
        ("other_terms.marking", "none"): (
            "marking",
            "boilerplate/marking_none",
            "Neither party will be obliged to mark Licensed Products",
        ),
        ("other_terms.export_control", "standard"): (
            "export_control",
            "boilerplate/export_standard",
            "Each party will comply with the export-control and sanctions laws",
        ),
        ("other_terms.export_control", "none"): (
            "export_control",
            "boilerplate/export_none",
            "The Agreement will contain no export-control undertaking",
        ),
        ("other_terms.notices", "addresses_and_email"): (
            "notices",
            "boilerplate/notices_email",
            "with a copy by email (to Acme at legal@acme-robotics.example",
        ),
        ("other_terms.notices", "addresses_only"): (
            "notices",
            "boilerplate/notices_addresses",
            "an email is not a notice",
        ),
        # Values that change a clause's words, not the clause chosen.
        ("relationship.competitors", False): (
            "confidentiality",
            "general/confidentiality_binding",
            "is not confidential.<br>These obligations survive",  # no clean-team paragraph
        ),
        ("relationship.competitors", True): (
            "confidentiality",
            "general/confidentiality_binding",
            "As the parties compete, neither party shall disclose to the other",
        ),
        ("grant_back.exclusivity", "non_exclusive"): (
            "grant_back",
            "grant_back/collaboration_free",
            "a non-exclusive, royalty-free licence under its patents claiming Collaboration",
        ),
        ("grant_back.royalty", "free"): (
            "grant_back",
            "grant_back/collaboration_free",
            "royalty-free licence under its patents claiming Collaboration Improvements",
        ),
        ("grant_back.consent", "unanimous"): (
            "annex_scorecard",
            "governance/scorecard_advisory",
            "is recommended for approval",
        ),
        ("grant_back.consent", "committee"): (
            "annex_scorecard",
            "governance/scorecard_decisive",
            "is approved; the licence is then granted without further consent",
        ),
        ("grant_back.field_limited", False): (
            "grant_back",
            "grant_back/collaboration_free",
            "to exploit them in any field and in the Territory",
        ),
        ("grant_back.field_limited", True): (
            "grant_back",
            "grant_back/collaboration_free",
            "to exploit them in the Licensed Field and in the Territory",
        ),
        ("royalties.base", "net_sales"): (
            "royalties",
            "royalties/running",
            "a balancing royalty of 2% of Net Sales of Licensed Products",
        ),
        ("royalties.base", "units"): (
            "royalties",
            "royalties/running",
            "a balancing royalty of 2% on each unit of Licensed Product",
        ),
        ("challenge.right_of_challenge", False): (
            "right_to_challenge",
            "challenge/not_restricted",
            "The Agreement will contain no express right of challenge",
        ),
        ("challenge.right_of_challenge", True): (
            "right_to_challenge",
            "challenge/express_right",
            "Each party may at any time challenge the validity",
        ),
        ("challenge.no_challenge", False): (
            "right_to_challenge",
            "challenge/express_right",
            "A challenge is not a breach of the Agreement",
        ),
        ("challenge.termination_on_challenge", False): (
            "right_to_challenge",
            "challenge/express_right",
            "gives the other party no right to terminate, suspend or vary the licences",
        ),
        ("release.unknown_claims", True): (
            "release",
            "release/mutual",
            "from all claims, known or unknown, for infringement",
        ),
    }
)

# The terms real cross-licences are signed on: each new position, in the head it changes.
EXPECTED.update(
    {
        ("patents.ownership", "during_capture"): (
            "capture_period",
            "patents/capture_period",
            "Patent families first filed after the Capture Period will not be licensed",
        ),
        ("patents.ownership", "at_any_time"): (
            "capture_period",
            "patents/capture_period",
            "so that neither party can acquire such patents to assert against the other",
        ),
        ("release.claims", "infringement"): (
            "release",
            "release/mutual",
            "for infringement of its Licensed Patents by acts done before the Effective Date",
        ),
        ("release.claims", "all_claims"): (
            "release",
            "release/mutual",
            "their directors and officers and their direct and indirect customers",
        ),
        ("duration.terminate_on_insolvency", "elective"): (
            "duration",
            "duration/patent_life",
            "or if the other party, as licensee, becomes insolvent",
        ),
        ("duration.terminate_on_insolvency", "automatic"): (
            "duration",
            "duration/patent_life",
            "will end automatically, without notice, if that party, as licensee, becomes insolvent",
        ),
        ("duration.non_payment_amounts", "undisputed"): (
            "duration",
            "duration/patent_life",
            "or does not pay an undisputed amount due to it under the Agreement within thirty",
        ),
        ("duration.non_payment_amounts", "any"): (
            "duration",
            "duration/patent_life",
            "whether or not it disputes the amount, within thirty (30) days",
        ),
        ("affiliates.licensed", "party_only"): (
            "affiliates",
            "affiliates/party_only",
            "The licences will extend to the parties alone",
        ),
        ("affiliates.control_test", "more_than"): (
            "definitions",
            "general/definitions",
            "the direct or indirect ownership of more than 50% of the voting rights",
        ),
        ("affiliates.control_test", "at_least"): (
            "affiliates",
            "affiliates/subsidiaries",
            "holds at least 50% of the voting rights",
        ),
        ("affiliates.acquired_volume_cap", False): (
            "acquisitions",
            "affiliates/acquisitions_included",
            "none of their patents will become Licensed Patents.",
        ),
        ("affiliates.excluded_developments", False): (
            "affiliates",
            "affiliates/all_affiliates",
            "and comply with the Agreement, and will be responsible for their compliance.",
        ),
        ("affiliates.acquired_volume_cap", True): (
            "acquisitions",
            "affiliates/acquisitions_included",
            "each up to its volume in the twelve (12) months before it",
        ),
        ("affiliates.excluded_developments", True): (
            "affiliates",
            "affiliates/all_affiliates",
            "develops jointly with an independent third party",
        ),
        ("defensive_suspension.effect", "suspend"): (
            "defensive_suspension",
            "suspension/field",
            "Suspension will not be termination",
        ),
        ("defensive_suspension.effect", "terminate"): (
            "defensive_suspension",
            "suspension/field",
            "terminate the licences it has granted to the suing party.",
        ),
        ("defensive_suspension.trigger", "product_suits"): (
            "defensive_suspension",
            "suspension/field",
            "alleging that a product in the Licensed Field of the other party",
        ),
        ("defensive_suspension.trigger", "any_assertion"): (
            "defensive_suspension",
            "suspension/field",
            "any product, process or service in the Licensed Field of the other party",
        ),
    }
)

# Values that change no document, only a finding counsel reads in the lock: (rule, whether the
# value raises it). Without a clean team the reference deal still raises no information
# exchange: its neutral chair alone scores sales velocity, and its letter asks for no notice.
FINDINGS: dict[tuple[str, Any], tuple[str, bool]] = {
    ("governance.clean_team", False): ("CL-13-INFORMATION-EXCHANGE", False),
}
# A clean team prints its terms.
EXPECTED[("governance.clean_team", True)] = (
    "clean_team",
    "governance/clean_team",
    "The Clean Team may report to the parties only whether",
)

# The guardrails a one-key change must trip (severity block) under the standard playbook.
BLOCKS: dict[tuple[str, Any], set[str]] = {
    ("grant_back.scope", "all_improvements"): {"CL-02-ALL-IMPROVEMENTS"},
    ("grant_back.exclusivity", "exclusive"): {"CL-01-EXCLUSIVE-GRANT-BACK"},
    ("challenge.no_challenge", True): {"CL-04-NO-CHALLENGE"},
    ("challenge.termination_on_challenge", True): {"CL-05-TERMINATION-ON-CHALLENGE"},
}

DEBRIS = [
    r"\{\{",
    r"\{%",
    r"\}\}",
    r"\bNone\b",
    r"\bTODO\b",
    r"\bTrue\b",
    r"\bFalse\b",
    r"Decimal\(",
    r"\[[^\]]*\]\(?!\(",
    r"\| *\|",
]


def write_variant(tmp_path: Path, changes: dict[str, Any], overrides: set[str]) -> Path:
    data = deep_merge(REFERENCE, changes)
    if data["relationship"]["competitors"] is False:  # shares by party, not combined
        data["relationship"]["market_share_pct"] = {"acme": 12, "beta": 9}
    data["overrides"] = [
        {
            "rule": r,
            "approved_by": "Test Counsel",
            "date": dt.date(2026, 3, 1),
            "reason": REASON,
        }
        for r in sorted(overrides)
    ]
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def render_and_check(
    tmp_path: Path, changes: dict[str, Any], expected_blocks: set[str]
) -> tuple[dict[str, Any], str]:
    """Render the variant (with overrides for what it must trip); return lock and twins."""
    path = write_variant(tmp_path, changes, set())
    plan = plan_deal(path, INPUTS)
    assert {f.rule for f in plan.blocking} == expected_blocks
    if expected_blocks:
        with pytest.raises(Blocked):
            render_deal(path, INPUTS, out_dir=tmp_path / "out")
        path = write_variant(tmp_path, changes, expected_blocks)
    rendered = render_deal(path, INPUTS, out_dir=tmp_path / "out")
    twins = "\n".join(d.decode("utf-8") for n, d in rendered.files.items() if n.endswith(".md"))
    for pattern in DEBRIS:
        match = re.search(pattern, twins)
        assert match is None, (
            f"{pattern!r} found: ...{twins[max(0, match.start() - 80) : match.end() + 80]}..."
        )
    for line in twins.splitlines():  # no heads-of-terms row without a provision
        assert not re.match(r"^\|[^|]+\|\s*\|$", line), line
    cross_head_rules(deep_merge(REFERENCE, changes), rendered.files)
    lock = json.loads(rendered.files["clausesmith.lock.json"])
    for finding in lock["findings"]:  # counsel's text stays in the lock, never in a document
        assert finding["message"][:60] not in twins, finding["rule"]
        assert finding["title"] not in twins, finding["rule"]
    return lock, twins


MARKING = "Draft: subject to contract"
STANDSTILL = "Standstill and Without-Prejudice Exchanges"


def head_row(sheet: str, heading: str) -> str | None:
    return next((ln for ln in sheet.splitlines() if re.match(rf"^\| \d+\. {heading} \|", ln)), None)


def cross_head_rules(data: dict[str, Any], files: dict[str, bytes]) -> None:
    """What must hold between heads on every variant: the execution version carries no
    "subject to contract" marking and a draft's legend keeps it off the binding heads; a
    printed standstill binds and the legend says so, and the without-prejudice paragraph
    never prints alone; a US courts forum names the state and federal courts of a city or
    county, with submission to jurisdiction and a jury waiver."""
    twins = {n: d.decode("utf-8") for n, d in files.items() if n.endswith(".md")}
    sheet = twins["term-sheet.md"]
    legend = next(ln for ln in sheet.splitlines() if ln.startswith("> *"))
    execution = data["deal"].get("status") == "execution"
    for name, text in twins.items():
        assert (MARKING in text) is not execution, name
    if not execution and "legally binding on signature" in legend:
        assert "“Draft: subject to contract” on this Term Sheet do not apply" in legend
    standstill = head_row(sheet, STANDSTILL)
    release = data.get("release") or {}
    assert (standstill is not None) is (release.get("standstill_days", 90) is not None)
    if standstill is not None:
        assert "This section is legally binding." in standstill
        assert f"“{STANDSTILL}" in legend
    else:
        assert "exchanged without prejudice" not in sheet
    # "this paragraph and the next two" bind: the dispute and definitions paragraphs follow
    for name, text in twins.items():
        if not name.startswith("side-letter-"):
            continue
        numbered = [ln for ln in text.split("\n\n") if re.match(r"^\d+\. ", ln)]
        at = next(i for i, p in enumerate(numbered) if "This paragraph and the next two" in p)
        assert re.match(r"^\d+\. Any dispute about this letter", numbered[at + 1]), name
        assert re.match(r"^\d+\. Terms defined in this letter", numbered[at + 2]), name
    # the deliverable concedes nothing on InsO s.103 and offers no election-triggered security
    assert "will not be fully paid" not in sheet and "conditional assignment" not in sheet
    assert "Form of grant" not in sheet  # a covenant is chosen in Licensed Patents itself
    assert re.search(r"\bone \(1\) (year|month|day)s\b", "\n".join(twins.values())) is None
    if data["deal"].get("governing_law") == "england-and-wales":
        assert "conflict-of-laws" not in "\n".join(twins.values())
    courts = (data.get("dispute_resolution") or {}).get("courts")
    if courts and us_state(courts["place"]):
        for heading in ("Dispute Resolution", "Governing Law"):
            row = head_row(sheet, heading) or ""
            if "courts" not in row or (heading == "Governing Law" and "legally binding" not in row):
                continue
            assert f"state and federal courts located in {courts['place']}" in row, heading
            assert "personal jurisdiction" in row and "trial by jury" in row, heading
            assert ("may be brought" in row) is not courts.get("exclusive", True), heading
        assert (
            re.search(rf"the courts of (the State of )?{us_state(courts['place'])}\b", sheet)
            is None
        )


def chosen(lock: dict[str, Any], slot: str) -> str:
    term_sheet = next(d for d in lock["documents"] if d["path"] == "term-sheet.docx")
    return next(c["id"] for c in term_sheet["clauses"] if c["slot"] == slot)


@pytest.mark.parametrize(("key", "value"), AXES, ids=[f"{k}={v}" for k, v in AXES])
def test_each_allowed_value_renders_or_stops_as_expected(
    tmp_path: Path, key: str, value: Any
) -> None:
    lock, twins = render_and_check(tmp_path, change(key, value), BLOCKS.get((key, value), set()))
    assert ((key, value) in EXPECTED) != ((key, value) in FINDINGS), "say what this value does"
    if (key, value) in EXPECTED:
        slot, clause, words = EXPECTED[(key, value)]
        assert chosen(lock, slot) == clause
        assert words in twins
    else:
        rule, raised = FINDINGS[(key, value)]
        assert (rule in {f["rule"] for f in lock["findings"]}) == raised


@pytest.mark.parametrize(("scope", "exclusivity", "royalty"), GRANT_BACK_PAIRS)
def test_grant_back_scope_exclusivity_and_royalty_together(
    tmp_path: Path, scope: str, exclusivity: str, royalty: str
) -> None:
    changes = {
        "grant_back": {
            "scope": scope,
            "exclusivity": exclusivity,
            "royalty": royalty,
            "royalty_rate_pct": 1.5 if royalty == "bearing" else None,
        }
    }
    blocks = set()
    if scope != "none" and exclusivity == "exclusive":
        blocks.add("CL-01-EXCLUSIVE-GRANT-BACK")
    if scope == "all_improvements":
        blocks.add("CL-02-ALL-IMPROVEMENTS")
    lock, twins = render_and_check(tmp_path, changes, blocks)
    clause = chosen(lock, "grant_back")
    if scope == "none":
        assert clause == "grant_back/none"
    elif exclusivity == "exclusive":
        assert clause == "grant_back/exclusive"
    elif scope == "all_improvements":
        assert clause == "grant_back/all_improvements"
    elif royalty == "bearing":
        assert clause == "grant_back/non_exclusive_bearing"
        assert "1.5%" in twins
    elif scope == "non_severable_improvements":
        assert clause == "grant_back/non_severable_free"
        assert "a non-exclusive, royalty-free licence" in twins
    else:
        assert clause == "grant_back/collaboration_free"
        assert "a non-exclusive, royalty-free licence" in twins
    if scope != "none" and royalty == "bearing":
        assert "1.5%" in twins


@pytest.mark.parametrize(("structure", "period"), CAP_PAIRS)
def test_royalty_structure_with_each_cap_period(
    tmp_path: Path, structure: str, period: str | None
) -> None:
    changes = change("royalties.structure", structure)
    changes["royalties"]["cap"] = None if period is None else {"amount": 1500000, "period": period}
    if structure in ("royalty_free", "lump_sum") and period is not None:
        with pytest.raises(InvalidInput) as caught:
            plan_deal(write_variant(tmp_path, changes, set()), INPUTS)
        assert [p.key for p in caught.value.problems] == ["royalties.cap"]
        return
    lock, twins = render_and_check(tmp_path, changes, set())
    if structure in ("royalty_free", "lump_sum"):  # no running royalty: no cap head at all
        assert ". Royalty Cap |" not in twins
        return
    cap_clause = chosen(lock, "royalty_cap")
    if period is None:
        assert cap_clause == "royalties/no_cap"
        assert "No cap" in twins or "no cap" in twins.lower()
    else:
        assert cap_clause == f"royalties/cap_{period}"
        assert "EUR 1,500,000" in twins
    annex = "Annex B: Royalty Model" in twins
    assert annex == (structure in ("running", "tiered"))


@pytest.mark.parametrize(("right", "no_challenge", "terminate"), CHALLENGE)
def test_challenge_flags_together(
    tmp_path: Path, right: bool, no_challenge: bool, terminate: bool
) -> None:
    changes = {
        "challenge": {
            "right_of_challenge": right,
            "no_challenge": no_challenge,
            "termination_on_challenge": terminate,
        }
    }
    if right and no_challenge:  # contradictory: refused as invalid input
        with pytest.raises(InvalidInput) as caught:
            plan_deal(write_variant(tmp_path, changes, set()), INPUTS)
        assert [p.key for p in caught.value.problems] == ["challenge.no_challenge"]
        return
    blocks = set()
    if no_challenge:
        blocks.add("CL-04-NO-CHALLENGE")
    if terminate:
        blocks.add("CL-05-TERMINATION-ON-CHALLENGE")
    lock, _ = render_and_check(tmp_path, changes, blocks)
    clause = chosen(lock, "right_to_challenge")
    if no_challenge:
        assert clause == "challenge/no_challenge"
    elif terminate:
        assert clause == "challenge/termination_on_challenge"
    elif right:
        assert clause == "challenge/express_right"
    else:
        assert clause == "challenge/not_restricted"


# The Territory as a set of countries (guardrail 7): the parties are Acme (US) and Beta (DE).
TERRITORIES = [
    ({"include": ["WORLD"], "exclude": ["EU"]}, {"CL-07-MARKET-ALLOCATION"}),
    ({"include": ["WORLD"], "exclude": ["EEA"]}, {"CL-07-MARKET-ALLOCATION"}),
    ({"include": ["WORLD"], "exclude": ["DE"]}, {"CL-07-MARKET-ALLOCATION"}),
    ({"include": ["FR", "IT", "JP"], "exclude": []}, {"CL-07-MARKET-ALLOCATION"}),
    ({"include": ["EU"], "exclude": []}, {"CL-07-MARKET-ALLOCATION"}),
    ({"include": ["US", "DE"], "exclude": []}, set()),
    ({"include": ["EU", "US"], "exclude": ["FR"]}, set()),
    ({"include": ["WORLD"], "exclude": ["FR", "GB"]}, set()),
]


@pytest.mark.parametrize(
    ("territory", "blocks"), TERRITORIES, ids=[json.dumps(t) for t, _ in TERRITORIES]
)
def test_each_territory_renders_or_stops_on_the_countries_it_leaves_out(
    tmp_path: Path, territory: dict[str, Any], blocks: set[str]
) -> None:
    render_and_check(tmp_path, {"territory": territory}, blocks)


# A sensitive field's licence treatment against the excluded fields, through the taxonomy.
SENSITIVE_FIELDS = [
    ("included", ["medical devices"], {"CL-10-SIDE-LETTER"}),
    ("included", ["robotics"], {"CL-10-SIDE-LETTER"}),
    ("included", ["consumer robotics"], set()),
    ("excluded", ["medical devices"], set()),
    ("excluded", ["consumer robotics"], set()),
]


@pytest.mark.parametrize(("licence", "excluded", "blocks"), SENSITIVE_FIELDS)
def test_a_sensitive_fields_licence_against_the_excluded_fields(
    tmp_path: Path, licence: str, excluded: list[str], blocks: set[str]
) -> None:
    field = {**REFERENCE["carve_outs"]["sensitive_fields"][0], "licence": licence}
    changes = {"field": {"excluded": excluded}, "carve_outs": {"sensitive_fields": [field]}}
    render_and_check(tmp_path, changes, blocks)


US_COURTS = [
    (law, place, exclusive)
    for law, place in (("new-york", "New York County, New York"), ("delaware", "Wilmington, DE"))
    for exclusive in (True, False)
]


@pytest.mark.parametrize(("law", "place", "exclusive"), US_COURTS)
@pytest.mark.parametrize("status", ["draft", "execution"])
def test_us_courts_and_the_execution_version_hold_across_heads(
    tmp_path: Path, law: str, place: str, exclusive: bool, status: str
) -> None:
    changes = {
        "deal": {"governing_law": law, "locale": "en-US", "status": status},
        "dispute_resolution": {
            "arbitration": None,
            "courts": {"place": place, "exclusive": exclusive},
        },
    }
    _, twins = render_and_check(tmp_path, changes, set())
    assert "state and federal courts located in" in twins


@pytest.mark.parametrize("binding", [[], ["confidentiality"], ["standstill", "costs"]])
@pytest.mark.parametrize("days", [None, 30])
def test_a_standstill_binds_whenever_it_prints(
    tmp_path: Path, binding: list[str], days: int | None
) -> None:
    changes: dict[str, Any] = {
        "deal": {"binding_sections": binding},
        "release": {"standstill_days": days},
    }
    if days is None and "standstill" in binding:
        with pytest.raises(InvalidInput, match="no standstill to bind"):
            plan_deal(write_variant(tmp_path, changes, set()), INPUTS)
        return
    render_and_check(tmp_path, changes, set())


def test_the_matrix_covers_every_enumerated_key() -> None:
    keys = {k for k, _ in AXES}
    assert {
        "deal.governing_law",
        "grant_back.scope",
        "royalties.structure",
        "dispute_resolution.arbitration.institution",
        "assignment.change_of_control",
        "term.renewal",
        "deal.locale",
    } <= keys
    assert len(AXES) >= 60
    _ = copy  # imported for symmetry with conftest helpers


def test_a_tiered_capped_new_york_deal_with_icdr_arbitration_states_each_fact(
    tmp_path: Path,
) -> None:
    """What a reader of such a term sheet checks, with the sums done by hand."""
    changes = {
        "deal": {"governing_law": "new-york", "locale": "en-US"},
        "royalties": {
            "structure": "tiered",
            "rate_pct": None,
            "currency": "USD",
            "tiers": [
                {"up_to": 10000000, "rate_pct": 2.0},
                {"up_to": 50000000, "rate_pct": 1.5},
                {"up_to": None, "rate_pct": 1.0},
            ],
            "cap": {"amount": 1000000, "period": "annual"},
        },
        "dispute_resolution": {
            "arbitration": {
                "institution": "ICDR",
                "seat": "New York",
                "language": "English",
                "arbitrators": 3,
            }
        },
    }
    lock, twins = render_and_check(tmp_path, changes, set())
    assert chosen(lock, "royalties") == "royalties/tiered"
    assert chosen(lock, "royalty_cap") == "royalties/cap_annual"
    assert "Dated March 2, 2026" in twins
    assert "governed by the laws of the State of New York" in twins
    assert "the ICDR International Arbitration Rules" in twins
    assert "seated in New York" in twins
    assert "on Net Sales up to and including USD 10,000,000: 2%" in twins
    assert "will not exceed USD 1,000,000" in twins
    # Base case: 10m at 2% + 30m at 1.5% = 650,000; best: 200,000 + 600,000 + 450,000 =
    # 1,250,000 before the cap, 1,000,000 payable.
    assert "| Base | USD 40,000,000 | USD 650,000 | USD 1,000,000 | USD 650,000 |" in twins
    assert "| Best | USD 95,000,000 | USD 1,250,000 | USD 1,000,000 | USD 1,000,000 |" in twins


# Keys of the further heads that are lists or texts, not enumerations: each variant renders
# its head,
# with the clause the lock names and the words a reader checks.
SCOPE_VARIANTS: list[tuple[str, dict[str, Any], str, str, str]] = [
    (
        "per_licensee",
        {"field": {"per_licensee": [{"licensee": "beta", "excluded_products": ["Acme arms"]}]}},
        "licensee_scope",
        "field/per_licensee",
        "except Acme arms (the “Excluded Products” of Beta)",
    ),
    (
        "capture_until",
        {"patents": {"capture_period_years": None, "capture_until": dt.date(2030, 12, 31)}},
        "capture_period",
        "patents/capture_period",
        "The Capture Period ends on 31 December 2030, or earlier if the Agreement ends earlier, "
        "and does not follow the length of the term.",
    ),
    (
        "non_payment_days",
        {"duration": {"non_payment_days": 45}},
        "duration",
        "duration/patent_life",
        "within forty-five (45) days after written notice of non-payment",
    ),
    (
        "related_agreements",
        {
            "related_agreements": [
                {"title": "Patent Licence", "date": dt.date(2015, 6, 1), "effect": "supersedes"}
            ]
        },
        "related_agreements",
        "carve_outs/related_agreements",
        "(a) the Patent Licence dated 1 June 2015: the Agreement will supersede it",
    ),
    (
        "definitions",
        {
            "definitions": [{"term": "Cobot", "meaning": "a robot arm"}],
            "field": {"excluded": ["consumer robotics", "Cobot"]},
        },
        "definitions",
        "general/definitions",
        "(c) “Capture Period” means the period of seven (7) years from the Effective Date, ending "
        "earlier if the Agreement ends earlier;<br>(d) “Cobot” means a robot arm;<br>"
        "(e) “Collaboration”",
    ),
    (
        "address_kind",
        {
            "parties": [
                {**REFERENCE["parties"][0], "address_kind": "office"},
                REFERENCE["parties"][1],
            ]
        },
        "parties",
        "general/parties",
        "having an office at 1201 Orange Street",
    ),
    (
        "courts_after_mediation",
        {
            "dispute_resolution": {
                "arbitration": None,
                "courts": {"place": "England and Wales", "exclusive": True},
            }
        },
        "dispute_resolution",
        "disputes/negotiation_mediation_arbitration",
        "either party may refer it to the courts.",
    ),
]


@pytest.mark.parametrize(
    ("changes", "slot", "clause", "words"),
    [v[1:] for v in SCOPE_VARIANTS],
    ids=[v[0] for v in SCOPE_VARIANTS],
)
def test_each_list_or_text_key_of_14_renders_its_head(
    tmp_path: Path, changes: dict[str, Any], slot: str, clause: str, words: str
) -> None:
    # A per-licensee split that excludes products from one competitor's licence only is an
    # uneven split between competitors: it renders with counsel's override.
    uneven = {"CL-07-SCOPE-ALLOCATION"} if "per_licensee" in changes.get("field", {}) else set()
    lock, twins = render_and_check(tmp_path, changes, uneven)
    assert chosen(lock, slot) == clause
    assert words in twins


# The list-valued payment and grant-back keys, which the enumerated axes above do not
# reach: each renders without debris, with its clause chosen and its words in the twin.
LISTS: dict[str, tuple[dict[str, Any], str, str, str]] = {
    "instalments": (
        {
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
        },
        "royalties",
        "royalties/lump_sum",
        "EUR 1,000,000 on 30 June 2026 and EUR 2,000,000 on 30 June 2027",
    ),
    "rate_schedule-running": (
        {"royalties": {"rate_schedule": [{"from": dt.date(2029, 4, 1), "rate_pct": 1.5}]}},
        "rate_schedule",
        "payments/rate_schedule",
        "The rate will be 1.5% from 1 April 2029",
    ),
    "rate_schedule-tiered": (
        deep_merge(
            change("royalties.structure", "tiered"),
            {
                "royalties": {
                    "rate_schedule": [{"from": dt.date(2029, 4, 1), "rates_pct": [2, 1, 0.5]}]
                }
            },
        ),
        "rate_schedule",
        "payments/rate_schedule",
        "The marginal rates will be 2%, 1% and 0.5% from 1 April 2029",
    ),
    "confidential-tiered": (
        deep_merge(change("royalties.structure", "tiered"), {"royalties": {"confidential": True}}),
        "royalties",
        "payments/confidential_schedule",
        "at marginal rates on bands of sales, each band and rate set out in a schedule",
    ),
    "milestones": (
        {
            "grant_back": {
                "milestones": [
                    {"event": "the first sale", "effect": "starts", "by": dt.date(2028, 1, 1)},
                    {"event": "the end of the joint phase", "effect": "lapses", "by": None},
                ]
            }
        },
        "grant_back_milestones",
        "grant_back_terms/milestones",
        "No request under the grant-back may be made before the first sale",
    ),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_each_list_key_of_14_renders_its_clause(tmp_path: Path, name: str) -> None:
    changes, slot, clause, words = LISTS[name]
    # A per-licensee split that excludes products from one competitor's licence only is an
    # uneven split between competitors: it renders with counsel's override.
    uneven = {"CL-07-SCOPE-ALLOCATION"} if "per_licensee" in changes.get("field", {}) else set()
    lock, twins = render_and_check(tmp_path, changes, uneven)
    assert chosen(lock, slot) == clause
    assert words in twins


# ---- properties across heads: caps and reviews against duration, payments against CL-14 ----

GERMAN_LICENSOR = "CL-14-INSOLVENCY-GERMAN-LICENSOR"
STRUCTURES: dict[str, dict[str, Any]] = {
    "royalty_free": {"structure": "royalty_free", "payer": None, "rate_pct": None, "cap": None},
    "running_annual": {"structure": "running"},
    "running_lifetime": {"structure": "running", "cap": {"amount": 9000000, "period": "lifetime"}},
    "tiered": {
        "structure": "tiered",
        "rate_pct": None,
        "tiers": [{"up_to": 10000000, "rate_pct": 2.0}, {"up_to": None, "rate_pct": 1.5}],
        "rate_schedule": [{"from": dt.date(2029, 4, 1), "rates_pct": [1.8, 1.2]}],
    },
    "lump_sum": {
        "structure": "lump_sum",
        "rate_pct": None,
        "cap": None,
        "lump_sum": 3000000,
        "instalments": [
            {"date": dt.date(2026, 6, 30), "amount": 1000000},
            {"date": dt.date(2027, 6, 30), "amount": 2000000},
        ],
    },
}
# Every other key that makes something payable (deal/payments.py): a new one belongs here.
EXTRA_PAYMENTS: dict[str, dict[str, Any]] = {
    "none": {},
    "grant_back_royalty": {"grant_back": {"royalty": "bearing", "royalty_rate_pct": 1.5}},
    "blocking_share": {"grant_back": {"blocking": "revenue_share", "blocking_share_pct": 3}},
    "release_payment_to_beta": {
        "release": {"payment": {"amount": 400000, "currency": "EUR", "payer": "acme"}}
    },
    "release_payment_by_beta": {
        "release": {"payment": {"amount": 400000, "currency": "USD", "payer": "beta"}}
    },
}
DURATIONS = [
    ("patent_life", "fixed_years"),
    ("end_of_term", "fixed_years"),
    ("patent_life", "last_patent_expiry"),
]
PROPERTY_CASES = [
    (structure, extra, licences_last, ends, payer, locale)
    for structure in STRUCTURES
    for extra in EXTRA_PAYMENTS
    for licences_last, ends in DURATIONS
    for payer in ("acme", "beta")
    for locale in ("en-GB", "en-US")
]  # 300 plans, assembled without Word: about 15 seconds


def property_variant(
    structure: str, extra: str, licences_last: str, ends: str, payer: str, locale: str
) -> dict[str, Any]:
    royalties = {**STRUCTURES[structure]}
    if royalties.get("payer", "") is not None:
        royalties["payer"] = payer
    if structure == "royalty_free":
        royalties.update({"scenarios": None, "most_favoured_licensee": False})
    term: dict[str, Any] = {"ends": ends}
    if ends == "last_patent_expiry":
        term.update({"years": None, "renewal": "none", "renewal_years": None})
    changes = deep_merge(
        {
            "deal": {"locale": locale},
            "royalties": royalties,
            "term": term,
            "duration": {"licences_last": licences_last},
            "release": {"scope": "mutual"},
        },
        EXTRA_PAYMENTS[extra],
    )
    if extra != "none" and structure == "royalty_free" and extra != "release_payment_by_beta":
        changes["royalties"]["currency"] = "EUR"  # the grant-back's amounts need one
    return changes


def slot_texts(path: Path) -> tuple[Any, dict[str, str]]:
    """The plan, and each term-sheet slot's text, spelled the British way for comparison."""
    from clausesmith.assemble.assembler import assemble

    the_plan = plan_deal(path, INPUTS)
    term_sheet = assemble(the_plan)[0]
    texts = {
        slot: " ".join(paragraphs).replace("license", "licence").replace("License", "Licence")
        for slot, paragraphs in term_sheet.texts
    }
    return the_plan, texts


@pytest.mark.parametrize(
    ("structure", "extra", "licences_last", "ends", "payer", "locale"),
    PROPERTY_CASES,
    ids=["-".join(case) for case in PROPERTY_CASES],
)
def test_payments_caps_and_reviews_agree_across_heads(
    tmp_path: Path,
    structure: str,
    extra: str,
    licences_last: str,
    ends: str,
    payer: str,
    locale: str,
) -> None:
    from clausesmith.deal.payments import payments_of

    changes = property_variant(structure, extra, licences_last, ends, payer, locale)
    the_plan, texts = slot_texts(write_variant(tmp_path, changes, set()))
    deal = the_plan.deal
    owed = payments_of(deal)
    everything = " ".join(texts.values())
    after_term = licences_last == "patent_life" and ends == "fixed_years"

    # Caps and reviews run as long as royalties accrue; the paid-up effect follows them.
    cap, review = texts.get("royalty_cap", ""), texts.get("rate_review", "")
    if structure.startswith("running") or structure == "tiered":
        assert ("for as long as royalties accrue" in cap) == after_term, cap
        assert ("for as long as royalties accrue" in review) == after_term, review
        assert "for the rest of the term" not in cap or not after_term, cap
        if after_term:
            assert "within the cap under" in texts["duration"], texts["duration"]
    else:  # no running royalty: no cap head and no review
        assert "royalty_cap" not in texts and "rate_review" not in texts
    # One rate mechanism, and never "fixed for the term" beside scheduled rates.
    assert not ("Rate reviews." in everything and "ask the other to negotiate" in everything)
    if "Scheduled rates." in everything:
        assert "fixed for the term of the Agreement" not in everything
    # A sell-off only where it can bite.
    assert ("sold off" in texts["term"]) == (not after_term and ends == "fixed_years")
    # A grant-back licence follows the core licences' duration.
    if licences_last == "patent_life":
        assert "ends when the Agreement ends" not in texts["grant_back"]

    # Every amount payable has the same machinery; nothing payable, none of it.
    if owed.any():
        assert "Payment terms." in texts["payment_terms"]
        assert "will carry interest" in texts["payment_terms"]
        assert "Taxes." in texts["royalty_taxes"]
    else:
        assert "payment_terms" not in texts and "royalty_taxes" not in texts
        assert "continuing to pay" not in texts["right_to_challenge"]
    assert "net selling price" not in everything
    if "Net Sales" in everything:
        assert (
            "“Net Sales” means" in texts["definitions"]
            or '"Net Sales" means' in (texts["definitions"])
        )
    assert ("independent chartered or certified public accountant" in texts["audit"]) == (
        owed.on_sales()
    )

    # Payments against CL-14: the German party (Beta) is owed something exactly when the
    # guardrail fires, and then no head says its licences are paid up at signature.
    german = next(p for p in deal.parties if p.jurisdiction[:2] == "DE")
    fired = [f for f in the_plan.findings if f.rule == GERMAN_LICENSOR]
    assert bool(fired) == owed.to(german.key)
    insolvency = texts["insolvency"]
    if owed.to(german.key):
        assert f"{german.short_name}," in fired[0].message
        assert "fully paid-up when the Agreement is signed" not in insolvency
        assert "nothing remains for the licensee to perform" not in insolvency
        assert "licences are royalty-free" not in texts.get("royalty_cap", "")
    else:
        assert "fully paid-up when the Agreement is signed" in insolvency
