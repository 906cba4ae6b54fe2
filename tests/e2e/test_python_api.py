"""The public Python API that CI tools call (README, "Python API")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import clausesmith
from helpers.deals import ACME


def test_a_deal_renders_to_bytes_and_writes_through_the_api(tmp_path: Path) -> None:
    inputs = clausesmith.Inputs(clausesmith.Sources.resolve())
    deal = clausesmith.load_deal(ACME, inputs)
    assert deal.deal.id == "acme-beta-2026"
    plan = clausesmith.plan_deal(ACME, inputs)
    rendered = clausesmith.render_plan(plan, inputs, out_dir=tmp_path / "deal")
    assert set(rendered.files) == {
        "term-sheet.docx",
        "term-sheet.md",
        "side-letter-surgical.docx",
        "side-letter-surgical.md",
        "clausesmith.lock.json",
    }
    assert b"Acme" in rendered.files["term-sheet.md"]
    written = clausesmith.write_deal(rendered)
    assert sorted(p.name for p in written) == sorted(rendered.files)
    assert clausesmith.stale_files(rendered) == []


def test_process_reports_an_outcome_and_never_raises(tmp_path: Path) -> None:
    inputs = clausesmith.Inputs(clausesmith.Sources.resolve())
    missing = tmp_path / "nope.yaml"
    outcome = clausesmith.process(missing, clausesmith.Options("validate"), inputs)
    assert (outcome.status, outcome.exit_code) == ("invalid_input", 1)
    assert str(missing) in outcome.message
    good = clausesmith.process(ACME, clausesmith.Options("check", tmp_path / "x"), inputs)
    assert (good.status, good.exit_code, good.deal_id) == ("stale", 4, "acme-beta-2026")


def test_errors_carry_their_exit_code_and_status() -> None:
    assert (clausesmith.InvalidInput.exit_code, clausesmith.InvalidInput.status) == (
        1,
        "invalid_input",
    )
    assert (clausesmith.Blocked.exit_code, clausesmith.Blocked.status) == (3, "blocked")
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = clausesmith.nothing  # type: ignore[attr-defined]


def test_importing_the_package_loads_no_pipeline() -> None:
    """`import clausesmith` must stay cheap: the CLI's --help and the cache import it."""
    code = "import sys, clausesmith; print(sorted(m for m in sys.modules if 'docx' in m))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
