"""Two public chip-maker cross-licences, encoded in examples/real/ from their public text,
render every term they were encoded with, as a reader of the signed agreement would look
for it, and stop on no guardrail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clausesmith.config import find_config
from clausesmith.pipeline import Inputs, render_deal

REAL = Path(__file__).resolve().parents[2] / "examples" / "real"
# The counsel list of examples/real/clausesmith.toml, who signed the deals' overrides.
INPUTS = Inputs(find_config(REAL).sources(None, None, None))

# deal file -> each term of the agreement, as the term sheet must say it
TERMS: dict[str, list[str]] = {
    "nvidia-intel-2011.yaml": [
        # the parties, each "having an office at"
        "NVIDIA Corporation, a corporation organized under the laws of Delaware, United States, "
        "having an office at 2701 San Tomas Expressway, Santa Clara, California 95050",
        "having an office at 2200 Mission College Blvd., Santa Clara, California 95052",
        "\u201cEffective Date\u201d means January 10, 2011",
        # every patent owned at any time, first filed on or before March 31, 2017
        "all patents owned or controlled by a party or its licensed subsidiaries at any time, "
        "whose earliest application was first filed on or before the last day of the Capture "
        "Period",
        "The Capture Period ends on March 31, 2017",
        "so that neither party can acquire such patents to assert against the other",
        # licensed subsidiaries, no sub-licensing beyond them, worldwide
        "its licensed subsidiaries (as described under \u201cAffiliates, Acquisitions and "
        "Divestitures\u201d) a non-exclusive, non-transferable license",
        "The Territory is worldwide.",
        "make, have made, use, sell, offer for sale, import and otherwise dispose of",
        # the products NVIDIA is not licensed for
        "NVIDIA as licensee: the Licensed Field stated above, except Intel Processors and Intel "
        "Compatible Processors, as the Agreement will define them, chipsets that connect to "
        "Intel Processors",
        "flash memory products, to the extent the Agreement will define them",
        # USD 1.5 billion in six instalments
        "Intel will pay NVIDIA a balancing payment of USD 1,500,000,000 in six (6) installments: "
        "USD 300,000,000 on January 18, 2011, USD 300,000,000 on January 13, 2012, "
        "USD 300,000,000 on January 15, 2013, USD 200,000,000 on January 15, 2014, "
        "USD 200,000,000 on January 15, 2015, and USD 200,000,000 on January 15, 2016.",
        # to the last expiry
        "until the last of the Licensed Patents (including those captured during the Capture "
        "Period) expires",
        # termination for non-payment (any amount), bankruptcy and change of control
        "or does not pay an amount due to it under the Agreement, whether or not it disputes "
        "the amount, within sixty (60) days after written notice of non-payment",
        "or if the other party, as licensee, becomes insolvent",
        "terminate the licenses it has granted to the party under new control",
        # the release of all claims, with the Chancery litigation and the chipset licence
        "from all claims, known or unknown, of any kind arising from acts or omissions before "
        "the Effective Date",
        "their directors and officers",
        "the claims made, or that could have been made, in the litigation between the parties "
        "in the Court of Chancery of the State of Delaware and claims for breach of the Chipset "
        "License Agreement",
        # the chipset licence as amended
        "the Chipset License Agreement dated November 18, 2004, as amended by the Amendment to "
        "Chipset License Agreement dated December 22, 2010: the Agreement will state whether it "
        "amends, supersedes or leaves in force that agreement.",
        # being acquired does not bring the acquirer's group in
        "If a party itself comes under the control of another entity, neither that entity nor "
        "any company it controls (other than the party and its licensed subsidiaries",
    ],
    "amd-intel-2001.yaml": [
        "Advanced Micro Devices, Inc., a corporation organized under the laws of Delaware, "
        "United States, having an office at One AMD Place, Sunnyvale, California",
        "having an office at 2200 Mission College Blvd., Santa Clara, California 95052, U.S.A.",
        "\u201cEffective Date\u201d means January 1, 2001",
        "\u201cCapture Period\u201d means the period of ten (10) years from the Effective Date",
        "all patents owned or controlled by a party or its Affiliates at any time during the "
        "Capture Period",
        # Affiliates include a parent; a reasonable-efforts duty, never a guarantee beside it
        "\u201cAffiliate\u201d means, in relation to a party, any entity that controls",
        "Each party will use reasonable efforts to procure that its Affiliates grant the "
        "licenses under their own patents that the Agreement requires of it and comply with the "
        "Agreement.",
        # products defined per party, in confidential text; Integrated Circuit defined
        "AMD as licensee: the AMD Licensed Products defined in the confidential schedule",
        "Intel as licensee: the Intel Licensed Products defined in the confidential schedule",
        "\u201cIntegrated Circuit\u201d means a unit of one or more active or passive circuit "
        "elements",
        # the representation that gives no remedy
        "Representations. AMD represents to Intel that",
        "No representation under this paragraph will give a ground for any claim, for damages "
        "or for termination of the Agreement",
    ],
}


@pytest.mark.parametrize("name", sorted(TERMS))
def test_each_real_agreement_renders_every_term_it_was_encoded_with(
    name: str, tmp_path: Path
) -> None:
    rendered = render_deal(REAL / name, INPUTS, out_dir=tmp_path)
    text = rendered.files["term-sheet.md"].decode("utf-8").replace("**", "").replace("<br>", " ")
    missing = [words for words in TERMS[name] if words not in text]
    assert not missing, missing
    lock = json.loads(rendered.files["clausesmith.lock.json"])
    # the one block, the per-licensee field split, is overridden by counsel on the list
    blocks = [f for f in lock["findings"] if f["severity"] == "block"]
    assert [(f["rule"], f["override"]["approved_by"]) for f in blocks] == [
        ("CL-07-SCOPE-ALLOCATION", "A. Counsel")
    ]


def test_a_reasonable_efforts_duty_never_sits_beside_a_guarantee_in_a_real_agreement(
    tmp_path: Path,
) -> None:
    rendered = render_deal(REAL / "amd-intel-2001.yaml", INPUTS, out_dir=tmp_path)
    text = rendered.files["term-sheet.md"].decode("utf-8").replace("**", "")
    assert "will procure" not in text.replace("reasonable efforts to procure", "")
    assert "responsible for their compliance" not in text
    assert "for itself and its Affiliates" not in text
