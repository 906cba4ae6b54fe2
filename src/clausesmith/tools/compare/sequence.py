"""The alignment of two sequences (paragraph keys, word tokens) for redline, markup and
impact: difflib's opcodes, found in near-linear time on text.

difflib alone grows with the product of the lengths on prose (every token is compared with
every equal token: a space or "the" occurs hundreds of times), and with the cube on
repetitive text: on 2 shared cores, a word alignment of 866 words took 165 ms, of 3,467
words 2.4 to 3.3 s, of one word repeated 800 times 23 s; so redline and markup gave up
past a budget and showed a long text as replaced whole. Now: 866 words in 2 to 5 ms, 3,467
in 7 to 20 ms, 18,000 in 0.1 s, each change found. As git's patience and histogram diffs do:

0. a range of at most LEAF_PAIRS pairs of tokens (some 500 tokens a side: a clause's
   paragraph) is difflib's, exactly: markup's "closest position, 91%" are difflib's ratios;
1. of a larger range, the common start and end are equal, taken in one pass;
2. tokens that occur equally often, and least often, on both sides (unique ones first) are
   paired in order, and the longest chain of pairs in order on both sides (a longest
   increasing subsequence, n log n) becomes the anchors;
3. the gaps between anchors are aligned the same way (from 0), each on its own;
4. a large range with no anchors left (repetitive text) goes to difflib, within the budget.

Every step counts its work against a budget (a Word file may be anyone's): past it, a gap is
kept as its common start and end with one replacement between. The result is the same for
the same input, every time.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

Opcode = tuple[str, int, int, int, int]

# Work one alignment may do (a document's redline shares 10,000,000, redline.DOCUMENT_BUDGET):
# 18,000 words of prose as one text take some 1,500,000; 3,467 words 80,000.
ALIGN_BUDGET = 4_000_000
# A gap goes to difflib only when this small (pairs of tokens): its cost grows with the
# product on prose, and faster on repetitive text.
LEAF_PAIRS = 250_000
# Anchor tokens may occur at most this often on each side: past it the pairing of their
# occurrences in order means little.
MAX_ANCHOR_COUNT = 8


@dataclass
class Budget:
    """Work left for a run of alignments: one count of a range's tokens or of a pair
    difflib compares is one unit."""

    left: int = ALIGN_BUDGET

    def spend(self, work: int) -> bool:
        """False, and nothing left, when `work` does not fit."""
        self.left -= work
        if self.left < 0:
            self.left = 0
            return False
        return True


def opcodes(
    a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget | None = None
) -> list[Opcode]:
    """difflib's opcodes turning `a` into `b` (equal, replace, delete, insert)."""
    return _opcodes(matching_blocks(a, b, budget or Budget()), len(a), len(b))


def ratio(a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget | None = None) -> float:
    """difflib's ratio: twice the tokens matched over the tokens of both; 1.0 when equal."""
    if not a and not b:
        return 1.0
    same = sum(size for _, _, size in matching_blocks(a, b, budget or Budget()))
    return 2 * same / (len(a) + len(b))


def matching_blocks(
    a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget
) -> list[tuple[int, int, int]]:
    """(i, j, n): a[i:i+n] == b[j:j+n], in order on both sides, adjacent blocks merged."""
    found: list[tuple[int, int, int]] = []
    ranges = [(0, len(a), 0, len(b))]
    while ranges:
        alo, ahi, blo, bhi = ranges.pop()
        if (ahi - alo) * (bhi - blo) <= LEAF_PAIRS:  # small: difflib's own answer
            blocks = _difflib_blocks(a, b, alo, ahi, blo, bhi, budget)
            if blocks is not None:
                found.extend(blocks)
                continue
        # the common start and end
        start = 0
        while alo + start < ahi and blo + start < bhi and a[alo + start] == b[blo + start]:
            start += 1
        if start:
            found.append((alo, blo, start))
            alo, blo = alo + start, blo + start
        end = 0
        while alo < ahi - end and blo < bhi - end and a[ahi - 1 - end] == b[bhi - 1 - end]:
            end += 1
        if end:
            found.append((ahi - end, bhi - end, end))
            ahi, bhi = ahi - end, bhi - end
        if alo == ahi or blo == bhi or not budget.spend(ahi - alo + bhi - blo):
            continue  # nothing left, or past the budget: one replacement
        anchors = _anchors(a, b, alo, ahi, blo, bhi)
        if not anchors:
            found.extend(_difflib_blocks(a, b, alo, ahi, blo, bhi, budget) or [])
            continue
        # the gaps between anchors, each aligned on its own
        i0, j0 = alo, blo
        for i, j in anchors:
            found.append((i, j, 1))
            ranges.append((i0, i, j0, j))
            i0, j0 = i + 1, j + 1
        ranges.append((i0, ahi, j0, bhi))
    return _merged(sorted(found))


