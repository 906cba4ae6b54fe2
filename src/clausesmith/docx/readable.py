"""What a reader of a Word file sees, for `markup`: every story (the body, headers, footers,
footnotes, endnotes, comments, text boxes), one branch of each `mc:AlternateContent`, and
a refusal for what clausesmith cannot read.

`mc:AlternateContent` offers a program alternatives: the first `mc:Choice` whose required
namespaces it understands, else the `mc:Fallback`. Word understands the namespaces of
`UNDERSTOOD` (drawing shapes, text boxes, the 2010-2018 extensions), so that is the branch
read here: what the other side's lawyer sees in Word, never both branches together.

An imported chunk (`w:altChunk`: HTML, RTF or a whole .docx pasted in), an embedded or
linked object (OLE, ActiveX, an embedded package) and a picture hold text clausesmith
cannot read. A file with any of them is refused (`Unreadable`, exit 5, naming the part):
reporting "no changes" for a file not fully read would vouch for text nobody compared.
"""

from __future__ import annotations

import re

from lxml import etree

from clausesmith.docx.wordxml import REL_NS, parse, w
from clausesmith.errors import EXIT_OFF_PLAYBOOK, UserMessageError

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
UNDERSTOOD = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://schemas.microsoft.com/office/word/2010/wordml",
        "http://schemas.microsoft.com/office/word/2012/wordml",
        "http://schemas.microsoft.com/office/word/2015/wordml/symex",
        "http://schemas.microsoft.com/office/word/2016/wordml/cid",
        "http://schemas.microsoft.com/office/word/2018/wordml",
        "http://schemas.microsoft.com/office/word/2018/wordml/cex",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
        "http://schemas.microsoft.com/office/drawing/2010/main",
        "http://schemas.openxmlformats.org/officeDocument/2006/math",
    }
)
# The stories a reader sees besides the body, and what each is called in a report.
STORY = re.compile(r"word/(header|footer|footnotes|endnotes|comments)\d*\.xml")
STORY_NAMES = {
    "header": "a header",
    "footer": "a footer",
    "footnotes": "a footnote",
    "endnotes": "an endnote",
    "comments": "a comment",
}
# Relationships to content whose text clausesmith cannot read.
_OPAQUE = {
    "aFChunk": "an imported chunk (altChunk)",
    "oleObject": "an embedded object",
    "package": "an embedded package",
    "control": "an ActiveX control",
    "image": "a picture",
}
_OPAQUE_ELEMENTS = {
    w("altChunk"): "an imported chunk (altChunk)",
    w("object"): "an embedded object",
    w("control"): "an ActiveX control",
}


class Unreadable(UserMessageError):
    """Their file holds content clausesmith cannot read: counsel must compare it by eye."""

    exit_code = EXIT_OFF_PLAYBOOK
    status = "off_playbook"


def refuse_unreadable(parts: dict[str, bytes], label: str) -> None:
    """Unreadable naming each part (and what it is) whose text cannot be read."""
    found = []
    for name in sorted(parts):
        if name.endswith(".rels"):
            root = parse(parts[name], f"{label}: {name}")
            for rel in root.iter(f"{{{REL_NS}}}Relationship"):
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                if kind in _OPAQUE:
                    found.append(f"{_target(name, rel.get('Target') or '')}: {_OPAQUE[kind]}")
        elif (name == "word/document.xml" or STORY.fullmatch(name)) and _may_hold(parts[name]):
            root = parse(parts[name], f"{label}: {name}")
            tags = {e.tag for e in root.iter(*_OPAQUE_ELEMENTS)}
            found += [f"{name}: {_OPAQUE_ELEMENTS[t]}" for t in sorted(tags, key=str)]
    if found:
        lines = [f"{label}: {f}; clausesmith cannot read its text" for f in dict.fromkeys(found)]
        lines.append(
            "  Nothing is reported as unchanged for a file not fully read: compare it with "
            "ours by eye, or ask for a copy without it (exit 5)"
        )
        raise Unreadable("\n".join(lines))


def _may_hold(data: bytes) -> bool:
    """Whether a part's bytes name any element of _OPAQUE_ELEMENTS (by local name, whatever
    its prefix): parsing a large part only to find none of them costs seconds."""
    return any(local in data for local in (b"altChunk", b"object", b"control"))


def _target(rels: str, target: str) -> str:
    """The part a relationship of the .rels part `rels` points to, as a package name."""
    folder = rels.rsplit("_rels/", 1)[0]
    parts = [p for p in (folder + target).split("/") if p and p != "."]
    if target.startswith("/"):
        parts = [p for p in target.split("/") if p]
    out: list[str] = []
    for part in parts:
        if part == "..":
            if out:
                out.pop()
        else:
            out.append(part)
    return "/".join(out)


