"""The deal as frozen dataclasses: what every later stage reads, free of cerberus and YAML.

Each dataclass is one mapping of the deal format, each field one key of it (the same name,
unless the field says `from_key`), and its type hint is the whole reading rule: `build.py`
builds the model from these hints alone. A key left out of the file takes the playbook's
`defaults:` (the one place defaults live); only the values derived from other keys are
computed, in `load.py`'s `_derived`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Literal

# Field metadata the builder reads (`dc_field(metadata=...)`).
DERIVED = {"derived": True}  # the loader computes it from other keys when left out
NOT_IN_FILE = {"file": False}  # the loader supplies it (where the deal came from)


def from_key(name: str) -> dict[str, str]:
    """Metadata of a field whose key in the deal file is `name` (a Python keyword)."""
    return {"key": name}


# ---- the values some keys allow (the schema lists the same, from these) ----

GoverningLaw = Literal[
    "england-and-wales",
    "new-york",
    "delaware",
    "california",
    "germany",
    "switzerland",
    "singapore",
    "japan",
]
Locale = Literal["en-GB", "en-US"]
# Only heads that can bind before the Agreement exists: keeping a negotiation confidential,
# the law and forum for disputes about the term sheet, and costs. A licence, a royalty or a
# grant-back made "binding" would contradict the legend's "no licence is granted".
# A standstill and the without-prejudice status of claim charts only work while negotiating,
# so they too may bind on signature.
BindableSection = Literal["confidentiality", "governing_law", "costs", "standstill"]
FamilyStatus = Literal["granted", "pending"]
# The diligence Annex A records for a family: ownership checked, maintenance fees current,
# freedom to operate reviewed.
DiligenceCheck = Literal["ownership", "maintenance", "freedom_to_operate"]
MediationProvider = Literal["WIPO", "CEDR", "JAMS", "ICC"]
ArbitrationInstitution = Literal["ICC", "WIPO", "LCIA", "ICDR", "SIAC", "JAMS", "DIS"]


# ---- deal, parties, relationship ----


@dataclass(frozen=True)
class DealInfo:
    id: str
    title: str
    date: dt.date
    effective_date: dt.date = dc_field(metadata=DERIVED)  # left out: the deal's date
    governing_law: GoverningLaw
    locale: Locale = dc_field(metadata=DERIVED)  # left out: from the governing law
    playbook: str = dc_field(metadata=DERIVED)  # left out: the standard playbook
    # The heads that bind on signature: those the deal names, in its order, then the
    # standstill whenever it is printed (a standstill that does not bind does nothing).
    binding_sections: tuple[BindableSection, ...]
    # draft: "Draft: subject to contract" on every page; execution: the copy the parties
    # sign, with no marking.
    status: Literal["draft", "execution"] = dc_field(metadata=DERIVED)  # left out: draft


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str
    salutation: str | None = None  # "Dear Mr Weiß"; None: "Dear" and the name


@dataclass(frozen=True)
class Party:
    key: str
    name: str
    short_name: str
    jurisdiction: str
    entity_type: str | None
    address: str | None
    signatory: Signatory | None
    notices_email: str | None
    # "whose registered office is at" or "having an office at"
    address_kind: Literal["registered_office", "office"]


@dataclass(frozen=True)
class Relationship:
    competitors: bool
    market_share_pct: tuple[tuple[str, Decimal], ...] | None  # (combined | party key, share)
    # Independently controlled substitute technologies besides the parties' (US §4.3).
    substitute_technologies: int | None

    def share(self, key: str) -> Decimal | None:
        return dict(self.market_share_pct or ()).get(key)


# ---- patents, field, territory, term ----


@dataclass(frozen=True)
class PatentFamily:
    owner: str
    ref: str
    title: str | None  # None: not known yet (Annex A says "Not stated")
    # Annex A's diligence record; None: not stated (a finding).
    status: FamilyStatus | None
    expiry: dt.date | None
    diligence: tuple[DiligenceCheck, ...] | None


@dataclass(frozen=True)
class Patents:
    capture_period_years: int | None
    families: tuple[PatentFamily, ...]  # portfolio: examples only, and may be empty
    scope: Literal["scheduled", "portfolio"]
    capture_until: dt.date | None  # a capture period that ends on a date
    # Per licensor (party key, scope): scheduled families from one, the portfolio of the other.
    scope_by_owner: tuple[tuple[str, Literal["scheduled", "portfolio"]], ...]
    # at_any_time: patents first filed by the capture period's end are licensed whenever
    # acquired, so that a party cannot buy such patents to assert against the other.
    ownership: Literal["during_capture", "at_any_time"]

    def capture(self) -> bool:
        """Whether there is a Capture Period, of years or to a date."""
        return self.capture_period_years is not None or self.capture_until is not None

    def scope_of(self, owner: str) -> str:
        """The scope of `owner`'s Licensed Patents: its own entry, else `scope`."""
        return dict(self.scope_by_owner).get(owner, self.scope)

    def mixed(self) -> bool:
        """Whether one licensor schedules its families and the other licenses its portfolio."""
        values = {v for _, v in self.scope_by_owner}
        if len(self.scope_by_owner) < 2:  # the other licensor follows `scope`
            values.add(self.scope)
        return len(values) > 1


