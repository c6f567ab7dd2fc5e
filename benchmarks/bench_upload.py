"""Benchmark: a filled 3,000-unit × 12-month workbook uploaded through the web page, to the results page shown.

Run by hand, not by the tests::

    python benchmarks/bench_upload.py [--units N] [--repeat R] [--cores C]

It writes the workbook of the bundled 2021 spec for N random units (as ``bench_workbook.py`` does) once,
starts ``assessrules serve`` on a free loopback port pinned to C cores (one by default, where the system lets a
process be pinned), then R times posts the workbook to the upload form exactly as a browser does
(multipart) and follows the redirect to the results page, timing from the first byte sent to the last byte of
the results page received. It prints the best and the median (the target: under 15 s on one core), and checks
that the page ranks every unit. No download is made: each is written on its first request.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

import assessrules
from assessrules.inputs.template import write_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scoring import AS_OF, random_units


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _pin_process(pid: int, cores: int) -> None:
    """Let process ``pid`` run on ``cores`` cores only, where the system can pin a process (Linux)."""
    if hasattr(os, "sched_setaffinity"):
        available = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(pid, set(available[:cores]))


def main() -> None:
    """Write the workbook, start the service, time the uploads, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cores", type=int, default=1)
    parser.add_argument("--downloads", action="store_true", help="also time each download's first request")
    args = parser.parse_args()
    spec = assessrules.load_spec("2021")
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "考核数据.xlsx"
        write_workbook(spec, book, random_units(args.units), filled=True, spec_ref="2021", as_of=AS_OF)
        data = book.read_bytes()
        port = _free_port()
        env = {**os.environ, "TMPDIR": folder}  # the uploads go into this folder, and with it
        server = subprocess.Popen(
            [sys.executable, "-m", "assessrules", "serve", "--port", str(port), "--max-upload", str(len(data) + 1),
             "--timeout", "600"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _pin_process(server.pid, args.cores)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(url + "/specs", timeout=5)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the service did not start") from None
                    time.sleep(0.2)
            times = []
            with httpx.Client(base_url=url, timeout=300, follow_redirects=True) as client:
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    page = client.post("/web/specs/2021/upload", files={"facts": (book.name, data)},
                                       data={"as_of": AS_OF.isoformat()})
                    times.append(time.perf_counter() - started)
                    assert page.status_code == 200 and "/web/results/" in str(page.url), page.text[:500]
                    assert page.text.count("/units/") == args.units, "the page ranks every unit"
                print(f"python {platform.python_version()}, {platform.machine()}, {args.cores} core(s); .xlsx of "
                      f"{args.units:,} units × 12 months, {len(data) / 1e6:.1f} MB")
                print(f"upload → results page: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
                      f"of {args.repeat} (target: under 15 s on one core)", flush=True)
                results = str(page.url)
                made: dict[str, tuple[float, int, int]] = {}
                if args.downloads:
                    for key in re.findall(r'/files/([\w.-]+)"', page.text):
                        started = time.perf_counter()
                        try:
                            answer = client.get(f"{results}/files/{key}")
                        except httpx.TimeoutException:
                            made[key] = (time.perf_counter() - started, 0, 0)  # not made within the client's time
                            continue
                        made[key] = (time.perf_counter() - started, answer.status_code, len(answer.content))
                        seconds, status, size = made[key]
                        print(f"  first download of {key:<26} {seconds:6.2f} s  ({status}, {size / 1e6:.1f} MB)",
                              flush=True)
        finally:
            server.kill()  # a download still being made in a thread would keep it waiting
            server.wait(30)


if __name__ == "__main__":
    main()
