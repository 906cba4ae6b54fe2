"""A Word template compiled once per process and rendered many times, byte for byte as docxtpl.

For every render, docxtpl re-opens the .docx with python-docx (parsing 800 kB of styles),
cleans the XML of each part with some twenty regular expressions, compiles the result as
Jinja, and python-docx serialises and re-zips every part on save. Only the body, the
headers and footers, and the core properties change from one render to the next.

`compile_template` does the once-only work with docxtpl's own functions: the cleaned XML of
each part compiled to a Jinja template, the document element to graft each rendered body
into, and every other part as python-docx would save it, already deflated. That work is kept
in the compile cache as a `TemplateParts` (code and bytes, no live objects), so an unchanged
template is not even opened again in the next run. `Compiled.render`
then does what `DocxTemplate.render` and `save` do for those parts (the same Jinja output,
the same post-processing, the same table fix-up, the same lxml serialisation) and lays out
the zip through `zipwrite`. tests/test_docx_compiled.py checks the bytes against a plain
docxtpl render of the same template and context.

Templates using a feature this path does not reproduce (footnotes; a package without core
properties) compile to None and are rendered through docxtpl every time.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import marshal
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

from clausesmith import compile_cache
from clausesmith.docx.zipwrite import ZipEntry, write_zip
from clausesmith.templating.limits import load_template

# The core properties docxtpl renders as Jinja, in its order (DocxTemplate.render_properties).
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

SetCore = Callable[[Any], None]

# A tab, bell, newline or form feed inside a text run: what DocxTemplate.resolve_listing turns
# into Word tabs, paragraphs, line and page breaks. Run text holds no "<" (it is escaped).
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


@dataclass(frozen=True)
class _PartSource:
    """One XML part docxtpl renders: its zip name, cleaned source and compiled code."""

    name: str
    source: str  # as docxtpl compiles it: cleaned, a newline before each <w:p
    code: bytes  # marshalled
    encoding: str


@dataclass(frozen=True)
class TemplateParts:
    """The once-only work for one template, as plain data that can be kept on disk."""

    body: _PartSource
    headers_footers: tuple[_PartSource, ...]
    document: bytes  # word/document.xml as python-docx serialises it, the body emptied
    core_name: str
    core_type: str
    core_blob: bytes
    properties: tuple[tuple[str, bytes], ...]  # core property name, marshalled code
    fixed: tuple[ZipEntry, ...]  # every other part, as python-docx saves it, deflated


@dataclass(frozen=True)
class _Part:
    """A `_PartSource` with its template loaded, ready to render."""

    name: str
    source: str
    template: jinja2.Template
    encoding: str


@dataclass(frozen=True)
class Compiled:
    tool: DocxTemplate  # no document loaded: only its stateless XML helpers are used
    body: _Part
    headers_footers: tuple[_Part, ...]
    document: etree._Element  # word/document.xml, body emptied; each render grafts onto a copy
    core_name: PackURI
    core_type: str
    core_blob: bytes
    properties: tuple[tuple[str, jinja2.Template], ...]
    fixed: tuple[ZipEntry, ...]  # every other part, as python-docx saves it, deflated

    def render(
        self,
        context: dict[str, Any],
        set_core: SetCore,
        when: dt.datetime,
        proofing_language: str | None = None,
    ) -> bytes:
        """The .docx docxtpl would save for `context`, then `set_core`, zipped as of `when`,
        spell-checked in `proofing_language` (None: the template's own language).

        A Jinja error is raised as docxtpl raises it, with `docx_context` set.
        """
        body = self._render(self.body, context)
        tree = self.tool.fix_tables(body)
        self.tool.docx_ids_index = 1000
        self.tool.fix_docpr_ids(tree)
        document = copy.deepcopy(self.document)
        document.replace(document.find(qn("w:body")), tree)  # type: ignore[arg-type]
        fixed = self.fixed if proofing_language is None else _in(self.fixed, proofing_language)
        entries = [*fixed, ZipEntry.of("word/document.xml", serialize_part_xml(document))]
        for part in self.headers_footers:
            xml = self._render(part, context).encode(part.encoding)
            entries.append(ZipEntry.of(part.name, serialize_part_xml(parse_xml(xml))))
        entries.append(ZipEntry.of(self.core_name.lstrip("/"), self._core(context, set_core)))
        return write_zip(entries, when)

    def _render(self, part: _Part, context: dict[str, Any]) -> str:
        """DocxTemplate.render_xml_part with the template already compiled."""
        try:
            xml = part.template.render(context)
        except jinja2.TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:
                first = max(exc.lineno - 4, 0)  # type: ignore[attr-defined]
                lines = part.source.splitlines()[first : first + 7]
                exc.docx_context = [re.sub(r"<[^>]+>", "", x) for x in lines]  # type: ignore[attr-defined]
            raise
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
        xml = xml.replace("%_}", "%}")
        # resolve_listing only rewrites these; skip its regexes. Most bodies have none of the
        # four characters at all, which four plain scans tell faster than the pattern.
        if not any(c in xml for c in "\t\a\n\f") or not _LISTING.search(xml):
            return xml
        return str(self.tool.resolve_listing(xml))

    def _core(self, context: dict[str, Any], set_core: SetCore) -> bytes:
        part = CorePropertiesPart.load(self.core_name, self.core_type, self.core_blob, None)  # type: ignore[arg-type]
        props = part.core_properties
        for name, template in self.properties:
            setattr(props, name, template.render(context))
        set_core(props)
        return bytes(part.blob)


_LANG = re.compile(rb"<w:lang\b[^>]*?(/?>)")
_VAL = re.compile(rb'(\bw:val=")[^"]*(")')


@functools.lru_cache(maxsize=8)
def _in(fixed: tuple[ZipEntry, ...], language: str) -> tuple[ZipEntry, ...]:
    """The fixed parts with every `<w:lang>` of the styles given `w:val` = `language`, as
    python-docx would save them after the same change; made once per template and language."""
    value = language.encode("ascii")

    def set_value(lang: re.Match[bytes]) -> bytes:
        element = lang.group()
        if _VAL.search(element):
            return _VAL.sub(lambda m: m.group(1) + value + m.group(2), element)
        # lxml puts an attribute the element lacked (`w:eastAsia` only) last
        end = lang.group(1)
        return element[: -len(end)] + b' w:val="' + value + b'"' + end

    return tuple(
        ZipEntry.of(e.name, _LANG.sub(set_value, _inflate(e))) if e.name == "word/styles.xml" else e
        for e in fixed
    )


def _inflate(entry: ZipEntry) -> bytes:
    return zlib.decompress(entry.deflated, -15)


def compile_template(data: bytes, env: jinja2.Environment, tool: DocxTemplate) -> Compiled | None:
    """The once-only work for the .docx bytes `data`; None if it needs docxtpl each time.

    `env` must be the environment every render would pass to docxtpl (the same one every
    time: the cache is keyed by the template's bytes); `tool` is the DocxTemplate subclass
    whose fix_tables and resolve_listing to use.
    """
    prepared = compile_cache.remember("docx", (data,), lambda: prepare(data, env))
    if prepared is None:
        return None

    def part(source: _PartSource) -> _Part:
        return _Part(source.name, source.source, load_template(env, source.code), source.encoding)

    return Compiled(
        tool=tool,
        body=part(prepared.body),
        headers_footers=tuple(part(p) for p in prepared.headers_footers),
        document=parse_xml(prepared.document),
        core_name=PackURI(prepared.core_name),
        core_type=prepared.core_type,
        core_blob=prepared.core_blob,
        properties=tuple((name, load_template(env, code)) for name, code in prepared.properties),
        fixed=prepared.fixed,
    )


def _skeleton(element: etree._Element) -> etree._Element:
    """The document element with an empty body: every render replaces the body whole, so
    copying the template's own body for each render would be wasted work."""
    skeleton = copy.deepcopy(element)
    body = skeleton.find(qn("w:body"))
    assert body is not None
    for child in list(body):
        body.remove(child)
    return skeleton


def prepare(data: bytes, env: jinja2.Environment) -> TemplateParts | None:
    """Open the template with docxtpl, clean and compile its parts; None if it has a part
    the compiled road does not reproduce."""
    template = DocxTemplate(io.BytesIO(data))
    template.init_docx()
    document = template.docx
    package = document.part.package
    parts = list(package.iter_parts())
    core = [p for p in parts if p.content_type == CT.OPC_CORE_PROPERTIES]
    if len(core) != 1 or any(p.content_type == FOOTNOTES for p in parts):
        return None

    def compiled(source: str) -> bytes:
        return marshal.dumps(env.compile(source))

    def clean(xml: str, name: str, encoding: str = "utf-8") -> _PartSource:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))
        return _PartSource(name, source, compiled(source), encoding)

    body = clean(template.get_xml(), "word/document.xml")
    rendered = [body.name, core[0].partname.lstrip("/")]
    headers_footers = []
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for _key, part in template.get_headers_footers(uri):
            xml = template.get_part_xml(part)
            name = part.partname.lstrip("/")
            headers_footers.append(clean(xml, name, template.get_headers_footers_encoding(xml)))
            rendered.append(name)
    properties = tuple(
        (name, compiled(getattr(document.core_properties, name))) for name in RENDERED_PROPERTIES
    )
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as zin:
        fixed = tuple(ZipEntry.of(n, zin.read(n)) for n in zin.namelist() if n not in rendered)
    return TemplateParts(
        body=body,
        headers_footers=tuple(headers_footers),
        document=serialize_part_xml(_skeleton(document.element)),
        core_name=str(core[0].partname),
        core_type=core[0].content_type,
        core_blob=core[0].blob,
        properties=properties,
        fixed=fixed,
    )
