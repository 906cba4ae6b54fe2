"""The shipped clause library and standard playbook, checked clause by clause.

Every example in a clause's front matter is laid over the reference deal, planned with the
standard playbook and assembled; the clause must be the one chosen for its slot and its
text must contain the expected phrase. The library as a whole must cover every slot and
every family with approved clauses, and each guardrail must fire on the deal it guards.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clausesmith.assemble.assembler import assemble
from clausesmith.library.clause import Clause, load_library, overlay
from clausesmith.library.playbook import load_playbook
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.plan import consistency
from clausesmith.plan.planned_deal import PlannedDeal
from clausesmith.plan.planner import Plan
from clausesmith.resources import Sources
from helpers.deals import ACME, MINIMAL, QUIET, ROOT

INPUTS = Inputs(Sources.resolve(library=ROOT / "clause_library", playbooks=ROOT / "playbooks"))

LIBRARY = load_library(ROOT / "clause_library")
PLAYBOOK = load_playbook(ROOT / "playbooks", "cross-licence-standard")

# What a legal document must never show: Python values, template debris, placeholders.
DEBRIS = (
    r"(?<!^)\bNone\b",
    r"\bTrue\b",
    r"\bFalse\b",
    r"Decimal",
    r"[\[\]{}<>]",
    r"\bTODO\b",
    r"\s[,.;:]",
    r"  ",
    r"\.\.",
    r"_",
)

EXAMPLES = [
    pytest.param(clause, i, id=f"{clause.id}#{i}")
    for clause in sorted(LIBRARY.clauses.values(), key=lambda c: c.id)
    for i in range(len(clause.examples))
]


def texts_by_clause(plan: Plan) -> dict[str, list[str]]:
    """Clause id -> its rendered paragraphs, across every document of the deal."""
    found: dict[str, list[str]] = {}
    for document in assemble(plan):
        rendered = dict(document.texts)
        for choice in document.plan.choices:
            found.setdefault(choice.clause.id, []).extend(rendered[choice.slot])
    return found


def plan_of(path: Path) -> Plan:
    return plan_deal(path, INPUTS)


@pytest.fixture
def example_deal(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> Callable[[dict[str, Any]], Path]:
    def make(spec: dict[str, Any]) -> Path:
        path: Path = write_deal(overlay(acme_data, spec))
        return path

    return make


@pytest.mark.parametrize(("clause", "index"), EXAMPLES)
def test_clause_example_renders_the_expected_phrase(
    clause: Clause, index: int, example_deal: Callable[[dict[str, Any]], Path]
) -> None:
    example = clause.examples[index]
    texts = texts_by_clause(plan_of(example_deal(example.spec)))
    assert clause.id in texts, f"{clause.id} was not chosen for {example.spec}"
    paragraphs = texts[clause.id]
    assert any(example.expect in p for p in paragraphs), "\n".join(paragraphs)
    for paragraph in paragraphs:
        for pattern in DEBRIS:
            assert not re.search(pattern, paragraph), (pattern, paragraph)


@pytest.mark.parametrize("deal", [ACME, MINIMAL], ids=["acme-beta", "minimal"])
def test_reference_deals_fill_every_term_sheet_head_and_block_nothing(deal: Path) -> None:
    plan = plan_of(deal)
    assert plan.findings and {f.severity for f in plan.findings} == {"warn"}
    term_sheet = plan.documents[0]
    chosen = {c.slot for c in term_sheet.choices}
    heads = {s.slot for s in PLAYBOOK.slots_for("term_sheet")} - {
        "annex_royalty_model",
        "annex_scorecard",
        # printed only for a deal that gives per-licensee fields or related agreements.
        "licensee_scope",
        "related_agreements",
        # printed only for a deal that gives representations
        "representations",
        # text only for a deal that has them (a rate schedule, a grant-back).
        "rate_schedule",
        "royalty_taxes",
        # Only where something is payable (the minimal deal is royalty-free): the payment
        # terms, the one rate mechanism, and the cap of a running or tiered royalty.
        "payment_terms",
        "rate_review",
        "royalty_cap",
        # a royalty-free deal has no financial terms to compare: no most-favoured licensee
        "most_favoured_licensee",
        "grant_back_milestones",
        "grant_back_blocking",
        "grant_back_scope_events",
        # printed only where the deal sets governance.clean_team
        "clean_team",
    }
    assert heads <= chosen


def test_every_clause_is_approved_has_examples_and_is_reachable() -> None:
    named = {r.clause for s in PLAYBOOK.slots for r in s.rules} - {"omit"}
    assert named <= set(LIBRARY.clauses), named - set(LIBRARY.clauses)
    for clause in LIBRARY.clauses.values():
        assert clause.status == "approved", clause.id
        assert clause.examples, clause.id
        assert clause.id in named, f"{clause.id} is chosen by no playbook rule"
        slot = next(s for s in PLAYBOOK.slots if s.slot == clause.slot)
        assert clause.id in {r.clause for r in slot.rules}, clause.id


def test_library_covers_every_family_with_more_than_one_clause() -> None:
    families = Counter(cid.split("/")[0] for cid in LIBRARY.clauses)
    assert len(LIBRARY.clauses) >= 30
    assert all(count >= 2 for count in families.values()), families
    positions = {c.position for c in LIBRARY.clauses.values()}
    assert positions == {"preferred", "fallback", "walk-away"}


def test_playbook_defaults_cover_every_section_a_deal_may_leave_out() -> None:
    from clausesmith.deal.model import DEFAULTABLE_SECTIONS

    # and the keys of the sections every deal gives (deal, patents) that it may leave out,
    # and of the items of a list (each)
    assert set(PLAYBOOK.defaults) == {"deal", "patents", "each", *DEFAULTABLE_SECTIONS}
    assert PLAYBOOK.defaults["deal"] == {
        "binding_sections": ["confidentiality", "governing_law", "costs"]
    }


# Each trigger is laid over the reference deal made quiet (conftest.QUIET).
CLEAN = QUIET
SENSITIVE = {"key": "surgical", "name": "surgical robotics", "owner": "acme"}
GUARDRAIL_TRIGGERS: dict[str, dict[str, Any]] = {
    "CL-01-EXCLUSIVE-GRANT-BACK": {"grant_back": {"exclusivity": "exclusive"}},
    "CL-02-ALL-IMPROVEMENTS": {"grant_back": {"scope": "all_improvements"}},
    "CL-03-COMPETITOR-IMPROVEMENT-SHARING": {"grant_back": {"field_limited": False}},
    "CL-04-NO-CHALLENGE": {"challenge": {"no_challenge": True, "right_of_challenge": False}},
    "CL-05-TERMINATION-ON-CHALLENGE": {"challenge": {"termination_on_challenge": True}},
    "CL-06-EU-SAFE-HARBOUR": {"relationship": {"market_share_pct": {"combined": 20.5}}},
    "CL-06-UK-ASSESSMENT": {"territory": {"include": ["WORLD"]}},
    "CL-06-US-SAFETY-ZONE": {"relationship": {"market_share_pct": {"combined": 20.5}}},
    "CL-07-MARKET-ALLOCATION": {"territory": {"exclude": ["DE"]}},
    # Guardrail 7 on every scope key: a customer allocation in an Excluded Product.
    "CL-07-SCOPE-ALLOCATION": {
        "field": {
            "per_licensee": [{"licensee": "beta", "excluded_products": ["arms sold to OEMs"]}]
        }
    },
    "CL-08-PERIODS": {"grant_back": {"sunset_years": None}},
    "CL-10-SIDE-LETTER": {
        "grant_back": {"exclusivity": "exclusive"},
        "side_letters": [
            {
                "key": "surgical",
                "title": "Surgical Robotics Carve-Out",
                "from": "acme",
                "to": "beta",
                "terms": {"excluded_from_grant_back": False},
            }
        ],
    },
    "CL-11-SENSITIVE-FIELD": {
        "carve_outs": {"sensitive_fields": [{**SENSITIVE, "licence": "included"}]}
    },
    "CL-12-COMMITTEE-CHAIR": {
        "grant_back": {"consent": "committee"},
        "governance": {"neutral_chair": False},
    },
    # Sales velocity scored by members the competitor appoints: no neutral chair.
    "CL-13-INFORMATION-EXCHANGE": {"governance": {"neutral_chair": False}},
    "CL-13-ENTRY-NOTICE": {
        "governance": {"clean_team": False},
        "side_letters": [
            {
                "key": "surgical",
                "title": "Surgical Robotics Carve-Out",
                "from": "acme",
                "to": "beta",
                "terms": {"excluded_from_grant_back": True, "notice_before_entry_months": 6},
            }
        ],
    },
    # Royalties paid to the German party (Beta): its licences are not fully paid.
    "CL-14-INSOLVENCY-GERMAN-LICENSOR": {"royalties": {"payer": "acme"}},
    # Competitors, one of whom is not licensed for the other's core products.
    "CL-16-IPSO-FACTO-TERMINATION": {"duration": {"terminate_on_insolvency": "automatic"}},
    "CL-15-FIELD-PER-LICENSEE": {
        "field": {"per_licensee": [{"licensee": "beta", "excluded_products": ["Acme-brand arms"]}]}
    },
    # Guardrail 7 on the words of any key: a hardcore restraint, the same between non-competitors.
    "CL-17-PRICE-OUTPUT-RESEARCH": {
        "grant_back": {"collaboration": "a gripper; neither party will sell below list price"}
    },
    "CL-18-RESTRICTION-TO-ASSESS": {
        "relationship": {"competitors": False, "market_share_pct": None},
        "grant_back": {"collaboration": "a gripper; neither party will sell below list price"},
    },
    "CS-01-FIELDS": {"field": {"excluded": ["robotics"]}},
    "CS-02-LETTER-GRANT-BACK": {"grant_back": {"scope": "none"}},
    "CS-04-GRANT-BACK-WITHOUT-COLLABORATION": {"grant_back": {"collaboration": None}},
    # A defined term no other text of the deal uses.
    "CS-05-UNUSED-DEFINITION": {"definitions": [{"term": "Cobot", "meaning": "a robot arm"}]},
    # a long-stop after the sunset (2029-04-01); a family with no diligence record.
    "CS-06-MILESTONE-PERIOD": {
        "grant_back": {
            "milestones": [{"event": "the first sale", "effect": "lapses", "by": "2030-01-01"}]
        }
    },
    "CS-07-PATENT-DILIGENCE": {
        "patents": {"families": [{"owner": "acme", "ref": "US 1", "title": "A gripper"}]}
    },
    # An en-US deal whose title says "Licence".
    "CS-08-US-TITLE-SPELLING": {"deal": {"governing_law": "new-york", "locale": "en-US"}},
}
# What was read in the Official Journal (docs/legal-basis.md): Arts 3, 4, 5 and 8.
VERIFIED = {"Regulation (EU) 2026/877", "Regulation (EU) 316/2014"}


def test_every_guardrail_has_a_trigger_here_and_cites_its_sources() -> None:
    # CS-03 needs a playbook without one of the binding heads: plan/test_guardrails.py holds it.
    assert [g.id for g in PLAYBOOK.guardrails] == [*GUARDRAIL_TRIGGERS, "CS-03-BINDING-HEADS"]
    for guardrail in PLAYBOOK.guardrails:
        assert guardrail.citations, guardrail.id
        for c in guardrail.citations:
            article = re.match(r"Art (\d+)", c.pinpoint)
            checked = c.identifier in VERIFIED and article and article[1] in {"3", "4", "5", "8"}
            assert c.verified == bool(checked), (guardrail.id, c)
            assert (c.checked_on is not None) == c.verified, (guardrail.id, c)


def test_the_clean_reference_deal_trips_no_guardrail(
    example_deal: Callable[[dict[str, Any]], Path],
) -> None:
    assert plan_of(example_deal(CLEAN)).findings == ()


@pytest.mark.parametrize("rule", list(GUARDRAIL_TRIGGERS))
def test_guardrail_fires_on_the_deal_it_guards(
    rule: str, example_deal: Callable[[dict[str, Any]], Path]
) -> None:
    plan = plan_of(example_deal(overlay(CLEAN, GUARDRAIL_TRIGGERS[rule])))
    assert rule in {f.rule for f in plan.findings}


def test_side_letter_guardrail_fires_when_a_letter_lacks_precedence() -> None:
    deal = plan_of(ACME).deal
    planned = PlannedDeal(deal, LIBRARY.taxonomy, frozenset(), {"surgical": ()})
    assert consistency.side_letters(planned) == []
    lacking = PlannedDeal(deal, LIBRARY.taxonomy, frozenset(), {"surgical": ("precedence",)})
    [hit] = consistency.side_letters(lacking)
    assert hit.path == "side_letters[0]"
    assert hit.facts["problem"] == "Side letter 'surgical' lacks its precedence paragraph"


def test_binding_sections_left_out_take_the_playbook_default_and_null_is_refused(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from clausesmith.cli.main import cli

    text = ACME.read_text(encoding="utf-8")
    line = next(t for t in text.splitlines() if t.startswith("  binding_sections:"))
    left_out = tmp_path / "left-out.yaml"
    left_out.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    explained = CliRunner().invoke(cli, ["explain", str(left_out)])
    assert explained.exit_code == 0, explained.output
    assert "preferred position: deal.binding_sections," in explained.output
    null = tmp_path / "null.yaml"
    null.write_text(text.replace(line, "  binding_sections: null"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(null)])
    assert result.exit_code == 1
    assert f"{null}:14:21: deal.binding_sections: a value is required here" in result.output
