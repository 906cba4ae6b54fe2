"""The lock read back as a type: checked once, then read by every command as `Lock`,
`LockedDocument` and `LockedClause`. A lock is input (anyone may edit or forge it), so a
digest that is not exactly what sha256 writes is refused, whatever else is right."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from clausesmith.errors import InvalidInput
from clausesmith.write.lockfile import LOCK_NAME, Lock, parse_lock, read_lock, sha256


def lock_data(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / LOCK_NAME).read_text(encoding="utf-8"))
    return data


def test_a_rendered_lock_reads_as_the_outputs_it_vouches_for(acme_out: Path) -> None:
    lock = read_lock(acme_out)
    assert isinstance(lock, Lock)
    written = lock_data(acme_out)
    assert lock.names() == tuple(d["path"] for d in written["documents"])
    for document in lock.documents:
        assert document.sha256 == sha256((acme_out / document.path).read_bytes())
        assert [c.slot for c in document.clauses] == [
            c["slot"]
            for d in written["documents"]
            if d["path"] == document.path
            for c in d["clauses"]
        ]
    assert lock.spec_path == written["spec"]["path"]
    assert lock.spec_sha256 == written["spec"]["sha256"]
    term_sheet = lock.clauses("term-sheet.docx")
    assert term_sheet and all(c.paragraphs for c in term_sheet if c.slot == "parties")
    assert lock.clauses("no-such-file.docx") == ()


@pytest.mark.parametrize(
    "digest",
    [
        "0" * 63,  # one digit short
        "0" * 65,  # one too many
        "A" * 64,  # what sha256 writes is lowercase
        "g" * 64,  # not hexadecimal
        "0" * 62 + "\n",
        1,
        None,
    ],
)
def test_a_digest_that_is_not_64_lowercase_hex_digits_is_refused(
    acme_out: Path, tmp_path: Path, digest: object
) -> None:
    folder = tmp_path / "out"
    shutil.copytree(acme_out, folder)
    data = lock_data(folder)
    data["documents"][0]["sha256"] = digest
    (folder / LOCK_NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        read_lock(folder)
    assert str(raised.value.problems[0]) == (
        f"{folder / LOCK_NAME}: documents[0].sha256: expected 64 hexadecimal digits"
    )


def test_our_clauses_fingerprinted_by_their_paragraphs_change_one_document(
    acme_out: Path,
) -> None:
    lock = parse_lock(LOCK_NAME, (acme_out / LOCK_NAME).read_bytes())
    theirs = lock.with_paragraphs("term-sheet.docx", {"parties": ("0123456789abcdef",)})
    for document, before in zip(theirs.documents, lock.documents, strict=True):
        if document.path != "term-sheet.docx":
            assert document == before
            continue
        for clause in document.clauses:
            assert clause.paragraphs == (("0123456789abcdef",) if clause.slot == "parties" else ())
