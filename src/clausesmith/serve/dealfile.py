"""The one deal file a `clausesmith serve` session edits: read once, saved back keeping the
paralegal's comments and layout.

The file is read as the loader reads it (bounded, a regular file only, no anchors, aliases
or tags, no deeper nesting than a deal has) and the form shows the loader's values: ruamel.yaml
reads YAML 1.2, where `NO` is text, while the loader reads YAML 1.1, where it is `false`, so
ruamel's reading is used for layout only, never for a value.

The form sends the whole deal as JSON. Saving lays it over the file as ruamel.yaml's
round-trip parser read it: a value the loader reads as the form sent it keeps its text, its
comment and its flow or block style; a changed scalar is replaced where it stood (its comment
stays); a key the form left out is removed; a new key is added at the end of its section.
Text that YAML 1.1 would read as something else (`NO`, `on`, `1:20`) is quoted, a float
always has its point (`1.0e+21`), and dates go back as YAML dates (`2026-03-02`, unquoted),
because the form returns ISO text where the schema says a date. Before anything is written
the new text is read back by the loader and must give exactly the deal the form sent. The
file is replaced atomically, keeping its permissions, and never over a version changed on
disk since it was opened (another editor, a `git pull`): that save is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from clausesmith.errors import InvalidInput
from clausesmith.files import write_file
from clausesmith.inputs.yamlio import parse, read_text
from clausesmith.resources import bundled
from clausesmith.serve.form import non_null

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STR = "tag:yaml.org,2002:str"
_LOADER_RESOLVER = pyyaml.resolver.Resolver()  # the loader's YAML 1.1 reading of plain text
_LINE_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML 1.1, text to a reader


class ChangedOnDisk(Exception):
    """The file is no longer what this session opened."""


class NotADealPath(Exception):
    """A place the form may not save to."""


class NotSavedExactly(Exception):
    """The YAML written would not read back as the deal the form sent (nothing is written)."""


def _represent_str(representer: RoundTripRepresenter, data: str) -> Any:
    """Text as text to the loader: quoted wherever YAML 1.1 would read it plain as a boolean,
    a number, a date or null, or would break its line."""
    plain_tag = _LOADER_RESOLVER.resolve(pyyaml.ScalarNode, data, (True, False))  # type: ignore[no-untyped-call]
    style = '"' if plain_tag != _STR or any(b in data for b in _LINE_BREAKS) else None
    return representer.represent_scalar(_STR, data, style=style)


def _represent_float(representer: RoundTripRepresenter, data: float) -> Any:
    """A float as YAML 1.1 reads a float: with its point (`1e+21` would be text)."""
    if math.isnan(data):
        text = ".nan"
    elif math.isinf(data):
        text = ".inf" if data > 0 else "-.inf"
    else:
        text = repr(data).lower()
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # keep long lines as the paralegal wrote them
    yaml.indent(mapping=2, sequence=4, offset=2)
    # null as the word, as the reference deal and `clausesmith new` write it (ruamel would
    # leave the value empty)
    yaml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    yaml.representer.add_representer(str, _represent_str)
    yaml.representer.add_representer(float, _represent_float)
    return yaml


class DealFile:
    """The deal being edited: its path (None until the first save of a new deal), the text
    it was opened with, and that text's digest, to refuse saving over someone else's edit."""

    def __init__(self, path: Path | None) -> None:
        """InvalidInput, located, for a file the loader cannot read: not a regular file,
        too large, not UTF-8, not YAML, or holding anchors, aliases or tags."""
        # A deal opened through a symlink is saved into the file it names, resolved now: a
        # save replaces the file at its path, which would otherwise replace the link itself.
        self.path = path.resolve() if path is not None else None
        source = self.path if self.path is not None else bundled("examples") / "minimal.yaml"
        self.text = read_text(source, str(source))
        self.values = parse(self.text, str(source)).data
        self.digest = _digest(self.text) if path is not None else None

    def data(self) -> dict[str, Any]:
        """The deal as the loader reads it, in JSON values for the form (dates as ISO
        text)."""
        plain = _plain(self.values if self.values is not None else {})
        return plain if isinstance(plain, dict) else {}

    def save(self, deal: dict[str, Any], schema: dict[str, Any], path: Path | None = None) -> Path:
        """Write `deal` into the file, keeping comments and layout; the path saved to."""
        target = self._target(path)
        if self.path is not None:
            try:
                now = read_text(target, str(target))
            except InvalidInput:  # gone, or no longer a regular file
                now = None
            if now is None or _digest(now) != self.digest:
                raise ChangedOnDisk(
                    f"{target}: changed on disk since it was opened; reload the page to edit "
                    "the new version (your changes in the form are not saved)"
                )
        crlf = "\r\n" in self.text  # written on Windows: saved so, every line alike
        document = _yaml().load(self.text.replace("\r\n", "\n"))
        if not isinstance(document, CommentedMap):
            document = CommentedMap()
        wanted = _dated(deal, schema)
        merged = _merge(document, self.values, wanted)
        out = io.StringIO()
        _yaml().dump(merged, out)
        text = out.getvalue()
        if crlf:
            text = text.replace("\n", "\r\n")
        try:
            values = parse(text, str(target)).data
        except InvalidInput as exc:
            raise NotSavedExactly(f"not saved: {exc.problems[0].message}") from None
        if (where := _difference(values, wanted, "")) is not None:
            raise NotSavedExactly(
                f"not saved: {where or 'the deal'} would not read back as typed; "
                "nothing was written"
            )
        data = text.encode("utf-8")
        write_file(target, data)
        self.path, self.text, self.values = target, text, values
        self.digest = _digest(text)
        return target

    def _target(self, path: Path | None) -> Path:
        if self.path is not None:
            return self.path
        if path is None:
            raise NotADealPath("this deal has no file yet: give the file name to save it as")
        here = Path.cwd().resolve()
        try:
            target = (here / path).resolve()
        except (OSError, ValueError):  # a NUL byte, a name longer than the system allows
            raise NotADealPath(f"{path!r}: not a file name this system can hold") from None
        if len(target.name.encode("utf-8")) > 255:  # the longest name Windows, macOS, Linux hold
            raise NotADealPath(f"{path}: a file name is at most 255 bytes")
        if not target.is_relative_to(here):
            raise NotADealPath(f"{path}: save inside {here}, where clausesmith serve started")
        if target.suffix not in (".yaml", ".yml"):
            raise NotADealPath(f"{path}: a deal file's name ends in .yaml")
        if target.exists() or target.is_symlink():
            raise NotADealPath(f"{path}: already exists; choose a new name")
        return target


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str) or value is None:
        return value if not isinstance(value, str) else str(value)
    return str(value)


def _dated(value: Any, schema: dict[str, Any]) -> Any:
    """`value` with ISO text turned into dates wherever the schema says a date."""
    node = non_null(schema)[0]
    if node.get("format") == "date" and isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # the validator names it
    if isinstance(value, dict):
        properties = node.get("properties", {})
        extra = node.get("additionalProperties")
        extra_schema = extra if isinstance(extra, dict) else {}
        return {k: _dated(v, properties.get(k, extra_schema)) for k, v in value.items()}
    if isinstance(value, list):
        items = node.get("items", {})
        return [_dated(v, items) for v in value]
    return value


def _merge(old: Any, seen: Any, new: Any) -> Any:
    """`new` laid over `old` (ruamel's nodes), keeping `old`'s nodes (and so their comments)
    where the loader read them (`seen`) as `new`, and its mappings (their order, comments and
    style) where both are maps. ruamel's own reading of a value is never compared: it reads
    YAML 1.2, the loader YAML 1.1."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        seen_map = seen if isinstance(seen, dict) else {}
        # ruamel's keys are YAML 1.2 text, the loader's str() of its YAML 1.1 reading
        keys = {str(k): k for k in old}
        for key in [k for k in old if str(k) not in new]:
            del old[key]
        for key, value in new.items():
            if key in keys and keys[key] in old:
                old[keys[key]] = _merge(old[keys[key]], seen_map.get(key), value)
            else:
                old[key] = value
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        seen_list = seen if isinstance(seen, list) and len(seen) == len(old) else [None] * len(old)
        merged = [_merge(old[i], seen_list[i], v) if i < len(old) else v for i, v in enumerate(new)]
        del old[len(new) :]
        for i, value in enumerate(merged):
            if i < len(old):
                old[i] = value
            else:
                old.append(value)
        return old
    if not isinstance(old, dict | list) and _difference(seen, new, "") is None:
        return old
    return new


def _difference(got: Any, wanted: Any, key: str) -> str | None:
    """The first key where `got` (as the loader read it) is not `wanted`, or None. Booleans,
    numbers and text are told apart (`True == 1` and `1 == 1.0` in Python); an int and a
    float of the same value are the same number to the validator."""
    if isinstance(wanted, dict):
        if not isinstance(got, dict) or set(got) != set(wanted):
            return key
        for k, v in wanted.items():
            if (found := _difference(got[k], v, f"{key}.{k}" if key else k)) is not None:
                return found
        return None
    if isinstance(wanted, list):
        if not isinstance(got, list) or len(got) != len(wanted):
            return key
        for i, v in enumerate(wanted):
            if (found := _difference(got[i], v, f"{key}[{i}]")) is not None:
                return found
        return None

    def kind(value: Any) -> str:
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int | float):
            return "number"
        if isinstance(value, dt.datetime):
            return "datetime"
        return type(value).__name__

    same = kind(got) == kind(wanted) and got == wanted
    return None if same else key
