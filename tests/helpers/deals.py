"""The reference deals and the variants of them that tests in several stages share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from clausesmith.library.clause import overlay

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ACME = EXAMPLES / "acme-beta.yaml"
MINIMAL = EXAMPLES / "minimal.yaml"


# The collaboration a grant-back limited to collaboration improvements names.
COLLABORATION = "joint development of a force-controlled gripper for automotive assembly lines"

deep_merge = overlay  # the merge clause examples use: null means null, as in a deal file


# The reference deal's patent families with the diligence Annex A records (counsel's item CS-06).
DILIGENCE = ["ownership", "maintenance", "freedom_to_operate"]
DILIGENT_FAMILIES: list[dict[str, Any]] = [
    {
        "owner": "acme",
        "ref": "US 11,203,456 B2",
        "title": "Adaptive gripper force control",
        "status": "granted",
        "expiry": dt.date(2039, 6, 14),
        "diligence": list(DILIGENCE),
    },
    {
        "owner": "acme",
        "ref": "EP 3 456 789 B1",
        "title": "Collision-aware path planning",
        "status": "granted",
        "expiry": dt.date(2038, 2, 3),
        "diligence": list(DILIGENCE),
    },
    {
        "owner": "beta",
        "ref": "EP 3 612 004 B1",
        "title": "Modular actuator housing",
        "status": "granted",
        "expiry": dt.date(2039, 9, 30),
        "diligence": list(DILIGENCE),
    },
    {
        "owner": "beta",
        "ref": "DE 10 2021 104 556 A1",
        "title": "Sensor fusion for pick-and-place",
        "status": "pending",
        "expiry": dt.date(2041, 3, 1),
        "diligence": list(DILIGENCE),
    },
]

# The reference deal changed so that no guardrail fires (no UK in the Territory, a capture
# period within the term, a clean team), for tests about something other than findings.
QUIET: dict[str, Any] = {
    "territory": {"include": ["EU", "US"], "exclude": []},
    "patents": {"capture_period_years": 7, "families": DILIGENT_FAMILIES},
    "governance": {"clean_team": True},
    "grant_back": {"collaboration": "the joint development of a modular gripper platform"},
}

# A royalty-free deal: every royalty key the structure leaves unused set to null.
ROYALTY_FREE: dict[str, Any] = {
    "royalties": {
        "structure": "royalty_free",
        "payer": None,
        "rate_pct": None,
        "cap": None,
        "scenarios": None,
        "currency": None,
        "review_every_months": None,
        "max_adjustment_pct": None,
        "most_favoured_licensee": True,
    }
}


# Who signs the tests' overrides and acknowledgements of law and guidance findings, and a
# reason of substance (at least eight words saying why).
COUNSEL = ("A. Counsel", "Jane Counsel", "J. Counsel", "Test Counsel", "Counsel")
REASON = "Counsel assessed the markets and the shares and accept the position for this deal"
