"""Our cerberus schemas are checked here, once, instead of at every start (validator.py)."""

from __future__ import annotations

import copy
from typing import Any

import cerberus
import pytest

from clausesmith.deal.schema import DEAL_SCHEMA
from clausesmith.inputs.validator import SchemaValidator
from clausesmith.library.clause import FRONT_MATTER_SCHEMA
from clausesmith.library.playbook import PLAYBOOK_SCHEMA

SCHEMAS = {"deal": DEAL_SCHEMA, "front matter": FRONT_MATTER_SCHEMA, "playbook": PLAYBOOK_SCHEMA}


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_schema_passes_cerberus_own_check(name: str) -> None:
    SchemaValidator(SCHEMAS[name])  # a plain validator checks the schema it is given


def test_the_check_catches_a_broken_schema() -> None:
    broken: dict[str, Any] = copy.deepcopy(DEAL_SCHEMA)
    broken["deal"]["schema"]["id"]["maxlenght"] = 64
    with pytest.raises(cerberus.SchemaError, match="maxlenght"):
        SchemaValidator(broken)
