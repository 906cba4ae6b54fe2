"""Typed documents built by hand for the writers' tests: the reference term sheet and side
letter as the assembler would build them, a hostile party name, and the shipped templates."""

# Legal text uses typographic apostrophes and quotes on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime as dt
import types
import typing
from pathlib import Path
from typing import Any

from clausesmith.assemble.document_model import Content, SideLetter, TermSheet
from clausesmith.docx.writer import CoreProperties

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
TERM_SHEET = TEMPLATES / "term-sheet.docx"
SIDE_LETTER = TEMPLATES / "side-letter.docx"

NASTY = 'Smith & Söhne <Holdings> "Ltd" — 株式会社'
CORE = CoreProperties(
    title="Patent Cross-Licence Term Sheet",
    subject="acme-beta-2026",
    keywords="cross-licence; term sheet",
    created=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
)

HEADS: list[tuple[str, list[str], bool]] = [
    (
        "Parties",
        [
            "Acme Robotics, Inc. (“Acme”) and Beta Automation GmbH (“Beta”), each a “Party” and "
            "together the “Parties”, and for the purposes of the licences only their Affiliates "
            "from time to time, meaning any entity that controls, is controlled by or is under "
            "common control with a Party, for so long as that control lasts.",
        ],
        False,
    ),
    (
        "Licensed Patents",
        [
            "All patents and patent applications owned or controlled by a Party, worldwide, "
            "claiming an invention first filed during the Capture Period, including those listed "
            "in Annex A, together with all continuations, continuations-in-part, divisionals, "
            "reissues, re-examinations and foreign counterparts of any of them.",
            "A patent acquired from a third party after the Effective Date is a Licensed Patent "
            "only if the acquiring Party may grant a licence under it without paying a third "
            "party; the acquiring Party shall notify the other within 30 days of acquisition.",
        ],
        False,
    ),
    (
        "Capture Period",
        [
            "The period beginning on 1 January 2016 and ending on the fifth anniversary of the "
            "Effective Date. Inventions first filed after the Capture Period are not licensed, "
            "even if they claim priority from an application filed within it.",
        ],
        False,
    ),
    (
        "Licensed Field",
        [
            "Industrial robotic manipulators, grippers and end-effectors, and the motion-control "
            "software and sensors supplied with them, for use in factory automation, warehouse "
            "logistics and electronics assembly.",
        ],
        False,
    ),
    (
        "Excluded Field",
        [
            "Surgical and medical robotics, addressed by the side letter on the Surgical Robotics "
            "Carve-Out; consumer household robots; and any product sold for military use.",
        ],
        False,
    ),
    ("Territory", ["Worldwide."], False),
    (
        "Term and Renewal",
        [
            "From the Effective Date until the expiry of the last Licensed Patent to expire. The "
            "Parties shall meet no later than six months before the end of the Capture Period "
            "to negotiate in good faith whether to extend it for a further five years.",
        ],
        False,
    ),
    (
        "Grant-Back",
        [
            "Each Party grants the other a non-exclusive, royalty-free licence under any "
            "improvement to the other’s Licensed Patents that directly arises from the joint "
            "development programme, within the Licensed Field and for the Capture Period only.",
            "No Party is obliged to assign, or to grant an exclusive licence under, any "
            "improvement, and improvements developed independently are outside the grant-back.",
        ],
        False,
    ),
    (
        "Royalties",
        [
            "Beta shall pay Acme a running royalty of 2% of Net Sales of Licensed Products that "
            "practise a claim of an Acme Licensed Patent in the country of manufacture or sale, "
            "less any royalty Beta pays a third party for the same product (up to half the "
            "royalty otherwise due). Acme pays no royalty. The royalty model is in Annex B.",
        ],
        False,
    ),
    (
        "Royalty Cap",
        [
            "Royalties payable for any calendar year shall not exceed EUR 1,500,000 in "
            "aggregate, pro rata for a part year.",
        ],
        False,
    ),
    (
        "Most-Favoured Licensee",
        [
            "If Acme grants a third party a licence under the Acme Licensed Patents in the same "
            "field and territory on more favourable royalty terms, Beta may elect, within 60 days "
            "of notice, to take those terms together with all related conditions.",
        ],
        False,
    ),
    (
        "Pre-existing Licences",
        [
            "The licences are subject to the licences each Party granted before the Effective "
            "Date, which each Party shall list in confidence within 30 days of signature.",
        ],
        False,
    ),
    (
        "Right to Challenge",
        [
            "Each Party may challenge the validity or enforceability of any Licensed Patent of "
            "the other at any time. A challenge is not a breach and does not entitle the "
            "patent owner to terminate or to increase any royalty.",
        ],
        False,
    ),
    (
        "Prosecution and Maintenance",
        [
            "Each Party prosecutes and maintains its own Licensed Patents at its own cost and "
            "discretion; a Party abandoning a Licensed Patent shall give the other 60 days’ "
            "notice and the option to take it over at its own cost.",
        ],
        False,
    ),
    (
        "Enforcement",
        [
            "The owner has the first right to act against infringement of its Licensed Patents "
            "in the Licensed Field. If it has not acted within 90 days of a written request, the "
            "other Party may act at its own cost, and the owner shall join as a party if needed.",
        ],
        False,
    ),
    (
        "Audit",
        [
            "Beta shall keep complete records of Net Sales for three years. Once a year an "
            "independent accountant appointed by Acme may inspect them on 30 days’ notice. Acme "
            "bears the cost unless the audit shows an underpayment of more than 5%.",
        ],
        False,
    ),
    (
        "Governance",
        [
            "A joint review committee of two members from each Party and a neutral chair with "
            "patent licensing expertise shall score each grant-back request against the "
            "criteria in Annex C. The chair votes only to break a tie.",
        ],
        False,
    ),
    (
        "Confidentiality",
        [
            "The existence and terms of this term sheet and of the negotiations are confidential "
            "and may be disclosed only to a Party’s Affiliates, professional advisers and "
            "financing sources who are bound by duties of confidence, or as required by law.",
        ],
        True,
    ),
    (
        "Assignment and Change of Control",
        [
            "Neither Party may assign the licences without the other’s consent, save together "
            "with the whole of the business to which they relate. On a change of control the "
            "licences continue, but do not extend to the acquirer’s existing products.",
        ],
        False,
    ),
    (
        "Dispute Resolution",
        [
            "Senior executives shall negotiate for 30 days; then WIPO mediation; failing "
            "settlement within 60 days, WIPO arbitration by three arbitrators seated in Geneva, "
            "in English. Disputes over a royalty calculation go to an independent expert.",
        ],
        False,
    ),
    (
        "Governing Law",
        [
            "English law governs this term sheet and any non-contractual obligations "
            "arising from it."
        ],
        True,
    ),
    (
        "Costs",
        ["Each Party bears its own costs of negotiating and documenting the transaction."],
        True,
    ),
]


