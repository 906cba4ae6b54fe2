"""What a CI job and a pre-commit hook rely on: -o DIR is DIR/<deal id>/ for one deal as for
many, two deals never share a folder, a folder no deal renders is found and pruned, an
unchanged deal is left alone, line endings are named, a stale deal says what to run."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.console import without_notes
from helpers.deals import ACME, MINIMAL

runner = CliRunner()


def render(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["render", *args])
    return result.exit_code, result.output


def test_one_deal_and_two_deals_write_to_the_same_places(tmp_path: Path) -> None:
    alone, together = tmp_path / "alone", tmp_path / "together"
    assert render(str(ACME), "-o", str(alone))[0] == 0
    assert render(str(ACME), str(MINIMAL), "-o", str(together))[0] == 0
    assert sorted(p.name for p in alone.iterdir()) == ["acme-beta-2026"]
    assert sorted(p.name for p in together.iterdir()) == ["acme-beta-2026", "north-south-2026"]
    assert (alone / "acme-beta-2026" / "term-sheet.docx").read_bytes() == (
        together / "acme-beta-2026" / "term-sheet.docx"
    ).read_bytes()


def test_two_deals_with_one_id_are_refused_naming_both_before_anything_is_written(
    tmp_path: Path,
) -> None:
    deals = tmp_path / "deals"
    deals.mkdir()
    first, second = deals / "a.yaml", deals / "b.yaml"
    shutil.copy(ACME, first)
    shutil.copy(ACME, second)
    out = tmp_path / "out"
    code, output = render(str(deals), "-o", str(out), "-j", "2")
    assert code == 1
    assert output == (
        f"{second}:7:7: deal.id: 'acme-beta-2026' is also the id of {first}:7; each deal needs "
        "its own id (it names the output folder); nothing was rendered\n"
    )
    assert not out.exists()
    result = runner.invoke(cli, ["validate", str(first), str(second)])
    assert (result.exit_code, result.output) == (1, output)


def test_rendering_an_unchanged_deal_leaves_files_and_times_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert render(str(ACME), "-o", str(out))[0] == 0
    folder = out / "acme-beta-2026"
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    code, output = render(str(ACME), "-o", str(out))
    assert (code, output) == (0, f"{ACME}: up to date ({folder})\n")
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_line_endings_are_named_when_they_are_the_only_difference(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert render(str(ACME), "-o", str(out))[0] == 0
    twin = out / "acme-beta-2026" / "term-sheet.md"
    twin.write_bytes(twin.read_bytes().replace(b"\n", b"\r\n"))  # core.autocrlf=true
    code, output = render("--check", str(ACME), "-o", str(out))
    assert code == 4
    assert output == (
        f"{ACME}: stale or missing outputs:\n"
        f"  {twin} (line endings differ: CRLF on disk, LF rendered; see .gitattributes in "
        "docs/ci.md)\n"
        f"  To update them, run: clausesmith render {ACME} -o {out}\n"
    )
    code, output = render(str(ACME), "-o", str(out))
    assert code == 1
    assert output.startswith(
        f"{twin}: only its line endings changed (CRLF on disk, LF rendered; see .gitattributes "
        "in docs/ci.md); nothing was written\n"
    )


def test_the_stale_message_gives_the_exact_command_with_the_runs_options(
    tmp_path: Path, variant: Callable[..., Path]
) -> None:
    library = tmp_path / "my library"
    shutil.copytree(Path(__file__).resolve().parents[2] / "clause_library", library)
    deal = variant({"deal": {"title": "Term Sheet"}})
    out = tmp_path / "out"
    assert render(str(deal), "-o", str(out), "--library", str(library))[0] == 0
    variant({"deal": {"title": "Amended Term Sheet"}})
    code, output = render("--check", str(deal), "-o", str(out), "--library", str(library))
    assert code == 4
    assert output.endswith(
        f"  To update them, run: clausesmith render {deal} -o {out} --library '{library}'\n"
    )


def test_a_folder_no_deal_renders_is_stale_for_check_and_removed_by_prune(
    tmp_path: Path,
) -> None:
    deals = tmp_path / "deals"
    deals.mkdir()
    shutil.copy(ACME, deals / "acme.yaml")
    shutil.copy(MINIMAL, deals / "minimal.yaml")
    out = tmp_path / "out"
    assert render(str(deals), "-o", str(out))[0] == 0
    (deals / "minimal.yaml").unlink()  # the deal is deleted; its folder stays behind
    (out / "notes").mkdir()  # a folder of the user's, with no lock: never touched
    old = out / "north-south-2026"
    code, output = render("--check", str(deals), "-o", str(out))
    assert code == 4
    assert without_notes(output) == (
        f"{deals / 'acme.yaml'}: up to date ({out / 'acme-beta-2026'})\n"
        f"{old}: no deal renders this folder any more (its lock names "
        "../../deals/minimal.yaml, which no longer exists)\n"
        f"  To remove it, run: clausesmith render --prune {deals} -o {out}\n"
    )
    code, output = render("--prune", str(deals), "-o", str(out))
    assert code == 0
    assert output == (
        f"{deals / 'acme.yaml'}: up to date ({out / 'acme-beta-2026'})\n"
        f"{old}: removed (no deal renders it)\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["acme-beta-2026", "notes"]
    assert render("--check", str(deals), "-o", str(out))[0] == 0


def test_prune_keeps_a_hand_edited_file_and_its_folder(tmp_path: Path) -> None:
    deal = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, deal)
    out = tmp_path / "out"
    assert render(str(deal), "-o", str(out))[0] == 0
    kept = out / "north-south-2026" / "term-sheet.md"
    kept.write_text("counsel's own notes\n", encoding="utf-8")
    deal.unlink()
    code, output = render("--prune", str(ACME), "-o", str(out))
    assert code == 0
    assert output.endswith(
        f"{out / 'north-south-2026'}: not removed, no deal renders it but it holds hand edits\n"
        f"  kept {kept}: edited since clausesmith rendered it\n"
    )
    assert kept.read_text(encoding="utf-8") == "counsel's own notes\n"


def test_a_changed_id_leaves_an_orphan(tmp_path: Path, variant: Callable[..., Path]) -> None:
    deal = variant({"deal": {"id": "first-name"}})
    out = tmp_path / "out"
    assert render(str(deal), "-o", str(out))[0] == 0
    variant({"deal": {"id": "second-name"}})
    code, output = render(str(deal), "-o", str(out), "--prune")
    assert code == 0
    assert output.endswith(f"{out / 'first-name'}: removed (no deal renders it)\n")
    assert sorted(p.name for p in out.iterdir()) == ["second-name"]


def test_shards_split_the_deals_stably_and_cover_each_once(
    tmp_path: Path, acme_data: dict[str, object], write_deal: Callable[..., Path]
) -> None:
    for n in range(12):
        deal = dict(acme_data)
        deal["deal"] = {**acme_data["deal"], "id": f"deal-{n}"}  # type: ignore[dict-item]
        write_deal(deal, f"deal-{n:02}.yaml")
    seen: list[str] = []
    for k in (1, 2, 3):
        result = runner.invoke(cli, ["validate", str(tmp_path), "--shard", f"{k}/3", "-j", "1"])
        assert result.exit_code == 0, result.output
        again = runner.invoke(cli, ["validate", str(tmp_path), "--shard", f"{k}/3", "-j", "1"])
        assert again.output == result.output
        seen += [line.split(":")[0] for line in result.output.splitlines() if "valid (" in line]
    assert sorted(seen) == sorted(str(tmp_path / f"deal-{n:02}.yaml") for n in range(12))
    result = runner.invoke(cli, ["validate", str(tmp_path), "--shard", "4/3"])
    assert result.exit_code == 2
    assert result.output == (
        "--shard 4/3: expected K/N with 1 <= K <= N, e.g. --shard 2/4 for the second of four jobs\n"
    )


def test_junit_report_has_a_test_case_per_deal(
    tmp_path: Path, variant: Callable[..., Path]
) -> None:
    import xml.etree.ElementTree as ET

    blocked = variant({"grant_back": {"exclusivity": "exclusive"}}, "blocked.yaml")
    result = runner.invoke(
        cli, ["render", str(MINIMAL), str(blocked), "-o", str(tmp_path / "o"), "--format", "junit"]
    )
    assert result.exit_code == 3
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [str(MINIMAL), str(blocked)]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("type") == "blocked"
    assert str(failure.get("message")).startswith(
        f"{blocked}: blocked by the cross-licence-standard playbook; nothing was written; "
        "CL-01-EXCLUSIVE-GRANT-BACK"
    )  # every line of the message, not only the first


def test_json_report_has_a_summary(tmp_path: Path, variant: Callable[..., Path]) -> None:
    warned = variant({"relationship": {"market_share_pct": {"combined": 26}}}, "warned.yaml")
    result = runner.invoke(cli, ["validate", str(MINIMAL), str(warned), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    warned = sum(f["severity"] == "warn" for d in report["deals"] for f in d["findings"])
    assert warned > 2
    assert report["summary"] == {
        "deals": 2,
        "by_status": {"valid": 2},
        "findings": {"warn": warned},
        "warnings": warned,
    }


def test_clausesmith_toml_pins_deals_library_and_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "deals").mkdir(parents=True)
    (repo / ".git").mkdir()
    shutil.copy(MINIMAL, repo / "deals" / "minimal.yaml")
    library = repo / "clause_library"
    shutil.copytree(Path(__file__).resolve().parents[2] / "clause_library", library)
    (repo / "clausesmith.toml").write_text(
        'library = "clause_library"\noutput = "rendered"\ndeals = ["deals"]\n', encoding="utf-8"
    )
    (repo / "deals" / "sub").mkdir()
    monkeypatch.chdir(repo / "deals" / "sub")  # found by walking up
    result = runner.invoke(cli, ["render"])
    assert result.exit_code == 0, result.output
    folder = repo / "rendered" / "north-south-2026"
    assert result.output.startswith(
        f"{repo / 'deals' / 'minimal.yaml'}: wrote 3 files to {folder}\n"
    )
    lock = json.loads((folder / "clausesmith.lock.json").read_text(encoding="utf-8"))
    assert lock["library"]["path"] == "../../clause_library"
    assert len(lock["library"]["sha256"]) == 64


def test_a_misspelt_config_key_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.clausesmith]\nlibary = "x"\n')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["validate", str(MINIMAL)])
    assert result.exit_code == 1
    assert result.output == (
        f"{tmp_path / 'pyproject.toml'}: tool.clausesmith.libary: unknown key; "
        "did you mean 'library'?\n"
    )


def test_a_shard_with_no_deal_says_so_and_passes() -> None:
    from clausesmith.batch.shard import Shard

    holder = next(k for k in (1, 2) if Shard(k, 2).holds(str(MINIMAL)))
    for k in (1, 2):
        result = runner.invoke(cli, ["validate", str(MINIMAL), "--shard", f"{k}/2"])
        assert result.exit_code == 0
        assert without_notes(result.output) == (
            f"{MINIMAL}: valid (north-south-2026)\n"
            if k == holder
            else f"shard {k}/2: no deal of the 1 falls to this job\n"
        )


def test_each_orphan_is_reported_by_one_shard(tmp_path: Path, variant: Callable[..., Path]) -> None:
    gone = variant({"deal": {"id": "gone-deal"}}, "gone.yaml")
    renamed = variant({"deal": {"id": "first-name"}}, "renamed.yaml")
    out = tmp_path / "out"
    assert render(str(gone), str(renamed), "-o", str(out))[0] == 0
    gone.unlink()
    variant({"deal": {"id": "second-name"}}, "renamed.yaml")
    reported = []
    for k in (1, 2):
        result = runner.invoke(
            cli,
            ["render", "--check", str(tmp_path / "*.yaml"), "-o", str(out), "--shard", f"{k}/2"],
        )
        reported += [line for line in result.output.splitlines() if "no deal renders" in line]
    assert sorted(reported) == [
        f"{out / 'first-name'}: no deal renders this folder any more (its lock names "
        "../../renamed.yaml, which now has the id 'second-name')",
        f"{out / 'gone-deal'}: no deal renders this folder any more (its lock names "
        "../../gone.yaml, which no longer exists)",
    ]


def test_prune_and_check_do_not_go_together() -> None:
    result = runner.invoke(cli, ["render", "--check", "--prune", str(MINIMAL)])
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: --prune removes folders; --check writes nothing: give one\n"
    )


def test_prune_keeps_files_that_are_not_ours(tmp_path: Path) -> None:
    deal = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, deal)
    out = tmp_path / "out"
    assert render(str(deal), "-o", str(out))[0] == 0
    folder = out / "north-south-2026"
    (folder / "NOTES.txt").write_text("ours, not clausesmith's\n", encoding="utf-8")
    deal.unlink()
    code, output = render("--prune", str(ACME), "-o", str(out))
    assert code == 0
    assert output.endswith(f"{folder}: removed clausesmith's outputs; other files in it are kept\n")
    assert sorted(p.name for p in folder.iterdir()) == ["NOTES.txt"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('library = "a"\nlibrary = "b"\n', "not valid TOML: Cannot overwrite a value (at line 2, "
         "column 14)"),
        ("output = 3\n", "output: expected a folder name (text), got 3"),
        ("deals = [1]\n", "deals: expected a list of folders, files or globs"),
    ],
)  # fmt: skip
def test_a_broken_config_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "clausesmith.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["validate", str(MINIMAL)])
    assert result.exit_code == 1
    assert result.output == f"{tmp_path / 'clausesmith.toml'}: {message}\n"


def test_new_in_a_repository_without_the_schema_says_how_to_write_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "clausesmith.toml").write_text('deals = ["."]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    options = [
        "--id", "a-b", "--governing-law", "delaware", "--party", "a", "A Inc.", "US-DE",
        "--party", "b", "B KK", "JP", "--field", "robots", "--patent", "a", "US 1", "Thing",
    ]  # fmt: skip
    result = runner.invoke(cli, ["new", "a.yaml", *options])
    assert result.exit_code == 0, result.output
    schema = tmp_path / "deal.schema.json"
    assert result.output == (
        "a.yaml: written; it validates. Render it with: clausesmith render a.yaml\n"
        f"  Its $schema line names {schema}, for editors: write it with "
        f"clausesmith schema > {schema}\n"
    )
    assert (
        (tmp_path / "a.yaml")
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=deal.schema.json\n")
    )
