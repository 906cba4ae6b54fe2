"""Rendered documents read back by independent readers: python-docx, LibreOffice, golden twins."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from clausesmith.errors import InvalidInput
from clausesmith.pipeline import Inputs, render_deal, write_deal
from clausesmith.resources import Sources
from helpers.deals import ACME, MINIMAL, ROOT

GOLDEN = ROOT / "tests" / "e2e" / "golden"
HEADS = [
    "Parties",
    "Licensed Patents",
    "Capture Period",
    "Licensed Field",
    "Excluded Field",
    "Territory",
    "Term and Renewal",
    "Grant-Back",
    "Royalties",
    "Royalty Cap",
    "Most-Favoured Licensee",
    "Pre-existing Licences",
    "Right to Challenge",
    "Prosecution and Maintenance",
    "Enforcement",
    "Audit",
    "Governance",
    "Confidentiality",
    "Assignment and Change of Control",
    "Dispute Resolution",
    "Governing Law",
    "Costs",
]


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, as python-docx reads them."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def first_column(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(row.cells[0].text for t in document.tables for row in t.rows)


def test_term_sheet_has_every_head_of_terms_and_both_full_names(acme_out: Path) -> None:
    heads = first_column(acme_out / "term-sheet.docx")
    for head in HEADS:
        assert head in heads, head
    text = docx_text(acme_out / "term-sheet.docx")
    assert "Acme Robotics, Inc." in text
    assert "Beta Automation GmbH" in text
    assert "2 March 2026" in text
    assert "EUR 1,500,000" in text


def test_side_letter_incorporates_and_prevails(acme_out: Path) -> None:
    text = docx_text(acme_out / "side-letter-surgical.docx")
    assert "Acme Robotics, Inc." in text and "Beta Automation GmbH" in text
    assert "Re: Patent Cross-Licence Term Sheet dated 2 March 2026" in text
    # what every side letter says of itself, as the letter says it
    assert (
        "The parties will list this letter in the entire-agreement clause of the Agreement and "
        "incorporate it into the Agreement" in text
    )
    assert "The Term Sheet makes legally binding only the sections headed" in text
    assert "will be resolved as provided under “Governing Law” in the Term Sheet" in text
    assert "Terms defined in this letter have their defined meanings in this letter only." in text
    assert "this letter prevails" in text
    assert "Agreed and accepted" not in text
    assert "We agree to the terms of this letter." in text


@pytest.mark.tools("soffice")
def test_libreoffice_converts_the_term_sheet_and_finds_the_parties(
    acme_out: Path, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(acme_out / "term-sheet.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "term-sheet.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Acme Robotics, Inc." in text
    assert "Beta Automation GmbH" in text


@pytest.mark.parametrize(
    ("deal", "folder"), [(ACME, "acme-beta-2026"), (MINIMAL, "north-south-2026")]
)
def test_text_twins_match_the_golden_files(deal: Path, folder: str, tmp_path: Path) -> None:
    """Update with: CLAUSESMITH_UPDATE_GOLDEN=1 pytest tests/e2e/test_documents.py"""
    rendered = render_deal(deal, Inputs(Sources.resolve()), out_dir=tmp_path)
    twins = {n: d for n, d in rendered.files.items() if n.endswith(".md")}
    golden = GOLDEN / folder
    if os.environ.get("CLAUSESMITH_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        golden.mkdir(parents=True)
        for name, data in twins.items():
            (golden / name).write_bytes(data)
    assert sorted(twins) == sorted(p.name for p in golden.iterdir())
    for name, data in twins.items():
        assert data.decode("utf-8") == (golden / name).read_text(encoding="utf-8"), name


NASTY = 'Smith & Söhne <Holdings> "Ltd" — 株式会社 Ōta'


def test_names_with_markup_characters_and_other_scripts_survive(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    deal = variant(
        {
            "parties": [
                {"key": "acme", "name": NASTY, "short_name": "Smith & Co", "jurisdiction": "JP"},
                {
                    "key": "beta",
                    "name": "Beta Automation GmbH",
                    "short_name": "Beta",
                    "jurisdiction": "DE",
                },
            ]
        }
    )
    rendered = render_deal(deal, Inputs(Sources.resolve()), out_dir=tmp_path / "o")
    write_deal(rendered)
    text = docx_text(tmp_path / "o" / "term-sheet.docx")
    assert NASTY in text
    assert "Beta Automation GmbH" in text  # nothing after the nasty name was lost
    twin = (tmp_path / "o" / "term-sheet.md").read_text(encoding="utf-8")
    assert NASTY.replace("<", "\\<").replace(">", "\\>") in twin  # Markdown-escaped


def test_a_clause_reading_a_missing_value_names_its_file_and_path(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(Sources.resolve().library, library)
    broken = next(library.rglob("costs*.md"))
    text = broken.read_text(encoding="utf-8")
    broken.write_text(
        text.rstrip("\n") + "\n\nPaid by {{ deal.payer_of_costs }}.\n", encoding="utf-8"
    )
    line = len(broken.read_text(encoding="utf-8").splitlines())
    with pytest.raises(InvalidInput) as caught:
        render_deal(ACME, Inputs(Sources.resolve(library=library)), out_dir=tmp_path / "o")
    assert str(caught.value) == (
        f"{broken}:{line}: text reads 'deal.payer_of_costs', which a deal does not have"
    )
    assert not (tmp_path / "o").exists()
