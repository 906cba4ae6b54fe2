"""Safe YAML reading that remembers where every key and value stood in the file.

On top of PyYAML's safe constructor we refuse every explicit tag (`!!python/object`,
`!!binary`, `!!set`: a deal holds plain values only), duplicate keys, anchors and aliases
(a deal never needs them, and they are how "billion laughs" files blow up memory), nesting
deeper than any real file has, and control characters a Word document cannot hold.

Two roads to the same nodes. A file with no `!`, `&` or `*` anywhere cannot hold a tag, an
anchor or an alias, so if it is also small (a deal is some 10 kB) libyaml composes its nodes
in C (three times faster than PyYAML's Python composer; libyaml itself stops nesting at
1,000 levels, so its recursion is bounded; and under FAST_BYTES no file holds enough values
to matter for memory), and the walk that builds the data counts values and nesting. Any
other file goes through our Python composer, which refuses tags and aliases as it meets
them. Both report the same problem at the same line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from clausesmith.chars import control_character
from clausesmith.errors import InvalidInput, Problem
from clausesmith.files import NotRegular, TooLarge, read_bounded
from clausesmith.inputs.yamlslips import commented_headers, first_slip, no_space_slips

MAX_DEPTH = 32
MAX_BYTES = 2_000_000
FAST_BYTES = 100_000  # the largest file libyaml composes in C before we count its values
MAX_NODES = 20_000  # keys, values and list items; a real deal has a few hundred
_NESTING = f"nesting deeper than {MAX_DEPTH} levels is not allowed"
_TOO_MANY = (
    f"more than {MAX_NODES:,} values; clausesmith files are far smaller, "
    "so this one is not a deal, clause or playbook"
)

PathKey = tuple[str | int, ...]


@dataclass
class Marks:
    """1-based (line, column) of each key and value, by path from the document root."""

    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: PathKey) -> tuple[int, int] | None:
        """Where to point a user for `path`: its value, else its key, else its parent."""
        while True:
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return None
            path = path[:-1]


@dataclass(frozen=True)
class Loaded:
    data: Any
    marks: Marks
    file: str


# libyaml parses when PyYAML has it (fast); PyYAML's own composer builds the nodes on
# top, so we see each node as it is made. (`yaml.CParser` is not exported; it lives in cyaml.)
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
_PARSER: tuple[Any, ...] = (
    (_CParser,) if _CParser else (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser)
)


class _Loader(
    yaml.composer.Composer,
    *_PARSER,  # type: ignore[misc]
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """A safe loader that refuses aliases and deep nesting while composing."""

    def __init__(self, stream: str) -> None:
        if _CParser:
            _CParser.__init__(self, stream)
        else:  # pragma: no cover - PyYAML built without libyaml
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._depth = 0
        self._nodes = 0

    def _next_mark(self) -> Any:
        return self.peek_event().start_mark

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        # An anchor is refused even when no alias uses it, as docs/security.md promises.
        event = self.peek_event()
        if self.check_event(AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, _ANCHORS, self._next_mark())
        # libyaml's check_event matches exact classes only, so name each kind of node.
        tag = getattr(self.peek_event(), "tag", None)
        if tag not in (None, "!") and self.check_event(
            ScalarEvent, SequenceStartEvent, MappingStartEvent
        ):
            raise yaml.composer.ComposerError(None, None, _tag_message(tag), self._next_mark())
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise yaml.composer.ComposerError(None, None, _TOO_MANY, self._next_mark())
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                _NESTING,
                self._next_mark(),
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_ANCHORS = (
    "anchors (&name) and aliases (*name) are not allowed in clausesmith files; write the value out"
)


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    if shown.startswith("!!python/"):
        return (
            f"the YAML tag {shown} would build a Python object; clausesmith files hold plain "
            "values only: remove the tag"
        )
    return (
        f"the YAML tag {shown} is not allowed; clausesmith files hold plain values only: "
        "remove the tag"
    )


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _problem(file: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or "not valid YAML"
    if mark is None:
        return Problem(file, None, None, "", what)
    if re.search(r"\btab\b", what) or text[mark.index : mark.index + 1] == "\t":
        what = "a tab character here; YAML indents with spaces: replace the tab with spaces"
    elif "maximum nesting depth" in what:  # libyaml's own limit, met while scanning ahead
        return Problem(file, mark.line + 1, mark.column + 1, "", _NESTING)
    elif "another document" in what:
        what = "a second YAML document starts here; a file holds one: remove this '---' and below"
    elif exc.context and exc.context_mark and exc.context_mark is not mark:
        what = f"{what} ({exc.context} that starts on line {exc.context_mark.line + 1})"
    return Problem(file, mark.line + 1, mark.column + 1, "", what)


def _reader_problem(file: str, exc: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML refuses outright, located by its position in the text."""
    before = text[: exc.position]
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    return Problem(
        file,
        line,
        column,
        "",
        f"contains the control character U+{exc.character:04X}, which YAML and Word documents "
        "cannot hold; delete it",
    )


