"""The properties Word shows under File > Info: each document says what it is (title, the
deal's title as subject; no keywords, since the deal id is for the lock, not the other
side), who made it (clausesmith), and when (the deal's date); and nothing a firm's own
template carried in them (an author, a comment, a status) reaches the other side."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()
DATE = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # the reference deal's date


def properties(path: Path) -> dict[str, object]:
    core = docx.Document(str(path)).core_properties
    names = (
        "title", "subject", "keywords", "author", "last_modified_by", "comments", "category",
        "content_status", "identifier", "version", "created", "modified", "last_printed",
        "revision",
    )  # fmt: skip
    return {name: getattr(core, name) for name in names}


def expected(title: str) -> dict[str, object]:
    return {
        "title": title,
        "subject": "Patent Cross-Licence Term Sheet",
        "keywords": "",
        "author": "clausesmith",
        "last_modified_by": "clausesmith",
        "comments": "",
        "category": "",
        "content_status": "",
        "identifier": "",
        "version": "",
        "created": DATE,
        "modified": DATE,
        "last_printed": DATE,
        "revision": 1,
    }


def test_each_document_says_what_it_is_who_made_it_and_when(acme_out: Path) -> None:
    assert properties(acme_out / "term-sheet.docx") == expected("Patent Cross-Licence Term Sheet")
    assert properties(acme_out / "side-letter-surgical.docx") == expected(
        "Surgical Robotics Carve-Out"
    )


def test_a_firms_template_keeps_none_of_its_own_properties(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    for name in ("term-sheet.docx", "side-letter.docx"):
        template = docx.Document(str(templates / name))
        core = template.core_properties
        core.author = core.last_modified_by = "Jane Partner"
        core.comments = "Internal: walk-away is 1.5%"
        core.category = "Privileged"
        core.content_status = "Do not send"
        core.identifier = "MATTER-4711"
        core.version = "7"
        core.revision = 42
        template.save(str(templates / name))
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(ACME), "-o", str(out), "--template", str(templates)])
    assert result.exit_code == 0, result.output
    folder = out / "acme-beta-2026"
    assert properties(folder / "term-sheet.docx") == expected("Patent Cross-Licence Term Sheet")
    assert properties(folder / "side-letter-surgical.docx") == expected(
        "Surgical Robotics Carve-Out"
    )
