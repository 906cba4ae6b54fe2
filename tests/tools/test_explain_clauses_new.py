"""explain (JSON against a schema, colour, --docx), clauses list/show, and new."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import cerberus
import docx
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.tools.explain import explain_text
from helpers.deals import ACME, DILIGENT_FAMILIES

runner = CliRunner()

CITATION = {
    "type": "dict",
    "schema": {
        "source": {"type": "string", "required": True},
        "identifier": {"type": "string", "required": True},
        "pinpoint": {"type": "string", "required": True},
        "holds": {"type": "string", "allowed": ["holding", "context"], "required": True},
        "verified": {"type": "boolean", "required": True},
        "checked_on": {"type": "string", "nullable": True, "required": True},
    },
}
SLOT = {
    "slot": {"type": "string", "required": True},
    "heading": {"type": "string", "required": True},
    "clause": {"type": "string", "required": True, "regex": r"^[a-z0-9_]+/[a-z0-9_-]+$"},
    "version": {"type": "integer", "required": True, "min": 1},
    "position": {"type": "string", "allowed": ["preferred", "fallback", "walk-away"]},
    "status": {"type": "string", "allowed": ["draft", "approved", "deprecated"]},
    "rule": {"type": "string", "required": True},
    "counsel_note": {"type": "string", "required": True, "nullable": True},
    "reads": {
        "type": "list",
        "schema": {
            "type": "dict",
            "schema": {"path": {"type": "string"}, "value": {"type": "string"}},
        },
    },
    "defaulted": {"type": "list", "schema": {"type": "string"}},
}
EXPLAIN_SCHEMA = {
    "deal": {"type": "string", "required": True},
    "spec": {"type": "string", "required": True},
    "playbook": {
        "type": "dict",
        "required": True,
        "schema": {"id": {"type": "string"}, "version": {"type": "integer"}},
    },
    "blocked": {"type": "boolean", "required": True},
    "defaulted_sections": {"type": "list", "required": True, "schema": {"type": "string"}},
    "documents": {
        "type": "list",
        "required": True,
        "schema": {
            "type": "dict",
            "schema": {
                "document": {"type": "string", "required": True},
                "slots": {"type": "list", "schema": {"type": "dict", "schema": SLOT}},
            },
        },
    },
    "findings": {
        "type": "list",
        "required": True,
        "schema": {
            "type": "dict",
            "schema": {
                "rule": {"type": "string", "required": True},
                "title": {"type": "string", "required": True},
                "basis": {"type": "string", "allowed": ["law", "guidance", "policy"]},
                "severity": {"type": "string", "allowed": ["block", "warn"]},
                "where": {"type": "string", "required": True, "regex": r".+\.yaml:\d+:\d+$"},
                "message": {"type": "string", "required": True},
                "blocks": {"type": "boolean", "required": True},
                "citations": {"type": "list", "minlength": 1, "schema": CITATION},
                "override": {"type": "dict", "nullable": True, "required": True},
                "acknowledgement": {"type": "dict", "nullable": True, "required": True},
                "deal_values": {
                    "type": "list",
                    "required": True,
                    "schema": {
                        "type": "dict",
                        "schema": {
                            "path": {"type": "string", "required": True},
                            "value": {"type": "string", "required": True},
                        },
                    },
                },
            },
        },
    },
}


def test_explain_json_matches_its_schema_for_a_blocked_deal(
    variant: Callable[..., Path],
) -> None:
    deal = variant(
        {
            "grant_back": {"exclusivity": "exclusive", "collaboration": "joint work"},
            "territory": {"include": ["EU", "US"]},
            "governance": {"clean_team": True},
            "patents": {"capture_period_years": 7, "families": DILIGENT_FAMILIES},  # no CS-06
        }
    )
    result = runner.invoke(cli, ["explain", str(deal), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    validator = cerberus.Validator(EXPLAIN_SCHEMA)
    assert validator.validate(data), validator.errors
    assert data["blocked"] is True
    assert [f["rule"] for f in data["findings"]] == ["CL-01-EXCLUSIVE-GRANT-BACK"]
    grant_back = next(s for s in data["documents"][0]["slots"] if s["slot"] == "grant_back")
    assert grant_back["clause"] == "grant_back/exclusive"
    assert {"path": "grant_back.exclusivity", "value": "exclusive"} in grant_back["reads"]
    # Counsel's note on the walk-away position is shown here, never printed.
    assert grant_back["counsel_note"] == (
        "This position departs from the standard playbook: an obligation to grant an exclusive "
        "licence of a party's own improvements is an excluded restriction under Art 5(1)(a) of "
        "the EU technology transfer block exemption, and is used only under a recorded counsel "
        "override (guardrail CL-01)."
    )
    text = runner.invoke(cli, ["explain", str(deal)]).output
    assert "    counsel note (not printed in the document): This position departs" in text


def test_explain_colours_only_when_asked(variant: Callable[..., Path]) -> None:
    deal = variant({"grant_back": {"exclusivity": "exclusive"}})
    result = runner.invoke(cli, ["explain", str(deal)])  # not a terminal: no colour
    assert "Finding CL-01-EXCLUSIVE-GRANT-BACK [BLOCKS]: " in result.output
    assert "\x1b[" not in result.output
    data = json.loads(runner.invoke(cli, ["explain", str(deal), "--format", "json"]).output)
    assert "[\x1b[1;31mBLOCKS\x1b[0m]" in explain_text(data, colour=True)


def test_explain_docx_is_an_issues_list_with_a_notes_column(tmp_path: Path) -> None:
    out = tmp_path / "issues.docx"
    result = runner.invoke(cli, ["explain", str(ACME), "--docx", str(out)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    findings, choices = document.tables
    assert [c.text for c in findings.rows[0].cells][-1] == "Counsel notes"
    assert [c.text for c in findings.rows[1].cells][:2] == ["CL-06-UK-ASSESSMENT", "warn (law)"]
    assert (
        findings.rows[1]
        .cells[2]
        .text.startswith(
            f"UK block exemption to be assessed ({ACME}:36:21). UK assessment needed: "
        )
    )
    rows = {r.cells[0].text: r.cells[1].text for r in choices.rows[1:]}
    # The shared reference deal describes a collaboration, so its grant-back prints.
    assert rows["term-sheet: grant_back"] == (
        "grant_back/collaboration_free v3 (preferred, approved)"
    )
    assert rows["side-letter-surgical: precedence"].startswith("side_letter/precedence v")


def test_explain_docx_is_landscape_with_a_wide_notes_column(tmp_path: Path) -> None:
    out = tmp_path / "issues.docx"
    assert runner.invoke(cli, ["explain", str(ACME), "--docx", str(out)]).exit_code == 0
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        widths = [cell.width for cell in table.rows[0].cells]
        assert widths[-1] >= 0.29 * text_width  # "Counsel notes"
        assert sum(widths) <= text_width


def test_explain_docx_is_dated_by_the_deal_not_the_clock(tmp_path: Path) -> None:
    """Two runs give the same bytes: every zip entry and the core properties carry the deal's
    date (2 March 2026), so the clock cannot leak in."""
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (first, second):
        assert runner.invoke(cli, ["explain", str(ACME), "--docx", str(out)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {info.date_time for info in z.infolist()} == {(2026, 3, 2, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
    created = docx.Document(str(first)).core_properties.created
    assert created == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def test_clauses_list_for_a_slot() -> None:
    result = runner.invoke(cli, ["clauses", "list", "--slot", "most_favoured_licensee"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "version", "status", "position", "slot", "title"]
    assert [line.split()[0] for line in lines[1:]] == [
        "mfl/full",
        "mfl/none",
        "mfl/same_field_and_territory",
    ]


def test_clauses_list_names_an_unknown_slot() -> None:
    result = runner.invoke(cli, ["clauses", "list", "--slot", "grantback"])
    assert result.exit_code == 1
    assert result.output.endswith(": --slot: no clause fills slot 'grantback'; did you mean "
                                  "'grant_back'?\n")  # fmt: skip


def test_clauses_show_gives_front_matter_text_and_uses() -> None:
    result = runner.invoke(cli, ["clauses", "show", "mfl/none"])
    assert result.exit_code == 0, result.output
    assert "\nid: mfl/none\n" in result.output
    assert "\nText:\n" in result.output
    used = result.output.split("Used by:\n")[1]
    assert used.startswith(
        "  cross-licence-standard v1, slot most_favoured_licensee, rule mfl-none "
        "(when not royalties.most_favoured_licensee) at "
    )


def test_clauses_show_suggests_the_nearest_id() -> None:
    result = runner.invoke(cli, ["clauses", "show", "mfl/ful"])
    assert result.exit_code == 1
    assert result.output.endswith(": no clause with id 'mfl/ful' (did you mean 'mfl/full'?)\n")


NEW = [
    "--id", "gamma-delta-2026", "--governing-law", "germany", "--date", "2026-06-01",
    "--party", "gamma", "Gamma Systems AG", "CH", "--party", "delta", "Delta Ltd", "GB",
    "--field", "machine vision", "--patent", "gamma", "EP 1 234 567 B1", "Lens array",
]  # fmt: skip


def test_new_writes_a_commented_deal_that_validates(tmp_path: Path) -> None:
    deal = tmp_path / "gamma.yaml"
    result = runner.invoke(cli, ["new", str(deal), *NEW])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{deal}: written; it validates. Render it with: clausesmith render {deal}\n"
    )
    text = deal.read_text(encoding="utf-8")
    assert text.startswith("# A new deal specification written by `clausesmith new`.")
    assert "\n# grant_back:\n" in text
    check = runner.invoke(cli, ["validate", str(deal)])
    assert check.output.startswith(f"{deal}: valid (gamma-delta-2026)\n")
    explained = runner.invoke(cli, ["explain", str(deal)]).output
    assert "Sections left out of the deal took the playbook's preferred position: " in explained


def test_new_never_overwrites_and_refuses_an_invalid_deal(tmp_path: Path) -> None:
    deal = tmp_path / "gamma.yaml"
    deal.write_text("keep me", encoding="utf-8")
    result = runner.invoke(cli, ["new", str(deal), *NEW])
    assert result.exit_code == 1
    assert result.output == f"{deal}: already exists; choose another name or pass --force\n"
    assert deal.read_text(encoding="utf-8") == "keep me"
    bad = [*NEW[:-3], "omega", *NEW[-2:]]  # a patent owned by no party
    result = runner.invoke(cli, ["new", str(tmp_path / "bad.yaml"), *bad])
    assert result.exit_code == 1
    assert "patents.families[0].owner" in result.output
    assert not (tmp_path / "bad.yaml").exists()


def test_new_without_a_terminal_needs_the_options(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["new", str(tmp_path / "x.yaml"), "--id", "x-2026"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: missing --governing-law, --party KEY NAME JURISDICTION (twice), --field, "
        "--patent OWNER REF TITLE (not run on a terminal, so nothing can be asked)\n"
    )
