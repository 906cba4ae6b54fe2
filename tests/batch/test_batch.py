"""Many deals in one run: folders and globs, worker processes, one summary, the worst code."""

from __future__ import annotations

import gc
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith import pipeline
from clausesmith.batch.outcome import DealOutcome, worst
from clausesmith.batch.run import Summary
from clausesmith.cli.console import Console
from clausesmith.cli.main import cli
from helpers.console import without_notes
from helpers.deals import ACME, QUIET, ROOT

runner = CliRunner()


@pytest.fixture
def portfolio(variant: Callable[..., Path], tmp_path: Path) -> Path:
    """deals/: a good deal, a blocked one, an invalid one, and a hidden folder to skip."""
    variant({**QUIET, "deal": {"id": "good-2026"}}, "a-good.yaml")
    variant({"deal": {"id": "blocked-2026"}, "grant_back": {"exclusivity": "exclusive"}}, "b.yaml")
    variant({"deal": {"id": "bad-2026"}, "audit": {"per_year": "yearly"}}, "c-bad.yml")
    folder = tmp_path / "deals"
    folder.mkdir()
    for name in ("a-good.yaml", "b.yaml", "c-bad.yml"):
        (tmp_path / name).rename(folder / name)
    (folder / ".github").mkdir()
    (folder / ".github" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a deal\n", encoding="utf-8")
    return folder


def test_one_bad_deal_does_not_stop_the_others_and_the_worst_code_wins(
    portfolio: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(portfolio), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1, result.output
    lines = without_notes(result.output).splitlines()
    assert lines[0] == f"{portfolio / 'a-good.yaml'}: wrote 5 files to {out / 'good-2026'}"
    assert lines[1] == (
        f"{portfolio / 'b.yaml'}: blocked by the cross-licence-standard playbook; "
        "nothing was written"
    )
    assert f"{portfolio / 'c-bad.yml'}:" in result.output
    assert "audit.per_year: expected a whole number, got 'yearly'" in result.output
    assert lines[-1] == "3 deals: 1 blocked, 1 invalid, 1 rendered; exit code 1"
    assert sorted(p.name for p in out.iterdir()) == ["good-2026"]


def test_check_reports_each_deal_and_exits_4_when_one_is_stale(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    first = variant({"deal": {"id": "first-2026"}}, "first.yaml")
    second = variant({"deal": {"id": "second-2026"}}, "second.yaml")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["render", str(first), str(second), "-o", str(out)]).exit_code == 0
    pattern = str(tmp_path / "*.yaml")
    fresh = runner.invoke(cli, ["render", "--check", pattern, "-o", str(out), "-j", "2"])
    assert fresh.exit_code == 0, fresh.output
    assert fresh.output == (
        f"{first}: up to date ({out / 'first-2026'})\n"
        f"{second}: up to date ({out / 'second-2026'})\n"
        "2 deals: 2 up to date; exit code 0\n"
    )
    (out / "second-2026" / "term-sheet.md").write_text("edited\n", encoding="utf-8")
    stale = runner.invoke(cli, ["render", "--check", pattern, "-o", str(out)])
    assert stale.exit_code == 4
    assert stale.output.endswith(
        f"{second}: stale or missing outputs:\n"
        f"  {out / 'second-2026' / 'term-sheet.md'}\n"
        f"  To update them, run: clausesmith render {second} -o {out}\n"
        "2 deals: 1 stale, 1 up to date; exit code 4\n"
    )


def test_validate_a_folder_in_parallel(portfolio: Path) -> None:
    result = runner.invoke(cli, ["validate", str(portfolio), "-j", "3"])
    assert result.exit_code == 1
    assert without_notes(result.output).startswith(
        f"{portfolio / 'a-good.yaml'}: valid (good-2026)\n"
        f"{portfolio / 'b.yaml'}: blocked by the cross-licence-standard playbook\n"
    )
    assert result.output.endswith("3 deals: 1 blocked, 1 invalid, 1 valid; exit code 1\n")


def test_a_glob_that_matches_nothing_is_a_usage_error(tmp_path: Path) -> None:
    pattern = str(tmp_path / "*.yaml")
    result = runner.invoke(cli, ["validate", pattern])
    assert result.exit_code == 2
    assert result.output == f"{pattern}: no deal files match this pattern\n"


def test_a_crash_in_one_deal_is_reported_and_the_rest_still_render(
    variant: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = variant({**QUIET, "deal": {"id": "good-2026"}}, "good.yaml")
    crash = variant({"deal": {"id": "crash-2026"}}, "crash.yaml")
    real = pipeline.plan_deal

    def plan_deal(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path == crash:
            raise RuntimeError("a bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "plan_deal", plan_deal)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(crash), str(good), "-o", str(out), "-j", "1"])
    assert result.exit_code == 70
    first, second, summary = without_notes(result.output).splitlines()
    assert first.startswith(f"{crash}: internal error; details written to ")
    log = Path(first.split("details written to ")[1].split(". Please")[0])
    assert "RuntimeError: a bug" in log.read_text(encoding="utf-8")
    log.unlink()
    assert second == f"{good}: wrote 5 files to {out / 'good-2026'}"
    assert summary == "2 deals: 1 failed, 1 rendered; exit code 70"


def test_worst_exit_code_orders_by_what_needs_a_person_first() -> None:
    assert worst(0, 4) == 4
    assert worst(4, 3) == 3
    assert worst(1, 3) == 1
    assert worst(1, 70) == 70


def test_terminal_shows_a_progress_line_and_only_the_deals_that_need_attention() -> None:
    out, err = io.StringIO(), io.StringIO()
    console = Console(3, out, err, tty=True)
    summary = Summary()
    results = [
        DealOutcome("a.yaml", "written", 0, "a", "out/a", written=("a1", "a2")),
        DealOutcome("b.yaml", "blocked", 3, message="b.yaml: blocked"),
        DealOutcome("c.yaml", "written", 0, "c", "out/c", written=("c1",)),
    ]
    for result in results:
        summary.add(result)
        console.report(result)
    console.finish(summary)
    assert out.getvalue() == "3 deals: 1 blocked, 2 rendered; exit code 3\n"
    assert "b.yaml: blocked\n" in err.getvalue()
    assert "wrote" not in err.getvalue()
    line = "[##############################] 3/3 deals, 1 need attention"
    # redrawn over spaces, never an escape sequence Windows' classic console would print raw
    assert err.getvalue().endswith("\r" + line + "\r" + " " * len(line) + "\r")
    assert "\033" not in err.getvalue()


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.parametrize("args", [["--help"], ["validate", str(ACME)]], ids=["help", "validate"])
def test_help_and_validate_do_not_import_the_word_libraries(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from clausesmith.cli.main import cli\n"
        "try:\n"
        f"    cli({args!r})\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = {'docx', 'docxtpl', 'lxml'} & {m.split('.')[0] for m in sys.modules}\n"
        "print('heavy:', sorted(heavy))\n"
    )
    assert run_python(code).splitlines()[-1] == "heavy: []"


@pytest.mark.parametrize("command", [["render"], ["render", "--check"], ["validate"]])
def test_json_reports_are_the_same_with_two_workers_as_with_one(
    portfolio: Path, tmp_path: Path, command: list[str]
) -> None:
    """--format json runs its deals in worker processes too, and reports them in order."""
    out = tmp_path / "out"
    reports = []
    for jobs in ("1", "2"):
        if command == ["render"]:
            shutil.rmtree(out, ignore_errors=True)
        args = [*command, "--format", "json", str(portfolio), "-o", str(out), "-j", jobs]
        if command == ["validate"]:
            args = args[:-4] + args[-2:]  # validate writes nothing, so takes no -o
        result = runner.invoke(cli, args)
        reports.append((result.exit_code, json.loads(result.stdout)))
    assert reports[0] == reports[1]
    code, report = reports[1]
    specs = [d["spec"] for d in report["deals"]]
    assert specs == [str(portfolio / n) for n in ("a-good.yaml", "b.yaml", "c-bad.yml")]
    if command == ["validate"]:
        assert [d["valid"] for d in report["deals"]] == [True, False, False]
        assert code == 1  # the worst: c-bad.yml is invalid (b.yaml is blocked, as in render)
    else:
        statuses = [d["status"] for d in report["deals"]]
        first = "written" if command == ["render"] else "stale"
        assert statuses == [first, "blocked", "invalid_input"]
        # The worst deal's code, whatever the order: invalid input (1) outranks blocked (3)
        # and stale (4), as on the console.
        assert code == report["exit_code"] == 1


def test_a_crash_in_one_deal_is_an_entry_of_the_json_report(
    variant: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = variant({**QUIET, "deal": {"id": "good-2026"}}, "good.yaml")
    crash = variant({"deal": {"id": "crash-2026"}}, "crash.yaml")

    real = pipeline.plan_deal

    def plan_deal(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path == crash:
            raise RuntimeError("a bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "plan_deal", plan_deal)
    args = ["render", "--format", "json", str(crash), "-o", str(tmp_path / "out"), "-j", "1"]
    result = runner.invoke(cli, [*args, str(good)])
    assert result.exit_code == 70
    first, second = json.loads(result.stdout)["deals"]
    assert (first["spec"], first["status"], first["exit_code"]) == (
        str(crash),
        "internal_error",
        70,
    )
    assert first["message"].startswith(f"{crash}: internal error; details written to ")
    Path(first["message"].split("details written to ")[1].split(". Please")[0]).unlink()
    assert (second["spec"], second["status"], second["exit_code"]) == (str(good), "written", 0)


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_goes_away_stops_the_printing_not_the_run() -> None:
    out, err = _ClosedPipe(), io.StringIO()
    console = Console(3, out, err, tty=False)
    for name, code in (("a", 0), ("b", 1), ("c", 0)):
        console.report(DealOutcome(name, "x", code, message=f"{name} line"))
    console.finish(Summary())
    assert err.getvalue() == "b line\n"  # stderr still open: problems still shown


def test_render_piped_into_a_closed_reader_renders_every_deal(
    portfolio: Path, tmp_path: Path
) -> None:
    """`clausesmith render deals/ | head -1`: the pipe closes early, the deals all render."""
    good = portfolio / "a-good.yaml"
    for i in range(3):
        (portfolio / f"d{i}.yaml").write_text(
            good.read_text(encoding="utf-8").replace("good-2026", f"more-{i}-2026"),
            encoding="utf-8",
        )
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "clausesmith", "render", str(portfolio), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    process.stdout.close()  # before clausesmith has printed anything
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 1, errors  # the invalid deal's code, as without a pipe
    assert b"internal error" not in errors and b"Traceback" not in errors
    assert sorted(p.name for p in out.iterdir()) == [
        "good-2026",
        "more-0-2026",
        "more-1-2026",
        "more-2-2026",
    ]


@pytest.mark.parametrize(
    ("args", "code", "stdout", "stderr"),
    [
        (["validate", str(ACME)], 0, f"{ACME}: valid (acme-beta-2026)\n", ""),
        (["validate", "missing.yaml"], 1, "", "missing.yaml: no such file\n"),
        (["frobnicate"], 2, "", "Error: No such command 'frobnicate'.\n"),
    ],
    ids=["done", "invalid", "usage"],
)
def test_the_command_ends_at_once_with_its_code_and_all_its_output(
    args: list[str], code: int, stdout: str, stderr: str
) -> None:
    """main() ends the process with os._exit once the output is flushed into the pipes."""
    done = subprocess.run(
        [sys.executable, "-m", "clausesmith", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == code
    assert without_notes(done.stdout) == stdout
    assert done.stderr.endswith(stderr)


def test_the_collector_comes_back_on_once_the_first_deal_is_done(tmp_path: Path) -> None:
    """cli.main turns garbage collection off for a batch command's start-up; batch.run turns
    it back on, with the start-up objects frozen. A caller whose collector is on keeps it
    as it was, nothing frozen."""
    code = (
        "import gc, sys\n"
        "from pathlib import Path\n"
        "from clausesmith.batch import run as batch\n"
        "from clausesmith.resources import Sources\n"
        "seen = []\n"
        "def report(result):\n"
        "    seen.append((result.status, gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "gc.disable()\n"
        f"deals = [Path({str(ACME)!r})] * 2\n"
        "from clausesmith.batch.outcome import Options\n"
        f"options = Options('render', Path({str(tmp_path / 'out')!r}))\n"
        "batch.run(deals, options, Sources.resolve(), 1, report)\n"
        "print(seen)\n"
    )
    assert run_python(code).splitlines()[-1] == str(
        [("written", False, False), ("up_to_date", True, True)]  # the same deal again
    )
    frozen = gc.get_freeze_count()
    result = runner.invoke(cli, ["render", str(ACME), "-o", str(tmp_path / "again"), "-j", "1"])
    assert result.exit_code == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
