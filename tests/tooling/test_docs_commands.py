"""Every command the README and docs/ show runs as written.

A fenced block marked `sh` is a list of commands, one a line, run in order in a fresh copy
of the repository (one copy per document, so a document's commands build on each other as
a reader's do). A block marked `diff` is an edit the reader makes: its `-` lines are
replaced by its `+` lines in the file its `+++` line names (copied from the `---` file when
the two differ; from `/dev/null`: a new file). A command ending in `# exits N` must exit N;
any other must exit 0.

What the suite itself provides is not repeated: a line that makes the virtual environment
or installs into it is skipped (the tests run in the installed environment), `.venv/bin/`
names this environment's programs, and the README's test command (the whole suite) is
checked against `.ci/run` elsewhere (tests/tooling/test_tools_required.py), not run here.
A command with `--pdf` runs where LibreOffice is (as `.ci/run` makes sure), else is passed
over, unless CLAUSESMITH_REQUIRE_TOOLS=1 says it must run.
`cd` and `mkdir` are done by the test itself, so the commands run without a shell.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from clausesmith import portable
from helpers.deals import ROOT

pytestmark = pytest.mark.slow  # some forty commands, each a fresh process

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest"
INSTALL = re.compile(r"^(python3? -m venv \.venv|py -m venv \.venv|\.venv/bin/pip install\b)")
EXITS = re.compile(r"\s+#\s*exits (\d+)\b.*$")
COMMENT = re.compile(r"\s+#\s.*$")
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Block:
    kind: str  # sh | diff
    text: str
    line: int


def blocks(document: Path) -> list[Block]:
    text = document.read_text(encoding="utf-8")
    return [
        Block(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1)
        for m in FENCE.finditer(text)
        if m.group(1) in ("sh", "diff")
    ]


def runnable(document: Path) -> bool:
    return any(b.kind == "sh" for b in blocks(document))


def commands(line: str) -> list[str]:
    """The commands of one line: an install and the command after it, minus the install."""
    if line == TEST_COMMAND:
        return []
    parts = [p.strip() for p in line.split(" && ")]
    return [p for p in parts if not INSTALL.match(p)]


def argv(command: str) -> tuple[list[str], str | None]:
    """The program and its arguments, and a file the output goes to (`> FILE`)."""
    words = shlex.split(command)
    target = None
    if len(words) >= 2 and words[-2] == ">":
        target, words = words[-1], words[:-2]
    program = words[0].removeprefix(".venv/bin/")
    if program == "clausesmith":
        return [sys.executable, "-m", "clausesmith", *words[1:]], target
    if program in ("python", "python3"):
        return [sys.executable, *words[1:]], target
    found = shutil.which(program, path=str(BIN)) or shutil.which(program)
    assert found, f"{program}: not found"
    return [found, *words[1:]], target


def apply(diff: str, cwd: Path) -> None:
    lines = diff.splitlines()
    source = next(line[4:].strip() for line in lines if line.startswith("--- "))
    target = next(line[4:].strip() for line in lines if line.startswith("+++ "))
    old = "".join(line[1:] + "\n" for line in lines if line.startswith("-") and line[:4] != "--- ")
    new = "".join(line[1:] + "\n" for line in lines if line.startswith("+") and line[:4] != "+++ ")
    if source == "/dev/null":  # a new file
        (cwd / target).parent.mkdir(parents=True, exist_ok=True)
        (cwd / target).write_text(new, encoding="utf-8")
        return
    text = (cwd / source).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the edit's lines are not in {source} exactly once:\n{old}"
    (cwd / target).write_text(text.replace(old, new), encoding="utf-8")


def copy_of_repository(tmp_path: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    copy = tmp_path / "clausesmith"
    for name in filter(None, listed):
        path = ROOT / name.decode()
        if path.is_file():
            (copy / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy / name.decode())
    return copy


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if runnable(d)], ids=lambda d: d.name)
def test_every_command_of_the_document_runs_as_written(document: Path, tmp_path: Path) -> None:
    cwd = copy_of_repository(tmp_path)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    env["GIT_CONFIG_GLOBAL"] = str(tmp_path / "gitconfig")  # `git config` stays in the test
    env.update({"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid"})
    env.update({"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"})
    for block in blocks(document):
        if block.kind == "diff":
            apply(block.text, cwd)
            continue
        for line in block.text.splitlines():
            expected = EXITS.search(line)
            code = int(expected.group(1)) if expected else 0
            line = COMMENT.sub("", EXITS.sub("", line)).strip()
            for command in commands(line) if line and not line.startswith("#") else []:
                words = shlex.split(command)
                if words[0] == "cd":
                    cwd = cwd / words[1]
                    continue
                if words[0] == "mkdir":
                    (cwd / words[-1]).mkdir(parents=True, exist_ok=True)
                    continue
                if "--pdf" in words and portable.find_soffice()[0] is None:
                    # LibreOffice is not here: .ci/run installs it, and there this runs
                    assert os.environ.get("CLAUSESMITH_REQUIRE_TOOLS") != "1", command
                    continue
                args, target = argv(command)
                done = subprocess.run(
                    args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300
                )
                where = f"{document.name}:{block.line}: {command}"
                assert done.returncode == code, f"{where}\n{done.stdout}\n{done.stderr}"
                if target is not None:
                    (cwd / target).write_text(done.stdout, encoding="utf-8")


def test_no_command_is_shown_where_it_cannot_be_run() -> None:
    """A clausesmith command in an indented block or an unmarked fence is one the suite
    would not run: mark it `sh` (runs), or `text` when it shows output or placeholders."""
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        outside = FENCE.sub("", text)
        for line in outside.splitlines():
            assert not re.match(r"^( {4}|\t)(\$ )?clausesmith ", line), (
                f"{document.name}: an indented command: {line.strip()}"
            )
        for m in FENCE.finditer(text):
            assert m.group(1), f"{document.name}:{m.start()}: a fence without a language"
