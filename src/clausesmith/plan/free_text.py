"""Every free-text value of a deal, read for what it restricts: one screen for all keys.

Guardrails written for a key (`territory`, `challenge.no_challenge`) miss the same
restriction written into another key or into words: an Excluded Product "sold to customers
established in Germany", a milestone that "lapses on the date on which the requesting party
challenges the validity of any Licensed Patent". This module walks every text value of the
deal model whose key the deal schema declares as free text (so a key added to the schema
later is screened without a change here), and classifies what each says:

- `challenge`: a challenge to validity (opposition, revocation, nullity, inter partes
  review, "contest validity"); `ends_on_challenge` when the same text ends, suspends or
  narrows something on it (termination on challenge);
- `allocation`: geography (country names and adjectives from the same ISO data the
  Territory uses, and regions such as "North America", "EU") or customers and channels
  ("customers", "OEMs", "sold to", "distributors");
- `price`, `output`, `research`: a party's prices, its output or quantities, its own
  technology or research and development, each only where the text restricts it.

A scope key (a field, an Excluded Product, a sensitive field) is itself a limit on the
licence, so geography or customers in it is an allocation with no further word; anywhere
else a restricting word ("not", "only", "except", "at least") must be in the same text.
The guardrails that read the hits (plan/markets.py, plan/consistency.py) decide severity.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pycountry

from clausesmith.deal import model
from clausesmith.deal.schema import DEAL_SCHEMA

# Keys whose text names a person, a place of arbitration, a document or a party rather than
# stating a term of the licence: a party's address in Stuttgart allocates nothing.
NAMES = (
    "deal.",
    "parties[].",
    "overrides[].",
    "acknowledgements[].",
    "dispute_resolution.",
    "patents.families[].ref",
    "carve_outs.pre_existing_licences[].licensee",
    "carve_outs.pre_existing_licences[].agreement",
    "side_letters[].key",
)
# Keys that limit the licence by what they are (a field in or out, a product excluded).
SCOPE = (
    "field.licensed[].segment",
    "field.licensed[].product_categories[]",
    "field.excluded[]",
    "field.per_licensee[].licensed[].segment",
    "field.per_licensee[].licensed[].product_categories[]",
    "field.per_licensee[].excluded_products[]",
    "carve_outs.sensitive_fields[].name",
)
# Keys whose text is an event that starts or ends something: a challenge named there ends
# or narrows a right on a challenge, as a challenge named in a scope key does.
EVENTS = ("grant_back.milestones[].event",)
# A model attribute whose key in the deal file differs (`from` is a Python keyword).
_KEY_OF = {"sender": "from"}
# Attributes of the model that are not keys of the deal file.
_NOT_KEYS = frozenset({"defaulted", "source", "sha256", "marks"})


@dataclass(frozen=True)
class Text:
    path: str  # dotted path with indexes, e.g. field.per_licensee[0].excluded_products[1]
    pattern: str  # the same path with [] for indexes, e.g. field.per_licensee[].excluded_products[]
    value: str

    @property
    def scope(self) -> bool:
        return self.pattern in SCOPE


@dataclass(frozen=True)
class Hit:
    text: Text
    kind: str  # challenge | ends_on_challenge | allocation | price | output | research
    words: str  # the words that matched, as written

    def quote(self, limit: int = 90) -> str:
        value = " ".join(self.text.value.split())
        return f'"{value if len(value) <= limit else value[: limit - 1] + "…"}"'


def _schema_rule(pattern: str) -> dict[str, Any] | None:
    """The cerberus rule of a path pattern (indexes as []), or None if the schema has no
    such key."""
    rules: Any = {"type": "dict", "schema": DEAL_SCHEMA}
    for part in re.findall(r"[^.\[\]]+|\[\]", pattern):
        if not isinstance(rules, dict):
            return None
        if part == "[]":
            if rules.get("type") != "list":
                return None
            rules = rules.get("schema")
        else:
            inner = rules.get("schema") if rules.get("type") == "dict" else None
            if not isinstance(inner, dict) or part not in inner:
                return None
            rules = inner[part]
    return rules if isinstance(rules, dict) else None


@functools.cache
def is_free_text(pattern: str) -> bool:
    """Whether the schema declares a key as words a person writes (not a choice, a code or
    a party key): a string with no allowed values and no pattern, longer than a key."""
    rule = _schema_rule(pattern)
    if rule is None or rule.get("type") != "string":
        return False
    if "allowed" in rule or "regex" in rule:
        return False
    if rule.get("check_with") not in ("printable", "printable_block"):
        return False
    return int(rule.get("maxlength", 300)) > 32 and not pattern.startswith(NAMES)


def texts(deal: model.Deal) -> Iterator[Text]:
    """Every free-text value of the deal, with its path."""
    for item in dataclasses.fields(deal):
        if item.name not in _NOT_KEYS:
            yield from _walk(getattr(deal, item.name), item.name, item.name)


def _walk(value: Any, path: str, pattern: str) -> Iterator[Text]:
    if isinstance(value, str):
        if is_free_text(pattern):
            yield Text(path, pattern, value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            key = _KEY_OF.get(item.name, item.name)
            yield from _walk(getattr(value, item.name), f"{path}.{key}", f"{pattern}.{key}")
    elif isinstance(value, tuple):
        for i, element in enumerate(value):
            yield from _walk(element, f"{path}[{i}]", f"{pattern}[]")


# ---- What text says ----------------------------------------------------------------------

# Words that name a challenge to validity by themselves, and words that do so only near a
# word of validity, patents or proceedings ("opposing fingers" is a gripper, not a challenge).
_CHALLENGE = re.compile(
    r"\b(nullity|invalidat\w*|invalidity|inter\s+partes|post[-\s]grant\s+review|re-?examination"
    r"|declaratory\s+(?:judg(?:e)?ment|relief)|no[-\s]challenge)\b",
    re.IGNORECASE,
)
_CHALLENGE_NEAR = re.compile(
    r"\b(challeng\w*|contest\w*|disput\w*|oppos\w*|attack\w*|revocation|revok\w*|impugn\w*)\b",
    re.IGNORECASE,
)
_VALIDITY = re.compile(
    r"\b(valid\w*|invalid\w*|patent\w*|claims?|enforceab\w*|proceeding\w*|actions?|licen[cs]\w*"
    r"|terminat\w*|court\w*|office|EPO|USPTO|PTAB|tribunal\w*|event)\b",
    re.IGNORECASE,
)
_NEAR = 60  # characters either side of a challenge word searched for a word of validity
_ENDS = re.compile(
    r"\b(terminat\w*|laps\w*|expir\w*|ceas\w*|suspen\w*|revok\w*|withdraw\w*|end|ends|ended"
    r"|no\s+longer|narrow\w*|exclud\w*|forfeit\w*|fall\w*\s+away|loses?|lost)\b",
    re.IGNORECASE,
)
_RESTRICTS = re.compile(
    r"\b(not|no|never|nor|neither|only|solely|exclusively|except|excluding|excluded|other\s+than"
    r"|outside|limited|limit|limits|restrict\w*|reserved|refrain\w*|prohibit\w*|cannot|minimum"
    r"|maximum|at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|below|above|exceed\w*"
    r"|cap|capped|fix|fixed|fixes|quota\w*|unless)\b",
    re.IGNORECASE,
)
_CUSTOMERS = re.compile(
    r"\b(customers?|clients?|OEMs?|buyers?|purchasers?|end[-\s]users?|distribut(?:or|ors|ion)"
    r"|resellers?|re-sellers?|dealers?|wholesal\w*|retail\w*|key\s+accounts?"
    r"|(?:sales|distribution|marketing)\s+channels?|channel\s+partners?"
    r"|(?:sold|sell|sells|selling|sale|sales|supplied|supply|marketed|offered)\s+"
    r"(?:in|into|to|through|within|outside)"
    r"|established\s+in|based\s+in|located\s+in|domiciled\s+in|home\s+markets?|domestic"
    r"|exports?|exported|exporting|imports?|imported|importing|overseas)\b",
    re.IGNORECASE,
)
_REGIONS = (
    r"(?:the\s+)?Americas|(?:North\s+|South\s+|Latin\s+|Central\s+)?America"
    r"|American|Asia(?:[-\s]Pacific)?|Asian|APAC|EMEA|Europe|European(?:\s+Union)?"
    r"|European\s+Economic\s+Area|EU|EEA|Middle\s+East|Africa|African|Oceania|Scandinavia\w*"
    r"|Nordic|Baltic|Balkans?|DACH|Benelux|Far\s+East|Caribbean|Gulf\s+States"
    r"|US|USA|U\.S\.(?:A\.)?|UK|U\.K\.|PRC"
)
# Adjectives that no rule below makes from the country's name.
_ADJECTIVES = (
    "French", "Dutch", "Swiss", "British", "Welsh", "Scottish", "Irish", "Danish", "Finnish",
    "Swedish", "Spanish", "Greek", "Czech", "Thai", "Turkish", "Norwegian", "Portuguese",
    "Belgian", "Filipino", "Vietnamese", "Taiwanese", "Icelandic", "Slovak", "Slovene",
    "Luxembourgish", "Maltese", "Cypriot", "Emirati", "Saudi", "Israeli", "Pakistani",
)  # fmt: skip
_PRICE = re.compile(
    r"\b(pric\w*|resale|mark-?ups?|margins?|discounts?|rebates?|tariffs?)\b", re.IGNORECASE
)
_OUTPUT = re.compile(
    r"\b(output|outputs|quantit\w+|volumes?|capacity|quotas?|units|production|produce|produces"
    r"|manufactur\w*|make|makes)\b",
    re.IGNORECASE,
)
_RESEARCH = re.compile(
    r"\b(research|R\s*&\s*D|develop\w*|own\s+technolog\w*|independent\w*\s+technolog\w*"
    r"|competing\s+technolog\w*|design\s+(?:around|arounds)|innovat\w*)\b",
    re.IGNORECASE,
)


def _adjective_forms(name: str) -> set[str]:
    """What English makes of a country's name as an adjective: Germany → German,
    Japan → Japanese, Italy → Italian, Korea → Korean, Mexico → Mexican, Brazil →
    Brazilian. Only forms of names of one word, so no phrase gains a false adjective."""
    if " " in name or len(name) < 4:
        return set()
    stem_y = name[:-1] if name.endswith("y") else None
    forms = {name + "ian", name + "ese", name + "n" if name.endswith("a") else name + "an"}
    if stem_y:
        forms |= {stem_y, stem_y + "ian"}
    if name.endswith(("a", "o")):
        forms |= {name[:-1] + "an", name[:-1] + "ese", name[:-1] + "ian"}
    return forms


@functools.cache
def _geography() -> re.Pattern[str]:
    names: set[str] = set()
    for entry in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(entry, attr, None)
            if value:
                names.add(value)
                short = value.split(",")[0]  # "Korea, Republic of" → "Korea"
                names.add(short)
                names |= _adjective_forms(short)
    names |= set(_ADJECTIVES)
    words = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if len(n) > 3)
    # Case matters: "Chad" and "Turkey" are countries, "turkey" is not.
    return re.compile(rf"\b({_REGIONS}|{words})\b")


def _search(pattern: re.Pattern[str], value: str) -> str | None:
    found = pattern.search(value)
    return found.group(0) if found else None


def _challenge_near(value: str) -> str | None:
    for found in _CHALLENGE_NEAR.finditer(value):
        window = value[max(0, found.start() - _NEAR) : found.end() + _NEAR]
        if _VALIDITY.search(window):
            return found.group(0)
    return None


def classify(text: Text) -> list[Hit]:
    """What one text value restricts, at most one hit of each kind."""
    value = text.value
    hits = []
    challenge = _search(_CHALLENGE, value) or _challenge_near(value)
    if challenge:
        ends = _search(_ENDS, value)
        if text.scope or text.pattern in EVENTS:
            ends = ends or "the licence's scope"
        if ends:
            hits.append(Hit(text, "ends_on_challenge", f"{challenge} … {ends}"))
        else:
            hits.append(Hit(text, "challenge", challenge))
    # A scope key limits by what it is; an output word there ("manufacturing equipment")
    # is a field unless a word of quantity limits it, as anywhere else.
    worded = _search(_RESTRICTS, value) is not None
    for kind, pattern in (
        ("allocation", None),
        ("price", _PRICE),
        ("output", _OUTPUT),
        ("research", _RESEARCH),
    ):
        if not (worded or (text.scope and kind != "output")):
            continue
        if pattern is None:
            words = _search(_geography(), value) or _search(_CUSTOMERS, value)
        else:
            words = _search(pattern, value)
        if words:
            hits.append(Hit(text, kind, words))
    return hits


def screen(deal: model.Deal) -> list[Hit]:
    """Every hit in every free-text value of the deal, in the order of the deal model."""
    return [hit for text in texts(deal) for hit in classify(text)]
