"""Clause libraries and playbooks from outside the firm: every hostile template is refused
with its file and line, in bounded time and memory, and nothing it asks for runs."""

from __future__ import annotations

import shutil
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.deal.model import Deal
from clausesmith.errors import InvalidInput
from clausesmith.library.clause import Library, load_clause, render_clause
from clausesmith.library.playbook import load_playbook
from clausesmith.pipeline import Inputs, plan_deal
from clausesmith.plan.planner import plan
from clausesmith.resources import Sources
from helpers.deals import ACME

MAX_SECONDS = 5.0
MAX_PEAK_BYTES = 64 * 1024 * 1024
MARKER = "/tmp/clausesmith-pwned"  # what a smuggled os.system would create

LOAD = "template: "  # refused when the library loads: nothing renders
RENDER = "could not render: "
INTERNAL = "a Python internal; templates may read the deal's values only"
OTHER_FILE = (
    "reads another file; a clause holds its own text only "
    "(copy the text in, or make it a clause of its own)"
)

# (hostile line appended to a clause, expected message after "file:line: ")
CLAUSES = [
    (
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        f"{LOAD}reaches for '__class__', {INTERNAL}",
    ),
    (
        "{{ cycler.__init__.__globals__.os.system('touch " + MARKER + "') }}",
        f"{LOAD}reaches for '__globals__', {INTERNAL}",
    ),
    ("{{ deal['__class__'] }}", f"{LOAD}reaches for '__class__', {INTERNAL}"),
    (
        "{{ (deal|attr('__class__')) }}",
        f"{RENDER}access to attribute '__class__' of 'DealInfo' object is unsafe.",
    ),
    (
        "{{ os.system('touch " + MARKER + "') }}",
        "text reads 'os.system', which a deal does not have",
    ),
    ("{{ lipsum(10**6) }}", "text reads 'lipsum', which a deal does not have"),
    ("{% include '/etc/passwd' %}", f"{LOAD}{{% include %}} {OTHER_FILE}"),
    ("{% import '../../secrets.md' as s %}", f"{LOAD}{{% import %}} {OTHER_FILE}"),
    ("{% from 'other.md' import x %}", f"{LOAD}{{% from-import %}} {OTHER_FILE}"),
    ("{% extends '../base.md' %}", f"{LOAD}{{% extends %}} {OTHER_FILE}"),
    (
        "{% for i in range(10**9) %}x{% endfor %}",
        f"{RENDER}Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
    ),
    (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        f"{RENDER}more than 50,000 loop steps and calls; simplify the template",
    ),
    (
        "{{ 'x' * 10**10 }}",
        f"{RENDER}would build a repeated value of 10,000,000,000; the limit is 1,000,000",
    ),
    (
        "{{ ['x'] * 10**9 }}",
        f"{RENDER}would build a repeated value of 1,000,000,000; the limit is 100,000",
    ),
    (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}",
        f"{RENDER}a joined value that would print as more than 1,000,000 characters",
    ),
    (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}",
        f"{RENDER}would build a joined value of 1,048,576; the limit is 1,000,000",
    ),
    (
        "{{ 'x'|center(10**10) }}",
        f"{RENDER}would build a width of 10,000,000,000; the limit is 1,000,000",
    ),
    (
        "{{ 'x'.ljust(10**10) }}",
        f"{RENDER}would build padded text of 10,000,000,000; the limit is 1,000,000",
    ),
    (
        "{{ '{:>999999999}'.format(1) }}",
        f"{RENDER}would build formatted text of 1,000,000,013; the limit is 1,000,000",
    ),
    (
        "{{ '%0999999999d' % 1 }}",
        f"{RENDER}would build formatted text of 1,000,000,012; the limit is 1,000,000",
    ),
    (
        "{{ ('x' * 1000000)|replace('x', 'yyyy') }}",
        f"{RENDER}would build text of 5,000,004; the limit is 1,000,000",
    ),
    (
        "{{ (['x' * 1000000] * 1000)|join }}",
        f"{RENDER}a repeated value that would print as more than 1,000,000 characters",
    ),
    ("{{ ([[1]] * 100000)|sum(start=[]) }}", f"{RENDER}sum adds numbers only"),
    (
        "{{ [1]|batch(10**9, 'x')|list }}",
        f"{RENDER}would build a batch of 1,000,000,000; the limit is 100,000",
    ),
    (
        "{{ 2 ** (10 ** 8) }}",
        f"{RENDER}would build a power with a bit length of 200,000,000; the limit is 10,000",
    ),
    (
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        f"{RENDER}calls nested deeper than 40 levels (a macro that calls itself?)",
    ),
    (
        "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}",
        f"{RENDER}output longer than 1,000,000 characters",
    ),
    # Round three's amplifiers: filters that build far more than they read are removed,
    # the others' arguments checked first.
    ("{{ range(3000)|list|tojson(999999) }}", f"{LOAD}No filter named 'tojson'."),
    (
        "{{ ('x ' * 99999)|wordwrap(1, wrapstring='y' * 999) }}",
        f"{LOAD}No filter named 'wordwrap'.",
    ),
    ("{{ ('a.com ' * 166666)|urlize }}", f"{LOAD}No filter named 'urlize'."),
    ("{{ range(99999)|list|random }}", f"{LOAD}No filter named 'random'."),
    ("{{ ('é' * 999999)|urlencode }}", f"{LOAD}No filter named 'urlencode'."),
    (
        "{{ 'xxxx'|truncate(1, end='...') }}",
        f"{RENDER}truncate(length=1, end=...) with an end of 3 characters, longer than the "
        "length; give a length at least as long as the end",
    ),
    (
        "{{ '%.999999f' % 1e300 }}",
        f"{RENDER}would build formatted text of 1,000,354; the limit is 1,000,000",
    ),
    (
        "{{ 3**9000 }}",
        f"{RENDER}would build a power with a bit length of 18,000; the limit is 10,000",
    ),
    (
        "{{ ('x\n' * 9999)|indent(99) }}",
        f"{RENDER}would build indented text of 1,009,998; the limit is 1,000,000",
    ),
    # The amplifiers of issue 13: each refused before its result is built.
    (
        "{{ [[1] * 99999] * 99999 }}",
        f"{RENDER}a repeated value that would print as more than 1,000,000 characters",
    ),
    (
        "{{ ['x' * 999999] * 99 }}",
        f"{RENDER}a repeated value that would print as more than 1,000,000 characters",
    ),
    (
        "{{ 'x'.encode() * 2000000000 }}",
        f"{RENDER}would build a repeated value of 2,000,000,000; the limit is 1,000,000",
    ),
    (
        "{{ 'x'.encode().ljust(2000000000) }}",
        f"{RENDER}would build padded text of 2,000,000,000; the limit is 1,000,000",
    ),
    (
        "{% set a = 'x' * 999999 %}{{ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a }}",
        f"{RENDER}a joined value that would print as more than 1,000,000 characters",
    ),
    (
        "{{ '%*d' % (999999999, 1) }}",
        f"{RENDER}would build formatted text of 1,000,000,015; the limit is 1,000,000",
    ),
    (
        "{{ '{:>{}}'.format(1, 999999999) }}",
        f"{RENDER}would build formatted text of 1,000,000,018; the limit is 1,000,000",
    ),
    (
        "{{ '{a:>{b}}'.format_map({'a': 1, 'b': 999999999}) }}",
        f"{RENDER}would build formatted text of 1,000,000,020; the limit is 1,000,000",
    ),
    (
        "{{ 'ab'.translate({97: 'x' * 999999}) }}",
        f"{RENDER}would build translated text of 1,999,998; the limit is 1,000,000",
    ),
    (
        "{% set a = 7 ** 3000 %}{% set b = a * a %}{{ (b * b * b * b) % 7 }}",
        f"{RENDER}would build a product with a bit length of 16,846; the limit is 10,000",
    ),
    # Errors of the template's own making: located, exit 1, never an internal error.
    ("{{ '{1}'.format(1) }}", f"{RENDER}tuple index out of range"),
    ("{{ 'x'.encode('no-such-codec') }}", f"{RENDER}unknown encoding: no-such-codec"),
    (
        "{{ [deal]|map(attribute='nmae')|list }}",
        "reads a value the deal does not have: 'clausesmith.deal.model.DealInfo object' has "
        "no attribute 'nmae'",
    ),
    (
        "{{ " + "(" * 200 + "1" + ")" * 200 + " }}",
        f"{LOAD}nested too deeply (more than 100 expressions or 12 blocks inside one another); "
        "split it into simpler statements",
    ),
    (
        "".join(f"{{% for i{i} in [1] %}}" for i in range(25)) + "x" + "{% endfor %}" * 25,
        f"{LOAD}nested too deeply (more than 100 expressions or 12 blocks inside one another); "
        "split it into simpler statements",
    ),
    (
        "{{ 1" + "|abs" * 5000 + " }}",
        f"{LOAD}nested too deeply (more than 100 expressions or 12 blocks inside one another); "
        "split it into simpler statements",
    ),
]


