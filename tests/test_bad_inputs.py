"""The bad-input corpus: every file in tests/bad_inputs/ gives exactly its expected output and
exit code, fast and in bounded memory, and never a traceback."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.deal import yamlio
from conftest import MINIMAL

CORPUS = Path(__file__).parent / "bad_inputs"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (CORPUS / "expected.yaml").read_text(encoding="utf-8")
)
MAX_SECONDS = 5.0
MAX_PEAK_BYTES = 64 * 1024 * 1024  # Python allocations while handling one input

runner = CliRunner()
Make = Callable[[Path, pytest.MonkeyPatch], Path]


def _minimal() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _unreadable(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = _write(tmp / "locked.yaml", _minimal().encode())
    path.chmod(0)
    real = yamlio.read_bounded

    def refuse(file: Path, *args: Any, **kwargs: Any) -> bytes:  # root reads mode-000 files,
        if file == path:  # so refuse the way Linux does
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(yamlio, "read_bounded", refuse)
    return path


def _symlink(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


GENERATED: dict[str, Make] = {
    "generated-empty-file": lambda tmp, _: _write(tmp / "empty.yaml", b""),
    "generated-symlink-to-dev-zero": lambda tmp, _: _symlink(tmp / "zero.yaml", "/dev/zero"),
    "generated-huge-string-10mb": lambda tmp, _: _write(
        tmp / "huge.yaml",
        _minimal().replace("Patent Cross-Licence Term Sheet", "x" * 10 * 1024 * 1024).encode(),
    ),
    "generated-long-title-1mb": lambda tmp, _: _write(
        tmp / "long.yaml",
        _minimal().replace("Patent Cross-Licence Term Sheet", "x" * 1_000_000).encode(),
    ),
    "generated-many-keys": lambda tmp, _: _write(
        tmp / "many.yaml", "".join(f"k{i}: 1\n" for i in range(100_000)).encode()
    ),
    "generated-deep-flow-nesting": lambda tmp, _: _write(
        tmp / "deep.yaml", b"notes: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    ),
    "generated-non-utf8": lambda tmp, _: _write(
        tmp / "latin1.yaml",
        _minimal().replace("Southgate Devices Ltd", "Südtor Devices Ltd").encode("latin-1"),
    ),
    "generated-utf16": lambda tmp, _: _write(tmp / "utf16.yaml", _minimal().encode("utf-16")),
    "generated-bom-with-typo": lambda tmp, _: _write(
        tmp / "bom-typo.yaml",
        b"\xef\xbb\xbf" + _minimal().replace("governing_law", "governing_lw").encode(),
    ),
    "generated-bom-valid": lambda tmp, _: _write(
        tmp / "bom.yaml", b"\xef\xbb\xbf" + _minimal().encode()
    ),
    "generated-directory": lambda tmp, _: tmp,
    "generated-missing-file": lambda tmp, _: tmp / "no-such-deal.yaml",
    "generated-unreadable-file": _unreadable,
}


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
    if result.exit_code == 0:  # a valid deal: its line (its notes and findings follow it)
        output = output.splitlines(keepends=True)[0]
    assert output == expected["output"].replace("{file}", str(path))
    assert result.exit_code == expected["exit"]
    assert "Traceback" not in result.output
    assert seconds < MAX_SECONDS
    assert peak < MAX_PEAK_BYTES
