"""The one Jinja environment every clause and playbook condition runs in.

Sandboxed with resource limits (no attribute of a Python internal is reachable, and no
template can build gigabytes or loop for ever: see limits.py), StrictUndefined (a missing
value is an error naming the path, never a blank in a legal document), no autoescape (the
output is plain text; the Word writer escapes it for XML).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from types import CodeType
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, nodes, pass_context
from jinja2.environment import TemplateExpression
from jinja2.parser import Parser
from jinja2.runtime import Context

from clausesmith.inputs.places import us_state
from clausesmith.templating import formatting
from clausesmith.templating.limits import LimitedSandbox, budget, load_template, refused_constructs
from clausesmith.templating.part_marks import part


def _locale(ctx: Context) -> str:
    return str(ctx.resolve("deal").locale)


@pass_context
def _date(ctx: Context, value: dt.date) -> str:
    return formatting.date(value, _locale(ctx))


@pass_context
def _number(ctx: Context, value: Decimal | int) -> str:
    return formatting.number(value, _locale(ctx))


@pass_context
def _money(ctx: Context, value: Decimal | int, currency: str | None = None) -> str:
    code = currency or ctx.resolve("royalties").currency
    return formatting.money(value, code, _locale(ctx))


@pass_context
def _percent(ctx: Context, value: Decimal | int) -> str:
    return formatting.percent(value, _locale(ctx))


@pass_context
def _join_and(ctx: Context, items: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    """en-US lists take the serial comma ("a, b, and c"); en-GB lists do not."""
    return formatting.join_and(items, conjunction, serial=_locale(ctx) == "en-US")


@pass_context
def _party(ctx: Context, key: str) -> str:
    """A party key as the documents name the party: its short name."""
    for party in ctx.resolve("parties"):
        if party.key == key:
            return str(party.short_name)
    raise KeyError(f"no party with key {key!r}")


def _strict(function: Callable[..., Any]) -> Callable[..., Any]:
    """Our filter, raising Jinja's UndefinedError for an undefined argument: Decimal() or
    Babel would otherwise fail with "conversion from StrictUndefined to Decimal"."""

    @functools.wraps(function)
    def strict(*args: Any, **kwargs: Any) -> Any:
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, Undefined):
                arg._fail_with_undefined_error()
        return function(*args, **kwargs)

    return strict


def make_environment() -> LimitedSandbox:
    env = LimitedSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    ours: dict[str, Callable[..., Any]] = {
        "date": _date,
        "number": _number,
        "money": _money,
        "percent": _percent,
        "party": _party,
        "country": formatting.country,
        "law_area": formatting.law_area,
        # the US State a courts place lies in, or None: a US forum names the state and
        # federal courts there, with a jury waiver
        "us_state": us_state,
        "join_and": _join_and,
        "words": formatting.words,
    }
    env.filters.update({name: _strict(function) for name, function in ours.items()})
    env.globals["part"] = part  # names an annex clause's paragraph (templating/part_marks.py)
    return env


ENV = make_environment()


def check_template(tree: nodes.Template, name: str | None = None) -> None:
    """Raise TemplateSyntaxError at the first construct templates may not use."""
    for line, reason in refused_constructs(tree):
        raise TemplateSyntaxError(reason, line, name)


def compile_condition(source: str) -> CodeType:
    """A playbook `when`, checked and compiled as `ENV.compile_expression` compiles it: code
    that sets `result`. Code, not a function, so a playbook can be kept in the compile cache.

    Raises TemplateSyntaxError for bad syntax and for anything templates may not use."""
    check_template(ENV.parse("{{ " + source + " }}"))
    parser = Parser(ENV, source, state="variable")
    expression = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno)
    expression.set_environment(ENV)
    assign = nodes.Assign(nodes.Name("result", "store"), expression, lineno=1)
    return ENV.compile(nodes.Template([assign], lineno=1))


def condition_function(code: bytes) -> Callable[..., Any]:
    """The compiled `when` (marshalled) as a callable of the context, run within the limits."""
    expression = TemplateExpression(load_template(ENV, code), undefined_to_none=False)

    def evaluate(**context: Any) -> Any:
        with budget():
            return expression(**context)

    return evaluate
