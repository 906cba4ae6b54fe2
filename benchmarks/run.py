"""clausesmith against a plain docxtpl loop: throughput, memory and cold start.

    .venv/bin/python benchmarks/run.py            # N=100 throughput, memory at 100 and 2000
    .venv/bin/python benchmarks/run.py --quick    # N=20, memory at 20 and 200: a smoke run

Generates N deals from examples/acme-beta.yaml with varied values (ids, names, dates,
rates, caps, patents, market shares) into a temporary folder. Every contender runs as a
fresh process, timed from start to exit (interpreter start, imports and loading included:
what CI waits for). The contenders take turns, round after round (baseline, -j 1, -j 2,
baseline, ...), so a slow spell on a shared machine hits all three alike; the median of
the rounds is reported.

clausesmith keeps its compile cache (checked clauses, playbook, prepared Word templates) in
a folder of the benchmark's own, filled by one untimed run first: the state of a CI runner
that keeps its cache between builds, or of a second run on a laptop. The time of that first,
cold-cache run with -j 2 is printed too, for a runner that keeps nothing.

1. baseline: a plain docxtpl loop, a new DocxTemplate per deal rendering the shipped
   term-sheet template with the very context clausesmith builds for that deal (built
   beforehand, untimed, and read from a pickle), then save. Term sheets only.
2. clausesmith render DIR -j 1: the full work, one process (load, validate, playbook, term
   sheet and side letter, Word and text twins, lock file, atomic writes).
3. clausesmith render DIR -j 2.

Peak memory is the largest resident set of any one process of the run (ru_maxrss of the
child processes, read in a fresh wrapper process so runs do not mix).

Redline of a 40-page agreement (`--redline` runs only this): the agreement of
benchmarks/agreement.py (the reference term sheet laid out as a long-form agreement, some
18,000 words, and a counterparty's revision of it), redlined in this process, median of 5;
then the word-level alignment of one long text (what markup does with a long clause) at
the 3,467 words the issue measured, against difflib's SequenceMatcher, the algorithm
redline used before (quadratic: 18,000 words would take minutes).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import difflib
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "examples" / "acme-beta.yaml"
TEMPLATE = ROOT / "templates" / "term-sheet.docx"
BIN = Path(sys.executable).parent
CLAUSESMITH = [str(BIN / "clausesmith")] if (BIN / "clausesmith").exists() else []

BASELINE = """
import pickle, sys
from pathlib import Path
import jinja2
from docxtpl import DocxTemplate

template, contexts, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
with contexts.open("rb") as f:
    while True:
        try:
            name, context = pickle.load(f)
        except EOFError:
            break
        doc = DocxTemplate(template)
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        doc.render(context, jinja_env=env, autoescape=True)
        doc.save(out / f"{name}.docx")
"""

PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

SURNAMES = ["Acme", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa"]


def vary(base: dict[str, Any], i: int) -> dict[str, Any]:
    """The reference deal with values that differ from deal to deal, same structure."""
    deal = copy.deepcopy(base)
    first, second = SURNAMES[i % 10], SURNAMES[(i // 10 + 3) % 10]
    deal["deal"]["id"] = f"bench-{i:05d}"
    deal["deal"]["date"] = dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)
    deal["deal"]["effective_date"] = deal["deal"]["date"] + dt.timedelta(days=30)
    deal["parties"][0]["name"] = f"{first} Robotics {i}, Inc."
    deal["parties"][1]["name"] = f"{second} Automation {i} GmbH"
    deal["relationship"]["market_share_pct"]["combined"] = round(5 + (i % 140) / 10, 1)
    deal["patents"]["capture_period_years"] = 5 + i % 6
    deal["patents"]["families"][0]["ref"] = f"US 11,{200 + i % 800:03d},{i % 1000:03d} B2"
    deal["term"]["years"] = 5 + i % 5
    deal["royalties"]["rate_pct"] = round(1.0 + (i % 20) / 10, 1)
    deal["royalties"]["cap"]["amount"] = 1_000_000 + 50_000 * (i % 40)
    return deal


def generate(n: int, folder: Path) -> list[Path]:
    base = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        path = folder / f"deal-{i:05d}.yaml"
        text = yaml.safe_dump(vary(base, i), sort_keys=False, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def contexts(paths: list[Path], target: Path) -> None:
    """The term-sheet context clausesmith builds for each deal, pickled one after another as
    plain dicts (so the baseline imports nothing of clausesmith to read them)."""
    import dataclasses

    from clausesmith.assemble.assembler import assemble
    from clausesmith.pipeline import Inputs, plan_deal
    from clausesmith.resources import Sources

    inputs = Inputs(Sources.resolve())
    with target.open("wb") as f:
        for path in paths:
            term_sheet = assemble(plan_deal(path, inputs))[0]
            assert term_sheet.kind == "term_sheet"
            pickle.dump((path.stem, dataclasses.asdict(term_sheet.content)), f)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, every process of the run) of one fresh run."""
    cpu, start = cpu_seconds(), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, cpu_seconds() - cpu


