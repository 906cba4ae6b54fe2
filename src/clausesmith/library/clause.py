"""The clause library: one Markdown file per clause, YAML front matter then Jinja text."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import marshal
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import Template, TemplateSyntaxError, UndefinedError

from clausesmith import compile_cache
from clausesmith.errors import InvalidInput, Problem
from clausesmith.inputs.validator import validate
from clausesmith.inputs.yamlio import Marks, parse, read_text
from clausesmith.library import registry
from clausesmith.library.fields import Taxonomy, scan_taxonomy
from clausesmith.templating.limits import RENDER_ERRORS, bounded_render, load_template
from clausesmith.templating.part_marks import excerpt, mark_problem, take_mark
from clausesmith.templating.reads import unknown_reads
from clausesmith.templating.sandbox import ENV, check_template
from clausesmith.templating.spelling import us_punctuation, us_spelling_template
from clausesmith.templating.typography import singular_units, typeset, typeset_template

POSITIONS = ("preferred", "fallback", "walk-away")
STATUSES = ("draft", "approved", "deprecated")

CITATION: dict[str, Any] = {
    "type": "dict",
    "schema": {
        "source": {"type": "string", "required": True, "empty": False},
        "pinpoint": {"type": "string", "required": True, "empty": False},
        "verified": {"type": "boolean", "required": True},
        "identifier": {"type": "string", "empty": False},
        "holds": {"type": "string", "allowed": ["holding", "context"]},
        "checked_on": {"type": "date", "nullable": True},
    },
}

FRONT_MATTER_SCHEMA: dict[str, Any] = {
    "id": {"type": "string", "required": True, "regex": r"^[a-z0-9_]+/[a-z0-9_-]+$"},
    "version": {"type": "integer", "required": True, "min": 1},
    "title": {"type": "string", "required": True, "empty": False},
    "slot": {"type": "string", "required": True, "empty": False},
    "position": {"type": "string", "required": True, "allowed": list(POSITIONS)},
    "status": {"type": "string", "required": True, "allowed": list(STATUSES)},
    "approved_by": {"type": "string", "nullable": True},
    "approved_on": {"type": "date", "nullable": True},
    "jurisdictions": {
        "anyof": [
            {"type": "string", "allowed": ["all"]},
            {"type": "list", "schema": {"type": "string"}},
        ]
    },
    "citations": {"type": "list", "schema": CITATION},
    # Counsel's own note on the position (why it departs from the playbook, what it risks):
    # shown by explain, clauses show and the lock, never printed in a document.
    "counsel_note": {"type": "string", "nullable": True, "empty": False},
    "requires": {"type": "list", "schema": {"type": "string"}},
    # An annex clause names its paragraphs (library/annex_parts.py): lint checks them.
    "parts": {"type": "list", "schema": {"type": "string", "regex": r"^[a-z_]+$"}},
    "examples": {
        "type": "list",
        "schema": {
            "type": "dict",
            "schema": {
                "spec": {"type": "dict", "required": True},
                "expect": {"type": "string", "required": True, "empty": False},
            },
        },
    },
}

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)


@dataclass(frozen=True)
class Citation:
    source: str  # what it is: "Commission Regulation on technology transfer agreements"
    pinpoint: str
    verified: bool  # checked against the primary text
    identifier: str | None = None  # the official identifier: "Regulation (EU) 2026/877"
    holds: str | None = None  # holding: it says this | context: it frames the point
    checked_on: dt.date | None = None  # when it was checked; set exactly when verified

    def data(self) -> dict[str, Any]:
        """As explain, reports and the lock file record it."""
        return {
            "source": self.source,
            "identifier": self.identifier,
            "pinpoint": self.pinpoint,
            "holds": self.holds,
            "verified": self.verified,
            "checked_on": None if self.checked_on is None else self.checked_on.isoformat(),
        }


@dataclass(frozen=True)
class Example:
    spec: dict[str, Any]  # laid over the reference deal with `overlay`
    expect: str


def overlay(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` laid over `base`, mappings merged key by key; anything else, a null
    included, replaces what was there, as the same value typed into the deal would."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = overlay(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@dataclass(frozen=True)
class Clause:
    id: str
    version: int
    title: str
    slot: str
    position: str
    status: str
    approved_by: str | None
    approved_on: dt.date | None
    jurisdictions: tuple[str, ...] | str
    citations: tuple[Citation, ...]
    requires: tuple[str, ...]
    examples: tuple[Example, ...]
    body: str
    body_line: int  # the file line the Jinja text starts on
    path: str
    sha256: str  # of the body text: what counsel approved
    code: bytes = field(compare=False, repr=False)  # the checked, compiled body, marshalled
    marks: Marks = field(compare=False, repr=False)  # of the front matter, in file lines
    code_us: bytes = field(default=b"", compare=False, repr=False)  # the same, US spelling
    counsel_note: str | None = None  # for counsel only: never rendered into a document
    parts: tuple[str, ...] = ()  # an annex clause's paragraphs by name, in order

    @functools.cached_property
    def template(self) -> Template:
        return load_template(ENV, self.code)

    @property
    def padded_body(self) -> str:
        """The Jinja text on the file's own lines, so line numbers are the file's."""
        return "\n" * (self.body_line - 1) + self.body

    @functools.cached_property
    def template_us(self) -> Template:
        return load_template(ENV, self.code_us)

    def template_for(self, locale: str) -> Template:
        """en-US deals read the wording in US spelling ("License", "organized")."""
        return self.template_us if locale == "en-US" and self.code_us else self.template

    def __getstate__(self) -> dict[str, Any]:
        kept = {k: v for k, v in self.__dict__.items() if k not in ("template", "template_us")}
        return kept  # the compiled code is kept


@dataclass(frozen=True)
class Library:
    root: Path
    clauses: dict[str, Clause]
    approved: dict[str, registry.Approval] | None = None  # approved.json; None: no registry
    taxonomy: Taxonomy = field(default_factory=Taxonomy)  # clause_library/fields.yaml

    def get(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    @functools.cached_property
    def digest(self) -> str:
        """sha256 of every clause's id, version and text hash: changes with any clause."""
        lines = sorted(f"{c.id} {c.version} {c.sha256}" for c in self.clauses.values())
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def status_of(self, clause: Clause) -> str:
        """What documents and reports call the clause: "unapproved" for an approved clause
        whose text is not the registry's for its version."""
        return registry.approval_status(clause, self.approved)


