"""A 40-page agreement redlined: pandoc accepts the redline to NEW and rejects
it to OLD, each change a counterparty made shows where it is (words within an edited
paragraph; moved, inserted and deleted paragraphs whole), and the bytes do not depend on
the process. The speed is the benchmark's to measure; here only a hang guard."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from agreement import NAME, Agreement, Changes, agreement
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.tools.redline import Rendering, redline_document
from clausesmith.write.lockfile import Lock
from helpers.pandoc_words import pandoc_words
from helpers.word_revisions import read, redlined_body, side, table

runner = CliRunner()
HANG_SECONDS = 60.0  # a hang guard: the redline takes about a tenth of a second


@pytest.fixture(scope="module")
def long() -> Agreement:
    made = agreement()
    assert 16_000 <= made.words <= 20_000
    return made


def unfingerprinted(side: Rendering) -> Rendering:
    """The same document without clause fingerprints: aligned by its paragraphs' text."""
    return Rendering(side.label, side.files, Lock((), None, None))


def redline(long: Agreement, fingerprints: bool, folder: Path) -> Path:
    old, new = (long.old, long.new) if fingerprints else map(unfingerprinted, (long.old, long.new))
    started = time.perf_counter()
    data = redline_document(old, new, NAME)
    assert time.perf_counter() - started < HANG_SECONDS
    path = folder / f"redline-{fingerprints}.docx"
    path.write_bytes(data)
    return path


@pytest.mark.tools("pandoc")
@pytest.mark.parametrize("fingerprints", [True, False], ids=["by-clause", "by-text"])
def test_pandoc_accepts_a_40_page_redline_to_new_and_rejects_it_to_old(
    long: Agreement, fingerprints: bool, tmp_path: Path
) -> None:
    red = redline(long, fingerprints, tmp_path)
    (tmp_path / "old.docx").write_bytes(long.old.files[NAME])
    (tmp_path / "new.docx").write_bytes(long.new.files[NAME])
    with ThreadPoolExecutor(4) as pool:
        accepted, rejected, new_words, old_words = pool.map(
            lambda a: pandoc_words(*a),
            [
                (red, "accept"),
                (red, "reject"),
                (tmp_path / "new.docx", "accept"),
                (tmp_path / "old.docx", "accept"),
            ],
        )
    assert accepted == new_words
    assert rejected == old_words
    assert accepted != rejected


@pytest.mark.parametrize("fingerprints", [True, False], ids=["by-clause", "by-text"])
def test_each_change_to_a_40_page_agreement_shows_where_it_is(
    long: Agreement, fingerprints: bool, tmp_path: Path
) -> None:
    text = runner.invoke(cli, ["totext", str(redline(long, fingerprints, tmp_path))]).output
    lines = text.splitlines()
    whole_deleted = [m[1] for line in lines if (m := re.fullmatch(r"\[-(.*)-\]", line))]
    whole_inserted = [m[1] for line in lines if (m := re.fullmatch(r"\{\+(.*)\+\}", line))]
    changes = Changes(*([spaced(t) for t in texts] for texts in vars(long.changes).values()))
    # an edited paragraph: the words the counterparty changed are marked, the rest is not;
    # only a paragraph of a few words is too changed to read as edited (redline.SIMILAR)
    by_old = {rejected(line): line for line in lines}
    replaced = []
    for text in changes.edited:
        line = by_old.get(text)
        if line is not None and not line.startswith(("[-", "{+")):
            assert "{+ This is subject to applicable law.+}" in line or "{+Two+}" in line
            continue
        assert len(text.split()) <= 4, text
        replaced.append(text)
    assert len(replaced) < len(changes.edited) / 4
    assert "Part [-2-]{+Two+}" in lines
    # a moved paragraph is deleted where it was and inserted where it is, each whole
    for moved in changes.moved:
        assert whole_deleted.count(moved) == 1 and whole_inserted.count(moved) == 1, moved
    # a deleted or inserted paragraph is so whole; nothing else churns
    assert sorted(whole_deleted) == sorted(changes.deleted + changes.moved + replaced)
    assert len(whole_inserted) == len(changes.inserted + changes.moved + replaced)
    assert set(changes.inserted + changes.moved) <= set(whole_inserted)


def spaced(text: str) -> str:
    """Text as `totext` prints it: a tab as a space."""
    return text.replace("\t", " ")


def rejected(line: str) -> str:
    """A line of `totext` as OLD had it: insertions left out, deletions kept."""
    return re.sub(r"\[-(.*?)-\]", r"\1", re.sub(r"\{\+.*?\+\}", "", line))


HASH_RUN = """
import sys
sys.path.insert(0, sys.argv[1])
from agreement import NAME, agreement
from clausesmith.tools.redline import redline_document
made = agreement()
sys.stdout.buffer.write(redline_document(made.old, made.new, NAME))
"""


def test_a_40_page_redline_has_the_same_bytes_in_every_process(long: Agreement) -> None:
    """Python salts its string hashes per process: no set or hash order may reach the file."""
    benchmarks = str(Path(__file__).resolve().parents[2] / "benchmarks")
    outputs = [
        subprocess.run(
            [sys.executable, "-c", HASH_RUN, benchmarks],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=HANG_SECONDS * 3,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1] == redline_document(long.old, long.new, NAME)


def test_a_long_run_of_changed_paragraphs_and_a_table_redlines_to_new_and_old() -> None:
    """Every paragraph renumbered and one inserted at the start: one run of 250 replaced
    blocks, past redline.MAX_PAIRING, so paired one with one; a table there meets a
    paragraph, and each is then deleted or inserted whole, never diffed against the other."""
    old = [f"{n}. The licensee pays the royalty." for n in range(250)]
    new = ["A new first paragraph."] + [f"{n}.1 The licensee pays the royalty." for n in range(250)]
    old.insert(100, table("Royalty", "2%"))
    new.insert(101, table("Royalty rate", "2.5%"))  # one on: across from a paragraph
    body = redlined_body(side("old", old, 0), side("new", new, 0))
    texts = [t for t in new if not t.startswith("<w:tbl")]
    assert read(body, accept=True) == [*texts[:101], "Royalty rate", "2.5%", *texts[101:]]
    texts = [t for t in old if not t.startswith("<w:tbl")]
    assert read(body, accept=False) == [*texts[:100], "Royalty", "2%", *texts[100:]]
