"""Stage 3: the plan's clauses rendered into format-neutral documents (the typed model of
`document_model`), which the Word and Markdown writers both read, so the two never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from clausesmith.assemble.annexes import Marked, annexes_of
from clausesmith.assemble.document_model import (
    Addressee,
    Content,
    Head,
    LetterParagraph,
    Page,
    PartyBlock,
    SideLetter,
    SignatureBlock,
    TermSheet,
)
from clausesmith.deal import model
from clausesmith.library.clause import render_marked
from clausesmith.plan.planner import Choice, DocumentPlan, Plan, localised
from clausesmith.templating import formatting
from clausesmith.templating.context import letter_context

# Every page of a draft says what it is; the internal deal id is for the lock, not the page.
# The execution version, the copy the parties sign, carries no marking.
MARKING = "Draft: subject to contract"


def marking(deal: model.Deal) -> str:
    return MARKING if deal.deal.status == "draft" else ""


# Paper in twentieths of a point, as Word's <w:pgSz> takes it: US Letter for en-US, else A4.
PAPER = {"en-US": Page(width="12240", height="15840")}
A4 = Page(width="11906", height="16838")
# A head up to this long (about 25 lines of the provision column) is kept on one page.
KEEP_TOGETHER_CHARS = 1800


# A run-in heading: one to four words ending in a full stop, then a sentence ("Taxes. If
# the law requires ..."). A short sentence ("There is no grant-back.") has a verb and is not.
_RUN_IN = re.compile(r"([A-Z][\w\u2019'-]*(?: [\w\u2019'-]+){0,3}\.) (?=[A-Z\u201c])")
_VERBS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "will",
        "would",
        "may",
        "shall",
        "should",
        "has",
        "have",
        "had",
        "does",
        "do",
        "can",
        "must",
        "applies",
        "apply",
        "means",
        "includes",
    ]
)


def run_in(paragraph: str) -> str:
    """The run-in heading a head's paragraph starts with, or ""."""
    found = _RUN_IN.match(paragraph)
    if found is None or _VERBS & set(found.group(1).rstrip(".").lower().split()):
        return ""
    return found.group(1)


def _page(locale: str) -> Page:
    return PAPER.get(locale, A4)


@dataclass(frozen=True)
class Document:
    kind: str  # term_sheet | side_letter
    stem: str  # file name without extension
    title: str
    content: Content
    plan: DocumentPlan
    texts: tuple[tuple[str, tuple[str, ...]], ...]  # (slot, paragraphs) as rendered


def assemble(plan: Plan) -> tuple[Document, ...]:
    return tuple(
        _term_sheet(plan, d) if d.kind == "term_sheet" else _side_letter(plan, d)
        for d in plan.documents
    )


def _render(choices: tuple[Choice, ...], context: dict[str, Any]) -> dict[str, Marked]:
    """Each slot's paragraphs, with the part each names (annex clauses name them)."""
    return {c.slot: render_marked(c.clause, context) for c in choices}


def _texts(marked: dict[str, Marked]) -> dict[str, tuple[str, ...]]:
    return {slot: tuple(text for _, text in paragraphs) for slot, paragraphs in marked.items()}


