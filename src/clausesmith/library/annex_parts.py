"""The named parts of an annex clause, declared in its front matter instead of read by place.

An annex is more than running text: the scorecard's three criteria fill rows of a table,
its threshold is set in bold, the rest are notes. A clause in an annex slot declares its
parts in front matter (`parts: [intro, necessity, ...]`, which lint checks against the annex
the playbook names) and starts each paragraph with the mark of its part
(`{{ part("necessity") }}`, templating/part_marks.py). A paragraph counsel add without a
mark, or a part that renders twice or not at all, is an error naming the clause file; text
is never moved into the wrong cell by its place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clausesmith.errors import InvalidInput, Problem
from clausesmith.templating.part_marks import excerpt

if TYPE_CHECKING:
    from clausesmith.library.clause import Clause

# The parts each kind of annex reads, in order. The last, `notes`, takes every remaining
# paragraph (none or more); each other part is exactly one paragraph.
ANNEX_PARTS: dict[str, tuple[str, ...]] = {
    "royalty_model": ("intro", "notes"),
    "scorecard": (
        "intro",
        "necessity",
        "value_contribution",
        "sales_velocity_impact",
        "threshold",
        "notes",
    ),
}
TAIL = "notes"


def split_parts(
    path: str, declared: tuple[str, ...], marked: tuple[tuple[str | None, str], ...]
) -> dict[str, tuple[str, ...]]:
    """The clause's rendered paragraphs by part name. Each paragraph starts with the
    `{{ part("name") }}` mark of a declared part; after a `notes` paragraph, unmarked
    paragraphs are further notes. Every part but `notes` is exactly one paragraph."""
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for number, (name, text) in enumerate(marked, 1):
        if name is None and current != TAIL:
            return _refuse(
                path,
                f"paragraph {number} ({excerpt(text)}) names no part; start it with "
                f'{{{{ part("NAME") }}}}, NAME one of {list(declared)}, or move it after '
                f"the {TAIL}",
            )
        current = name or current
        assert current is not None
        if current not in declared:
            return _refuse(
                path,
                f"paragraph {number} ({excerpt(text)}) names part {current!r}, which the "
                f"front matter does not declare; declared: {list(declared)}",
            )
        if current in parts and current != TAIL:
            return _refuse(
                path,
                f"part {current!r} is given twice (again in paragraph {number}: "
                f"{excerpt(text)}); each part but {TAIL} is one paragraph",
            )
        parts.setdefault(current, []).append(text)
    missing = [name for name in declared if name not in parts and name != TAIL]
    if missing:
        return _refuse(path, f"renders no paragraph for part(s) {missing} for this deal")
    return {name: tuple(parts.get(name, ())) for name in declared}


def _refuse(path: str, why: str) -> dict[str, tuple[str, ...]]:
    raise InvalidInput([Problem(path, None, None, "parts", why)])


def declaration_problem(clause: Clause, annex: str) -> Problem | None:
    """The problem, at the clause's `parts:` line, if its parts do not fit the annex."""
    why = part_problems(clause.parts, annex)
    if why is None:
        return None
    where = clause.marks.locate(("parts",))
    return Problem(clause.path, where[0] if where else 1, None, "parts", why)


def part_problems(declared: tuple[str, ...], annex: str) -> str | None:
    """Why `declared` does not fit the annex `annex`, or None when it does."""
    wanted = ANNEX_PARTS[annex]
    if declared == wanted:
        return None
    return (
        f"declares parts {list(declared)}, but the {annex} annex reads {list(wanted)}; "
        f"type `parts: [{', '.join(wanted)}]` and keep the paragraphs in that order"
    )