def typed(context: dict[str, Any]) -> Content:
    """A dict fixture as the typed document the assembler builds (a side letter has a
    `letter_key`), so a fixture missing or misspelling a field fails here, not in a template."""
    return _as(SideLetter if "letter_key" in context else TermSheet, context)


def _as(kind: Any, value: Any) -> Any:
    if typing.get_origin(kind) in (types.UnionType, typing.Union):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return None if value is None else _as(options[0], value)
    if typing.get_origin(kind) is tuple:
        return tuple(_as(typing.get_args(kind)[0], v) for v in value)
    if isinstance(kind, type) and hasattr(kind, "__dataclass_fields__"):
        hints = typing.get_type_hints(kind)
        return kind(**{k: _as(hints[k], v) for k, v in value.items()})
    return value


def term_sheet_context() -> dict[str, Any]:
    return {
        "deal_id": "acme-beta-2026",
        "marking": "Draft: subject to contract",
        "page": {"width": "11906", "height": "16838"},
        "title": "Patent Cross-Licence Term Sheet",
        "date": "2 March 2026",
        "parties": [
            {
                "name": "Acme Robotics, Inc.",
                "short_name": "Acme",
                "description": "a corporation organised under the laws of Delaware, United States",
                "address": "1201 Orange Street, Wilmington, DE 19801, United States",
            },
            {
                "name": "Beta Automation GmbH",
                "short_name": "Beta",
                "description": "a limited liability company organised under the laws of Germany",
                "address": "",
            },
        ],
        "legend": (
            "This term sheet records the principal terms on which the Parties intend to enter "
            "into a patent cross-licence agreement. It is not legally binding and creates no "
            "obligation to negotiate or to enter into any agreement, except the sections headed "
            "Confidentiality, Governing Law and Costs, which bind the Parties from signature."
        ),
        "heads": [
            {
                "number": str(i),
                "heading": h,
                "paragraphs": list(p),
                "binding": b,
                "keep_together": True,
            }
            for i, (h, p, b) in enumerate(HEADS, start=1)
        ],
        "annexes": {
            "patents": {
                "title": "Annex A: Patent Schedule",
                "status_columns": False,  # no status and expiry columns
                "rows": [
                    {
                        "owner": "Acme",
                        "ref": "US 11,203,456 B2",
                        "title": "Adaptive gripper force control",
                    },
                    {
                        "owner": "Acme",
                        "ref": "EP 3 456 789 B1",
                        "title": "Compliant wrist joint with torque sensing",
                    },
                    {
                        "owner": "Beta",
                        "ref": "DE 10 2019 123 456 A1",
                        "title": "Vision-guided bin picking | calibration method",
                    },
                    {
                        "owner": "Beta",
                        "ref": "US 2023/0123456 A1",
                        "title": "Collision detection for collaborative manipulators",
                    },
                ],
            },
            "royalty_model": {
                "title": "Annex B: Royalty Model",
                "sensitivity": [],  # no sensitivity table
                "intro": (
                    "The table shows the royalty Beta would pay Acme for one calendar year under "
                    "three Net Sales scenarios, at 2% of Net Sales before the annual cap of "
                    "EUR 1,500,000 is applied. Figures are illustrative and not a forecast."
                ),
                "rows": [
                    {
                        "scenario": "Worst",
                        "net_sales": "EUR 8,000,000",
                        "royalty_before_cap": "EUR 160,000",
                        "cap": "EUR 1,500,000",
                        "payable": "EUR 160,000",
                    },
                    {
                        "scenario": "Base",
                        "net_sales": "EUR 45,000,000",
                        "royalty_before_cap": "EUR 900,000",
                        "cap": "EUR 1,500,000",
                        "payable": "EUR 900,000",
                    },
                    {
                        "scenario": "Best",
                        "net_sales": "EUR 120,000,000",
                        "royalty_before_cap": "EUR 2,400,000",
                        "cap": "EUR 1,500,000",
                        "payable": "EUR 1,500,000",
                    },
                ],
                "notes": [
                    "Rounding: each royalty is rounded to the nearest euro after the cap.",
                    "Offsets for third-party royalties are not shown.",
                ],
            },
            "scorecard": {
                "title": "Annex C: Grant-Back Review Scorecard",
                "intro": (
                    "The joint review committee scores each grant-back request from 0 to 100 on "
                    "each criterion; the weighted sum decides the request."
                ),
                "rows": [
                    {
                        "criterion": "Necessity",
                        "weight": "40",
                        "description": (
                            "Whether the requesting Party needs the improvement to practise its "
                            "licence in the Licensed Field, and whether a non-infringing "
                            "alternative exists at comparable cost."
                        ),
                    },
                    {
                        "criterion": "Value contribution",
                        "weight": "35",
                        "description": (
                            "The requesting Party’s contribution to the joint development from "
                            "which the improvement arose."
                        ),
                    },
                    {
                        "criterion": "Sales velocity",
                        "weight": "25",
                        "description": (
                            "The likely effect of the licence on the owner’s sales of its own "
                            "products in the field."
                        ),
                    },
                ],
                "threshold": "A request is approved at a weighted score of 60 or more out of 100.",
                "notes": [],
            },
        },
        "signatures": [
            {
                "party_name": "Acme Robotics, Inc.",
                "signatory_name": "Dana Whitfield",
                "signatory_title": "General Counsel",
            },
            {"party_name": "Beta Automation GmbH", "signatory_name": "", "signatory_title": ""},
        ],
    }


