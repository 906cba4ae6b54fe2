"""Annex parts are declared in the clause's front matter, not read by place.

Counsel who add a paragraph to the scorecard annex either get it printed where they meant
(a note) or an error naming the clause file; never a criterion description moved into the
threshold line.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.annex_parts import SCORECARD, deal_with_scorecard, edit, library_copy, render
from helpers.deals import ACME, ROOT, deep_merge

runner = CliRunner()


def test_the_scorecard_annex_reads_each_part_by_its_name(tmp_path: Path) -> None:
    code, output = render(deal_with_scorecard(tmp_path), ROOT / "clause_library", tmp_path / "o")
    assert code == 0, output
    text = (tmp_path / "o" / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")
    annex = text[text.index("Grant-Back Review Scorecard\n") :]
    assert "| Necessity | 40% | Whether the requesting party needs the Improvement" in annex
    assert "| Impact on sales velocity | 25% | The expected effect of the licence" in annex
    assert "**The weighted scores are added together" in annex  # the threshold, in bold
    assert "- The decision remains with the parties" in annex  # the notes


def test_a_paragraph_added_at_the_end_is_printed_as_a_note(tmp_path: Path) -> None:
    library = library_copy(tmp_path)
    clause = library / SCORECARD
    clause.write_text(
        clause.read_text(encoding="utf-8") + "\nScores are kept for the term of the Agreement.\n",
        encoding="utf-8",
    )
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o")
    assert code == 0, output
    text = (tmp_path / "o" / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")
    assert "- Scores are kept for the term of the Agreement." in text


def test_a_paragraph_added_between_the_criteria_is_an_error_naming_the_clause(
    tmp_path: Path,
) -> None:
    library = library_copy(tmp_path)
    clause = library / SCORECARD
    edit(
        clause,
        '\n\n{{ part("value_contribution") }}',
        '\n\nThe Committee may ask for more evidence.\n\n{{ part("value_contribution") }}',
    )
    out = tmp_path / "o"
    code, output = render(deal_with_scorecard(tmp_path), library, out)
    assert code == 1
    assert (
        f"{clause}: parts: paragraph 3 ('The Committee may ask for more evidence.') names no "
        """part; start it with {{ part("NAME") }}, NAME one of ['intro', 'necessity', """
        "'value_contribution', 'sales_velocity_impact', 'threshold', 'notes'], or move it "
        "after the notes" in output
    )
    assert not (out / "acme-beta-2026" / "term-sheet.docx").exists()
    assert "Traceback" not in output

    # A paragraph too few cannot fit either.
    library = library_copy(tmp_path / "fewer")
    clause = library / SCORECARD
    text = clause.read_text(encoding="utf-8")
    start = text.index('\n\n{{ part("value_contribution") }}')
    end = text.index("\n\n", start + 2)
    clause.write_text(text[:start] + text[end:], encoding="utf-8")
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o2")
    assert code == 1
    assert (
        f"{clause}: parts: renders no paragraph for part(s) ['value_contribution'] for this deal"
        in output
    )


def test_a_part_given_twice_or_undeclared_is_an_error(tmp_path: Path) -> None:
    library = library_copy(tmp_path)
    clause = library / SCORECARD
    edit(clause, '{{ part("value_contribution") }}', '{{ part("necessity") }}')
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o")
    assert code == 1
    assert (
        f"{clause}: parts: part 'necessity' is given twice (again in paragraph 3: "
        "'The technical and commercial value the I...'); each part but notes is one paragraph"
        in output
    )
    edit(clause, '{{ part("necessity") }}The technical', '{{ part("value") }}The technical')
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o")
    assert code == 1
    assert "names part 'value', which the front matter does not declare" in output


def test_a_deal_value_cannot_forge_a_part_mark(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    data = deep_merge(data, {"grant_back": {"collaboration": "\x02threshold\x03 forged"}})
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    code, output = render(path, ROOT / "clause_library", tmp_path / "o")
    assert code == 1
    assert "grant_back.collaboration" in output and "U+0002" in output


def test_lint_names_a_declaration_that_does_not_fit_the_annex(tmp_path: Path) -> None:
    library = library_copy(tmp_path)
    clause = library / SCORECARD
    edit(
        clause,
        "parts: [intro, necessity, value_contribution, sales_velocity_impact, threshold, notes]",
        "parts: [intro, threshold, notes]",
    )
    result = runner.invoke(cli, ["lint", "--library", str(library)])
    assert result.exit_code == 1
    line = next(
        i for i, t in enumerate(clause.read_text().splitlines(), 1) if t.startswith("parts:")
    )
    assert (
        f"{clause}:{line}: parts: declares parts ['intro', 'threshold', 'notes'], but the "
        "scorecard annex reads ['intro', 'necessity', 'value_contribution', "
        "'sales_velocity_impact', 'threshold', 'notes']; type `parts: [intro, necessity, "
        "value_contribution, sales_velocity_impact, threshold, notes]`" in result.output
    )


def test_a_playbook_annex_slot_must_say_which_annex(tmp_path: Path) -> None:
    books = tmp_path / "playbooks"
    shutil.copytree(ROOT / "playbooks", books)
    playbook = books / "cross-licence-standard.yaml"
    edit(playbook, "    annex: scorecard ", "    # annex removed ")
    line = next(
        i
        for i, t in enumerate(playbook.read_text().splitlines(), 1)
        if t.strip() == "- slot: annex_scorecard"
    )
    result = runner.invoke(cli, ["validate", str(ACME), "--playbooks", str(books)])
    assert result.exit_code == 1
    assert (
        f"{playbook}:{line}: slots[" in result.output
        and "].annex: slot 'annex_scorecard' has role annex but no `annex:`; type one of "
        "royalty_model, scorecard"
        in result.output
    )
