"""The field taxonomy counsel keep in `clause_library/fields.yaml`: field -> broader fields.

Fields are compared through it, never as strings: "surgical robotics" lies inside
"medical devices" when the file says so, whatever the case and spacing of either name.
A library without the file has an empty taxonomy: each field then stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausesmith.errors import InvalidInput, Problem
from clausesmith.inputs.yamlio import Loaded, parse, read_text

FILE = "fields.yaml"


def normal(name: str) -> str:
    """The form two names are compared in: lower case, single spaces."""
    return " ".join(name.lower().split())


@dataclass(frozen=True)
class Taxonomy:
    broader: dict[str, tuple[str, ...]] = field(default_factory=dict)  # normalised names

    def known(self, name: str) -> bool:
        return normal(name) in self.broader

    def inside(self, name: str, other: str) -> tuple[str, ...] | None:
        """The chain from `name` up to `other` (both included) if `name` lies inside it."""
        start, goal = normal(name), normal(other)
        paths: list[tuple[str, ...]] = [(start,)]
        seen = {start}
        while paths:  # breadth first: the shortest chain is the one a message shows
            path = paths.pop(0)
            if path[-1] == goal:
                return path
            for up in self.broader.get(path[-1], ()):
                if up not in seen:
                    seen.add(up)
                    paths.append((*path, up))
        return None


def scan_taxonomy(root: Path) -> tuple[Taxonomy, list[Problem]]:
    path = root / FILE
    if not path.exists() and not path.is_symlink():
        return Taxonomy(), []  # no taxonomy: fields compare by name; anything else is read
    label = str(path)
    try:
        loaded = parse(read_text(path, label), label)
    except InvalidInput as exc:
        return Taxonomy(), list(exc.problems)
    return _check(loaded)


def _check(loaded: Loaded) -> tuple[Taxonomy, list[Problem]]:
    problems: list[Problem] = []

    def problem(where: tuple[Any, ...], key: str, message: str) -> None:
        line, col = loaded.marks.locate(where) or (None, None)
        problems.append(Problem(loaded.file, line, col, key, message))

    data = loaded.data
    entries = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or set(data) != {"fields"}:
        problem((), "fields", "expected one key, fields: a mapping of field to broader field")
        return Taxonomy(), problems
    broader: dict[str, tuple[str, ...]] = {}
    for name, up in entries.items():
        ups: list[Any] = [up] if isinstance(up, str) else up if isinstance(up, list) else []
        if (
            not isinstance(name, str)
            or (up is not None and not ups)
            or not all(isinstance(u, str) for u in ups)
        ):
            problem(
                ("fields", name),
                f"fields.{name}",
                "expected a broader field, a list of them, or null",
            )
            continue
        if normal(name) in broader:
            problem(
                ("fields", name),
                f"fields.{name}",
                f"{name!r} is listed twice (names match whatever their case and spacing)",
            )
        broader[normal(name)] = tuple(normal(u) for u in ups)
    taxonomy = Taxonomy(broader)
    for name, uppers in broader.items():
        where = ("fields", next(n for n in entries if isinstance(n, str) and normal(n) == name))
        for up in uppers:
            if up not in broader:
                problem(
                    where,
                    f"fields.{where[1]}",
                    f"names the broader field {up!r}, which is not listed; "
                    "add it (null if it is at the top)",
                )
        if any(taxonomy.inside(up, name) for up in uppers if up in broader):
            problem(
                where,
                f"fields.{where[1]}",
                "lies inside itself; a field's broader fields may not lead back to it",
            )
    return (taxonomy, problems) if not problems else (Taxonomy(), problems)
