"""What tests read of console output."""

from __future__ import annotations

import re


def without_notes(output: str) -> str:
    """Console output without the notes under a deal's line (`  note: ...`), for tests of
    what else a run prints; the notes have tests of their own."""
    return re.sub(r"^  note: .*\n", "", output, flags=re.M)
