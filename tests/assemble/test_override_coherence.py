"""An override changes the document, or it is refused naming the heads that contradict it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from clausesmith.errors import InvalidInput
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from helpers.deals import COUNSEL, REASON, ROOT

NO_CHALLENGE = {
    "challenge": {"no_challenge": True, "right_of_challenge": False},
    "overrides": [
        {"rule": "CL-04-NO-CHALLENGE", "approved_by": "Counsel", "date": "2026-03-01",
         "reason": REASON}
    ],
}  # fmt: skip
SAYS_CHALLENGE_IS_FREE = (
    "will not be a breach",
    "The standstill does not restrict either party from challenging",
    "A challenge to the validity of a patent, a defence",
    "or from challenging the validity of a patent before the court",
)


def twin(path: Path, tmp_path: Path, playbooks: Path = ROOT / "playbooks") -> str:
    inputs = Inputs(Sources.resolve(playbooks=playbooks, counsel=COUNSEL))
    files = render_deal(path, inputs, out_dir=tmp_path / "out").files
    return files["term-sheet.md"].decode("utf-8")


def test_an_overridden_no_challenge_is_not_contradicted_by_any_head(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    text = twin(variant(NO_CHALLENGE), tmp_path)
    assert "each party undertakes not to challenge" in text
    for words in SAYS_CHALLENGE_IS_FREE:
        assert words not in text
    assert "Until the Agreement is signed, the standstill does not restrict" in text


def test_without_the_override_the_heads_keep_the_right_to_challenge(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    text = twin(variant({}), tmp_path)
    for words in SAYS_CHALLENGE_IS_FREE[:3]:
        assert words in text


def test_an_exclusive_grant_back_drops_the_owner_s_freedom_to_license(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    exclusive = {
        "grant_back": {"exclusivity": "exclusive"},
        "overrides": [{**NO_CHALLENGE["overrides"][0], "rule": "CL-01-EXCLUSIVE-GRANT-BACK"}],
    }
    text = twin(variant(exclusive), tmp_path)
    assert "otherwise exploits or licenses its Improvements" not in text


def playbooks_where_a_head_contradicts(tmp_path: Path) -> Path:
    """The shipped playbook, with a phrase Licence Duration always prints named as one that
    contradicts a no-challenge override."""
    books = tmp_path / "books"
    books.mkdir()
    text = (ROOT / "playbooks" / "cross-licence-standard.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    contradicted_by:             # heads that say a challenge is free, beside an "
        "undertaking not to\n",
        "    contradicted_by:\n"
        '      - "Licensed Products sold before the termination will remain licensed"\n',
        1,
    )
    (books / "cross-licence-standard.yaml").write_text(text, encoding="utf-8")
    return books


def test_a_head_that_still_contradicts_the_override_refuses_it_by_name(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    books = playbooks_where_a_head_contradicts(tmp_path)
    with pytest.raises(InvalidInput) as refused:
        twin(variant(NO_CHALLENGE), tmp_path, books)
    [problem] = refused.value.problems
    assert problem.key == "overrides[0].rule"
    assert problem.message.startswith(
        'the override of CL-04-NO-CHALLENGE accepts a position that "Licence Duration and '
        'Termination" (term-sheet: "Licensed Products sold before the termination will remain '
        'licensed") still contradicts; the documents would contradict themselves, so the '
        "override is refused"
    )


def test_validate_refuses_the_incoherent_override_as_render_does(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    from clausesmith.pipeline import validate_deal

    books = playbooks_where_a_head_contradicts(tmp_path)
    inputs = Inputs(Sources.resolve(playbooks=books, counsel=COUNSEL))
    with pytest.raises(InvalidInput) as refused:
        validate_deal(variant(NO_CHALLENGE), inputs)
    [problem] = refused.value.problems
    assert problem.message.startswith("the override of CL-04-NO-CHALLENGE accepts a position")
