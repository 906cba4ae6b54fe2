"""Rules that tie one key to another (invalid input, not a finding: refused before any rule runs).

Runs only on data the schema accepted, so types are known here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from clausesmith.deal import payment_and_grant_back_rules
from clausesmith.inputs.numbers import number_text
from clausesmith.inputs.places import names_only_a_state, us_state

Issue = tuple[tuple[str | int, ...], str]  # (path, message)

# Terms the term sheet defines itself (general/definitions and the heads); a deal's own
# definition may not reuse one, in any case or spacing.
BUILT_IN_TERMS = (
    "Affiliate",
    "Agreement",
    "Background IP",
    "Capture Period",
    "Collaboration",
    "Collaboration Improvements",
    "Committee",
    "Effective Date",
    "Excluded Field",
    "Excluded Products",
    "Improvement",
    "Licensed Field",
    "Licensed Patents",
    "Licensed Products",
    "Net Sales",
    "Non-Severable Improvement",
    "Pre-existing Licences",
    "Related Agreements",
    "Royalty Cap",
    "Sensitive Field",
    "Term Sheet",
    "Territory",
    "party",
    "parties",
)


def check(data: dict[str, Any], typed: dict[str, Any]) -> list[Issue]:
    """The cross-field problems of `data`, the deal with the playbook's defaults and its
    derived values filled in; `typed` is the deal as its file gives it."""
    return [
        *_parties(data),
        *_challenge(data),
        *_party_references(data),
        *_grant_back(data),
        *_royalties(data),
        *_sums(data),
        *_term_and_enforcement(data),
        *_relationship(data),
        *_side_letters(data),
        *_forum(data),
        *_release(data),
        *_scope(data),
        *_addresses(typed),
        *payment_and_grant_back_rules.check(data),
    ]


def _party_keys(data: dict[str, Any]) -> list[str]:
    return [p["key"] for p in data["parties"]]


def _parties(data: dict[str, Any]) -> Iterator[Issue]:
    keys = _party_keys(data)
    if keys[0] == keys[1]:
        yield ("parties", 1, "key"), f"both parties have the key {keys[0]!r}; give each its own"


def _refs(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every (path, value) in the deal that must name a party."""
    for i, fam in enumerate(data["patents"].get("families") or []):
        yield ("patents", "families", i, "owner"), fam["owner"]
    if data["royalties"].get("payer") is not None:
        yield ("royalties", "payer"), data["royalties"]["payer"]
    for name in ("pre_existing_licences", "sensitive_fields"):
        for i, item in enumerate(data["carve_outs"].get(name) or []):
            yield ("carve_outs", name, i, "owner"), item["owner"]
            if item.get("limits_licensee") is not None:
                yield ("carve_outs", name, i, "limits_licensee"), item["limits_licensee"]
    for i, letter in enumerate(data.get("side_letters") or []):
        yield ("side_letters", i, "from"), letter["from"]
        yield ("side_letters", i, "to"), letter["to"]
    for key in data["prosecution"].get("cost_share_pct") or {}:
        yield ("prosecution", "cost_share_pct", key), key
    release = data["release"]
    if release.get("releasing_party") is not None:
        yield ("release", "releasing_party"), release["releasing_party"]
    if release.get("payment") is not None:
        yield ("release", "payment", "payer"), release["payment"]["payer"]
    for i, own in enumerate(data["field"].get("per_licensee") or []):
        yield ("field", "per_licensee", i, "licensee"), own["licensee"]
    for key in data["patents"].get("scope_by_owner") or {}:
        yield ("patents", "scope_by_owner", key), key
    for i, rep in enumerate(data["other_terms"].get("representations") or []):
        yield ("other_terms", "representations", i, "by"), rep["by"]


def _party_references(data: dict[str, Any]) -> Iterator[Issue]:
    keys = list(dict.fromkeys(_party_keys(data)))  # each once, even when both parties clash
    for path, value in _refs(data):
        if value not in keys:
            yield path, f"{value!r} names no party; use {' or '.join(map(repr, keys))}"


