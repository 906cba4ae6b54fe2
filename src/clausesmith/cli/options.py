"""The options several commands share, declared once: each is a decorator, so a command
lists the ones it takes and every command spells, types and explains them alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

PathArg = click.Path(path_type=Path)
Folder = click.Path(path_type=Path, file_okay=False)

LIBRARY = click.option(
    "--library",
    type=Folder,
    help="Clause library folder (default: clausesmith.toml's library, else the shipped one).",
)
PLAYBOOKS = click.option(
    "--playbooks",
    type=Folder,
    help="Folder of playbooks (default: clausesmith.toml's playbooks, else the shipped ones).",
)
TEMPLATE = click.option(
    "--template",
    "templates",
    type=Folder,
    help="Folder with term-sheet.docx and side-letter.docx (default: clausesmith.toml's "
    "templates, else the shipped ones).",
)


def source_options(func: F) -> F:
    """--library, --playbooks and --template: a firm's own files instead of the shipped ones."""
    return LIBRARY(PLAYBOOKS(TEMPLATE(func)))


STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 3) on a guardrail warning the deal does not acknowledge.",
)
# A run over many deals reports as text, one JSON document, or JUnit XML.
RUN_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="json: one report on stdout for CI; junit: a JUnit XML report (see docs/reviewing.md).",
)
# A command about one deal or one change reports as text or JSON.
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the report as JSON on stdout.",
)
VERBOSE = click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Print acknowledged and overridden findings in full, not one line each.",
)
SHARD = click.option(
    "--shard",
    metavar="K/N",
    help="Only the K-th of N stable shares of the deals, for a CI matrix of N jobs.",
)
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Deals processed at once, each in its own process (default: the CPU cores).",
)


class GoverningLawChoice(click.Choice[str]):
    """The governing laws a deal may name, read from the deal model on first use: importing
    the model (and the validator behind it) for every `--help` would double the cold start."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        from clausesmith.deal.schema import GOVERNING_LAWS

        return GOVERNING_LAWS

    @choices.setter
    def choices(self, value: Any) -> None:
        """click sets its choices once; they are always the model's."""
