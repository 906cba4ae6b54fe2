"""Attacks on annex part marks: counsel's plausible edits to an annex clause.

A clause whose declared parts do not fit its annex, or a part whose paragraph renders
empty for a deal, must give an error naming the clause file (exit 1), never a traceback
(exit 70) and never an empty bullet or an empty table cell in the document.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.annex_parts import SCORECARD, deal_with_scorecard, edit, library_copy, render
from helpers.deals import ROOT

runner = CliRunner()


def test_a_scorecard_clause_declaring_the_royalty_parts_is_an_error_not_a_crash(
    tmp_path: Path,
) -> None:
    # Counsel copy the royalty annex's front matter and mark every criterion as a note.
    library = library_copy(tmp_path)
    clause = library / SCORECARD
    edit(
        clause,
        "parts: [intro, necessity, value_contribution, sales_velocity_impact, threshold, notes]",
        "parts: [intro, notes]",
    )
    for name in ("necessity", "value_contribution", "sales_velocity_impact", "threshold"):
        edit(clause, f'{{{{ part("{name}") }}}}', '{{ part("notes") }}')
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o")
    assert code == 1, output
    assert "internal error" not in output
    assert f"{clause}:14: parts: declares parts ['intro', 'notes'], but the scorecard" in output
    assert "type `parts: [intro, necessity, value_contribution, sales_velocity_impact," in output
    assert not (tmp_path / "o" / "acme-beta-2026").exists()


def test_a_note_that_renders_empty_for_this_deal_prints_no_empty_bullet(tmp_path: Path) -> None:
    # A conditional note: for a deal without a clean team it renders nothing but its mark.
    library = library_copy(tmp_path)
    clause = library / SCORECARD
    clause.write_text(
        clause.read_text(encoding="utf-8")
        + '\n{{ part("notes") }}{% if governance.clean_team %}Scores go through the clean '
        "team.{% endif %}\n",
        encoding="utf-8",
    )
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o")
    assert code == 0, output
    text = (tmp_path / "o" / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")
    notes = text[text.rindex("### Notes") : text.index("## Signatures")]
    assert notes.startswith("### Notes\n\n- The decision remains with the parties")
    assert "\n-\n" not in notes and "\n- \n" not in notes, notes


def test_a_threshold_that_renders_empty_is_an_error_naming_the_clause(tmp_path: Path) -> None:
    # The threshold printed only under a condition the deal does not meet: an empty bold
    # line where the scorecard's pass mark should be is worse than an error.
    library = library_copy(tmp_path)
    clause = library / SCORECARD
    edit(
        clause,
        '{{ part("threshold") }}The weighted scores',
        '{{ part("threshold") }}{% if governance.clean_team %}The weighted scores',
    )
    # (the extra line break: a block tag eats the one after it)
    edit(clause, "is recommended for approval.", "is recommended for approval.{% endif %}\n")
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o")
    assert code == 1, output
    assert f"{clause}: parts: renders no paragraph for part(s) ['threshold'] for this deal" in (
        output
    )


def test_a_mark_swallowed_into_the_paragraph_before_is_an_error_not_a_wrong_threshold(
    tmp_path: Path,
) -> None:
    # Written as counsel write it, `{% endif %}` at the end of the threshold eats the line
    # break after it: the notes' mark lands inside the threshold paragraph. The notes must
    # not be printed in bold as the scorecard's pass mark, with no threshold at all.
    library = library_copy(tmp_path)
    clause = library / SCORECARD
    edit(
        clause,
        '{{ part("threshold") }}The weighted scores',
        '{{ part("threshold") }}{% if governance.clean_team %}The weighted scores',
    )
    edit(clause, "is recommended for approval.", "is recommended for approval.{% endif %}")
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o")
    assert code == 1, output
    assert f"{clause}: parts: paragraph 5 ('The decision remains with the parties, e...')" in output
    assert (
        "has the mark of part 'notes' inside it, not at its start; leave a blank line "
        'before {{ part("notes") }}'
    ) in output
    assert not (tmp_path / "o" / "acme-beta-2026").exists()


def test_a_mark_a_filter_changed_is_an_error_naming_the_clause_not_the_template(
    tmp_path: Path,
) -> None:
    # `| upper` turns the mark's name into one take_mark does not read: its control
    # characters would reach the Word writer, which blamed the shipped template.
    library = library_copy(tmp_path)
    clause = library / "general" / "costs.md"
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.rstrip() + '\n\n{{ part("notes") | upper }}Stamp duty.\n', "utf-8")
    code, output = render(deal_with_scorecard(tmp_path), library, tmp_path / "o")
    assert code == 1, output
    assert f"{clause}: parts: paragraph 2 ('\\x02NOTES\\x03Stamp duty.') has a part mark " in output
    assert 'changed by a filter; write {{ part("NAME") }} on its own' in output
    assert "term-sheet.docx" not in output


def test_two_slots_printing_the_same_annex_are_refused_not_a_missing_annex_c(
    tmp_path: Path,
) -> None:
    # A firm's playbook with a second scorecard slot: both were chosen, one annex printed
    # as "Annex D" while the heads cite the criteria "in Annex C", which the term sheet lacks.
    books = tmp_path / "playbooks"
    shutil.copytree(ROOT / "playbooks", books)
    playbook = books / "cross-licence-standard.yaml"
    text = playbook.read_text(encoding="utf-8")
    start = text.index("  - slot: annex_scorecard\n")
    end = text.index("  # ---- Side letter", start)
    copy = (
        text[start:end]
        .replace("slot: annex_scorecard", "slot: annex_scorecard_2")
        .replace("id: annex-scorecard-", "id: annex-scorecard-2-")
    )
    playbook.write_text(text[:end] + copy + text[end:], encoding="utf-8")
    line = text[:end].count("\n") + 1
    args = ["render", str(deal_with_scorecard(tmp_path)), "--playbooks", str(books)]
    result = runner.invoke(cli, [*args, "-o", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    assert (
        f"{playbook}:{line}: slots[" in result.output
        and "].annex: slot 'annex_scorecard_2' prints the scorecard annex, as slot "
        "'annex_scorecard' does; a term sheet has one annex of each kind: choose between "
        "clauses by the rules of one slot"
        in result.output
    ), result.output
    assert not (tmp_path / "o").exists()
