"""Shared fixtures: the reference deals and a way to write variants of them."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausesmith import pipeline
from clausesmith.library.clause import overlay
from tools_required import mark_missing_tools, pytest_configure, pytest_runtest_setup

# Compiled templates go to a cache of this test run's own (see compile_cache.py).
os.environ["CLAUSESMITH_CACHE_DIR"] = tempfile.mkdtemp(prefix="clausesmith-test-cache-")
# ... signed with a key of its own, kept (as in real use) outside the cache folder.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="clausesmith-test-state-")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ACME = EXAMPLES / "acme-beta.yaml"
MINIMAL = EXAMPLES / "minimal.yaml"


# The tools marker (tests/tools_required.py), registered here for every test file.
__all__ = ["pytest_configure", "pytest_runtest_setup"]

deep_merge = overlay  # the merge clause examples use: null means null, as in a deal file


@pytest.fixture(scope="session")
def acme_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference deal rendered once for the run, for tests that only read it."""
    from clausesmith.pipeline import Inputs, render_deal
    from clausesmith.resources import Sources

    out = tmp_path_factory.mktemp("render") / "acme"
    pipeline.write_deal(render_deal(ACME, Inputs(Sources.resolve()), out_dir=out))
    return out


@pytest.fixture
def acme_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def write_deal(tmp_path: Path) -> Callable[..., Path]:
    """Write a deal dict (or raw text) to a file in tmp_path and return its path."""

    def write(content: dict[str, Any] | str, name: str = "deal.yaml") -> Path:
        path = tmp_path / name
        text = (
            content
            if isinstance(content, str)
            else yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        )
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def variant(acme_data: dict[str, Any], write_deal: Callable[..., Path]) -> Callable[..., Path]:
    """The reference deal with some keys changed, written to a file."""

    def make(changes: dict[str, Any], name: str = "deal.yaml") -> Path:
        return write_deal(deep_merge(acme_data, changes), name)

    return make


# The reference deal's patent families with the diligence Annex A records (#14: CS-06).
DILIGENCE = ["ownership", "maintenance", "freedom_to_operate"]
DILIGENT_FAMILIES: list[dict[str, Any]] = [
    {
        "owner": "acme",
        "ref": "US 11,203,456 B2",
        "title": "Adaptive gripper force control",
        "status": "granted",
        "expiry": dt.date(2039, 6, 14),
        "diligence": list(DILIGENCE),
    },
    {
        "owner": "acme",
        "ref": "EP 3 456 789 B1",
        "title": "Collision-aware path planning",
        "status": "granted",
        "expiry": dt.date(2038, 2, 3),
        "diligence": list(DILIGENCE),
    },
    {
        "owner": "beta",
        "ref": "EP 3 612 004 B1",
        "title": "Modular actuator housing",
        "status": "granted",
        "expiry": dt.date(2039, 9, 30),
        "diligence": list(DILIGENCE),
    },
    {
        "owner": "beta",
        "ref": "DE 10 2021 104 556 A1",
        "title": "Sensor fusion for pick-and-place",
        "status": "pending",
        "expiry": dt.date(2041, 3, 1),
        "diligence": list(DILIGENCE),
    },
]

# The reference deal changed so that no guardrail fires (no UK in the Territory, a capture
# period within the term, a clean team), for tests about something other than findings.
# Who signs the tests' overrides and acknowledgements of law and guidance findings, and a
# reason of substance (at least eight words saying why).
COUNSEL = ("A. Counsel", "Jane Counsel", "J. Counsel", "Test Counsel", "Counsel")
REASON = "Counsel assessed the markets and the shares and accept the position for this deal"


@pytest.fixture
def counsel_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deals repository whose clausesmith.toml lists COUNSEL, as the working directory."""
    (tmp_path / "clausesmith.toml").write_text(
        "counsel = [" + ", ".join(f'"{c}"' for c in COUNSEL) + "]\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


QUIET: dict[str, Any] = {
    "territory": {"include": ["EU", "US"], "exclude": []},
    "patents": {"capture_period_years": 7, "families": DILIGENT_FAMILIES},
    "governance": {"clean_team": True},
    "grant_back": {"collaboration": "the joint development of a modular gripper platform"},
}


# The inner loop (`pytest -m "not slow"`) leaves out what takes seconds a test: hypothesis,
# ruff/mypy/import-linter, LibreOffice, pandoc and git. The README's test command runs all.
SLOW_MODULES = {
    "test_properties",
    "test_code_quality",
    "test_libreoffice",
    "test_impact",
    "test_interrupted_render",
    "test_cache_trust",
    # sweeps over the whole library or every allowed value, and cold compiles of a copied
    # library: each runs in the README's command, none is needed to try a change
    "test_review",
    "test_library_examples",
    "test_matrix",
    "test_compile_cache",
    "test_annex_parts",
    "test_approval",
}
SLOW_WORDS = ("libreoffice", "pandoc", "git", "revision", "hostile", "shipped_library")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_missing_tools(items)
    for item in items:
        module = item.module.__name__ if isinstance(item, pytest.Function) else ""
        name = item.name.lower()
        if module in SLOW_MODULES or any(word in name for word in SLOW_WORDS):
            item.add_marker(pytest.mark.slow)
