"""A broken clause at render names the key it reads and its file; explain shows values as
the deal file writes them."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.resources import Sources
from helpers.deals import ACME

runner = CliRunner()


def test_clause_reading_a_missing_key_names_it_and_its_file(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(Sources.resolve().library, library)
    clause = library / "royalties" / "cap_annual.md"
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.replace("royalties.cap.amount |", "royalties.cap.amountt |"))
    line = text.split("royalties.cap.amount |")[0].count("\n") + 1
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(ACME), "-o", str(out), "--library", str(library)])
    assert result.exit_code == 1
    assert result.output == (
        f"{clause}:{line}: text reads 'royalties.cap.amountt', which a deal does not have "
        "(did you mean 'royalties.cap.amount'?)\n"
    )
    assert not out.exists()


def test_explain_prints_values_as_the_deal_writes_them() -> None:
    result = runner.invoke(cli, ["explain", str(ACME)])
    assert result.exit_code == 0, result.output
    for written in (
        "royalties.cap={amount: 1500000, period: annual}",
        "dispute_resolution.mediation={provider: WIPO, days: 60}",
        "carve_outs.pre_existing_licences=[{owner: acme, licensee: Gamma Medical Systems Ltd, "
        "agreement: Patent Licence Agreement, dated: 2019-05-14}]",
        "royalties.scenarios={worst: 8000000, base: 40000000, best: 95000000}",
    ):
        assert written in result.output
    for python in ("Decimal(", "datetime.date(", "Mediation(", "Cap(", "SensitiveField("):
        assert python not in result.output
