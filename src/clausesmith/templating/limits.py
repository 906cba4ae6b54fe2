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
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_STRING = 1_000_000  # characters in any one string a template builds
MAX_ITEMS = 100_000  # items in any one list a template builds (the sandbox's range cap)
MAX_OUTPUT = 1_000_000  # characters one template may output
MAX_STEPS = 50_000  # loop iterations plus calls in one render (a clause needs hundreds)
MAX_DEPTH = 40  # nested calls: macros calling macros
MAX_INT_BITS = 10_000  # bits in the result of `**` or `*` on integers
MAX_NESTING = 100  # nodes inside one another: Python's compiler stops at 200 parentheses
MAX_BLOCKS = 12  # for, if, macro ... inside one another: Python allows 20 nested blocks
SECONDS = 10.0  # wall time for one render: a backstop; the step limit comes first
# The peak memory a render of the worst template stays under (every amplifier is refused
# before its result is built); the test suite renders them under a 1 GB address-space cap.
RENDER_MEMORY_BYTES = 200 * 1024 * 1024
# Jinja's filters that clauses, conditions and Word templates never need and that build far
# more than they read (tojson's indent per level, wordwrap's wrapstring per line, urlize's
# markup per word, urlencode's 12 bytes per character) or are not reproducible (random).
REMOVED_FILTERS = frozenset(
    {"tojson", "wordwrap", "urlize", "urlencode", "random", "xmlattr", "pprint", "filesizeformat"}
)


class TemplateLimit(SecurityError):
    """A template went past one of the limits above."""


# What a template's own text can raise while it renders ('{1}'.format(1), an unknown codec,
# a macro recursing past Python's stack, 1/0): each is the template's fault, reported with
# its file and line, never an internal error.
RENDER_ERRORS = (
    TemplateError,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    RecursionError,
)
_TOO_NESTED = (
    "nested too deeply to compile (parentheses, loops, blocks or filters inside one "
    "another); split it into simpler statements"
)


@dataclass
class _Budget:
    deadline: float
    too_long: str  # the message when the deadline passes
    steps: int = 0
    depth: int = 0


_BUDGET: ContextVar[_Budget | None] = ContextVar("clausesmith_template_budget", default=None)


@contextmanager
def budget(seconds: float = SECONDS) -> Iterator[None]:
    """Count steps and time for the renders inside this block, within the deal's budget."""
    start = time.monotonic()
    deadline = start + seconds
    too_long = f"took longer than {seconds:g} seconds; simplify the template"
    deal = _DEAL.get()
    outermost = _BUDGET.get() is None
    if deal is not None and deal.left < seconds:
        deadline = start + deal.left
        too_long = (
            f"this deal's templates took longer than {deal.seconds:g} seconds in all; "
            "simplify the template"
        )
    token = _BUDGET.set(_Budget(deadline, too_long))
    try:
        yield
    finally:
        _BUDGET.reset(token)
        if deal is not None and outermost:  # a render inside a render counts once
            deal.left -= time.monotonic() - start


@dataclass
class _DealBudget:
    """The time a deal's templates may take to render, in all, and what is left of it.
    Only rendering counts: compiling a template, or reading and writing files, does not, so
    the budget means the same on a cold cache as on a warm one."""

    seconds: float
    left: float


_DEAL: ContextVar[_DealBudget | None] = ContextVar("clausesmith_deal", default=None)


@contextmanager
def deal_budget(seconds: float | None = None) -> Iterator[None]:
    """One budget for every template a deal renders (conditions, clauses, Word and Markdown
    templates): a library of many slow clauses stalls a deal no longer than this."""
    seconds = SECONDS if seconds is None else seconds
    token = _DEAL.set(_DealBudget(seconds, seconds))
    try:
        yield
    finally:
        _DEAL.reset(token)


def in_deal_budget() -> bool:
    """Whether a deal's deadline is already running (an outer stage set it)."""
    return _DEAL.get() is not None


def _step() -> None:
    current = _BUDGET.get()
    if current is None:
        return
    current.steps += 1
    if current.steps > MAX_STEPS:
        raise TemplateLimit(f"more than {MAX_STEPS:,} loop steps and calls; simplify the template")
    if time.monotonic() > current.deadline:
        raise TemplateLimit(current.too_long)


_TEXT = (str, bytes, bytearray)
_SEQUENCES = (str, bytes, bytearray, list, tuple)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (*_SEQUENCES, dict)) else 0


