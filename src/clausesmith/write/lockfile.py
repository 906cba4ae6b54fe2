"""clausesmith.lock.json: what was rendered from what, so every change shows in a diff."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from clausesmith import __version__
from clausesmith.errors import InvalidInput, invalid
from clausesmith.files import NotRegular, TooLarge, read_bounded
from clausesmith.library.clause import Library
from clausesmith.plan.planner import Plan
from clausesmith.resources import bundled

if TYPE_CHECKING:
    from clausesmith.assemble.assembler import Document

LOCK_NAME = "clausesmith.lock.json"
PDFS = "pdfs"  # the PDFs `render --pdf` made: [{path, docx_sha256}] (see pipeline.settle_pdfs)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def paragraph_hash(text: str) -> str:
    """A rendered paragraph's fingerprint in the lock: what `redline` aligns clauses by."""
    return sha256(text.encode("utf-8"))[:16]


def build_lock(
    plan: Plan,
    files: dict[str, bytes],
    out_dir: Path,
    rendered: tuple[Document, ...] = (),
    library: Library | None = None,
) -> dict[str, Any]:
    deal = plan.deal
    texts = {d.stem: dict(d.texts) for d in rendered}
    documents = []
    for doc in plan.documents:
        paragraphs = texts.get(doc.stem, {})
        clauses = [
            {
                "slot": c.slot,
                "id": c.clause.id,
                "version": c.clause.version,
                "sha256": c.clause.sha256,
                "status": c.status,
                "position": c.clause.position,
                "chosen_by": c.rule,
                "paragraphs": [paragraph_hash(p) for p in paragraphs.get(c.slot, ())],
                **({"counsel_note": c.clause.counsel_note} if c.clause.counsel_note else {}),
            }
            for c in doc.choices
        ]
        for suffix in (".docx", ".md"):
            name = doc.stem + suffix
            documents.append({"path": name, "sha256": sha256(files[name]), "clauses": clauses})
    return {
        "tool_version": __version__,
        "spec": {"path": _relative(Path(deal.source), out_dir), "sha256": deal.sha256},
        "playbook": {"id": plan.playbook.id, "version": plan.playbook.version},
        **({"library": _library(library, out_dir)} if library is not None else {}),
        "defaulted_sections": list(deal.defaulted),
        "documents": documents,
        "findings": [f.data() for f in plan.findings],
    }


def _library(library: Library, out_dir: Path) -> dict[str, str]:
    """Which clause library rendered the deal: where it is from the output folder (the same
    wherever the repository is) or that it shipped with clausesmith, and its digest."""
    shipped = library.root.resolve() == bundled("clause_library").resolve()
    where = f"(shipped with clausesmith {__version__})" if shipped else None
    return {"path": where or _relative(library.root, out_dir), "sha256": library.digest}


def _relative(spec: Path, out_dir: Path) -> str:
    """The spec's path from the output folder: the same wherever the repository is."""
    return Path(os.path.relpath(spec.resolve(), out_dir.resolve())).as_posix()


def dumps(lock: dict[str, Any]) -> bytes:
    """The lock as `json.dumps(lock, indent=2, ensure_ascii=False)` writes it, plus a final
    newline, in UTF-8; orjson writes those very bytes some fifty times faster."""
    return orjson.dumps(lock, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


# The only names a lock may list: the outputs clausesmith writes, plain names in the deal's
# folder. A lock is input (a forged one must not name deal.yaml, ../x or /etc/passwd).
OUTPUT_NAME = re.compile(r"(term-sheet|side-letter-[a-z0-9]+(-[a-z0-9]+)*)\.(docx|md)")
PDF_NAME = re.compile(r"(term-sheet|side-letter-[a-z0-9]+(-[a-z0-9]+)*)\.pdf")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.M)
_SHA256 = re.compile(r"[0-9a-f]{64}")  # exactly what hashlib's hexdigest writes
MAX_LOCK_BYTES = 2_000_000


def _invalid(path: Path | str, key: str, reason: str, line: int | None = None) -> InvalidInput:
    return invalid(str(path), key, reason, line)


@dataclass(frozen=True)
class LockedClause:
    """A clause the lock records for a document: its slot, id, position, and a fingerprint
    of each paragraph it rendered (`paragraph_hash`)."""

    slot: str
    id: str
    position: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class LockedDocument:
    """An output the lock vouches for: its plain name, its digest, the clauses it holds."""

    path: str
    sha256: str
    clauses: tuple[LockedClause, ...]


@dataclass(frozen=True)
class LockedPdf:
    """A PDF `render --pdf` made, with the digest of the Word file it was made from."""

    path: str
    docx_sha256: str


@dataclass(frozen=True)
class Lock:
    """A lock as read back: checked once on reading, typed for every reader after."""

    documents: tuple[LockedDocument, ...]
    spec_path: str | None  # the deal file it was rendered from, relative to the folder
    spec_sha256: str | None
    pdfs: tuple[LockedPdf, ...] = ()

    def names(self) -> tuple[str, ...]:
        return tuple(d.path for d in self.documents)

    def clauses(self, name: str) -> tuple[LockedClause, ...]:
        """The clauses of the output `name`; none if the lock does not list it."""
        return next((d.clauses for d in self.documents if d.path == name), ())

    def with_paragraphs(self, name: str, paragraphs: dict[str, tuple[str, ...]]) -> Lock:
        """This lock with each clause of `name` fingerprinted by `paragraphs` (by slot; a
        slot not given has none)."""
        return replace(
            self,
            documents=tuple(
                replace(
                    d,
                    clauses=tuple(
                        replace(c, paragraphs=paragraphs.get(c.slot, ())) for c in d.clauses
                    ),
                )
                if d.path == name
                else d
                for d in self.documents
            ),
        )


