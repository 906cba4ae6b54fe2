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
