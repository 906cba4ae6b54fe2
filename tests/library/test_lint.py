"""`clausesmith lint`: a broken library with a fixture per finding; the shipped one is clean."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.library import registry
from clausesmith.library.clause import load_clause
from helpers.deals import ACME, ROOT

runner = CliRunner()

GUARDRAIL = """\
  - id: G-01-NO-CITATION
    title: A guardrail with no citation
    basis: policy
    severity: warn
    when: 'challenge.no_challenge'
    message: Says what to change; the playbook does not accept it.
    citations: []
"""
CLAIMS = """\
  - id: G-02-OVERCLAIMS
    title: Guidance that claims the law
    basis: guidance
    severity: warn
    check: market_allocation
    message: The parties allocate {left_out} and {markets}; such a clause is unenforceable.
    citations:
      - {source: S, identifier: I, pinpoint: P2, holds: holding, verified: true, checked_on: null}
  - id: G-03-LAW-WITHOUT-HOLDING
    title: Law cited only as context
    basis: law
    severity: block
    check: no_such_check
    message: Blocked.
    citations:
      - {source: S, identifier: I, pinpoint: P3, holds: context, verified: false,
         checked_on: 2026-01-01}
"""
FIELDS = """\
fields:
  surgical robotics: medical devices
  arms: [robots]
  robots: arms
"""

SLOTS = """\
  - slot: grant_back
    document: term_sheet
    heading: Grant-Back
    rules:
      - {id: gb-none, when: 'grant_back.scope == "none"', clause: gb/none}
      - {id: gb-collab, when: 'grant_back.scope == "collaboration_improvements"', clause: gb/collab}
  - slot: most_favoured_licensee
    document: term_sheet
    heading: Most-Favoured Licensee
    rules:
      - {id: mfl-typo, clause: mfl/full,
         when: 'royalties.structure == "tiered" and royalties.most_favoured_licencee'}
      - {id: mfl-any, clause: mfl/full}
      - {id: mfl-dead, when: 'royalties.most_favoured_licensee', clause: mfl/dead}
  - slot: audit
    document: term_sheet
    heading: Audit
    rules:
      - {id: audit-draft, clause: audit/draft}