def _grant_back(data: dict[str, Any]) -> Iterator[Issue]:
    gb = data["grant_back"]
    if gb["royalty"] == "bearing" and gb.get("royalty_rate_pct") is None:
        yield (
            ("grant_back", "royalty_rate_pct"),
            "a royalty-bearing grant-back needs a rate; give royalty_rate_pct",
        )


def _royalties(data: dict[str, Any]) -> Iterator[Issue]:
    roy = data["royalties"]
    structure = roy["structure"]
    needs = {"running": "rate_pct", "lump_sum": "lump_sum"}
    if structure in needs and roy.get(needs[structure]) is None:
        yield ("royalties", needs[structure]), f"required when structure is {structure}"
    if structure == "tiered":
        yield from _tiers(roy.get("tiers") or [])
    if structure != "royalty_free":
        for key in ("payer", "currency"):
            if roy.get(key) is None:
                yield ("royalties", key), f"required when structure is {structure}"
    if structure in ("royalty_free", "lump_sum") and roy.get("cap") is not None:
        yield (
            ("royalties", "cap"),
            (f"a cap applies only to running or tiered royalties, not {structure}; set cap: null"),
        )
    scen = roy.get("scenarios")
    if scen and not scen["worst"] <= scen["base"] <= scen["best"]:
        yield (
            ("royalties", "scenarios"),
            "scenarios must be ordered worst <= base <= best, got "
            f"{scen['worst']}, {scen['base']}, {scen['best']}",
        )


def _tiers(tiers: list[dict[str, Any]]) -> Iterator[Issue]:
    if not tiers:
        yield ("royalties", "tiers"), "a tiered structure needs at least one tier"
        return
    bounds = [t["up_to"] for t in tiers]
    for i, bound in enumerate(bounds[:-1]):
        if bound is None:
            yield (
                ("royalties", "tiers", i, "up_to"),
                "only the last tier may be open-ended (up_to: null)",
            )
        elif bounds[i + 1] is not None and bounds[i + 1] <= bound:
            yield (
                ("royalties", "tiers", i + 1, "up_to"),
                f"tiers must ascend: {bounds[i + 1]} is not above {bound}",
            )
    if bounds[-1] is not None:
        yield (
            ("royalties", "tiers", len(tiers) - 1, "up_to"),
            "the last tier must be open-ended (up_to: null) so every sale has a rate",
        )


def _challenge(data: dict[str, Any]) -> Iterator[Issue]:
    challenge = data["challenge"]
    if challenge["right_of_challenge"] and challenge["no_challenge"]:
        yield (
            ("challenge", "no_challenge"),
            (
                "contradicts right_of_challenge: true; a party cannot both keep and give up "
                "the right to challenge, so set one of them to false"
            ),
        )


def _sums(data: dict[str, Any]) -> Iterator[Issue]:
    shares = data["prosecution"].get("cost_share_pct")
    if shares and sum(shares.values()) != 100:
        yield (
            ("prosecution", "cost_share_pct"),
            f"cost shares must sum to 100, got {number_text(sum(shares.values()))}",
        )
    review = data["governance"]["grant_back_review"]
    weights = [review[k] for k in ("necessity", "value_contribution", "sales_velocity_impact")]
    if sum(weights) != 100:
        yield (
            ("governance", "grant_back_review"),
            f"review weights must sum to 100, got {number_text(sum(weights))}",
        )


def _term_and_enforcement(data: dict[str, Any]) -> Iterator[Issue]:
    term = data["term"]
    if term["renewal"] != "none" and term.get("renewal_years") is None:
        yield ("term", "renewal_years"), f"required when renewal is {term['renewal']}"
    pros = data["prosecution"]
    if pros["enforcement"] == "owner_first" and pros.get("step_in_days") is None:
        yield ("prosecution", "step_in_days"), "required when enforcement is owner_first"
    if pros["maintenance"] == "shared" and not pros.get("cost_share_pct"):
        yield ("prosecution", "cost_share_pct"), "required when maintenance is shared"


def _relationship(data: dict[str, Any]) -> Iterator[Issue]:
    rel = data["relationship"]
    shares = rel.get("market_share_pct")
    if not shares:
        return
    expected = {"combined"} if rel["competitors"] else set(_party_keys(data))
    if set(shares) != expected:
        what = (
            "{combined: N}"
            if rel["competitors"]
            else "{" + ", ".join(f"{k}: N" for k in _party_keys(data)) + "}"
        )
        kind = "competitors" if rel["competitors"] else "non-competitors"
        yield ("relationship", "market_share_pct"), f"for {kind} give {what}"


