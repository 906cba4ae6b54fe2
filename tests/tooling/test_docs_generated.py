"""The generated documentation is what `python docs/generate.py` writes: every key of the
schema in docs/deal-keys.md, every guardrail of the standard playbook in the table of
docs/guardrails.md."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import yaml

from helpers.deals import ROOT


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_docs_are_what_the_generator_writes() -> None:
    for path, text in generator().outputs().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date: run python docs/generate.py"
        )


def test_the_guardrails_table_lists_every_guardrail_of_the_playbook() -> None:
    playbook = yaml.safe_load((ROOT / "playbooks" / "cross-licence-standard.yaml").read_text())
    table = (ROOT / "docs" / "guardrails.md").read_text(encoding="utf-8")
    for guardrail in playbook["guardrails"]:
        row = f"| {guardrail['id']} | {guardrail['basis']} | {guardrail['severity']} |"
        assert row in table, guardrail["id"]


def test_every_key_of_the_schema_is_in_deal_keys() -> None:
    from clausesmith.deal.schema import DEAL_SCHEMA

    keys = (ROOT / "docs" / "deal-keys.md").read_text(encoding="utf-8")
    for section, rules in DEAL_SCHEMA.items():
        assert f"## `{section}`" in keys
        inner = rules.get("schema", {})
        inner = inner.get("schema", {}) if rules.get("type") == "list" else inner
        for key in inner:
            assert f".{key}`" in keys, f"{section}.{key}"
