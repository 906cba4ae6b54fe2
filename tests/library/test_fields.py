"""The field taxonomy counsel keep in clause_library/fields.yaml, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausesmith.errors import InvalidInput
from clausesmith.library.clause import load_library
from clausesmith.library.fields import Taxonomy, scan_taxonomy
from helpers.deals import ROOT


def taxonomy_of(tmp_path: Path, text: str) -> tuple[Taxonomy, list[str]]:
    (tmp_path / "fields.yaml").write_text(text, encoding="utf-8")
    taxonomy, problems = scan_taxonomy(tmp_path)
    return taxonomy, [f"{p.line}:{p.column}: {p.key}: {p.message}" for p in problems]


def test_the_shipped_taxonomy_places_surgical_robotics_inside_medical_devices() -> None:
    taxonomy = load_library(ROOT / "clause_library").taxonomy
    assert taxonomy.inside("Surgical  Robotics", "MEDICAL devices") == (
        "surgical robotics",
        "medical devices",
    )
    assert taxonomy.inside("robotic arms", "robotics") == (
        "robotic arms",
        "industrial automation",
        "robotics",
    )
    assert taxonomy.inside("medical devices", "surgical robotics") is None
    assert taxonomy.inside("consumer robotics", "industrial automation") is None


def test_a_library_without_a_taxonomy_compares_fields_by_name_alone(tmp_path: Path) -> None:
    taxonomy, problems = scan_taxonomy(tmp_path)
    assert problems == []
    assert taxonomy.inside("Medical Devices", "medical  devices") == ("medical devices",)
    assert taxonomy.inside("surgical robotics", "medical devices") is None
    assert not taxonomy.known("surgical robotics")


def test_a_taxonomy_that_is_not_one_mapping_of_fields(tmp_path: Path) -> None:
    _, problems = taxonomy_of(tmp_path, "fields: [robotics]\n")
    assert problems == [
        "1:1: fields: expected one key, fields: a mapping of field to broader field"
    ]


def test_a_broader_field_that_is_a_number(tmp_path: Path) -> None:
    _, problems = taxonomy_of(tmp_path, "fields:\n  robotics: 3\n")
    assert problems == ["2:13: fields.robotics: expected a broader field, a list of them, or null"]


def test_a_field_listed_twice_whatever_its_case(tmp_path: Path) -> None:
    _, problems = taxonomy_of(tmp_path, "fields:\n  Robotics: null\n  robotics : null\n")
    assert problems == [
        "3:14: fields.robotics: 'robotics' is listed twice (names match whatever their case "
        "and spacing)"
    ]


def test_a_taxonomy_that_is_not_yaml_is_reported_not_raised(tmp_path: Path) -> None:
    _, problems = taxonomy_of(tmp_path, "fields: {robotics: [\n")
    assert len(problems) == 1 and problems[0].startswith("2:1: ")


def test_a_broken_taxonomy_stops_the_library_from_loading(tmp_path: Path) -> None:
    (tmp_path / "fields.yaml").write_text("fields:\n  arms: robots\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_library(tmp_path)
    [problem] = caught.value.problems
    assert problem.message == (
        "names the broader field 'robots', which is not listed; add it (null if it is at the top)"
    )


def test_a_taxonomy_that_is_a_folder_is_reported_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "fields.yaml").mkdir()
    _, problems = scan_taxonomy(tmp_path)
    assert [p.message for p in problems] == ["is a directory, not a YAML file"]
