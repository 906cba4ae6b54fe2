"""PDFs for signature, through LibreOffice: `render --pdf`.

LibreOffice is the one free converter that lays a Word document out as Word does (fonts,
tables, page breaks); it runs headless, one conversion at a time per user profile, so each
call gets a profile folder of its own and deals converted in parallel workers do not meet.
The PDF is tagged (accessible, and its text reads in order), and its language (/Lang in
the catalog, what a screen reader speaks and a viewer hyphenates by) is the deal's locale:
LibreOffice takes it from the Word file's default language, which the writer sets to the
deal's (`CoreProperties.proofing_language`: en-US for a US deal).
PDFs embed a creation time, so they are not byte-stable: the lock records each PDF with the
digest of the Word file it was made from (not its own), and a PDF is made again only when
that Word file changes or the PDF is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from clausesmith import portable
from clausesmith.errors import UsageError, invalid

TIMEOUT_SECONDS = 120
EXPORT_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {"UseTaggedPDF": {"type": "boolean", "value": "true"}}, separators=(",", ":")
)


def require_libreoffice() -> str:
    """The converter's path, or a usage error saying where it looked and what to install."""
    found, looked = portable.find_soffice()
    if found is None:
        raise UsageError(
            "--pdf needs LibreOffice, and it was not found (looked at: "
            + "; ".join(looked)
            + "); install it (Windows and macOS: from libreoffice.org; Debian and Ubuntu: "
            "apt-get install libreoffice-writer-nogui), or set CLAUSESMITH_SOFFICE to its "
            "soffice program, or leave out --pdf"
        )
    return found


def to_pdf(document: Path) -> Path:
    """`document`.pdf beside it; InvalidInput naming the file if LibreOffice fails.

    LibreOffice writes into a fresh folder of a unique name, and the PDF is renamed into
    place: a symlink planted at `document`.pdf is replaced, never written through."""
    soffice = require_libreoffice()
    pdf = document.with_suffix(".pdf")
    with (
        tempfile.TemporaryDirectory(prefix="clausesmith-lo-") as profile,
        tempfile.TemporaryDirectory(prefix=".clausesmith-pdf-", dir=document.parent) as outdir,
    ):
        source = Path(profile) / "source" / document.name  # the PDF takes this name's stem
        source.parent.mkdir()
        shutil.copyfile(document, source)
        try:
            done = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    EXPORT_FILTER,
                    "--outdir",
                    outdir,
                    str(source),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise invalid(
                str(document), "", f"LibreOffice did not finish within {TIMEOUT_SECONDS} s"
            ) from None
        made = Path(outdir) / pdf.name
        if done.returncode != 0 or not made.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise invalid(
                str(document), "", f"LibreOffice could not convert it to PDF ({detail[0]})"
            )
        os.replace(made, pdf)
    return pdf


def pdf_bytes(name: str, docx: bytes) -> bytes:
    """The PDF of the Word file `name` holding `docx`, converted in a private folder."""
    with tempfile.TemporaryDirectory(prefix="clausesmith-pdf-src-") as folder:
        source = Path(folder) / name
        source.write_bytes(docx)
        return to_pdf(source).read_bytes()