@dataclass(frozen=True)
class Segment:
    segment: str
    product_categories: tuple[str, ...]


FieldSegment = Segment


@dataclass(frozen=True)
class LicenseeScope:
    """One party's licence as licensee: its own field (empty: the common Licensed Field) and
    the products of the other party it is not licensed for."""

    licensee: str  # party key
    licensed: tuple[Segment, ...]
    excluded_products: tuple[str, ...]
    # overrides products.have_made for this licensee; None: products.have_made applies
    have_made: Literal["none", "own_designs", "unrestricted"] | None


@dataclass(frozen=True)
class Field:
    licensed: tuple[Segment, ...]
    excluded: tuple[str, ...]
    per_licensee: tuple[LicenseeScope, ...]  # a party's own field as licensee

    def scoped(self) -> tuple[LicenseeScope, ...]:
        """The entries that change a licensee's field or products (not only its have-made)."""
        return tuple(x for x in self.per_licensee if x.licensed or x.excluded_products)

    def of(self, licensee: str) -> LicenseeScope | None:
        return next((x for x in self.per_licensee if x.licensee == licensee), None)

    def for_licensee(self, licensee: str) -> tuple[Segment, ...]:
        """The Licensed Field of `licensee` (a party key) as licensee."""
        own = self.of(licensee)
        return own.licensed if own is not None and own.licensed else self.licensed


@dataclass(frozen=True)
class Territory:
    include: tuple[str, ...]
    exclude: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    years: int | None  # None only when the term ends at the last patent's expiry
    renewal: Literal["none", "mutual", "automatic"]
    renewal_years: int | None
    renegotiation_window_months: int | None
    sell_off_months: int | None  # after the term; None: no sell-off period
    ends: Literal["fixed_years", "last_patent_expiry"]


# ---- grant-back and payments ----


@dataclass(frozen=True)
class Milestone:
    event: str
    effect: Literal["starts", "lapses"]
    by: dt.date | None  # the long-stop date


@dataclass(frozen=True)
class GrantBack:
    scope: Literal[
        "none", "collaboration_improvements", "non_severable_improvements", "all_improvements"
    ]
    exclusivity: Literal["non_exclusive", "exclusive"]
    royalty: Literal["free", "bearing"]
    royalty_rate_pct: Decimal | None
    sunset_years: int | None
    consent: Literal["unanimous", "committee"]
    field_limited: bool
    collaboration: str | None  # what the parties do together; no grant-back without it
    # Events that start or end the grant-back, and protection against a blocking one.
    milestones: tuple[Milestone, ...]
    blocking: Literal["veto", "revenue_share"]
    blocking_share_pct: Decimal | None

    def applies(self) -> bool:
        """A grant-back exists only for a described collaboration."""
        return self.scope != "none" and self.collaboration is not None

    def payable(self) -> bool:
        """Whether licences under the grant-back can bear a royalty or a revenue share."""
        return self.applies() and (self.royalty == "bearing" or self.blocking == "revenue_share")


@dataclass(frozen=True)
class Tier:
    up_to: Decimal | None
    rate_pct: Decimal


