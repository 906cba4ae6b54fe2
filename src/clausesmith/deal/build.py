"""The typed model built from a validated, defaulted deal by its dataclasses' type hints.

One reading rule per kind of hint, nothing per section:

- a dataclass: a mapping, each field read from the key of its name (or its `from_key`);
- `X | None`: null stays None, anything else is read as X (pairs from an empty mapping,
  `market_share_pct: {}`, are None: nothing stated);
- `tuple[X, ...]`: a list, each item read as X; a null or left-out list is empty;
  from a mapping (`{key: share}`), its (key, value) pairs;
- `tuple[X, Y]`: a list of exactly those items;
- `Decimal`: the number as written (`Decimal(str(n))`, so 2.1 stays 2.1);
- `Literal[...]`, `str`, `int`, `bool`, `date`: the value itself (the schema vouched for it).

The schema has checked types, allowed values and required keys before this runs, and the
playbook's defaults have filled what the deal left out, so the builder refuses nothing: a
value it cannot read is a bug between schema and model (the schema-versus-model test).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

T = TypeVar("T")


def build(cls: type[T], data: Mapping[str, Any], **supplied: Any) -> T:
    """An instance of the dataclass `cls` read from `data`; `supplied` gives the fields that
    are not keys of the file (where the deal came from)."""
    fields = _fields(typing.cast(Any, cls))
    values = {name: _read(hint, data.get(key)) for name, key, hint in fields}
    return cls(**values, **supplied)


def file_key(field: dataclasses.Field[Any]) -> str:
    """The key a field is read from in the deal file."""
    return str(field.metadata.get("key", field.name))


@functools.cache
def _fields(cls: type[Any]) -> tuple[tuple[str, str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, file_key(f), hints[f.name])
        for f in dataclasses.fields(cls)
        if f.metadata.get("file", True)
    )


def _read(hint: Any, value: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        empty = isinstance(value, Mapping) and not value and typing.get_origin(inner[0]) is tuple
        return None if value is None or empty else _read(inner[0], value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            items = value.items() if isinstance(value, Mapping) else value or ()
            return tuple(_read(args[0], item) for item in items)
        return tuple(_read(a, item) for a, item in zip(args, value, strict=True))
    if hint is Decimal:
        return Decimal(str(value))
    if dataclasses.is_dataclass(hint):
        return build(typing.cast(type[Any], hint), value)
    return value
