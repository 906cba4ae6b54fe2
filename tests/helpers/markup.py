"""Our rendered term sheet, the counterparty's raised rate, and `clausesmith markup` run on
their file: shared by the markup tests and the output-trust test of markup's redline."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli

runner = CliRunner()

RATE = ("a balancing royalty of 2%", "a balancing royalty of 2.5%")


def ours(acme_out: Path) -> bytes:
    return (acme_out / "term-sheet.docx").read_bytes()


def run(tmp_path: Path, data: bytes, against: Path, *extra: str) -> tuple[int, str]:
    theirs = tmp_path / "theirs.docx"
    theirs.write_bytes(data)
    result = runner.invoke(cli, ["markup", str(theirs), "--against", str(against), *extra])
    return result.exit_code, result.output
