"""Benchmark: read a filled 3,000-unit × 12-month data-entry workbook, against calamine reading its cells alone.

Run by hand, not by the tests::

    python benchmarks/bench_workbook.py [--units N] [--repeat R]

It writes the workbook of the bundled 2021 spec for N random units (a year of
the eight monthly items and a few disclosure records each) once, then times,
best of R:

- the yardstick: python-calamine opening the file and giving every sheet's cells as Python values
  (``to_python``), which is the least any reader built on it can do;
- ``read_workbook``: every cell read, checked and turned into facts, each problem located.

It prints both and their ratio (the targets: under 5 s, and at most 2× the yardstick), and
checks on the way that the facts read back are those written. Pass ``--format xls`` or
``ods`` to time the workbook saved by LibreOffice in that format (needs ``soffice``).
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import python_calamine

import assessrules
from assessrules.inputs.template import write_workbook
from assessrules.inputs.workbook import read_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scoring import AS_OF, random_units


def calamine_cells(path: Path) -> int:
    """Give every cell value of every sheet with python-calamine; return how many there were."""
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    count = 0
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False):
            count += len(row)
    wb.close()
    return count


def libreoffice(path: Path, fmt: str) -> Path:
    """The workbook saved by LibreOffice as ``fmt`` (xls or ods), beside it."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice (LibreOffice) is not installed")
    profile = path.parent / "profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", fmt, "--outdir", str(path.parent), str(path)], check=True, capture_output=True)
    return path.with_suffix(f".{fmt}")


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
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--format", choices=("xlsx", "xls", "ods"), default="xlsx")
    args = parser.parse_args()
    spec = assessrules.load_spec("2021")
    units = random_units(args.units)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "考核数据.xlsx"
        started = time.perf_counter()
        write_workbook(spec, path, units, filled=True, spec_ref="2021", as_of=AS_OF)
        written = time.perf_counter() - started
        if args.format != "xlsx":
            path = libreoffice(path, args.format)
        cells = calamine_cells(path)
        document = read_workbook(path, spec)
        assert len(document.data["units"]) == args.units
        read_back = [r.to_dict() for r in spec.evaluate_many(document.data["units"], as_of=AS_OF)]
        assert read_back == [r.to_dict() for r in spec.evaluate_many(units, as_of=AS_OF)]
        yardstick = ours = float("inf")
        for _ in range(args.repeat):  # in turns, so that a busy moment of the machine weighs on both alike
            yardstick = min(yardstick, best_of(1, lambda: calamine_cells(path)))
            ours = min(ours, best_of(1, lambda: read_workbook(path, spec)))
    print(f"python {platform.python_version()}, python-calamine {importlib.metadata.version('python-calamine')}, .{args.format}, "
          f"{args.units:,} units × 12 months, {cells:,} cells (written in {written:.1f} s)")
    print(f"calamine, every sheet's cells:       {yardstick:6.2f} s")
    print(f"read_workbook (read, check, locate): {ours:6.2f} s   {ours / yardstick:.2f}× calamine's own read "
          "(targets: under 5 s, at most 2×)")


if __name__ == "__main__":
    main()
