"""Stage 1: a deal file on disk becomes a validated, frozen `Deal`.

Sections the file leaves out are filled from the playbook's preferred positions before
validation, so defaults obey the same schema as typed values, and the Deal records which
sections were filled.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from clausesmith.deal import crosscheck, model, payments
from clausesmith.deal.build import build
from clausesmith.deal.schema import DEAL_SCHEMA
from clausesmith.errors import InvalidInput, Problem
from clausesmith.inputs.dates import dates_from_text
from clausesmith.inputs.jsonio import is_json, parse_json
from clausesmith.inputs.numbers import misprinted_numbers
from clausesmith.inputs.validator import SLUG, validate
from clausesmith.inputs.yamlio import Loaded, PathKey, dotted, parse, read_text

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
    if not data.keys() & DEAL_SCHEMA.keys():
        raise InvalidInput([Problem(file, 1, 1, "", NOT_A_DEAL)])
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
    if problems:  # cross-field rules need the types the schema guarantees: those of the
        # sections the schema passed are still checked, so one run reports all it can
        raise InvalidInput(_with_cross_of_sound_sections(problems, full, data, loaded))
    full = _derived(full)
    problems = _cross(full, data, loaded)
    if problems:
        raise InvalidInput(problems)
    deal = build(model.Deal, full, defaulted=defaulted, source=file, sha256=digest)
    problems = [_problem(path, message, loaded) for path, message in payments.problems(deal)]
    if problems:  # rules read from the one payment model (deal/payments.py)
        raise InvalidInput(problems)
    deal.marks.update({dotted(k): v for k, v in loaded.marks.values.items() if k})
    return deal


def _with_cross_of_sound_sections(
    problems: list[Problem], full: dict[str, Any], data: dict[str, Any], loaded: Loaded
) -> list[Problem]:
    """Schema problems, and the cross-field problems of sections the schema found sound:
    a deal's mistakes in one run, not in waves. Rules that cannot run on the ill-typed
    values of a broken section are left for the next run."""
    broken = {p.key.split(".")[0].split("[")[0] for p in problems}
    try:
        cross = _cross(_derived(full), data, loaded)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):  # ill-typed: next run
        return problems
    sound = [p for p in cross if p.key.split(".")[0].split("[")[0] not in broken]
    return sorted([*problems, *sound], key=lambda p: (p.line or 0, p.column or 0, p.key))


def _playbook_name(data: dict[str, Any]) -> str:
    """The playbook the deal names, if it is a plain name; the schema reports any other value."""
    info = data.get("deal")
    name = info.get("playbook") if isinstance(info, dict) else None
    return name if isinstance(name, str) and re.fullmatch(SLUG, name) else DEFAULT_PLAYBOOK


# A file that is not a deal (a credentials file a hostile glob or symlink reached) is never
# echoed: neither its text nor its keys reach a console or a CI report.
NOT_A_DEAL = (
    "is not a deal: none of its keys is a section of one (clausesmith, deal, parties, ...); "
    "nothing of it is shown"
)


def _kind(data: Any) -> str:
    if data is None:
        return "nothing (an empty file)"
    if isinstance(data, list):
        return "a list"
    return "text" if isinstance(data, str) else "a single value"


def _with_defaults(
    data: dict[str, Any], defaults_for: DefaultsFor, playbook: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Fill left-out sections, left-out keys of given sections, and left-out keys of each
    item of a list (`defaults: each:`), from the playbook: the one place defaults live.

    `data` is left as it was: only the mappings and lists that gain a key are copied
    (nothing later changes the rest), and every default is a copy of the playbook's. The
    deal records what filled a section it may leave out, or a key of one (`defaulted`);
    keys filled in the sections every deal gives (`patents`), and in list items, are the
    deal format's usual reading, and are not recorded."""
    full = dict(data)
    defaulted: list[str] = []
    defaults = defaults_for(playbook)
    # `deal` itself is required; the playbook fills the keys it may leave out.
    recorded = ("deal", *model.DEFAULTABLE_SECTIONS)
    others = (s for s in defaults if s not in recorded and s != EACH)
    for section in (*recorded, *others):
        given, default = full.get(section), defaults.get(section)
        if not isinstance(default, dict):
            continue  # a firm's playbook may lack one: `_undefaulted` says what is missing
        if given is None and section in model.DEFAULTABLE_SECTIONS:
            full[section] = copy.deepcopy(default)
            defaulted.append(section)
        elif isinstance(given, dict):
            filled = _filled(given, default)
            if filled is not given:
                full[section] = filled
                if section in recorded:
                    defaulted.extend(f"{section}.{k}" for k in default if k not in given)
    each = defaults.get(EACH)
    for path, default in each.items() if isinstance(each, dict) else ():
        if isinstance(path, str) and isinstance(default, dict):
            _fill_items(full, path.split("."), default)
    _settle_term(full, defaulted)
    settle_governance(full, defaulted)
    return full, tuple(defaulted)


