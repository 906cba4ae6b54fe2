"""`--shard K/N`: one job's share of the deals, for a CI matrix of N jobs.

A deal's shard is a hash of its path as given (a digest, not Python's salted `hash`), so
every job of the matrix, on any machine, agrees on the split, and adding or removing a deal
moves no other deal to another job. The split is even to within a few percent once there
are a few hundred deals."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from clausesmith.errors import UsageError

SHARD = re.compile(r"([0-9]{1,6})/([0-9]{1,6})", re.ASCII)  # \d would take full-width digits


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as the option is written
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        found = SHARD.fullmatch(text.strip(" "))
        if not found or not 1 <= int(found[1]) <= int(found[2]):
            raise UsageError(
                f"--shard {text}: expected K/N with 1 <= K <= N, e.g. --shard 2/4 "
                "for the second of four jobs"
            )
        return cls(int(found[1]), int(found[2]))

    def holds(self, name: str) -> bool:
        digest = hashlib.sha256(name.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def select(self, paths: list[Path]) -> list[Path]:
        return [p for p in paths if self.holds(p.as_posix())]
