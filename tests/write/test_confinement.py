"""Nothing is read from outside the folders given, nothing read is unbounded, and a folder
that cannot take the outputs is a located message, not an internal error (issue 13)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.resources import Sources
from clausesmith.write import atomic
from helpers.console import without_notes
from helpers.deals import MINIMAL

runner = CliRunner()


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(Sources.resolve().templates, folder)
    return folder


def test_a_markdown_template_cannot_include_a_file_outside_its_folder(
    tmp_path: Path, templates: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET\n", encoding="utf-8")
    (templates / "leak.j2").symlink_to(secret)
    twin = templates / "term-sheet.md.j2"
    twin.write_text(twin.read_text(encoding="utf-8") + "{% include 'leak.j2' %}\n")
    line = len(twin.read_text(encoding="utf-8").splitlines())
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", str(MINIMAL), "-o", str(out), "--template", str(templates)]
    )
    assert (result.exit_code, result.output) == (
        1,
        f"{twin}:{line}: template: leak.j2 leads outside {templates} (through a symlink)\n",
    )
    assert not out.exists()


def test_a_word_template_symlinked_outside_its_folder_is_refused(
    tmp_path: Path, templates: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.docx"
    (templates / "term-sheet.docx").rename(elsewhere)
    (templates / "term-sheet.docx").symlink_to(elsewhere)
    result = runner.invoke(
        cli, ["render", str(MINIMAL), "-o", str(tmp_path / "out"), "--template", str(templates)]
    )
    assert (result.exit_code, result.output) == (
        1,
        f"{templates / 'term-sheet.docx'}: cannot read the Word template: leads outside "
        f"{templates} (through a symlink)\n",
    )


@pytest.mark.parametrize("kind", ["deal", "clause"])
def test_an_input_that_is_a_symlink_to_dev_zero_is_refused_at_once(
    tmp_path: Path, kind: str
) -> None:
    if kind == "deal":
        zero = tmp_path / "zero.yaml"
        zero.symlink_to("/dev/zero")
        args = ["validate", str(zero)]
    else:
        library = tmp_path / "library"
        shutil.copytree(Sources.resolve().library, library)
        zero = next(library.rglob("costs.md"))
        zero.unlink()
        zero.symlink_to("/dev/zero")
        args = ["render", str(MINIMAL), "-o", str(tmp_path / "out"), "--library", str(library)]
    start = time.perf_counter()
    result = runner.invoke(cli, args)
    # A hang, not a speed: read whole, /dev/zero would never end (60 s leaves room for a
    # loaded CI machine).
    assert time.perf_counter() - start < 60
    expected = "is not a regular file (a device, a pipe?); put the file itself there"
    assert (result.exit_code, result.output) == (1, f"{zero}: {expected}\n")


def test_symlink_loops_neither_hang_a_glob_nor_repeat_a_deal(tmp_path: Path) -> None:
    folder = tmp_path / "deals"
    folder.mkdir()
    shutil.copy(MINIMAL, folder / "minimal.yaml")
    (folder / "a").symlink_to(".")
    (folder / "b").symlink_to(".")
    (folder / "nested").mkdir()
    (folder / "nested" / "same.yaml").symlink_to(folder / "minimal.yaml")
    for argument in (f"{folder}/**/*.yaml", str(folder)):
        start = time.perf_counter()
        result = runner.invoke(cli, ["validate", argument])
        assert time.perf_counter() - start < 10
        assert (result.exit_code, without_notes(result.output)) == (
            0,
            f"{folder / 'minimal.yaml'}: valid (north-south-2026)\n",
        )


@pytest.mark.parametrize("case", ["a-file", "dangling-symlink", "disk-full"])
def test_a_folder_that_cannot_take_the_outputs_is_a_located_message(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out" / "north-south-2026"  # the deal's folder under -o
    out.parent.mkdir()
    reason = {"a-file": "Not a directory", "dangling-symlink": "No such file or directory"}
    if case == "a-file":
        out.write_text("mine\n", encoding="utf-8")
    elif case == "dangling-symlink":
        out.symlink_to(tmp_path / "gone")
    else:
        assert runner.invoke(cli, ["render", str(MINIMAL), "-o", str(out.parent)]).exit_code == 0
        (out / "term-sheet.md").unlink()  # so the render has something to write

        def full(*args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(atomic, "_stage", full)
        reason["disk-full"] = "No space left on device"
    before = sorted(os.listdir(out.parent))
    result = runner.invoke(cli, ["render", str(MINIMAL), "-o", str(out.parent)])
    message = f"cannot write the outputs here ({reason[case]}); nothing was changed"
    if case == "dangling-symlink":  # a link in the output tree is never followed
        message = (
            "is a symbolic link; clausesmith never writes, reads or deletes through a link in "
            "the output tree: remove the link (a real folder is made on the next render)"
        )
    assert (result.exit_code, result.output) == (1, f"{out}: {message}\n")
    assert sorted(os.listdir(out.parent)) == before


def test_a_source_date_epoch_past_what_a_zip_holds_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    result = runner.invoke(cli, ["render", str(MINIMAL), "-o", str(tmp_path / "out")])
    assert (result.exit_code, result.output) == (
        2,
        "SOURCE_DATE_EPOCH=99999999999999: expected whole seconds since 1970, from 315532800 "
        "(1980-01-01) to 4354819199 (2107-12-31), the dates a Word file's zip can hold\n",
    )
