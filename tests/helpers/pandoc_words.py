"""Every word of a Word file as pandoc reads it, accepting or rejecting its tracked changes:
an independent reader of our redlines."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def pandoc_words(path: Path, track_changes: str = "accept") -> list[str]:
    """Every word of a .docx as pandoc reads it, in order (layout-independent)."""
    done = subprocess.run(
        ["pandoc", f"--track-changes={track_changes}", "-t", "json", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return list(_strings(json.loads(done.stdout)["blocks"]))


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if node.get("t") == "Str":
            yield node["c"]
        else:
            yield from _strings(node.get("c"))
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
