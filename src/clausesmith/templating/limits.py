"""Resource limits for templates written by people outside the firm.

The immutable sandbox already keeps templates away from Python internals and caps
`range()`; this adds what it leaves open: strings and lists multiplied or joined to
gigabytes, loops that never end, macros that call themselves, and text too long for any
clause. Each limit raises `TemplateLimit` (a Jinja SecurityError), so the caller names the
template file and line like any other template error.

Three guards:
- operators: `*`, `+`, `**` and `%` run through `call_binop`, which checks the size of the
  result before building it; `~` joins are measured after joining (their parts are bounded).
- filters and calls: filters that can amplify (center, indent, join, replace, batch, ...)
  check their arguments first; every call counts towards a step budget and a depth limit.
- time: every loop iteration and every call counts a step; a render that passes
  MAX_STEPS steps or its deadline stops.
"""

from __future__ import annotations

import dataclasses
import functools
import marshal
import re
import time
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_STRING = 1_000_000  # characters in any one string a template builds
MAX_ITEMS = 100_000  # items in any one list a template builds (the sandbox's range cap)
MAX_OUTPUT = 1_000_000  # characters one template may output
MAX_STEPS = 50_000  # loop iterations plus calls in one render (a clause needs hundreds)
MAX_DEPTH = 40  # nested calls: macros calling macros
MAX_EXPONENT_BITS = 10_000  # bits in the result of `**`
SECONDS = 10.0  # wall time for one render: a backstop; the step limit comes first


class TemplateLimit(SecurityError):
    """A template went past one of the limits above."""


@dataclass
class _Budget:
    deadline: float
    seconds: float
    steps: int = 0
    depth: int = 0


_BUDGET: ContextVar[_Budget | None] = ContextVar("clausesmith_template_budget", default=None)


@contextmanager
def budget(seconds: float = SECONDS) -> Iterator[None]:
    """Count steps and time for the renders inside this block."""
    token = _BUDGET.set(_Budget(time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _step() -> None:
    current = _BUDGET.get()
    if current is None:
        return
    current.steps += 1
    if current.steps > MAX_STEPS:
        raise TemplateLimit(f"more than {MAX_STEPS:,} loop steps and calls; simplify the template")
    if time.monotonic() > current.deadline:
        raise TemplateLimit(f"took longer than {current.seconds:g} seconds; simplify the template")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict) else 0


def _check_size(value: Any, what: str = "a value") -> Any:
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise TemplateLimit(f"{what} of {len(value):,} characters; the limit is {MAX_STRING:,}")
    if isinstance(value, list | tuple | dict) and len(value) > MAX_ITEMS:
        raise TemplateLimit(f"{what} of {len(value):,} items; the limit is {MAX_ITEMS:,}")
    return value


def _refuse_length(length: int, limit: int, what: str) -> None:
    if length > limit:
        raise TemplateLimit(f"would build {what} of {length:,}; the limit is {limit:,}")


def _guard_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too big, before building it."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(times, int):
                limit = MAX_STRING if isinstance(seq, str) else MAX_ITEMS
                _refuse_length(len(seq) * max(times, 0), limit, "a repeated value")
    elif operator == "+" and isinstance(left, str | list | tuple):
        limit = MAX_STRING if isinstance(left, str) else MAX_ITEMS
        _refuse_length(_size(left) + _size(right), limit, "a joined value")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int):
        bits = max(abs(left), 2).bit_length() * max(right, 0)
        _refuse_length(bits, MAX_EXPONENT_BITS, "a power with a bit length")
    elif operator == "%" and isinstance(left, str):
        widths = [int(w) for w in re.findall(r"\d+", left)]
        _refuse_length(max(widths, default=0), MAX_STRING, "a formatted field of width")


def _join_length(items: Iterable[Any], separator: str) -> int:
    values = list(items)
    return sum(len(str(v)) for v in values) + len(separator) * max(len(values) - 1, 0)


