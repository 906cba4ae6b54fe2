"""Attack on `term.ends: last_patent_expiry` (#14): the playbook's renegotiation window.

The loader (`_settle_term`) drops the playbook's `renegotiation_window_months` as a key that
"means nothing when the term ends at the last expiry"; but the capture-period clause uses it
for the right to renegotiate the royalty rate in the light of captured families, which a
term of up to twenty years needs more, not less. A deal that types the window keeps the
right; one that left it out silently lost it. Decided (the conservative reading): the
playbook's window survives a term to the last patent, as the right matters more over it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from clausesmith.cli.main import cli

runner = CliRunner()
RIGHT = "ask the other to negotiate a revised royalty rate in the light of the patent families"


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
