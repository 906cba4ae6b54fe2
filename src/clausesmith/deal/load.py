"""Stage 1: a deal file on disk becomes a validated, frozen `Deal`.

Sections the file leaves out are filled from the playbook's preferred positions before
validation, so defaults obey the same schema as typed values, and the Deal records which
sections were filled.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from clausesmith.deal import crosscheck, heads, model, scope, terms
from clausesmith.deal.courts import us_state
from clausesmith.deal.dates import dates_from_text
from clausesmith.deal.jsonio import is_json, parse_json
from clausesmith.deal.numbers import misprinted_numbers
from clausesmith.deal.schema import DEAL_SCHEMA, SLUG
from clausesmith.deal.validator import validate
from clausesmith.deal.yamlio import Loaded, PathKey, dotted, parse, read_text
from clausesmith.errors import InvalidInput, Problem

DEFAULT_PLAYBOOK = "cross-licence-standard"
US_LAWS = {"new-york", "delaware", "california"}

DefaultsFor = Callable[[str], Mapping[str, Any]]


def load(path: Path, defaults_for: DefaultsFor, label: str | None = None) -> model.Deal:
    """Read, validate and build the deal at `path`; raise InvalidInput with every problem."""
    file = label or str(path)
    text = read_text(path, file)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return load_parsed(_parse(path, text, file), defaults_for, digest)


def _parse(path: Path, text: str, file: str) -> Loaded:
    return parse_json(text, file) if is_json(path.name) else parse(text, file)


def peek_id(path: Path) -> tuple[str, int | None, int | None] | None:
    """The deal's `deal.id` and where it stands, read without validating the rest (what a
    run needs to see two deals share an id before it writes anything); None if the file
    cannot be read or has no plain id: loading it reports why."""
    try:
        loaded = _parse(path, read_text(path, str(path)), str(path))
    except InvalidInput:
        return None
    info = loaded.data.get("deal") if isinstance(loaded.data, dict) else None
    deal_id = info.get("id") if isinstance(info, dict) else None
    if not isinstance(deal_id, str):
        return None
    line, column = loaded.marks.values.get(("deal", "id"), (None, None))
    return deal_id, line, column


def load_parsed(loaded: Loaded, defaults_for: DefaultsFor, digest: str) -> model.Deal:
    """The rest of `load` for a deal already parsed (or built in memory, with empty marks)."""
    file = loaded.file
    data = loaded.data
    if not isinstance(data, dict):
        raise InvalidInput(
            [
                Problem(
                    file,
                    1,
                    1,
                    "",
                    f"expected a deal (a mapping of sections "
                    f"such as clausesmith, deal, parties), got {_kind(data)}",
                )
            ]
        )
    problems = misprinted_numbers(data, loaded.marks, file)
    if problems:  # before the schema, whose min and max let .nan through
        raise InvalidInput(problems)
    playbook = _playbook_name(data)
    full, defaulted = _with_defaults(data, defaults_for, playbook)
    problems = _undefaulted(data, full, playbook, loaded)
    if problems:  # before the schema, which would call them the deal's own nulls
        raise InvalidInput(problems)
    bad_dates = [
        _problem(path, message, loaded) for path, message in dates_from_text(full, DEAL_SCHEMA)
    ]
    problems = validate(full, DEAL_SCHEMA, loaded.marks, file)
    if bad_dates:  # the schema also calls them "not a date": say what is wrong with them once
        shown = {p.key for p in bad_dates}
        problems = sorted(
            [*bad_dates, *(p for p in problems if p.key not in shown)],
            key=lambda p: (p.line or 0, p.column or 0, p.key),
        )
    if problems:  # cross-field rules need the types the schema guarantees
        raise InvalidInput(problems)
    problems = _cross(full, loaded)
    if problems:
        raise InvalidInput(problems)
    deal = _deal(full, defaulted, file, digest)
    deal.marks.update({dotted(k): v for k, v in loaded.marks.values.items() if k})
    return deal


def _playbook_name(data: dict[str, Any]) -> str:
    """The playbook the deal names, if it is a plain name; the schema reports any other value."""
    info = data.get("deal")
    name = info.get("playbook") if isinstance(info, dict) else None
    return name if isinstance(name, str) and re.fullmatch(SLUG, name) else DEFAULT_PLAYBOOK


def _kind(data: Any) -> str:
    if data is None:
        return "nothing (an empty file)"
    if isinstance(data, list):
        return "a list"
    shown = repr(data) if len(repr(data)) <= 40 else repr(data)[:37] + "..."
    return f"text ({shown})" if isinstance(data, str) else f"a single value ({shown})"


def _with_defaults(
    data: dict[str, Any], defaults_for: DefaultsFor, playbook: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Fill left-out sections, and left-out keys of given sections, from the playbook.

    `data` is left as it was: only the mappings that gain a key are copied (nothing later
    changes the rest), and every default is a copy of the playbook's."""
    full = dict(data)
    defaulted: list[str] = []
    defaults = defaults_for(playbook)
    # `deal` itself is required; the playbook fills the keys it may leave out.
    for section in ("deal", *model.DEFAULTABLE_SECTIONS):
        given, default = full.get(section), defaults.get(section)
        if not isinstance(default, dict):
            continue  # a firm's playbook may lack one: `_undefaulted` says what is missing
        if given is None and section != "deal":
            full[section] = copy.deepcopy(default)
            defaulted.append(section)
        elif isinstance(given, dict):
            for key, value in default.items():
                if key not in given:
                    if given is data[section]:
                        given = full[section] = dict(given)
                    given[key] = copy.deepcopy(value)
                    defaulted.append(f"{section}.{key}")
    scope.settle_defaults(full, defaulted)
    return full, tuple(defaulted)


