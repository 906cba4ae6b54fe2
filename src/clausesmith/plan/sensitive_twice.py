"""One sensitive field, declared once; side letters that do not say opposite things of it.

Fields are compared through the taxonomy counsel keep, not as strings: "Surgical Robotics"
declared by one owner and "surgical  robotics" by the other are one field with two letters,
and the documents would then say two things of it. Refused as invalid input (exit 1) before
any rule runs, like the other deals the format cannot express coherently.
"""

from __future__ import annotations

from clausesmith.deal import model
from clausesmith.errors import InvalidInput, Problem
from clausesmith.library.fields import Taxonomy


def _same(taxonomy: Taxonomy, a: str, b: str) -> bool:
    return taxonomy.inside(a, b) is not None and taxonomy.inside(b, a) is not None


def _terms(deal: model.Deal, key: str | None) -> model.SideLetterTerms | None:
    letter = next((x for x in deal.side_letters if x.key == key), None)
    return letter.terms if letter is not None else None


def check(deal: model.Deal, taxonomy: Taxonomy) -> None:
    fields = deal.carve_outs.sensitive_fields
    problems = []
    for j, later in enumerate(fields):
        for i, earlier in enumerate(fields[:j]):
            path = f"carve_outs.sensitive_fields[{j}].name"
            if _same(taxonomy, earlier.name, later.name):
                message = (
                    f"{later.name!r} is the field carve_outs.sensitive_fields[{i}] already "
                    f"declares ({earlier.name!r}); declare each sensitive field once, with one "
                    "owner and one side letter"
                )
            elif earlier.side_letter != later.side_letter and (
                taxonomy.inside(later.name, earlier.name)
                or taxonomy.inside(earlier.name, later.name)
            ):
                one, other = _terms(deal, earlier.side_letter), _terms(deal, later.side_letter)
                if one is None or other is None or one == other:
                    continue
                message = (
                    f"{later.name!r} and {earlier.name!r} overlap (one lies inside the other), "
                    f"and their side letters {earlier.side_letter!r} and {later.side_letter!r} "
                    "say different things of them (whether the field is excluded from the "
                    "grant-back, or the notice of entry); give the overlapping fields one letter, "
                    "or the same terms"
                )
            else:
                continue
            problems.append(Problem(deal.locate(path), None, None, path, message))
    if problems:
        raise InvalidInput(problems)
