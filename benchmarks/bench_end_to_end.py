"""Benchmark: a province's facts file to a results file, end to end, on one core.

Run by hand, not by the tests::

    python benchmarks/bench_end_to_end.py [--units 6000] [--format csv|json] [--jobs N] [--cli]

It writes a JSON facts file of ``--units`` units made from the example units
(examples/zhenping-2021-units.yaml: twelve months of the eight monthly items
and their disclosure records each), with ids of their own and the monthly
figures varied, and then, each stage in a fresh process so that its peak
memory is its own:

- the yardsticks: ``json.load`` of the file, and ``json.load`` plus a
  hand-written Decimal scorer of the same rules (benchmarks/bench_scoring.py);
- assessrules without its reader: ``json.load``, then ``evaluate_many``, then
  the CSV or compact JSON report (UTF-8 bytes, as ``score -o`` writes it), written
  to a file; the stages timed apart;
- with ``--reader``, also the located reader (``read_facts``) on the same file;
- with ``--cli``, ``assessrules score FILE --format F -o OUT [--jobs N]``, timed
  from outside (wall and CPU time of the process and its workers, peak memory).

It prints CPU seconds, wall seconds, units per second, peak memory, and the
ratios to the yardsticks.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

import assessrules

HERE = Path(__file__).parent
EXAMPLE = HERE.parent / "examples" / "zhenping-2021-units.yaml"


def make_facts(count: int, seed: int = 11) -> dict[str, Any]:
    """``count`` units from the example ones, each with its own id and its monthly figures varied."""
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    units = []
    for i in range(count):
        unit = copy.deepcopy(example["units"][i % len(example["units"])])
        unit["id"] = f"{unit['id']}-{i:05d}"
        for month in unit["periods"].values():
            month["info_published"] = rng.randint(3, 12)
            month["online_service_ratio"] = rng.randint(85, 100) / 100
        units.append(unit)
    return {"spec": "2021", "as_of": example["as_of"], "units": units}


def _date(text: Any) -> Any:
    return dt.date.fromisoformat(text) if isinstance(text, str) else text


def hand_written_unit(unit: dict[str, Any]) -> tuple[Decimal, str, Decimal]:
    """The hand-written scorer on a unit as json.load gives it: dates are text until read."""
    from bench_scoring import hand_written  # type: ignore[import-not-found,unused-ignore]

    facts = dict(unit["facts"])
    facts["disclosures"] = [{**r, "formed": _date(r["formed"]), "published": _date(r.get("published")),
                             "deadline": r.get("deadline")} for r in facts.get("disclosures", ())]
    result: tuple[Decimal, str, Decimal] = hand_written({**unit, "facts": facts, "target": Decimal(unit["target"])})
    return result


class Clock:
    """CPU and wall seconds of each named stage."""

    def __init__(self) -> None:
        self.stages: dict[str, tuple[float, float]] = {}
        self._start = (time.process_time(), time.perf_counter())

    def lap(self, name: str) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        self.stages[name] = (cpu - self._start[0], wall - self._start[1])
        self._start = (cpu, wall)


def stage(kind: str, path: str, fmt: str, out: str) -> dict[str, Any]:
    """Run one stage in this (fresh) process; return its timings and peak memory."""
    clock = Clock()
    if kind == "json.load":
        with open(path, encoding="utf-8") as fh:
            json.load(fh, parse_float=Decimal)
        clock.lap("json.load")
    elif kind == "hand-written":
        sys.path.insert(0, str(HERE))
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh, parse_float=Decimal)
        clock.lap("json.load")
        [hand_written_unit(u) for u in data["units"]]
        clock.lap("hand-written scorer")
    elif kind == "reader":
        from assessrules.inputs.facts_file import read_facts

        read_facts(path)
        clock.lap("read_facts (located reader)")
    elif kind == "assessrules":
        from assessrules.cli import write_output
        from assessrules.outputs.report import render_csv, render_json_compact_bytes

        spec = assessrules.load_spec("2021")
        clock.lap("load the spec")
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh, parse_float=Decimal)
        clock.lap("json.load")
        results = spec.evaluate_many(data["units"], as_of=dt.date.fromisoformat(data["as_of"]))
        clock.lap("evaluate_many")
        text = (render_csv if fmt == "csv" else render_json_compact_bytes)(spec, results)  # as `score -o` makes them
        clock.lap(f"render {fmt}")
        write_output(text, out, sys.stdout)
        clock.lap("write")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stages": clock.stages, "peak_mb": peak}


def in_fresh_process(kind: str, path: str, fmt: str, out: str) -> dict[str, Any]:
    """Run :func:`stage` in a new Python process and read back what it measured."""
    done = subprocess.run([sys.executable, __file__, "--stage", kind, path, fmt, out], check=True,
                          capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def show(title: str, result: dict[str, Any], units: int) -> float:
    """Print each stage and the total; return the total CPU seconds."""
    total: float = sum(cpu for cpu, _ in result["stages"].values())
    wall = sum(w for _, w in result["stages"].values())
    print(f"\n{title} — peak memory {result['peak_mb']:,.0f} MB")
    for name, (cpu, w) in result["stages"].items():
        print(f"  {name:<34} {cpu:7.2f} s CPU  {w:7.2f} s wall  {units / max(cpu, 1e-9):>10,.0f} units/s")
    print(f"  {'total':<34} {total:7.2f} s CPU  {wall:7.2f} s wall  {units / max(total, 1e-9):>10,.0f} units/s")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=6000)
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--jobs", type=int, default=1, help="for --cli: worker processes")
    parser.add_argument("--reader", action="store_true", help="also time the located reader (slow before issue 11's reader)")
    parser.add_argument("--cli", action="store_true", help="also run `assessrules score` on the file")
    parser.add_argument("--stage", nargs=4, metavar=("KIND", "FILE", "FORMAT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(*args.stage)))
        return
    with tempfile.TemporaryDirectory(prefix="assessrules-bench-") as tmp:
        path = os.path.join(tmp, "units.json")
        out = os.path.join(tmp, f"results.{args.format}")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(make_facts(args.units), fh, ensure_ascii=False, default=str)
        size = os.path.getsize(path) / 1e6
        print(f"assessrules {assessrules.__version__}, Python {platform.python_version()}, {platform.machine()}: "
              f"{args.units:,} units × 12 months with disclosure records, {size:.1f} MB of JSON → {args.format}")
        loaded = show("yardstick: json.load", in_fresh_process("json.load", path, args.format, out), args.units)
        hand = show("yardstick: json.load + hand-written Decimal scorer",
                    in_fresh_process("hand-written", path, args.format, out), args.units)
        ours = in_fresh_process("assessrules", path, args.format, out)
        show(f"assessrules: json.load + evaluate_many + {args.format} report (the reader left out)", ours, args.units)
        rest = sum(cpu for name, (cpu, _) in ours["stages"].items() if name != "load the spec")
        print(f"\n  ratio to json.load + hand-written: {rest / hand:.2f}× (target ≤ 3×); to json.load alone: "
              f"{rest / loaded:.1f}×; output {os.path.getsize(out) / 1e6:.1f} MB")
        if args.reader:
            read = show("the located reader: read_facts", in_fresh_process("reader", path, args.format, out), args.units)
            print(f"  reader: {size / read:.1f} MB/s")
        if args.cli:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "assessrules", "score", path, "--format", args.format, "-o", out,
                            "--jobs", str(args.jobs)], check=True)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"\nassessrules score --format {args.format} --jobs {args.jobs}: {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"(all processes), peak memory {after.ru_maxrss / 1024:,.0f} MB (largest process), "
                  f"{args.units / wall:,.0f} units/s")


if __name__ == "__main__":
    main()