@dataclass(frozen=True)
class Cap:
    amount: Decimal
    period: Literal["annual", "lifetime"]


@dataclass(frozen=True)
class Scenarios:
    worst: Decimal
    base: Decimal
    best: Decimal


@dataclass(frozen=True)
class Instalment:
    date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class ScheduledRate:
    """The rate (running) or the rates band by band (tiered) in force from a date."""

    start: dt.date = dc_field(metadata=from_key("from"))  # a Python keyword
    rate_pct: Decimal | None
    rates_pct: tuple[Decimal, ...]


@dataclass(frozen=True)
class Royalties:
    structure: Literal["royalty_free", "running", "tiered", "lump_sum"]
    payer: str | None
    base: Literal["net_sales", "units"]
    rate_pct: Decimal | None
    tiers: tuple[Tier, ...]
    lump_sum: Decimal | None
    currency: str | None
    cap: Cap | None
    review_every_months: int | None
    max_adjustment_pct: Decimal | None
    most_favoured_licensee: bool
    scenarios: Scenarios | None
    instalments: tuple[Instalment, ...]  # lump_sum only; they sum to it
    rate_schedule: tuple[ScheduledRate, ...]  # later rates, by date
    confidential: bool  # figures in a confidential schedule, not printed
    taxes: Literal["withheld", "gross_up", "no_deduction"]


# ---- carve-outs, challenge, prosecution, audit, governance, disputes ----


@dataclass(frozen=True)
class PreExistingLicence:
    owner: str
    licensee: str
    agreement: str
    dated: dt.date


@dataclass(frozen=True)
class SensitiveField:
    key: str
    name: str
    owner: str
    side_letter: str | None
    licence: Literal["excluded", "included"]  # whether the licences reach the field
    # With licence: excluded, the one party whose licence never reaches the field (the other
    # party's licence is not limited by the letter); None: neither party's licence reaches it.
    limits_licensee: str | None


@dataclass(frozen=True)
class CarveOuts:
    pre_existing_licences: tuple[PreExistingLicence, ...]
    sensitive_fields: tuple[SensitiveField, ...]


@dataclass(frozen=True)
class Challenge:
    right_of_challenge: bool
    no_challenge: bool
    termination_on_challenge: bool
    costs: Literal["each_own", "as_awarded"]


@dataclass(frozen=True)
class Prosecution:
    maintenance: Literal["each_owner", "shared"]
    enforcement: Literal["owner_first", "joint"]
    step_in_days: int | None
    cost_share_pct: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Audit:
    per_year: int
    notice_days: int
    records_years: int
    cost_shift_threshold_pct: Decimal


@dataclass(frozen=True)
class GrantBackReview:
    necessity: Decimal
    value_contribution: Decimal
    sales_velocity_impact: Decimal
    approval_threshold: Decimal


@dataclass(frozen=True)
class Governance:
    committee_members_per_party: int
    neutral_chair: bool
    meets_every_months: int
    grant_back_review: GrantBackReview
    clean_team: bool  # information between competitors passes only through one
    form: Literal["committee", "none"]  # none: no joint committee


@dataclass(frozen=True)
class Mediation:
    provider: MediationProvider
    days: int


@dataclass(frozen=True)
class Arbitration:
    institution: ArbitrationInstitution
    seat: str
    language: str
    arbitrators: Literal[1, 3]


@dataclass(frozen=True)
class Courts:
    place: str
    exclusive: bool


@dataclass(frozen=True)
class DisputeResolution:
    negotiation_days: int
    mediation: Mediation | None
    arbitration: Arbitration | None  # exactly one of arbitration and courts
    courts: Courts | None
    expert_determination: tuple[Literal["royalty_calculation", "technical_scope"], ...]


@dataclass(frozen=True)
class Assignment:
    change_of_control: Literal["consent", "free", "terminate"]


@dataclass(frozen=True)
class SideLetterTerms:
    # left out: the loader derives it from the deal (true when it has a grant-back)
    excluded_from_grant_back: bool = dc_field(metadata=DERIVED)
    notice_before_entry_months: int | None


@dataclass(frozen=True)
class SideLetter:
    key: str
    title: str
    sender: str = dc_field(metadata=from_key("from"))  # a Python keyword
    to: str
    terms: SideLetterTerms = dc_field(metadata=DERIVED)  # left out: derived (load._derived)


# ---- the heads beyond the commercial core ----


@dataclass(frozen=True)
class Amount:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    currency: str
    payer: str  # party key


@dataclass(frozen=True)
class Release:
    scope: Literal["mutual", "one_way", "none"]
    releasing_party: str | None  # one_way: the party that gives the release
    from_date: dt.date | None  # earliest released act; None: every act before the Effective Date
    unknown_claims: bool
    payment: Payment | None
    standstill_days: int | None
    claim_charts_without_prejudice: bool
    claims: Literal["infringement", "all_claims"]  # all_claims: a settlement's release
    includes: tuple[str, ...]  # claims named in the release, each printed


@dataclass(frozen=True)
class Duration:
    licences_last: Literal["patent_life", "end_of_term"]
    cure_days: int
    # elective | automatic | false; true keeps its old meaning, elective
    terminate_on_insolvency: Literal[True, False, "elective", "automatic"]
    non_payment_days: int | None  # termination for an amount unpaid so long
    non_payment_amounts: Literal["undisputed", "any"]

    def on_insolvency(self) -> str:
        """Termination on the licensee's insolvency: "elective", "automatic" or "none"."""
        value = self.terminate_on_insolvency
        if value is True:
            return "elective"
        return "none" if value is False else str(value)


@dataclass(frozen=True)
class Insolvency:
    german_licensor: Literal["irrevocable_paid_up", "security"]


@dataclass(frozen=True)
class Affiliates:
    licensed: Literal["all_affiliates", "subsidiaries", "party_only"]
    control_pct: int
    control_test: Literal["more_than", "at_least"]
    binding: Literal["procure", "reasonable_efforts"]
    acquisitions: Literal["included", "excluded"]
    divestiture: Literal["products_at_divestiture", "none"]
    acquired_volume_cap: bool  # a party taken over: its product lines capped at their volume
    excluded_developments: bool  # joint work with an independent third party is not licensed
    confirm_days: int | None  # days to confirm whether an entity is licensed

    # The words every head that names affiliates uses, so that each follows this section.
    def members(self) -> str:
        """Who beside a party is licensed: "Affiliates", "licensed subsidiaries" or ""."""
        return {"all_affiliates": "Affiliates", "subsidiaries": "licensed subsidiaries"}.get(
            self.licensed, ""
        )

    def group(self, who: str, joiner: str = "or") -> str:
        """`who` with its licensed affiliates: group("a party") is "a party or its Affiliates"."""
        return f"{who} {joiner} its {self.members()}" if self.members() else who

    def procure(self) -> str:
        if self.binding == "procure":
            return "will procure"
        return "will use reasonable efforts to procure"

    def threshold(self, pct: int | None = None) -> str:
        """The control test in words: "more than 50%", "at least 75%", or "all" at 100."""
        value = self.control_pct if pct is None else pct
        if value >= 100:
            return "all"
        return f"{'at least' if self.control_test == 'at_least' else 'more than'} {value}%"


@dataclass(frozen=True)
class Products:
    have_made: Literal["own_designs", "unrestricted"]
    pass_through: bool


@dataclass(frozen=True)
class Grant:
    form: Literal["licence", "covenant_not_to_sue"]


@dataclass(frozen=True)
class Liability:
    cap: Amount | None  # None: no cap beyond the exclusions
    exclude_indirect: bool


@dataclass(frozen=True)
class Standards:
    frand: Literal["encumbered", "none_declared"]


@dataclass(frozen=True)
class DefensiveSuspension:
    scope: Literal["field", "all_patents", "none"]
    effect: Literal["suspend", "terminate"]
    trigger: Literal["product_suits", "any_assertion"]


@dataclass(frozen=True)
class Representation:
    by: str  # party key
    text: str  # what the party represents, completing "represents that ..."
    remedy: Literal["none"]  # no ground for a claim or for termination


