"""The bad-input corpus: every file in tests/deal/bad_inputs/ gives exactly its expected output and
exit code, fast and in bounded memory, and never a traceback."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.bad_inputs import CORPUS, EXPECTED, GENERATED
from helpers.deals import MINIMAL

# A hang guard, not a speed target (the benchmark measures speed): each bad input is answered
# in well under a second alone, and a bound this loose still catches a parser that hangs or
# goes quadratic on it, without failing on a loaded machine.
MAX_SECONDS = 30.0
MAX_PEAK_BYTES = 64 * 1024 * 1024  # Python allocations while handling one input

runner = CliRunner()


def test_the_corpus_has_at_least_50_bad_inputs_each_with_an_expectation() -> None:
    files = {p.stem for p in CORPUS.glob("*.yaml")} - {"expected"}
    committed = {k for k, v in EXPECTED.items() if not v.get("generated")}
    assert files == committed
    assert set(GENERATED) == set(EXPECTED) - committed
    assert len(EXPECTED) >= 50


@pytest.fixture(scope="module")
def warm_library() -> None:
    """validate plans a valid deal and renders its clauses' text (as render would): the first
    run of a session compiles the library into the compile cache. Done once, untimed, so
    the limits below measure the handling of each input, not a cold cache."""
    assert runner.invoke(cli, ["validate", str(MINIMAL)]).exit_code == 0


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.usefixtures("warm_library")
def test_bad_input_gives_its_exact_message_and_exit_code(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = EXPECTED[name]
    path = GENERATED[name](tmp_path, monkeypatch) if expected.get("generated") else None
    path = path or CORPUS / f"{name}.yaml"
    # Memory is traced for the generated (big) inputs only: tracing triples the run time.
    trace = bool(expected.get("generated"))
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        result = runner.invoke(cli, ["validate", str(path)])
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if trace:
            tracemalloc.stop()
    output = result.output
    if result.exit_code == 0:  # a valid deal: its line (its notes follow it)
        output = output.splitlines(keepends=True)[0]
    assert output == expected["output"].replace("{file}", str(path))
    assert result.exit_code == expected["exit"]
    assert "Traceback" not in result.output
    assert seconds < MAX_SECONDS
    assert peak < MAX_PEAK_BYTES
