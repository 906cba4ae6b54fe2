"""Outputs no valid lock vouches for are never overwritten, a forged lock never names a file
to read or delete, and no writer writes through a planted symlink (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME

runner = CliRunner()
LOCK = "clausesmith.lock.json"
TRAILER = (
    "  To keep the edit, copy the file elsewhere (or put the change into the deal or the "
    "clause library) and render again; to discard it, render with --force.\n"
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out" / "acme-beta-2026"  # -o DIR renders into DIR/<deal id>/
    result = runner.invoke(cli, ["render", str(ACME), "-o", str(folder.parent)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def changed(variant: Callable[..., Path]) -> Path:
    return variant({"deal": {"title": "Amended Patent Cross-Licence Term Sheet"}})


def outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != LOCK)


def render(deal: Path, folder: Path, *extra: str) -> tuple[int, str]:
    """Render `deal` into `folder`, named after its id (-o takes the folder above it)."""
    result = runner.invoke(cli, ["render", str(deal), "-o", str(folder.parent), *extra])
    return result.exit_code, result.output


# Strings that look like a SHA-256 but are not the 64 lower-case hexadecimal digits the
# writer prints: each must be refused as the integer is.
BAD_DIGESTS = {
    "1" * 63: "63-digits",
    "1" * 65: "65-digits",
    "A" * 64: "upper-case",
    "g" * 64: "not-hex",
    "0" * 64 + "\n": "trailing-newline",
    " " + "0" * 63: "leading-space",
}


def conflicted(text: str) -> str:
    return f"<<<<<<< HEAD\n{text}=======\n{text}>>>>>>> theirs\n"


@pytest.mark.parametrize(
    ("damage", "first_line"),
    [
        (conflicted, "{lock}:1: holds git merge-conflict markers"),
        (lambda text: "[]\n", "{lock}: is not a JSON object but list"),
        (lambda text: text[:-40], "{lock}:{last}: is not valid JSON (Expecting value)"),
        (
            lambda text: json.dumps({"documents": [{"path": 5, "sha256": "0" * 64}]}),
            "{lock}: documents[0].path: expected the plain name of a file clausesmith writes "
            "(term-sheet.docx, side-letter-KEY.md, ...), got 5",
        ),
        (
            lambda text: json.dumps({"documents": {"path": "term-sheet.md"}}),
            "{lock}: documents: expected a list of the files rendered",
        ),
        (
            lambda text: json.dumps({"documents": [{"path": "term-sheet.md", "sha256": 1}]}),
            "{lock}: documents[0].sha256: expected 64 hexadecimal digits",
        ),
        *(
            (
                lambda text, digest=digest: json.dumps(
                    {"documents": [{"path": "term-sheet.md", "sha256": digest}]}
                ),
                "{lock}: documents[0].sha256: expected 64 hexadecimal digits",
            )
            for digest in BAD_DIGESTS
        ),
        (
            lambda text: json.dumps(
                {"documents": [{"path": "term-sheet.md", "sha256": "0" * 64, "clauses": [1]}]}
            ),
            "{lock}: documents[0].clauses: expected a list of objects with slot, id and paragraphs",
        ),
    ],
    ids=[
        "merge-conflict",
        "not-a-mapping",
        "truncated",
        "path-type",
        "documents-type",
        "sha-type",
        *(f"sha-{name}" for name in BAD_DIGESTS.values()),
        "clauses-type",
    ],
)
def test_a_lock_that_cannot_vouch_refuses_unless_forced(
    out: Path, changed: Path, damage: Callable[[str], str], first_line: str
) -> None:
    lock = out / LOCK
    text = lock.read_text(encoding="utf-8")
    lock.write_text(damage(text), encoding="utf-8")
    last = len(lock.read_text(encoding="utf-8").splitlines())
    before = snapshot(out)
    code, output = render(changed, out)
    assert code == 1
    expected = [first_line.format(lock=lock, last=last) + "; nothing was written"]
    expected += [f"{p}: {LOCK} cannot vouch for it; nothing was written" for p in outputs(out)]
    assert output == "\n".join(expected) + "\n" + TRAILER
    assert snapshot(out) == before
    assert render(changed, out, "--force")[0] == 0
    assert render(changed, out)[0] == 0  # vouched for again


def test_a_deleted_lock_refuses_naming_every_output(out: Path, changed: Path) -> None:
    (out / LOCK).unlink()
    before = snapshot(out)
    code, output = render(changed, out)
    assert code == 1
    lines = [
        f"{p}: no {LOCK} vouches for it (was it deleted?); nothing was written"
        for p in outputs(out)
    ]
    assert output == "\n".join(lines) + "\n" + TRAILER
    assert snapshot(out) == before


def test_a_users_own_term_sheet_without_a_lock_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "acme-beta-2026"
    folder.mkdir(parents=True)
    own = folder / "term-sheet.md"
    own.write_text("My own notes.\n", encoding="utf-8")
    code, output = render(ACME, folder)
    assert code == 1
    assert output == (
        f"{own}: no {LOCK} vouches for it (was it deleted?); nothing was written\n" + TRAILER
    )
    assert snapshot(folder) == {"term-sheet.md": b"My own notes.\n"}


def test_an_output_the_lock_does_not_list_is_kept(out: Path, changed: Path) -> None:
    lock = json.loads((out / LOCK).read_text(encoding="utf-8"))
    lock["documents"] = [d for d in lock["documents"] if d["path"] != "term-sheet.md"]
    (out / LOCK).write_text(json.dumps(lock), encoding="utf-8")
    code, output = render(changed, out)
    assert code == 1
    assert output == (
        f"{out / 'term-sheet.md'}: not listed in {LOCK}; nothing was written\n" + TRAILER
    )


@pytest.mark.parametrize("forged", ["deal.yaml", "../victim.txt", "/tmp/victim.txt", "NOTES.txt"])
def test_a_forged_lock_never_deletes_a_file(out: Path, changed: Path, forged: str) -> None:
    victim = out / "deal.yaml" if forged == "deal.yaml" else out / "NOTES.txt"
    if forged.startswith(("..", "/")):
        victim = (out / forged).resolve()
    victim.write_text("precious\n", encoding="utf-8")
    lock = json.loads((out / LOCK).read_text(encoding="utf-8"))
    digest = __import__("hashlib").sha256(b"precious\n").hexdigest()
    lock["documents"].append({"path": forged, "sha256": digest, "clauses": []})
    (out / LOCK).write_text(json.dumps(lock), encoding="utf-8")
    code, output = render(changed, out)
    assert code == 1
    assert f"documents[{len(lock['documents']) - 1}].path: expected the plain name" in output
    assert render(changed, out, "--force")[0] == 0
    assert victim.read_text(encoding="utf-8") == "precious\n"
    victim.unlink()


def test_a_symlink_at_an_output_name_is_never_followed(out: Path, changed: Path) -> None:
    victim = out.parent / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (out / "term-sheet.md").unlink()
    (out / "term-sheet.md").symlink_to(victim)
    code, output = render(changed, out)
    assert code == 1
    assert (
        f"{out / 'term-sheet.md'}: not a regular file (a symlink?); nothing was written" in output
    )
    assert render(changed, out, "--force")[0] == 0
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (out / "term-sheet.md").is_symlink()


def test_redline_never_reads_outside_the_folder_nor_follows_a_symlink(
    out: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.docx"
    secret.write_bytes((out / "term-sheet.docx").read_bytes())
    lock = json.loads((out / LOCK).read_text(encoding="utf-8"))
    forged = dict(lock, documents=[*lock["documents"], {"path": str(secret), "sha256": "0" * 64}])
    old = tmp_path / "old"
    old.mkdir()
    (old / LOCK).write_text(json.dumps(forged), encoding="utf-8")
    result = runner.invoke(cli, ["redline", str(old), str(out), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 1
    assert result.output.startswith(f"{old / LOCK}: documents[")
    (old / LOCK).write_text(json.dumps(lock), encoding="utf-8")
    (old / "term-sheet.docx").symlink_to(secret)
    result = runner.invoke(cli, ["redline", str(old), str(out), "-o", str(tmp_path / "r.docx")])
    assert (result.exit_code, result.output) == (
        1,
        f"{old / 'term-sheet.docx'}: is not a regular file (a symlink?); not followed\n",
    )


def test_redline_never_writes_through_a_symlink_at_a_temporary_name(
    out: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    target = tmp_path / "term-sheet.redline.docx"
    (tmp_path / ".term-sheet.redline.docx.tmp").symlink_to(victim)  # the old fixed name
    result = runner.invoke(cli, ["redline", str(out), str(out), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert target.read_bytes().startswith(b"PK")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [
        ".term-sheet.redline.docx.tmp"
    ]


def test_explain_docx_replaces_a_symlink_at_its_target_and_never_writes_through_it(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    target = tmp_path / "issues.docx"
    target.symlink_to(victim)
    result = runner.invoke(cli, ["explain", str(ACME), "--docx", str(target)])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not target.is_symlink() and target.read_bytes().startswith(b"PK")


def test_markup_redline_never_writes_through_a_symlink_at_a_temporary_name(
    tmp_path: Path, acme_out: Path
) -> None:
    from helpers import counterparty as cp
    from helpers.markup import RATE, ours, run

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    red = tmp_path / "red.docx"
    (tmp_path / ".red.docx.tmp").symlink_to(victim)  # markup's old fixed name
    _code, output = run(
        tmp_path, cp.replace(ours(acme_out), *RATE, True), acme_out, "--redline", str(red)
    )
    assert output.splitlines()[-1] == f"wrote {red}"
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert red.read_bytes().startswith(b"PK")