def _undefaulted(
    data: dict[str, Any], full: dict[str, Any], playbook: str, loaded: Loaded
) -> list[Problem]:
    """What the deal left out that its playbook gives no default (or a null one) for: the
    loader has no other source for it."""
    missing: list[PathKey] = [(s,) for s in model.DEFAULTABLE_SECTIONS if full.get(s) is None]
    for section, key in model.PLAYBOOK_DEFAULT_KEYS:
        typed = isinstance(data.get(section), dict) and key in data[section]
        value = full.get(section)
        if not typed and isinstance(value, dict) and value.get(key) is None:
            missing.append((section, key))
    return [
        _problem(
            path,
            f"is left out, and playbook {playbook!r} gives no default for it; type it here, "
            f"or give the playbook one under `defaults: {path[0]}:`",
            loaded,
        )
        for path in missing
    ]


def _cross(data: dict[str, Any], loaded: Loaded) -> list[Problem]:
    problems = [_problem(path, message, loaded) for path, message in crosscheck.check(data)]
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _problem(path: PathKey, message: str, loaded: Loaded) -> Problem:
    where = loaded.marks.locate(path)
    line, col = where if where else (None, None)
    return Problem(loaded.file, line, col, dotted(path), message)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def _opt_dec(value: Any) -> Decimal | None:
    return None if value is None else _dec(value)


def _shares(value: Mapping[str, Any] | None) -> tuple[tuple[str, Decimal], ...]:
    return tuple((k, _dec(v)) for k, v in (value or {}).items())


def _deal(d: dict[str, Any], defaulted: tuple[str, ...], file: str, digest: str) -> model.Deal:
    info = d["deal"]
    roy = d["royalties"]
    return model.Deal(
        format_version=d["clausesmith"],
        deal=_deal_info(info, d["release"]),
        parties=(_party(d["parties"][0]), _party(d["parties"][1])),
        relationship=model.Relationship(
            competitors=d["relationship"]["competitors"],
            market_share_pct=_shares(d["relationship"].get("market_share_pct")) or None,
            substitute_technologies=d["relationship"].get("substitute_technologies"),
        ),
        patents=model.Patents(
            capture_period_years=d["patents"].get("capture_period_years"),
            families=tuple(
                model.PatentFamily(f["owner"], f["ref"], f["title"], **terms.family_terms(f))
                for f in d["patents"].get("families") or ()
            ),
            scope=d["patents"].get("scope") or "scheduled",
            capture_until=d["patents"].get("capture_until"),
        ),
        field=model.Field(
            licensed=scope.segments(d["field"]["licensed"]),
            excluded=tuple(d["field"].get("excluded") or ()),
            per_licensee=scope.per_licensee(d["field"].get("per_licensee")),
        ),
        territory=model.Territory(
            tuple(d["territory"]["include"]), tuple(d["territory"].get("exclude") or ())
        ),
        term=model.Term(
            d["term"].get("years"),
            d["term"]["renewal"],
            d["term"].get("renewal_years"),
            d["term"].get("renegotiation_window_months"),
            d["term"].get("sell_off_months"),
            d["term"].get("ends") or "fixed_years",
        ),
        grant_back=_grant_back(d["grant_back"]),
        royalties=_royalties(roy),
        carve_outs=model.CarveOuts(
            tuple(
                model.PreExistingLicence(**x)
                for x in d["carve_outs"].get("pre_existing_licences") or ()
            ),
            tuple(
                model.SensitiveField(
                    x["key"],
                    x["name"],
                    x["owner"],
                    x.get("side_letter"),
                    x.get("licence") or "excluded",
                )
                for x in d["carve_outs"].get("sensitive_fields") or ()
            ),
        ),
        challenge=model.Challenge(**d["challenge"]),
        prosecution=model.Prosecution(
            d["prosecution"]["maintenance"],
            d["prosecution"]["enforcement"],
            d["prosecution"].get("step_in_days"),
            _shares(d["prosecution"].get("cost_share_pct")),
        ),
        audit=model.Audit(
            d["audit"]["per_year"],
            d["audit"]["notice_days"],
            d["audit"]["records_years"],
            _dec(d["audit"]["cost_shift_threshold_pct"]),
        ),
        governance=_governance(d["governance"]),
        dispute_resolution=_disputes(d["dispute_resolution"]),
        assignment=model.Assignment(d["assignment"]["change_of_control"]),
        side_letters=tuple(_side_letter(s) for s in d.get("side_letters") or ()),
        overrides=tuple(model.Override(**o) for o in d.get("overrides") or ()),
        **heads.build(d),
        **terms.build(d),
        acknowledgements=tuple(model.Acknowledgement(**a) for a in d.get("acknowledgements") or ()),
        related_agreements=scope.related_agreements(d.get("related_agreements")),
        definitions=scope.definitions(d.get("definitions")),
        defaulted=defaulted,
        source=file,
        sha256=digest,
    )


