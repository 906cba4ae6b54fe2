"""The template amplifiers of issue 13 under a memory cap: each is refused before its result
is built, so a process capped at 1 GB of address space refuses them all, quickly."""

from __future__ import annotations

import json
import subprocess
import sys

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
]

# Runs in a child with its address space capped: a result built before its check would be
# a MemoryError there (or the child would be killed), not a TemplateLimit.
CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from clausesmith.templating.limits import TemplateLimit, bounded_render
from clausesmith.templating.sandbox import make_environment
env = make_environment()
results = []
for source in json.loads(sys.argv[1]):
    start = time.perf_counter()
    try:
        bounded_render(env.from_string(source), {})
        outcome = "rendered"
    except TemplateLimit:
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
    assert report["peak"] < 200 * 1024 * 1024
