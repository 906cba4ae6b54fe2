"""The consistency stage: heads of terms checked against each other after planning.

Each check reads the planned deal (`PlannedDeal`) and gives one `Hit` per place in the deal file
that needs counsel's attention; the playbook's guardrails name the checks (`check:`) and
give each its severity, basis, message and citations, so counsel keep the wording.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from clausesmith.deal import model
from clausesmith.inputs.dates import add_years
from clausesmith.library.fields import normal
from clausesmith.plan import free_text
from clausesmith.plan.planned_deal import Check, Hit, PlannedDeal
from clausesmith.templating.formatting import join_and


def has_grant_back(deal: model.Deal) -> bool:
    """Whether the term sheet holds a grant-back: the one test every check here uses.

    `GrantBack.applies()`, not the scope alone: a deal that sets a scope but describes no
    collaboration prints no grant-back (CS-04 says so), and a finding or an override about
    a grant-back the documents do not contain would mislead counsel. Once a collaboration
    is described the grant-back prints and every grant-back rule reads it."""
    return deal.grant_back.applies()


def _fields(deal: model.Deal, licensee: str | None = None) -> list[tuple[str, str]]:
    """(path, name) of every licensed segment and product category: of every licensee's
    Licensed Field, or (given a party key) of that party's as licensee."""
    lists = [("field.licensed", deal.field.licensed)]
    for i, own in enumerate(deal.field.per_licensee):
        if own.licensed:
            lists.append((f"field.per_licensee[{i}].licensed", own.licensed))
    if licensee is not None:
        own_field = deal.field.for_licensee(licensee)
        lists = [(path, segs) for path, segs in lists if segs is own_field]
    found = []
    for prefix, segments in lists:
        for i, segment in enumerate(segments):
            found.append((f"{prefix}[{i}].segment", segment.segment))
            for j, category in enumerate(segment.product_categories):
                found.append((f"{prefix}[{i}].product_categories[{j}]", category))
    return found


def _chain(chain: tuple[str, ...]) -> str:
    """surgical robotics → medical devices; one name: the field is listed as it stands."""
    return " → ".join(chain) if len(chain) > 1 else "the same field"


def _inside_excluded(planned: PlannedDeal, name: str) -> tuple[str, tuple[str, ...]] | None:
    """The first excluded field `name` lies inside, with the chain that shows it."""
    for excluded in planned.deal.field.excluded:
        chain = planned.taxonomy.inside(name, excluded)
        if chain is not None:
            return excluded, chain
    return None


def _inside_licensed(planned: PlannedDeal, name: str, licensee: str) -> tuple[str, ...] | None:
    """The chain by which `name` lies inside the Licensed Field of `licensee`."""
    for _, licensed in _fields(planned.deal, licensee):
        chain = planned.taxonomy.inside(name, licensed)
        if chain is not None:
            return chain
    return None


