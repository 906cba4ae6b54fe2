"""Deal files named on the command line: files, folders and globs, each real file once.

Folders and `**` are walked without following symlinks to folders (two links `a -> .` and
`b -> .` made the standard library's glob loop forever, and one link rendered every deal
again), hidden folders are skipped, and a file reached by two names (a symlink to a deal) is
processed once, under the first name it was given by.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from clausesmith.chars import XML_ILLEGAL
from clausesmith.errors import InvalidInput, Problem, UsageError
from clausesmith.write.lockfile import LOCK_NAME

DEAL_SUFFIXES = (".yaml", ".yml", ".json")
GLOB_CHARACTERS = frozenset("*?[")


def expand(arguments: Iterable[str]) -> list[Path]:
    """Deal files named by each argument: a file as given, every *.yaml, *.yml and *.json
    under a folder (output folders skipped), or a glob's matches; each real file once, in
    order.

    A name that is none of these is kept, so loading it reports "no such file"."""
    seen: dict[str, Path] = {}
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = [p for p in _walk(path) if p.suffix.lower() in DEAL_SUFFIXES]
            if not found:
                raise UsageError(
                    f"{argument}: a folder with no deal files (*.yaml, *.yml, *.json) in it"
                )
        elif GLOB_CHARACTERS & set(argument) and not path.exists():
            found = _glob(argument)
            if not found:
                raise UsageError(f"{argument}: no deal files match this pattern")
        else:
            found = [path]
        for item in found:
            seen.setdefault(os.path.realpath(item), item)
    refuse_unnamed(seen.values())
    return list(seen.values())


_SURROGATE = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as Python keeps it


def shown_name(name: str) -> str:
    """A file name as a message may print it: a byte that is not UTF-8 as \\xNN."""
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", name)


def refuse_unnamed(paths: Iterable[Path]) -> None:
    """InvalidInput for each deal whose file name a report cannot carry: a byte that is not
    UTF-8 (JSON and JUnit are UTF-8, and the lock names the deal), or a control character
    (XML cannot hold it, and a terminal would act on it). Nothing is rendered."""
    problems = []
    for path in paths:
        name = str(path)
        if _SURROGATE.search(name):
            reason = "the file name is not UTF-8 text (a byte of another encoding)"
        elif bad := XML_ILLEGAL.search(name) or re.search("[\x7f-\x9f]", name):
            reason = f"the file name holds the control character U+{ord(bad.group()):04X}"
        else:
            continue
        problems.append(
            Problem(shown_name(name), None, None, "", f"{reason}; rename the file; nothing was "
                    "rendered")
        )  # fmt: skip
    if problems:
        raise InvalidInput(problems)


def _walk(root: Path) -> Iterator[Path]:
    """Regular files below `root`, sorted, not entering hidden folders, folder symlinks or
    output folders (a folder holding a lock: its files are ours, not deals)."""
    for folder, folders, files in os.walk(root, followlinks=False):
        if LOCK_NAME in files:
            folders[:] = []
            continue
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if not name.startswith(".") and path.is_file():
                yield path


def _glob(pattern: str) -> list[Path]:
    """glob.glob(pattern, recursive=True) for files, walking as `_walk` does."""
    parts = pattern.split("/")
    fixed = 0
    while fixed < len(parts) - 1 and not GLOB_CHARACTERS & set(parts[fixed]):
        fixed += 1
    base = "/".join(parts[:fixed]) or ("/" if pattern.startswith("/") else ".")
    matcher = _compile("/".join(parts[fixed:]))
    found = []
    for path in _walk(Path(base)):
        relative = path.relative_to(base).as_posix()
        if matcher.fullmatch(relative):
            found.append(Path(base, relative) if fixed else Path(relative))
    return sorted(found)


def _compile(pattern: str) -> re.Pattern[str]:
    """A glob pattern as a regular expression: `**/` any folders, `*` and `?` within one
    name, `[...]` a set of characters."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            out.append("[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
