"""Build the Word templates clausesmith renders through: term-sheet.docx and side-letter.docx.

Run from anywhere:  python templates/build_templates.py  [OUTDIR]   (default: beside this file)

The templates are ordinary Word files. A firm may open them in Word and restyle them (the
styles carry all the look: fonts, colours, table borders and shading), or pass its own file
with `--template`. The Jinja tags are docxtpl tags:

- `{{ x }}` prints a value (autoescaped by the renderer, so `&`, `<` and quotes are safe);
- `{%p ... %}`, `{%tr ... %}`, `{%tc ... %}`, `{%r ... %}` are block tags that replace the
  whole paragraph, table row, table cell or run they sit in.

Every tag is written here as one run of its own, so Word's run splitting can never cut one in
two. If you edit a tag in Word, retype it in one go (Word may split a tag it autocorrects).

The output is byte-stable: zip entries in a fixed order with a fixed date, so regenerating
the templates with an unchanged script gives no diff.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent

FONT = "Arial"
BODY_PT = 10.5
TABLE_PT = 10
INK = RGBColor(0x1A, 0x1A, 0x1A)
NAVY = RGBColor(0x1F, 0x38, 0x64)
NAVY_HEX = "1F3864"
PALE_HEX = "E8EDF5"
RULE_HEX = "8C8C8C"

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_LR, MARGIN_TB = Mm(25), Mm(25)
TEXT_W_MM = 160  # 210 - 2 * 25

FIXED_ZIP_DATE = (2026, 1, 1, 0, 0, 0)
SIGNATURE_TAB = Mm(70)  # the end of the lines to sign or fill in on, inside an 80 mm column
# A line to sign or write on: a tab whose leader is a rule. The zero-width space after it
# makes LibreOffice draw the leader of a tab that ends a paragraph inside a table cell (Word
# draws it anyway).
FILL_IN = "\t\u200b"

# Schema order of the children of <w:pPr> (python-docx keeps it private); Word is strict.
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


# --------------------------------------------------------------------------- styles


def _set_fonts(rpr_parent: object, name: str) -> None:
    """Give a style an explicit Latin/complex-script font, dropping theme fonts that win over it.

    python-docx's `font.name` only sets w:ascii/w:hAnsi and leaves w:asciiTheme, which Word
    applies in preference; East Asian text keeps the theme's East Asian font.
    """
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), name)


def _add_to_ppr(ppr: Any, element: Any) -> None:
    """Insert a paragraph property where the schema wants it, replacing any old one."""
    name = element.tag.rsplit("}", 1)[1]
    old = ppr.find(qn(f"w:{name}"))
    if old is not None:
        ppr.remove(old)
    successors = [f"w:{tag}" for tag in PPR_ORDER[PPR_ORDER.index(name) + 1 :]]
    ppr.insert_element_before(element, *successors)


def _drop_theme_colour(style: BaseStyle) -> None:
    rpr = style.element.rPr
    colour = None if rpr is None else rpr.find(qn("w:color"))
    if colour is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour.attrib.pop(qn(attr), None)


def _paragraph_style(
    doc: DocumentObject,
    name: str,
    *,
    base: str = "Normal",
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: RGBColor | None = None,
    before: float | None = None,
    after: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    keep_with_next: bool | None = None,
    next_style: str | None = None,
) -> BaseStyle:
    styles = doc.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
    font = style.font  # type: ignore[attr-defined]
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if colour is not None:
        font.color.rgb = colour
        _drop_theme_colour(style)
    pf = style.paragraph_format  # type: ignore[attr-defined]
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if align is not None:
        pf.alignment = align
    if keep_with_next is not None:
        pf.keep_with_next = keep_with_next
    if next_style is not None:
        style.next_paragraph_style = styles[next_style]  # type: ignore[attr-defined]
    return style


def _set_doc_defaults(doc: DocumentObject) -> None:
    styles_el = doc.styles.element
    rpr = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-GB")
    # Text colour lives here, below the table styles: a colour on Normal would beat the
    # white header-row text of the table styles (paragraph styles outrank table styles).
    rpr.get_or_add_color().set(qn("w:val"), str(INK))


def _drop_run_properties(style: BaseStyle, *names: str) -> None:
    rpr = style.element.rPr
    for name in names:
        element = None if rpr is None else rpr.find(qn(f"w:{name}"))
        if element is not None:
            rpr.remove(element)


def _base_styles(doc: DocumentObject) -> None:
    _set_doc_defaults(doc)
    normal = _paragraph_style(doc, "Normal", size=BODY_PT, before=0, after=6)
    _set_fonts(normal.element, FONT)
    normal.paragraph_format.line_spacing = 1.15  # type: ignore[attr-defined]

    title = _paragraph_style(
        doc, "Title", size=20, bold=True, colour=NAVY, before=0, after=4, next_style="Normal"
    )
    _set_fonts(title.element, FONT)
    _drop_run_properties(title, "spacing", "kern")
    ppr = title.element.pPr
    border = ppr.find(qn("w:pBdr")).find(qn("w:bottom"))
    border.set(qn("w:color"), NAVY_HEX)
    border.attrib.pop(qn("w:themeColor"), None)
    border.set(qn("w:sz"), "12")
    border.set(qn("w:space"), "6")
    ppr.remove(ppr.find(qn("w:contextualSpacing")))

    subtitle = _paragraph_style(doc, "Subtitle", size=BODY_PT, italic=False, before=6, after=18)
    _set_fonts(subtitle.element, FONT)
    _drop_run_properties(subtitle, "spacing", "color")
    numpr = subtitle.element.pPr.find(qn("w:numPr"))
    if numpr is not None:  # the stock Subtitle carries a dangling list level
        subtitle.element.pPr.remove(numpr)

    for name, size, before, after in (
        ("Heading 1", 13, 18, 8),
        ("Heading 2", 11, 12, 6),
    ):
        heading = _paragraph_style(
            doc, name, size=size, bold=True, colour=NAVY, before=before, after=after
        )
        _set_fonts(heading.element, FONT)

    for name in ("Header", "Footer"):
        style = _paragraph_style(doc, name, size=8, colour=RGBColor(0x59, 0x59, 0x59), after=0)
        pf = style.paragraph_format  # type: ignore[attr-defined]
        pf.line_spacing = 1.0
        pf.tab_stops.clear_all()
        pf.tab_stops.add_tab_stop(Mm(TEXT_W_MM), WD_TAB_ALIGNMENT.RIGHT)

    bullet = _paragraph_style(doc, "List Bullet", after=4)
    bullet.paragraph_format.line_spacing = 1.15  # type: ignore[attr-defined]

    cell = _paragraph_style(doc, "Table Text", size=TABLE_PT, before=2, after=4)
    cell.paragraph_format.line_spacing = 1.1  # type: ignore[attr-defined]
    _paragraph_style(doc, "Table Heading", base="Table Text", bold=True, keep_with_next=True)
    _paragraph_style(doc, "Table Figure", base="Table Text", align=WD_ALIGN_PARAGRAPH.RIGHT)

    block = _paragraph_style(
        doc, "Signature Block", after=3, keep_with_next=True, next_style="Signature Block"
    )
    block.paragraph_format.tab_stops.add_tab_stop(  # type: ignore[attr-defined]
        SIGNATURE_TAB, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
    )
    _paragraph_style(doc, "Signature Line", base="Signature Block", before=30)


def _border_xml(tag: str, sides: Iterable[str], size: int, colour: str, space: int = 0) -> str:
    inner = "".join(
        f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{colour}"/>'
        for side in sides
    )
    return f"<w:{tag}>{inner}</w:{tag}>"


def _table_style(doc: DocumentObject, name: str, *, shade_first_column: bool) -> None:
    """A Word table style: thin grey grid, navy header row, optionally a pale first column."""
    style_id = name.replace(" ", "")
    borders = _border_xml(
        "tblBorders", ("top", "left", "bottom", "right", "insideH", "insideV"), 4, RULE_HEX
    )
    first_col = (
        '<w:tblStylePr w:type="firstCol"><w:rPr><w:b/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{PALE_HEX}"/></w:tcPr>'
        "</w:tblStylePr>"
        if shade_first_column
        else ""
    )
    header = (
        "<w:pPr><w:keepNext/></w:pPr>"
        '<w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
        "<w:tblPr/><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY_HEX}"/></w:tcPr>'
    )
    xml = (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:sz w:val="{TABLE_PT * 2}"/><w:szCs w:val="{TABLE_PT * 2}"/></w:rPr>'
        f"<w:tblPr>{borders}"
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        f'<w:tblStylePr w:type="firstRow">{header}</w:tblStylePr>'
        f"{first_col}"
        f'<w:tblStylePr w:type="nwCell">{header}</w:tblStylePr>'
        "</w:style>"
    )
    doc.styles.element.append(parse_xml(xml))


def _plain_table_style(doc: DocumentObject, name: str) -> None:
    style_id = name.replace(" ", "")
    xml = (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/>'
        "<w:tblPr><w:tblCellMar>"
        '<w:left w:w="0" w:type="dxa"/><w:right w:w="284" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        "</w:style>"
    )
    doc.styles.element.append(parse_xml(xml))


def _box_style(doc: DocumentObject) -> None:
    legend = _paragraph_style(doc, "Legend", italic=True, before=6, after=12)
    sides = _border_xml("pBdr", ("top", "left", "bottom", "right"), 4, RULE_HEX, 4)
    ppr = legend.element.get_or_add_pPr()
    _add_to_ppr(ppr, parse_xml(sides.replace("<w:pBdr>", f"<w:pBdr {nsdecls('w')}>")))
    _add_to_ppr(
        ppr, parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="F4F6FA"/>')
    )
    pf = legend.paragraph_format  # type: ignore[attr-defined]
    pf.left_indent = pf.right_indent = Mm(2)


# --------------------------------------------------------------------------- page furniture


def _page_setup(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.left_margin = section.right_margin = MARGIN_LR
    section.top_margin = section.bottom_margin = MARGIN_TB
    section.header_distance = section.footer_distance = Mm(12)
    assert section.start_type == WD_SECTION.NEW_PAGE


def _paper_from_context(doc: DocumentObject) -> None:
    """The paper follows the deal's locale (A4, or US Letter for en-US): the size becomes a
    template value. Done last, as python-docx cannot measure the page once it is Jinja."""
    size = doc.sections[0]._sectPr.find(qn("w:pgSz"))
    size.set(qn("w:w"), "{{ page.width }}")
    size.set(qn("w:h"), "{{ page.height }}")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A real Word field (PAGE, NUMPAGES): begin, instruction, separate, cached result, end."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} \\* MERGEFORMAT "
            run._r.append(instr)
        elif kind == "result":
            run.text = "1"
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)


def _header_footer(doc: DocumentObject, right_text: str) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run("{{ marking }}")  # "Draft: subject to contract"; never the internal deal id
    header.add_run("\t")
    header.add_run(right_text)

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


# --------------------------------------------------------------------------- building blocks


def para(
    doc: DocumentObject | _Cell, *runs: str | tuple[str, str], style: str = "Normal"
) -> Paragraph:
    """A paragraph from runs; a run is text or (text, "b"|"i"|"bi"). Each tag is its own run."""
    paragraph = doc.add_paragraph(style=style)
    for item in runs:
        text, fmt = (item, "") if isinstance(item, str) else item
        run = paragraph.add_run(text)
        if "b" in fmt:
            run.bold = True
        if "i" in fmt:
            run.italic = True
    return paragraph


def tag(doc: DocumentObject | _Cell, text: str) -> Paragraph:
    """A paragraph holding only a {%p %} tag; docxtpl removes the paragraph when rendering."""
    return para(doc, text)


def _first_paragraph(cell: _Cell, *runs: str | tuple[str, str], style: str) -> Paragraph:
    paragraph = cell.paragraphs[0]
    paragraph.style = cell.part.document.styles[style]
    for item in runs:
        text, fmt = (item, "") if isinstance(item, str) else item
        run = paragraph.add_run(text)
        run.bold = True if "b" in fmt else None
        run.italic = True if "i" in fmt else None
    return paragraph


def _table(doc: DocumentObject, widths_mm: list[float], style: str, *, first_column: bool) -> Table:
    table = doc.add_table(rows=0, cols=len(widths_mm))
    table.style = doc.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(round(sum(widths_mm) * 56.6929)))
    look = tblpr.find(qn("w:tblLook"))
    look.set(qn("w:firstColumn"), "1" if first_column else "0")
    look.set(qn("w:val"), "04A0" if first_column else "0420")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        grid_col.w = Mm(width)
    return table


def _row(
    table: Table, widths_mm: list[float], *, header: bool = False, cant_split: bool = False
) -> _Row:
    row = table.add_row()
    for cell, width in zip(row.cells, widths_mm, strict=True):
        cell.width = Mm(width)
    trpr = row._tr.get_or_add_trPr()
    if cant_split or header:
        trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))
    return row


def loop_table(
    doc: DocumentObject,
    *,
    widths_mm: list[float],
    headings: list[str],
    loop: str,
    cells: list[str],
    figures: Iterable[int] = (),
    style: str = "Schedule Table",
    first_column: bool = False,
) -> Table:
    """A table with a repeated header row and one templated row per item of `loop`."""
    table = _table(doc, widths_mm, style, first_column=first_column)
    head = _row(table, widths_mm, header=True)
    figure_columns = set(figures)
    for index, (cell, text) in enumerate(zip(head.cells, headings, strict=True)):
        heading = _first_paragraph(cell, text, style="Table Heading")
        if index in figure_columns:
            heading.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    start = _row(table, widths_mm)
    _first_paragraph(start.cells[0], f"{{%tr for row in {loop} %}}", style="Table Text")
    body = _row(table, widths_mm, cant_split=True)
    for index, (cell, expr) in enumerate(zip(body.cells, cells, strict=True)):
        style = "Table Figure" if index in figure_columns else "Table Text"
        _first_paragraph(cell, f"{{{{ {expr} }}}}", style=style)
    end = _row(table, widths_mm)
    _first_paragraph(end.cells[0], "{%tr endfor %}", style="Table Text")
    return table


def page_break_heading(doc: DocumentObject, text: str) -> Paragraph:
    heading = para(doc, text, style="Heading 1")
    heading.paragraph_format.page_break_before = True
    return heading


def _drop_thumbnail(doc: DocumentObject) -> None:
    """python-docx's stock template ships a thumbnail of some other document."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def _new_document(title: str, right_header: str) -> DocumentObject:
    doc = Document()
    _drop_thumbnail(doc)
    _page_setup(doc)
    _base_styles(doc)
    _box_style(doc)
    _table_style(doc, "Heads of Terms Table", shade_first_column=True)
    _table_style(doc, "Schedule Table", shade_first_column=False)
    _plain_table_style(doc, "Signature Table")
    _header_footer(doc, right_header)
    props = doc.core_properties
    props.title, props.subject, props.author = title, "", "clausesmith"
    props.comments, props.keywords, props.last_modified_by, props.category = "", "", "", ""
    props.created = props.modified = datetime(*FIXED_ZIP_DATE)
    props.revision = 1
    return doc


