"""Benchmark: how long a default `assessrules check` takes, and how often it catches the mutant corpus.

Run by hand, not by the tests::

    python benchmarks/bench_check.py [--seeds N] [--mutants]

It prints the time of a default check of the bundled 2021 spec (per invariant, and in all) for each
seed; with ``--mutants`` it also runs a default check of every spec in ``tests/mutants/`` on each
seed and prints how many seeds caught it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

import assessrules
from assessrules.authoring.invariants import check_spec
from assessrules.errors import SpecError

ROOT = Path(__file__).parent.parent


def time_2021(seed: int) -> None:
    """Print the time of each invariant and of the whole check, for one seed."""
    spec = assessrules.load_spec("2021")
    started = time.perf_counter()
    times: dict[str, float] = {}
    last = [started]

    def progress(name: str, state: str) -> None:
        now = time.perf_counter()
        if state != "running":
            times[name] = now - last[0]
        last[0] = now

    broken = check_spec(spec, seed=seed, progress=progress)
    total = time.perf_counter() - started
    slowest = ", ".join(f"{n} {t:.2f}" for n, t in sorted(times.items(), key=lambda x: -x[1])[:4])
    print(f"seed {seed}: {total:.1f} s, {len(broken)} broken (slowest: {slowest})")


def mutants(seeds: list[int]) -> None:
    """Print, for each mutant, how many of the seeds caught it and by what."""
    base = (ROOT / "specs" / "2021.yaml").read_text(encoding="utf-8")
    for path in sorted((ROOT / "tests" / "mutants").glob("*.yaml")):
        mutant = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = base
        for old, new in (("replace", "with"), ("replace2", "with2")):
            if old in mutant:
                text = text.replace(mutant[old], mutant[new])
        with tempfile.TemporaryDirectory() as folder:
            spec_path = Path(folder) / "2021.yaml"
            spec_path.write_text(text, encoding="utf-8")
            try:
                spec = assessrules.load_spec(spec_path)
            except SpecError:
                print(f"{path.stem:<40} validate")
                continue
            caught = [sorted({v.invariant for v in check_spec(spec, seed=s)}) for s in seeds]
        hits = sum(1 for c in caught if mutant["caught_by"] in c)
        print(f"{path.stem:<40} {hits}/{len(seeds)} seeds by {mutant['caught_by']} (all reports: {caught[0]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--mutants", action="store_true")
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))
    for seed in seeds:
        time_2021(seed)
    if args.mutants:
        mutants(seeds)


if __name__ == "__main__":
    main()