def median_time(command: list[str], repeat: int) -> float:
    return statistics.median(timed(command)[0] for _ in range(repeat))


def peak_kib(command: list[str]) -> int:
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *command], check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1])


def render_command(deals: Path, out: Path, jobs: int) -> list[str]:
    return [*CLAUSESMITH, "render", str(deals), "-o", str(out), "-j", str(jobs)]


def throughput(n: int, repeat: int, work: Path) -> tuple[dict[str, tuple[float, float]], float]:
    """Per contender: deals per wall-clock second, deals per CPU second; and the wall
    seconds of the first, cold-cache run of -j 2.

    Every run writes into a new, empty folder, and the folders are deleted only at the end:
    deleting the last run's thousands of files just before a run would leave the kernel
    busy with them during it."""
    folder = work / f"deals-{n}"
    pickled = work / f"contexts-{n}.pickle"
    contexts(generate(n, folder), pickled)
    outputs = work / "outputs"
    runs_made = iter(range(1_000_000))

    def fresh() -> Path:
        out = outputs / f"run-{next(runs_made)}"
        out.mkdir(parents=True)
        return out

    contenders: dict[str, Callable[[Path], list[str]]] = {
        "1. baseline: plain docxtpl loop (term sheets only)": lambda out: [
            sys.executable,
            "-c",
            BASELINE,
            str(TEMPLATE),
            str(pickled),
            str(out),
        ],
        "2. clausesmith render -j 1 (everything)": lambda out: render_command(folder, out, 1),
        "3. clausesmith render -j 2 (everything)": lambda out: render_command(folder, out, 2),
    }
    cold, _ = timed(render_command(folder, fresh(), 2))  # fills the compile cache
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, command in contenders.items():
            runs[name].append(timed(command(fresh())))
    shutil.rmtree(outputs)
    rates = {}
    for name, times in runs.items():
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        rates[name] = (n / wall, n / cpu)
    return rates, cold


def memory(sizes: list[int], work: Path) -> dict[tuple[int, int], int]:
    peaks = {}
    for n in sizes:
        folder = work / f"deals-{n}"
        if not folder.exists():
            generate(n, folder)
        for jobs in (1, 2):
            out = work / f"mem-out-{n}-{jobs}"
            peaks[(n, jobs)] = peak_kib(render_command(folder, out, jobs))
            shutil.rmtree(out, ignore_errors=True)
    return peaks


def cold_start(repeat: int) -> dict[str, float]:
    bare = [sys.executable, "-c", "import yaml, cerberus, click"]
    return {
        "clausesmith --help": median_time([*CLAUSESMITH, "--help"], repeat),
        'python -c "import yaml, cerberus, click"': median_time(bare, repeat),
    }


