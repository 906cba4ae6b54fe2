"""The deal as frozen dataclasses: what every later stage reads, free of cerberus and YAML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal

from clausesmith.deal import heads, scope, terms


@dataclass(frozen=True)
class DealInfo:
    id: str
    title: str
    date: dt.date
    effective_date: dt.date
    governing_law: str
    locale: str
    playbook: str
    # The heads that bind on signature: those the deal names, in its order, then the
    # standstill whenever it is printed (a standstill that does not bind does nothing).
    binding_sections: tuple[str, ...]
    status: str = "draft"  # draft | execution: the execution version carries no marking


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
    address_kind: str = "registered_office"  # registered_office | office (#14)


@dataclass(frozen=True)
class Relationship:
    competitors: bool
    market_share_pct: tuple[tuple[str, Decimal], ...] | None  # (combined | party key, share)
    # Independently controlled substitute technologies besides the parties' (US §4.3).
    substitute_technologies: int | None = None

    def share(self, key: str) -> Decimal | None:
        return dict(self.market_share_pct or ()).get(key)


@dataclass(frozen=True)
class PatentFamily:
    owner: str
    ref: str
    title: str
    # Annex A's diligence record (#14); None: not stated (a finding).
    status: str | None = None  # granted | pending
    expiry: dt.date | None = None
    diligence: tuple[str, ...] | None = None  # of ownership, maintenance, freedom_to_operate


@dataclass(frozen=True)
class Patents:
    capture_period_years: int | None
    families: tuple[PatentFamily, ...]  # portfolio: examples only, and may be empty
    scope: str = "scheduled"  # scheduled | portfolio (#14)
    capture_until: dt.date | None = None  # a capture period that ends on a date (#14)

    def capture(self) -> bool:
        """Whether there is a Capture Period, of years or to a date."""
        return self.capture_period_years is not None or self.capture_until is not None


FieldSegment = scope.Segment


@dataclass(frozen=True)
class Field:
    licensed: tuple[FieldSegment, ...]
    excluded: tuple[str, ...]
    per_licensee: tuple[scope.LicenseeScope, ...] = ()  # #14: a party's own field as licensee

    def of(self, licensee: str) -> scope.LicenseeScope | None:
        return next((x for x in self.per_licensee if x.licensee == licensee), None)

    def for_licensee(self, licensee: str) -> tuple[FieldSegment, ...]:
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
    renewal: str
    renewal_years: int | None
    renegotiation_window_months: int | None
    sell_off_months: int | None = None  # after the term; None: no sell-off period
    ends: str = "fixed_years"  # fixed_years | last_patent_expiry (#14)


@dataclass(frozen=True)
class GrantBack:
    scope: str
    exclusivity: str
    royalty: str
    royalty_rate_pct: Decimal | None
    sunset_years: int | None
    consent: str
    field_limited: bool
    collaboration: str | None  # what the parties do together; no grant-back without it
    # #14: events that start or end the grant-back, and protection against a blocking one.
    milestones: tuple[terms.Milestone, ...] = ()
    blocking: str = "veto"  # veto | revenue_share
    blocking_share_pct: Decimal | None = None

    def applies(self) -> bool:
        """A grant-back exists only for a described collaboration (DOMAIN.md, Grant-back)."""
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
    period: str


@dataclass(frozen=True)
class Scenarios:
    worst: Decimal
    base: Decimal
    best: Decimal


@dataclass(frozen=True)
class Royalties:
    structure: str
    payer: str | None
    base: str
    rate_pct: Decimal | None
    tiers: tuple[Tier, ...]
    lump_sum: Decimal | None
    currency: str | None
    cap: Cap | None
    review_every_months: int | None
    max_adjustment_pct: Decimal | None
    most_favoured_licensee: bool
    scenarios: Scenarios | None
    # #14: payment structures.
    instalments: tuple[terms.Instalment, ...] = ()  # lump_sum only; they sum to it
    rate_schedule: tuple[terms.ScheduledRate, ...] = ()  # later rates, by date
    confidential: bool = False  # figures in a confidential schedule, not printed
    taxes: str = "withheld"  # withheld | gross_up | no_deduction


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
    licence: str = "excluded"  # excluded | included: whether the licences reach the field


@dataclass(frozen=True)
class CarveOuts:
    pre_existing_licences: tuple[PreExistingLicence, ...]
    sensitive_fields: tuple[SensitiveField, ...]


@dataclass(frozen=True)
class Challenge:
    right_of_challenge: bool
    no_challenge: bool
    termination_on_challenge: bool
    costs: str = "each_own"  # each_own | as_awarded (#14)


@dataclass(frozen=True)
class Prosecution:
    maintenance: str
    enforcement: str
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
    clean_team: bool = False  # information between competitors passes only through one
    form: str = "committee"  # committee | none (#14)


@dataclass(frozen=True)
class Mediation:
    provider: str
    days: int


@dataclass(frozen=True)
class Arbitration:
    institution: str
    seat: str
    language: str
    arbitrators: int


@dataclass(frozen=True)
class Courts:
    place: str
    exclusive: bool
    # The US State the place lies in ("New York County, New York" -> New York), or None: a US
    # forum names the state and federal courts there, with a jury waiver.
    us_state: str | None = None


@dataclass(frozen=True)
class DisputeResolution:
    negotiation_days: int
    mediation: Mediation | None
    arbitration: Arbitration | None  # exactly one of arbitration and courts
    courts: Courts | None
    expert_determination: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    change_of_control: str


@dataclass(frozen=True)
class SideLetterTerms:
    excluded_from_grant_back: bool
    notice_before_entry_months: int | None


@dataclass(frozen=True)
class SideLetter:
    key: str
    title: str
    sender: str  # `from` in the file; a Python keyword
    to: str
    terms: SideLetterTerms


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
    *heads.SECTIONS,
    *terms.SECTIONS,
)
# Keys a deal may leave out of a section it gives, with no default but the playbook's.
PLAYBOOK_DEFAULT_KEYS = (("deal", "binding_sections"), ("royalties", "base"))


@dataclass(frozen=True)
class Deal:
    format_version: int
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
    # The heads of #14 (heads.py), each filled from the playbook when left out.
    release: heads.Release
    duration: heads.Duration
    insolvency: heads.Insolvency
    affiliates: heads.Affiliates
    products: heads.Products
    grant: heads.Grant
    liability: heads.Liability
    standards: heads.Standards
    defensive_suspension: heads.DefensiveSuspension
    other_terms: terms.OtherTerms  # #14: freedom to operate, marking, export, notices
    acknowledgements: tuple[Acknowledgement, ...]
    # #14 (scope.py): earlier agreements between the parties; the deal's own defined terms.
    related_agreements: tuple[scope.RelatedAgreement, ...]
    definitions: tuple[scope.Definition, ...]
    defaulted: tuple[str, ...]  # sections or section.key paths the playbook filled in
    source: str  # the path the deal was read from, as the user gave it
    sha256: str
    # Dotted key path -> (line, column) in the deal file, for messages from later stages.
    marks: dict[str, tuple[int, int]] = dc_field(
        default_factory=dict, compare=False, hash=False, repr=False
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
