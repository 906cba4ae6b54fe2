"""Attack on `term.ends: last_patent_expiry`: the playbook's renegotiation window.

The loader (`_settle_term`) drops the playbook's `renegotiation_window_months` as a key that
"means nothing when the term ends at the last expiry"; but the capture-period clause uses it
for the right to renegotiate the royalty rate in the light of captured families, which a
term of up to twenty years needs more, not less. A deal that types the window keeps the
right; one that left it out silently lost it. Decided (the conservative reading): the
playbook's window survives a term to the last patent, as the right matters more over it.
Since one rate mechanism reopens the rate, a deal with a rate review weighs the captured
families in the review (the Royalties head), and the window prints only without a review.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from clausesmith.cli.main import cli

runner = CliRunner()
RIGHT = "in the light of the patent families captured during the Capture Period"
WINDOW = "ask the other to negotiate a revised royalty rate in the light of the patent families"


def render_term(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], term: dict[str, Any], out: Path
) -> str:
    deal = write_deal({**acme_data, "term": term}, name=f"{out.name}.yaml")
    result = runner.invoke(cli, ["render", str(deal), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return (out / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")


def test_the_renegotiation_right_does_not_depend_on_typing_the_playbook_default(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    ends = {"ends": "last_patent_expiry", "years": None, "renewal": "none"}
    window = {**ends, "renegotiation_window_months": 24}  # the playbook's own default
    typed = render_term(acme_data, write_deal, window, tmp_path / "typed")
    assert RIGHT in typed  # holds today: the typed window is printed
    assert RIGHT in render_term(acme_data, write_deal, ends, tmp_path / "left_out")


def test_without_a_review_the_window_is_the_one_rate_mechanism(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    ends = {"ends": "last_patent_expiry", "years": None, "renewal": "none"}
    data = {**acme_data, "royalties": {**acme_data["royalties"], "review_every_months": None}}
    text = render_term(data, write_deal, ends, tmp_path / "no_review")
    assert WINDOW in text
    assert "Rate reviews." not in text
    with_review = render_term(acme_data, write_deal, ends, tmp_path / "review")
    assert WINDOW not in with_review
    assert "No other mechanism reopens the rate." in with_review