def read_lock(folder: Path) -> Lock | None:
    """The lock in `folder`, checked; None if there is none. InvalidInput if it is there but
    cannot be trusted: unreadable, not JSON (merge-conflict markers), or of the wrong shape."""
    _data, lock, problem = read_lock_once(folder)
    if problem is not None:
        raise problem
    return lock


def read_lock_once(folder: Path) -> tuple[bytes | None, Lock | None, InvalidInput | None]:
    """One reading of the lock in `folder`: its bytes as on disk (None: missing, not a
    regular file or unreadable; empty: too large to be ours), the lock if it can be trusted,
    and else why not (None when there is simply no lock)."""
    path = folder / LOCK_NAME
    try:
        data = read_output(path, MAX_LOCK_BYTES)
    except FileNotFoundError:
        return None, None, None
    except TooLarge as exc:
        return b"", None, _invalid(path, "", f"cannot be read ({exc.strerror or exc})")
    except OSError as exc:
        return None, None, _invalid(path, "", f"cannot be read ({exc.strerror or exc})")
    if data is None:
        return None, None, _invalid(path, "", "is not a regular file (a symlink or a folder?)")
    try:
        return data, parse_lock(path, data), None
    except InvalidInput as exc:
        return data, None, exc


def parse_lock(path: Path | str, data: bytes) -> Lock:
    """The lock read from `path` as `data` (or rendered in memory, or as a git revision has
    it), checked and typed; InvalidInput if it cannot be trusted."""
    try:
        lock = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        conflict = _CONFLICT.search(exc.doc)
        if conflict:
            line = exc.doc.count("\n", 0, conflict.start()) + 1
            raise _invalid(path, "", "holds git merge-conflict markers", line) from None
        raise _invalid(path, "", f"is not valid JSON ({exc.msg})", exc.lineno) from None
    except UnicodeDecodeError:
        raise _invalid(path, "", "is not UTF-8 text") from None
    return _typed(path, lock)


def read_output(path: Path, limit: int) -> bytes | None:
    """A file of the deal's folder, never through a symlink and at most `limit` bytes;
    None if it is not a regular file. OSError if it cannot be read."""
    try:
        return read_bounded(path, limit, follow_symlinks=False)
    except NotRegular:
        return None


def _typed(path: Path | str, lock: object) -> Lock:
    if not isinstance(lock, dict):
        raise _invalid(path, "", f"is not a JSON object but {type(lock).__name__}")
    documents = lock.get("documents")
    if not isinstance(documents, list):
        raise _invalid(path, "documents", "expected a list of the files rendered")
    spec = lock.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    return Lock(
        documents=tuple(_document(path, i, entry) for i, entry in enumerate(documents)),
        spec_path=_text(spec.get("path")),
        spec_sha256=_text(spec.get("sha256")),
        pdfs=_pdfs(path, lock.get(PDFS, [])),
    )


def _document(path: Path | str, index: int, entry: object) -> LockedDocument:
    key = f"documents[{index}]"
    if not isinstance(entry, dict):
        raise _invalid(path, key, "expected an object with path and sha256")
    name, digest = entry.get("path"), entry.get("sha256")
    if not isinstance(name, str) or not OUTPUT_NAME.fullmatch(name):
        raise _invalid(
            path,
            f"{key}.path",
            "expected the plain name of a file clausesmith writes "
            f"(term-sheet.docx, side-letter-KEY.md, ...), got {json.dumps(name)[:80]}",
        )
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise _invalid(path, f"{key}.sha256", "expected 64 hexadecimal digits")
    clauses = entry.get("clauses", [])
    if not isinstance(clauses, list) or not all(_clause_shape(c) for c in clauses):
        raise _invalid(
            path, f"{key}.clauses", "expected a list of objects with slot, id and paragraphs"
        )
    return LockedDocument(name, digest, tuple(_clause(c) for c in clauses))


def _pdfs(path: Path | str, pdfs: object) -> tuple[LockedPdf, ...]:
    """The PDFs a lock records: plain PDF names of our documents, each with a digest."""
    if not isinstance(pdfs, list):
        raise _invalid(path, PDFS, "expected a list of the PDFs rendered")
    found = []
    for index, entry in enumerate(pdfs):
        key = f"{PDFS}[{index}]"
        if not isinstance(entry, dict):
            raise _invalid(path, key, "expected an object with path and docx_sha256")
        name, digest = entry.get("path"), entry.get("docx_sha256")
        if not isinstance(name, str) or not PDF_NAME.fullmatch(name):
            raise _invalid(
                path,
                f"{key}.path",
                f"expected term-sheet.pdf or side-letter-KEY.pdf, got {json.dumps(name)[:80]}",
            )
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise _invalid(path, f"{key}.docx_sha256", "expected 64 hexadecimal digits")
        found.append(LockedPdf(name, digest))
    return tuple(found)


def _clause_shape(clause: object) -> bool:
    if not isinstance(clause, dict):
        return False
    paragraphs = clause.get("paragraphs", [])
    return (
        isinstance(clause.get("slot"), str)
        and isinstance(clause.get("id"), str)
        and isinstance(paragraphs, list)
        and all(isinstance(p, str) for p in paragraphs)
    )


def _clause(clause: dict[str, Any]) -> LockedClause:
    return LockedClause(
        slot=clause["slot"],
        id=clause["id"],
        position=_text(clause.get("position")),
        paragraphs=tuple(clause.get("paragraphs", [])),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
