"""`@pytest.mark.tools("soffice", ...)`: a test that needs programs outside Python.

Without them the test is skipped with the missing program named in the reason (`pytest -ra`
prints it beside the test), so the README's test command passes on a machine without
LibreOffice. `.ci/run` installs them and sets CLAUSESMITH_REQUIRE_TOOLS=1, which turns that
skip into a failure: a green CI run always means LibreOffice and pandoc opened the documents."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE = "CLAUSESMITH_REQUIRE_TOOLS"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tools(*names): programs the test runs (see tools_required)")


def mark_missing_tools(items: list[pytest.Item]) -> None:
    """Called from conftest's pytest_collection_modifyitems."""
    for item in items:
        missing = [n for m in item.iter_markers("tools") for n in m.args if not shutil.which(n)]
        if not missing:
            continue
        reason = f"{', '.join(missing)} missing: .ci/run installs it"
        if os.environ.get(REQUIRE) == "1":
            item.stash[_MESSAGE] = f"{reason}, and {REQUIRE}=1 says the test must run"
        else:
            item.add_marker(pytest.mark.skip(reason=reason))


_MESSAGE = pytest.StashKey[str]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _MESSAGE in item.stash:
        pytest.fail(item.stash[_MESSAGE], pytrace=False)
