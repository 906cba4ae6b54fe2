"""Who may override or acknowledge a finding, and what a reason must say.

A finding whose basis is `law` or `guidance` concerns the legality of the deal: only a
signer on the repository's counsel list (`counsel` in clausesmith.toml, plus any names the
playbook adds) may override it or acknowledge it, and the reason must be one of substance.
A `policy` finding is the firm's own position and keeps the plain rule (any signer, any
reason), since the playbook's owners decide it.

A reason of substance has at least MIN_WORDS words, MIN_DISTINCT of them different words
outside STOP: "ok", "approved", "fine" and their like record no reasoning a reviewer can
check. Eight words is about the shortest sentence that names a fact and a conclusion
("Shares are below ten per cent on every market").
"""

from __future__ import annotations

import re

MIN_WORDS = 8
MIN_DISTINCT = 5
STOP = frozenset(
    {
        *("ok", "okay", "approved", "approve", "fine", "agreed", "agree", "yes", "accepted"),
        *("accept", "reviewed", "review", "checked", "n", "a", "na", "none", "test", "lgtm"),
        *("done", "noted", "acknowledged", "see", "above", "per", "counsel", "the", "and"),
        *("is", "it", "this", "to", "of", "by", "as", "for", "risk", "low", "tbd", "todo"),
    }
)
BASES = ("law", "guidance")  # the bases whose findings only counsel may clear
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def reason_problem(reason: str) -> str | None:
    """Why a reason is not one of substance, or None."""
    words = [w.casefold() for w in _WORD.findall(reason)]
    distinct = {w for w in words if w not in STOP}
    if len(words) >= MIN_WORDS and len(distinct) >= MIN_DISTINCT:
        return None
    return (
        f"{reason.strip()!r} is not a reason of substance; a {'/'.join(BASES)} finding needs "
        f"at least {MIN_WORDS} words that say why counsel accept the position for this deal "
        "(the facts relied on and the conclusion), not a word such as 'ok' or 'approved'"
    )


def signer_problem(name: str, counsel: tuple[str, ...], what: str) -> str | None:
    """Why `name` may not sign, or None when it is on the counsel list."""
    if normal(name) in {normal(c) for c in counsel}:
        return None
    listed = (
        f"the list holds {', '.join(repr(c) for c in counsel)}"
        if counsel
        else ("the list is empty")
    )
    return (
        f"{name!r} is not on the counsel list, and only counsel may sign the {what} of a "
        f"law or guidance finding ({listed}); have counsel sign it, or add the name to the "
        f'repository\'s clausesmith.toml as counsel = ["{" ".join(name.split())}"] (or to '
        "the playbook's counsel list) once it belongs there"
    )
