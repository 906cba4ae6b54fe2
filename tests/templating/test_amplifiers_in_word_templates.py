"""A Word template passed with --template runs in the same limited sandbox as clauses and
playbook conditions: the amplifiers removed there are removed here, the rest refused
before their result is built, each with the template named and exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from helpers.deals import MINIMAL
from hostile import word

runner = CliRunner()


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("{{ range(3000)|list|tojson(999999) }}", "No filter named 'tojson'."),
        ("{{ ('a.com ' * 166666)|urlize }}", "No filter named 'urlize'."),
        ("{{ range(99999)|list|random }}", "No filter named 'random'."),
        (
            "{{ 'xxxx'|truncate(1, end='...') }}",
            "truncate(length=1, end=...) with an end of 3 characters, longer than the length; "
            "give a length at least as long as the end",
        ),
        ("{{ 3**9000 }}", "would build a power with a bit length of 18,000; the limit is 10,000"),
    ],
)
def test_an_amplifier_in_a_word_template_is_refused_naming_the_template(
    tmp_path: Path, expression: str, message: str
) -> None:
    paragraph = f'<w:p><w:r><w:t xml:space="preserve">{expression}</w:t></w:r></w:p>'
    data = word.edit_parts(
        (word.TEMPLATES / "term-sheet.docx").read_bytes(), word.add_body_xml(paragraph)
    )
    templates = word.template_folder(tmp_path, data)
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", str(MINIMAL), "-o", str(out), "--template", str(templates)]
    )
    assert result.exit_code == 1, result.output
    assert result.output.startswith(str(templates / "term-sheet.docx"))
    assert message in result.output
    assert not out.exists()
