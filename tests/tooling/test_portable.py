"""Windows and macOS, simulated on Linux: the main commands with the POSIX-only calls taken
away and processes started by `spawn`, a Word document held open while a render replaces
it, LibreOffice where its installers put it, and outputs that are the same bytes
everywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith import portable
from clausesmith.cli.main import cli
from clausesmith.write import atomic
from helpers.deals import ACME, MINIMAL

runner = CliRunner()

# What a Windows Python lacks, taken away before clausesmith is imported; `spawn` forced as
# the only start method, as on Windows (and macOS, where clausesmith also uses it).
SITECUSTOMIZE = """
import multiprocessing, os, sys
import platformdirs  # its Linux backend needs getuid; on Windows its own backend is used
for name in ("geteuid", "getuid", "getgid", "getegid", "fork", "forkpty", "O_NOFOLLOW",
             "O_NONBLOCK", "getpgid", "killpg", "setsid", "getpwuid", "sync"):
    if hasattr(os, name):
        delattr(os, name)
for module in ("fcntl", "pwd", "grp", "termios"):
    sys.modules[module] = None
multiprocessing.get_all_start_methods = lambda: ["spawn"]
multiprocessing.set_start_method("spawn", force=True)
"""


def _run(args: list[str], cwd: Path, site: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE")}
    env["CLAUSESMITH_PLAIN_RUNTIME"] = "1"
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    code = "import sys; from clausesmith.cli.main import main; sys.argv[0] = 'clausesmith'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.slow
def test_the_main_commands_give_the_same_bytes_without_posix_calls_and_with_spawn(
    tmp_path: Path,
) -> None:
    site = tmp_path / "windows-like"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    probe = _run(["--version"], tmp_path, site)
    assert probe.returncode == 0, probe.stderr
    check = subprocess.run(
        [sys.executable, "-c", "import os, multiprocessing as m; "
         "print(hasattr(os, 'geteuid'), hasattr(os, 'O_NOFOLLOW'), m.get_start_method())"],
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    assert check.stdout.split() == ["False", "False", "spawn"]  # the simulation holds

    # A folder whose name has a space and letters outside ASCII, as Windows profiles do.
    work = tmp_path / "Verträge und Lizenzen"
    work.mkdir()
    for deal in (ACME, MINIMAL):
        shutil.copy(deal, work / deal.name)
    results = {}
    for label, where in (("posix", None), ("windows-like", site)):
        out = work / f"out-{label}"
        rendered = _run(
            ["render", "-j", "2", "acme-beta.yaml", "minimal.yaml", "-o", str(out)], work, where
        )
        assert rendered.returncode == 0, rendered.stdout + rendered.stderr
        validated = _run(["validate", "--format", "json", "acme-beta.yaml"], work, where)
        explained = _run(["explain", "acme-beta.yaml"], work, where)
        again = _run(["render", "--check", "acme-beta.yaml", "-o", str(out)], work, where)
        assert again.returncode == 0, again.stdout + again.stderr
        results[label] = (_tree(out), validated.stdout, explained.stdout)
    posix, windows_like = results["posix"], results["windows-like"]
    assert sorted(posix[0]) == sorted(windows_like[0])
    assert any(name.endswith("clausesmith.lock.json") for name in posix[0])
    for name, data in posix[0].items():
        assert windows_like[0][name] == data, name
    assert posix[1:] == windows_like[1:]
    # The lock names its files with / and ends lines with \n, the twins too, on every system.
    for name, data in posix[0].items():
        if name.endswith((".md", ".json")):
            assert b"\r\n" not in data, name
        if name.endswith(".json"):
            assert b"\\\\" not in data, name


def _render(deal: Path, out: Path) -> Any:
    return runner.invoke(cli, ["render", str(deal), "-o", str(out)])


def _changed(tmp_path: Path) -> Path:
    deal = tmp_path / "deal.yaml"
    deal.write_text(
        ACME.read_text(encoding="utf-8").replace("rate_pct: 2.0", "rate_pct: 2.5"),
        encoding="utf-8",
    )
    return deal


def _left_behind(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".clausesmith"))


@pytest.mark.parametrize("when", ["before-staging", "while-switching"])
def test_a_word_file_held_open_stops_the_render_naming_it_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    out = tmp_path / "out"
    assert _render(ACME, out).exit_code == 0
    folder = out / "acme-beta-2026"
    before = _tree(folder)
    held = folder / "term-sheet.docx"
    if when == "before-staging":  # Word had it open when the render began
        monkeypatch.setattr(portable, "held_open", lambda path: Path(path) == held)
    else:  # Word opened it after the check: Windows refuses the replace itself
        move: Callable[[Path, Path], None] = atomic._move

        def refuse(source: Path, target: Path) -> None:
            if target == held:
                raise PermissionError(13, "The process cannot access the file", str(target))
            move(source, target)

        monkeypatch.setattr(atomic, "_move", refuse)
    deal = _changed(tmp_path)
    result = _render(deal, out)
    assert result.exit_code == 1
    assert result.output == (
        f"{held}: is open in another program (Word?) and cannot be replaced; close it and "
        "render again; nothing was changed\n"
    )
    assert _tree(folder) == before
    assert _left_behind(folder) == []
    monkeypatch.undo()  # closed in Word: the next render completes
    assert _render(deal, out).exit_code == 0
    assert _tree(folder) != before
    assert _left_behind(folder) == []


def test_a_file_held_open_while_the_switch_is_undone_leaves_no_mixed_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Word (or a virus scanner) holds the third output when its turn comes, and the second
    when its switch is being undone: the render says what happened, and the next render
    finishes one whole new set (never old outputs under a new lock)."""
    out = tmp_path / "out"
    assert _render(ACME, out).exit_code == 0
    folder = out / "acme-beta-2026"
    deal = _changed(tmp_path)
    moved: list[Path] = []
    replace: Callable[[Any, Any], None] = os.replace

    def refuse(source: Any, target: Any) -> None:
        source, target = Path(source), Path(target)
        staged = source.parent.name.startswith(".clausesmith-stage-")
        if staged and target.parent == folder and len(moved) == 2:  # the third output
            raise PermissionError(13, "The process cannot access the file", str(target))
        if len(moved) == 2 and moved[1] in (source, target):  # undoing the second
            raise PermissionError(13, "The process cannot access the file", str(moved[1]))
        replace(source, target)
        if staged and target.parent == folder:
            moved.append(target)

    monkeypatch.setattr(atomic.os, "replace", refuse)
    result = _render(deal, out)
    assert result.exit_code == 1
    assert "nothing was changed" not in result.output
    assert "render again" in result.output
    monkeypatch.undo()
    finished = _render(deal, out)
    assert finished.exit_code == 0, finished.output
    check = runner.invoke(cli, ["render", "--check", str(deal), "-o", str(out)])
    assert check.exit_code == 0, check.output
    assert _left_behind(folder) == []


