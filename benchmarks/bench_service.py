"""Benchmark: a bounded load on ``assessrules serve`` over loopback.

Run by hand, not by the tests (it needs the serve extra and httpx)::

    python benchmarks/bench_service.py [--requests 2000] [--clients 8] [--workers 1]

It starts the real service (uvicorn) on a free port of 127.0.0.1, sends ``--requests``
``POST /specs/2021/evaluate`` requests (one example unit each, in turn) from ``--clients``
concurrent clients, checks every answer is 200 and the same as the first answer for that unit,
and prints the throughput and the p50/p99 latency. The load is bounded: a fixed number of
requests, no ramp-up, nothing left running.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from assessrules.engine.results import plain

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def client(http: httpx.AsyncClient, jobs: asyncio.Queue[int], units: list[Any],
                 latencies: list[float], answers: dict[int, str]) -> None:
    """Take request numbers from ``jobs`` until none is left; time each request."""
    while True:
        try:
            n = jobs.get_nowait()
        except asyncio.QueueEmpty:
            return
        k = n % len(units)
        started = time.perf_counter()
        response = await http.post("/specs/2021/evaluate", json=units[k])
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"request {n}: {response.status_code} {response.text[:200]}")
        text = response.text
        if answers.setdefault(k, text) != text:
            raise SystemExit(f"request {n}: a different answer for unit {k}")


async def load(url: str, units: list[Any], requests: int, clients: int) -> tuple[float, list[float]]:
    """Send the requests; return the elapsed seconds and each latency."""
    jobs: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        jobs.put_nowait(n)
    latencies: list[float] = []
    answers: dict[int, str] = {}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        await http.post("/specs/2021/evaluate", json=units[0])  # one warm-up request
        started = time.perf_counter()
        await asyncio.gather(*(client(http, jobs, units, latencies, answers) for _ in range(clients)))
        return time.perf_counter() - started, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    units = plain(yaml.safe_load((ROOT / "examples/zhenping-2021-units.yaml").read_text(encoding="utf-8"))["units"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen([sys.executable, "-c", "from assessrules.cli import main; main()", "serve",
                                   "--port", str(port), "--workers", str(args.workers)], stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/specs").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the service did not start")
            elapsed, latencies = asyncio.run(load(url, units, args.requests, args.clients))
        finally:
            server.terminate()
            server.wait(timeout=30)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus; "
          f"uvicorn workers: {args.workers}")
    print(json.dumps({"requests": args.requests, "clients": args.clients, "seconds": round(elapsed, 2),
                      "requests_per_second": round(args.requests / elapsed, 1),
                      "p50_ms": round(cuts[49] * 1000, 1), "p99_ms": round(cuts[98] * 1000, 1)}))


if __name__ == "__main__":
    main()
