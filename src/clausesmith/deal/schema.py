"""The deal specification's shape as cerberus data: keys, types and allowed values.

Cross-field rules (sums, orderings, references between parties) live in `crosscheck.py`;
this file says only what each key may hold on its own.
"""

from __future__ import annotations

from typing import Any, get_args

from clausesmith.deal import model
from clausesmith.inputs.dates import MAX_YEARS_COUNTED
from clausesmith.inputs.validator import EMAIL, PARTY_KEY, SLUG

GOVERNING_LAWS: tuple[str, ...] = get_args(model.GoverningLaw)
LOCALES: tuple[str, ...] = get_args(model.Locale)
SECTIONS = (
    "parties",
    "licensed_patents",
    "capture_period",
    "licensed_field",
    "excluded_field",
    "territory",
    "term",
    "grant_back",
    "royalties",
    "royalty_cap",
    "most_favoured_licensee",
    "pre_existing_licences",
    "right_to_challenge",
    "prosecution",
    "enforcement",
    "audit",
    "governance",
    "confidentiality",
    "assignment",
    "dispute_resolution",
    "governing_law",
    "costs",
)
BINDABLE_SECTIONS: tuple[str, ...] = get_args(model.BindableSection)
FAMILY_STATUSES: tuple[str, ...] = get_args(model.FamilyStatus)
DILIGENCE_CHECKS: tuple[str, ...] = get_args(model.DiligenceCheck)
MEDIATION_PROVIDERS: tuple[str, ...] = get_args(model.MediationProvider)
ARBITRATION_INSTITUTIONS: tuple[str, ...] = get_args(model.ArbitrationInstitution)
# A draft carries "Draft: subject to contract" on every page; the execution version, the copy
# the parties sign, carries no marking (under English law the phrase presumes nothing binds).
DEAL_STATUSES = ("draft", "execution")


def text(max_len: int = 300, **extra: Any) -> dict[str, Any]:
    return {
        "type": "string",
        "empty": False,
        "maxlength": max_len,
        "check_with": "printable",
        **extra,
    }


def number(**extra: Any) -> dict[str, Any]:
    return {"type": "number", **extra}


def positive(**extra: Any) -> dict[str, Any]:
    return {"type": "number", "check_with": "positive", **extra}


def count(minimum: int = 1, **extra: Any) -> dict[str, Any]:
    return {"type": "integer", "min": minimum, **extra}


def years_count(**extra: Any) -> dict[str, Any]:
    """A number of years counted on from a date of the deal: at most MAX_YEARS_COUNTED, so
    the date it reaches stays one a calendar holds."""
    return count(max=MAX_YEARS_COUNTED, **extra)


def percent(**extra: Any) -> dict[str, Any]:
    return {"type": "number", "min": 0, "max": 100, **extra}


