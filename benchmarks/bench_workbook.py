"""Benchmark: read a filled 3,000-unit × 12-month data-entry workbook, against openpyxl reading its cells alone.

Run by hand, not by the tests::

    python benchmarks/bench_workbook.py [--units N] [--repeat R]

It writes the workbook of the bundled 2021 spec for N random units (a year of
the eight monthly items and a few disclosure records each) once, then times,
best of R:

- the yardstick: openpyxl in read-only mode iterating every cell's value of every sheet;
- ``read_workbook``: every cell read, checked and turned into facts, each problem located.

It prints both and their ratio (the target is at most 3×), and checks on the way
that the facts read back are those written.
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

import assessrules
from assessrules.inputs.template import write_workbook
from assessrules.inputs.workbook import read_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scoring import AS_OF, random_units


def openpyxl_cells(path: Path) -> int:
    """Iterate every cell value of every sheet in openpyxl's read-only mode; return how many there were."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            count += len(row)
    wb.close()
    return count


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The shortest wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    """Write the workbook, time both readers, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    spec = assessrules.load_spec("2021")
    units = random_units(args.units)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "考核数据.xlsx"
        started = time.perf_counter()
        write_workbook(spec, path, units, filled=True, spec_ref="2021", as_of=AS_OF)
        written = time.perf_counter() - started
        cells = openpyxl_cells(path)
        document = read_workbook(path, spec)
        assert len(document.data["units"]) == args.units
        read_back = [r.to_dict() for r in spec.evaluate_many(document.data["units"], as_of=AS_OF)]
        assert read_back == [r.to_dict() for r in spec.evaluate_many(units, as_of=AS_OF)]
        yardstick = best_of(args.repeat, lambda: openpyxl_cells(path))
        ours = best_of(args.repeat, lambda: read_workbook(path, spec))
    print(f"python {platform.python_version()}, openpyxl {openpyxl.__version__}, {args.units:,} units × 12 months, "
          f"{cells:,} cells (written in {written:.1f} s)")
    print(f"openpyxl read-only, iterating the cells: {yardstick:6.2f} s")
    print(f"read_workbook (read, check, locate):    {ours:6.2f} s   {ours / yardstick:.2f}× the yardstick (target ≤ 3×)")


if __name__ == "__main__":
    main()