# --------------------------------------------------------------------------- term sheet


def build_term_sheet() -> DocumentObject:
    doc = _new_document("Term sheet template", "{{ title }}")

    para(doc, "{{ title }}", style="Title")
    para(doc, "Dated ", "{{ date }}", style="Subtitle")

    tag(doc, "{%p if parties %}")
    para(doc, "Parties", style="Heading 1")
    tag(doc, "{%p for party in parties %}")
    party = para(
        doc,
        "({{ loop.index }})\t",
        ("{{ party.name }}", "b"),
        " (“",
        "{{ party.short_name }}",
        # The title block names the parties; head 2 recites them in full, once.
        "”)",
        "{%r if not loop.last %}",
        "; and",
        "{%r else %}",
        ".",
        "{%r endif %}",
    )
    party.paragraph_format.left_indent = Mm(10)
    party.paragraph_format.first_line_indent = Mm(-10)
    party.paragraph_format.tab_stops.add_tab_stop(Mm(10))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if legend %}")
    para(doc, "{{ legend }}", style="Legend")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if heads %}")
    para(doc, "Heads of Terms", style="Heading 1")
    widths = [45.0, 115.0]
    table = _table(doc, widths, "Heads of Terms Table", first_column=True)
    head = _row(table, widths, header=True)
    _first_paragraph(head.cells[0], "Term", style="Table Heading")
    _first_paragraph(head.cells[1], "Provision", style="Table Heading")
    start = _row(table, widths)
    _first_paragraph(start.cells[0], "{%tr for head in heads %}", style="Table Text")
    body = _row(table, widths, cant_split=True)
    # A head that fits on a page never breaks across two (no one-line orphan); a longer one
    # may, rather than leave most of a page blank. The assembler decides which is which.
    body._tr.trPr.find(qn("w:cantSplit")).set(
        qn("w:val"), "{{ 'true' if head.keep_together else 'false' }}"
    )
    _first_paragraph(
        body.cells[0], "{{ head.number }}", ".\t", "{{ head.heading }}", style="Table Heading"
    )
    term = body.cells[0].paragraphs[0].paragraph_format
    term.left_indent, term.first_line_indent = Mm(7), Mm(-7)
    term.tab_stops.add_tab_stop(Mm(7))
    term.keep_with_next = False
    # No "(binding)" mark beside a heading: the legend names the binding heads exactly as
    # they read, and each binding head says so in its own text.
    provision = body.cells[1]
    _first_paragraph(provision, "{%p for text in head.paragraphs %}", style="Table Text")
    # A run-in heading ("Taxes.") in bold, then the rest of the paragraph.
    para(
        provision,
        "{%r set leads = head.run_ins | default([]) %}",
        "{%r set lead = leads[loop.index0] if leads else '' %}",
        "{%r if lead %}",
        ("{{ lead }}", "b"),
        "{%r endif %}",
        "{{ text[lead | length:] }}",
        style="Table Text",
    )
    tag(provision, "{%p else %}")
    para(provision, "", style="Table Text")
    tag(provision, "{%p endfor %}")
    end = _row(table, widths)
    _first_paragraph(end.cells[0], "{%tr endfor %}", style="Table Text")
    tag(doc, "{%p endif %}")

    # Annex A: patent schedule
    tag(doc, "{%p if annexes.patents and annexes.patents.rows %}")
    page_break_heading(doc, "{{ annexes.patents.title }}")
    # With a status or expiry stated, two more columns. The diligence done is never
    # printed: it is counsel's work product (explain and CS-07 report it).
    tag(doc, "{%p if annexes.patents.status_columns %}")
    loop_table(
        doc,
        widths_mm=[16, 40, 48, 20, 36],
        headings=["Owner", "Patent or application", "Title", "Status", "Expiry"],
        loop="annexes.patents.rows",
        cells=["row.owner", "row.ref", "row.title", "row.status", "row.expiry"],
    )
    tag(doc, "{%p else %}")
    loop_table(
        doc,
        widths_mm=[28, 42, 90],
        headings=["Owner", "Patent or application", "Title"],
        loop="annexes.patents.rows",
        cells=["row.owner", "row.ref", "row.title"],
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")

    # Annex B: royalty model
    tag(doc, "{%p if annexes.royalty_model %}")
    page_break_heading(doc, "{{ annexes.royalty_model.title }}")
    tag(doc, "{%p if annexes.royalty_model.intro %}")
    para(doc, "{{ annexes.royalty_model.intro }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if annexes.royalty_model.rows %}")
    loop_table(
        doc,
        widths_mm=[24, 34, 34, 34, 34],
        headings=["Scenario", "Net sales", "Royalty before cap", "Cap", "Royalty payable"],
        loop="annexes.royalty_model.rows",
        cells=["row.scenario", "row.net_sales", "row.royalty_before_cap", "row.cap", "row.payable"],
        figures=(1, 2, 3, 4),
    )
    tag(doc, "{%p endif %}")
    # Where the cap starts to bind, and a review's maximum move.
    tag(doc, "{%p if annexes.royalty_model.sensitivity %}")
    para(doc, "Sensitivity", style="Heading 2")
    loop_table(
        doc,
        widths_mm=[110, 50],
        headings=["What", "Figure"],
        loop="annexes.royalty_model.sensitivity",
        cells=["row.label", "row.value"],
        figures=(1,),
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if annexes.royalty_model.notes %}")
    para(doc, "Notes", style="Heading 2")
    tag(doc, "{%p for note in annexes.royalty_model.notes %}")
    para(doc, "{{ note }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")

    # Annex C: grant-back review scorecard
    tag(doc, "{%p if annexes.scorecard %}")
    page_break_heading(doc, "{{ annexes.scorecard.title }}")
    tag(doc, "{%p if annexes.scorecard.intro %}")
    para(doc, "{{ annexes.scorecard.intro }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if annexes.scorecard.rows %}")
    loop_table(
        doc,
        widths_mm=[38, 22, 100],
        headings=["Criterion", "Weight", "What the Committee assesses"],
        loop="annexes.scorecard.rows",
        cells=["row.criterion", "row.weight", "row.description"],
        figures=(1,),
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if annexes.scorecard.threshold %}")
    threshold = para(doc, ("{{ annexes.scorecard.threshold }}", "b"))
    threshold.paragraph_format.space_before = Pt(10)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if annexes.scorecard.notes %}")
    para(doc, "Notes", style="Heading 2")
    tag(doc, "{%p for note in annexes.scorecard.notes %}")
    para(doc, "{{ note }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")

    # Signatures: one block per party, side by side (a {%tc %} loop over the columns).
    tag(doc, "{%p if signatures %}")
    page_break_heading(doc, "Signatures")
    # The two tag columns are dropped by docxtpl and their width shared out, so three equal
    # columns become two of 80 mm each for the two parties of a cross-licence.
    sig_widths = [TEXT_W_MM / 3] * 3
    table = _table(doc, sig_widths, "Signature Table", first_column=False)
    row = _row(table, sig_widths, cant_split=True)
    _first_paragraph(row.cells[0], "{%tc for sig in signatures %}", style="Signature Block")
    row.cells[1].width = Mm(TEXT_W_MM / 2)
    _signature_block(row.cells[1])
    _first_paragraph(row.cells[2], "{%tc endfor %}", style="Signature Block")
    tag(doc, "{%p endif %}")
    para(doc, "")  # Word wants the body to end with a paragraph, not a table
    return doc


