"""The compile cache on disk (clauses, playbooks, Word templates): faster start, same results."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pycountry
import pytest

from clausesmith import compile_cache
from clausesmith.assemble.assembler import assemble
from clausesmith.docx import compiled as docx_compiled
from clausesmith.docx.writer import _prepared, render_docx
from clausesmith.errors import InvalidInput
from clausesmith.inputs.iso import subdivisions
from clausesmith.library import clause as library_module
from clausesmith.library import playbook as playbook_module
from clausesmith.library.clause import load_library, render_clause
from clausesmith.library.playbook import load_playbook
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.resources import Sources
from helpers.deals import ACME
from helpers.document_models import CORE


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLAUSESMITH_CACHE_DIR", str(folder))
    compile_cache.folder.cache_clear()
    yield folder
    compile_cache.folder.cache_clear()


def texts(library_dir: Path) -> dict[str, tuple[str, ...]]:
    inputs = Inputs(Sources.resolve(library=library_dir))
    plan = plan_deal(ACME, inputs)
    return {c.clause.id: render_clause(c.clause, plan.context) for c in plan.documents[0].choices}


def test_a_second_load_reads_the_cache_and_renders_the_same_text(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "library"
    shutil.copytree(Sources.resolve().library, library)
    first = texts(library)
    cached = list(cache_dir.rglob("clause-*.pickle"))
    assert len(cached) == len(load_library(library).clauses)

    def no_rebuild(*args: object) -> None:
        raise AssertionError("an unchanged clause was parsed again")

    monkeypatch.setattr(library_module, "_clause", no_rebuild)
    assert texts(library) == first


def test_an_edited_clause_is_compiled_again_and_checked(cache_dir: Path, tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(Sources.resolve().library, library)
    load_library(library)
    costs = library / "general" / "costs.md"
    costs.write_text(costs.read_text(encoding="utf-8") + "\n{% include 'x' %}\n", encoding="utf-8")
    for _ in range(2):  # a broken clause is never kept: it fails every time
        with pytest.raises(InvalidInput) as caught:
            load_library(library)
        assert str(costs) in str(caught.value)


def test_a_damaged_cache_entry_is_a_miss(cache_dir: Path, tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(Sources.resolve().library, library)
    first = texts(library)
    for entry in cache_dir.rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert texts(library) == first


def test_an_unchanged_playbook_is_read_from_the_cache_and_a_broken_one_is_not_kept(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    playbooks = tmp_path / "playbooks"
    shutil.copytree(Sources.resolve().playbooks, playbooks)
    name = "cross-licence-standard"
    first = load_playbook(playbooks, name)
    with monkeypatch.context() as patched:
        patched.setattr(playbook_module, "_check", lambda *a: pytest.fail("parsed again"))
        again = load_playbook(playbooks, name)
    assert again == first
    assert [
        g.when({"grant_back": {"scope": "improvements", "exclusivity": "exclusive"}})
        for g in again.guardrails[:1]
    ] == [True]
    path = playbooks / f"{name}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('exclusivity == "exclusive"', "exclusivity =="),
        encoding="utf-8",
    )
    for _ in range(2):
        with pytest.raises(InvalidInput, match="condition does not compile"):
            load_playbook(playbooks, name)


def test_word_bytes_are_the_same_from_a_cold_cache_a_warm_cache_and_no_cache(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    term_sheet = assemble(plan_deal(ACME, Inputs(Sources.resolve())))[0]
    template = Sources.resolve().templates / "term-sheet.docx"

    def render() -> bytes:
        _prepared.cache_clear()  # as a new process would: prepare the template again
        return render_docx(template, term_sheet.content, CORE)

    cold = render()
    assert len(list(cache_dir.rglob("docx-*.pickle"))) == 1
    with monkeypatch.context() as patched:
        patched.setattr(docx_compiled, "prepare", lambda *a: pytest.fail("prepared again"))
        warm = render()
    monkeypatch.setenv("CLAUSESMITH_CACHE_DIR", "off")
    compile_cache.folder.cache_clear()
    assert cold == warm == render()


def test_the_cached_subdivisions_are_pycountrys(cache_dir: Path) -> None:
    subdivisions.cache_clear()
    try:
        cached = subdivisions()
        assert list(cache_dir.rglob("subdivisions-*.pickle"))
        assert cached == {s.code: (s.name, s.country_code) for s in pycountry.subdivisions}
        assert cached["US-NY"] == ("New York", "US")
        assert "GB-ENG" in cached and "US-XX" not in cached
    finally:
        subdivisions.cache_clear()


def test_the_cache_can_be_turned_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSESMITH_CACHE_DIR", "off")
    compile_cache.folder.cache_clear()
    assert compile_cache.folder() is None
    assert compile_cache.bytecode_cache() is None
    assert load_library(Sources.resolve().library).clauses
    assert not cache_dir.exists()


def test_a_new_version_of_the_code_removes_only_the_old_folders_it_marked(cache_dir: Path) -> None:
    old_version = cache_dir / "v-0123456789abcdef"
    old_version.mkdir(parents=True, mode=0o700)
    (old_version / compile_cache.MARKER).write_bytes(b"")
    idle = time.time() - compile_cache.IDLE_SECONDS - 60
    os.utime(old_version / compile_cache.MARKER, (idle, idle))
    in_use = cache_dir / "v-fedcba9876543210"  # another checkout's version, used an hour ago
    in_use.mkdir(mode=0o700)
    (in_use / compile_cache.MARKER).write_bytes(b"")
    os.utime(in_use / compile_cache.MARKER, (time.time() - 3600,) * 2)
    users = [cache_dir / "v-foo", cache_dir / "jinja-foo", cache_dir / "v-0123456789abcdee"]
    for folder in users:  # named like cache folders, but clausesmith never marked them
        folder.mkdir()
        (folder / "work.txt").write_text("kept", encoding="utf-8")
    (cache_dir / "notes.txt").write_text("kept", encoding="utf-8")
    current = compile_cache.folder()
    assert current is not None and (current / compile_cache.MARKER).is_file()
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(
        [current.name, in_use.name, "notes.txt", "v-foo", "jinja-foo", "v-0123456789abcdee"]
    )
    assert all((folder / "work.txt").read_text(encoding="utf-8") == "kept" for folder in users)


def test_a_clause_and_a_condition_in_use_still_pickle_and_work_after() -> None:
    """The compile cache pickles them; their compiled template and function, built on first
    use, are left out of the pickle and built again from the code."""
    import pickle

    library = load_library(Sources.resolve().library)
    plan = plan_deal(ACME, Inputs(Sources.resolve()))
    choice = plan.documents[0].choices[0]
    clause = library.get(choice.clause.id)
    text = render_clause(clause, plan.context)  # builds clause.template
    assert render_clause(pickle.loads(pickle.dumps(clause)), plan.context) == text
    guardrail = load_playbook(Sources.resolve().playbooks, "cross-licence-standard").guardrails[0]
    facts = {"grant_back": {"scope": "improvements", "exclusivity": "exclusive"}}
    assert guardrail.when(facts) is True  # builds guardrail.when.evaluate
    assert pickle.loads(pickle.dumps(guardrail.when))(facts) is True
