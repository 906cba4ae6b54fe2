"""Safe YAML reading that remembers where every key and value stood in the file.

PyYAML's SafeLoader already refuses tags that build Python objects; on top of that we
refuse duplicate keys, anchors and aliases (a deal never needs them, and they are how
"billion laughs" files blow up memory) and nesting deeper than any real file has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from clausesmith.errors import InvalidInput, Problem

MAX_DEPTH = 32
MAX_BYTES = 2_000_000

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
# top, so we see each node as it is made.
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

    def _next_mark(self) -> Any:
        return self.peek_event().start_mark

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "anchors and aliases (*name) are not allowed in clausesmith files",
                self._next_mark(),
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"nesting deeper than {MAX_DEPTH} levels is not allowed",
                self._next_mark(),
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _problem(file: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or "not valid YAML"
    if mark is None:
        return Problem(file, None, None, "", what)
    return Problem(file, mark.line + 1, mark.column + 1, "", what)


def read_text(path: Path, label: str) -> str:
    """The file as text, or a clear InvalidInput naming what is wrong with it."""
    if path.is_dir():
        raise InvalidInput([Problem(label, None, None, "", "is a directory, not a YAML file")])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput([Problem(label, None, None, "", "no such file")]) from None
    except OSError as exc:
        raise InvalidInput(
            [Problem(label, None, None, "", f"cannot be read ({exc.strerror})")]
        ) from None
    if len(raw) > MAX_BYTES:
        raise InvalidInput(
            [
                Problem(
                    label,
                    None,
                    None,
                    "",
                    f"is {len(raw):,} bytes; clausesmith reads files up to {MAX_BYTES:,} bytes",
                )
            ]
        )
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


def parse(text: str, file: str) -> Loaded:
    """Parse one YAML document into plain data plus the marks of every key and value."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        marks = Marks()
        data = None if root is None else _build(root, (), loader, marks, file)
    except yaml.MarkedYAMLError as exc:
        raise InvalidInput([_problem(file, exc)]) from None
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem(file, None, None, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return Loaded(data, marks, file)


def _build(node: Node, path: PathKey, loader: _Loader, marks: Marks, file: str) -> Any:
    marks.values[path] = _mark(node)
    if isinstance(node, MappingNode):
        return _build_mapping(node, path, loader, marks, file)
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, i), loader, marks, file) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as exc:  # e.g. 2026-02-30 matches the timestamp pattern but is no date
        line, col = _mark(node)
        key = ".".join(str(p) for p in path)
        raise InvalidInput(
            [Problem(file, line, col, key, f"{node.value!r} is not a valid value ({exc})")]
        ) from None


def _build_mapping(
    node: MappingNode, path: PathKey, loader: _Loader, marks: Marks, file: str
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
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
        result[key] = _build(value_node, child, loader, marks, file)
    return result


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted
