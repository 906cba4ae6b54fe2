"""Attacks on the playbook's defaults: a firm's own playbook (`--playbooks`) whose
`defaults:` leave out a section or a key the loader now takes only from there.

`deal.binding_sections` and `royalties.base` lost their built-in fallbacks today; a playbook
that does not give them (or gives null) must be an error naming the key and the playbook
that lacks its default (exit 1), not an internal error (exit 70), nor "a value is required
here, got nothing (null)" at a deal that never typed the key.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

runner = CliRunner()
PLAYBOOK = "cross-licence-standard.yaml"
BINDING = (
    "    binding_sections: [confidentiality, governing_law, costs]   # binding on signature;"
    " the rest is not\n"
)


def deal_leaving_out(tmp_path: Path, *keys: tuple[str, str]) -> Path:
    data: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    for section, key in keys:
        if key:
            data[section].pop(key, None)
        else:
            data.pop(section, None)
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def playbooks_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "playbooks"
    shutil.copytree(ROOT / "playbooks", folder)
    path = folder / PLAYBOOK
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def render(deal: Path, playbooks: Path, out: Path) -> tuple[int, str]:
    args = ["render", str(deal), "--playbooks", str(playbooks), "-o", str(out)]
    result = runner.invoke(cli, args)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        ("  deal:\n" + BINDING, "", 3, "deal.binding_sections"),
        (BINDING, "    binding_sections: null\n", 3, "deal.binding_sections"),
        ("    base: net_sales\n", "", 103, "royalties.base"),
        ("    base: net_sales\n", "    base: null\n", 103, "royalties.base"),
    ],
)
def test_a_playbook_without_a_default_the_loader_needs_is_named(
    tmp_path: Path, old: str, new: str, line: int, key: str
) -> None:
    deal = deal_leaving_out(tmp_path, ("deal", "binding_sections"), ("royalties", "base"))
    playbooks = playbooks_with(tmp_path, old, new)
    code, output = render(deal, playbooks, tmp_path / "o")
    assert code == 1, output
    section = key.split(".")[0]
    assert output == (
        f"{deal}:{line}:3: {key}: is left out, and playbook 'cross-licence-standard' gives no "
        f"default for it; type it here, or give the playbook one under `defaults: {section}:`\n"
    )
    assert not (tmp_path / "o").exists()


def test_a_playbook_without_a_default_section_is_named(tmp_path: Path) -> None:
    deal = deal_leaving_out(tmp_path, ("audit", ""))
    playbooks = playbooks_with(tmp_path, "  audit:\n", "  audits:\n")
    code, output = render(deal, playbooks, tmp_path / "o")
    assert code == 1, output
    assert output == (
        f"{deal}:1:1: audit: is left out, and playbook 'cross-licence-standard' gives no default "
        "for it; type it here, or give the playbook one under `defaults: audit:`\n"
    )


def test_a_playbook_without_a_default_for_each_item_is_named(tmp_path: Path) -> None:
    """A key each party may leave out (address_kind) comes from `defaults: each: parties:`;
    a firm's playbook without it is named, at each party that leaves the key out."""
    deal = deal_leaving_out(tmp_path)
    playbooks = playbooks_with(
        tmp_path, "      address_kind: registered_office", "      unused: registered_office"
    )
    code, output = render(deal, playbooks, tmp_path / "o")
    assert code == 1, output
    lines = output.splitlines()
    assert len(lines) == 2, output
    for i, line in enumerate(lines):
        assert f": parties[{i}].address_kind: is left out, and playbook " in line
        assert line.endswith("give the playbook one under `defaults: each: parties:`")
    assert not (tmp_path / "o").exists()


def test_the_item_default_fills_a_party_that_leaves_the_key_out(tmp_path: Path) -> None:
    deal = deal_leaving_out(tmp_path)
    playbooks = playbooks_with(
        tmp_path, "      address_kind: registered_office", "      address_kind: office"
    )
    code, output = render(deal, playbooks, tmp_path / "o")
    assert code in (0, 3), output
    text = next((tmp_path / "o").glob("*/term-sheet.md")).read_text(encoding="utf-8")
    assert "having an office at" in text and "whose registered office is at" not in text
