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

Nothing is fetched: a file that links outside itself (an external relationship, an
INCLUDEPICTURE or LINK field) is refused before LibreOffice sees it (`docx.external`), and
the fresh profile LibreOffice runs with blocks links from untrusted documents and active
content (`NO_FETCH`). LibreOffice's `soffice` is a launcher that starts `soffice.bin`: it
runs in a process group (a session on POSIX, a new process group on Windows) and the whole
group is killed after `TIMEOUT_SECONDS`, so no converter is left running.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from clausesmith import portable
from clausesmith.docx.external import refuse_external
from clausesmith.docx.wordxml import read_docx
from clausesmith.errors import UsageError, invalid

TIMEOUT_SECONDS = 120
# The profile's settings: links from documents outside the trusted locations (there are
# none) are not followed, and neither macros nor active content run.
_SCRIPTING = "/org.openoffice.Office.Common/Security/Scripting"
NO_FETCH = {
    "BlockUntrustedRefererLinks": "true",
    "DisableActiveContent": "true",
    "DisableMacrosExecution": "true",
    "MacroSecurityLevel": "3",
}
PROFILE_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry">\n'
    + "".join(
        f'<item oor:path="{_SCRIPTING}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for name, value in NO_FETCH.items()
    )
    + "</oor:items>\n"
)
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
    """`document`.pdf beside it; InvalidInput naming the file if it links outside itself or
    LibreOffice fails.

    LibreOffice writes into a fresh folder of a unique name, and the PDF is renamed into
    place: a symlink planted at `document`.pdf is replaced, never written through."""
    soffice = require_libreoffice()
    refuse_external(read_docx(document), str(document), "a document converted to PDF")
    pdf = document.with_suffix(".pdf")
    with (
        tempfile.TemporaryDirectory(prefix="clausesmith-lo-") as profile,
        tempfile.TemporaryDirectory(prefix=".clausesmith-pdf-", dir=document.parent) as outdir,
    ):
        settings = Path(profile) / "user" / "registrymodifications.xcu"
        settings.parent.mkdir()
        settings.write_text(PROFILE_SETTINGS, encoding="utf-8")
        source = Path(profile) / "source" / document.name  # the PDF takes this name's stem
        source.parent.mkdir()
        shutil.copyfile(document, source)
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            EXPORT_FILTER,
            "--outdir",
            outdir,
            str(source),
        ]
        try:
            returncode, output = run_grouped(command, TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise invalid(
                str(document), "", f"LibreOffice did not finish within {TIMEOUT_SECONDS} s"
            ) from None
        made = Path(outdir) / pdf.name
        if returncode != 0 or not made.is_file():
            detail = output.strip().splitlines()[-1:] or ["no output"]
            raise invalid(
                str(document), "", f"LibreOffice could not convert it to PDF ({detail[0]})"
            )
        os.replace(made, pdf)
    return pdf


def run_grouped(command: list[str], timeout: float) -> tuple[int, str]:
    """Run `command` in a process group of its own; its exit code and output (stderr, else
    stdout). On timeout the whole group is killed (the launcher and every child it started)
    and TimeoutExpired raised."""
    windows = sys.platform == "win32"
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=not windows,
        creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if windows else 0,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except BaseException:  # the timeout, or Ctrl-C: no converter outlives us
        _kill_group(process)
        process.communicate()
        raise
    return process.returncode, err or out


def _kill_group(process: subprocess.Popen[str]) -> None:
    if sys.platform == "win32":  # taskkill /T ends the tree the launcher started
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
        process.kill()
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the group's id is the launcher's pid


def pdf_bytes(name: str, docx: bytes) -> bytes:
    """The PDF of the Word file `name` holding `docx`, converted in a private folder."""
    with tempfile.TemporaryDirectory(prefix="clausesmith-pdf-src-") as folder:
        source = Path(folder) / name
        source.write_bytes(docx)
        return to_pdf(source).read_bytes()
