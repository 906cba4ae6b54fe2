"""Word files an attacker controls, built from the shipped templates or from scratch."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"


def edit_parts(data: bytes, edit: Callable[[dict[str, bytes]], None]) -> bytes:
    """The Word file `data` with its parts changed by `edit` (a dict of name -> bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def add_relationship(part: str, rel_id: str, kind: str, target: str) -> Callable[..., None]:
    """An edit adding an external relationship to `part`'s .rels."""

    def edit(parts: dict[str, bytes]) -> None:
        folder, _, name = part.rpartition("/")
        rels = f"{folder}/_rels/{name}.rels"
        text = parts[rels].decode("utf-8")
        rel = f'<Relationship Id="{rel_id}" Type="{kind}" Target="{target}" TargetMode="External"/>'
        parts[rels] = text.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")

    return edit


def add_body_xml(xml: str) -> Callable[..., None]:
    """An edit putting `xml` (w: and r: prefixes bound) at the start of the body."""

    def edit(parts: dict[str, bytes]) -> None:
        text = parts["word/document.xml"].decode("utf-8")
        at = text.index("<w:body>") + len("<w:body>")
        parts["word/document.xml"] = (text[:at] + xml + text[at:]).encode("utf-8")

    return edit


def linked_image_template(target: str = "file:///etc/hostname") -> bytes:
    """The term-sheet template with a picture linked, not embedded (r:link to a file)."""
    data = (TEMPLATES / "term-sheet.docx").read_bytes()
    return edit_parts(data, add_relationship("word/document.xml", "rIdEvil", IMAGE, target))


def linked_object_template() -> bytes:
    data = (TEMPLATES / "term-sheet.docx").read_bytes()
    return edit_parts(
        data, add_relationship("word/document.xml", "rIdObj", OLE, "file:///home/u/.netrc")
    )


def field_template(instruction: str, split: bool = False) -> bytes:
    """The template with a field whose instruction is `instruction`; `split` writes it as a
    complex field whose code is cut across two runs (as Word often saves it)."""
    if split:
        half = len(instruction) // 2
        runs = "".join(
            f'<w:r><w:instrText xml:space="preserve">{escape(piece)}</w:instrText></w:r>'
            for piece in (instruction[:half], instruction[half:])
        )
        xml = (
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>' + runs
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        )  # fmt: skip
    else:
        instr = escape(instruction, quote=True)
        xml = f'<w:p><w:fldSimple w:instr="{instr}"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'
    data = (TEMPLATES / "term-sheet.docx").read_bytes()
    return edit_parts(data, add_body_xml(xml))


def template_folder(tmp_path: Path, term_sheet: bytes) -> Path:
    """A --template folder: the shipped side letter and the given term sheet."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "term-sheet.docx").write_bytes(term_sheet)
    (folder / "side-letter.docx").write_bytes((TEMPLATES / "side-letter.docx").read_bytes())
    for extra in ("term-sheet.md.j2", "side-letter.md.j2"):
        (folder / extra).write_bytes((TEMPLATES / extra).read_bytes())
    return folder


# --------------------------------------------------------------------------- their markup

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = f'xmlns:w="{W}" xmlns:r="{R}" xmlns:mc="{MC}" xmlns:w14="{W14}"'
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _replace_in_document(old: str, new: str) -> Callable[..., None]:
    def edit(parts: dict[str, bytes]) -> None:
        text = parts["word/document.xml"].decode("utf-8")
        assert text.count(old) == 1, old
        parts["word/document.xml"] = text.replace(old, new).encode("utf-8")

    return edit


def _add_part(name: str, xml: str, rel_type: str, rel_id: str, content_type: str) -> Callable:
    def edit(parts: dict[str, bytes]) -> None:
        parts[name] = xml.encode("utf-8")
        rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
        rel = (
            f'<Relationship Id="{rel_id}" Type="{R}/{rel_type}" '
            f'Target="{name.removeprefix("word/")}"/>'
        )
        parts["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>", rel + "</Relationships>"
        ).encode("utf-8")
        types = parts["[Content_Types].xml"].decode("utf-8")
        override = f'<Override PartName="/{name}" ContentType="{content_type}"/>'
        parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()

    return edit


def _chain(*edits: Callable[..., None]) -> Callable[..., None]:
    def edit(parts: dict[str, bytes]) -> None:
        for one in edits:
            one(parts)

    return edit


def rate_paragraph_runs(data: bytes) -> str:
    """The XML of the runs of the paragraph that states the rate (for the edits below)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        text = z.read("word/document.xml").decode("utf-8")
    at = text.index("a balancing royalty of 2%")
    start = text.rindex("<w:r>", 0, at)
    return text[start : text.index("</w:r>", at) + len("</w:r>")]


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def symbol_edit(data: bytes) -> bytes:
    """'2%' becomes '20%', the 0 a w:sym: Word shows 20%."""
    run = rate_paragraph_runs(data)
    whole = run[run.index("<w:t") :]
    text = whole[whole.index(">") + 1 : whole.index("</w:t>")]
    before, after = text.split("a balancing royalty of 2", 1)
    new = (
        _run(before + "a balancing royalty of 2")
        + '<w:r><w:sym w:font="Arial" w:char="0030"/></w:r>'
        + _run(after)
    )
    return edit_parts(data, _replace_in_document(run, new))


def header_edit(data: bytes, text: str = "The royalty is 20%.") -> bytes:
    def edit(parts: dict[str, bytes]) -> None:
        header = parts["word/header1.xml"].decode("utf-8")
        parts["word/header1.xml"] = header.replace(
            "</w:hdr>", f"<w:p>{_run(text)}</w:p></w:hdr>"
        ).encode("utf-8")

    return edit_parts(data, edit)


def _notes(kind: str, text: str) -> str:
    tag = kind.removesuffix("s")
    return (
        f'<w:{kind} {NS}><w:{tag} w:id="-1" w:type="separator"><w:p><w:r><w:separator/></w:r>'
        f'</w:p></w:{tag}><w:{tag} w:id="1"><w:p>{_run(text)}</w:p></w:{tag}></w:{kind}>'
    )


def note_edit(data: bytes, kind: str = "footnotes", text: str = "The royalty is 20%.") -> bytes:
    tag = kind.removesuffix("s")
    reference = (
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{tag}Reference w:id="1"/></w:r>'
    )
    run = rate_paragraph_runs(data)
    return edit_parts(
        data,
        _chain(
            _add_part(f"word/{kind}.xml", _notes(kind, text), kind, "rIdNote", f"{CT}.{kind}+xml"),
            _replace_in_document(run, run + reference),
        ),
    )


def comment_edit(data: bytes, text: str = "The royalty is 20%.") -> bytes:
    xml = (
        f'<w:comments {NS}><w:comment w:id="0" w:author="Beta" w:date="2026-03-09T10:00:00Z">'
        f"<w:p>{_run(text)}</w:p></w:comment></w:comments>"
    )
    run = rate_paragraph_runs(data)
    return edit_parts(
        data,
        _chain(
            _add_part("word/comments.xml", xml, "comments", "rIdComments", f"{CT}.comments+xml"),
            _replace_in_document(run, run + '<w:r><w:commentReference w:id="0"/></w:r>'),
        ),
    )


def alternate_edit(data: bytes, choice: str = "20%", fallback: str = "2%") -> bytes:
    """The rate as mc:AlternateContent: Word (which understands w14) shows the choice."""
    run = rate_paragraph_runs(data)
    whole = run[run.index("<w:t") :]
    text = whole[whole.index(">") + 1 : whole.index("</w:t>")]
    before, after = text.split("a balancing royalty of 2%", 1)
    new = (
        _run(before + "a balancing royalty of ")
        + f'<mc:AlternateContent xmlns:mc="{MC}" xmlns:w14="{W14}">'
        + f'<mc:Choice Requires="w14">{_run(choice)}</mc:Choice>'
        + f"<mc:Fallback>{_run(fallback)}</mc:Fallback></mc:AlternateContent>"
        + _run(after)
    )
    return edit_parts(data, _replace_in_document(run, new))


def textbox_edit(data: bytes, text: str = "The royalty is 20%.") -> bytes:
    """A text box (a drawing shape, with its VML fallback) after the rate's paragraph."""
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    box = (
        f'<w:p><w:r><mc:AlternateContent xmlns:mc="{MC}" xmlns:wps="{wps}">'
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p>{_run(text)}'
        "</w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent><w:p>{_run(text)}</w:p></w:txbxContent>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    return edit_parts(data, add_body_xml(box))


def altchunk_edit(data: bytes) -> bytes:
    html = "<html><body><p>The royalty is 20%.</p></body></html>"
    return edit_parts(
        data,
        _chain(
            _add_part("word/afchunk.mht", html, "aFChunk", "rIdChunk", "message/rfc822"),
            add_body_xml('<w:altChunk r:id="rIdChunk"/>'),
        ),
    )


def embedded_object_edit(data: bytes) -> bytes:
    return edit_parts(
        data,
        _chain(
            _add_part(
                "word/embeddings/oleObject1.bin", "not really OLE", "oleObject", "rIdOle",
                "application/vnd.openxmlformats-officedocument.oleObject",
            ),
            add_body_xml('<w:p><w:r><w:object><w:control r:id="rIdOle"/></w:object></w:r></w:p>'),
        ),
    )  # fmt: skip


def duplicate_first_paragraph(data: bytes, text: str = "The royalty is 20%.") -> bytes:
    """A copy of the body's first paragraph before it, its text changed."""

    def edit(parts: dict[str, bytes]) -> None:
        doc = parts["word/document.xml"].decode("utf-8")
        start = doc.index("<w:p>", doc.index("<w:body>"))
        first = doc[start : doc.index("</w:p>", start) + len("</w:p>")]
        props = first[: first.index("<w:r>")] if "<w:r>" in first else "<w:p>"
        copy = props + _run(text) + "</w:p>"
        parts["word/document.xml"] = (doc[:start] + copy + doc[start:]).encode("utf-8")

    return edit_parts(data, edit)


def sibling_insertions(data: bytes, count: int = 150_000) -> bytes:
    """`count` tracked insertions side by side in one paragraph (a small zip: they repeat)."""
    one = (
        '<w:ins w:id="1" w:author="B" w:date="2026-01-01T00:00:00Z"><w:r><w:t>x</w:t></w:r></w:ins>'
    )
    return edit_parts(data, add_body_xml("<w:p>" + one * count + "</w:p>"))