def choose_alternates(root: etree._Element) -> etree._Element:
    """`root` with each mc:AlternateContent replaced by the one branch Word shows: the first
    mc:Choice whose required namespaces are all understood, else the mc:Fallback (or
    nothing). Changed in place, in one pass over the tree."""
    for alternate in list(root.iter(f"{{{MC_NS}}}AlternateContent")):
        parent = alternate.getparent()
        if parent is None or any(
            a.tag == f"{{{MC_NS}}}AlternateContent" for a in alternate.iterancestors()
        ):
            continue  # inside a branch already chosen or dropped: handled with its parent
        _replace(alternate, _branch(alternate))
    return root


def _branch(alternate: etree._Element) -> etree._Element | None:
    for choice in alternate.iterchildren(f"{{{MC_NS}}}Choice"):
        required = (choice.get("Requires") or "").split()
        if all(choice.nsmap.get(prefix) in UNDERSTOOD for prefix in required):
            return choice
    return alternate.find(f"{{{MC_NS}}}Fallback")


def _replace(alternate: etree._Element, branch: etree._Element | None) -> None:
    if branch is not None:
        for inner in list(branch.iter(f"{{{MC_NS}}}AlternateContent")):
            if inner.getparent() is not None:
                _replace(inner, _branch(inner))
        for child in list(branch):
            alternate.addprevious(child)
    parent = alternate.getparent()
    assert parent is not None
    parent.remove(alternate)


# Fields whose result is computed where the page is laid out: the cached result in the file
# is whatever the last program to save it counted, and a reader sees the live number.
PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION"})


def story_paragraphs(parts: dict[str, bytes], label: str) -> list[tuple[str, str]]:
    """(what it is, text) of each paragraph a reader sees outside the body, in part order:
    headers, footers, footnotes, endnotes and comments, changes accepted, one branch of each
    alternate, page numbers left out."""
    from clausesmith.docx.accepted import accept_all
    from clausesmith.docx.wordxml import paragraph_text

    found = []
    for name in sorted(parts):
        match = STORY.fullmatch(name)
        if not match:
            continue
        root = accept_all(choose_alternates(parse(parts[name], f"{label}: {name}")))
        _drop_page_numbers(root)
        for paragraph in root.iter(w("p")):
            text = " ".join(paragraph_text(paragraph).split())
            if text:
                found.append((f"{STORY_NAMES[match[1]]} ({name})", text))
    return found


def story_changes(
    ours: dict[str, bytes], theirs: dict[str, bytes], label: str
) -> list[tuple[str | None, str | None, str]]:
    """(ours, theirs, where) for each paragraph outside the body that they deleted or added
    (an edited one is both); compared as a multiset per kind of story, in linear time."""
    from collections import Counter

    def kind(where: str) -> str:
        return where.split(" (", 1)[0]

    mine = story_paragraphs(ours, "ours")
    their = story_paragraphs(theirs, label)
    left = Counter((kind(k), t) for k, t in mine)
    right = Counter((kind(k), t) for k, t in their)
    changes: list[tuple[str | None, str | None, str]] = []
    for where, text in mine:
        if right[(kind(where), text)] > 0:
            right[(kind(where), text)] -= 1
        else:
            changes.append((text, None, where))
    for where, text in their:
        if left[(kind(where), text)] > 0:
            left[(kind(where), text)] -= 1
        else:
            changes.append((None, text, where))
    return changes


def _drop_page_numbers(root: etree._Element) -> None:
    """Remove the cached results of PAGE_FIELDS fields (simple and complex)."""
    for simple in list(root.iter(w("fldSimple"))):
        if _first_word(simple.get(w("instr")) or "") in PAGE_FIELDS:
            for run in simple.findall(w("r")):
                simple.remove(run)
    fields: list[tuple[list[str], list[bool]]] = []  # (instruction, [in its result])
    gone = []
    for run in root.iter(w("r")):
        char = run.find(w("fldChar"))
        if char is not None:
            kind = char.get(w("fldCharType"))
            if kind == "begin":
                fields.append(([], [False]))
            elif kind == "separate" and fields:
                fields[-1][1][0] = True
            elif kind == "end" and fields:
                fields.pop()
            continue
        if not fields:
            continue
        instruction, in_result = fields[-1]
        if not in_result[0]:
            instruction += [t.text or "" for t in run.iter(w("instrText"))]
        elif _first_word("".join(instruction)) in PAGE_FIELDS:
            gone.append(run)
    for run in gone:
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)


def _first_word(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""
