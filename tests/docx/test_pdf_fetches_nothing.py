"""`render --pdf` fetches nothing: a template (or any file converted) that links outside
itself is refused naming the part, LibreOffice runs with a profile that blocks links, and a
conversion that hangs is killed with every process it started."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.docx import pdf
from helpers.deals import MINIMAL
from hostile import word

runner = CliRunner()
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="a shell script as soffice")
TAIL = (
    "a Word template may not link outside itself (LibreOffice would fetch the target into "
    "the PDF): insert the picture or text instead of linking it, or remove the link"
)


@pytest.mark.parametrize(
    ("term_sheet", "what"),
    [
        (lambda: word.linked_image_template(), "word/_rels/document.xml.rels: rIdEvil (image) "
         "points outside the file"),
        (lambda: word.linked_image_template("http://attacker.example/x.png"),
         "word/_rels/document.xml.rels: rIdEvil (image) points outside the file"),
        (lambda: word.linked_object_template(), "word/_rels/document.xml.rels: rIdObj "
         "(oleObject) points outside the file"),
        (lambda: word.field_template('INCLUDEPICTURE "file:///etc/hostname" \\\\d'),
         "word/document.xml: the field INCLUDEPICTURE"),
        (lambda: word.field_template('includetext "C:\\\\secret.docx"', split=True),
         "word/document.xml: the field INCLUDETEXT"),
        (lambda: word.field_template(' LINK Word.Document.12 "/etc/passwd" ""', split=True),
         "word/document.xml: the field LINK"),
    ],
)  # fmt: skip
def test_a_template_that_links_outside_itself_is_refused_naming_the_part(
    tmp_path: Path, term_sheet: object, what: str
) -> None:
    templates = word.template_folder(tmp_path, term_sheet())  # type: ignore[operator]
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", str(MINIMAL), "-o", str(out), "--template", str(templates)]
    )
    assert result.exit_code == 1, result.output
    assert f"{templates / 'term-sheet.docx'}: {what}; {TAIL}\n" in result.output
    assert "hostname" not in result.output and "attacker" not in result.output
    assert not out.exists()


def _fake_soffice(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return bin_dir


@posix_only
def test_a_converted_file_that_links_outside_itself_never_reaches_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    called = tmp_path / "called"
    _fake_soffice(tmp_path, f"touch {called}\n", monkeypatch)
    document = tmp_path / "theirs.docx"
    document.write_bytes(word.linked_image_template())
    with pytest.raises(Exception, match="a document converted to PDF may not link") as caught:
        pdf.to_pdf(document)
    assert getattr(caught.value, "exit_code", None) == 1
    assert not called.exists()


@posix_only
def test_libreoffice_runs_with_a_fresh_profile_that_blocks_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fake converter copies the profile's settings it was given into the PDF."""
    body = (
        'for a; do case "$a" in -env:UserInstallation=file://*) p="${a#*file://}";; esac; '
        'prev="$out"; out="$a"; done\n'
        'for a; do if [ "$next" = 1 ]; then dir="$a"; next=0; fi; '
        '[ "$a" = "--outdir" ] && next=1; done\n'
        'name=$(basename "$out" .docx)\n'
        'cp "$p/user/registrymodifications.xcu" "$dir/$name.pdf"\n'
    )
    _fake_soffice(tmp_path, body, monkeypatch)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(MINIMAL), "-o", str(out)]).exit_code == 0
    made = pdf.to_pdf(out / "north-south-2026" / "term-sheet.docx")
    settings = made.read_text(encoding="utf-8")
    for name, value in pdf.NO_FETCH.items():
        assert f'<prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop>' in settings
    assert '"BlockUntrustedRefererLinks"' in settings


@posix_only
def test_a_hanging_conversion_is_killed_with_every_process_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """soffice is a launcher: the soffice.bin it starts must not outlive the timeout."""
    pids = tmp_path / "pids"
    bin_dir = _fake_soffice(
        tmp_path, f'"$(dirname "$0")/soffice.bin" &\necho $! > {pids}\nwait\n', monkeypatch
    )
    child = bin_dir / "soffice.bin"
    child.write_text("#!/bin/sh\nexec sleep 300\n", encoding="utf-8")
    child.chmod(0o755)
    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 1)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(MINIMAL), "-o", str(out)]).exit_code == 0
    document = out / "north-south-2026" / "term-sheet.docx"
    with pytest.raises(Exception, match="LibreOffice did not finish within 1 s"):
        pdf.to_pdf(document)
    pid = int(pids.read_text(encoding="utf-8"))
    for _ in range(50):
        if not _running(pid):
            break
        time.sleep(0.1)
    assert not _running(pid)
    assert shutil.which("soffice") == str(bin_dir / "soffice")


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != b"Z"