def competitor_sharing(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    if not deal.relationship.competitors:
        return []
    hits = []
    gb = deal.grant_back
    if gb.scope == "all_improvements":
        hits.append(
            Hit(
                "grant_back.scope",
                {
                    "arrangement": "the grant-back reaches all improvements, including each "
                    "party's independent developments",
                    "remedy": "Limit grant_back.scope to collaboration_improvements.",
                },
            )
        )
    elif has_grant_back(deal) and not gb.field_limited:
        hits.append(
            Hit(
                "grant_back.field_limited",
                {
                    "arrangement": "the grant-back reaches improvements outside the Licensed "
                    "Field (grant_back.field_limited is false)",
                    "remedy": "Set grant_back.field_limited to true.",
                },
            )
        )
    years, until = deal.patents.capture_period_years, deal.patents.capture_until
    if deal.royalties.structure == "royalty_free" and deal.patents.capture():
        key = "capture_period_years" if years is not None else "capture_until"
        period = (
            f"a {years}-year capture period"
            if years is not None
            else f"a capture period ending on {until}"
        )
        hits.append(
            Hit(
                f"patents.{key}",
                {
                    "arrangement": f"each licenses the other, royalty-free, every patent family "
                    f"first filed in {period}: future technology at no cost",
                    "remedy": f"Shorten or drop patents.{key}, or agree a royalty for "
                    "families filed after the effective date.",
                },
            )
        )
    return hits


def periods(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    years = deal.term.years  # None: the term ends when the last Licensed Patent expires
    hits = []

    def hit(path: str, problem: str, remedy: str) -> None:
        hits.append(Hit(path, {"problem": problem, "remedy": remedy}))

    gb = deal.grant_back
    if has_grant_back(deal) and gb.sunset_years is None:
        at_most = f", at most the term of {years} years" if years is not None else ""
        hit(
            "grant_back.sunset_years",
            "The grant-back has no sunset (grant_back.sunset_years is not given)",
            f"Give grant_back.sunset_years{at_most}.",
        )
    if years is None:
        # A term to the last expiry has no length to compare with; the term head ends the
        # grant-back and the Capture Period with the Agreement, so neither can outlast it.
        return hits + _sell_off(deal)
    if has_grant_back(deal) and gb.sunset_years is not None and gb.sunset_years > years:
        hit(
            "grant_back.sunset_years",
            f"The grant-back runs {gb.sunset_years} years, past the {years}-year term",
            f"Set grant_back.sunset_years to at most {years}, or lengthen term.years.",
        )
    capture = deal.patents.capture_period_years
    if capture is not None and capture > years:
        hit(
            "patents.capture_period_years",
            f"The capture period of {capture} years is longer than the {years}-year term",
            f"Set patents.capture_period_years to at most {years}, or lengthen term.years.",
        )
    until, term_end = deal.patents.capture_until, add_years(deal.deal.effective_date, years)
    if until is not None and until > term_end:
        hit(
            "patents.capture_until",
            f"The capture period ends on {until.isoformat()}, after the {years}-year term "
            f"ends on {term_end.isoformat()}",
            f"Set patents.capture_until to {term_end.isoformat()} or earlier, or lengthen "
            "term.years.",
        )
    if deal.term.renewal == "automatic":
        hit(
            "term.renewal",
            "The licence renews automatically, with no end (term.renewal is automatic)",
            "Set term.renewal to mutual or none, so that the term and the capture period fix "
            "the scope of the licences.",
        )
    hits += _sell_off(deal)
    months = years * 12
    for path, every in (
        ("term.renegotiation_window_months", deal.term.renegotiation_window_months),
        ("royalties.review_every_months", deal.royalties.review_every_months),
    ):
        if every is not None and every >= months:
            hit(
                path,
                f"{path} is {every} months, so it never falls inside the {years}-year term "
                f"({months} months)",
                f"Set {path} below {months}, or remove it.",
            )
    return hits


def _sell_off(deal: model.Deal) -> list[Hit]:
    # A sell-off bites only where the licences end with a fixed term: a term to the last
    # patent leaves nothing to sell under, and licences for each patent's life outlast it.
    bites = deal.term.ends == "fixed_years" and deal.duration.licences_last == "end_of_term"
    if deal.term.sell_off_months is not None or not bites:
        return []
    return [
        Hit(
            "term.sell_off_months",
            {
                "problem": "There is no sell-off period for stock made under licence once the "
                "term ends",
                "remedy": "Give term.sell_off_months (the playbook's preferred position is 6).",
            },
        )
    ]


def side_letters(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    hits = []
    gb = deal.grant_back
    blocked = has_grant_back(deal) and (
        gb.exclusivity == "exclusive" or gb.scope == "all_improvements"
    )
    for i, letter in enumerate(deal.side_letters):
        missing = planned.letter_gaps.get(letter.key, ())
        if missing:
            hits.append(
                Hit(
                    f"side_letters[{i}]",
                    {
                        "problem": f"Side letter {letter.key!r} lacks its "
                        f"{join_and(list(missing))} paragraph",
                        "remedy": "Give the playbook's side-letter slots incorporation and "
                        "precedence a clause for every letter.",
                    },
                )
            )
        if blocked and not letter.terms.excluded_from_grant_back:
            hits.append(
                Hit(
                    f"side_letters[{i}].terms.excluded_from_grant_back",
                    {
                        "problem": f"Side letter {letter.key!r} leaves its field under an "
                        "exclusive or all-improvements grant-back",
                        "remedy": f"Set side_letters[{i}].terms.excluded_from_grant_back to "
                        "true, or record a counsel override.",
                    },
                )
            )
    for i, sensitive in enumerate(deal.carve_outs.sensitive_fields):
        found = _inside_excluded(planned, sensitive.name)
        if sensitive.licence == "included" and found is not None:
            excluded, chain = found
            through = (
                f"its side letter {sensitive.side_letter!r}"
                if sensitive.side_letter
                else "the term sheet"
            )
            hits.append(
                Hit(
                    f"carve_outs.sensitive_fields[{i}]",
                    {
                        "problem": f"The sensitive field {sensitive.name!r} has licence: "
                        f"included but lies inside the excluded field {excluded!r} "
                        f"({_chain(chain)}), so {through} would license into a field the "
                        "term sheet excludes",
                        "remedy": f"Set carve_outs.sensitive_fields[{i}].licence to excluded, "
                        f"or take {excluded!r} out of field.excluded.",
                    },
                )
            )
    return hits


def sensitive_fields(planned: PlannedDeal) -> list[Hit]:
    hits = []
    for i, sensitive in enumerate(planned.deal.carve_outs.sensitive_fields):
        if sensitive.side_letter is not None or sensitive.licence != "included":
            continue
        if _inside_excluded(planned, sensitive.name) is not None:
            continue  # guardrail CL-10 blocks it
        # The owner keeps the field from the other party: that party's licence reaches it.
        licensee = planned.deal.other(sensitive.owner)
        chain = _inside_licensed(planned, sensitive.name, licensee.key)
        inside = f"licence: included; {_chain(chain)}" if chain else "licence: included"
        if planned.deal.field.scoped():
            inside += f"; compared with {licensee.short_name}'s Licensed Field as licensee"
        hits.append(
            Hit(
                f"carve_outs.sensitive_fields[{i}]",
                {
                    "field": sensitive.name,
                    "inside": inside,
                    "path": f"carve_outs.sensitive_fields[{i}]",
                },
            )
        )
    return hits


def field_consistency(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    hits = []
    for path, name in _fields(deal):
        found = _inside_excluded(planned, name)
        if found is not None:
            excluded, chain = found
            hits.append(
                Hit(
                    path,
                    {
                        "problem": f"The licensed field {name!r} lies inside the excluded "
                        f"field {excluded!r} ({_chain(chain)})",
                        "remedy": f"Take {excluded!r} out of field.excluded, or {name!r} out "
                        f"of {path[: path.rindex('.licensed[') + 9]}.",
                    },
                )
            )
    unknown = [
        (f"field.excluded[{i}]", name)
        for i, name in enumerate(deal.field.excluded)
        if not planned.taxonomy.known(name)
    ] + [
        (f"carve_outs.sensitive_fields[{i}].name", s.name)
        for i, s in enumerate(deal.carve_outs.sensitive_fields)
        if not planned.taxonomy.known(s.name)
    ]
    for path, name in unknown:
        near = difflib.get_close_matches(normal(name), list(planned.taxonomy.broader), n=1)
        use = f"If you meant {near[0]!r}, write that; otherwise ask" if near else "Ask"
        hits.append(
            Hit(
                path,
                {
                    "problem": f"The field {name!r} is not in the field taxonomy counsel keep, "
                    "so clausesmith can compare it with the other fields by its name alone",
                    "remedy": f"{use} counsel to add {name!r} to the field taxonomy "
                    "(clause_library/fields.yaml) with the broader field it lies inside; "
                    "nothing contradicts yet, and the deal renders as it stands.",
                },
            )
        )
    return hits


def letter_grant_back(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    hits = []
    for i, letter in enumerate(deal.side_letters):
        fields = [s for s in deal.carve_outs.sensitive_fields if s.side_letter == letter.key]
        path = f"side_letters[{i}].terms.excluded_from_grant_back"
        if letter.terms.excluded_from_grant_back and not has_grant_back(deal):
            problem = (
                f"Side letter {letter.key!r} excludes its field from the grant-back, but the "
                "deal has no grant-back (grant_back.scope is none)"
            )
        elif letter.terms.excluded_from_grant_back and not fields:
            problem = (
                f"Side letter {letter.key!r} excludes its field from the grant-back, but no "
                "sensitive field names it (carve_outs.sensitive_fields[].side_letter)"
            )
        else:
            continue
        hits.append(Hit(path, {"problem": problem, "remedy": f"Set {path} to false."}))
    return hits


def grant_back_collaboration(planned: PlannedDeal) -> list[Hit]:
    """A grant-back asked for with no collaboration described prints none: say so, never
    drop a head silently."""
    gb = planned.deal.grant_back
    if gb.scope == "none" or gb.applies():
        return []
    problem = (
        f"grant_back.scope is {gb.scope}, but grant_back.collaboration describes no "
        "collaboration, so the term sheet provides no grant-back (the capture period already "
        "licenses the families filed in it)"
    )
    remedy = (
        "Describe what the parties will do together in grant_back.collaboration, or set "
        "grant_back.scope to none."
    )
    return [Hit("grant_back.scope", {"problem": problem, "remedy": remedy})]


def binding_heads(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    hits = []
    for i, head in enumerate(deal.deal.binding_sections):
        if head in planned.term_sheet_slots:
            continue
        path = f"deal.binding_sections[{i}]"
        problem = (
            f"deal.binding_sections names {head!r}, but the playbook gives the term sheet no "
            "such head, so the legend would call binding a section that is not there"
        )
        hits.append(
            Hit(
                path, {"problem": problem, "remedy": f"Take {head!r} out of deal.binding_sections."}
            )
        )
    return hits


def information_exchange(planned: PlannedDeal) -> list[Hit]:
    deal = planned.deal
    if not deal.relationship.competitors:
        return []
    hits = []
    review = deal.governance.grant_back_review
    # The scorecard is printed only for a grant-back that applies (a described collaboration).
    # With a neutral chair, the chair alone scores sales velocity on evidence given to it.
    if (
        deal.grant_back.applies()
        and review.sales_velocity_impact > Decimal(0)
        and not deal.governance.neutral_chair
    ):
        hits.append(
            Hit(
                "governance.grant_back_review.sales_velocity_impact",
                {
                    "exchange": "the grant-back scorecard weighs the impact on sales velocity "
                    f"({review.sales_velocity_impact}%), which puts the requesting party's "
                    "time-to-market before committee members its competitor appoints, with no "
                    "neutral chair to score it alone",
                    "remedy": "set governance.neutral_chair to true (the chair alone then scores "
                    "that criterion on evidence given to the chair), or set "
                    "governance.grant_back_review.sales_velocity_impact to 0 and give its weight "
                    "to necessity and value_contribution",
                },
            )
        )
    return hits


def _deal_texts(deal: model.Deal) -> list[str]:
    """The deal's own words that the documents print, where a defined term can be used."""
    texts = [deal.grant_back.collaboration or ""]
    texts += [name for _, name in _fields(deal)] + list(deal.field.excluded)
    texts += [p for own in deal.field.per_licensee for p in own.excluded_products]
    texts += [s.name for s in deal.carve_outs.sensitive_fields]
    texts += [lic.agreement for lic in deal.carve_outs.pre_existing_licences]
    texts += [ra.title for ra in deal.related_agreements]
    texts += [letter.title for letter in deal.side_letters]
    texts += list(deal.release.includes)
    texts += [p for ra in deal.related_agreements for p in ra.prevails_on]
    texts += [a.title for ra in deal.related_agreements for a in ra.amended_by]
    texts += [r.text for r in deal.other_terms.representations]
    return texts


def unused_definitions(deal: model.Deal) -> list[int]:
    """The indexes of the deal's definitions that nothing else in the deal uses (a definition
    the free-text screen flags, a challenge or an allocation, is for the rule that flags it:
    advising to use it would advise the restraint)."""
    flagged = {h.text.path.split(".")[0] for h in free_text.screen(deal)}
    unused = []
    for i, item in enumerate(deal.definitions):
        if f"definitions[{i}]" in flagged:
            continue
        others = [d.meaning for d in deal.definitions if d is not item]
        pattern = re.compile(rf"(?<!\w){re.escape(item.term)}(?!\w)")
        if not any(pattern.search(text) for text in [*_deal_texts(deal), *others]):
            unused.append(i)
    return unused


def deal_definitions(planned: PlannedDeal) -> list[Hit]:
    """A term the deal defines that nothing else in the deal uses is defined in vain (and
    the term sheet leaves it out)."""
    deal = planned.deal
    hits = []
    for i in unused_definitions(deal):
        item = deal.definitions[i]
        hits.append(
            Hit(
                f"definitions[{i}].term",
                {
                    "problem": f"The defined term {item.term!r} is used nowhere else in the "
                    "deal, so the term sheet would print a definition no head uses",
                    "remedy": f"Use {item.term!r} in the text it defines (a field, a product, "
                    f"the collaboration, another definition), or remove definitions[{i}].",
                },
            )
        )
    return hits


def us_titles(planned: PlannedDeal) -> list[Hit]:
    """An en-US deal respells the clause wording ("License"), but its own titles are printed
    as typed: a title that says "Licence" sits on every page beside "License"."""
    deal = planned.deal
    if deal.deal.locale != "en-US":
        return []
    titles = [("deal.title", deal.deal.title)]
    titles += [(f"side_letters[{i}].title", sl.title) for i, sl in enumerate(deal.side_letters)]
    hits = []
    for path, title in titles:
        if re.search(r"[Ll]icence|LICENCE", title) is None:
            continue
        us = re.sub(r"icence", "icense", re.sub(r"ICENCE", "ICENSE", title))
        hits.append(
            Hit(
                path,
                {
                    "problem": f"The deal is written in US English (deal.locale en-US), but "
                    f'its title {title!r} spells "Licence" the UK way, and titles are '
                    'printed as typed beside text that says "License"',
                    "remedy": f"Write the title as {us!r}.",
                },
            )
        )
    return hits


def entry_notice(planned: PlannedDeal) -> list[Hit]:
    """An entry notice between competitors with no clean team drafted to receive it: a
    notice of future conduct would reach the competitor's business (CL-13-ENTRY-NOTICE)."""
    deal = planned.deal
    if not deal.relationship.competitors or deal.governance.clean_team:
        return []
    hits = []
    for i, letter in enumerate(deal.side_letters):
        months = letter.terms.notice_before_entry_months
        fields = [s.name for s in deal.carve_outs.sensitive_fields if s.side_letter == letter.key]
        if months is None or not fields:
            continue
        path = f"side_letters[{i}].terms.notice_before_entry_months"
        hits.append(
            Hit(
                path,
                {
                    "notice": f"side letter {letter.key!r} requires {months} months' notice of "
                    f"entry into {join_and(fields)}",
                    "path": path,
                },
            )
        )
    return hits


PROBLEM = ("problem", "remedy")
CHECKS = {
    "competitor_sharing": Check(("arrangement", "remedy"), competitor_sharing),
    "periods": Check(PROBLEM, periods),
    "side_letters": Check(PROBLEM, side_letters),
    "sensitive_fields": Check(("field", "inside", "path"), sensitive_fields),
    "field_consistency": Check(PROBLEM, field_consistency),
    "letter_grant_back": Check(PROBLEM, letter_grant_back),
    "grant_back_collaboration": Check(PROBLEM, grant_back_collaboration),
    "binding_heads": Check(PROBLEM, binding_heads),
    "information_exchange": Check(("exchange", "remedy"), information_exchange),
    "entry_notice": Check(("notice", "path"), entry_notice),
    "deal_definitions": Check(PROBLEM, deal_definitions),
    "us_titles": Check(PROBLEM, us_titles),
}