def test_libreoffice_is_looked_for_where_windows_and_macos_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CLAUSESMITH_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(portable, "IS_WINDOWS", True)
    monkeypatch.setenv("PROGRAMFILES", str(tmp_path / "Program Files"))
    monkeypatch.delenv("PROGRAMFILES(X86)", raising=False)
    windows = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    assert portable.find_soffice() == (None, ["soffice on PATH", str(windows)])
    windows.parent.mkdir(parents=True)
    windows.write_bytes(b"")
    windows.chmod(0o755)
    assert portable.find_soffice()[0] == str(windows)

    monkeypatch.setattr(portable, "IS_WINDOWS", False)
    monkeypatch.setattr(portable.sys, "platform", "darwin")
    assert portable.soffice_candidates() == [
        "soffice on PATH",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    ]
    # The user's own setting comes first.
    mine = tmp_path / "my soffice"
    mine.write_bytes(b"")
    mine.chmod(0o755)
    monkeypatch.setenv("CLAUSESMITH_SOFFICE", str(mine))
    assert portable.find_soffice()[0] == str(mine)


def test_a_cache_and_state_folder_of_each_systems_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    assert portable.user_cache_dir() == platformdirs.user_cache_path("clausesmith", appauthor=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    monkeypatch.setenv("XDG_STATE_HOME", "/somewhere/state")
    if sys.platform.startswith("linux"):  # where the XDG settings apply
        assert portable.user_cache_dir() == Path("/somewhere/cache/clausesmith")
        assert portable.user_state_dir() == Path("/somewhere/state/clausesmith")


def test_without_o_nofollow_a_symlink_is_still_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from clausesmith.files import NotRegular, read_bounded

    target = tmp_path / "secret"
    target.write_text("token", encoding="utf-8")
    link = tmp_path / "lock.json"
    link.symlink_to(target)
    monkeypatch.setattr(portable, "NOFOLLOW", 0)  # as on Windows
    with pytest.raises(NotRegular):
        read_bounded(link, 100, follow_symlinks=False)
    assert read_bounded(target, 100, follow_symlinks=False) == b"token"


def test_no_colour_where_it_would_print_raw(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    tty: Any = Terminal()
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert portable.colour_allowed(tty)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not portable.colour_allowed(tty)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(portable, "IS_WINDOWS", True)
    monkeypatch.delenv("TERM")
    monkeypatch.delenv("WT_SESSION", raising=False)
    assert not portable.colour_allowed(tty)  # the classic console
    monkeypatch.setenv("WT_SESSION", "1")
    assert portable.colour_allowed(tty)  # Windows Terminal


def test_output_names_cannot_differ_only_in_case(tmp_path: Path) -> None:
    # Windows and macOS compare file names without case: a deal id (which names the output
    # folder) and a side letter key (which names its files) are lowercase only, so two
    # deals' outputs can never collide there while differing on Linux.
    deal = tmp_path / "deal.yaml"
    deal.write_text(
        ACME.read_text(encoding="utf-8").replace("id: acme-beta-2026", "id: Acme-Beta-2026"),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert "deal.id:" in result.output


def test_a_deal_with_crlf_line_ends_reads_as_with_lf(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf" / "acme-beta.yaml"
    crlf.parent.mkdir()
    crlf.write_bytes(ACME.read_bytes().replace(b"\n", b"\r\n"))
    out_lf, out_crlf = tmp_path / "lf", tmp_path / "crlf-out"
    assert _render(ACME, out_lf).exit_code == 0
    assert _render(crlf, out_crlf).exit_code == 0
    lf_tree, crlf_tree = _tree(out_lf), _tree(out_crlf)
    lock = "acme-beta-2026/clausesmith.lock.json"
    assert {k: v for k, v in lf_tree.items() if k != lock} == {
        k: v for k, v in crlf_tree.items() if k != lock
    }  # the lock differs only in the spec's digest and path


@pytest.mark.parametrize("windows", [False, True])
def test_serve_claims_its_port_alone_on_every_system(
    monkeypatch: pytest.MonkeyPatch, windows: bool
) -> None:
    """On Windows SO_REUSEADDR lets another program bind the same port and take the
    browser's requests (and the token): there the port is claimed exclusively."""
    import socket

    options: list[tuple[int, int, int]] = []

    class Listener:
        def setsockopt(self, level: int, name: int, value: int) -> None:
            options.append((level, name, value))

    monkeypatch.setattr(portable, "IS_WINDOWS", windows)
    portable.claim_port(Listener())  # type: ignore[arg-type]
    exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", -5)
    wanted = exclusive if windows else socket.SO_REUSEADDR
    assert options == [(socket.SOL_SOCKET, wanted, 1)]


def test_impact_names_changed_files_with_slashes_on_windows_too() -> None:
    from pathlib import PureWindowsPath

    from clausesmith.tools.impact import repository_name

    top = PureWindowsPath("C:/Users/ana/deals-repo")
    changed = top / "clause_library" / "mfl" / "full.md"
    assert repository_name(changed, top) == "clause_library/mfl/full.md"