def _signature_block(cell: _Cell) -> None:
    _first_paragraph(cell, "For and on behalf of", style="Signature Block")
    para(cell, ("{{ sig.party_name }}", "b"), style="Signature Block")
    para(cell, f"Signature: {FILL_IN}", style="Signature Line")
    _filled(cell, "Name", "sig.signatory_name")
    _filled(cell, "Title", "sig.signatory_title")
    last = para(cell, f"Date: {FILL_IN}", style="Signature Block")
    last.paragraph_format.keep_with_next = False


def _filled(container: _Cell | DocumentObject, label: str, expr: str) -> Paragraph:
    """`Name: Dana Whitfield`, or a line to fill in by hand (a tab with a line leader)."""
    return para(
        container,
        f"{label}: ",
        f"{{% if {expr} %}}{{{{ {expr} }}}}{{% else %}}{FILL_IN}{{% endif %}}",
        style="Signature Block",
    )


# --------------------------------------------------------------------------- side letter


def build_side_letter() -> DocumentObject:
    doc = _new_document("Side letter template", "Side letter: {{ title }}")
    _paragraph_style(doc, "Letterhead", size=BODY_PT, after=0, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(doc, "Address", after=0)
    _paragraph_style(doc, "Re Line", bold=True, before=12, after=12, keep_with_next=True)
    numbered = _paragraph_style(doc, "Numbered Paragraph", after=8)
    numbered.paragraph_format.left_indent = Mm(10)  # type: ignore[attr-defined]
    numbered.paragraph_format.first_line_indent = Mm(-10)  # type: ignore[attr-defined]
    numbered.paragraph_format.tab_stops.add_tab_stop(Mm(10))  # type: ignore[attr-defined]
    numbered.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # type: ignore[attr-defined]

    name = para(doc, ("{{ sender.name }}", "b"), style="Letterhead")
    name.runs[0].font.size = Pt(13)
    tag(doc, "{%p if sender.address %}")
    para(doc, "{{ sender.address }}", style="Letterhead")
    tag(doc, "{%p endif %}")

    date = para(doc, "{{ date }}")
    date.paragraph_format.space_before = Pt(30)
    date.paragraph_format.space_after = Pt(18)

    para(doc, ("{{ addressee.name }}", "b"), style="Address")
    tag(doc, "{%p if addressee.address %}")
    para(doc, "{{ addressee.address }}", style="Address")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if addressee.attention %}")
    para(doc, "{{ addressee.attention }}", style="Address")
    tag(doc, "{%p endif %}")

    re_line = para(doc, "{{ re }}", style="Re Line")
    re_line.paragraph_format.space_before = Pt(24)
    re_line.paragraph_format.space_after = Pt(0)
    subject = para(doc, "Side letter: ", "{{ title }}", style="Re Line")
    subject.paragraph_format.space_before = Pt(0)

    para(doc, "{{ salutation }}")

    tag(doc, "{%p for item in paragraphs %}")
    para(
        doc,
        "{{ item.number }}",
        ".\t",
        "{%r if item.heading %}",
        ("{{ item.heading }}", "b"),
        (". ", "b"),
        "{%r endif %}",
        "{{ item.text }}",
        style="Numbered Paragraph",
    )
    tag(doc, "{%p endfor %}")

    closing = para(doc, "{{ closing }}", style="Signature Block")
    closing.paragraph_format.space_before = Pt(12)
    closing.paragraph_format.space_after = Pt(12)
    para(
        doc,
        "For and on behalf of ",
        ("{{ sender_signature.party_name }}", "b"),
        style="Signature Block",
    )
    para(doc, f"Signature: {FILL_IN}", style="Signature Line")
    _filled(doc, "Name", "sender_signature.signatory_name")
    last = _filled(doc, "Title", "sender_signature.signatory_title")
    last.paragraph_format.keep_with_next = False

    tag(doc, "{%p if countersignature %}")
    intro = para(doc, "{{ countersignature.intro }}", style="Signature Block")
    intro.paragraph_format.space_before = Pt(36)
    border = parse_xml(
        f"<w:pBdr {nsdecls('w')}>"
        f'<w:top w:val="single" w:sz="4" w:space="12" w:color="{RULE_HEX}"/></w:pBdr>'
    )
    _add_to_ppr(intro._p.get_or_add_pPr(), border)
    intro.paragraph_format.space_after = Pt(12)
    para(
        doc,
        "For and on behalf of ",
        ("{{ countersignature.party_name }}", "b"),
        style="Signature Block",
    )
    para(doc, f"Signature: {FILL_IN}", style="Signature Line")
    _filled(doc, "Name", "countersignature.signatory_name")
    _filled(doc, "Title", "countersignature.signatory_title")
    last = para(doc, f"Date: {FILL_IN}", style="Signature Block")
    last.paragraph_format.keep_with_next = False
    tag(doc, "{%p endif %}")
    return doc


# --------------------------------------------------------------------------- output


def stable_bytes(doc: DocumentObject) -> bytes:
    """Save, then rewrite the zip in a fixed order with fixed dates: same script, same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = sorted(zin.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, zin.read(name))
    return out.getvalue()


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else HERE
    outdir.mkdir(parents=True, exist_ok=True)
    for filename, builder in (
        ("term-sheet.docx", build_term_sheet),
        ("side-letter.docx", build_side_letter),
    ):
        doc = builder()
        _paper_from_context(doc)
        path = outdir / filename
        path.write_bytes(stable_bytes(doc))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
