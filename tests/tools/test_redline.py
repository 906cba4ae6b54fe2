"""Redlines read back by independent readers: pandoc accepts and rejects, LibreOffice opens."""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith import pipeline
from clausesmith.cli.main import cli
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from clausesmith.tools.redline import Revision, write_redline
from helpers.deals import ACME
from helpers.pandoc_words import pandoc_words

runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_pandoc = pytest.mark.tools("pandoc")


INPUTS = Inputs(Sources.resolve())  # the library loaded once for the whole module


def render(deal: Path, out: Path) -> Path:
    pipeline.write_deal(render_deal(deal, INPUTS, out_dir=out))
    return out


def tracked(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def royalty_up(data: dict[str, Any]) -> None:
    data["royalties"]["rate_pct"] = 2.5


def collaboration(data: dict[str, Any]) -> None:
    """A grant-back exists only for a described collaboration."""
    data["grant_back"]["collaboration"] = "joint development of a gripper"


def non_severable_grant_back(data: dict[str, Any]) -> None:
    collaboration(data)
    data["grant_back"]["scope"] = "non_severable_improvements"


def clean_team(data: dict[str, Any]) -> None:
    data["governance"]["clean_team"] = True


def entry_notice(data: dict[str, Any]) -> None:
    clean_team(data)  # between competitors, a notice of entry goes only to a clean team
    data["side_letters"][0]["terms"]["notice_before_entry_months"] = 6


def rename_beta(data: dict[str, Any]) -> None:
    data["parties"][1]["name"] = "Beta Automation Holding AG"


def unchanged(data: dict[str, Any]) -> None:
    pass


# (edit making OLD, edit making NEW, document, words only OLD has, words only NEW has)
CASES = {
    "royalty-rate": (unchanged, royalty_up, "term-sheet", "2%", "2.5%"),
    "grant-back-scope": (
        collaboration,
        non_severable_grant_back,
        "term-sheet",
        "Collaboration Improvements it owns",
        "“Non-Severable Improvement” means",
    ),
    "side-letter-paragraph": (
        clean_team,
        entry_notice,
        "side-letter-surgical",
        None,
        "six (6) months",
    ),
    "party-name": (unchanged, rename_beta, "term-sheet", "GmbH", "Holding AG"),
}


@pytest.fixture
def pair(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> Callable[[str], tuple[Path, Path]]:
    def make(case: str) -> tuple[Path, Path]:
        old_edit, new_edit = CASES[case][:2]
        old, new = copy.deepcopy(acme_data), copy.deepcopy(acme_data)
        old_edit(old)
        new_edit(new)
        return write_deal(old, "old.yaml"), write_deal(new, "new.yaml")

    return make


@needs_pandoc
@pytest.mark.parametrize("case", list(CASES))
def test_pandoc_accepting_gives_new_and_rejecting_gives_old(
    case: str, pair: Callable[[str], tuple[Path, Path]], tmp_path: Path
) -> None:
    old_spec, new_spec = pair(case)
    document, only_old, only_new = CASES[case][2:]
    old = render(old_spec, tmp_path / "old")
    new = render(new_spec, tmp_path / "new")
    red = tmp_path / "redline.docx"
    when = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)
    assert write_redline(old, new, red, INPUTS, document, Revision("A. Counsel", when)) == [red]

    with ThreadPoolExecutor(4) as pool:  # four pandoc runs at once
        accepted, rejected, new_words, old_words = pool.map(
            lambda a: pandoc_words(*a),
            [
                (red, "accept"),
                (red, "reject"),
                (new / f"{document}.docx", "accept"),
                (old / f"{document}.docx", "accept"),
            ],
        )
    assert accepted == new_words
    assert rejected == old_words
    if only_old:
        assert only_old in " ".join(rejected) and only_old not in " ".join(accepted)
    assert only_new in " ".join(accepted) and only_new not in " ".join(rejected)
    xml = tracked(red)
    assert 'w:author="A. Counsel" w:date="2026-05-04T09:30:00Z"' in xml


def test_a_swapped_clause_is_deleted_and_inserted_whole(
    pair: Callable[[str], tuple[Path, Path]], tmp_path: Path
) -> None:
    old, new = pair("grant-back-scope")
    red = tmp_path / "redline.docx"
    assert runner.invoke(cli, ["redline", str(old), str(new), "-o", str(red)]).exit_code == 0
    text = runner.invoke(cli, ["totext", str(red)]).output
    [row] = [line for line in text.splitlines() if line.startswith("| 16. Grant-Back | ")]
    assert "[-Under the Agreement, each party will grant to the other party, on a request" in row
    # every old paragraph of the slot deleted whole, then every new one inserted whole
    cells = row.removeprefix("| 16. Grant-Back | ").removesuffix(" |").split(" / ")
    # The head also holds the paragraphs on blocking and settlements: the same clauses in
    # both, edited word by word, not swapped.
    ours = ("Blocking improvements.", "Invalidity and settlements.")
    cells = [c for c in cells if not any(label in c for label in ours)]
    deleted = [c for c in cells if c.startswith("[-") and c.endswith("-]")]
    inserted = [c for c in cells if c.startswith("{+") and c.endswith("+}")]
    assert len(deleted) + len(inserted) == len(cells)
    assert deleted and inserted


def test_the_same_redline_twice_gives_the_same_bytes(
    pair: Callable[[str], tuple[Path, Path]], tmp_path: Path
) -> None:
    old, new = pair("royalty-rate")
    first, second, dated = tmp_path / "a" / "r.docx", tmp_path / "b" / "r.docx", tmp_path / "d.docx"
    for out in (first, second):
        assert runner.invoke(cli, ["redline", str(old), str(new), "-o", str(out)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert 'w:author="clausesmith" w:date="2026-03-02T00:00:00Z"' in tracked(first)
    args = ["redline", str(old), str(new), "-o", str(dated), "--author", "A. Counsel"]
    result = runner.invoke(cli, [*args, "--date", "2026-05-04"])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {dated}\n"
    assert 'w:author="A. Counsel" w:date="2026-05-04T00:00:00Z"' in tracked(dated)


def test_a_folder_output_gets_every_document(
    pair: Callable[[str], tuple[Path, Path]], tmp_path: Path
) -> None:
    old, new = pair("side-letter-paragraph")
    out = tmp_path / "redlines"
    result = runner.invoke(cli, ["redline", str(old), str(new), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote {out / 'term-sheet.redline.docx'}\n"
        f"wrote {out / 'side-letter-surgical.redline.docx'}\n"
    )
    # The letter's new notice, and the Clean Team head now naming the notices it receives.
    assert "<w:ins " in tracked(out / "side-letter-surgical.redline.docx")
    assert "notices of entry" in tracked(out / "term-sheet.redline.docx")


def test_a_folder_without_a_lock_and_an_unknown_document_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "r.docx"
    result = runner.invoke(cli, ["redline", str(empty), str(ACME), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        f"{empty}: has no readable clausesmith.lock.json; render the deal into it\n"
    )
    result = runner.invoke(
        cli, ["redline", str(ACME), str(ACME), "-o", str(out), "--document", "x"]
    )
    assert result.exit_code == 2
    assert result.output == (
        f"{ACME}: has no document x.docx (it has: term-sheet.docx, side-letter-surgical.docx)\n"
    )
    assert not out.exists()


@pytest.mark.tools("soffice")
def test_libreoffice_shows_old_and_new_rate_as_changes(
    pair: Callable[[str], tuple[Path, Path]], tmp_path: Path
) -> None:
    old, new = pair("royalty-rate")
    red = tmp_path / "royalty.docx"
    started = time.perf_counter()
    assert runner.invoke(cli, ["redline", str(old), str(new), "-o", str(red)]).exit_code == 0
    assert time.perf_counter() - started < 20
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(
        [
            "soffice",
            profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(red),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "royalty.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # LibreOffice prints a tracked change inline: the struck-out 2 then the underlined 2.5
    assert "a balancing royalty of 22.5% of Net" in " ".join(text.split())
