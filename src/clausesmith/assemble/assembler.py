"""Stage 3: the plan's clauses rendered into format-neutral documents (the typed model of
`document_model`), which the Word and Markdown writers both read, so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clausesmith.assemble.annex_rows import has_status_columns, patent_row, sensitivity_rows
from clausesmith.assemble.document_model import (
    Addressee,
    Annexes,
    Content,
    Head,
    LetterParagraph,
    Page,
    PartyBlock,
    PatentAnnex,
    RoyaltyAnnex,
    RoyaltyRow,
    ScorecardAnnex,
    ScorecardRow,
    SideLetter,
    SignatureBlock,
    TermSheet,
)
from clausesmith.assemble.royalty_model import scenario_rows
from clausesmith.deal import model
from clausesmith.errors import InvalidInput
from clausesmith.library.annex_parts import declaration_problem, split_parts
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


Marked = tuple[tuple[str | None, str], ...]


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
        annexes=Annexes(
            patents=_patent_annex(deal, plan.context["annexes"].get("patents")),
            royalty_model=_royalty_annex(deal, *_parts("royalty_model", annexes, marked)),
            scorecard=_scorecard_annex(deal, *_parts("scorecard", annexes, marked)),
        ),
        signatures=tuple(_signature(p) for p in deal.parties),
    )
    return Document("term_sheet", doc.stem, deal.deal.title, content, doc, tuple(texts.items()))


Parts = dict[str, tuple[str, ...]]


def _parts(
    kind: str, annexes: dict[str, tuple[Choice, str]], marked: dict[str, Marked]
) -> tuple[Parts | None, str | None]:
    """The `kind` annex clause's paragraphs by the part names its front matter declares."""
    if kind not in annexes:
        return None, None
    choice, letter = annexes[kind]
    clause = choice.clause
    # lint checks the declaration too, but a library is rendered without being linted
    if bad := declaration_problem(clause, kind):
        raise InvalidInput([bad])
    return split_parts(clause.path, clause.parts, marked[choice.slot]), letter


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


def _patent_annex(deal: model.Deal, letter: str | None) -> PatentAnnex:
    """The schedule; under a portfolio licence its families are examples only (#14), and
    with none listed there is no annex (no letter, no rows). With a family's status, expiry
    or diligence stated (#14), the status and expiry columns."""
    if letter is None:
        return PatentAnnex(title="", rows=())
    status_columns = has_status_columns(deal)
    rows = tuple(patent_row(deal, f, status_columns) for f in deal.patents.families)
    name = (
        "Examples of Licensed Patents" if deal.patents.scope == "portfolio" else "Patent Schedule"
    )
    return PatentAnnex(title=f"Annex {letter}: {name}", rows=rows, status_columns=status_columns)


def _royalty_annex(
    deal: model.Deal, parts: Parts | None, letter: str | None
) -> RoyaltyAnnex | None:
    roy = deal.royalties
    rows = scenario_rows(roy, deal.term.years)
    if not rows or parts is None or letter is None:
        return None
    assert roy.currency is not None
    locale = deal.deal.locale

    def money(value: Any) -> str:
        return formatting.money(value, str(roy.currency), locale)

    return RoyaltyAnnex(
        title=f"Annex {letter}: Royalty Model",
        intro=parts["intro"][0],
        notes=parts["notes"],
        rows=tuple(
            RoyaltyRow(
                scenario=r.scenario.capitalize(),
                net_sales=money(r.net_sales),
                royalty_before_cap=money(r.royalty_before_cap),
                cap=money(r.cap) if r.cap is not None else "No cap",
                payable=money(r.payable),
            )
            for r in rows
        ),
        sensitivity=sensitivity_rows(deal),
    )


_CRITERIA = (
    ("necessity", "Necessity"),
    ("value_contribution", "Value contribution"),
    ("sales_velocity_impact", "Impact on sales velocity"),
)


def _scorecard_annex(
    deal: model.Deal, parts: Parts | None, letter: str | None
) -> ScorecardAnnex | None:
    if parts is None or letter is None:
        return None
    review = deal.governance.grant_back_review
    locale = deal.deal.locale
    return ScorecardAnnex(
        title=f"Annex {letter}: Grant-Back Review Scorecard",
        intro=parts["intro"][0],
        rows=tuple(
            ScorecardRow(
                criterion=label,
                weight=formatting.percent(getattr(review, key), locale),
                description=parts[key][0],
            )
            for key, label in _CRITERIA
        ),
        threshold=parts["threshold"][0],
        notes=parts["notes"],
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
