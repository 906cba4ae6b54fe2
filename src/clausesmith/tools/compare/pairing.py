"""Pairing paragraphs: which paragraph of one text is an edit of which of the other. Two
questions, two pairings, both here.

`in_order` (redline): within a run of blocks the sequence alignment found replaced, which
old block each new one edits. A redline shows the changes where they are, as tracked
changes in document order, so its pairs may never cross: a dynamic programme finds, in
order on both sides, the pairs whose words are most alike in all. Likeness is the share of
distinct words two blocks have in common (`alike`): cheap enough to weigh every pair of a
run of hundreds of blocks, and a paragraph pairs only at SIMILAR or more.

`best_first` (markup): which of our paragraphs each of theirs comes from, wherever they put
it. A counterparty moves paragraphs, so the pairs may cross: every pair is weighed, best
first, each paragraph used once. Likeness is the share of words in order (`similarity`, the
sequence ratio), stricter than shared words, and a pair needs PAIRED: markup reports the
head an edit belongs to and the deal change that reproduces it, so a weak pair would put an
edit under the wrong head, where the redline would only show a deletion and an insertion.

Both read words the same way (`compare.words`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

SIMILAR = 0.34  # below this share of words in common, two paragraphs are replaced, not edited
PAIRED = 0.5  # an edited paragraph keeps at least half its words, in order
MAX_PAIRINGS = 40_000  # best_first: similarity computations, so a rewritten document stays quick

T = TypeVar("T")
# A run of replaced blocks longer than this on both sides together (pairs weighed) is
# paired in order, one with one, without weighing.
MAX_PAIRING = 10_000


def in_order(
    olds: Sequence[T], news: Sequence[T], words_of: Callable[[T], frozenset[str] | str]
) -> list[tuple[T | None, T | None]]:
    """A run of blocks OLD replaced by a run of NEW's, as pairs to diff in place and blocks
    deleted or inserted whole: in order on both sides, the pairs whose words are most alike
    in all (a dynamic programme), a pair only if SIMILAR. So an inserted paragraph does not
    push each edited one after it onto the wrong partner. `words_of` gives a block's words,
    or a name for a block that pairs only with one of the same name (a table, a clause)."""
    old_words, new_words = [words_of(o) for o in olds], [words_of(n) for n in news]
    if len(olds) * len(news) > MAX_PAIRING:  # one with one, where they may pair at all
        pairs: list[tuple[T | None, T | None]] = []
        for o, n, ow, nw in zip(olds, news, old_words, new_words, strict=False):
            may = isinstance(ow, frozenset) == isinstance(nw, frozenset) and (
                isinstance(ow, frozenset) or ow == nw
            )
            pairs += [(o, n)] if may else [(o, None), (None, n)]
        rest = min(len(olds), len(news))
        return pairs + [(o, None) for o in olds[rest:]] + [(None, n) for n in news[rest:]]
    likeness = [[alike(o, n) for n in new_words] for o in old_words]
    # best[i][j]: the most likeness that pairs within olds[i:] and news[j:] can add up to
    best = [[0.0] * (len(news) + 1) for _ in range(len(olds) + 1)]
    for i in range(len(olds) - 1, -1, -1):
        for j in range(len(news) - 1, -1, -1):
            paired = likeness[i][j] + best[i + 1][j + 1] if likeness[i][j] else 0.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    out: list[tuple[T | None, T | None]] = []
    i = j = 0
    while i < len(olds) and j < len(news):
        if likeness[i][j] and best[i][j] == likeness[i][j] + best[i + 1][j + 1]:
            out.append((olds[i], news[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((olds[i], None))
            i += 1
        else:
            out.append((None, news[j]))
            j += 1
    return out + [(o, None) for o in olds[i:]] + [(None, n) for n in news[j:]]


def alike(old: frozenset[str] | str, new: frozenset[str] | str) -> float:
    """The share of distinct words two paragraphs have in common; 0 below SIMILAR."""
    if isinstance(old, str) or isinstance(new, str):
        return 1.0 if old == new else 0.0
    if not old and not new:
        return 1.0
    share = 2 * len(old & new) / (len(old) + len(new))
    return share if share >= SIMILAR else 0.0


def best_first(
    ours: Sequence[str], theirs: Sequence[str], similarity: Callable[[str, str], float]
) -> list[tuple[int, int]]:
    """(i, j): their paragraph j is an edit of our paragraph i; the most similar pairs first,
    each paragraph in one pair at most, none below PAIRED. Nothing past MAX_PAIRINGS."""
    if len(ours) * len(theirs) > MAX_PAIRINGS:
        return []
    scored = sorted(
        (-similarity(ours[i], theirs[j]), j, i)
        for j in range(len(theirs))
        for i in range(len(ours))
    )
    used_ours: set[int] = set()
    used_theirs: set[int] = set()
    pairs = []
    for negative, j, i in scored:
        if -negative < PAIRED:
            break
        if i in used_ours or j in used_theirs:
            continue
        used_ours.add(i)
        used_theirs.add(j)
        pairs.append((i, j))
    return pairs