def load_library(root: Path) -> Library:
    """Every clause under `root`; InvalidInput listing every broken file."""
    if not root.is_dir():
        raise InvalidInput([Problem(str(root), None, None, "", "clause library folder not found")])
    clauses, problems = scan_library(root)
    taxonomy, taxonomy_problems = scan_taxonomy(root)
    if problems or taxonomy_problems:
        raise InvalidInput(problems + taxonomy_problems)
    return Library(root, clauses, registry.read_registry(root), taxonomy)


def scan_library(root: Path) -> tuple[dict[str, Clause], list[Problem]]:
    """The clauses under `root` that load, and the problems of those that do not."""
    clauses: dict[str, Clause] = {}
    problems: list[Problem] = []
    for path in sorted(root.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            clause = load_clause(path, str(path))
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        if clause.id in clauses:
            line = (clause.marks.locate(("id",)) or (None, None))[0]
            first = clauses[clause.id].path
            problems.append(
                Problem(clause.path, line, None, "id", f"{clause.id!r} is also the id of {first}")
            )
            continue
        clauses[clause.id] = clause
    return clauses, problems


def load_clause(path: Path, label: str) -> Clause:
    """The clause in the file at `path`, named `label` in messages; InvalidInput if broken.

    Kept in the compile cache under its text, so an unchanged clause is loaded in one read."""
    text = read_text(path, label)
    return compile_cache.remember("clause", (label, text), lambda: _clause(text, label))


def _clause(text: str, label: str) -> Clause:
    match = _FRONT.match(text)
    if not match:
        raise InvalidInput(
            [Problem(label, 1, 1, "", "a clause file starts with '---', YAML front matter, '---'")]
        )
    loaded = parse(match.group(1), label)
    meta = loaded.data
    if not isinstance(meta, dict):
        raise InvalidInput([Problem(label, 2, 1, "", "front matter must be a mapping")])
    # Marks count from the front matter's first line, which is the file's second.
    for marks in (loaded.marks.keys, loaded.marks.values):
        for key, (line, col) in marks.items():
            marks[key] = (line + 1, col)
    problems = validate(meta, FRONT_MATTER_SCHEMA, loaded.marks, label)
    if problems:
        raise InvalidInput(problems)
    body = text[match.end() :]
    body_line = text[: match.end()].count("\n") + 1
    return Clause(
        id=meta["id"],
        version=meta["version"],
        title=meta["title"],
        slot=meta["slot"],
        position=meta["position"],
        status=meta["status"],
        approved_by=meta.get("approved_by"),
        approved_on=meta.get("approved_on"),
        jurisdictions=_jurisdictions(meta.get("jurisdictions", "all")),
        citations=tuple(Citation(**c) for c in meta.get("citations") or ()),
        requires=tuple(meta.get("requires") or ()),
        # Expected phrases are clause wording too, so they get the same quotes as the text.
        examples=tuple(
            Example(e["spec"], typeset(e["expect"])) for e in meta.get("examples") or ()
        ),
        body=body,
        body_line=body_line,
        path=label,
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        code=marshal.dumps(_compile(body, body_line, label)),
        marks=loaded.marks,
        code_us=marshal.dumps(_compile(body, body_line, label, us=True)),
        counsel_note=meta.get("counsel_note"),
        parts=tuple(meta.get("parts") or ()),
    )


def _jurisdictions(value: Any) -> tuple[str, ...] | str:
    return value if isinstance(value, str) else tuple(value)


def _compile(body: str, body_line: int, label: str, *, us: bool = False) -> CodeType:
    # Leading newlines make Jinja's line numbers the file's line numbers.
    source = "\n" * (body_line - 1) + body  # as Clause.padded_body
    try:  # parse once, check, compile the checked tree
        tree = ENV.parse(source, name=label, filename=label)
        check_template(tree, label)
        tree = typeset_template(tree)
        return ENV.compile(us_spelling_template(tree) if us else tree, name=label, filename=label)
    except TemplateSyntaxError as exc:
        raise InvalidInput(
            [Problem(label, exc.lineno, None, "", f"template: {exc.message}")]
        ) from None


def render_clause(clause: Clause, context: dict[str, Any]) -> tuple[str, ...]:
    """The clause's text for this deal as paragraphs; InvalidInput names file, line, path."""
    return tuple(text for _, text in render_marked(clause, context))


def render_marked(clause: Clause, context: dict[str, Any]) -> tuple[tuple[str | None, str], ...]:
    """Each paragraph with the part its `{{ part("name") }}` mark names (None if unmarked)."""
    try:
        locale = context["deal"].locale
        text = singular_units(bounded_render(clause.template_for(locale), context))
        if locale == "en-US":
            text = us_punctuation(text)
    except UndefinedError as exc:
        # Name the path as lint does ("text reads 'royalties.cap.amountt', ..."); Jinja's own
        # message names only the last step ("'Cap object' has no attribute 'amountt'").
        kind = "side_letter" if "letter" in context else "term_sheet"
        named = [Problem(clause.path, line, None, "", why) for line, why in
                 unknown_reads(clause.padded_body, kind)]  # fmt: skip
        raise InvalidInput(
            named
            or [
                Problem(
                    clause.path,
                    _line_of(exc, clause.path),
                    None,
                    "",
                    f"reads a value the deal does not have: {exc.message}",
                )
            ]
        ) from None
    except RENDER_ERRORS as exc:
        raise InvalidInput(
            [Problem(clause.path, _line_of(exc, clause.path), None, "", f"could not render: {exc}")]
        ) from None
    marked: list[tuple[str | None, str]] = []
    for raw in paragraphs(text):
        name, body = take_mark(raw)
        # A paragraph that is only a mark (its text under a condition this deal does not
        # meet) is no paragraph: never an empty bullet or cell; a required part is missing.
        if not body:
            continue
        marked.append((name, body))
        if why := mark_problem(raw):
            where = f"paragraph {len(marked)} ({excerpt(body)})"
            raise InvalidInput([Problem(clause.path, None, None, "parts", f"{where} {why}")])
    return tuple(marked)


def paragraphs(text: str) -> tuple[str, ...]:
    """Blank lines separate paragraphs; single newlines inside one are spaces."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return tuple(
        " ".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()
    )


def _line_of(exc: BaseException, filename: str) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line