def _side_letters(data: dict[str, Any]) -> Iterator[Issue]:
    letters = data.get("side_letters") or []
    keys = [sl["key"] for sl in letters]
    for i, sl in enumerate(letters):
        if keys.index(sl["key"]) != i:
            yield ("side_letters", i, "key"), f"side letter key {sl['key']!r} is used twice"
        if sl["from"] == sl["to"]:
            yield ("side_letters", i, "to"), "a side letter goes to the other party"
    for i, sf in enumerate(data["carve_outs"].get("sensitive_fields") or []):
        if sf.get("limits_licensee") is not None and sf.get("licence") == "included":
            yield (
                ("carve_outs", "sensitive_fields", i, "limits_licensee"),
                "a field with licence: included limits no licensee (the letter extends none); "
                "set licence: excluded to keep the field from this licensee, or remove "
                "limits_licensee",
            )
        if sf.get("side_letter") is not None and sf["side_letter"] not in keys:
            yield (
                ("carve_outs", "sensitive_fields", i, "side_letter"),
                f"{sf['side_letter']!r} names no side letter; use one of {keys or 'none yet'}",
            )


def _forum(data: dict[str, Any]) -> Iterator[Issue]:
    """Disputes end in arbitration or in the courts of a named place: exactly one."""
    disputes = data["dispute_resolution"]
    arbitration, courts = disputes.get("arbitration"), disputes.get("courts")
    if arbitration and courts:
        yield (
            ("dispute_resolution", "courts"),
            "both arbitration and courts are given; to use the courts, set "
            "dispute_resolution.arbitration to null, or set courts to null",
        )
    elif not arbitration and not courts:
        yield (
            ("dispute_resolution", "arbitration"),
            "neither arbitration nor courts is given; give arbitration: {institution: ICC, "
            "seat: London, language: English, arbitrators: 3} or courts: {place: England and "
            "Wales, exclusive: true}",
        )
    elif courts and names_only_a_state(str(courts.get("place", ""))):
        place = courts["place"]
        yield (
            ("dispute_resolution", "courts", "place"),
            f"{place!r} names a US State but no city or county; US patent claims go to the "
            "federal courts, so name the city or county whose state and federal courts are "
            f"meant, e.g. place: {_county_example(us_state(place))}",
        )


# A county that lies in the State, for the example in the message; a State not listed here
# gets a placeholder, never a county from another State.
_COUNTIES = {
    "Delaware": "New Castle County",
    "New York": "New York County",
    "California": "Santa Clara County",
}


def _county_example(state: str | None) -> str:
    return f"{_COUNTIES.get(state or '', '<county> County')}, {state}"


def _release(data: dict[str, Any]) -> Iterator[Issue]:
    release = data["release"]
    named = data["deal"].get("binding_sections") or []
    if "standstill" in named and release.get("standstill_days") is None:
        yield (
            ("deal", "binding_sections", named.index("standstill")),
            "names standstill, but release.standstill_days is null, so the term sheet has no "
            "standstill to bind; give release.standstill_days: 90, or take standstill out",
        )
    scope = release["scope"]
    if scope == "one_way" and release.get("releasing_party") is None:
        yield (
            ("release", "releasing_party"),
            "a one-way release needs the party that gives it; give releasing_party: a party key",
        )
    if scope != "one_way" and release.get("releasing_party") is not None:
        yield (
            ("release", "releasing_party"),
            f"only a one-way release has a releasing party, and scope is {scope}; "
            "set releasing_party: null",
        )
    if scope == "none" and release.get("payment") is not None:
        yield (
            ("release", "payment"),
            "there is no release to pay for (scope: none); set payment: null",
        )
    start = release.get("from_date")
    if start is not None and start >= data["deal"]["effective_date"]:
        yield (
            ("release", "from_date"),
            f"the release reaches back from the Effective Date, so from_date must be before it; "
            f"got {start.isoformat()}",
        )


# ---- scope per licensee, portfolio licences, the term, related agreements, terms -------


