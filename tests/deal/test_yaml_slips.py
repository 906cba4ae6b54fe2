"""YAML slips are told in a person's words at the line of the slip: no space after a colon,
a line indented unlike its siblings, a section header left commented out."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import MINIMAL

runner = CliRunner()
BASE = MINIMAL.read_text(encoding="utf-8")


def validate(tmp_path: Path, text: str) -> str:
    path = tmp_path / "deal.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    return result.output.replace(str(path), "deal.yaml")


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


SECTION = "royalties:\n  structure: running\n  rate_pct: 1.5\n  payer: southgate\n"


@pytest.mark.parametrize(
    ("slip", "bad_line", "column", "message"),
    [
        (
            SECTION.replace("rate_pct: 1.5", "rate_pct:1.5"),
            "  rate_pct:1.5",
            12,
            "put a space after the colon: 'rate_pct: 1.5'",
        ),
        (
            SECTION.replace("  rate_pct: 1.5", "   rate_pct: 1.5"),
            "   rate_pct: 1.5",
            4,
            "this line is indented 3 spaces; its siblings use 2: indent it 2 spaces",
        ),
        (
            SECTION.replace("royalties:", "# royalties:"),
            "  structure: running",
            3,
            "this line belongs under 'royalties:', which line {header} leaves commented out: "
            "uncomment line {header} too (delete its '#'), so that it reads 'royalties:'",
        ),
    ],
    ids=["no-space-after-colon", "three-space-indent", "commented-out-header"],
)
def test_a_slip_is_told_at_its_own_line(
    tmp_path: Path, slip: str, bad_line: str, column: int, message: str
) -> None:
    text = BASE.replace("clausesmith: 1\n", "clausesmith: 1\n" + slip, 1)
    assert text != BASE
    line = line_of(text, bad_line)
    header = line - 1
    output = validate(tmp_path, text)
    assert output == f"deal.yaml:{line}:{column}: {message.format(header=header)}\n"


def test_a_key_value_with_no_space_that_yaml_reads_as_text_is_still_a_slip(
    tmp_path: Path,
) -> None:
    text = BASE.replace("clausesmith: 1\n", "clausesmith: 1\naudit:\n  years:7\n", 1)
    output = validate(tmp_path, text)
    assert (
        output
        == f"deal.yaml:{line_of(text, '  years:7')}:9: put a space after the colon: 'years: 7'\n"
    )


def test_siblings_that_disagree_point_at_the_later_line(tmp_path: Path) -> None:
    text = BASE.replace(
        "clausesmith: 1\n", "clausesmith: 1\nterm:\n   years: 7\n  renewal: none\n", 1
    )
    output = validate(tmp_path, text)
    line = line_of(text, "  renewal: none")
    assert output == (
        f"deal.yaml:{line}:3: this line is indented 2 spaces; its siblings above it use 3: "
        "indent them alike\n"
    )


def test_the_shipped_examples_and_a_new_deal_have_no_slip(tmp_path: Path) -> None:
    from clausesmith.inputs.yamlslips import slips

    for example in MINIMAL.parent.glob("*.yaml"):
        assert slips(example.read_text(encoding="utf-8")) == [], example
    deal = tmp_path / "new.yaml"
    result = runner.invoke(
        cli,
        ["new", str(deal), "--id", "a-b", "--governing-law", "germany", "--party", "a", "A AG",
         "DE", "--party", "b", "B SA", "FR", "--field", "robots", "--patent", "a", "EP1", "Arm"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert slips(deal.read_text(encoding="utf-8")) == []
