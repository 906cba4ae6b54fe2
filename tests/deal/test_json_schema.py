"""The JSON Schema printed by `clausesmith schema` is generated from the cerberus schema:
it accepts the shipped examples as an editor sees them, and refuses what validate refuses
on its own terms (an unknown key, a value outside the allowed ones, a date in another form)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.resources import bundled
from helpers.deals import ACME, EXAMPLES, deep_merge

runner = CliRunner()


def as_editor_sees(path: Path) -> Any:
    """The deal as YAML 1.2 tools (the editor's YAML support) read it: dates are text."""

    def text(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: text(v) for k, v in value.items()}
        if isinstance(value, list):
            return [text(v) for v in value]
        return value

    return text(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    data: dict[str, Any] = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(data)
    return data


@pytest.mark.parametrize(
    "example",
    sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("real/*.yaml")]),
    ids=lambda p: p.name,
)
def test_every_shipped_example_is_valid(schema: dict[str, Any], example: Path) -> None:
    jsonschema.validate(as_editor_sees(example), schema)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"royalties": {"structure": "royalty-free"}}, "'royalty-free' is not one of"),
        ({"deal": {"titel": "x"}}, "Additional properties are not allowed ('titel' was"),
        ({"deal": {"date": "02/03/2026"}}, "'02/03/2026' does not match"),
        ({"audit": {"per_year": "1"}}, "'1' is not of type 'integer'"),
    ],
)
def test_a_bad_deal_is_refused(
    schema: dict[str, Any], change: dict[str, Any], complaint: str
) -> None:
    bad = deep_merge(as_editor_sees(ACME), change)
    with pytest.raises(jsonschema.ValidationError) as caught:
        jsonschema.validate(bad, schema)
    assert complaint in caught.value.message


def test_a_section_may_give_only_some_of_its_keys(schema: dict[str, Any]) -> None:
    """As validate: the playbook fills in a section's keys left out."""
    partial = as_editor_sees(ACME)
    partial["term"] = {"years": 3}
    jsonschema.validate(partial, schema)


def test_example_prints_the_shipped_reference_deal() -> None:
    result = runner.invoke(cli, ["example"])
    assert result.exit_code == 0
    shipped = (bundled("examples") / "acme-beta.yaml").read_text(encoding="utf-8")
    assert result.output == shipped == ACME.read_text(encoding="utf-8")