"""


def clause(cid: str, slot: str, body: str, status: str = "approved", extra: str = "") -> str:
    return (
        f"---\nid: {cid}\nversion: 1\ntitle: {cid}\nslot: {slot}\nposition: preferred\n"
        f"status: {status}\napproved_by: Counsel\napproved_on: 2026-01-01\n"
        f"citations: []\n{extra}---\n{body}\n"
    )


CLAUSES = {
    "gb/none.md": clause(
        "gb/none",
        "grant_back",
        "There is no grant-back.",
        extra="examples:\n  - spec: {grant_back: {scope: none}}\n    expect: no grant-back\n",
    ),
    "gb/collab.md": clause(
        "gb/collab",
        "grant_back",
        "Collaboration Improvements for {{ grant_back.sunset_years }} years.",
        extra="examples:\n  - spec: {}\n    expect: 'for ten years'\n",
    ),
    "mfl/full.md": clause(
        "mfl/full",
        "most_favoured_licensee",
        "Most favoured.\n\n{% if royalties.cap %}Capped at {{ royalties.cap.amont }}.{% endif %}",
    ),
    "mfl/dead.md": clause("mfl/dead", "most_favoured_licensee", "Never chosen."),
    "audit/draft.md": clause("audit/draft", "audit", "Audit yearly.", status="draft"),
    "zz/second.md": clause("gb/none", "grant_back", "A second clause with a taken id."),
    "bad/front.md": clause("bad/front", "audit", "Text.").replace("preferred", "best"),
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A library and playbooks with one instance of every problem lint finds."""
    root = tmp_path_factory.mktemp("broken")
    library, playbooks = root / "library", root / "playbooks"
    for name, text in CLAUSES.items():
        (library / name).parent.mkdir(parents=True, exist_ok=True)
        (library / name).write_text(text, encoding="utf-8")
    approved = [load_clause(library / n, n) for n in CLAUSES if n not in ("zz/second.md",)
                if "best" not in CLAUSES[n]]  # fmt: skip
    registry.approve(library, approved)
    (library / "fields.yaml").write_text(FIELDS, encoding="utf-8")
    collab = library / "gb" / "collab.md"  # edited after approval, version unchanged
    collab.write_text(collab.read_text().replace("Improvements for", "Improvements, for"))
    shipped = yaml.safe_load((ROOT / "playbooks" / "cross-licence-standard.yaml").read_text())
    playbooks.mkdir()
    (playbooks / "mini.yaml").write_text(
        "id: mini\nversion: 1\ntitle: Mini\nstatus: approved\n"
        + yaml.safe_dump({"defaults": shipped["defaults"]})
        + "guardrails:\n"
        + GUARDRAIL
        + "slots:\n"
        + SLOTS,
        encoding="utf-8",
    )
    (playbooks / "claims.yaml").write_text(
        "id: claims\nversion: 1\ntitle: Claims\nstatus: draft\ndefaults: {}\nguardrails:\n"
        + CLAIMS
        + "slots: []\n",
        encoding="utf-8",
    )
    (playbooks / "broken.yaml").write_text(
        "id: broken\nversion: 1\ntitle: Broken\nstatus: draft\ndefaults: {}\nguardrails:\n"
        "  - {id: B-1, title: T, basis: law, severity: warn, when: 'grant_back.scope ==',\n"
        "     message: M, citations: [{source: S, identifier: I, pinpoint: P, holds: holding,\n"
        "     verified: true, checked_on: 2026-11-29}]}\nslots: []\n",
        encoding="utf-8",
    )
    deal: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    deal["deal"]["playbook"] = "mini"
    reference = root / "reference.yaml"
    reference.write_text(yaml.safe_dump(deal, sort_keys=False), encoding="utf-8")
    result = runner.invoke(
        cli,
        ["lint", "--library", str(library), "--playbooks", str(playbooks),
         "--reference", str(reference)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    return root, result.output


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def expect(broken: tuple[Path, str], line: str) -> None:
    root, output = broken
    assert line.format(root=root) in output.splitlines(), output


def test_front_matter_that_breaks_the_schema(broken: tuple[Path, str]) -> None:
    expect(
        broken,
        "{root}/library/bad/front.md:6:11: position: expected one of preferred | fallback | "
        "walk-away, got 'best'",
    )


def test_duplicate_ids(broken: tuple[Path, str]) -> None:
    expect(
        broken, "{root}/library/zz/second.md:2: id: 'gb/none' is also the id of "
        "{root}/library/gb/none.md",
    )  # fmt: skip


def test_text_changed_without_a_new_version(broken: tuple[Path, str]) -> None:
    expect(
        broken,
        "{root}/library/gb/collab.md:3: version: the text changed but the version did not "
        "(still 1); raise `version` to 2, then run `clausesmith clauses approve`",
    )


def test_clause_reading_a_nested_path_the_deal_does_not_have(broken: tuple[Path, str]) -> None:
    expect(
        broken,
        "{root}/library/mfl/full.md:14: text reads 'royalties.cap.amont', which a deal does "
        "not have (did you mean 'royalties.cap.amount'?)",
    )


def test_condition_that_does_not_compile(broken: tuple[Path, str]) -> None:
    expect(
        broken,
        "{root}/playbooks/broken.yaml:7: guardrails[0].when: condition does not compile: "
        "unexpected 'end of print statement'",
    )


def test_condition_reading_an_unknown_path(broken: tuple[Path, str]) -> None:
    expect(
        broken,
        "{root}/playbooks/mini.yaml:"
        + str(line_of(broken[0] / "playbooks" / "mini.yaml", "most_favoured_licencee"))
        + ": slots.most_favoured_licensee.mfl-typo: condition reads "
        "'royalties.most_favoured_licencee', which a deal does not have "
        "(did you mean 'royalties.most_favoured_licensee'?)",
    )


def test_slot_left_without_a_clause(broken: tuple[Path, str]) -> None:
    line = line_of(broken[0] / "playbooks" / "mini.yaml", "slot: grant_back")
    expect(
        broken,
        f"{{root}}/playbooks/mini.yaml:{line}: slots.grant_back: no rule matches when "
        "grant_back.scope = 'non_severable_improvements' (2 of 4 combinations of enumerated "
        "values leave the slot without a clause); end the slot with a rule that has no `when`",
    )


def test_clause_no_rule_can_choose(broken: tuple[Path, str]) -> None:
    expect(
        broken,
        "{root}/library/mfl/dead.md:2: id: no rule can choose it: only mini rule mfl-dead "
        "names it, and earlier rules of its slot match every case first",
    )


def test_draft_clause_an_approved_playbook_can_choose(broken: tuple[Path, str]) -> None:
    line = line_of(broken[0] / "playbooks" / "mini.yaml", "audit-draft")
    expect(
        broken,
        f"{{root}}/playbooks/mini.yaml:{line}: slots.audit.audit-draft: approved playbook mini "
        "can choose draft clause audit/draft; approve the clause or remove the rule",
    )


def test_guardrail_without_a_citation(broken: tuple[Path, str]) -> None:
    line = line_of(broken[0] / "playbooks" / "mini.yaml", "citations: []")
    expect(
        broken,
        f"{{root}}/playbooks/mini.yaml:{line}: guardrails.G-01-NO-CITATION: has no citation; "
        "every guardrail names the law it enforces",
    )


def test_guidance_that_claims_the_law(broken: tuple[Path, str]) -> None:
    line = line_of(broken[0] / "playbooks" / "claims.yaml", "G-02-OVERCLAIMS")
    key = f"{{root}}/playbooks/claims.yaml:{line}: guardrails.G-02-OVERCLAIMS: "
    expect(broken, key + "basis is guidance, so its message says 'risk under'")
    expect(broken, key + "message says 'unenforceable', which claims more than any basis allows")
    expect(
        broken,
        key + "message names {{markets}}, which check 'market_allocation' does not give; it "
        "gives {{territory}}, {{left_out}}, {{law}}",
    )
    cite = line_of(broken[0] / "playbooks" / "claims.yaml", "pinpoint: P2")
    expect(
        broken,
        f"{{root}}/playbooks/claims.yaml:{cite}: guardrails.G-02-OVERCLAIMS: citation 'P2' is "
        "verified, so it says when (checked_on)",
    )


def test_law_without_a_holding_and_a_check_that_does_not_exist(broken: tuple[Path, str]) -> None:
    line = line_of(broken[0] / "playbooks" / "claims.yaml", "G-03-LAW-WITHOUT-HOLDING")
    key = f"{{root}}/playbooks/claims.yaml:{line}: guardrails.G-03-LAW-WITHOUT-HOLDING: "
    expect(broken, key + "basis is law, so it cites the provision that holds it (holds: holding)")
    expect(broken, key + "check 'no_such_check' does not exist; known: binding_heads, "
        "competitor_sharing, deal_definitions, entry_notice, eu_market_share, "
        "field_consistency, german_licensor_payments, grant_back_collaboration, "
        "hardcore_text, information_exchange, letter_grant_back, market_allocation, "
        "milestone_periods, no_challenge, patent_diligence, periods, restraints_to_assess, "
        "scope_allocation, sensitive_fields, side_letters, termination_on_challenge, "
        "uk_market_share, us_market_share, us_titles")  # fmt: skip
    cite = line_of(broken[0] / "playbooks" / "claims.yaml", "pinpoint: P3")
    expect(
        broken,
        f"{{root}}/playbooks/claims.yaml:{cite}: guardrails.G-03-LAW-WITHOUT-HOLDING: citation "
        "'P3' has checked_on but is not verified; set both",
    )


def test_a_taxonomy_with_an_unlisted_broader_field_and_a_cycle(broken: tuple[Path, str]) -> None:
    expect(
        broken,
        "{root}/library/fields.yaml:2:22: fields.surgical robotics: names the broader field "
        "'medical devices', which is not listed; add it (null if it is at the top)",
    )
    expect(
        broken,
        "{root}/library/fields.yaml:3:9: fields.arms: lies inside itself; a field's broader "
        "fields may not lead back to it",
    )


def test_example_that_does_not_render_its_phrase(broken: tuple[Path, str]) -> None:
    expect(
        broken,
        "{root}/library/gb/collab.md:12: examples[0]: does not render its expected phrase "
        "'for ten years'; it rendered: 'Collaboration Improvements, for 3 years.'",
    )


def test_a_good_example_and_a_good_clause_raise_nothing(broken: tuple[Path, str]) -> None:
    root, output = broken
    assert f"{root}/library/gb/none.md:1" not in output
    assert "audit/draft.md" not in output
    assert output.splitlines()[-1].startswith("22 problems in 5 clauses and 2 playbooks")


def test_the_shipped_library_is_clean() -> None:
    result = runner.invoke(cli, ["lint"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("0 problems in ")


def test_approve_refuses_a_changed_text_at_an_approved_version(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "clause_library", library)
    full = library / "mfl" / "full.md"
    full.write_text(full.read_text().replace("sixty (60) days", "ten (10) days"))
    result = runner.invoke(cli, ["clauses", "approve", "--all", "--library", str(library)])
    assert result.exit_code == 1
    assert result.output == (
        f"{full}: version: text changed but version 2 was already approved with other text; "
        "raise the version (or approve with --force to re-baseline)\n"
    )
    full.write_text(full.read_text().replace("version: 2", "version: 3"))
    result = runner.invoke(cli, ["clauses", "approve", "--all", "--library", str(library)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"approved mfl/full v3 (was v2)\n{library / 'approved.json'}: 1 change(s) recorded\n"
    )


def test_a_citation_verified_in_a_clause_and_not_in_the_playbook_is_one_problem(
    tmp_path: Path,
) -> None:
    library, playbooks = tmp_path / "library", tmp_path / "playbooks"
    shutil.copytree(ROOT / "clause_library", library)
    shutil.copytree(ROOT / "playbooks", playbooks)
    capture = library / "patents" / "capture_period.md"
    text = capture.read_text(encoding="utf-8")
    unverified = 'pinpoint: "ten-year Capture Period", verified: false}'
    assert unverified in text
    capture.write_text(text.replace(unverified, unverified.replace("false", "true")), "utf-8")
    args = ["lint", "--library", str(library), "--playbooks", str(playbooks)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    book = playbooks / "cross-licence-standard.yaml"
    [problem] = [line for line in result.output.splitlines() if "one verification state" in line]
    assert problem.startswith(f"{book}:")
    assert (
        "guardrails.CL-08-PERIODS.citations[2]: cites 'ten-year Capture Period' as unverified, "
        f"but {capture}:12 marks the same citation verified; a citation has one verification "
        "state: set verified (and checked_on) alike in both, false unless the primary text was "
        "read"
    ) in problem
