"""No lost work: a render that fails part-way leaves every earlier output byte for byte as it
was, and no traceback reaches the user."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith import pipeline
from clausesmith.cli.main import cli
from clausesmith.docx import writer as docx_writer
from clausesmith.errors import InvalidInput
from clausesmith.pipeline import Inputs, render_deal, write_deal
from clausesmith.resources import Sources
from clausesmith.write import atomic
from helpers.deals import ACME

runner = CliRunner()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def rendered_once(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "acme-beta-2026"  # -o DIR renders into DIR/<deal id>/
    result = runner.invoke(cli, ["render", str(ACME), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def changed_deal(variant: Callable[..., Path]) -> Path:
    return variant({"deal": {"title": "Amended Patent Cross-Licence Term Sheet"}})


def fail_on_call(number: int, real: Callable[..., Any], error: BaseException) -> Callable[..., Any]:
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return real(*args, **kwargs)

    return wrapper


def test_docx_writer_failing_on_the_second_document_leaves_outputs_unchanged(
    rendered_once: Path, changed_deal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(rendered_once)
    failing = fail_on_call(2, docx_writer.render_docx, OSError(28, "No space left on device"))
    monkeypatch.setattr(docx_writer, "render_docx", failing)
    result = runner.invoke(cli, ["render", str(changed_deal), "-o", str(rendered_once.parent)])
    assert result.exit_code == 70
    match = re.fullmatch(
        re.escape(str(changed_deal)) + r": internal error; details written to (\S+\.log)\. "
        r"Please report it with that file\.\n",
        result.output,
    )
    assert match, result.output
    log = Path(match.group(1)).read_text(encoding="utf-8")
    assert "Traceback" in log and "No space left on device" in log
    Path(match.group(1)).unlink()
    assert snapshot(rendered_once) == before


@pytest.mark.parametrize(
    "error", [OSError(5, "Input/output error"), KeyboardInterrupt()], ids=["io-error", "ctrl-c"]
)
def test_failure_while_moving_files_into_place_puts_the_old_ones_back(
    rendered_once: Path, changed_deal: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    before = snapshot(rendered_once)
    rendered = render_deal(changed_deal, Inputs(Sources.resolve()), out_dir=rendered_once)
    assert set(rendered.files) == set(before)
    assert rendered.files != before  # the new title changes every document
    monkeypatch.setattr(atomic.os, "replace", fail_on_call(2, os.replace, error))
    # An OSError is the folder's fault, not a bug: a located message (exit 1).
    with pytest.raises(InvalidInput if isinstance(error, OSError) else type(error)) as caught:
        write_deal(rendered)
    if isinstance(error, OSError):
        assert str(caught.value) == (
            f"{rendered_once}: cannot write the outputs here (Input/output error); "
            "nothing was changed"
        )
    assert snapshot(rendered_once) == before  # also: no staging folder left behind


@pytest.mark.parametrize(
    "error", [OSError(5, "Input/output error"), KeyboardInterrupt()], ids=["io-error", "ctrl-c"]
)
def test_a_failed_first_render_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    out = tmp_path / "deals" / "fresh"
    rendered = render_deal(ACME, Inputs(Sources.resolve()), out_dir=out)
    monkeypatch.setattr(atomic.os, "rename", fail_on_call(1, os.rename, error))
    with pytest.raises(InvalidInput if isinstance(error, OSError) else type(error)):
        write_deal(rendered)
    assert list(out.parent.iterdir()) == []  # neither the folder nor its staging copy


def test_a_first_render_makes_a_complete_folder_with_the_usual_permissions(
    tmp_path: Path,
) -> None:
    out = tmp_path / "fresh"
    written = pipeline.write_deal(render_deal(ACME, Inputs(Sources.resolve()), out_dir=out))
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["fresh"]


def test_a_folder_made_meanwhile_by_someone_else_is_filled_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "fresh"
    rendered = render_deal(ACME, Inputs(Sources.resolve()), out_dir=out)
    real_rename = os.rename

    def another_process_wins(source: Path, target: Path) -> None:
        Path(target).mkdir()
        (Path(target) / "theirs.txt").write_text("x", encoding="utf-8")
        real_rename(source, target)

    monkeypatch.setattr(atomic.os, "rename", another_process_wins)
    written = write_deal(rendered)
    assert {p.name for p in out.iterdir()} == {"theirs.txt", *(p.name for p in written)}
    assert [p.name for p in tmp_path.iterdir()] == ["fresh"]


def test_a_hand_edited_output_is_kept(rendered_once: Path, changed_deal: Path) -> None:
    edited = rendered_once / "term-sheet.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nCounsel's note.\n", encoding="utf-8")
    before = snapshot(rendered_once)
    result = runner.invoke(cli, ["render", str(changed_deal), "-o", str(rendered_once.parent)])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"{edited}: edited since clausesmith rendered it (it no longer matches "
        "clausesmith.lock.json); nothing was written\n"
    )
    assert snapshot(rendered_once) == before
