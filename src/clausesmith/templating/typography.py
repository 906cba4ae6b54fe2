"""Typographic quotes for clause wording, as a drafted document has them.

Applied to the clause text counsel wrote, never to deal values: a name is printed exactly
as typed. SmartyPants decides which quote opens and which closes.
"""

from __future__ import annotations

import re

import smartypants
from jinja2 import nodes

_QUOTES_ONLY = smartypants.Attr.q | smartypants.Attr.u  # quotes, as characters not entities


def typeset(text: str) -> str:
    return str(smartypants.smartypants(text, _QUOTES_ONLY))


# Stands for what a `{{ }}` prints between two pieces of literal text, so that a quote
# right after one reads as closing it: "{{ heading }}" becomes “…”, not “…“. Tags that
# print nothing ({% if %}, {% for %}) stand for nothing.
_PRINTED = "\ue000"


def typeset_template(tree: nodes.Template) -> nodes.Template:
    """Curl the quotes in the template's literal text, read as one text in source order
    with each printed expression standing in between; expressions are left alone."""
    segments: list[nodes.TemplateData | None] = []  # None: a printed expression
    _collect(tree, segments)
    joined = "".join(_PRINTED if s is None else s.data for s in segments)
    curled = typeset(joined)
    if len(curled) != len(joined):  # SmartyPants swaps one quote for one character
        raise ValueError("typographic quotes changed the length of the text")
    at = 0
    for segment in segments:
        width = 1 if segment is None else len(segment.data)
        if segment is not None:
            segment.data = curled[at : at + width]
        at += width
    return tree


def _collect(node: nodes.Node, segments: list[nodes.TemplateData | None]) -> None:
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.TemplateData):
            segments.append(child)
        elif isinstance(node, nodes.Output):
            segments.append(None)  # an expression whose value is printed here
        else:
            _collect(child, segments)


_ONE_UNITS = re.compile(r"\bone \(1\) (year|month|week|day|business day|calendar year)s\b")


def singular_units(text: str) -> str:
    """ "one (1) years" as "one (1) year": a clause writes `{{ n | words }} years` for any n."""
    return _ONE_UNITS.sub(r"one (1) \1", text)
