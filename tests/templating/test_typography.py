"""Typographic quotes in clause wording, never in what the deal's user typed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from clausesmith.templating.sandbox import ENV
from clausesmith.templating.typography import typeset_template


def render(source: str, **values: object) -> str:
    return ENV.from_string(typeset_template(ENV.parse(source))).render(**values)


def test_quotes_around_printed_values_open_and_close() -> None:
    source = (
        'headed {% for s in names %}"{{ s }}"{% if not loop.last %}, {% endif %}{% endfor %}'
        ', the party\'s "Agreement" and ("{{ term }}")'
    )
    assert render(source, names=["A", "B"], term="Z") == (
        "headed “A”, “B”, the party’s “Agreement” and (“Z”)"  # noqa: RUF001
    )


def test_values_keep_their_straight_quotes() -> None:
    assert render('the "{{ name }}" party', name='Smith "Ltd"') == 'the “Smith "Ltd"” party'


def test_documents_have_no_straight_double_quotes_in_clause_wording(
    variant: Callable[..., Path], tmp_path: Path
) -> None:
    name = 'Smith & Söhne "Ltd"'
    deal = variant(
        {
            "parties": [
                {"key": "acme", "name": name, "short_name": "Smith", "jurisdiction": "GB"},
                {
                    "key": "beta",
                    "name": "Beta Automation GmbH",
                    "short_name": "Beta",
                    "jurisdiction": "DE",
                },
            ]
        }
    )
    rendered = render_deal(deal, Inputs(Sources.resolve()), out_dir=tmp_path)
    twin = rendered.files["term-sheet.md"].decode("utf-8")
    assert twin.replace(name, "").count('"') == 0
    assert name in twin
    assert "(the “Agreement”)" in twin
