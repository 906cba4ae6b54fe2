"""clausesmith.lock.json: what was rendered from what, so every change shows in a diff."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from clausesmith import __version__
from clausesmith.library.clause import Library
from clausesmith.plan.planner import Plan
from clausesmith.resources import bundled

if TYPE_CHECKING:
    from clausesmith.assemble.assembler import Document

LOCK_NAME = "clausesmith.lock.json"


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


def read_lock(folder: Path) -> dict[str, Any] | None:
    path = folder / LOCK_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
