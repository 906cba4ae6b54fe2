"""What a clause or a playbook condition can read: the deal model as a tree of names.

The tree comes from the model's dataclasses (what templates actually see) and carries,
for each enumerated key, the values the deal schema allows (or true/false for booleans),
so lint can both check a path and enumerate the values a condition may meet.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from clausesmith.deal import model
from clausesmith.deal.build import file_key
from clausesmith.deal.payments import Payments
from clausesmith.deal.schema import DEAL_SCHEMA

ITEM = "[]"  # a path part standing for "any item of this list" (or a slice of it)

# Deal's bookkeeping (not deal terms) and its methods that templates do not call.
_HIDDEN = {*model.BOOKKEEPING, "locate"}


@dataclass
class Node:
    kind: str  # object | list | map | leaf
    pytype: type | None = None
    children: dict[str, Node] = field(default_factory=dict)
    item: Node | None = None
    allowed: tuple[Any, ...] | None = None  # enumerated values, when the schema lists them


def _leaf_type(hint: Any) -> Any:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else object
    if typing.get_origin(hint) is typing.Literal:  # one of the allowed values: their type
        kinds = {type(v) for v in typing.get_args(hint)}
        return kinds.pop() if len(kinds) == 1 else object
    return hint


def _node(hint: Any, schema: dict[str, Any] | None) -> Node:
    hint = _leaf_type(hint)
    origin = typing.get_origin(hint)
    if origin is tuple:
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        item_schema = (schema or {}).get("schema") if (schema or {}).get("type") == "list" else None
        return Node("list", tuple, item=_node(args[0] if args else object, item_schema))
    if origin is dict or hint is dict:
        return Node("map", dict)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _object(hint, (schema or {}).get("schema"))
    allowed = (schema or {}).get("allowed")
    if hint is bool:
        allowed = [True, False]
    pytype = hint if isinstance(hint, type) else object
    return Node("leaf", pytype, allowed=tuple(allowed) if allowed else None)


def _object(cls: type, schema: dict[str, Any] | None) -> Node:
    hints = typing.get_type_hints(cls)  # names resolve in the module that defines cls
    node = Node("object", cls)
    for f in dataclasses.fields(cls):
        if f.name in _HIDDEN:
            continue
        sub = (schema or {}).get(file_key(f))
        node.children[f.name] = _node(hints[f.name], sub)
    for name, value in vars(cls).items():  # methods such as relationship.share(...)
        if callable(value) and not name.startswith("_") and name not in _HIDDEN:
            node.children[name] = Node("leaf", None)
    return node


def _item_schema(*keys: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "dict", "schema": DEAL_SCHEMA}
    for key in keys:
        schema = schema["schema"][key]
    result: dict[str, Any] = schema["schema"]
    return result


def context_shape(kind: str) -> dict[str, Node]:
    """The names a template sees: kind is term_sheet, side_letter or guardrail."""
    deal = _object(model.Deal, DEAL_SCHEMA)
    names = dict(deal.children)
    for method in ("party", "other"):
        names.pop(method, None)
    names["headings"] = Node("map", dict)
    names["payments"] = _object(Payments, None)  # the payment model (deal/payments.py)
    names["annexes"] = Node("map", dict)  # annex slot -> its letter (plan.annex_letters)
    if kind == "side_letter":
        names["letter"] = _node(model.SideLetter, _item_schema("side_letters"))
        names["sender"] = _node(model.Party, _item_schema("parties"))
        names["addressee"] = _node(model.Party, _item_schema("parties"))
        names["letter_fields"] = Node(
            "list",
            tuple,
            item=_node(model.SensitiveField, _item_schema("carve_outs", "sensitive_fields")),
        )
    if kind == "guardrail":
        names["side_letter_gaps"] = Node("map", dict)
    return names


def resolve(parts: tuple[str, ...], names: dict[str, Node]) -> tuple[Node | None, str | None]:
    """The node a path leads to, or None and why not (to follow "reads 'a.b', ")."""
    node = names.get(parts[0])
    if node is None:
        return None, _unknown((), parts[0], names)
    for i, part in enumerate(parts[1:], start=1):
        seen = ".".join(parts[:i])
        if node.kind == "map" or node.pytype is object or node.pytype is None:
            return Node("leaf", None), None
        if part == ITEM:
            if node.kind == "list":
                assert node.item is not None
                node = node.item
            elif node.kind == "leaf" and node.pytype is str:
                continue
            else:
                return None, f"but {seen!r} is not a list"
        elif node.kind == "object":
            child = node.children.get(part)
            if child is None:
                return None, _unknown(parts[:i], part, node.children)
            node = child
        elif hasattr(node.pytype, part):  # a method of a str, a number, a date or a tuple
            return Node("leaf", None), None
        else:
            return None, f"but {seen!r} has no attribute {part!r}"
    return node, None


def _unknown(prefix: tuple[str, ...], name: str, choices: dict[str, Node]) -> str:
    near = difflib.get_close_matches(name, list(choices), n=1)
    hint = f" (did you mean {dotted((*prefix, near[0]))!r}?)" if near else ""
    return f"which a deal does not have{hint}"


def dotted(parts: tuple[str, ...]) -> str:
    return ".".join(parts).replace("." + ITEM, ITEM)


def why_not(path: tuple[str, ...], names: dict[str, Node]) -> str | None:
    """None if the path leads somewhere, else "reads 'a.b', which a deal does not have"."""
    node, why = resolve(path, names)
    return None if node is not None else f"reads {dotted(path)!r}, {why}"
