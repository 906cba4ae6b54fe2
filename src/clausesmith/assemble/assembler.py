"""Stage 3: the plan's clauses rendered into format-neutral documents (plain dicts of text).

The Word and Markdown writers both read exactly these dicts, so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clausesmith.assemble.royalty_model import scenario_rows
from clausesmith.deal import model
from clausesmith.library.clause import render_clause
from clausesmith.plan.planner import Choice, DocumentPlan, Plan, localised
from clausesmith.templating import formatting
from clausesmith.templating.context import letter_context

SPECIAL_SLOTS = {"legend", "annex_royalty_model", "annex_scorecard"}

# Every page of a draft says what it is; the internal deal id is for the lock, not the page.
MARKING = "Draft: subject to contract"
# Paper in twentieths of a point, as Word's <w:pgSz> takes it: US Letter for en-US, else A4.
PAPER = {"en-US": {"width": "12240", "height": "15840"}}
A4 = {"width": "11906", "height": "16838"}
# A head up to this long (about 25 lines of the provision column) is kept on one page.
KEEP_TOGETHER_CHARS = 1800


def _page(locale: str) -> dict[str, str]:
    return PAPER.get(locale, A4)


@dataclass(frozen=True)
class Document:
    kind: str  # term_sheet | side_letter
    stem: str  # file name without extension
    title: str
    context: dict[str, Any]
    plan: DocumentPlan
    texts: tuple[tuple[str, tuple[str, ...]], ...]  # (slot, paragraphs) as rendered


def assemble(plan: Plan) -> tuple[Document, ...]:
    return tuple(
        _term_sheet(plan, d) if d.kind == "term_sheet" else _side_letter(plan, d)
        for d in plan.documents
    )


def _render(choices: tuple[Choice, ...], context: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {c.slot: render_clause(c.clause, context) for c in choices}


def _term_sheet(plan: Plan, doc: DocumentPlan) -> Document:
    deal = plan.deal
    locale = deal.deal.locale
    texts = _render(doc.choices, plan.context)
    heads: list[dict[str, Any]] = []
    for choice in doc.choices:
        if choice.slot in SPECIAL_SLOTS:
            continue
        heads.append(
            {
                "number": str(len(heads) + 1),
                "heading": localised(choice.heading, locale),
                "paragraphs": list(texts[choice.slot]),
                "binding": choice.slot in deal.deal.binding_sections,
                "keep_together": sum(map(len, texts[choice.slot])) <= KEEP_TOGETHER_CHARS,
            }
        )
    letters = plan.context["annexes"]
    context = {
        "deal_id": deal.deal.id,
        "marking": MARKING,
        "page": _page(locale),
        "title": deal.deal.title,
        "date": formatting.date(deal.deal.date, locale),
        "parties": [_party_block(p, locale) for p in deal.parties],
        "legend": " ".join(texts.get("legend", ())),
        "heads": heads,
        "annexes": {
            "patents": _patent_annex(deal, letters["patents"]),
            "royalty_model": _royalty_annex(
                deal, texts.get("annex_royalty_model"), letters.get("annex_royalty_model")
            ),
            "scorecard": _scorecard_annex(
                deal, texts.get("annex_scorecard"), letters.get("annex_scorecard")
            ),
        },
        "signatures": [_signature(p) for p in deal.parties],
    }
    return Document("term_sheet", doc.stem, deal.deal.title, context, doc, tuple(texts.items()))


def _party_block(party: model.Party, locale: str) -> dict[str, str]:
    organised = "organized" if locale == "en-US" else "organised"
    entity = f"a {party.entity_type} " if party.entity_type else ""
    return {
        "name": party.name,
        "short_name": party.short_name,
        "description": f"{entity}{organised} under the laws of "
        f"{formatting.law_area(party.jurisdiction)}".strip(),
        "address": party.address or "",
    }


def _signature(party: model.Party) -> dict[str, str]:
    sig = party.signatory
    return {
        "party_name": party.name,
        "signatory_name": sig.name if sig else "",
        "signatory_title": sig.title if sig else "",
    }


def _patent_annex(deal: model.Deal, letter: str) -> dict[str, Any]:
    rows = [
        {"owner": deal.party(f.owner).short_name, "ref": f.ref, "title": f.title}
        for f in deal.patents.families
    ]
    return {"title": f"Annex {letter}: Patent Schedule", "rows": rows}


def _royalty_annex(
    deal: model.Deal, text: tuple[str, ...] | None, letter: str | None
) -> dict[str, Any] | None:
    roy = deal.royalties
    rows = scenario_rows(roy, deal.term.years)
    if not rows or text is None or letter is None:
        return None
    assert roy.currency is not None
    locale = deal.deal.locale

    def money(value: Any) -> str:
        return formatting.money(value, str(roy.currency), locale)

    return {
        "title": f"Annex {letter}: Royalty Model",
        "intro": text[0],
        "notes": list(text[1:]),
        "rows": [
            {
                "scenario": r.scenario.capitalize(),
                "net_sales": money(r.net_sales),
                "royalty_before_cap": money(r.royalty_before_cap),
                "cap": money(r.cap) if r.cap is not None else "No cap",
                "payable": money(r.payable),
            }
            for r in rows
        ],
    }


_CRITERIA = (
    ("necessity", "Necessity"),
    ("value_contribution", "Value contribution"),
    ("sales_velocity_impact", "Impact on sales velocity"),
)


def _scorecard_annex(
    deal: model.Deal, text: tuple[str, ...] | None, letter: str | None
) -> dict[str, Any] | None:
    if text is None or letter is None:
        return None
    review = deal.governance.grant_back_review
    locale = deal.deal.locale
    descriptions = dict(zip((k for k, _ in _CRITERIA), text[1:4], strict=False))
    rows = [
        {
            "criterion": label,
            "weight": formatting.percent(getattr(review, key), locale),
            "description": descriptions.get(key, ""),
        }
        for key, label in _CRITERIA
    ]
    return {
        "title": f"Annex {letter}: Grant-Back Review Scorecard",
        "intro": text[0],
        "rows": rows,
        "threshold": text[4] if len(text) > 4 else "",
        "notes": list(text[5:]),
    }


def _side_letter(plan: Plan, doc: DocumentPlan) -> Document:
    deal = plan.deal
    letter = next(sl for sl in deal.side_letters if sl.key == doc.key)
    sender, addressee = deal.party(letter.sender), deal.party(letter.to)
    locale = deal.deal.locale
    texts = _render(doc.choices, letter_context(plan.context, deal, letter))
    paragraphs: list[dict[str, str]] = []
    for choice in doc.choices:
        for i, text in enumerate(texts[choice.slot]):
            paragraphs.append(
                {
                    "number": str(len(paragraphs) + 1),
                    "heading": localised(choice.heading, locale) if i == 0 else "",
                    "text": text,
                }
            )
    named = addressee.signatory is not None
    context = {
        "deal_id": deal.deal.id,
        "marking": MARKING,
        "page": _page(locale),
        "letter_key": letter.key,
        "title": letter.title,
        "date": formatting.date(deal.deal.date, locale),
        "sender": {"name": sender.name, "address": sender.address or ""},
        "addressee": {"name": addressee.name, "address": addressee.address or ""},
        "re": f"Re: {deal.deal.title} dated {formatting.date(deal.deal.date, locale)}",
        "salutation": f"Dear {addressee.signatory.name}"
        if addressee.signatory
        else "Dear Sir or Madam",
        "paragraphs": paragraphs,
        "closing": _closing(locale, named),
        "sender_signature": _signature(sender),
        "countersignature": {
            # One line saying what the signature means; the block below names the party.
            "intro": "We agree to the terms of this letter.",
            **_signature(addressee),
        },
    }
    return Document("side_letter", doc.stem, letter.title, context, doc, tuple(texts.items()))


def _closing(locale: str, named: bool) -> str:
    if locale == "en-US":
        return "Sincerely,"
    return "Yours sincerely," if named else "Yours faithfully,"
