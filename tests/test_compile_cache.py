"""The on-disk cache of compiled clause templates: faster start, same results."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clausesmith import compile_cache
from clausesmith.errors import InvalidInput
from clausesmith.library import load_library, render_clause
from clausesmith.render import Inputs, plan_deal
from clausesmith.resources import Sources
from conftest import ACME


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLAUSESMITH_CACHE_DIR", str(folder))
    compile_cache.bytecode_cache.cache_clear()
    yield folder
    compile_cache.bytecode_cache.cache_clear()


def texts(library_dir: Path) -> dict[str, tuple[str, ...]]:
    inputs = Inputs(Sources.resolve(library=library_dir))
    plan = plan_deal(ACME, inputs)
    return {c.clause.id: render_clause(c.clause, plan.context) for c in plan.documents[0].choices}


def test_a_second_load_reads_the_cache_and_renders_the_same_text(
    cache_dir: Path, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    shutil.copytree(Sources.resolve().library, library)
    first = texts(library)
    cached = list(cache_dir.rglob("*.cache"))
    assert len(cached) == len(load_library(library).clauses)
    assert texts(library) == first


def test_an_edited_clause_is_compiled_again_and_checked(cache_dir: Path, tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(Sources.resolve().library, library)
    load_library(library)
    costs = library / "general" / "costs.md"
    costs.write_text(costs.read_text(encoding="utf-8") + "\n{% include 'x' %}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_library(library)
    assert str(costs) in str(caught.value)


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLAUSESMITH_CACHE_DIR", "off")
    compile_cache.bytecode_cache.cache_clear()
    try:
        assert compile_cache.bytecode_cache() is None
        assert load_library(Sources.resolve().library).clauses
    finally:
        compile_cache.bytecode_cache.cache_clear()
