"""Where the clause library, playbooks and templates are: a firm's own, or the shipped ones."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path


def bundled(name: str) -> Path:
    """The folder shipped as clausesmith.bundled.<name> (editable or installed alike)."""
    spec = importlib.util.find_spec(f"clausesmith.bundled.{name}")
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True)
class Sources:
    library: Path
    playbooks: Path
    templates: Path
    # Who may sign an override or acknowledgement of a `law` or `guidance` finding: the
    # repository's counsel list (`counsel` in clausesmith.toml); the playbook may add names.
    counsel: tuple[str, ...] = ()

    @classmethod
    def resolve(
        cls,
        library: Path | None = None,
        playbooks: Path | None = None,
        templates: Path | None = None,
        counsel: tuple[str, ...] = (),
    ) -> Sources:
        return cls(
            library or bundled("clause_library"),
            playbooks or bundled("playbooks"),
            templates or bundled("templates"),
            counsel,
        )