def _scope(data: dict[str, Any]) -> Iterator[Issue]:
    yield from _per_licensee(data)
    yield from _portfolio(data)
    yield from _term_ends(data)
    yield from _related_agreements(data)
    yield from _definitions(data)
    yield from _governance_form(data)
    yield from _party_only(data)


def _same(text: str) -> str:
    """A name as compared: case and spacing aside."""
    return " ".join(text.split()).casefold()


def _per_licensee(data: dict[str, Any]) -> Iterator[Issue]:
    field = data["field"]
    seen: list[str] = []
    for i, own in enumerate(field.get("per_licensee") or []):
        path: tuple[str | int, ...] = ("field", "per_licensee", i)
        if own["licensee"] in seen:
            yield (
                (*path, "licensee"),
                f"{own['licensee']!r} has two entries; give each party one entry "
                "(its licensed field and its excluded_products together)",
            )
        seen.append(own["licensee"])
        if not any(own.get(k) for k in ("licensed", "excluded_products", "have_made")):
            yield (
                path,
                "says nothing about the licensee's scope; give licensed (its own Licensed "
                "Field), excluded_products or have_made, or remove the entry",
            )
        own_field = own.get("licensed")
        where = ("field", "per_licensee", i, "licensed") if own_field else ("field", "licensed")
        licensed = {}
        for j, seg in enumerate(own_field or field["licensed"]):
            licensed[_term_key(seg["segment"])] = (*where, j, "segment")
            for k, cat in enumerate(seg.get("product_categories") or []):
                licensed[_term_key(cat)] = (*where, j, "product_categories", k)
        for j, product in enumerate(own.get("excluded_products") or []):
            if _term_key(product) in licensed:
                yield (
                    (*path, "excluded_products", j),
                    f"{product!r} is both excluded and licensed to {own['licensee']!r} "
                    f"(at {_dotted(licensed[_term_key(product)])}); take it out of one of them",
                )


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _portfolio(data: dict[str, Any]) -> Iterator[Issue]:
    patents = data["patents"]
    by_owner = patents.get("scope_by_owner") or {}
    scope = patents["scope"]
    if scope == "scheduled" and not by_owner and not patents.get("families"):
        yield (
            ("patents", "families"),
            "a scheduled licence needs its patent families; list them under "
            "patents.families, or set patents.scope: portfolio to license every patent each "
            "party owns or controls",
        )
    owners = {f["owner"] for f in patents.get("families") or []}
    for key in _party_keys(data) if by_owner else ():
        if by_owner.get(key, scope) == "scheduled" and key not in owners:
            yield (
                ("patents", "scope_by_owner"),
                f"{key!r} licenses scheduled families but lists none; add its families under "
                f"patents.families, or set scope_by_owner.{key}: portfolio",
            )
    capture = ("capture_period_years", "capture_until")
    if patents.get("ownership") == "at_any_time" and all(patents.get(k) is None for k in capture):
        yield (
            ("patents", "ownership"),
            "at_any_time licenses patents acquired later that were first filed in the capture "
            "period, and there is none; give capture_period_years or capture_until, or set "
            "ownership: during_capture",
        )
    until = patents.get("capture_until")
    if until is None:
        return
    if patents.get("capture_period_years") is not None:
        yield (
            ("patents", "capture_until"),
            "the capture period is given both in years (capture_period_years) and as an end "
            "date (capture_until); set one of them to null",
        )
    effective = data["deal"]["effective_date"]
    if until <= effective:
        yield (
            ("patents", "capture_until"),
            f"the capture period ends after the Effective Date ({effective.isoformat()}), so "
            f"capture_until must be later; got {until.isoformat()}",
        )


def _term_ends(data: dict[str, Any]) -> Iterator[Issue]:
    term = data["term"]
    if term["ends"] == "fixed_years":
        if term.get("years") is None:
            yield (
                ("term", "years"),
                "required when term.ends is fixed_years; give years: N, or set "
                "term.ends: last_patent_expiry",
            )
        return
    if term.get("years") is not None:
        yield (
            ("term", "years"),
            "a term that ends when the last Licensed Patent expires has no length in years; "
            "set years: null, or term.ends: fixed_years",
        )
    if term["renewal"] != "none":
        yield (
            ("term", "renewal"),
            "a term that ends when the last Licensed Patent expires does not renew; set "
            "renewal: none",
        )


