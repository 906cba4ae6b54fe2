"""The one Jinja environment every clause and playbook condition runs in.

Sandboxed (no attribute of a Python internal is reachable), StrictUndefined (a missing
value is an error naming the path, never a blank in a legal document), no autoescape (the
output is plain text; the Word writer escapes it for XML).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from clausesmith import formatting


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
def _party(ctx: Context, key: str) -> str:
    """A party key as the documents name the party: its short name."""
    for party in ctx.resolve("parties"):
        if party.key == key:
            return str(party.short_name)
    raise KeyError(f"no party with key {key!r}")


def make_environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date=_date,
        number=_number,
        money=_money,
        percent=_percent,
        party=_party,
        country=formatting.country,
        join_and=formatting.join_and,
        words=formatting.words,
    )
    return env


ENV = make_environment()


def compile_condition(source: str) -> Any:
    """A playbook `when` as a callable of the context; raises TemplateSyntaxError."""
    return ENV.compile_expression(source, undefined_to_none=False)
