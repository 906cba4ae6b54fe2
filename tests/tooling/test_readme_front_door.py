"""The README is the front door: short, linking only what exists, and true about the
reference deal's warnings; no document names an issue number or a file outside the
repository."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import ACME, ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))


def test_the_readme_is_at_most_250_lines_and_its_links_exist() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        assert (ROOT / target).exists(), target
    for doc in DOCS:  # every page of docs/ is reachable from the front door
        assert f"(docs/{doc.name})" in text, doc.name


def test_the_docs_link_only_what_exists() -> None:
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#:]+)\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name}: {target}"


def test_the_warnings_the_readme_calls_expected_are_the_reference_deals() -> None:
    report = json.loads(CliRunner().invoke(cli, ["validate", "--format", "json", str(ACME)]).stdout)
    fired = {f["rule"] for f in report["deals"][0]["findings"] if f["severity"] == "warn"}
    text = README.read_text(encoding="utf-8")
    said = text[
        text.index("The reference deal renders with") : text.index(
            "From a fresh clone, install and run"
        )
    ]
    named = set(re.findall(r"`((?:CL|CS)-[0-9A-Z-]+)`", said))
    assert named == fired
    words = {2: "two", 3: "three", 1: "one"}
    assert f"renders with {words[len(fired)]} warning" in said


def test_no_document_names_an_issue_or_a_file_outside_the_repository() -> None:
    for doc in [README, *DOCS]:
        text = doc.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w&])#\d+\b", text), doc.name
        assert "DOMAIN.md" not in text and "DESIGN.md" not in text, doc.name
    for folder in ("src", "playbooks", "clause_library", "templates", "examples"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".md", ".j2"):
                body = path.read_text(encoding="utf-8")
                assert "DOMAIN.md" not in body and "DESIGN.md" not in body, path
