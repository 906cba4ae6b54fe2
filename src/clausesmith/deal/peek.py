"""A deal's `deal.id`, read cheaply: what a run of many deals needs, before it forks its
workers, to see two deals share an id (and so an output folder) before anything is written.

The full parse (`load.peek_id`) builds every node of the file and marks every key, about
1.4 ms a deal; this reads the YAML events only as far as `deal.id` and builds nothing, a
tenth of that, so the serial read of every deal's id no longer holds the workers back.

What this road cannot answer for certain (a JSON deal, a tag or alias on the way to the id,
an id that does not read as text) goes the full road. It stops at the id, so it does not
see what the rest of the file holds: a file the full parse refuses (a duplicate key, a
second document) still has an id here. The caller confirms an id with the full road before
it refuses a run over it (`batch.portfolio.refuse_shared_ids`), so the refusal is the one the
full parse gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from clausesmith.deal import load
from clausesmith.errors import InvalidInput
from clausesmith.inputs.jsonio import is_json
from clausesmith.inputs.yamlio import read_text

Found = tuple[str, int | None, int | None]
_CSafeLoader: Any = getattr(getattr(yaml, "cyaml", None), "CSafeLoader", None)
_STR = "tag:yaml.org,2002:str"
_RESOLVER: Any = yaml.resolver.Resolver()


class _Unsure(Exception):
    """The events hold something the full parse reads its own way."""


def peek_id(path: Path) -> Found | None:
    """The deal's id and the line and column of its value, as `load.peek_id` gives them
    for a deal it can parse; None where the events give no plain id."""
    if _CSafeLoader is None or is_json(path.name):
        return load.peek_id(path)
    try:
        text = read_text(path, str(path))
    except InvalidInput:
        return None
    try:
        return _scan(yaml.parse(text, Loader=_CSafeLoader))
    except _Unsure:
        return load.peek_id(path)
    except yaml.YAMLError:
        return None


def _scan(events: Iterator[yaml.Event]) -> Found | None:
    """`deal.id` from the events of a document: the root mapping's `deal` mapping's `id`."""
    for expected in (yaml.StreamStartEvent, yaml.DocumentStartEvent):
        _expect(next(events, None), expected)
    _expect(next(events, None), yaml.MappingStartEvent)
    if not _find_key(events, "deal"):
        return None
    _expect(next(events, None), yaml.MappingStartEvent)
    if not _find_key(events, "id"):
        return None
    value = next(events, None)
    if not isinstance(value, yaml.ScalarEvent) or value.anchor or value.tag:
        raise _Unsure
    implicit = value.implicit if value.style is None else (False, True)
    if _RESOLVER.resolve(yaml.ScalarNode, value.value, implicit) != _STR:
        raise _Unsure  # a number, date or null the full road reports on its own terms
    mark = value.start_mark
    return (value.value, mark.line + 1, mark.column + 1) if mark else (value.value, None, None)


def _find_key(events: Iterator[yaml.Event], name: str) -> bool:
    """Walk the keys of the mapping just opened to `name` (True, its value next), or to
    the mapping's end (False), skipping the other values whole."""
    while True:
        key = next(events, None)
        if isinstance(key, yaml.MappingEndEvent):
            return False
        if not isinstance(key, yaml.ScalarEvent) or key.anchor or key.tag:
            raise _Unsure
        if key.value == name:
            return True
        _skip_value(events)


def _skip_value(events: Iterator[yaml.Event]) -> None:
    depth = 0
    while True:
        event = next(events, None)
        if event is None or isinstance(event, yaml.AliasEvent) or getattr(event, "tag", None):
            raise _Unsure
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
        if depth == 0:
            return


def _expect(event: yaml.Event | None, kind: type[yaml.Event]) -> None:
    if not isinstance(event, kind) or getattr(event, "anchor", None) or getattr(event, "tag", None):
        raise _Unsure