def one_of(values: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    return {"type": "string", "allowed": list(values), **extra}


def mapping(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "dict", "schema": schema, **extra}


def list_of(item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "list", "schema": item, **extra}


REQ = {"required": True}
OPT = {"required": False, "nullable": True}

PARTY = mapping(
    {
        "key": text(32, regex=PARTY_KEY, **REQ),
        "name": text(**REQ),
        "short_name": text(60, **REQ),
        "jurisdiction": {"type": "string", "check_with": "jurisdiction", **REQ},
        "entity_type": text(**OPT),
        "address": text(**OPT),
        # salutation: how a side letter greets the signatory ("Dear Mr Weiß"); left out:
        # "Dear" and the name.
        "signatory": mapping(
            {"name": text(**REQ), "title": text(**REQ), "salutation": text(**OPT)}, **OPT
        ),
        "notices_email": text(regex=EMAIL, **OPT),
        # "whose registered office is at" (default) or "having an office at".
        "address_kind": one_of(("registered_office", "office"), required=False),
    }
)

# a field segment as field.licensed and field.per_licensee write it.
SEGMENT = mapping(
    {
        "segment": text(**REQ),
        "product_categories": list_of(text(), **OPT),
    }
)

DEAL_SCHEMA: dict[str, Any] = {
    "clausesmith": {"type": "integer", "allowed": [1], **REQ},
    "deal": mapping(
        {
            "id": text(64, regex=SLUG, check_with="filename", **REQ),
            "title": text(**REQ),
            "date": {"type": "date", **REQ},
            "effective_date": {"type": "date", **OPT},
            "governing_law": one_of(GOVERNING_LAWS, **REQ),
            "locale": one_of(LOCALES, **OPT),
            "playbook": text(64, regex=SLUG, **OPT),
            # left out: the playbook's defaults (deal.binding_sections); [] binds nothing
            "binding_sections": list_of(one_of(BINDABLE_SECTIONS), required=False),
            "status": one_of(DEAL_STATUSES, **OPT),  # left out: draft
        },
        **REQ,
    ),
    "parties": list_of(PARTY, minlength=2, maxlength=2, **REQ),
    "relationship": mapping(
        {
            "competitors": {"type": "boolean", **REQ},
            "market_share_pct": {
                "type": "dict",
                "keysrules": {"type": "string"},
                "valuesrules": percent(),
                **OPT,
            },
            "substitute_technologies": count(0, **OPT),
        }
    ),
    "patents": mapping(
        {
            "capture_period_years": years_count(**OPT),
            # scheduled families, or every patent owned or controlled in the capture
            # period (the families are then examples); a capture period ending on a date.
            "scope": one_of(("scheduled", "portfolio"), required=False),
            # per licensor: scheduled families from one, the portfolio of the other
            "scope_by_owner": {
                "type": "dict",
                "keysrules": {"type": "string", "maxlength": 32},
                "valuesrules": one_of(("scheduled", "portfolio")),
                "required": False,
            },
            # at_any_time: patents first filed by the capture period's end are licensed
            # whenever acquired, so that a party cannot buy patents to assert against the other
            "ownership": one_of(("during_capture", "at_any_time"), required=False),
            "capture_until": {"type": "date", **OPT},
            "families": list_of(
                mapping(
                    {
                        "owner": text(32, **REQ),
                        "ref": text(80, **REQ),
                        "title": text(meta={"hint": "left out: Annex A says Not stated"}, **OPT),
                        # Annex A's diligence record: all optional, a finding if absent.
                        "status": one_of(FAMILY_STATUSES, **OPT),
                        "expiry": {"type": "date", **OPT},
                        "diligence": list_of(one_of(DILIGENCE_CHECKS), **OPT),
                    }
                ),
                **OPT,  # at least one for a scheduled licence (crosscheck)
            ),
        },
        **REQ,
    ),
    "field": mapping(
        {
            "licensed": list_of(SEGMENT, minlength=1, **REQ),
            "excluded": list_of(text(), **OPT),
            # a party's own Licensed Field as licensee, and products it is not licensed for.
            "per_licensee": list_of(
                mapping(
                    {
                        "licensee": text(32, **REQ),
                        "licensed": list_of(SEGMENT, minlength=1, **OPT),
                        "excluded_products": list_of(text(), minlength=1, **OPT),
                        # overrides products.have_made for this licensee
                        "have_made": one_of(("none", "own_designs", "unrestricted"), **OPT),
                    }
                ),
                **OPT,
            ),
        },
        **REQ,
    ),
    "territory": mapping(
        {
            "include": list_of({"type": "string", "check_with": "region"}, minlength=1, **REQ),
            "exclude": list_of({"type": "string", "check_with": "region"}, **OPT),
        },
        **REQ,
    ),
    "term": mapping(
        {
            "years": years_count(
                **OPT
            ),  # required unless the term ends at the last patent's expiry
            "ends": one_of(("fixed_years", "last_patent_expiry"), required=False),
            "renewal": one_of(("none", "mutual", "automatic"), **REQ),
            "renewal_years": years_count(**OPT),
            "renegotiation_window_months": count(**OPT),
            "sell_off_months": count(**OPT),
        }
    ),
    "grant_back": mapping(
        {
            "scope": one_of(
                (
                    "none",
                    "collaboration_improvements",
                    "non_severable_improvements",
                    "all_improvements",
                ),
                **REQ,
            ),
            "exclusivity": one_of(("non_exclusive", "exclusive"), **REQ),
            "royalty": one_of(("free", "bearing"), **REQ),
            "royalty_rate_pct": percent(check_with="positive", **OPT),
            "sunset_years": years_count(**OPT),
            "collaboration": text(1000, **OPT),
            "consent": one_of(("unanimous", "committee"), **REQ),
            "field_limited": {"type": "boolean", **REQ},
            # milestones that start or end the grant-back, and blocking protection.
            "milestones": list_of(
                mapping(
                    {
                        "event": text(200, **REQ),
                        "effect": one_of(("starts", "lapses"), **REQ),
                        "by": {"type": "date", **OPT},
                    }
                ),
                **OPT,
            ),
            "blocking": one_of(("veto", "revenue_share"), **REQ),
            "blocking_share_pct": percent(check_with="positive", **OPT),
        }
    ),
    "royalties": mapping(
        {
            "structure": one_of(("royalty_free", "running", "tiered", "lump_sum"), **REQ),
            "payer": text(32, **OPT),
            "base": one_of(("net_sales", "units"), required=False),  # left out: the playbook's
            "rate_pct": percent(check_with="positive", **OPT),
            "tiers": list_of(
                mapping(
                    {
                        "up_to": positive(nullable=True, required=True),
                        "rate_pct": percent(check_with="positive", **REQ),
                    }
                ),
                **OPT,
            ),
            "lump_sum": positive(**OPT),
            "currency": {"type": "string", "check_with": "currency", **OPT},
            "cap": mapping(
                {
                    "amount": positive(**REQ),
                    "period": one_of(("annual", "lifetime"), **REQ),
                },
                **OPT,
            ),
            "review_every_months": count(**OPT),
            "max_adjustment_pct": percent(**OPT),
            "most_favoured_licensee": {"type": "boolean", "required": False},
            "scenarios": mapping(
                {
                    "worst": number(min=0, **REQ),
                    "base": number(min=0, **REQ),
                    "best": number(min=0, **REQ),
                },
                **OPT,
            ),
            # payment structures.
            "instalments": list_of(
                mapping({"date": {"type": "date", **REQ}, "amount": positive(**REQ)}), **OPT
            ),
            "rate_schedule": list_of(
                mapping(
                    {
                        "from": {"type": "date", **REQ},
                        "rate_pct": percent(check_with="positive", **OPT),
                        "rates_pct": list_of(percent(check_with="positive"), minlength=1, **OPT),
                    }
                ),
                **OPT,
            ),
            "confidential": {"type": "boolean", **REQ},
            "taxes": one_of(("withheld", "gross_up", "no_deduction"), **REQ),
        }
    ),
    "carve_outs": mapping(
        {
            "pre_existing_licences": list_of(
                mapping(
                    {
                        "owner": text(32, **REQ),
                        "licensee": text(**REQ),
                        "agreement": text(**REQ),
                        "dated": {"type": "date", **REQ},
                    }
                ),
                **OPT,
            ),
            "sensitive_fields": list_of(
                mapping(
                    {
                        "key": text(32, regex=SLUG, **REQ),
                        "name": text(**REQ),
                        "owner": text(32, **REQ),
                        "side_letter": text(64, **OPT),
                        "licence": one_of(("excluded", "included"), required=False),
                        # One licensee only ("Kestrel's licence never reaches it"); null: both.
                        "limits_licensee": text(
                            32,
                            meta={
                                "hint": "a party key: with licence: excluded, only this "
                                "party's licence is kept from the field; null: both parties'"
                            },
                            **OPT,
                        ),
                    }
                ),
                **OPT,
            ),
        }
    ),
    "challenge": mapping(
        {
            "right_of_challenge": {"type": "boolean", **REQ},
            "no_challenge": {"type": "boolean", **REQ},
            "termination_on_challenge": {"type": "boolean", **REQ},
            "costs": one_of(("each_own", "as_awarded"), **REQ),
        }
    ),
    "prosecution": mapping(
        {
            "maintenance": one_of(("each_owner", "shared"), **REQ),
            "enforcement": one_of(("owner_first", "joint"), **REQ),
            "step_in_days": count(**OPT),
            "cost_share_pct": {
                "type": "dict",
                "keysrules": {"type": "string"},
                "valuesrules": percent(),
                **OPT,
            },
        }
    ),
    "audit": mapping(
        {
            "per_year": count(**REQ),
            "notice_days": count(**REQ),
            "records_years": years_count(**REQ),
            "cost_shift_threshold_pct": percent(**REQ),
        }
    ),
    "governance": mapping(
        {
            "form": one_of(("committee", "none"), required=False),  # none: no joint committee
            "committee_members_per_party": count(**REQ),
            "neutral_chair": {"type": "boolean", **REQ},
            "clean_team": {"type": "boolean", "required": False},
            "meets_every_months": count(**REQ),
            "grant_back_review": mapping(
                {
                    "necessity": percent(**REQ),
                    "value_contribution": percent(**REQ),
                    "sales_velocity_impact": percent(**REQ),
                    "approval_threshold": percent(**REQ),
                },
                **REQ,
            ),
        }
    ),
    "dispute_resolution": mapping(
        {
            "negotiation_days": count(**REQ),
            "mediation": mapping(
                {
                    "provider": one_of(MEDIATION_PROVIDERS, **REQ),
                    "days": count(**REQ),
                },
                meta={"hint": "null: no mediation, straight to arbitration or the courts"},
                **OPT,
            ),
            "arbitration": mapping(
                {
                    "institution": one_of(ARBITRATION_INSTITUTIONS, **REQ),
                    "seat": text(80, **REQ),
                    "language": text(40, **REQ),
                    "arbitrators": {"type": "integer", "allowed": [1, 3], **REQ},
                },
                **OPT,
            ),
            "courts": mapping(
                {
                    "place": text(
                        80,
                        meta={
                            "hint": "a city, or in the US a county and state (London; New "
                            "Castle County, Delaware), printed as 'the courts of' it; US patent "
                            "claims lie with the federal courts alone, so for a US place have "
                            "counsel confirm the forum"
                        },
                        **REQ,
                    ),
                    "exclusive": {"type": "boolean", **REQ},
                },
                **OPT,
            ),
            "expert_determination": list_of(
                one_of(("royalty_calculation", "technical_scope")), **OPT
            ),
        }
    ),
    "assignment": mapping(
        {
            "change_of_control": one_of(("consent", "free", "terminate"), **REQ),
        }
    ),
    "side_letters": list_of(
        mapping(
            {
                "key": text(64, regex=SLUG, check_with="filename", **REQ),
                "title": text(**REQ),
                "from": text(32, **REQ),
                "to": text(32, **REQ),
                "terms": mapping(
                    {
                        # left out: true when the deal has a grant-back, else false
                        "excluded_from_grant_back": {
                            "type": "boolean",
                            "meta": {"hint": "left out: true when the deal has a grant-back"},
                            **OPT,
                        },
                        "notice_before_entry_months": count(**OPT),
                    },
                    **OPT,
                ),
            }
        ),
        **OPT,
    ),
    # The heads beyond the commercial core; every key has a default in the playbook.
    "release": mapping(
        {
            "scope": one_of(("mutual", "one_way", "none"), **REQ),
            "releasing_party": text(32, **OPT),
            "from_date": {"type": "date", **OPT},
            "unknown_claims": {"type": "boolean", **REQ},
            "payment": mapping(
                {
                    "amount": positive(**REQ),
                    "currency": {"type": "string", "check_with": "currency", **REQ},
                    "payer": text(32, **REQ),
                },
                **OPT,
            ),
            "standstill_days": count(**OPT),
            "claim_charts_without_prejudice": {"type": "boolean", **REQ},
            # infringement only, or every claim (a settlement); named inclusions either way
            "claims": one_of(("infringement", "all_claims"), required=False),
            "includes": list_of(text(300), required=False),
        }
    ),
    "duration": mapping(
        {
            "licences_last": one_of(("patent_life", "end_of_term"), **REQ),
            "cure_days": count(**REQ),
            # elective | automatic | false; true keeps its old meaning, elective
            "terminate_on_insolvency": {
                "type": ["boolean", "string"],
                "allowed": [True, False, "elective", "automatic"],
                **REQ,
            },
            "non_payment_days": count(**OPT),  # termination for an amount unpaid so long
            "non_payment_amounts": one_of(("undisputed", "any"), required=False),
        }
    ),
    "insolvency": mapping({"german_licensor": one_of(("irrevocable_paid_up", "security"), **REQ)}),
    "affiliates": mapping(
        {
            "licensed": one_of(("all_affiliates", "subsidiaries", "party_only"), **REQ),
            "control_pct": {"type": "integer", "min": 50, "max": 100, **REQ},
            "control_test": one_of(("more_than", "at_least"), required=False),
            "binding": one_of(("procure", "reasonable_efforts"), **REQ),
            "acquisitions": one_of(("included", "excluded"), **REQ),
            "divestiture": one_of(("products_at_divestiture", "none"), **REQ),
            # on a change of control of a party, its product lines capped at their volume
            "acquired_volume_cap": {"type": "boolean", "required": False},
            "excluded_developments": {"type": "boolean", "required": False},
            "confirm_days": count(**OPT),
        }
    ),
    "products": mapping(
        {
            "have_made": one_of(("own_designs", "unrestricted"), **REQ),
            "pass_through": {"type": "boolean", **REQ},
        }
    ),
    "grant": mapping({"form": one_of(("licence", "covenant_not_to_sue"), **REQ)}),
    "liability": mapping(
        {
            "cap": mapping(
                {
                    "amount": positive(**REQ),
                    "currency": {"type": "string", "check_with": "currency", **REQ},
                },
                **OPT,
            ),
            "exclude_indirect": {"type": "boolean", **REQ},
        }
    ),
    "standards": mapping({"frand": one_of(("encumbered", "none_declared"), **REQ)}),
    "defensive_suspension": mapping(
        {
            "scope": one_of(("field", "all_patents", "none"), **REQ),
            "effect": one_of(("suspend", "terminate"), required=False),
            "trigger": one_of(("product_suits", "any_assertion"), required=False),
        }
    ),
    # The rest of "Other Terms": freedom to operate, marking, export control, notices.
    "other_terms": mapping(
        {
            "freedom_to_operate": one_of(("each_party", "knowledge_warranty"), **REQ),
            "marking": one_of(("on_request", "virtual", "none"), **REQ),
            "export_control": one_of(("standard", "none"), **REQ),
            "notices": one_of(("addresses_and_email", "addresses_only"), **REQ),
            # a representation that is no ground for a claim or for termination
            "representations": list_of(
                mapping(
                    {
                        "by": text(32, **REQ),
                        "text": text(600, **REQ),
                        "remedy": one_of(("none",), required=False),
                    }
                ),
                maxlength=10,
                required=False,
            ),
        }
    ),
    # earlier agreements between the parties, and the deal's own defined terms.
    "related_agreements": list_of(
        mapping(
            {
                "title": text(**REQ),
                "date": {"type": "date", **REQ},
                "effect": one_of(("amends", "supersedes", "leaves_in_force", "not_stated"), **REQ),
                "amended_by": list_of(
                    mapping({"title": text(**REQ), "date": {"type": "date", **REQ}}),
                    required=False,
                ),
                "prevails_on": list_of(text(300), required=False),
            }
        ),
        **OPT,
    ),
    "definitions": list_of(
        mapping({"term": text(60, **REQ), "meaning": text(1000, **REQ)}),
        maxlength=14,  # with the built-in terms, at most 26: the items are lettered (a)-(z)
        **OPT,
    ),
    "overrides": list_of(
        mapping(
            {
                "rule": text(64, **REQ),
                "approved_by": text(**REQ),
                "date": {"type": "date", **REQ},
                "reason": text(1000, check_with="printable_block", **REQ),
            }
        ),
        **OPT,
    ),
    # Warnings counsel have read and accept for this deal: `validate --strict` passes them.
    "acknowledgements": list_of(
        mapping(
            {
                "rule": text(64, **REQ),
                "acknowledged_by": text(**REQ),
                "date": {"type": "date", **REQ},
                "reason": text(1000, **REQ),
            }
        ),
        **OPT,
    ),
}
