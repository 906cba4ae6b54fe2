"""The template amplifiers of issue 13 under a memory cap: each is refused before its result
is built, so a process capped at 1 GB of address space refuses them all, quickly."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clausesmith.templating.limits import RENDER_MEMORY_BYTES

AMPLIFIERS = [
    "{{ [[1] * 99999] * 99999 }}",
    "{{ ['x' * 999999] * 99 }}",
    "{{ 'x'.encode() * 2000000000 }}",
    "{{ 'x'.encode().ljust(2000000000) }}",
    "{% set a = 'x' * 999999 %}{{ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '{:>{}}'.format(1, 999999999) }}",
    "{{ ('x' * 999999).center(999999999) }}",
    "{% set a = 7 ** 3000 %}{% set b = a * a %}{{ (b * b * b * b * b * b * b * b) % 7 }}",
    "{{ ((['x' * 999] * 999)|join) * 999 }}",
    # round three: removed filters (refused when compiled) and checked arguments
    "{{ range(3000)|list|tojson(999999) }}",
    "{{ ('x ' * 99999)|wordwrap(1, wrapstring='y' * 999) }}",
    "{{ ('a.com ' * 166666)|urlize }}",
    "{{ range(99999)|list|random }}",
    "{{ 'xxxx'|truncate(1, end='...') }}",
    "{{ '%.999999f' % 1e300 }}",
    "{{ '{:.999999f}'.format(1e300) }}",
    "{{ 3**9000 }}",
    "{{ ('x\n' * 9999)|indent(99) }}",
]

# Runs in a child with its address space capped: a result built before its check would be
# a MemoryError there (or the child would be killed), not a TemplateLimit.
CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from jinja2 import TemplateAssertionError
from clausesmith.templating.limits import TemplateLimit, bounded_render
from clausesmith.templating.sandbox import make_environment
env = make_environment()
results = []
for source in json.loads(sys.argv[1]):
    start = time.perf_counter()
    try:
        bounded_render(env.from_string(source), {})
        outcome = "rendered"
    except (TemplateLimit, TemplateAssertionError):  # a limit, or a removed filter
        outcome = "refused"
    except MemoryError:
        outcome = "MemoryError"
    results.append((outcome, time.perf_counter() - start))
# VmHWM, this process's own peak: ru_maxrss would carry the forking parent's (pytest's) size.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
print(json.dumps({"results": results, "peak": peak}))
"""


def test_every_amplifier_is_refused_before_it_is_built_under_a_1_gb_cap() -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(AMPLIFIERS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout)
    outcomes = [outcome for outcome, _ in report["results"]]
    assert outcomes == ["refused"] * len(AMPLIFIERS)
    # A hang guard: each stays well inside the sandbox's 10-second deadline.
    assert max(seconds for _, seconds in report["results"]) < 10.0
    assert report["peak"] < RENDER_MEMORY_BYTES


def test_every_template_of_a_deal_shares_one_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thirty clauses of nine seconds each would stall a deal for four minutes; the deal's
    budget stops them all at the stated limit."""
    from clausesmith.templating import limits
    from clausesmith.templating.sandbox import make_environment

    monkeypatch.setattr(limits, "SECONDS", 0.3)
    slow = make_environment().from_string(
        "{% for i in range(40000) %}{% set s = 'x' * 1000 %}{% endfor %}"
    )
    start = time.monotonic()
    with limits.deal_budget(), pytest.raises(limits.TemplateLimit) as caught:
        for _ in range(30):
            limits.bounded_render(slow, {}, seconds=10)
    assert time.monotonic() - start < 1.5
    assert str(caught.value) == (
        "this deal's templates took longer than 0.3 seconds in all; simplify the template"
    )


def test_each_deal_is_processed_within_its_own_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    from clausesmith.batch import outcome

    seen: list[object] = []
    monkeypatch.setattr(outcome, "_process", lambda *a: seen.append(limits_deal()))
    outcome.process(Path("deal.yaml"), outcome.Options("validate"), None)  # type: ignore[arg-type]
    assert seen and seen[0] is not None


def limits_deal() -> object:
    from clausesmith.templating import limits

    return limits._DEAL.get()
