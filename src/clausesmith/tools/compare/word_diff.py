"""Word-level differences between two texts, wdiff-style: `[-deleted-]{+inserted+}`.

Words and punctuation are separate tokens (`compare.words`), so a rate of 2% raised
to 2.5% shows as `[-2-]{+2.5+}%`, not as a whole changed word. Text from the other side is
untrusted: the alignment (`compare.sequence`) is near-linear on text and bounded on any input.
"""

from __future__ import annotations

from dataclasses import dataclass

from clausesmith.tools.compare.sequence import opcodes, ratio
from clausesmith.tools.compare.words import tokens, words


@dataclass(frozen=True)
class Hunk:
    old: str
    new: str


def similarity(a: str, b: str) -> float:
    """The share of words two texts have in common, in order: 1.0 when equal."""
    if a == b:
        return 1.0
    return ratio(words(a), words(b))


def diff(old: str, new: str) -> str:
    """`new` with the words of `old` it lacks as [-...-] and its own as {+...+}."""
    a, b = tokens(old), tokens(new)
    pieces: list[str] = []
    for op, a1, a2, b1, b2 in opcodes(a, b):
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
        for op, a1, a2, b1, b2 in opcodes(a, b)
        if op != "equal"
    ]
