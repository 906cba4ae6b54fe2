"""The compile cache never loads what this user did not write (issue 13, critical 1), and its
key never serves an entry built by other code or other libraries (issue 11, item 4)."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from clausesmith import compile_cache
from helpers.deals import ACME, MINIMAL

NOBODY = 65534


class Plant:
    """A pickle that creates `marker` when it is unpickled: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


@pytest.fixture
def cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    env = {
        **os.environ,
        "CLAUSESMITH_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    for name in ("CLAUSESMITH_CACHE_DIR", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, env[name])
    compile_cache.folder.cache_clear()
    compile_cache._key.cache_clear()
    yield env
    compile_cache.folder.cache_clear()
    compile_cache._key.cache_clear()


def clausesmith(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clausesmith", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def entries(cache: Path) -> list[Path]:
    found = [p for p in cache.rglob("*") if p.suffix in (".pickle", ".cache")]
    assert found, "the first run filled the cache"
    return found


def plant_everywhere(cache: Path, marker: Path, *, owner: int | None) -> None:
    """Replace every entry with the payload, as a raw pickle, owned by `owner`."""
    for entry in entries(cache):
        entry.write_bytes(pickle.dumps(Plant(marker)))
        if owner is not None:
            os.chown(entry, owner, owner)


@pytest.mark.parametrize("owner", [NOBODY, None], ids=["another-user", "this-user-unsigned"])
def test_a_planted_pickle_is_never_loaded(
    cache_env: dict[str, str], tmp_path: Path, owner: int | None
) -> None:
    first = clausesmith(cache_env, "render", str(ACME), "-o", str(tmp_path / "out"))
    assert first.returncode == 0, first.stderr
    marker = tmp_path / "code-ran"
    plant_everywhere(Path(cache_env["CLAUSESMITH_CACHE_DIR"]), marker, owner=owner)
    for command in (["validate"], ["render", "-o", str(tmp_path / "again")]):
        again = clausesmith(cache_env, *command, str(ACME))
        assert again.returncode == 0, again.stderr
        assert not marker.exists()


def test_an_entry_signed_with_another_key_is_not_loaded(
    cache_env: dict[str, str], tmp_path: Path
) -> None:
    assert compile_cache.remember("probe", ("k",), lambda: "built") == "built"
    folder = compile_cache.folder()
    assert folder is not None
    marker = tmp_path / "code-ran"
    name, _ = compile_cache._entry_name("probe", ("k",))
    payload = pickle.dumps(Plant(marker))
    forged = compile_cache._MAGIC + compile_cache._signature(b"k" * 32, name, payload) + payload
    (folder / name).write_bytes(forged)
    assert compile_cache.remember("probe", ("k",), lambda: "built again") == "built again"
    assert not marker.exists()


def test_a_cache_folder_of_another_user_or_writable_by_others_is_no_cache(
    cache_env: dict[str, str], tmp_path: Path
) -> None:
    cache = Path(cache_env["CLAUSESMITH_CACHE_DIR"])
    cache.mkdir(mode=0o700)
    os.chown(cache, NOBODY, NOBODY)
    assert compile_cache.folder() is None
    assert compile_cache.bytecode_cache() is None
    assert compile_cache.remember("probe", ("k",), lambda: 1) == 1
    assert list(cache.iterdir()) == []
    os.chown(cache, os.geteuid(), os.getegid())
    cache.chmod(0o777)
    compile_cache.folder.cache_clear()
    assert compile_cache.folder() is None


def test_folders_are_private_whatever_the_umask(cache_env: dict[str, str], tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        folder = compile_cache.folder()
        assert compile_cache.remember("probe", ("k",), lambda: 1) == 1
    finally:
        os.umask(old)
    assert folder is not None
    key = tmp_path / "state" / "clausesmith" / "cache-key"
    for path in (folder, folder.parent, key.parent):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())


def test_a_signing_key_others_can_read_turns_the_cache_off(
    cache_env: dict[str, str], tmp_path: Path
) -> None:
    assert compile_cache.folder() is not None
    (tmp_path / "state" / "clausesmith" / "cache-key").chmod(0o644)
    compile_cache.folder.cache_clear()
    compile_cache._key.cache_clear()
    assert compile_cache.folder() is None


def test_a_truncated_cache_file_is_no_cache(cache_env: dict[str, str], tmp_path: Path) -> None:
    assert clausesmith(cache_env, "render", str(MINIMAL), "-o", str(tmp_path / "a")).returncode == 0
    for entry in entries(Path(cache_env["CLAUSESMITH_CACHE_DIR"])):
        entry.write_bytes(entry.read_bytes()[:40])
    for _ in range(2):
        again = clausesmith(cache_env, "render", str(MINIMAL), "-o", str(tmp_path / "b"))
        assert (again.returncode, again.stderr) == (0, "")


def test_a_changed_nested_module_or_library_version_is_a_new_cache(
    cache_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    shutil.copytree(compile_cache.package_root(), package)
    monkeypatch.setattr(compile_cache, "package_root", lambda: package)
    builds: list[str] = []

    def served() -> str:
        compile_cache.folder.cache_clear()
        return compile_cache.remember("probe", ("k",), lambda: builds.append("b") or "v")

    served()
    served()
    assert builds == ["b"]  # the same code and libraries: served from the cache
    nested = sorted(p for p in package.rglob("*.py") if len(p.relative_to(package).parts) > 1)
    assert nested, "the package has subpackages"
    nested[-1].write_text(nested[-1].read_text(encoding="utf-8") + "\n# edited\n")
    served()
    assert builds == ["b", "b"]
    real = compile_cache.library_versions()
    bumped = tuple((n, v + ".post1" if n == "smartypants" else v) for n, v in real)
    monkeypatch.setattr(compile_cache, "library_versions", lambda: bumped)
    served()
    assert builds == ["b", "b", "b"]
    assert {name for name, _ in real} >= {"docxtpl", "python-docx", "smartypants", "babel"}
    assert "absent" not in dict(real).values()
