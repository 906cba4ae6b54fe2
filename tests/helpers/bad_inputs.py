"""The bad-input corpus: the committed files in tests/deal/bad_inputs/, their expected output
(expected.yaml), and the inputs too big or too odd to commit, made on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausesmith.inputs import yamlio
from helpers.deals import MINIMAL

CORPUS = Path(__file__).resolve().parents[1] / "deal" / "bad_inputs"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (CORPUS / "expected.yaml").read_text(encoding="utf-8")
)
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
        _minimal().replace("Patent Cross-License Term Sheet", "x" * 10 * 1024 * 1024).encode(),
    ),
    "generated-long-title-1mb": lambda tmp, _: _write(
        tmp / "long.yaml",
        _minimal().replace("Patent Cross-License Term Sheet", "x" * 1_000_000).encode(),
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