@pytest.fixture(scope="module")
def shipped() -> tuple[Deal, Library, dict[str, Any]]:
    inputs = Inputs(Sources.resolve())
    the_plan = plan_deal(ACME, inputs)
    return the_plan.deal, inputs.library, the_plan.context


def _measured(action: Callable[[], object]) -> tuple[str, float, int]:
    """The message of the InvalidInput `action` raises, the seconds and peak bytes it took."""
    Path(MARKER).unlink(missing_ok=True)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(InvalidInput) as caught:
            action()
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not Path(MARKER).exists()
    return str(caught.value), seconds, peak


def _hostile_clause(folder: Path, hostile: str) -> tuple[Path, int]:
    shipped_costs = next(Sources.resolve().library.rglob("costs.md"))
    text = shipped_costs.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + hostile + "\n"
    clause = folder / "costs.md"
    clause.write_text(text, encoding="utf-8")
    return clause, len(text.splitlines())


@pytest.mark.parametrize(("hostile", "message"), CLAUSES, ids=[c[0][:40] for c in CLAUSES])
def test_hostile_clause_is_refused_with_file_and_line(
    shipped: tuple[Deal, Library, dict[str, Any]], tmp_path: Path, hostile: str, message: str
) -> None:
    clause, line = _hostile_clause(tmp_path, hostile)
    context = shipped[2]
    found, seconds, peak = _measured(
        lambda: render_clause(load_clause(clause, str(clause)), context)
    )
    assert found == f"{clause}:{line}: {message}"
    assert seconds < MAX_SECONDS
    assert peak < MAX_PEAK_BYTES