# `defaults: each:` maps a list's dotted path (`parties`, `carve_outs.sensitive_fields`) to
# the keys each of its items may leave out.
EACH = "each"


def _filled(given: dict[str, Any], default: dict[str, Any]) -> dict[str, Any]:
    """`given` with the keys it lacks copied from `default`; `given` itself if none."""
    missing = {k: copy.deepcopy(v) for k, v in default.items() if k not in given}
    return {**given, **missing} if missing else given


def _fill_items(parent: dict[str, Any], path: list[str], default: dict[str, Any]) -> None:
    """Fill the items of the list at `path` under `parent`, copying what changes."""
    key, rest = path[0], path[1:]
    value = parent.get(key)
    if rest and isinstance(value, dict):
        value = parent[key] = dict(value)
        _fill_items(value, rest, default)
    elif not rest and isinstance(value, list):
        parent[key] = [_filled(x, default) if isinstance(x, dict) else x for x in value]


# Keys of the term section that mean nothing when the term ends at the last expiry. The
# renegotiation window is not one: its right to revisit the rate runs in periods from the
# Effective Date, and matters more over a term as long as a patent's life.
_FIXED_TERM_KEYS = ("years", "renewal", "renewal_years")


def _settle_term(full: dict[str, Any], defaulted: list[str]) -> None:
    """A term to the last patent's expiry has no years or renewal: drop the ones the
    playbook filled in (a deal that types them is refused by crosscheck)."""
    term = full.get("term")
    if not isinstance(term, dict) or term.get("ends") != "last_patent_expiry":
        return
    for key in _FIXED_TERM_KEYS:
        if f"term.{key}" in defaulted:
            term[key] = "none" if key == "renewal" else None


def settle_governance(full: dict[str, Any], defaulted: list[str]) -> None:
    """No standing committee of competitors with nothing to decide: where the playbook
    filled in the governance form and neither a grant-back (a scope and a described
    collaboration) nor joint enforcement needs one, the form is none. A deal that writes
    `governance.form` keeps what it wrote."""
    governance, grant_back = full.get("governance"), full.get("grant_back")
    if not isinstance(governance, dict) or not isinstance(grant_back, dict):
        return
    if "governance" not in defaulted and "governance.form" not in defaulted:
        return
    prosecution = full.get("prosecution")
    joint = isinstance(prosecution, dict) and prosecution.get("enforcement") == "joint"
    grant_back_applies = grant_back.get("scope") not in (None, "none") and bool(
        grant_back.get("collaboration")
    )
    if not grant_back_applies and not joint:
        full["governance"] = {**governance, "form": "none"}


def _undefaulted(
    data: dict[str, Any], full: dict[str, Any], playbook: str, loaded: Loaded
) -> list[Problem]:
    """What the deal left out that its playbook gives no default (or a null one) for: the
    loader has no other source for it. Those are the sections a deal may leave out, and the
    keys the schema lets a deal leave out but not hold null (`required: False`)."""
    missing: list[PathKey] = [(s,) for s in model.DEFAULTABLE_SECTIONS if full.get(s) is None]
    missing += _unfilled(DEAL_SCHEMA, full, data, ())
    return [
        _problem(
            path,
            f"is left out, and playbook {playbook!r} gives no default for it; type it here, "
            f"or give the playbook one under {_defaults_place(path)}",
            loaded,
        )
        for path in missing
    ]


