"""Attacks on the playbook's defaults (#11): a firm's own playbook (`--playbooks`) whose
`defaults:` leave out a section or a key the loader now takes only from there.

`deal.binding_sections` and `royalties.base` lost their built-in fallbacks today; a playbook
that does not give them (or gives null) must be an error naming the playbook, at load, not
an internal error (exit 70) or an error blaming a deal that never typed the key.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from conftest import ACME, ROOT

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
    ("old", "new", "key", "given"),
    [
        ("  deal:\n" + BINDING, "", "defaults.deal.binding_sections", "nothing"),
        (BINDING, "    binding_sections: null\n", "defaults.deal.binding_sections", "null"),
        ("    base: net_sales\n", "", "defaults.royalties.base", "nothing"),
        ("    base: net_sales\n", "    base: null\n", "defaults.royalties.base", "null"),
    ],
)
def test_a_playbook_without_a_default_the_loader_needs_is_named(
    tmp_path: Path, old: str, new: str, key: str, given: str
) -> None:
    deal = deal_leaving_out(tmp_path, ("deal", "binding_sections"), ("royalties", "base"))
    playbooks = playbooks_with(tmp_path, old, new)
    code, output = render(deal, playbooks, tmp_path / "o")
    assert code == 1, output
    assert "internal error" not in output
    assert f"{playbooks / PLAYBOOK}:" in output
    assert (
        f"{key}: a deal may leave this key out, so the playbook's defaults must give it "
        f"(got {given})"
    ) in output
    assert f"{deal}:" not in output  # the deal is not at fault
    assert not (tmp_path / "o").exists()


def test_a_playbook_without_a_default_section_is_named(tmp_path: Path) -> None:
    deal = deal_leaving_out(tmp_path, ("audit", ""))
    playbooks = playbooks_with(tmp_path, "  audit:\n", "  audits:\n")
    code, output = render(deal, playbooks, tmp_path / "o")
    assert code == 1, output
    assert f"{playbooks / PLAYBOOK}:13:1: defaults.audit: a deal may leave this section out, " in (
        output
    )
    assert "so the playbook's defaults must give it (got nothing)" in output
