"""Word-level differences between two texts, wdiff-style: `[-deleted-]{+inserted+}`.

Words and punctuation are separate tokens (the redline's `TOKEN`), so a rate of 2% raised
to 2.5% shows as `[-2-]{+2.5+}%`, not as a whole changed word.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from clausesmith.tools.redline import TOKEN

# Token pairs a diff may weigh: a clause against a clause is some 500 x 500. Text from the
# other side is untrusted, and difflib's worst case grows with the product, so a text
# beyond it is compared as one replaced block (its similarity by the words in common).
MAX_WORK = 4_000_000


@dataclass(frozen=True)
class Hunk:
    old: str
    new: str


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def words(text: str) -> list[str]:
    return [t for t in tokens(text) if not t.isspace()]


def similarity(a: str, b: str) -> float:
    """The share of words two texts have in common, in order: 1.0 when equal."""
    if a == b:
        return 1.0
    left, right = words(a), words(b)
    if len(left) * len(right) > MAX_WORK:
        common = sum((Counter(left) & Counter(right)).values())
        return 2 * common / (len(left) + len(right))
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def _opcodes(a: list[str], b: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    if len(a) * len(b) > MAX_WORK:
        return [("replace", 0, len(a), 0, len(b))]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def diff(old: str, new: str) -> str:
    """`new` with the words of `old` it lacks as [-...-] and its own as {+...+}."""
    a, b = tokens(old), tokens(new)
    pieces: list[str] = []
    for op, a1, a2, b1, b2 in _opcodes(a, b):
        if op == "equal":
            pieces.append("".join(b[b1:b2]))
            continue
        deleted, inserted = "".join(a[a1:a2]), "".join(b[b1:b2])
        if deleted:
            pieces.append(f"[-{deleted}-]")
        if inserted:
            pieces.append(f"{{+{inserted}+}}")
    return "".join(pieces).strip()


def hunks(old: str, new: str) -> list[Hunk]:
    """Each change as the words it took out and the words it put in."""
    a, b = tokens(old), tokens(new)
    return [
        Hunk("".join(a[a1:a2]).strip(), "".join(b[b1:b2]).strip())
        for op, a1, a2, b1, b2 in _opcodes(a, b)
        if op != "equal"
    ]
