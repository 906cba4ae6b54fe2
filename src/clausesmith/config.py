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

The file comes with the repository, so a pull request can change it: every path it names
must lead (once symlinks are resolved) into the folder that holds it, or the file is
refused naming the key. Only a path typed on the command line may point elsewhere. The file
itself must be a regular file of at most `MAX_CONFIG_BYTES` (a FIFO or a link to /dev/zero
is refused, not read).
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausesmith.errors import InvalidInput, invalid
from clausesmith.files import read_bounded
from clausesmith.resources import Sources

CONFIG_NAME = "clausesmith.toml"
FOLDERS = ("library", "playbooks", "templates", "output")
KEYS = (*FOLDERS, "deals", "counsel")
MAX_CONFIG_BYTES = 100_000  # a settings file is a few lines
_GLOB = frozenset("*?[")


@dataclass(frozen=True)
class Config:
    file: Path | None = None
    library: Path | None = None
    playbooks: Path | None = None
    templates: Path | None = None
    output: Path | None = None
    deals: tuple[str, ...] = ()
    counsel: tuple[str, ...] = ()

    def confine(self, deals: list[Path]) -> list[Path]:
        """The deal files this file's `deals` expanded to, each refused (naming the key and
        the file) if it leads outside the repository: a symlink committed under deals/ must
        not make a report echo a file from the home folder."""
        if self.file is None:
            return deals
        root = self.file.parent.resolve()
        for path in deals:
            if not path.resolve().is_relative_to(root):
                raise _outside(self.file, "deals", str(path), root)
        return deals

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
        if os.path.lexists(own):
            return _config(own, _read(own))
        project = here / "pyproject.toml"
        if os.path.lexists(project):
            table = _read(project).get("tool", {}).get("clausesmith")
            if isinstance(table, dict):
                return _config(project, table)
        if (here / ".git").exists():
            break
    return Config()


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_bounded(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except OSError as exc:
        raise invalid(str(path), "", f"cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise invalid(str(path), "", "is not UTF-8 text") from None
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
    for key in FOLDERS:
        if key in table:
            _inside(file, prefix + key, table[key])
    for deal in deals:
        _inside(file, prefix + "deals", _fixed_part(deal))
    folders = {key: _relative(root, table[key]) for key in FOLDERS if key in table}
    return Config(
        file,
        deals=tuple(str(_relative(root, d)) for d in deals),
        counsel=tuple(" ".join(c.split()) for c in counsel),
        **folders,
    )


def _inside(file: Path, key: str, name: str) -> None:
    """Refuse a path of the file that leads (through `..`, an absolute path or a symlink) out
    of the folder holding the file."""
    root = file.parent.resolve()
    try:
        target = (root / name).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        raise _outside(file, key, name, root) from None
    if not target.is_relative_to(root):
        raise _outside(file, key, name, root)


def _outside(file: Path, key: str, name: str, root: Path) -> InvalidInput:
    return invalid(
        str(file),
        key,
        f"{name!r} leads outside the repository ({root}); a settings file may only name "
        "folders and files inside it (type a path elsewhere on the command line instead)",
    )


def _fixed_part(pattern: str) -> str:
    """The folders of a glob before its first wildcard (all of a plain path)."""
    kept: list[str] = []
    for part in pattern.replace("\\", "/").split("/"):
        if _GLOB & set(part):
            break
        kept.append(part)
    return "/".join(kept) or ("/" if pattern.startswith("/") else ".")


def _relative(root: Path, name: str) -> Path:
    """A folder named in the file, as a path from the working directory when it is inside it
    (so messages stay short), else absolute."""
    path = root / name
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path