@dataclass(frozen=True)
class OtherTerms:
    """The keyed positions of "Other Terms"."""

    freedom_to_operate: Literal["each_party", "knowledge_warranty"]
    marking: Literal["on_request", "virtual", "none"]
    export_control: Literal["standard", "none"]
    notices: Literal["addresses_and_email", "addresses_only"]
    representations: tuple[Representation, ...]


# ---- earlier agreements, defined terms, overrides, acknowledgements ----


@dataclass(frozen=True)
class Amendment:
    title: str
    date: dt.date


@dataclass(frozen=True)
class RelatedAgreement:
    title: str
    date: dt.date
    # not_stated: the Agreement will say whether it amends, supersedes or leaves it in force
    effect: Literal["amends", "supersedes", "leaves_in_force", "not_stated"]
    amended_by: tuple[Amendment, ...]  # printed "as amended by ..."
    prevails_on: tuple[str, ...]  # points on which that agreement prevails


@dataclass(frozen=True)
class Definition:
    term: str
    meaning: str


@dataclass(frozen=True)
class Override:
    rule: str
    approved_by: str
    date: dt.date
    reason: str


@dataclass(frozen=True)
class Acknowledgement:
    """A warning counsel have read and accept for this deal (a block needs an Override)."""

    rule: str
    acknowledged_by: str
    date: dt.date
    reason: str


# The sections a deal may leave out; the playbook supplies its preferred position for each.
DEFAULTABLE_SECTIONS = (
    "relationship",
    "term",
    "grant_back",
    "royalties",
    "carve_outs",
    "challenge",
    "prosecution",
    "audit",
    "governance",
    "dispute_resolution",
    "assignment",
    "release",
    "duration",
    "insolvency",
    "affiliates",
    "products",
    "grant",
    "liability",
    "standards",
    "defensive_suspension",
    "other_terms",
)


# Fields of Deal that are bookkeeping, not deal terms: templates and conditions cannot see them.
BOOKKEEPING = ("format_version", "defaulted", "source", "sha256", "marks")


@dataclass(frozen=True)
class Deal:
    format_version: Literal[1] = dc_field(metadata=from_key("clausesmith"))
    deal: DealInfo
    parties: tuple[Party, Party]
    relationship: Relationship
    patents: Patents
    field: Field
    territory: Territory
    term: Term
    grant_back: GrantBack
    royalties: Royalties
    carve_outs: CarveOuts
    challenge: Challenge
    prosecution: Prosecution
    audit: Audit
    governance: Governance
    dispute_resolution: DisputeResolution
    assignment: Assignment
    side_letters: tuple[SideLetter, ...]
    overrides: tuple[Override, ...]
    release: Release
    duration: Duration
    insolvency: Insolvency
    affiliates: Affiliates
    products: Products
    grant: Grant
    liability: Liability
    standards: Standards
    defensive_suspension: DefensiveSuspension
    other_terms: OtherTerms  # freedom to operate, marking, export, notices
    acknowledgements: tuple[Acknowledgement, ...]
    related_agreements: tuple[RelatedAgreement, ...]  # earlier agreements between the parties
    definitions: tuple[Definition, ...]  # the deal's own defined terms
    defaulted: tuple[str, ...] = dc_field(
        metadata=NOT_IN_FILE
    )  # sections or section.key paths the playbook filled
    source: str = dc_field(
        metadata=NOT_IN_FILE
    )  # the path the deal was read from, as the user gave it
    sha256: str = dc_field(metadata=NOT_IN_FILE)
    # Dotted key path -> (line, column) in the deal file, for messages from later stages.
    marks: dict[str, tuple[int, int]] = dc_field(
        default_factory=dict, compare=False, hash=False, repr=False, metadata=NOT_IN_FILE
    )

    def locate(self, path: str) -> str:
        """`deal.yaml:41:5` for a dotted path, falling back to its nearest marked parent."""
        while path:
            if path in self.marks:
                line, col = self.marks[path]
                return f"{self.source}:{line}:{col}"
            path = path.rpartition(".")[0] if "." in path else ""
        return self.source

    def party(self, key: str) -> Party:
        return next(p for p in self.parties if p.key == key)

    def other(self, key: str) -> Party:
        return next(p for p in self.parties if p.key != key)
