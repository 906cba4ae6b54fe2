"""Turn a ready-made context into the bytes of a Word document, through a docxtpl template.

Two steps, kept apart so the first is done once per process: `prepare_template` reads a
template file and compiles it (`docx_compiled`): the cleaned XML of each part as Jinja, and
the unchanging parts already deflated. `render_prepared` renders a context through it;
`render_docx` does both, reusing the prepared template while the file is unchanged.
`render_with_docxtpl` is the plain docxtpl road: the fallback for templates the compiled
road does not cover, and the reference the tests hold its bytes against.

The bytes are reproducible: core properties come from `CoreProperties`, not the clock, and
the zip is rewritten with its entries in a fixed order, with one fixed date and fixed
attributes. The same template and context give the same bytes in any folder at any time.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from clausesmith.assemble.document_model import Content, named_fields, template_context
from clausesmith.docx.compiled import Compiled, compile_template
from clausesmith.docx.external import refuse_external
from clausesmith.docx.wordxml import MAX_DOCX_BYTES, read_parts
from clausesmith.docx.zipwrite import (
    CONTENT_TYPES,
    ZIP_MAX,
    ZIP_MIN,
    normalise_zip,
    utc_naive,
)
from clausesmith.errors import invalid
from clausesmith.files import read_bounded
from clausesmith.templating.limits import RENDER_ERRORS, LimitedSandbox, budget

AUTHOR = "clausesmith"
__all__ = ["CONTENT_TYPES", "ZIP_MAX", "ZIP_MIN"]


@dataclass(frozen=True)
class CoreProperties:
    """What Word shows under File > Info; `created` (UTC) also serves as modified and printed."""

    title: str
    subject: str
    keywords: str
    created: dt.datetime
    # The language Word spell-checks in ("en-US"); None keeps the template's (en-GB).
    proofing_language: str | None = None


def _environment() -> jinja2.Environment:
    """What each render passes to docxtpl: autoescape (values become XML text), strict, and
    sandboxed, so a firm's own template (--template) gets no more power than a clause."""
    return LimitedSandbox(autoescape=True, undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class WordTemplate:
    """A template read once, and compiled on first use; renders never change it."""

    path: Path
    data: bytes
    _compiled: list[Compiled | None] = field(default_factory=list, compare=False, repr=False)

    def new(self) -> DocxTemplate:
        return _StrictDocxTemplate(io.BytesIO(self.data))

    @property
    def compiled(self) -> Compiled | None:
        """None when docxtpl must render it each time: a feature the compiled road lacks, or
        Jinja that does not compile (docxtpl then reports it exactly as it always has)."""
        if not self._compiled:
            tool = _StrictDocxTemplate(io.BytesIO(b""))
            try:
                self._compiled.append(compile_template(self.data, _environment(), tool))
            except jinja2.TemplateError:
                self._compiled.append(None)
        return self._compiled[0]


class MalformedDocument(ValueError):
    """The rendered XML of a document is not well-formed."""


class _StrictDocxTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl parses the rendered body with `recover=True`, which silently drops whatever
    follows malformed XML (an unescaped `&`, a control character). Check it strictly first so
    a bad value fails loudly instead of truncating the document. expat, not lxml: it only
    checks, builds no tree, and takes half the time."""

    def fix_tables(self, xml: str) -> Any:
        try:
            expat.ParserCreate().Parse(xml.encode("utf-8"), True)
        except expat.ExpatError as exc:
            raise MalformedDocument(
                f"line {exc.lineno}, column {exc.offset + 1}: {expat.ErrorString(exc.code)}"
            ) from None
        return super().fix_tables(xml)


def prepare_template(template: Path) -> WordTemplate:
    """The template at `template`, prepared once per process while the file is unchanged."""
    try:
        stat = template.stat()
    except OSError as exc:
        raise invalid(str(template), "", f"cannot read the Word template: {exc.strerror}") from exc
    return _prepared(template, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _prepared(template: Path, mtime_ns: int, size: int) -> WordTemplate:
    try:  # confined to its folder: a --template folder's symlink may not lead elsewhere
        data = read_bounded(template, MAX_DOCX_BYTES, within=template.parent)
    except OSError as exc:
        raise invalid(str(template), "", f"cannot read the Word template: {exc.strerror}") from exc
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise invalid(str(template), "", "is not a Word (.docx) file")
    refuse_external(read_parts(data, str(template)), str(template), "a Word template")
    return WordTemplate(template, data)


def render_docx(template: Path, content: Content, core: CoreProperties) -> bytes:
    """Render a document's content through the Word template at `template`; reproducible
    bytes."""
    return render_prepared(prepare_template(template), template_context(content), core)


def render_prepared(prepared: WordTemplate, context: dict[str, Any], core: CoreProperties) -> bytes:
    compiled = prepared.compiled
    if compiled is None:
        return render_with_docxtpl(prepared, context, core)
    try:
        with budget():
            return compiled.render(
                context,
                lambda props: _set_core_properties(props, core),
                utc_naive(core.created),
                core.proofing_language,
            )
    except MalformedDocument as exc:  # a ValueError: before the template's own errors
        raise _malformed(prepared.path, exc) from None
    except RENDER_ERRORS as exc:
        raise _template_error(prepared.path, exc) from exc


def render_with_docxtpl(
    prepared: WordTemplate, context: dict[str, Any], core: CoreProperties
) -> bytes:
    """The plain road: a new DocxTemplate, render, save, then `normalise_zip`."""
    doc = prepared.new()
    try:
        with budget():
            doc.render(context, jinja_env=_environment(), autoescape=True)
    except MalformedDocument as exc:  # a ValueError: before the template's own errors
        raise _malformed(prepared.path, exc) from None
    except RENDER_ERRORS as exc:
        raise _template_error(prepared.path, exc) from exc
    _set_core_properties(doc.docx.core_properties, core)
    if core.proofing_language is not None:
        for lang in doc.docx.styles.element.iter(qn("w:lang")):
            lang.set(qn("w:val"), core.proofing_language)
    raw = io.BytesIO()
    doc.save(raw)
    return normalise_zip(raw.getvalue(), utc_naive(core.created))


def _template_error(path: Path, exc: Exception) -> Exception:
    line = getattr(exc, "lineno", None)
    where = f" near {' '.join(getattr(exc, 'docx_context', []))!r}" if line else ""
    return invalid(str(path), "", f"template error: {named_fields(str(exc))}{where}")


def _malformed(path: Path, exc: MalformedDocument) -> Exception:
    return invalid(
        str(path),
        "",
        f"renders a document that is not well-formed XML ({exc}); a value or the template "
        "put raw markup or a control character into it. Nothing was written.",
    )


def _set_core_properties(props: Any, core: CoreProperties) -> None:
    when = utc_naive(core.created)
    props.title = core.title
    props.subject = core.subject
    props.keywords = core.keywords
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    for blank in ("comments", "category", "content_status", "identifier", "version"):
        setattr(props, blank, "")
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