def _weight(value: Any, limit: int = MAX_STRING) -> int:
    """About how many characters `value` prints as, nested containers included (a list of
    99,999 references to one list of 99,999 items prints as ten billion); counting stops
    once past `limit`, so this costs at most `limit` steps."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, Undefined):  # map(attribute="nmae") past StrictUndefined
            item._fail_with_undefined_error()
        if isinstance(item, _TEXT):
            total += len(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 16
    return total


def _check_size(value: Any, what: str = "a value") -> Any:
    if isinstance(value, _TEXT) and len(value) > MAX_STRING:
        raise TemplateLimit(f"{what} of {len(value):,} characters; the limit is {MAX_STRING:,}")
    if isinstance(value, list | tuple | dict | set | frozenset):
        if len(value) > MAX_ITEMS:
            raise TemplateLimit(f"{what} of {len(value):,} items; the limit is {MAX_ITEMS:,}")
        _refuse_printed(_weight(value), what)
    return value


def _refuse_printed(weight: int, what: str) -> None:
    if weight > MAX_STRING:
        raise TemplateLimit(f"{what} that would print as more than {MAX_STRING:,} characters")


def _refuse_length(length: int, limit: int, what: str) -> None:
    if length > limit:
        raise TemplateLimit(f"would build {what} of {length:,}; the limit is {limit:,}")


def _guard_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too big, before building it."""
    if operator == "*":
        _guard_product(left, right)
    elif operator == "+" and isinstance(left, _SEQUENCES):
        limit = MAX_STRING if isinstance(left, _TEXT) else MAX_ITEMS
        _refuse_length(_size(left) + _size(right), limit, "a joined value")
        _refuse_printed(_weight(left) + _weight(right), "a joined value")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int):
        bits = max(abs(left), 2).bit_length() * max(right, 0)
        _refuse_length(bits, MAX_INT_BITS, "a power with a bit length")
    elif operator == "%" and isinstance(left, _TEXT):
        values = right if isinstance(right, tuple) else (right,)
        if isinstance(right, dict):
            values = tuple(right.values())
        _guard_format(left, values, dynamic=b"*" in _as_bytes(left))


def _guard_product(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        bits = abs(left).bit_length() + abs(right).bit_length()
        _refuse_length(bits, MAX_INT_BITS, "a product with a bit length")
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, _SEQUENCES) and isinstance(times, int):
            limit = MAX_STRING if isinstance(seq, _TEXT) else MAX_ITEMS
            _refuse_length(len(seq) * max(times, 0), limit, "a repeated value")
            _refuse_printed(_weight(seq) * max(times, 0), "a repeated value")


def _as_bytes(text: str | bytes | bytearray) -> bytes:
    return text.encode("utf-8", "replace") if isinstance(text, str) else bytes(text)


def _join_length(items: Iterable[Any], separator: str | bytes | bytearray) -> int:
    values = list(items)
    return sum(_weight(v) for v in values) + len(separator) * max(len(values) - 1, 0)


FLOAT_DIGITS = 330  # the most characters a float prints as in fixed notation, sign included
_NESTED_FIELD = re.compile(rb"\{[^{}]*\{")  # '{:>{}}': a width taken from an argument


def _guard_format(template: Any, values: tuple[Any, ...], dynamic: bool) -> None:
    """Refuse formatting whose result could pass the limit: the template, every value as
    printed, and every width in the template (and, when a width may come from an argument,
    `%*d` or `{:>{}}`, every integer argument as a width)."""
    raw = _as_bytes(template)
    widths = sum(int(w) for w in re.findall(rb"\d+", raw))
    if dynamic:
        widths += sum(abs(v) for v in values if isinstance(v, int))
    # a float printed in full ('%f' of 1e308) runs to 309 digits before its decimals
    floats = sum(FLOAT_DIGITS for v in values if isinstance(v, float))
    estimate = len(raw) + widths + floats + sum(_weight(v) for v in values)
    _refuse_length(estimate, MAX_STRING, "formatted text")


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
    "format": lambda value, *args, **kwargs: _guard_format(
        str(value), (*args, *kwargs.values()), dynamic="*" in str(value)
    ),
    "sum": lambda value, attribute=None, start=0: _numbers_only(start),
    "truncate": lambda value, length=255, killwords=False, end="...", *_a, **_k: _truncation(
        length, end
    ),
}


def _truncation(length: Any, end: Any) -> None:
    """truncate's own assertion (its `end` longer than `length`) as a template error."""
    if isinstance(length, int) and isinstance(end, str) and len(end) > length:
        raise TemplateLimit(
            f"truncate(length={length}, end=...) with an end of {len(end):,} characters, "
            "longer than the length; give a length at least as long as the end"
        )


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


# str and bytes methods that pad or repeat: their numeric arguments are widths.
_PADDING = {"center", "ljust", "rjust", "zfill", "expandtabs"}