# Filters whose result can be far bigger than their input: check the arguments first.
_PRECHECKS: dict[str, Callable[..., None]] = {
    "center": lambda value, width=80, *_a, **_k: _refuse_length(width, MAX_STRING, "a width"),
    "indent": lambda value, width=4, *_a, **_k: _refuse_length(
        len(str(value))
        + (str(value).count("\n") + 1) * (len(width) if isinstance(width, str) else int(width)),
        MAX_STRING,
        "indented text",
    ),
    "join": lambda value, d="", *_a, **_k: _refuse_length(
        _join_length(value, str(d)), MAX_STRING, "text"
    ),
    "replace": lambda value, old, new, count=None, *_a: _refuse_length(
        len(str(value)) + (len(str(value)) + 1) * len(str(new)), MAX_STRING, "text"
    ),
    "batch": lambda value, linecount, *_a, **_k: _refuse_length(linecount, MAX_ITEMS, "a batch"),
    "slice": lambda value, slices, *_a, **_k: _refuse_length(slices, MAX_ITEMS, "slices"),
    "format": lambda value, *_a, **_k: _guard_binop("%", value, None),
    "sum": lambda value, attribute=None, start=0: _numbers_only(start),
}


def _numbers_only(start: Any) -> None:
    if not isinstance(start, int | float):
        raise TemplateLimit("sum adds numbers only")


def guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` counted as a step, with its arguments and result checked for size."""
    check = _PRECHECKS.get(name)
    # Filters marked pass_context/pass_eval_context/pass_environment get that first.
    n = 1 if getattr(func, "jinja_pass_arg", None) else 0

    def guarded(*args: Any, **kwargs: Any) -> Any:
        _step()
        if check is not None and len(args) > n:
            if not isinstance(args[n], Sized):  # an iterator: the check must not consume it
                items = _check_size(list(args[n]), f"the input of the {name} filter")
                args = (*args[:n], items, *args[n + 1 :])
            check(*args[n:], **kwargs)
        return _check_size(func(*args, **kwargs), f"the {name} filter made a value")

    for attr in ("jinja_pass_arg", "__name__", "__doc__"):
        if hasattr(func, attr):
            setattr(guarded, attr, getattr(func, attr))
    return guarded


# str methods that pad or repeat: their numeric arguments are widths.
_PADDING = {"center", "ljust", "rjust", "zfill", "expandtabs"}


class _GuardedFilters(dict[str, Callable[..., Any]]):
    """A filter table that guards every filter put into it."""

    def __setitem__(self, name: str, func: Callable[..., Any]) -> None:
        super().__setitem__(name, guard_filter(name, func))

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, func in dict(*args, **kwargs).items():
            self[name] = func


def _guard_call(obj: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """`args`, checked for a call of `obj` (an iterator given to str.join becomes a list)."""
    obj = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    name = getattr(obj, "__name__", "")
    if isinstance(getattr(obj, "__self__", None), str):
        if name in _PADDING:
            for arg in args:
                if isinstance(arg, int):
                    _refuse_length(arg * max(len(obj.__self__), 1), MAX_STRING, "padded text")
        elif name == "join" and args:
            _refuse_length(
                _join_length(_check_size(list(args[0])), obj.__self__), MAX_STRING, "text"
            )
        elif name == "replace" and len(args) >= 2:
            text = obj.__self__
            _refuse_length(len(text) + (len(text) + 1) * len(str(args[1])), MAX_STRING, "text")
        elif name in {"format", "format_map"}:
            _guard_binop("%", obj.__self__, None)
    return args


class _LimitedCodeGenerator(CodeGenerator):
    """Counts every loop iteration and measures every `~` join."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("counted", lineno=node.lineno),
            [node.iter],
            [],
            None,
            None,
            lineno=node.lineno,
        )
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with size, step, depth and time limits."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # lipsum(10**9) builds gigabytes of Latin
        guarded = _GuardedFilters()
        guarded.update(self.filters)
        self.filters = guarded

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _guard_binop(operator, left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        _step()
        args = _guard_call(obj, args)
        current = _BUDGET.get()
        if current is not None:
            current.depth += 1
            if current.depth > MAX_DEPTH:
                raise TemplateLimit(
                    f"calls nested deeper than {MAX_DEPTH} levels (a macro that calls itself?)"
                )
        try:
            return _check_size(super().call(context, obj, *args, **kwargs))
        finally:
            if current is not None:
                current.depth -= 1

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as a plain dict, not Jinja's ChainMap over the environment's:
        every render copies them key by key, and through a ChainMap that costs five times
        what rendering a short clause does. Nothing changes the globals after start-up, so a
        snapshot reads the same, and a template still cannot change the environment's."""
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`value.name` as the sandbox reads it, with a short road for the two kinds of value
        every template reads hundreds of times per deal: plain dicts and our frozen
        dataclasses. The sandbox would try a dict attribute of that name first (raising and
        catching an exception), and run its safety checks on a dataclass field (data, which
        they always pass). Anything else, and a callable field, takes the sandbox's road."""
        cls: type = type(obj)
        if cls is dict:
            if attribute not in _DICT_ATTRIBUTES:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
        elif attribute in _data_fields(cls):
            value = getattr(obj, attribute)
            if not callable(value):
                return value
        return super().getattr(obj, attribute)

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """A for loop's items, each counted as a step."""
        for item in iterable:
            _step()
            yield item

    def sized(self, value: Any) -> Any:
        return _check_size(value, "a joined value")


def load_template(env: Environment, code: bytes) -> Template:
    """A template of `env` from its compiled code, marshalled (as the compile cache keeps
    clauses, conditions and Word templates)."""
    return env.template_class.from_code(env, marshal.loads(code), env.make_globals(None), None)


_DICT_ATTRIBUTES = frozenset(dir(dict))  # `d.items` is the method, as Jinja reads it


@functools.cache
def _data_fields(cls: type) -> frozenset[str]:
    """The public fields of a frozen dataclass; nothing for any other type."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        return frozenset()
    return frozenset(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_"))


def bounded_render(template: Any, context: dict[str, Any], seconds: float = SECONDS) -> str:
    """`template.render(context)` within the step, time and output limits."""
    parts: list[str] = []
    length = 0
    with budget(seconds):
        chunks = template.generate(context)
        for chunk in chunks:
            length += len(chunk)
            if length > MAX_OUTPUT:
                # Raised inside the template, where it stopped, so the error names that line.
                chunks.throw(TemplateLimit(f"output longer than {MAX_OUTPUT:,} characters"))
            parts.append(chunk)
    return "".join(parts)


_FILE_TAGS = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def refused_constructs(tree: nodes.Template) -> list[tuple[int, str]]:
    """(line, reason) for everything a clause or condition may not contain."""
    found: list[tuple[int, str]] = []
    for node in tree.find_all(_FILE_TAGS):
        tag = type(node).__name__.lower().replace("fromimport", "from-import")
        found.append(
            (
                node.lineno,
                f"{{% {tag} %}} reads another file; a clause holds its own text only "
                "(copy the text in, or make it a clause of its own)",
            )
        )
    for access in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(access, nodes.Getattr):
            name = access.attr
        else:
            assert isinstance(access, nodes.Getitem)
            name = _const(access.arg)
        if isinstance(name, str) and name.startswith("_"):
            found.append(
                (
                    access.lineno,
                    f"reaches for {name!r}, a Python internal; templates may read "
                    "the deal's values only",
                )
            )
    return sorted(found)


def _const(node: nodes.Node) -> Any:
    return node.value if isinstance(node, nodes.Const) else None


__all__ = [
    "LimitedSandbox",
    "TemplateLimit",
    "bounded_render",
    "budget",
    "load_template",
    "refused_constructs",
]