def _binding(given: list[str], release: dict[str, Any]) -> tuple[str, ...]:
    """The binding heads as the deal names them (so that `deal.binding_sections[i]` still
    points at its line), and the standstill after them whenever it prints: a standstill
    that does not bind does nothing."""
    named = tuple(dict.fromkeys(given))
    if release.get("standstill_days") is not None and "standstill" not in named:
        named += ("standstill",)
    return named


def _deal_info(info: dict[str, Any], release: dict[str, Any]) -> model.DealInfo:
    law = info["governing_law"]
    date: dt.date = info["date"]
    return model.DealInfo(
        id=info["id"],
        title=info["title"],
        date=date,
        effective_date=info.get("effective_date") or date,
        governing_law=law,
        locale=info.get("locale") or ("en-US" if law in US_LAWS else "en-GB"),
        playbook=info.get("playbook") or DEFAULT_PLAYBOOK,
        binding_sections=_binding(info["binding_sections"], release),
        status=info.get("status") or "draft",
    )


def _party(p: dict[str, Any]) -> model.Party:
    sig = p.get("signatory")
    return model.Party(
        key=p["key"],
        name=p["name"],
        short_name=p["short_name"],
        jurisdiction=p["jurisdiction"],
        entity_type=p.get("entity_type"),
        address=p.get("address"),
        signatory=model.Signatory(sig["name"], sig["title"], sig.get("salutation"))
        if sig
        else None,
        notices_email=p.get("notices_email"),
        address_kind=p.get("address_kind") or "registered_office",
    )


def _grant_back(g: dict[str, Any]) -> model.GrantBack:
    return model.GrantBack(
        scope=g["scope"],
        exclusivity=g["exclusivity"],
        royalty=g["royalty"],
        royalty_rate_pct=_opt_dec(g.get("royalty_rate_pct")),
        sunset_years=g.get("sunset_years"),
        consent=g["consent"],
        field_limited=g["field_limited"],
        collaboration=g.get("collaboration"),
        **terms.grant_back_terms(g),
    )


def _royalties(r: dict[str, Any]) -> model.Royalties:
    cap, scen = r.get("cap"), r.get("scenarios")
    return model.Royalties(
        structure=r["structure"],
        payer=r.get("payer"),
        base=r["base"],
        rate_pct=_opt_dec(r.get("rate_pct")),
        tiers=tuple(
            model.Tier(_opt_dec(t["up_to"]), _dec(t["rate_pct"])) for t in r.get("tiers") or ()
        ),
        lump_sum=_opt_dec(r.get("lump_sum")),
        currency=r.get("currency"),
        cap=model.Cap(_dec(cap["amount"]), cap["period"]) if cap else None,
        review_every_months=r.get("review_every_months"),
        max_adjustment_pct=_opt_dec(r.get("max_adjustment_pct")),
        most_favoured_licensee=bool(r.get("most_favoured_licensee")),
        scenarios=model.Scenarios(_dec(scen["worst"]), _dec(scen["base"]), _dec(scen["best"]))
        if scen
        else None,
        **terms.royalty_terms(r),
    )


def _governance(g: dict[str, Any]) -> model.Governance:
    review = g["grant_back_review"]
    return model.Governance(
        g["committee_members_per_party"],
        g["neutral_chair"],
        g["meets_every_months"],
        model.GrantBackReview(
            *(
                _dec(review[k])
                for k in (
                    "necessity",
                    "value_contribution",
                    "sales_velocity_impact",
                    "approval_threshold",
                )
            )
        ),
        clean_team=bool(g.get("clean_team")),
        form=g.get("form") or "committee",
    )


def _disputes(d: dict[str, Any]) -> model.DisputeResolution:
    med, arb, courts = d.get("mediation"), d.get("arbitration"), d.get("courts")
    return model.DisputeResolution(
        negotiation_days=d["negotiation_days"],
        mediation=model.Mediation(med["provider"], med["days"]) if med else None,
        arbitration=model.Arbitration(
            arb["institution"], arb["seat"], arb["language"], arb["arbitrators"]
        )
        if arb
        else None,
        courts=model.Courts(courts["place"], courts["exclusive"], us_state(courts["place"]))
        if courts
        else None,
        expert_determination=tuple(d.get("expert_determination") or ()),
    )


def _side_letter(s: dict[str, Any]) -> model.SideLetter:
    terms = s["terms"]
    return model.SideLetter(
        key=s["key"],
        title=s["title"],
        sender=s["from"],
        to=s["to"],
        terms=model.SideLetterTerms(
            terms["excluded_from_grant_back"], terms.get("notice_before_entry_months")
        ),
    )
