"""Two deals of one run sharing an id are found by a cheap read of each id (the YAML events up
to `deal.id`), and a run is refused only over what the full parse of both files confirms:
the cheap read answers as the full one for every deal the repository holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.deal import load, peek
from helpers.console import without_notes
from helpers.deals import ACME, ROOT

runner = CliRunner()
DEALS = sorted(
    [*ROOT.joinpath("examples").rglob("*.yaml"), *ROOT.joinpath("tests").rglob("*.yaml")]
)


@pytest.mark.parametrize("path", DEALS, ids=[str(p.relative_to(ROOT)) for p in DEALS])
def test_the_cheap_read_gives_the_full_reads_id_for_every_file_the_full_read_accepts(
    path: Path,
) -> None:
    full = load.peek_id(path)
    if full is not None:
        assert peek.peek_id(path) == full


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def validate(*paths: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["validate", *map(str, paths)])
    return result.exit_code, without_notes(result.output)


@pytest.mark.parametrize(
    ("written", "line", "column"),
    [
        ("  id: acme-beta-2026", 7, 7),
        ('  id: "acme-beta-2026"', 7, 7),
        ("  id: 'acme-beta-2026'   # quoted", 7, 7),
        ("  id:\n    acme-beta-2026", 8, 5),
    ],
    ids=["plain", "double-quoted", "single-quoted", "on-the-next-line"],
)
def test_an_id_however_written_is_found_shared(
    tmp_path: Path, written: str, line: int, column: int
) -> None:
    text = ACME.read_text(encoding="utf-8")
    line_of_id = next(x for x in text.splitlines(keepends=True) if x.startswith("  id: "))
    first = write(tmp_path, "a.yaml", text)
    second = write(tmp_path, "b.yaml", text.replace(line_of_id, written + "\n", 1))
    code, output = validate(first, second)
    assert (code, output) == (
        1,
        f"{second}:{line}:{column}: deal.id: 'acme-beta-2026' is also the id of {first}:7; "
        "each deal needs its own id (it names the output folder); nothing was rendered\n",
    )


def test_a_file_the_full_read_refuses_is_reported_by_its_own_error_not_as_a_clash(
    tmp_path: Path,
) -> None:
    # The cheap read stops at the id, so it sees the id of a file whose second `deal:`
    # section makes it invalid; the full read of the suspected pair sees the duplicate.
    text = ACME.read_text(encoding="utf-8")
    first = write(tmp_path, "a.yaml", text)
    second = write(tmp_path, "b.yaml", text + "deal:\n  id: other\n")
    code, output = validate(first, second)
    last = len(text.splitlines()) + 1
    assert (code, output) == (
        1,
        f"{first}: valid (acme-beta-2026)\n"
        f"{second}:{last}:1: deal: duplicate key (first given on line 6); keep one of them\n"
        "2 deals: 1 invalid, 1 valid; exit code 1\n",
    )
