"""`{{ part("threshold") }}` at the start of a paragraph names that paragraph's part.

The mark renders as two control characters around the name: a deal value can never hold
them (they are refused at the file and key they come from, as Word cannot hold them), so
only a clause's own `part()` call makes one, and `take_mark` removes every mark before text
reaches a document.
"""

from __future__ import annotations

import re

_START, _END = "\x02", "\x03"  # not whitespace: str.strip() keeps them
_MARK = re.compile(f"{_START}([a-z_]*){_END}")


def part(name: str) -> str:
    """The mark a clause prints to name the paragraph it starts."""
    if not re.fullmatch(r"[a-z_]+", str(name)):
        raise ValueError(f"part({name!r}): a part name is lower-case letters and underscores")
    return f"{_START}{name}{_END}"


def take_mark(paragraph: str) -> tuple[str | None, str]:
    """The part a paragraph starts with (None if unmarked) and its text without any mark."""
    if _START not in paragraph:
        return None, paragraph
    found = _MARK.match(paragraph)
    return (found.group(1) if found else None), _MARK.sub("", paragraph).strip()


def mark_problem(paragraph: str) -> str | None:
    """Why a paragraph's marks cannot be read, else None: a mark inside the paragraph (a
    block tag ate the blank line before it) would name the wrong part, and a mark a filter
    changed would leave control characters Word cannot hold."""
    for found in _MARK.finditer(paragraph):
        if found.start() > 0:
            name = found.group(1)
            return (
                f"has the mark of part {name!r} inside it, not at its start; leave a blank "
                f'line before {{{{ part("{name}") }}}}'
            )
    if _START in _MARK.sub("", paragraph) or _END in _MARK.sub("", paragraph):
        return 'has a part mark changed by a filter; write {{ part("NAME") }} on its own'
    return None


def excerpt(text: str) -> str:
    """A paragraph's start, for a message naming it."""
    return repr(text if len(text) <= 40 else text[:40] + "...")