def _unfilled(schema: dict[str, Any], full: Any, typed: Any, path: PathKey) -> list[PathKey]:
    """Paths of keys the playbook must fill (`required: False`, not nullable) that are still
    absent, or null where the deal did not type them."""
    if not isinstance(full, dict):
        return []
    typed = typed if isinstance(typed, dict) else {}
    found: list[PathKey] = []
    for key, rules in schema.items():
        value = full.get(key)
        if rules.get("required") is False and not rules.get("nullable") and value is None:
            if key not in typed:
                found.append((*path, key))
            continue
        inner = rules.get("schema")
        if rules.get("type") == "dict" and isinstance(inner, dict):
            found += _unfilled(inner, value, typed.get(key), (*path, key))
        elif rules.get("type") == "list" and isinstance(value, list) and isinstance(inner, dict):
            items = typed.get(key) if isinstance(typed.get(key), list) else []
            for i, item in enumerate(value):
                mine = items[i] if i < len(items) else None
                found += _unfilled(inner.get("schema") or {}, item, mine, (*path, key, i))
    return found


def _defaults_place(path: PathKey) -> str:
    """Where in the playbook the default for `path` goes: `defaults: royalties:`, or
    `defaults: each: parties:` for a key of a list's items."""
    if any(isinstance(p, int) for p in path):
        index = max(i for i, p in enumerate(path) if isinstance(p, int))
        listed = ".".join(str(p) for p in path[:index] if not isinstance(p, int))
        return f"`defaults: {EACH}: {listed}:`"
    return f"`defaults: {path[0]}:`"


def _cross(full: dict[str, Any], typed: dict[str, Any], loaded: Loaded) -> list[Problem]:
    issues = crosscheck.check(full, typed)
    problems = [_problem(path, message, loaded) for path, message in issues]
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _problem(path: PathKey, message: str, loaded: Loaded) -> Problem:
    where = loaded.marks.locate(path)
    line, col = where if where else (None, None)
    return Problem(loaded.file, line, col, dotted(path), message)


def _derived(full: dict[str, Any]) -> dict[str, Any]:
    """The values a deal may leave out that follow from its other keys (not from the
    playbook): the Effective Date is the deal's date, the locale follows the governing law,
    the playbook is the standard one, a deal is a draft until it says it is the execution
    version; the standstill binds whenever it prints."""
    info = full["deal"]
    law = info["governing_law"]
    derived = {
        "effective_date": info.get("effective_date") or info["date"],
        "locale": info.get("locale") or ("en-US" if law in US_LAWS else "en-GB"),
        "playbook": info.get("playbook") or DEFAULT_PLAYBOOK,
        "binding_sections": _binding(info["binding_sections"], full["release"]),
        "status": info.get("status") or "draft",
    }
    letters = [_letter_terms(letter, full) for letter in full.get("side_letters") or ()]
    return {**full, "deal": {**info, **derived}, "side_letters": letters}


def _letter_terms(letter: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    """A side letter's terms, each key given: `excluded_from_grant_back` left out follows
    the deal (the letter keeps its field out of the grant-back when the deal has one, and
    says nothing of a grant-back the deal does not have)."""
    terms = dict(letter.get("terms") or {})
    if terms.get("excluded_from_grant_back") is None:
        terms["excluded_from_grant_back"] = full["grant_back"]["scope"] != "none"
    terms.setdefault("notice_before_entry_months", None)
    return {**letter, "terms": terms}


def _binding(given: list[str], release: dict[str, Any]) -> list[str]:
    """The binding heads as the deal names them (so that `deal.binding_sections[i]` still
    points at its line), and the standstill after them whenever it prints: a standstill
    that does not bind does nothing."""
    named = list(dict.fromkeys(given))
    if release.get("standstill_days") is not None and "standstill" not in named:
        named.append("standstill")
    return named
