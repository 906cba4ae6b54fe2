"""`render --pdf`: a tagged PDF of each Word deliverable for signature, recorded in the lock
with the digest of the Word file it was made from (not its own: a PDF is not byte-stable)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME

runner = CliRunner()


@pytest.mark.slow
@pytest.mark.tools("soffice", "pdfinfo")
def test_render_pdf_writes_a_tagged_pdf_per_document_recorded_by_its_word_file(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out" / "acme-beta-2026"  # -o DIR renders into DIR/<deal id>/
    result = runner.invoke(cli, ["render", "--pdf", str(ACME), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    # The reference deal's warnings follow on lines of their own.
    assert result.output.splitlines()[0] == f"{ACME}: wrote 7 files to {out}"
    for name in ("term-sheet.pdf", "side-letter-surgical.pdf"):
        info = subprocess.run(
            ["pdfinfo", str(out / name)], capture_output=True, text=True, check=True
        ).stdout
        assert "Tagged:          yes" in info
    assert b"/Lang(en-GB)" in (out / "term-sheet.pdf").read_bytes().replace(b" ", b"")
    lock = json.loads((out / "clausesmith.lock.json").read_text(encoding="utf-8"))
    assert not [d for d in lock["documents"] if d["path"].endswith(".pdf")]
    assert [p["path"] for p in lock["pdfs"]] == ["side-letter-surgical.pdf", "term-sheet.pdf"]
    check = runner.invoke(cli, ["render", "--check", str(ACME), "-o", str(out.parent)])
    assert check.exit_code == 0, check.output


@pytest.mark.slow
@pytest.mark.tools("soffice")
def test_a_us_deal_gives_pdfs_in_us_english_and_leaves_its_word_files_as_rendered(
    tmp_path: Path, acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    """The templates' default language is en-GB; a PDF's /Lang is the deal's locale."""
    acme_data["deal"]["locale"] = "en-US"
    deal = write_deal(acme_data)
    out = tmp_path / "out" / "acme-beta-2026"
    result = runner.invoke(cli, ["render", "--pdf", str(deal), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    for name in ("term-sheet.pdf", "side-letter-surgical.pdf"):
        languages = re.findall(rb"/Lang\s*\(([^)]*)\)", (out / name).read_bytes())
        assert languages and set(languages) == {b"en-US"}, (name, languages)
    check = runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out.parent)])
    assert check.exit_code == 0, check.output  # the .docx files are the rendered bytes


def test_render_pdf_without_libreoffice_says_what_to_install_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("CLAUSESMITH_SOFFICE", str(tmp_path / "LibreOffice" / "soffice"))
    out = tmp_path / "out" / "acme-beta-2026"  # -o DIR renders into DIR/<deal id>/
    result = runner.invoke(cli, ["render", "--pdf", str(ACME), "-o", str(out.parent)])
    assert result.exit_code == 2
    assert result.output == (
        f"--pdf needs LibreOffice, and it was not found (looked at: {tmp_path}/LibreOffice/"
        "soffice; soffice on PATH); install it (Windows and macOS: from libreoffice.org; "
        "Debian and Ubuntu: apt-get install libreoffice-writer-nogui), or set "
        "CLAUSESMITH_SOFFICE to its soffice program, or leave out --pdf\n"
    )
    assert not out.exists()


def test_pdf_and_check_do_not_go_together(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["render", "--pdf", "--check", str(ACME), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "--pdf writes files and --check writes none" in result.output
