"""Measure each bad input in its own process: wall time and peak resident memory.

    .venv/bin/python tests/deal/bad_inputs/measure.py

Not part of the test run (the tests bound time and traced memory in-process); this gives the
numbers for the whole process, interpreter included, as a user would see them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, for the helpers package

from helpers.bad_inputs import EXPECTED, GENERATED  # noqa: E402

CLI = Path(sys.executable).with_name("clausesmith")


class _NoPatch:
    def setattr(self, *args: object) -> None:  # the unreadable case patches in-process only
        pass


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(EXPECTED):
            if name == "generated-unreadable-file":
                continue
            if EXPECTED[name].get("generated"):
                folder = Path(tmp) / name
                folder.mkdir()
                path = GENERATED[name](folder, _NoPatch())  # type: ignore[arg-type]
            else:
                path = HERE / f"{name}.yaml"
            # GNU time reports the peak RSS of the program itself (a fork from this process
            # would count this process's memory too).
            stats = Path(tmp) / "stats"
            done = subprocess.run(
                ["/usr/bin/time", "-f", "%e %M", "-o", str(stats), str(CLI), "validate", str(path)],
                capture_output=True,
            )
            seconds, kib = stats.read_text().split()[-2:]
            rows.append((float(seconds), int(kib), name, done.returncode))
    for seconds, kib, name, code in sorted(rows, reverse=True)[:8]:
        print(f"{seconds:6.2f} s  {kib / 1024:6.1f} MiB peak RSS  exit {code}  {name}")
    heaviest = max(rows, key=lambda r: r[1])
    print(
        f"{len(rows)} inputs; slowest {max(rows)[0]:.2f} s ({max(rows)[2]}); most memory ", end=""
    )
    print(f"{heaviest[1] / 1024:.1f} MiB ({heaviest[2]})")


if __name__ == "__main__":
    main()