def _term_sheet(plan: Plan, doc: DocumentPlan) -> Document:
    deal = plan.deal
    locale = deal.deal.locale
    marked = _render(doc.choices, plan.context)
    texts = _texts(marked)
    roles = {s.slot: s for s in plan.playbook.slots}
    heads: list[Head] = []
    legend: list[str] = []
    annexes: dict[str, tuple[Choice, str]] = {}  # annex kind -> its choice and letter
    for choice in doc.choices:
        slot = roles[choice.slot]
        if slot.role == "legend":
            legend.extend(texts[choice.slot])
            continue
        if slot.role == "annex":
            assert slot.annex is not None  # the playbook loader requires it
            annexes[slot.annex] = (choice, plan.context["annexes"][choice.slot])
            continue
        heading = localised(choice.heading, locale)
        paragraphs = texts[choice.slot]
        number = str(len(heads) + 1)
        binding = choice.slot in deal.deal.binding_sections
        if heads and heads[-1].heading == heading:
            # Slots sharing a heading make one head: "Other Terms" gathers the boilerplate.
            # The head keeps its first slot's number and binding status.
            first = heads.pop()
            number, binding, paragraphs = first.number, first.binding, first.paragraphs + paragraphs
        heads.append(
            Head(
                number=number,
                heading=heading,
                paragraphs=paragraphs,
                binding=binding,
                keep_together=sum(map(len, paragraphs)) <= KEEP_TOGETHER_CHARS,
                run_ins=tuple(map(run_in, paragraphs)),
            )
        )
    content = TermSheet(
        deal_id=deal.deal.id,
        marking=marking(deal),
        page=_page(locale),
        title=deal.deal.title,
        date=formatting.date(deal.deal.date, locale),
        parties=tuple(_party_block(p, locale) for p in deal.parties),
        legend=" ".join(legend),
        heads=tuple(heads),
        annexes=annexes_of(deal, plan.context["annexes"].get("patents"), annexes, marked),
        signatures=tuple(_signature(p) for p in deal.parties),
    )
    return Document("term_sheet", doc.stem, deal.deal.title, content, doc, tuple(texts.items()))


def _party_block(party: model.Party, locale: str) -> PartyBlock:
    organised = "organized" if locale == "en-US" else "organised"
    entity = f"a {party.entity_type} " if party.entity_type else ""
    return PartyBlock(
        name=party.name,
        short_name=party.short_name,
        description=f"{entity}{organised} under the laws of "
        f"{formatting.law_area(party.jurisdiction)}".strip(),
        address=party.address or "",
    )


def _signature(party: model.Party, intro: str = "") -> SignatureBlock:
    sig = party.signatory
    return SignatureBlock(
        party_name=party.name,
        signatory_name=sig.name if sig else "",
        signatory_title=sig.title if sig else "",
        intro=intro,
    )


def _side_letter(plan: Plan, doc: DocumentPlan) -> Document:
    deal = plan.deal
    letter = next(sl for sl in deal.side_letters if sl.key == doc.key)
    sender, addressee = deal.party(letter.sender), deal.party(letter.to)
    locale = deal.deal.locale
    texts = _texts(_render(doc.choices, letter_context(plan.context, deal, letter)))
    paragraphs: list[LetterParagraph] = []
    for choice in doc.choices:
        for i, text in enumerate(texts[choice.slot]):
            paragraphs.append(
                LetterParagraph(
                    number=str(len(paragraphs) + 1),
                    heading=localised(choice.heading, locale) if i == 0 else "",
                    text=text,
                )
            )
    named = addressee.signatory is not None
    dated = formatting.date(deal.deal.date, locale)
    content = SideLetter(
        deal_id=deal.deal.id,
        marking=marking(deal),
        page=_page(locale),
        letter_key=letter.key,
        title=letter.title,
        date=dated,
        sender=Addressee(name=sender.name, address=sender.address or ""),
        addressee=Addressee(
            name=addressee.name,
            address=addressee.address or "",
            attention=_attention(addressee.signatory),
        ),
        re=f"Re: {deal.deal.title} dated {dated}",
        salutation=_salutation(addressee.signatory),
        paragraphs=tuple(paragraphs),
        closing=_closing(locale, named),
        sender_signature=_signature(sender),
        # One line saying what the signature means; the block below names the party.
        countersignature=_signature(addressee, intro="We agree to the terms of this letter."),
    )
    return Document("side_letter", doc.stem, letter.title, content, doc, tuple(texts.items()))


def _attention(sig: model.Signatory | None) -> str:
    return f"For the attention of: {sig.name}, {sig.title}" if sig else ""


def _salutation(sig: model.Signatory | None) -> str:
    """Closed punctuation, as the closing has it: "Dear Mr Weiß," (the deal's own words),
    else "Dear" and the name, or "Dear Sir or Madam,"."""
    if sig is None:
        return "Dear Sir or Madam,"
    text = (sig.salutation or f"Dear {sig.name}").rstrip(" ,")
    return f"{text},"


def _closing(locale: str, named: bool) -> str:
    if locale == "en-US":
        return "Sincerely,"
    return "Yours sincerely," if named else "Yours faithfully,"
