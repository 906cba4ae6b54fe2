"""`clausesmith markup`: the other side's edits read back head by head.

Every fixture is our rendered term sheet edited the way a counterparty edits it: by its
XML, silently or as tracked changes (tests/helpers/counterparty.py)."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith import pipeline
from clausesmith.cli.main import cli
from clausesmith.docx.totext import docx_to_text
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from clausesmith.write.lockfile import read_lock
from helpers import counterparty as cp
from helpers.deals import ACME, MINIMAL
from helpers.markup import RATE, ours, run

runner = CliRunner()

EXCLUSIVE = (
    "to exploit them in the Licensed Field and in the Territory. The grant-back reaches",
    "to exploit them in the Licensed Field and in the Territory. The licence so granted is "
    "exclusive (including as against the grantor). The grant-back reaches",
)
PROTECTION = "A challenge is not a breach of the Agreement"


@pytest.fixture(scope="module")
def collab_deal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference deal with a described collaboration, so that it has a grant-back."""
    data = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    data["grant_back"]["collaboration"] = "joint development of a gripper for car plants"
    path = tmp_path_factory.mktemp("collab") / "acme-collab.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


@pytest.fixture(scope="module")
def collab_out(collab_deal: Path) -> Path:
    out = collab_deal.parent / "out"
    pipeline.write_deal(render_deal(collab_deal, Inputs(Sources.resolve()), out_dir=out))
    return out


def changed_lines(output: str) -> list[str]:
    return [line for line in output.splitlines()[1:] if not line.endswith(": unchanged")]


@pytest.mark.parametrize("tracked", [False, True], ids=["silent", "tracked"])
def test_a_raised_rate_is_the_rate_changed_in_the_deal(
    tmp_path: Path, acme_out: Path, tracked: bool
) -> None:
    code, output = run(tmp_path, cp.replace(ours(acme_out), *RATE, tracked), acme_out)
    assert changed_lines(output) == [
        "Royalties (royalties/running, fallback): edited",
        "  … Beta will pay Acme a balancing royalty of [-2-]{+2.5+}% of Net Sales of "
        "Licensed Products sold by …",
        "  their text under Royalties is closest to royalties/running (fallback), 98%; then "
        "payments/confidential_schedule (fallback), 82%; then royalties/tiered (fallback), 57%",
        "  royalties.rate_pct: 2 → 2.5 reproduces this edit",
        "  as if the deal had changed: no new guardrail finding",
        "Result: every edit is reproduced by a deal change that trips no block (exit 0)",
    ]
    assert code == 0


@pytest.mark.parametrize("tracked", [False, True], ids=["silent", "tracked"])
def test_an_inserted_exclusive_grant_back_is_blocked_by_cl_01(
    tmp_path: Path, collab_out: Path, tracked: bool
) -> None:
    code, output = run(tmp_path, cp.replace(ours(collab_out), *EXCLUSIVE, tracked), collab_out)
    lines = changed_lines(output)
    assert lines[0] == "Grant-Back (grant_back/collaboration_free, preferred): edited"
    assert "in the Territory{+. The licence so granted is exclusive (including as against " \
        "the grantor)+}. The grant-back" in lines[1]  # fmt: skip
    assert lines[3:] == [
        "  the words it adds are those of grant_back/exclusive (walk-away), which the deal "
        "change grant_back.exclusivity: non_exclusive → exclusive chooses",
        "  as if the deal had changed: CL-01-EXCLUSIVE-GRANT-BACK blocks "
        "(Exclusive grant-back of improvements)",
        "  off-playbook: counsel must review",
        "Result: an edit maps to a deal change that a guardrail blocks (exit 3)",
    ]
    assert code == 3


def test_a_struck_protection_is_off_playbook_with_the_nearest_position(
    tmp_path: Path, acme_out: Path
) -> None:
    code, output = run(tmp_path, cp.delete_paragraph(ours(acme_out), PROTECTION, True), acme_out)
    lines = changed_lines(output)
    assert lines[0] == "Right to Challenge (challenge/express_right, preferred): edited"
    assert lines[1].endswith(
        "royalties due.[- ¶ A challenge is not a breach of the Agreement and gives the other "
        "party no right to terminate, suspend or vary the licences, the royalties or any other "
        "term of the Agreement.-]"
    )
    assert lines[2] == (
        "  no library position is close to their text under Right to Challenge: the nearest, "
        "challenge/express_right (preferred), shares 71% of its words"
    )
    assert lines[3:] == [
        "  off-playbook: counsel must review",
        "Result: some text is off-playbook: counsel must review it (exit 5)",
    ]
    assert code == 5