def _related_agreements(data: dict[str, Any]) -> Iterator[Issue]:
    dated = data["deal"]["date"]
    seen: list[tuple[str, Any]] = []
    for i, item in enumerate(data.get("related_agreements") or []):
        if item["date"] > dated:
            yield (
                ("related_agreements", i, "date"),
                f"a related agreement is one made before this term sheet (dated "
                f"{dated.isoformat()}); got {item['date'].isoformat()}",
            )
        for j, amendment in enumerate(item.get("amended_by") or []):
            if not item["date"] <= amendment["date"] <= dated:
                yield (
                    ("related_agreements", i, "amended_by", j, "date"),
                    f"an amendment is dated between the agreement it amends "
                    f"({item['date'].isoformat()}) and this term sheet ({dated.isoformat()}); "
                    f"got {amendment['date'].isoformat()}",
                )
        if item.get("prevails_on") and item["effect"] == "supersedes":
            yield (
                ("related_agreements", i, "prevails_on"),
                "a superseded agreement prevails on nothing; remove prevails_on or set "
                "effect: leaves_in_force, amends or not_stated",
            )
        key = (_same(item["title"]), item["date"])
        if key in seen:
            yield (
                ("related_agreements", i),
                f"{item['title']!r} dated {item['date'].isoformat()} is listed twice; remove one",
            )
        seen.append(key)


def _definitions(data: dict[str, Any]) -> Iterator[Issue]:
    # The parties' short names are defined in the parties block ("Acme").
    defined = (*BUILT_IN_TERMS, *(p["short_name"] for p in data["parties"]))
    built_in = {_term_key(t): t for t in defined}
    seen: list[str] = []
    for i, item in enumerate(data.get("definitions") or []):
        term = _term_key(item["term"])
        if term in built_in:
            yield (
                ("definitions", i, "term"),
                f"{item['term']!r} is a term the term sheet already defines "
                f"({built_in[term]!r}); choose another term, or remove this definition",
            )
        elif term in seen:
            yield (("definitions", i, "term"), f"{item['term']!r} is defined twice; remove one")
        seen.append(term)


def _term_key(term: str) -> str:
    """A defined term or product name as compared: case, spacing, British or US spelling
    ("Licences") and singular or plural of its last word aside ("Affiliates", "Affiliate")."""
    words = _same(term).replace("licence", "license").split(" ")
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return " ".join([*words[:-1], last])


def _addresses(typed: dict[str, Any]) -> Iterator[Issue]:
    """An address_kind the deal types (the playbook fills one for every party)."""
    for i, party in enumerate(typed["parties"]):
        if party.get("address_kind") is not None and party.get("address") is None:
            yield (
                ("parties", i, "address_kind"),
                "says how the address is introduced, but the party has no address; give "
                "address, or remove address_kind",
            )


def _governance_form(data: dict[str, Any]) -> Iterator[Issue]:
    gb = data["grant_back"]
    applies = gb["scope"] != "none" and gb.get("collaboration") is not None
    if data["governance"].get("form") != "none":
        return
    if applies:
        yield (
            ("governance", "form"),
            "the grant-back's requests are scored by the joint committee (the scorecard "
            "annex), so the deal needs one; set form: committee, or grant_back.scope: none",
        )
    if data["prosecution"]["enforcement"] == "joint":
        yield (
            ("governance", "form"),
            "joint enforcement is decided through the joint committee, so the deal needs one; "
            "set form: committee, or prosecution.enforcement: owner_first",
        )


def _party_only(data: dict[str, Any]) -> Iterator[Issue]:
    """With the parties alone licensed, the keys about licensed affiliates have nothing to do."""
    aff = data["affiliates"]
    if aff["licensed"] != "party_only":
        return
    for key, idle in (("excluded_developments", False), ("confirm_days", None)):
        if aff.get(key, idle) != idle:
            yield (
                ("affiliates", key),
                f"licensed: party_only licenses no affiliate, so {key} has nothing to apply "
                f"to; remove it, or license subsidiaries or all_affiliates",
            )
