"""The format-neutral document model: what a term sheet or side letter says, as text.

The assembler builds these frozen dataclasses; the Word writer (docxtpl and the compiled
road) and the Markdown writer read exactly the same fields through their templates, so the
two never disagree and mypy checks every name a template is handed. A firm's own templates
(`--template`) see the same names: `head.heading`, `annexes.scorecard.rows`, and so on.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """Paper in twentieths of a point, as Word's <w:pgSz> takes it."""

    width: str
    height: str


@dataclass(frozen=True)
class PartyBlock:
    name: str
    short_name: str
    description: str  # "a GmbH organised under the laws of Germany"
    address: str  # "" when the deal gives none


@dataclass(frozen=True)
class SignatureBlock:
    party_name: str
    signatory_name: str  # "" leaves a line to fill in
    signatory_title: str
    intro: str = ""  # a countersignature's one line saying what the signature means


@dataclass(frozen=True)
class Head:
    """One row of the heads of terms."""

    number: str
    heading: str
    paragraphs: tuple[str, ...]
    binding: bool
    keep_together: bool  # short enough to keep on one page
    # Each paragraph's run-in heading ("Taxes."), printed bold, or "": as long as
    # `paragraphs`, whose text still starts with it (a template that ignores it loses nothing).
    run_ins: tuple[str, ...] = ()


@dataclass(frozen=True)
class PatentRow:
    owner: str
    ref: str
    title: str
    # Status and expiry, printed when any family of the deal states one. The diligence
    # done is counsel's work product: it stays in the deal file and `explain` (CS-07), never
    # in a document sent to the other side (privilege; in the US, a wilfulness argument).
    status: str = ""
    expiry: str = ""


@dataclass(frozen=True)
class PatentAnnex:
    title: str
    rows: tuple[PatentRow, ...]
    status_columns: bool = False  # print the status and expiry columns


@dataclass(frozen=True)
class RoyaltyRow:
    scenario: str
    net_sales: str
    royalty_before_cap: str
    cap: str
    payable: str


@dataclass(frozen=True)
class SensitivityRow:
    """One line of the royalty model's sensitivity table: what, and the figure."""

    label: str
    value: str


@dataclass(frozen=True)
class RoyaltyAnnex:
    title: str
    intro: str
    rows: tuple[RoyaltyRow, ...]
    notes: tuple[str, ...]
    sensitivity: tuple[SensitivityRow, ...] = ()


@dataclass(frozen=True)
class ScorecardRow:
    criterion: str
    weight: str
    description: str


@dataclass(frozen=True)
class ScorecardAnnex:
    title: str
    intro: str
    rows: tuple[ScorecardRow, ...]
    threshold: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Annexes:
    patents: PatentAnnex
    royalty_model: RoyaltyAnnex | None
    scorecard: ScorecardAnnex | None


@dataclass(frozen=True)
class TermSheet:
    deal_id: str
    marking: str
    page: Page
    title: str
    date: str
    parties: tuple[PartyBlock, ...]
    legend: str
    heads: tuple[Head, ...]
    annexes: Annexes
    signatures: tuple[SignatureBlock, ...]


@dataclass(frozen=True)
class Addressee:
    name: str
    address: str
    attention: str = ""  # "For the attention of: Jürgen Weiß, Geschäftsführer"; "" for none


@dataclass(frozen=True)
class LetterParagraph:
    number: str
    heading: str  # the slot's heading on its first paragraph, else ""
    text: str


@dataclass(frozen=True)
class SideLetter:
    deal_id: str
    marking: str
    page: Page
    letter_key: str
    title: str
    date: str
    sender: Addressee
    addressee: Addressee
    re: str
    salutation: str
    paragraphs: tuple[LetterParagraph, ...]
    closing: str
    sender_signature: SignatureBlock
    countersignature: SignatureBlock


Content = TermSheet | SideLetter


def template_context(content: Content) -> dict[str, Any]:
    """The top-level names a document template renders with (Jinja and docxtpl take a
    mapping); nested values stay dataclasses, read by attribute."""
    return {f.name: getattr(content, f.name) for f in dataclasses.fields(content)}


_NO_FIELD = re.compile(r"'clausesmith\.assemble\.document_model\.(\w+) object' has no attribute")


def named_fields(message: str) -> str:
    """Jinja's message for a name a template reads that the model lacks ("'...Head object'
    has no attribute 'headline'"), as the model's class and the fields it has."""
    found = _NO_FIELD.search(message)
    model = globals().get(found.group(1)) if found else None
    if found is None or not dataclasses.is_dataclass(model):
        return message
    wanted = message[found.end() :].strip()
    fields = ", ".join(f.name for f in dataclasses.fields(model))
    return f"{message[: found.start()]}a {found.group(1)} has no {wanted}; it has {fields}"
