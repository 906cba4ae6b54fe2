"""A PDF is an output like the others: recorded in the lock with the Word file it was made
from, made when asked for and missing (also on an up-to-date deal), made again or removed
when its Word file changes, and never a reason for `--check` to fail while it is current.

LibreOffice is stood in for by a small script named soffice on PATH that writes a PDF
naming the Word file's digest, so these tests run everywhere the suite runs."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli

runner = CliRunner()
pytestmark = pytest.mark.skipif(os.name == "nt", reason="the stand-in soffice is a script")

FAKE = """#!{python}
import hashlib, pathlib, sys
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
source = pathlib.Path(args[-1])
digest = hashlib.sha256(source.read_bytes()).hexdigest()
(out / (source.stem + ".pdf")).write_bytes(b"%PDF-1.7 made from " + digest.encode())
"""


@pytest.fixture
def soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return script


def made_from(pdf: Path) -> str:
    return pdf.read_bytes().split(b"made from ")[1].decode()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lock_of(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "clausesmith.lock.json").read_text())
    return data


def render(deal: Path, out: Path, *extra: str) -> str:
    result = runner.invoke(cli, ["render", str(deal), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("soffice")
def test_pdfs_are_recorded_made_when_missing_and_kept_current(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    deal = write_deal(acme_data)
    out = tmp_path / "out"
    folder = out / "acme-beta-2026"
    render(deal, out)  # no PDF asked for: none made, none recorded
    assert not list(folder.glob("*.pdf")) and "pdfs" not in lock_of(folder)
    # asked for on an up-to-date deal: made, and recorded with their Word file's digest
    said = render(deal, out, "--pdf")
    assert said.startswith(f"{deal}: wrote ")
    pdf = folder / "term-sheet.pdf"
    assert made_from(pdf) == sha(folder / "term-sheet.docx")
    records = {e["path"]: e["docx_sha256"] for e in lock_of(folder)["pdfs"]}
    assert records == {
        "side-letter-surgical.pdf": sha(folder / "side-letter-surgical.docx"),
        "term-sheet.pdf": sha(folder / "term-sheet.docx"),
    }
    # current: --check passes, and neither render nor render --pdf touches them
    assert runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out)]).exit_code == 0
    before = pdf.stat().st_mtime_ns
    assert "up to date" in render(deal, out, "--pdf")
    assert "up to date" in render(deal, out)
    assert pdf.stat().st_mtime_ns == before
    # missing again (deleted, or git-ignored in a fresh checkout): --check still passes,
    # and --pdf makes it again
    pdf.unlink()
    assert runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out)]).exit_code == 0
    render(deal, out, "--pdf")
    assert made_from(pdf) == sha(folder / "term-sheet.docx")


@pytest.mark.usefixtures("soffice")
def test_a_changed_word_file_removes_its_old_pdf_or_makes_it_again(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    deal = write_deal(acme_data)
    out = tmp_path / "out"
    folder = out / "acme-beta-2026"
    render(deal, out, "--pdf")
    acme_data["term"]["years"] = 8
    write_deal(acme_data)
    check = runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out)])
    assert check.exit_code == 4
    assert f"{folder / 'term-sheet.pdf'} (made from an earlier Word file)" in check.output
    said = render(deal, out)  # without --pdf: the PDF of the old terms is removed
    assert not (folder / "term-sheet.pdf").exists()
    assert "note: removed side-letter-surgical.pdf, term-sheet.pdf" in said or (
        "note: removed term-sheet.pdf" in said
    )
    assert "pdfs" not in lock_of(folder) or all(
        e["path"] != "term-sheet.pdf" for e in lock_of(folder)["pdfs"]
    )
    render(deal, out, "--pdf")
    acme_data["term"]["years"] = 9
    write_deal(acme_data)
    render(deal, out, "--pdf")  # with --pdf: made again from the new Word file
    assert made_from(folder / "term-sheet.pdf") == sha(folder / "term-sheet.docx")


def test_a_lock_naming_another_file_as_a_pdf_is_refused(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    deal = write_deal(acme_data)
    out = tmp_path / "out"
    render(deal, out)
    lock_path = out / "acme-beta-2026" / "clausesmith.lock.json"
    lock = json.loads(lock_path.read_text())
    lock["pdfs"] = [{"path": "../deal.yaml", "docx_sha256": "0" * 64}]
    lock_path.write_text(json.dumps(lock, indent=2) + "\n")
    result = runner.invoke(cli, ["render", str(deal), "-o", str(out)])
    assert result.exit_code == 1
    assert "pdfs[0].path: expected term-sheet.pdf or side-letter-KEY.pdf" in result.output
