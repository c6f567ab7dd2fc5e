"""Benchmark: read a large facts file as YAML and as JSON, against ``json.load`` of the same file.

Run by hand, not by the tests::

    python benchmarks/bench_reading.py [--units N] [--pure-units N] [--repeat R] [--end-to-end]

It writes N units (copies of the example units, twelve months each) as JSON, as YAML in the
example's style (months and records as flow mappings) and as block YAML (as ``dump_yaml`` writes),
then prints MB/s (file size over CPU time of this process, best of R runs) for:

- ``json.load`` of the JSON file: the yardstick;
- ``read_document`` of the JSON file (json with exact Decimals and duplicate keys caught);
- ``read_document`` of each YAML file through libyaml's events;
- the same with every position found, as when a problem has to be shown at its place;
- the node-tree reader, which reads files with aliases and words errors;
- the pure-Python reader, the fallback without libyaml (on ``--pure-units`` units, it is slow).

With ``--end-to-end`` it also times ``assessrules score FILE --format csv -o OUT`` in this process.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import gc
import io
import json
import platform
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from assessrules.cli import run
from assessrules.rules import reading
from assessrules.rules.document import dump_yaml, load_located, read_document

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zhenping-2021-units.yaml"


class _FlowDumper(yaml.SafeDumper):
    """Leaf mappings in flow style, as people write months; numbers and dates as written."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_FlowDumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))


def facts(count: int) -> dict[str, Any]:
    """``count`` copies of the example units, each with its own id."""
    document = read_document(EXAMPLE).data
    units = document["units"]
    out = []
    for i in range(count):
        unit = copy.deepcopy(units[i % len(units)])
        unit["id"] = f"{unit['id']}-{i:05d}"
        out.append(unit)
    return {"spec": document["spec"], "as_of": document["as_of"], "units": out}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # the example's short decimals print back as the same text
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))


def write_files(count: int, folder: Path) -> dict[str, Path]:
    """The same facts as JSON, as flow-style YAML and as block YAML."""
    data = facts(count)
    files = {"json": folder / f"facts-{count}.json", "yaml": folder / f"facts-{count}.yaml",
             "block yaml": folder / f"facts-{count}-block.yaml"}
    files["json"].write_text(json.dumps(data, ensure_ascii=False, indent=1, default=_plain), encoding="utf-8")
    files["yaml"].write_text(yaml.dump(data, Dumper=_FlowDumper, allow_unicode=True, sort_keys=False, width=200,
                                       default_flow_style=None), encoding="utf-8")
    files["block yaml"].write_text(dump_yaml(data), encoding="utf-8")
    return files


def best(repeat: int, work: Callable[[], object]) -> float:
    """The shortest of ``repeat`` runs, in CPU seconds of this process (the machine may be shared)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def show(label: str, path: Path, seconds: float, yardstick: float | None = None) -> None:
    megabytes = path.stat().st_size / 1e6
    ratio = f"  ({seconds / yardstick:5.1f}× json.load)" if yardstick else ""
    print(f"  {label:<40} {megabytes / seconds:8.1f} MB/s  {seconds * 1000:9.1f} ms for {megabytes:.1f} MB{ratio}")


def pure(path: Path) -> object:
    """Read ``path`` as if PyYAML had no libyaml."""
    saved, reading.LIBYAML = reading.LIBYAML, False
    try:
        return read_document(path)
    finally:
        reading.LIBYAML = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=1200)
    parser.add_argument("--pure-units", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--end-to-end", action="store_true", help="also time `score FILE --format csv`")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, PyYAML {yaml.__version__}, libyaml: {reading.LIBYAML}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_files(args.units, folder)
        small = write_files(args.pure_units, folder)
        print(f"{args.units} units × 12 months:")

        def load_json() -> object:
            with files["json"].open(encoding="utf-8") as handle:
                return json.load(handle)

        yardstick = best(args.repeat, load_json)
        show("json.load (yardstick)", files["json"], yardstick)
        show("read_document, JSON", files["json"], best(args.repeat, lambda: read_document(files["json"])), yardstick)
        for kind in ("yaml", "block yaml"):
            show(f"read_document, {kind} (libyaml)", files[kind],
                 best(args.repeat, lambda kind=kind: read_document(files[kind])), yardstick)  # type: ignore[misc]
        for kind in ("json", "yaml"):
            show(f"{kind} with every position (for a problem)", files[kind],
                 best(1, lambda kind=kind: dict(read_document(files[kind]).positions)), yardstick)  # type: ignore[misc]
        text = files["yaml"].read_text(encoding="utf-8")
        show("node tree reader, yaml (aliases, errors)", files["yaml"],
             best(1, lambda: load_located(text, str(files["yaml"]))), yardstick)
        print(f"{args.pure_units} units, the pure-Python fallback:")
        show("read_document, yaml (pure Python)", small["yaml"], best(1, lambda: pure(small["yaml"])))
        if args.end_to_end:
            print(f"end to end, score {args.units} units to CSV (one run each, CPU time):")
            for kind in ("json", "yaml"):
                out = folder / "scores.csv"
                start = time.process_time()
                code = run(["score", str(files[kind]), "--format", "csv", "-o", str(out)], io.StringIO(), io.StringIO())
                seconds = time.process_time() - start
                assert code == 0, f"score exited {code}"
                print(f"  score {kind:<5} → csv {seconds:7.2f} s  {args.units / seconds:8.0f} units/s")


if __name__ == "__main__":
    main()