def test_render_with_a_hostile_library_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(Sources.resolve().library, library)
    clause = next(library.rglob("costs.md"))
    clause.unlink()
    clause, line = _hostile_clause(clause.parent, "{{ 'x' * 10**10 }}")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["render", str(ACME), "-o", str(out), "--library", str(library)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"{clause}:{line}: could not render: would build a repeated value of "
        "10,000,000,000; the limit is 1,000,000\n"
    )
    assert not out.exists()


# (hostile `when` for the first guardrail, expected message after "file:line: key: ")
CONDITIONS = [
    (
        "grant_back.__class__.__init__.__globals__",
        "guardrails[0].when: condition does not compile: reaches for '__class__', " + INTERNAL,
    ),
    (
        "cycler.__init__.__globals__.os.system('touch " + MARKER + "')",
        "guardrails[0].when: condition does not compile: reaches for '__globals__', " + INTERNAL,
    ),
    (
        "('x' * 10**10) == ''",
        "guardrail CL-01-EXCLUSIVE-GRANT-BACK: condition \"('x' * 10**10) == ''\" failed: "
        "would build a repeated value of 10,000,000,000; the limit is 1,000,000",
    ),
    (
        "range(3000)|list|tojson(999999) == ''",
        "guardrails[0].when: condition does not compile: No filter named 'tojson'.",
    ),
    (
        "'xxxx'|truncate(1, end='...') == ''",
        "guardrail CL-01-EXCLUSIVE-GRANT-BACK: condition \"'xxxx'|truncate(1, end='...') == ''\" "
        "failed: truncate(length=1, end=...) with an end of 3 characters, longer than the "
        "length; give a length at least as long as the end",
    ),
    (
        "range(10**9)|list",
        "guardrail CL-01-EXCLUSIVE-GRANT-BACK: condition 'range(10**9)|list' failed: "
        "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
    ),
]