def _anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """The longest chain, in order on both sides, of pairs of the rarest shared tokens."""
    in_a = Counter(a[alo:ahi])
    in_b = Counter(b[blo:bhi])
    counts = [n for t, n in in_a.items() if in_b.get(t) == n and n <= MAX_ANCHOR_COUNT]
    if not counts:
        return []
    rarest = min(counts)
    seen_in_b: dict[Hashable, list[int]] = {}
    for j in range(blo, bhi):
        token = b[j]
        if in_a.get(token) == rarest and in_b[token] == rarest:
            seen_in_b.setdefault(token, []).append(j)
    pairs: list[tuple[int, int]] = []
    taken: Counter[Hashable] = Counter()
    for i in range(alo, ahi):
        positions = seen_in_b.get(a[i])
        if positions is not None:
            pairs.append((i, positions[taken[a[i]]]))  # k-th occurrence with k-th
            taken[a[i]] += 1
    return _longest_chain(pairs)


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (in order of i) whose j increase too."""
    tails: list[int] = []  # tails[k]: the smallest j ending a chain of length k + 1
    tail_index: list[int] = []  # ... and the index in pairs of that pair
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k] = j
            tail_index[k] = index
        previous.append(tail_index[k - 1] if k else -1)
    chain: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]


class _TooCostly(Exception):
    pass


class _BoundedMatcher(difflib.SequenceMatcher[Any]):
    """difflib's matcher, counting the pairs of tokens it compares against a budget."""

    def __init__(self, a: Sequence[Any], b: Sequence[Any], budget: Budget) -> None:
        self.budget = budget
        super().__init__(None, a, b, autojunk=False)

    def find_longest_match(
        self, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None
    ) -> difflib.Match:
        a: Sequence[Any] = getattr(self, "a")  # noqa: B009 (typeshed leaves them out)
        b2j: dict[Any, list[int]] = getattr(self, "b2j")  # noqa: B009
        end = len(a) if ahi is None else ahi
        if not self.budget.spend(end - alo + sum(len(b2j.get(a[i], [])) for i in range(alo, end))):
            raise _TooCostly
        return super().find_longest_match(alo, end, blo, bhi)


def _difflib_blocks(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    budget: Budget,
) -> list[tuple[int, int, int]] | None:
    """difflib's matching blocks of a gap; None past the budget."""
    matcher = _BoundedMatcher(a[alo:ahi], b[blo:bhi], budget)
    try:
        blocks = matcher.get_matching_blocks()
    except _TooCostly:
        return None
    return [(alo + i, blo + j, n) for i, j, n in blocks if n]


def _merged(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[tuple[int, int, int]] = []
    for i, j, n in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((i, j, n))
    return merged


def _opcodes(blocks: list[tuple[int, int, int]], la: int, lb: int) -> list[Opcode]:
    """difflib's get_opcodes, from matching blocks."""
    ops: list[Opcode] = []
    i = j = 0
    for ai, bj, size in [*blocks, (la, lb, 0)]:
        tag = ""
        if i < ai and j < bj:
            tag = "replace"
        elif i < ai:
            tag = "delete"
        elif j < bj:
            tag = "insert"
        if tag:
            ops.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            ops.append(("equal", ai, i, bj, j))
    return ops