def read_text(path: Path, label: str) -> str:
    """The file as text, or a clear InvalidInput naming what is wrong with it. Only a
    regular file is read, and no more than MAX_BYTES of it (a symlink to /dev/zero would
    otherwise be read until memory runs out)."""
    if path.is_dir():
        raise InvalidInput([Problem(label, None, None, "", "is a directory, not a YAML file")])
    try:
        raw = read_bounded(path, MAX_BYTES)
    except FileNotFoundError:
        raise InvalidInput([Problem(label, None, None, "", "no such file")]) from None
    except TooLarge as exc:
        message = f"{exc.strerror}; clausesmith reads files up to {MAX_BYTES:,} bytes"
        raise InvalidInput([Problem(label, None, None, "", message)]) from None
    except NotRegular:
        message = "is not a regular file (a device, a pipe?); put the file itself there"
        raise InvalidInput([Problem(label, None, None, "", message)]) from None
    except OSError as exc:
        raise InvalidInput(
            [Problem(label, None, None, "", f"cannot be read ({exc.strerror})")]
        ) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless; editors on Windows add it
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            [
                Problem(
                    label,
                    line,
                    None,
                    "",
                    f"is not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None


# What a tag, an anchor or an alias needs: without any of them, the C composer is safe.
_TAG_OR_ALIAS = re.compile(r"[!&*]")
_CLoader: Any = getattr(getattr(yaml, "cyaml", None), "CSafeLoader", None)


def parse(text: str, file: str) -> Loaded:
    """Parse one YAML document into plain data plus the marks of every key and value."""
    loader = None
    try:
        plain = _CLoader is not None and len(text) <= FAST_BYTES and not _TAG_OR_ALIAS.search(text)
        loader = _CLoader(text) if plain else _Loader(text)
        root = loader.get_single_node()
        marks = Marks()
        data = None if root is None else _compose_value(root, (), loader, marks, file, _Count())
    except yaml.reader.ReaderError as exc:
        raise InvalidInput([_reader_problem(file, exc, text)]) from None
    except yaml.MarkedYAMLError as exc:
        problem = _problem(file, exc, text)
        # A slip of typing stops the scanner or the parser; our own refusals (tags, anchors,
        # duplicate keys, size) come from the composer and say what they mean already.
        typed = isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError)
        slip = first_slip(text, problem.line) if typed and "tab" not in problem.message else None
        if slip is not None:  # what the person did, at the line they did it
            problem = Problem(file, slip.line, slip.column, "", slip.message)
        raise InvalidInput([problem]) from None
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem(file, None, None, "", f"not valid YAML: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    # It parsed, but those keys joined the section above, or `key:value` became text.
    found = commented_headers(text) + no_space_slips(text)
    if found:
        raise InvalidInput([Problem(file, s.line, s.column, "", s.message) for s in found])
    return Loaded(data, marks, file)


@dataclass
class _Count:
    """Values met so far by the walk, in the order the composer meets them."""

    nodes: int = 0

    def enter(self, node: Node, depth: int) -> None:
        """Refuse what the Python composer refuses, where it refuses it (the C composer
        counts nothing). Keys count as values, as they do there."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _refused(node, _TOO_MANY)
        if depth > MAX_DEPTH:
            raise _refused(node, _NESTING)


def _refused(node: Node, message: str) -> yaml.composer.ComposerError:
    return yaml.composer.ComposerError(None, None, message, node.start_mark)


def _compose_value(
    node: Node, path: PathKey, loader: Any, marks: Marks, file: str, count: _Count, depth: int = 1
) -> Any:
    count.enter(node, depth)
    marks.values[path] = _mark(node)
    if isinstance(node, MappingNode):
        return _compose_mapping(node, path, loader, marks, file, count, depth)
    if isinstance(node, SequenceNode):
        return [
            _compose_value(item, (*path, i), loader, marks, file, count, depth + 1)
            for i, item in enumerate(node.value)
        ]
    assert isinstance(node, ScalarNode)
    line, col = _mark(node)
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError as exc:  # e.g. 2026-02-30 matches the timestamp pattern but is no date
        if node.tag.endswith(":int"):  # past Python's 4,300 digits: no deal's figure
            message = (
                f"is a number of {len(node.value):,} digits, more than any figure a deal states"
            )
        else:
            what = "a date that does not exist" if node.tag.endswith(":timestamp") else "not valid"
            message = f"{node.value!r} is {what} ({exc})"
        raise InvalidInput([Problem(file, line, col, _dotted(path), message)]) from None
    if isinstance(value, str) and (bad := control_character(value)):
        raise InvalidInput([Problem(file, line, col, _dotted(path), bad)])
    if isinstance(value, float) and not _exact(node.value, value):
        message = (
            f"{node.value} cannot be held exactly (it would be read as {value!r}); write it "
            "with fewer digits"
        )
        raise InvalidInput([Problem(file, line, col, _dotted(path), message)])
    return value


def _exact(text: str, value: float) -> bool:
    """Whether the number written as `text` is the float it was read as (a figure with
    more digits than a float holds, 2.0000000000000000000000001, is not)."""
    try:
        return Decimal(text.replace("_", "")) == Decimal(repr(value))
    except (InvalidOperation, ValueError):
        return True  # .inf, .nan, 1:30.5: not decimal text; the number checks judge them


def _compose_mapping(
    node: MappingNode,
    path: PathKey,
    loader: Any,
    marks: Marks,
    file: str,
    count: _Count,
    depth: int,
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        count.enter(key_node, depth + 1)
        if not isinstance(key_node, ScalarNode):
            line, col = _mark(key_node)
            raise InvalidInput(
                [
                    Problem(
                        file,
                        line,
                        col,
                        _dotted(path),
                        "keys must be plain words, not lists or mappings",
                    )
                ]
            )
        key = str(loader.construct_object(key_node))
        child = (*path, key)
        if bad := control_character(key):
            line, col = _mark(key_node)
            raise InvalidInput([Problem(file, line, col, _dotted(child), f"key {bad}")])
        if key in result:
            line, col = _mark(key_node)
            first = marks.keys[child][0]
            raise InvalidInput(
                [
                    Problem(
                        file,
                        line,
                        col,
                        _dotted(child),
                        f"duplicate key (first given on line {first}); keep one of them",
                    )
                ]
            )
        marks.keys[child] = _mark(key_node)
        result[key] = _compose_value(value_node, child, loader, marks, file, count, depth + 1)
    return result


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted
