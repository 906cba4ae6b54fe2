"""Counsel's review copy (`clausesmith review`): a comment on every clause, findings on the
title, the deliverables untouched."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, REASON

runner = CliRunner()


def review(deal: Path, out: Path) -> Path:
    result = runner.invoke(cli, ["review", str(deal), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_every_clause_gets_a_comment_saying_why_and_the_title_lists_findings(
    tmp_path: Path,
) -> None:
    folder = review(ACME, tmp_path / "review") / "acme-beta-2026"
    assert sorted(p.name for p in folder.iterdir()) == [
        "PRIVILEGED-counsel-review-side-letter-surgical.docx",
        "PRIVILEGED-counsel-review-term-sheet.docx",
    ]
    rendered = tmp_path / "out" / "acme-beta-2026"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(rendered.parent)]).exit_code == 0
    lock = json.loads((rendered / "clausesmith.lock.json").read_text(encoding="utf-8"))
    clauses = next(d for d in lock["documents"] if d["path"] == "term-sheet.docx")["clauses"]
    comments = list(
        docx.Document(str(folder / "PRIVILEGED-counsel-review-term-sheet.docx")).comments
    )
    texts = [c.text for c in comments]
    assert texts[0].startswith("Findings")
    for clause in clauses:
        expected = f"{clause['id']} v{clause['version']}: {clause['status']}, "
        assert any(t.startswith(expected) for t in texts), expected
    assert len(comments) == len(clauses) + 1
    grant_back = next(t for t in texts if t.startswith("grant_back/"))
    assert "Chosen by playbook rule " in grant_back
    assert "grant_back.scope = collaboration_improvements" in grant_back
    assert {c.author for c in comments} == {"clausesmith: cross-licence-standard playbook v1"}


def test_the_deliverables_carry_no_comment_and_the_copy_is_byte_stable(tmp_path: Path) -> None:
    first = (
        review(ACME, tmp_path / "a")
        / "acme-beta-2026"
        / "PRIVILEGED-counsel-review-term-sheet.docx"
    )
    second = (
        review(ACME, tmp_path / "b")
        / "acme-beta-2026"
        / "PRIVILEGED-counsel-review-term-sheet.docx"
    )
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert "word/comments.xml" in z.namelist()
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 2, 0, 0, 0)}
        assert b'w:date="2026-03-02T00:00:00Z"' in z.read("word/comments.xml")
    rendered = tmp_path / "out" / "acme-beta-2026"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(rendered.parent)]).exit_code == 0
    deliverables = sorted(rendered.glob("*.docx"))
    assert len(deliverables) == 2
    for deliverable in deliverables:
        with zipfile.ZipFile(deliverable) as z:
            assert not [n for n in z.namelist() if "comment" in n]


def test_a_warning_and_an_override_appear_in_the_title_comment(
    variant: Callable[..., Path], tmp_path: Path, counsel_repo: Path
) -> None:
    deal = variant(
        {
            "grant_back": {"exclusivity": "exclusive"},
            "overrides": [
                {
                    "rule": "CL-01-EXCLUSIVE-GRANT-BACK",
                    "approved_by": "Jane Counsel",
                    "date": dt.date(2026, 2, 20),
                    "reason": REASON,
                }
            ],
        }
    )
    folder = review(deal, tmp_path / "review") / "acme-beta-2026"
    title = next(
        iter(docx.Document(str(folder / "PRIVILEGED-counsel-review-term-sheet.docx")).comments)
    ).text
    assert "CL-01-EXCLUSIVE-GRANT-BACK [overridden]" in title
    assert f"Override approved by Jane Counsel on 2026-02-20: {REASON}" in title
    assert "Cites " in title


def test_a_blocked_deal_gets_no_review_copy(variant: Callable[..., Path], tmp_path: Path) -> None:
    deal = variant({"grant_back": {"exclusivity": "exclusive"}})
    result = runner.invoke(cli, ["review", str(deal), "-o", str(tmp_path / "review")])
    assert result.exit_code == 3
    assert "CL-01-EXCLUSIVE-GRANT-BACK" in result.output
    assert not (tmp_path / "review").exists()


@pytest.mark.tools("pandoc")
def test_pandoc_reads_the_comments(tmp_path: Path) -> None:
    copy = (
        review(ACME, tmp_path / "review")
        / "acme-beta-2026"
        / "PRIVILEGED-counsel-review-term-sheet.docx"
    )
    text = subprocess.run(
        ["pandoc", "--track-changes=all", str(copy), "-t", "markdown", "--wrap=none"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = " ".join(text.split())
    assert "grant_back/collaboration_free v3: approved, preferred position" in words


def test_every_page_of_a_review_copy_says_it_is_privileged_and_not_for_sending(
    tmp_path: Path,
) -> None:
    folder = review(ACME, tmp_path / "review") / "acme-beta-2026"
    rendered = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(ACME), "-o", str(rendered)]).exit_code == 0
    deliverables = {p.name for p in (rendered / "acme-beta-2026").glob("*.docx")}
    line = "Privileged and confidential \u2013 counsel review copy \u2013 not for sending"
    for copy in folder.iterdir():
        assert copy.name.startswith("PRIVILEGED-counsel-review-")
        assert copy.name not in deliverables
        with zipfile.ZipFile(copy) as z:
            headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
            footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        assert headers and all(line in h for h in headers), copy.name
        assert footers and all(line in f for f in footers), copy.name
        assert all('string="PRIVILEGED \u2013 NOT FOR SENDING"' in h for h in headers), copy.name
        title = docx.Document(str(copy)).core_properties.title
        assert title.startswith(line), title
    for deliverable in (rendered / "acme-beta-2026").glob("*.docx"):
        with zipfile.ZipFile(deliverable) as z:
            assert not [n for n in z.namelist() if line in z.read(n).decode("utf-8", "replace")]
