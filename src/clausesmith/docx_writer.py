"""Turn a ready-made context into the bytes of a Word document, through a docxtpl template.

Two steps, kept apart so the first can be cached: `prepare_template` reads a template file
once; `render_prepared` renders a context through it. `render_docx` does both.

The bytes are reproducible: core properties come from `CoreProperties`, not the clock, and
the zip is rewritten with its entries in a fixed order, with one fixed date and fixed
attributes. The same template and context give the same bytes in any folder at any time.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from clausesmith.errors import invalid
from clausesmith.limits import LimitedSandbox, budget

AUTHOR = "clausesmith"
CONTENT_TYPES = "[Content_Types].xml"
ZIP_MIN = dt.datetime(1980, 1, 1)
ZIP_MAX = dt.datetime(2107, 12, 31, 23, 59, 58)


@dataclass(frozen=True)
class CoreProperties:
    """What Word shows under File > Info; `created` (UTC) also serves as modified and printed."""

    title: str
    subject: str
    keywords: str
    created: dt.datetime


@dataclass(frozen=True)
class PreparedTemplate:
    """A template read once; each render starts from a fresh copy of its bytes."""

    path: Path
    data: bytes

    def new(self) -> DocxTemplate:
        return _StrictDocxTemplate(io.BytesIO(self.data))


class _StrictDocxTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl parses the rendered body with `recover=True`, which silently drops whatever
    follows malformed XML (an unescaped `&`, a control character). Parse strictly first so a
    bad value fails loudly instead of truncating the document."""

    def fix_tables(self, xml: str) -> Any:
        etree.fromstring(xml.encode("utf-8"))
        return super().fix_tables(xml)


def prepare_template(template: Path) -> PreparedTemplate:
    """Read a .docx template; the step a later cache keys on the path."""
    try:
        data = template.read_bytes()
    except OSError as exc:
        raise invalid(str(template), "", f"cannot read the Word template: {exc.strerror}") from exc
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise invalid(str(template), "", "is not a Word (.docx) file")
    return PreparedTemplate(template, data)


def render_docx(template: Path, context: dict[str, Any], core: CoreProperties) -> bytes:
    """Render `context` through the Word template at `template`; reproducible bytes."""
    return render_prepared(prepare_template(template), context, core)


def render_prepared(
    prepared: PreparedTemplate, context: dict[str, Any], core: CoreProperties
) -> bytes:
    doc = prepared.new()
    # Sandboxed: a firm's own template (--template) gets no more power than a clause.
    env = LimitedSandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        with budget():
            doc.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" near {' '.join(getattr(exc, 'docx_context', []))!r}" if line else ""
        raise invalid(str(prepared.path), "", f"template error: {exc}{where}") from exc
    _set_core_properties(doc, core)
    raw = io.BytesIO()
    doc.save(raw)
    return normalise_zip(raw.getvalue(), _utc_naive(core.created))


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    """UTC without tzinfo (python-docx writes `...Z` from the wall time); naive means UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _set_core_properties(doc: DocxTemplate, core: CoreProperties) -> None:
    props = doc.docx.core_properties
    when = _utc_naive(core.created)
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


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip: [Content_Types].xml first then sorted names, one date, fixed attributes."""
    stamp = min(max(when.replace(tzinfo=None), ZIP_MIN), ZIP_MAX)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for name in sorted(zin.namelist(), key=lambda n: (n != CONTENT_TYPES, n)):
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, zin.read(name), compresslevel=6)
    return out.getvalue()
