"""Shared fixtures: the reference deals and a way to write variants of them."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausesmith import pipeline
from helpers.deals import ACME, deep_merge
from helpers.tools_required import mark_missing_tools, pytest_configure, pytest_runtest_setup

# Compiled templates go to a cache of this test run's own (see compile_cache.py).
os.environ["CLAUSESMITH_CACHE_DIR"] = tempfile.mkdtemp(prefix="clausesmith-test-cache-")
# ... signed with a key of its own, kept (as in real use) outside the cache folder.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="clausesmith-test-state-")

# The tools marker (tests/helpers/tools_required.py), registered here for every test file.
__all__ = ["pytest_configure", "pytest_runtest_setup"]


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


@pytest.fixture
def counsel_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deals repository whose clausesmith.toml lists COUNSEL, as the working directory."""
    from helpers.deals import COUNSEL

    (tmp_path / "clausesmith.toml").write_text(
        "counsel = [" + ", ".join(f'"{c}"' for c in COUNSEL) + "]\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


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
    "test_matrix_read_by_counsel",
    "test_library_examples",
    "test_matrix",
    "test_compile_cache",
    "test_annex_parts",
    "test_clause_approval",
}
SLOW_WORDS = ("libreoffice", "pandoc", "git", "revision", "hostile", "shipped_library")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_missing_tools(items)
    for item in items:
        module = item.path.stem  # the file's name: modules are imported by path (importlib)
        name = item.name.lower()
        if module in SLOW_MODULES or any(word in name for word in SLOW_WORDS):
            item.add_marker(pytest.mark.slow)
