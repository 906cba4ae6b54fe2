"""`clausesmith new` needs nothing else: it names every missing option at once, writes every
section with its keys and allowed values (from the schema and the playbook), and can set
up a deals repository (clausesmith.toml, .gitattributes, the JSON Schema editors read)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.deal.schema import DEAL_SCHEMA

runner = CliRunner()
NEW = [
    "--id", "kita-han-2026", "--governing-law", "japan", "--date", "2026-06-01",
    "--party", "kita", "Kita Denki K.K.", "JP", "--party", "han", "Han Robotics Co., Ltd.",
    "KR", "--field", "service robots", "--patent", "kita", "JP 7 123 456 B2", "Gripper",
]  # fmt: skip


def test_every_section_and_key_is_written_with_what_it_may_hold(tmp_path: Path) -> None:
    deal = tmp_path / "kita.yaml"
    assert runner.invoke(cli, ["new", str(deal), *NEW]).exit_code == 0
    text = deal.read_text(encoding="utf-8")
    for section, rules in DEAL_SCHEMA.items():
        if section != "clausesmith":
            assert f"\n{section}:" in text or f"\n# {section}:" in text, section
            keys = rules["schema"]["schema"] if rules["type"] == "list" else rules["schema"]
            for key in keys:
                assert f" {key}:" in text, f"{section}.{key}"
    # A key of a section the playbook fills in is never "required": left out, it takes the
    # playbook's value shown; inside an optional mapping or entry, required there.
    assert (
        "#   structure: royalty_free             # royalty_free | running | tiered | lump_sum\n"
        in (text)
    )
    assert "#   renewal: mutual                     # none | mutual | automatic\n" in text
    name = "#       name:" + " " * 27 + "# text, at most 300 characters"
    assert f"{name}; required in signatory\n" in text
    commented_sections = text.split("# Left out, so the playbook's preferred position")[1]
    assert "; required\n" not in commented_sections


def test_uncommenting_the_left_out_sections_gives_the_same_deal(tmp_path: Path) -> None:
    """The commented sections hold the playbook's values: uncommented, nothing changes."""
    deal = tmp_path / "kita.yaml"
    assert runner.invoke(cli, ["new", str(deal), *NEW]).exit_code == 0
    lines = deal.read_text(encoding="utf-8").splitlines()
    start, end = lines.index("# relationship:"), lines.index("# side_letters:")
    lines[start:end] = [line[2:] if line.startswith("# ") else line for line in lines[start:end]]
    full = tmp_path / "full.yaml"
    full.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    for spec in (deal, full):
        result = runner.invoke(cli, ["render", str(spec), "-o", str(out / spec.stem)])
        assert result.exit_code == 0, result.output
    made = out / "kita" / "kita-han-2026"
    again = out / "full" / "kita-han-2026"
    assert (made / "term-sheet.md").read_bytes() == (again / "term-sheet.md").read_bytes()
    explained = runner.invoke(cli, ["explain", str(full)]).output
    assert "took the playbook's preferred position" not in explained


def test_every_missing_option_is_named_at_once(tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["new", str(tmp_path / "x.yaml"), "--party", "a", "A Ltd", "GB", "--field", "x"]
    )
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: missing --id, --governing-law, --party KEY NAME JURISDICTION, "
        "--patent OWNER REF TITLE (not run on a terminal, so nothing can be asked)\n"
    )
    assert not (tmp_path / "x.yaml").exists()


def test_repository_sets_up_settings_attributes_and_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitattributes").write_text("*.pdf binary", encoding="utf-8")
    (tmp_path / "deals").mkdir()
    deal = Path("deals") / "kita.yaml"
    result = runner.invoke(cli, ["new", str(deal), "--repository", *NEW])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{tmp_path / 'clausesmith.toml'}: written\n"
        f"{tmp_path / '.gitattributes'}: added out/** -text, *.docx diff=docx\n"
        f"{tmp_path / 'deal.schema.json'}: written (the deal format for editors)\n"
        f"{deal}: written; it validates. Render it with: clausesmith render {deal}\n"
    )
    assert (tmp_path / ".gitattributes").read_text(encoding="utf-8") == (
        "*.pdf binary\nout/** -text\n*.docx diff=docx\n"
    )
    assert deal.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../deal.schema.json\n"
    )
    schema = json.loads((tmp_path / "deal.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads(runner.invoke(cli, ["schema"]).output)
    again = runner.invoke(cli, ["new", "deals/other.yaml", "--repository", *NEW])
    assert again.output == (
        "deals/other.yaml: written; it validates. Render it with: "
        "clausesmith render deals/other.yaml\n"
    )
    result = runner.invoke(cli, ["render"])  # the settings name the deals and the output
    assert result.exit_code == 1  # both deals have one id: refused, naming both
    assert "is also the id of deals/kita.yaml" in result.output
