"""The names a playbook condition or clause template can read: the deal's sections."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from clausesmith.deal import model
from clausesmith.deal.payments import payments_of


def deal_context(deal: model.Deal, headings: dict[str, str]) -> dict[str, Any]:
    context: dict[str, Any] = {
        f.name: getattr(deal, f.name) for f in fields(deal) if f.name not in model.BOOKKEEPING
    }
    context["headings"] = headings
    context["payments"] = payments_of(deal)  # every amount payable, read by every head
    return context


def letter_context(
    base: dict[str, Any], deal: model.Deal, letter: model.SideLetter
) -> dict[str, Any]:
    """A side letter's clauses also see the letter, its two parties and its carve-outs."""
    fields_for_letter = tuple(
        f for f in deal.carve_outs.sensitive_fields if f.side_letter == letter.key
    )
    return {
        **base,
        "letter": letter,
        "sender": deal.party(letter.sender),
        "addressee": deal.party(letter.to),
        "letter_fields": fields_for_letter,
    }