@pytest.mark.parametrize(("hostile", "message"), CONDITIONS, ids=[c[0][:30] for c in CONDITIONS])
def test_hostile_playbook_condition_is_refused_with_file_and_line(
    shipped: tuple[Deal, Library, dict[str, Any]], tmp_path: Path, hostile: str, message: str
) -> None:
    deal, library, _ = shipped
    playbook = tmp_path / "cross-licence-standard.yaml"
    lines = (Sources.resolve().playbooks / playbook.name).read_text(encoding="utf-8").splitlines()
    index = next(i for i, text in enumerate(lines) if text.lstrip().startswith("when:"))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = f"{indent}when: {hostile!r}".replace("\\'", "''")
    playbook.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found, seconds, peak = _measured(
        lambda: plan(deal, load_playbook(tmp_path, playbook.stem), library)
    )
    assert found == f"{playbook}:{index + 1}: {message}"
    assert seconds < MAX_SECONDS
    assert peak < MAX_PEAK_BYTES


def test_a_hostile_text_twin_template_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(Sources.resolve().templates, templates)
    twin = templates / "term-sheet.md.j2"
    hostile = "{{ cycler.__init__.__globals__.os.system('touch " + MARKER + "') }}\n"
    twin.write_text(twin.read_text(encoding="utf-8") + hostile, encoding="utf-8")
    line = len(twin.read_text(encoding="utf-8").splitlines())
    Path(MARKER).unlink(missing_ok=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["render", str(ACME), "-o", str(out), "--template", str(templates)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"{twin}:{line}: template: access to attribute '__init__' of 'type' object is unsafe.\n"
    )
    assert not Path(MARKER).exists()
    assert not out.exists()


def test_the_short_road_for_dicts_and_dataclasses_reads_as_the_sandbox_does() -> None:
    """LimitedSandbox.getattr skips the sandbox's checks for dict keys and frozen dataclass
    fields; it must give what the plain sandbox gives, for data and for everything else."""
    from dataclasses import dataclass

    from jinja2 import StrictUndefined, UndefinedError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from clausesmith.templating.limits import LimitedSandbox

    @dataclass(frozen=True)
    class Data:
        name: str
        _hidden: str

    @dataclass
    class Mutable:
        name: str

    values: dict[str, Any] = {
        "d": {"items": "shadowed", "name": "Acme", "update": 1},
        "x": Data("Beta", "secret"),
        "m": Mutable("Gamma"),
    }
    expressions = [
        "d.name",
        "d['name']",
        "d.items()|list|length",
        "d.update is defined",
        "x.name",
        "x._hidden is defined",
        "x.name.upper()",
        "m.name",
    ]
    ours = LimitedSandbox(undefined=StrictUndefined)
    plain = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for expression in expressions:
        source = "{{ " + expression + " }}"
        got = ours.from_string(source).render(values)
        assert got == plain.from_string(source).render(values), expression
    assert ours.from_string("{{ d.name }} {{ d.items()|list|length }}").render(values) == "Acme 3"
    for missing in ("{{ d.missing }}", "{{ x.missing }}"):
        with pytest.raises(UndefinedError, match="missing"):
            ours.from_string(missing).render(values)


def test_template_globals_are_the_environments_and_changing_them_changes_no_other() -> None:
    """LimitedSandbox gives each template a plain copy of the globals (make_globals)."""
    from clausesmith.templating.limits import LimitedSandbox

    env = LimitedSandbox()
    first, second = env.from_string("{{ range(3)|list|length }}"), env.from_string("{{ 1 }}")
    assert first.render() == "3"
    assert "lipsum" not in first.globals  # removed from the environment, so from each copy
    first.globals["range"] = None
    assert env.globals["range"] is not None and second.globals["range"] is env.globals["range"]