def test_a_deleted_head_and_a_moved_paragraph(
    tmp_path: Path, collab_out: Path, collab_deal: Path
) -> None:
    data = cp.delete_row(ours(collab_out), "Each party may at any time challenge the", True)
    data = cp.move_paragraph(
        data,
        "Nothing in the Agreement will oblige either party to assign any Improvement, or",
        "A party that wants a licence under the grant-back will ask",
    )
    code, output = run(tmp_path, data, collab_deal, "--format", "json")
    report = json.loads(output)
    heads = {h["slot"]: h for h in report["heads"]}
    assert heads["right_to_challenge"]["status"] == "deleted"
    assert heads["right_to_challenge"]["off_playbook"] is True
    assert heads["grant_back"]["status"] == "moved"
    assert heads["grant_back"]["reproduced_by"] is None
    assert report["outside"] == [
        {
            "status": "deleted",
            "ours": "21. Right to Challenge",
            "theirs": None,
            "diff": "[-21. Right to Challenge-]",
            "reproduced_by": None,
            "findings": [],
            "off_playbook": True,
            "row": "",
        }
    ]
    assert (
        sum(h["status"] == "unchanged" for h in report["heads"]) == 48
    )  # the further heads' slots, the rate review and the payment terms
    assert report["exit_code"] == code == 5


def test_a_changed_address_is_the_party_address_changed_in_the_deal(
    tmp_path: Path, acme_out: Path
) -> None:
    new = "251 Little Falls Drive, Wilmington, DE 19808"
    # the title block names the parties only; the Parties head holds the address, once
    data = cp.replace(
        ours(acme_out), "at 1201 Orange Street, Wilmington, DE 19801", f"at {new}", True
    )
    code, output = run(tmp_path, data, acme_out, "--format", "json")
    report = json.loads(output)
    change = {
        "path": "parties[0].address",
        "from": "1201 Orange Street, Wilmington, DE 19801, United States",
        "to": f"{new}, United States",
    }
    parties = next(h for h in report["heads"] if h["slot"] == "parties")
    assert parties["reproduced_by"] == {
        "clause": "general/parties",
        "position": "preferred",
        "changes": [change],
    }
    assert report["outside"] == []
    assert code == 0


def test_an_unchanged_document_and_the_redline_by_the_other_party(
    tmp_path: Path, acme_out: Path
) -> None:
    code, output = run(tmp_path, ours(acme_out), acme_out)
    assert output.splitlines()[-1] == (
        "Result: no changes; their document is ours word for word (exit 0)"
    )
    assert code == 0
    red = tmp_path / "red.docx"
    code, output = run(
        tmp_path, cp.replace(ours(acme_out), *RATE, True), acme_out, "--redline", str(red)
    )
    assert output.splitlines()[-1] == f"wrote {red}"
    text = docx_to_text(red)
    royalties = next(line for line in text.splitlines() if line.startswith("| 17. Royalties"))
    assert "Beta will pay Acme a balancing royalty of [-2-]{+2.5+}% of Net Sales" in royalties
    assert royalties.count("[-") == royalties.count("{+") == 1  # word by word, not whole
    with zipfile.ZipFile(red) as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:author="Beta"' in xml and 'w:author="Acme"' not in xml


def test_their_file_must_be_a_word_file_within_bounds(tmp_path: Path, acme_out: Path) -> None:
    code, output = run(tmp_path, b"%PDF-1.7 not a zip", acme_out)
    assert code == 1
    assert output.strip() == f"{tmp_path / 'theirs.docx'}: is not a Word (.docx) file"
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * 33_000_000)
    code, output = run(tmp_path, bomb.read_bytes(), acme_out)
    assert code == 1
    assert output.strip() == (
        f"{tmp_path / 'theirs.docx'}: word/document.xml: uncompressed over 32,000,000 bytes; "
        "clausesmith reads Word files only within that limit"
    )


