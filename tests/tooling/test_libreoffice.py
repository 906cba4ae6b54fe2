"""Every kind of document opens in LibreOffice: the reference deal's term sheet and side letter
and the minimal deal's term sheet convert to PDF with the expected pages and text.

LibreOffice and poppler-utils are needed: without them these tests are skipped with the reason
shown, unless CLAUSESMITH_REQUIRE_TOOLS=1 (set by `.ci/run`, which installs them) makes them
fail, so a green CI run always means the documents were opened."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clausesmith import pipeline
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from helpers.deals import ACME, MINIMAL

# (source deal, output file, pages at least, pages at most, text the PDF must hold)
SAMPLES = [
    (ACME, "term-sheet.docx", 3, 20, ["Acme Robotics, Inc.", "Annex A: Patent Schedule"]),
    (ACME, "side-letter-surgical.docx", 1, 4, ["Re: Patent Cross-Licence Term Sheet", "prevail"]),
    (MINIMAL, "term-sheet.docx", 3, 20, ["Northwind Semiconductor Corp.", "Southgate"]),
]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("lo")
    inputs = Inputs(Sources.resolve())
    docs = []
    for deal, name, *_ in SAMPLES:
        folder = work / deal.stem
        if not folder.exists():
            pipeline.write_deal(render_deal(deal, inputs, out_dir=folder))
        docs.append(shutil.copy(folder / name, work / f"{deal.stem}-{name}"))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "pdf"),
            *map(str, docs),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return work / "pdf"


@pytest.mark.tools("soffice", "pdfinfo", "pdftotext")
@pytest.mark.parametrize(
    ("deal", "name", "least", "most", "phrases"),
    SAMPLES,
    ids=[f"{d.stem}-{n}" for d, n, *_ in SAMPLES],
)
def test_document_converts_to_pdf_with_its_pages_and_text(
    pdfs: Path, deal: Path, name: str, least: int, most: int, phrases: list[str]
) -> None:
    pdf = pdfs / f"{deal.stem}-{Path(name).stem}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    pages = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.M)
    assert pages is not None, info.stdout
    assert least <= int(pages.group(1)) <= most
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for phrase in phrases:
        assert phrase in flat
