"""The slips people make typing YAML, found in the text and said in their words.

The parser's own messages ("could not find expected ':'", "mapping values are not allowed
here") describe what it met, often on the line after the slip. When a file does not parse,
these checks look for what a person most often did, and the first one found at or before
the parser's line is reported at the slip's own line:

- `rate_pct:1.5`: no space after the colon;
- a line indented 3 spaces among siblings that use 2;
- a section header left commented out (`# term:`) while the keys below it are not.

The last one is reported even when the file parses, since its keys then silently belong
to the section above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_NO_SPACE = re.compile(rf"^(\s*(?:- )?)({_KEY}):(?![\s/])(\S.*)$")
_HEADER_COMMENT = re.compile(rf"^(\s*# ?)(\s*)({_KEY}):\s*(?:#.*)?$")
_OPENS = re.compile(r"(:|\||>|[|>][-+]?\d*|^\s*-)\s*$")
_BLOCK_SCALAR = re.compile(r":\s+[|>][-+]?\d*\s*$")


@dataclass(frozen=True)
class Slip:
    line: int  # 1-based
    column: int  # 1-based
    message: str


def _code(line: str) -> str:
    """The line without its trailing comment (a `#` after a space, outside quotes)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def commented_headers(text: str) -> list[Slip]:
    """A header comment (`# term:`) followed at once by a line indented deeper than the
    comment that is not commented: the section's keys without their section."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines[:-1]):
        header = _HEADER_COMMENT.match(line)
        if not header:
            continue
        after = lines[i + 1]
        if not after.strip() or after.lstrip().startswith("#"):
            continue
        # Where the key stands once its '# ' is deleted, as `clausesmith new` writes them.
        at = len(header.group(1)) - len(header.group(1).lstrip()) + len(header.group(2))
        if _indent(after) > at:
            key = header.group(3)
            found.append(
                Slip(
                    i + 2,
                    _indent(after) + 1,
                    f"this line belongs under '{key}:', which line {i + 1} leaves commented "
                    f"out: uncomment line {i + 1} too (delete its '#'), so that it reads "
                    f"'{' ' * at}{key}:'",
                )
            )
    return found


def slips(text: str) -> list[Slip]:
    """Every slip found, in the order of the file's lines."""
    found = commented_headers(text)
    stack: list[int] = [0]  # the indents of the open blocks' keys
    previous: tuple[int, str] | None = None  # indent and code of the last line with code
    block: int | None = None  # inside a block scalar (`reason: |`) indented deeper than this
    for number, raw in enumerate(text.splitlines(), start=1):
        if block is not None and (not raw.strip() or _indent(raw) > block):
            continue  # free text: anything goes
        block = None
        code = _code(raw)
        if not code.strip() or code.lstrip().startswith("#") or code.startswith("---"):
            continue
        if "\t" in raw[: _indent(raw) + 1]:
            continue  # tabs have their own message
        indent = _indent(code)
        found += _no_space(number, code)
        if previous is not None:
            slip = _indent_slip(number, indent, previous, stack)
            if slip is not None:
                found.append(slip)
        previous = (indent, code)
        if _BLOCK_SCALAR.search(code):
            block = indent
    return sorted(found, key=lambda slip: slip.line)


def _no_space(number: int, code: str) -> list[Slip]:
    match = _NO_SPACE.match(code)
    if not match or match.group(3).startswith(("'", '"')):
        return []
    key, value = match.group(2), match.group(3)
    column = len(match.group(1)) + len(key) + 2
    return [Slip(number, column, f"put a space after the colon: '{key}: {value}'")]


def _indent_slip(
    number: int, indent: int, previous: tuple[int, str], stack: list[int]
) -> Slip | None:
    """A line deeper than its siblings, or shallower than any key it could belong with."""
    prev_indent, prev_code = previous
    item = prev_code.lstrip().startswith("- ")
    opens = bool(_OPENS.search(prev_code))
    if indent > prev_indent:
        siblings = prev_indent + 2 if item else prev_indent
        stack.append(indent)
        if opens or indent == siblings:
            return None
        return Slip(
            number,
            indent + 1,
            f"this line is indented {indent} spaces; its siblings use {siblings}: "
            f"indent it {siblings} spaces",
        )
    if indent == prev_indent:
        return None
    popped = None
    while stack and stack[-1] > indent:
        popped = stack.pop()
    if stack and stack[-1] == indent:
        return None
    stack.append(indent)
    if popped is not None and stack[-2:-1] and stack[-2] < indent:
        # Between two levels: most likely the siblings above were indented differently.
        return Slip(
            number,
            indent + 1,
            f"this line is indented {indent} spaces; its siblings above it use {popped}: "
            f"indent them alike",
        )
    levels = " or ".join(str(level) for level in sorted({*stack[:-1], prev_indent}))
    return Slip(
        number,
        indent + 1,
        f"this line is indented {indent} spaces; the keys around it use {levels}: indent it "
        "as the key it belongs with",
    )


def no_space_slips(text: str) -> list[Slip]:
    """`key:value` lines, which YAML may read as one text value without an error; one
    regular expression a line (this runs on every file that parses), block scalars skipped."""
    found = []
    block: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if block is not None and (not raw.strip() or _indent(raw) > block):
            continue
        block = None
        if ":" not in raw or raw.lstrip().startswith("#"):
            continue
        if _BLOCK_SCALAR.search(raw):
            block = _indent(raw)
        found += _no_space(number, raw.split(" #", 1)[0].rstrip())
    return found


def first_slip(text: str, line: int | None) -> Slip | None:
    """The slip a parser error at `line` (1-based) most likely comes from: the first one
    found at or before it (a parser stumbles on the line after the slip, or later)."""
    for slip in slips(text):
        if line is None or slip.line <= line:
            return slip
    return None
