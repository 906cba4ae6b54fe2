"""What a guardrail's check reads, and what it gives back: one hit per place in the deal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clausesmith.deal import model
from clausesmith.library.fields import Taxonomy


@dataclass(frozen=True)
class PlannedDeal:
    """The deal after planning: its documents' chosen slots, and the library's taxonomy."""

    deal: model.Deal
    taxonomy: Taxonomy
    term_sheet_slots: frozenset[str]  # the slots the term sheet holds
    letter_gaps: dict[str, tuple[str, ...]]  # side letter key -> required slots it lacks


@dataclass(frozen=True)
class Hit:
    path: str  # the deal key the finding points at, e.g. "territory.exclude"
    facts: dict[str, str]  # the values the guardrail's message names, e.g. {left_out: ...}


@dataclass(frozen=True)
class Check:
    facts: tuple[str, ...]  # the names a message may use, checked by lint
    run: Callable[[PlannedDeal], list[Hit]]
