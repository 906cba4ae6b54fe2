"""`review` takes the road every many-deal command takes: folders and globs, worker
processes, a deal that stops never stopping the others, one summary and the worst code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, MINIMAL

runner = CliRunner()


def test_review_of_several_deals_goes_on_past_a_blocked_one(
    tmp_path: Path, variant: Callable[..., Path]
) -> None:
    blocked = variant(
        {"deal": {"id": "blocked-one"}, "grant_back": {"exclusivity": "exclusive"}},
        name="blocked.yaml",
    )
    out = tmp_path / "review"
    result = runner.invoke(cli, ["review", str(ACME), str(MINIMAL), str(blocked), "-o", str(out)])
    assert result.exit_code == 3  # the worst of the deals': one blocked
    lines = result.output.splitlines()
    assert lines[0] == f"{ACME}: wrote 2 review copies to {out / 'acme-beta-2026'}"
    assert lines[1] == f"{MINIMAL}: wrote 1 review copy to {out / 'north-south-2026'}"
    assert (
        lines[2]
        == f"{blocked}: blocked by the cross-licence-standard playbook; nothing was written"
    )
    assert lines[-1] == "3 deals: 1 blocked, 2 reviewed; exit code 3"
    assert sorted(p.name for p in out.iterdir()) == ["acme-beta-2026", "north-south-2026"]


def test_review_of_a_folder_reviews_each_deal_in_it(tmp_path: Path) -> None:
    deals = tmp_path / "deals"
    deals.mkdir()
    (deals / "a.yaml").write_bytes(ACME.read_bytes())
    (deals / "b.yaml").write_bytes(MINIMAL.read_bytes())
    out = tmp_path / "review"
    result = runner.invoke(cli, ["review", str(deals), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2 deals: 2 reviewed; exit code 0"
    assert sorted(p.name for p in (out / "north-south-2026").iterdir()) == [
        "PRIVILEGED-counsel-review-term-sheet.docx"
    ]
