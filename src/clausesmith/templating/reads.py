"""The deal paths a Jinja template or expression reads, found by walking its syntax tree.

Nested attribute paths (`grant_back.royalty_rate_pct`), items (`parties[0].name`) and
loop variables (`{% for f in field.licensed %}{{ f.segment }}` reads
`field.licensed[].segment`) are all followed; names the template binds itself with
`set`, `for` or a macro are not deal paths, unless they alias one.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import nodes

from clausesmith.templating.sandbox import ENV
from clausesmith.templating.shape import ITEM, context_shape, why_not

_BUILTIN = {*ENV.globals, "loop", "caller", "varargs", "kwargs", "self"}

# name -> the path it aliases, or None for a value the template made itself
Scope = dict[str, tuple[str, ...] | None]


@dataclass(frozen=True)
class Read:
    path: tuple[str, ...]
    line: int


def template_reads(source: str) -> list[Read]:
    """Every read in a whole template; raises TemplateSyntaxError."""
    found: list[Read] = []
    _visit(ENV.parse(source), {}, found)
    return _unique(found)


def expression_reads(source: str) -> list[Read]:
    """Every read in a playbook condition (a Jinja expression)."""
    return template_reads("{{ " + source + " }}")


def _unique(found: list[Read]) -> list[Read]:
    seen: dict[tuple[str, ...], Read] = {}
    for read in found:
        seen.setdefault(read.path, read)
    paths = list(seen)  # `grant_back.scope` makes a bare `grant_back` redundant
    return [seen[p] for p in paths if not any(len(q) > len(p) and q[: len(p)] == p for q in paths)]


def _visit(node: nodes.Node, scope: Scope, found: list[Read]) -> None:
    if isinstance(node, nodes.For):
        _visit(node.iter, scope, found)
        inner = dict(scope)
        base = _path_of(node.iter, scope)
        _bind(node.target, (*base, ITEM) if base else None, inner)
        for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
            _visit(child, inner, found)
        return
    if isinstance(node, nodes.Assign):
        _visit(node.node, scope, found)
        _bind(node.target, _path_of(node.node, scope), scope)
        return
    if isinstance(node, (nodes.Macro, nodes.CallBlock, nodes.AssignBlock, nodes.With)):
        inner = dict(scope)
        for target in getattr(node, "args", []) + getattr(node, "targets", []):
            _bind(target, None, inner)
        if isinstance(node, nodes.AssignBlock):
            _bind(node.target, None, scope)
        if isinstance(node, nodes.Macro):  # a macro's name is the template's own, not the deal's
            scope[node.name] = None
        for value in getattr(node, "values", []):
            _visit(value, scope, found)
        for child in node.body:
            _visit(child, inner, found)
        return
    if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
        _visit_chain(node, scope, found)
        return
    for child in node.iter_child_nodes():
        _visit(child, scope, found)


def _bind(target: nodes.Node, path: tuple[str, ...] | None, scope: Scope) -> None:
    if isinstance(target, nodes.Name):
        scope[target.name] = path
    elif isinstance(target, nodes.Tuple):
        for item in target.items:
            _bind(item, None, scope)


def _chain(node: nodes.Node) -> tuple[nodes.Node, list[str], list[nodes.Node]]:
    """The chain's base node, its parts from the base outwards, and index expressions."""
    parts: list[str] = []
    extra: list[nodes.Node] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                parts.append(arg.value)
            else:
                parts.append(ITEM)
                extra.append(arg)
            node = node.node
        else:
            return node, parts[::-1], extra


def _path_of(node: nodes.Node, scope: Scope) -> tuple[str, ...] | None:
    base, parts, _ = _chain(node)
    if not isinstance(base, nodes.Name) or base.name in _BUILTIN:
        return None
    if base.name in scope:
        prefix = scope[base.name]
        return None if prefix is None else (*prefix, *parts)
    return (base.name, *parts)


def _visit_chain(node: nodes.Node, scope: Scope, found: list[Read]) -> None:
    base, _, extra = _chain(node)
    for expression in extra:
        _visit(expression, scope, found)
    if not isinstance(base, nodes.Name):
        _visit(base, scope, found)
        return
    if base.ctx != "load":
        return
    path = _path_of(node, scope)
    if path is not None:
        found.append(Read(path, node.lineno))


def unknown_reads(source: str, kind: str) -> list[tuple[int | None, str]]:
    """(line, "text reads 'x.y', ...") for every path a clause text reads that no deal has:
    what lint reports, and what a render that met an undefined value names."""
    names = context_shape(kind)
    found: list[tuple[int | None, str]] = []
    for read in template_reads(source):
        why = why_not(read.path, names)
        if why:
            found.append((read.line, f"text {why}"))
    return found
