"""A deals repository's settings: `clausesmith.toml`, or `[tool.clausesmith]` in
`pyproject.toml`, found by walking up from the working directory.

It pins what every command of the repository uses, so a pre-commit hook, a CI job and a
paralegal's terminal render the same deals with the same library into the same folders:

    library = "clause_library"      # folders relative to the file's own folder
    playbooks = "playbooks"
    templates = "templates"
    output = "out"
    deals = ["deals"]               # what render and validate take when given no DEAL
    counsel = ["Dana Whitfield"]    # who may override or acknowledge a law or guidance finding

An option on the command line wins over the file. The walk stops at the first folder that
has either file (a pyproject.toml without the table is passed over) or at a repository's
top (a folder holding `.git`), so a deals repository never picks up its parent's settings.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausesmith.errors import invalid
from clausesmith.resources import Sources

CONFIG_NAME = "clausesmith.toml"
FOLDERS = ("library", "playbooks", "templates", "output")
KEYS = (*FOLDERS, "deals", "counsel")


@dataclass(frozen=True)
class Config:
    file: Path | None = None
    library: Path | None = None
    playbooks: Path | None = None
    templates: Path | None = None
    output: Path | None = None
    deals: tuple[str, ...] = ()
    counsel: tuple[str, ...] = ()

    def sources(
        self, library: Path | None, playbooks: Path | None, templates: Path | None
    ) -> Sources:
        """The folders a command uses: its options, else this file's, else the shipped ones."""
        return Sources.resolve(
            library or self.library,
            playbooks or self.playbooks,
            templates or self.templates,
            self.counsel,
        )


def find_config(start: Path | None = None) -> Config:
    """The settings that apply in `start` (default: the working directory)."""
    folder = (start or Path.cwd()).resolve()
    for here in (folder, *folder.parents):
        own = here / CONFIG_NAME
        if own.is_file():
            return _config(own, _read(own))
        project = here / "pyproject.toml"
        if project.is_file():
            table = _read(project).get("tool", {}).get("clausesmith")
            if isinstance(table, dict):
                return _config(project, table)
        if (here / ".git").exists():
            break
    return Config()


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise invalid(str(path), "", f"cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise invalid(str(path), "", f"not valid TOML: {exc}") from None


def _config(file: Path, table: dict[str, Any]) -> Config:
    prefix = "tool.clausesmith." if file.name == "pyproject.toml" else ""
    for key, value in table.items():
        if key not in KEYS:
            near = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"allowed: {', '.join(KEYS)}"
            raise invalid(str(file), prefix + key, f"unknown key; {hint}")
        if key in FOLDERS and not isinstance(value, str):
            raise invalid(str(file), prefix + key, f"expected a folder name (text), got {value!r}")
    deals = table.get("deals", [])
    if isinstance(deals, str):
        deals = [deals]
    if not (isinstance(deals, list) and all(isinstance(d, str) for d in deals)):
        raise invalid(str(file), prefix + "deals", "expected a list of folders, files or globs")
    counsel = table.get("counsel", [])
    if not (isinstance(counsel, list) and all(isinstance(c, str) and c.strip() for c in counsel)):
        raise invalid(
            str(file), prefix + "counsel", 'expected a list of names, e.g. counsel = ["A. Counsel"]'
        )
    root = file.parent
    folders = {key: _relative(root, table[key]) for key in FOLDERS if key in table}
    return Config(
        file,
        deals=tuple(str(_relative(root, d)) for d in deals),
        counsel=tuple(" ".join(c.split()) for c in counsel),
        **folders,
    )


def _relative(root: Path, name: str) -> Path:
    """A folder named in the file, as a path from the working directory when it is inside it
    (so messages stay short), else absolute."""
    path = root / name
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path