class _GuardedFilters(dict[str, Callable[..., Any]]):
    """A filter table that guards every filter put into it."""

    def __setitem__(self, name: str, func: Callable[..., Any]) -> None:
        super().__setitem__(name, guard_filter(name, func))

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, func in dict(*args, **kwargs).items():
            self[name] = func


def _guard_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """`args`, checked for a call of `obj` (an iterator given to join becomes a list)."""
    obj = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    name = getattr(obj, "__name__", "")
    text = getattr(obj, "__self__", None)
    if not isinstance(text, _TEXT):
        return args
    if name in _PADDING:
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int):
                _refuse_length(arg * max(len(text), 1), MAX_STRING, "padded text")
    elif name == "join" and args:
        items = _check_size(list(args[0]))
        _refuse_length(_join_length(items, text), MAX_STRING, "text")
        args = (items, *args[1:])
    elif name == "replace" and len(args) >= 2:
        _refuse_length(len(text) + (len(text) + 1) * _size(args[1]), MAX_STRING, "text")
    elif name == "translate" and args:
        table = args[0]
        longest = (
            max((_size(v) for v in table.values()), default=1) if isinstance(table, dict) else 1
        )
        _refuse_length(len(text) * max(longest, 1), MAX_STRING, "translated text")
    elif name == "format":
        _guard_format(text, (*args, *kwargs.values()), bool(_NESTED_FIELD.search(_as_bytes(text))))
    elif name == "format_map" and args:
        values = tuple(args[0].values()) if isinstance(args[0], dict) else ()
        _guard_format(text, values, bool(_NESTED_FIELD.search(_as_bytes(text))))
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

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        """As Jinja's, with the parts measured before they are joined (a chain of `~`)."""
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.joinable((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with size, step, depth and time limits."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # lipsum(10**9) builds gigabytes of Latin
        guarded = _GuardedFilters()
        guarded.update({k: v for k, v in self.filters.items() if k not in REMOVED_FILTERS})
        self.filters = guarded

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Jinja's parse, then the nesting check every template passes before anything walks
        its tree (Jinja's walks and Python's compiler recurse, and fail past a few hundred
        levels, or 20 nested blocks)."""
        try:
            tree = super()._parse(source, name, filename)
        except (RecursionError, MemoryError):
            raise _too_nested(_busiest_line(self, source), name, filename) from None
        line = _nesting(tree)
        if line is not None:
            raise _too_nested(line, name, filename)
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _guard_binop(operator, left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        _step()
        args = _guard_call(obj, args, kwargs)
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

    def joinable(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        """The parts of a `~` join, refused if joined they would pass the limit."""
        _refuse_printed(sum(_weight(p) for p in parts), "a joined value")
        return parts


def _too_nested(line: int, name: str | None, filename: str | None) -> TemplateSyntaxError:
    message = (
        f"nested too deeply (more than {MAX_NESTING} expressions or {MAX_BLOCKS} blocks "
        "inside one another); split it into simpler statements"
    )
    return TemplateSyntaxError(message, line, name, filename)


_BLOCK_NODES = (nodes.For, nodes.If, nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.With)


def _nesting(tree: nodes.Node) -> int | None:
    """The line where `tree` nests nodes deeper than MAX_NESTING or blocks deeper than
    MAX_BLOCKS, None if nowhere; iterative, so a tree too deep for recursion is measured."""
    stack: list[tuple[nodes.Node, int, int]] = [(tree, 0, 0)]
    while stack:
        node, depth, blocks = stack.pop()
        blocks += isinstance(node, _BLOCK_NODES)
        if depth > MAX_NESTING or blocks > MAX_BLOCKS:
            return getattr(node, "lineno", None) or 1
        stack.extend((child, depth + 1, blocks) for child in node.iter_child_nodes())
    return None


def _busiest_line(env: Environment, source: str) -> int:
    """Where a parser gave up on nesting: the line with the most operators (brackets, pipes,
    `~`, `+` ...), by Jinja's own lexer, which does not recurse."""
    counts: dict[int, int] = {}
    try:
        for line, kind, _ in env.lex(source):
            if kind == "operator":
                counts[line] = counts.get(line, 0) + 1
    except TemplateSyntaxError:
        pass
    return max(counts, key=lambda line: counts[line], default=1)


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
    "REMOVED_FILTERS",
    "RENDER_ERRORS",
    "RENDER_MEMORY_BYTES",
    "LimitedSandbox",
    "TemplateLimit",
    "bounded_render",
    "budget",
    "deal_budget",
    "load_template",
    "refused_constructs",
]