def test_another_deals_file_is_refused(tmp_path: Path, acme_out: Path) -> None:
    namespace = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(tmp_path / "x.docx", "w") as z:
        z.writestr(
            "word/document.xml",
            b'<w:document xmlns:w="' + namespace + b'"><w:body><w:p/></w:body></w:document>',
        )
    code, output = run(tmp_path, (tmp_path / "x.docx").read_bytes(), acme_out)
    assert code == 1
    assert output.strip() == (
        f"{tmp_path / 'theirs.docx'}: keeps no clause paragraph of any document of "
        f"{acme_out}; is it a markup of another deal?"
    )


@pytest.mark.slow
@pytest.mark.tools("soffice")
def test_a_rate_raised_in_libreoffice_with_track_changes_on(tmp_path: Path, acme_out: Path) -> None:
    """The fixture a counterparty on LibreOffice sends: its own XML (runs split, page breaks
    moved into paragraphs), its tracked changes. Skipped without LibreOffice, a failure
    under CLAUSESMITH_REQUIRE_TOOLS=1 (as in CI)."""
    edited = tmp_path / "lo.docx"
    subprocess.run(
        [
            "/usr/bin/python3",  # the system Python has LibreOffice's UNO bridge
            str(Path(__file__).parents[1] / "helpers" / "libreoffice_edit.py"),
            str(acme_out / "term-sheet.docx"),
            str(edited),
            str(tmp_path / "profile"),
            *RATE,
            "Beta",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with zipfile.ZipFile(edited) as z:
        xml = z.read("word/document.xml").decode()
    assert '<w:del w:id="0" w:author="Beta"' in xml and 'w:author="Beta"' in xml
    code, output = run(tmp_path, edited.read_bytes(), acme_out)
    assert changed_lines(output)[3:] == [
        "  royalties.rate_pct: 2 → 2.5 reproduces this edit",
        "  as if the deal had changed: no new guardrail finding",
        "Result: every edit is reproduced by a deal change that trips no block (exit 0)",
    ]
    assert code == 0


def test_a_head_whose_every_paragraph_they_edited_is_edited_not_deleted(
    tmp_path: Path, acme_out: Path
) -> None:
    data = cp.replace(ours(acme_out), "Each party may at any time", "Each party may at any time, "
                      "on thirty (30) days' notice,", False)  # fmt: skip
    data = cp.replace(
        data, "A challenge is not a breach", "A challenge is not of itself a breach", True
    )
    code, output = run(tmp_path, data, acme_out, "--format", "json")
    report = json.loads(output)
    head = next(h for h in report["heads"] if h["slot"] == "right_to_challenge")
    assert head["status"] == "edited"
    assert head["diff"].count("{+") == 2 and "[-" not in head["diff"]
    assert head["nearest"][0]["clause"] == "challenge/express_right"
    assert head["moves_toward"] is None  # a notice period is no one position's wording
    assert report["outside"] == []
    assert code == 5


def test_a_side_letter_term_changed_is_the_letter_term_changed_in_the_deal(
    tmp_path: Path, acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    # The reference letter asks for no entry notice; a deal whose letter does.
    acme_data["side_letters"][0]["terms"]["notice_before_entry_months"] = 6
    acme_data["governance"]["clean_team"] = True  # between competitors, only to a clean team
    acme_data["grant_back"]["collaboration"] = None
    ours_folder = tmp_path / "ours"
    deal = write_deal(acme_data)
    pipeline.write_deal(render_deal(deal, Inputs(Sources.resolve()), out_dir=ours_folder))
    letter = (ours_folder / "side-letter-surgical.docx").read_bytes()
    data = cp.replace(letter, "at least six (6) months", "at least nine (9) months", True)
    code, output = run(tmp_path, data, ours_folder)
    assert changed_lines(output) == [
        "Notice before Entry (side_letter/entry_notice, preferred): edited",
        "  … product in the Sensitive Field will, at least [-six-]{+nine+} ([-6-]{+9+}) months "
        "before it does so, notify the Clean …",
        "  their text under Notice before Entry is closest to side_letter/entry_notice "
        "(preferred), 98%",
        "  side_letters[0].terms.notice_before_entry_months: 6 → 9 reproduces this edit",
        "  as if the deal had changed: no new guardrail finding",
        "Result: every edit is reproduced by a deal change that trips no block (exit 0)",
    ]
    assert output.splitlines()[0].endswith("(side-letter-surgical.docx): 1 of 4 heads changed, "
                                           "0 changes outside the clauses")  # fmt: skip
    assert code == 0


def test_a_rate_raised_with_the_annex_figures_is_one_deal_change(
    tmp_path: Path, acme_out: Path
) -> None:
    data = cp.replace(ours(acme_out), *RATE, True)
    data = cp.replace(data, "by Beta to Acme at 2%", "by Beta to Acme at 2.5%", True)
    data = cp.replace_everywhere(
        data,
        {
            "EUR 160,000": "EUR 200,000",
            "EUR 800,000": "EUR 1,000,000",
            "EUR 1,900,000": "EUR 2,375,000",
        },
    )
    code, output = run(tmp_path, data, acme_out)
    outside = output[output.index("Outside the clauses:") :].splitlines()
    assert outside[:4] == [
        "Outside the clauses:",
        "  edited (row Worst): EUR [-160,000-]{+200,000+}",
        "    royalties.rate_pct: 2 → 2.5 reproduces this edit",
        "    as if the deal had changed: no new guardrail finding",
    ]
    assert output.count("royalties.rate_pct: 2 → 2.5 reproduces this edit") == 7
    assert "All their changes together" not in output  # one change, reported with its edits
    assert code == 0


def test_all_their_changes_together(tmp_path: Path, collab_out: Path) -> None:
    data = cp.replace(cp.replace(ours(collab_out), *RATE, True), *EXCLUSIVE, False)
    code, output = run(tmp_path, data, collab_out, "--format", "json")
    together = json.loads(output)["together"]
    assert together == {
        "changes": [
            {"path": "grant_back.exclusivity", "from": "non_exclusive", "to": "exclusive"},
            {"path": "royalties.rate_pct", "from": "2", "to": "2.5"},
        ],
        "valid": True,
        "findings": [
            {
                "rule": "CL-01-EXCLUSIVE-GRANT-BACK",
                "title": "Exclusive grant-back of improvements",
                "severity": "block",
                "blocks": True,
            }
        ],
    }
    assert code == 3
    code, output = run(tmp_path, data, collab_out)
    assert output.splitlines()[-3:] == [
        "All their changes together: grant_back.exclusivity: non_exclusive → exclusive; "
        "royalties.rate_pct: 2 → 2.5",
        "  as if the deal had changed: CL-01-EXCLUSIVE-GRANT-BACK blocks "
        "(Exclusive grant-back of improvements)",
        "Result: an edit maps to a deal change that a guardrail blocks (exit 3)",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("deal", [ACME, MINIMAL], ids=["acme-beta", "minimal"])
def test_every_clause_edited_in_every_document_is_reported_and_nothing_reproduces_it(
    tmp_path: Path, deal: Path
) -> None:
    ours = tmp_path / "ours"  # -o DIR renders into DIR/<deal id>/
    assert runner.invoke(cli, ["render", str(deal), "-o", str(ours)]).exit_code == 0
    (folder,) = ours.iterdir()
    lock = read_lock(folder)
    assert lock is not None
    for entry in (e for e in lock.documents if e.path.endswith(".docx")):
        data = cp.append_to_every_clause(
            (folder / entry.path).read_bytes(),
            entry.clauses,
            " Save as agreed within 7 days.",
        )
        code, output = run(tmp_path, data, folder, "--format", "json")
        report = json.loads(output)
        assert report["document"] == entry.path
        assert [h["status"] for h in report["heads"]] == ["edited"] * len(entry.clauses)
        assert all(h["off_playbook"] and h["reproduced_by"] is None for h in report["heads"])
        added = re.compile(r"\{\+[^+]*Save as agreed within 7 days[^+]*\+\}")
        assert all(added.search(h["diff"]) for h in report["heads"])
        assert report["outside"] == []
        assert code == 5


def test_a_paragraph_of_850_000_characters_is_compared_in_bounded_time(
    tmp_path: Path, acme_out: Path
) -> None:
    """Their text is untrusted: every comparison is bounded (word_diff.MAX_WORK, and the
    fingerprint matcher tries few starts in a long paragraph), so this finishes in seconds
    instead of hours."""
    flood = "A challenge is not a breach " + "and not a breach " * 50_000
    data = cp.replace(ours(acme_out), "A challenge is not a breach", flood, False)
    code, output = run(tmp_path, data, acme_out)
    assert changed_lines(output)[0] == (
        "Right to Challenge (challenge/express_right, preferred): edited"
    )
    assert code == 5