def side_letter_context() -> dict[str, Any]:
    return {
        "deal_id": "acme-beta-2026",
        "marking": "Draft: subject to contract",
        "page": {"width": "12240", "height": "15840"},
        "letter_key": "surgical",
        "title": "Surgical Robotics Carve-Out",
        "date": "2 March 2026",
        "sender": {
            "name": "Acme Robotics, Inc.",
            "address": "1201 Orange Street, Wilmington, DE 19801, United States",
        },
        "addressee": {
            "name": "Beta Automation GmbH",
            "address": "Industriestraße 12, 70565 Stuttgart, Germany",
            "attention": "For the attention of: Jürgen Weiß, Geschäftsführer",
        },
        "re": "Re: Patent Cross-Licence Term Sheet dated 2 March 2026",
        "salutation": "Dear Beta Automation GmbH",
        "paragraphs": [
            {
                "number": "1",
                "heading": "Surgical robotics",
                "text": (
                    "Notwithstanding the Licensed Field, no licence is granted under the Acme "
                    "Licensed Patents for the design, manufacture or sale of robotic systems "
                    "intended for use in surgical procedures on humans or animals, including "
                    "teleoperated and autonomous instruments, their end-effectors and the "
                    "software that controls them. Acme will consider in good faith any request "
                    "from Beta for a separate licence in that field."
                ),
            },
            {
                "number": "2",
                "heading": "Incorporation",
                "text": (
                    "This letter is incorporated into and amends the term sheet and, once signed, "
                    "the definitive cross-licence agreement. Terms defined in the term sheet have "
                    "the same meaning in this letter."
                ),
            },
            {
                "number": "3",
                "heading": "Precedence",
                "text": (
                    "In any conflict between this letter and the term sheet or the definitive "
                    "agreement, this letter prevails."
                ),
            },
            {
                "number": "4",
                "heading": "",
                "text": "This letter is governed by English law.",
            },
        ],
        "closing": "Yours faithfully,",
        "sender_signature": {
            "party_name": "Acme Robotics, Inc.",
            "signatory_name": "Dana Whitfield",
            "signatory_title": "General Counsel",
        },
        "countersignature": {
            "intro": "We agree to the terms of this letter.",
            "party_name": "Beta Automation GmbH",
            "signatory_name": "",
            "signatory_title": "",
        },
    }


def nasty_term_sheet() -> dict[str, Any]:
    context = term_sheet_context()
    context["parties"][1]["name"] = NASTY
    context["parties"][1]["short_name"] = 'S&S "Holdings"'
    context["signatures"][1]["party_name"] = NASTY
    context["heads"][0]["paragraphs"].append(f"{NASTY} joins as a guarantor; text after it.")
    return context