def redline_figures(repeat: int) -> None:
    from agreement import NAME, agreement

    from clausesmith.tools.compare import sequence as sequence_diff
    from clausesmith.tools.compare import word_diff
    from clausesmith.tools.redline import redline_document

    made = agreement()
    seconds = statistics.median(
        _seconds(lambda: redline_document(made.old, made.new, NAME)) for _ in range(repeat)
    )
    print(f"Redline of a 40-page agreement ({made.words:,} words), median of {repeat}")
    print(f"  clausesmith redline                    {seconds:6.2f} s   target about 1 s")
    old_text, new_text = (_text(side.files[NAME], 3_467) for side in (made.old, made.new))
    a, b = word_diff.tokens(old_text), word_diff.tokens(new_text)
    anchored = statistics.median(
        _seconds(lambda: sequence_diff.opcodes(a, b)) for _ in range(repeat)
    )
    plain = _seconds(lambda: difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    print(
        f"  word alignment of 3,467 words: {anchored * 1000:.0f} ms, difflib {plain * 1000:.0f} ms"
    )
    print(f"  ratio difflib / clausesmith            {plain / anchored:6.0f}x")


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _text(docx: bytes, words: int) -> str:
    """The first `words` words of a Word file's paragraphs, as one text."""
    from clausesmith.docx.wordxml import DOCUMENT, paragraph_text, parse, read_parts, w

    body = parse(read_parts(docx, "agreement")[DOCUMENT], "agreement")
    return " ".join(" ".join(paragraph_text(p) for p in body.iter(w("p"))).split()[:words])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100, help="deals for throughput (100)")
    parser.add_argument("--large", type=int, default=2000, help="deals for memory (2000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the three (5)")
    parser.add_argument("--quick", action="store_true", help="N=20, large=200, repeat 1")
    parser.add_argument("--redline", action="store_true", help="the redline figures only")
    args = parser.parse_args()
    if args.redline:
        redline_figures(max(5, args.repeat))
        return
    if args.quick:
        args.n, args.large, args.repeat = 20, 200, 1
    if not CLAUSESMITH:
        sys.exit(f"no clausesmith next to {sys.executable}; pip install -e . first")
    cores = os.cpu_count()
    print(f"clausesmith benchmark: {cores} cores, Python {sys.version.split()[0]},")
    print(f"median of {args.repeat} rounds, each run a fresh process timed start to exit")
    load = os.getloadavg()[0]
    if load > 0.5:
        print(
            f"WARNING: load average {load:.2f} before starting: other work shares the cores,"
            " so wall-clock rates (and -j 2 most) come out low; deals per CPU second do not"
        )
    print()
    with tempfile.TemporaryDirectory(prefix="clausesmith-bench-") as tmp:
        work = Path(tmp)
        os.environ["CLAUSESMITH_CACHE_DIR"] = str(work / "cache")  # for every contender
        rates, cold = throughput(args.n, args.repeat, work)
        print(f"Throughput, N={args.n} deals{'':<28}deals/s  deals/CPU-s")
        for name, (wall, cpu) in rates.items():
            print(f"  {name:<52} {wall:7.1f}  {cpu:7.1f}")
        (base, base_cpu), (one, one_cpu), (two, _) = rates.values()
        print(
            f"  ratio 2/1 (one process vs baseline)  {one / base:5.2f}x"
            f" (per CPU second {one_cpu / base_cpu:.2f}x)   target >= 1.5x"
        )
        print(f"  ratio 3/1 (-j 2 vs baseline)         {two / base:5.2f}x   target >= 3x")
        print(
            f"  (first run, compile cache empty: -j 2 at {args.n / cold:.1f} deals/s,"
            f" {args.n / cold / base:.2f}x)\n"
        )
        peaks = memory([args.n, args.large], work)
    print("Peak memory (largest resident set of any one process)")
    for (n, jobs), kib in peaks.items():
        print(f"  N={n:<5} -j {jobs}   {kib / 1024:6.1f} MiB")
    for jobs in (1, 2):
        growth = peaks[(args.large, jobs)] / peaks[(args.n, jobs)] - 1
        print(f"  -j {jobs}: N={args.large} vs N={args.n}  {growth:+.1%}   target within 10%")
    starts = cold_start(max(5, args.repeat))
    print("\nCold start (median of 5)")
    for name, seconds in starts.items():
        print(f"  {name:<45} {seconds * 1000:6.0f} ms")
    help_s, bare_s = starts.values()
    print(f"  ratio --help / bare import            {help_s / bare_s:5.2f}x   target <= 1.5x")
    print()
    redline_figures(max(5, args.repeat))


if __name__ == "__main__":
    main()
