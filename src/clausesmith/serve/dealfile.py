"""The one deal file a `clausesmith serve` session edits: read once, saved back keeping the
paralegal's comments and layout.

The form sends the whole deal as JSON. Saving lays it over the file as ruamel.yaml's
round-trip parser read it: a value that did not change keeps its text, its comment and its
flow or block style; a changed scalar is replaced where it stood (its comment stays); a key
the form left out is removed; a new key is added at the end of its section. Dates go back
as YAML dates (`2026-03-02`, unquoted), because the form returns ISO text where the schema
says a date. The file is replaced atomically, and never over a version changed on disk
since it was opened (another editor, a `git pull`): that save is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from clausesmith.files import write_file
from clausesmith.resources import bundled

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_DEAL_BYTES = 2_000_000  # what the loader reads (inputs.yamlio.MAX_BYTES)


class ChangedOnDisk(Exception):
    """The file is no longer what this session opened."""


class NotADealPath(Exception):
    """A place the form may not save to."""


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
    return yaml


class DealFile:
    """The deal being edited: its path (None until the first save of a new deal), the text
    it was opened with, and that text's digest, to refuse saving over someone else's edit."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        source = path if path is not None else bundled("examples") / "minimal.yaml"
        raw = source.read_bytes()
        if len(raw) > MAX_DEAL_BYTES:
            raise NotADealPath(f"{source}: is more than {MAX_DEAL_BYTES:,} bytes")
        self.text = raw.decode("utf-8-sig")
        self.digest = _digest(raw) if path is not None else None

    def data(self) -> dict[str, Any]:
        """The deal as JSON values, for the form (dates as ISO text)."""
        loaded = _yaml().load(self.text)
        plain = _plain(loaded if loaded is not None else {})
        return plain if isinstance(plain, dict) else {}

    def save(self, deal: dict[str, Any], schema: dict[str, Any], path: Path | None = None) -> Path:
        """Write `deal` into the file, keeping comments and layout; the path saved to."""
        target = self._target(path)
        if self.path is not None:
            now = target.read_bytes() if target.exists() else b""
            if _digest(now) != self.digest:
                raise ChangedOnDisk(
                    f"{target}: changed on disk since it was opened; reload the page to edit "
                    "the new version (your changes in the form are not saved)"
                )
        document = _yaml().load(self.text)
        if not isinstance(document, CommentedMap):
            document = CommentedMap()
        merged = _merge(document, _dated(deal, schema))
        out = io.StringIO()
        _yaml().dump(merged, out)
        data = out.getvalue().encode("utf-8")
        write_file(target, data)
        self.path, self.text, self.digest = target, data.decode("utf-8"), _digest(data)
        return target

    def _target(self, path: Path | None) -> Path:
        if self.path is not None:
            return self.path
        if path is None:
            raise NotADealPath("this deal has no file yet: give the file name to save it as")
        here = Path.cwd().resolve()
        target = (here / path).resolve()
        if not target.is_relative_to(here):
            raise NotADealPath(f"{path}: save inside {here}, where clausesmith serve started")
        if target.suffix not in (".yaml", ".yml"):
            raise NotADealPath(f"{path}: a deal file's name ends in .yaml")
        if target.exists() or target.is_symlink():
            raise NotADealPath(f"{path}: already exists; choose a new name")
        return target


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    node = _non_null(schema)
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


def _non_null(schema: dict[str, Any]) -> dict[str, Any]:
    for option in schema.get("anyOf", ()):
        if option.get("type") != "null":
            return dict(option)
    return schema


def _merge(old: Any, new: Any) -> Any:
    """`new` laid over `old`, keeping `old`'s nodes (and so their comments) where they hold
    the same value, and its mappings (their order, comments and style) where both are maps."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merge(old[key], value) if key in old else value
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        if _plain(old) == _plain(new):
            return old
        merged = [_merge(old[i], v) if i < len(old) else v for i, v in enumerate(new)]
        del old[len(new) :]
        for i, value in enumerate(merged):
            if i < len(old):
                old[i] = value
            else:
                old.append(value)
        return old
    if _plain(old) == _plain(new) and type(old) is not bool and type(new) is not bool:
        return old
    if isinstance(old, bool) and isinstance(new, bool) and old == new:
        return old
    return new
