"""API load: requests per second and p50/p99 latency of POST /assess on loopback.

    python benchmarks/api_load.py [--clients 50] [--requests 3000] [--workers 2] [--think 1]
                                  [--write docs/performance.md]

Starts `dist401k serve` (uvicorn, N worker processes) on a free port, then a bounded async
client keeps `clients` requests in flight until `requests` have completed (no pause between
requests: the server's saturation), for the costliest example and for all the examples in
turn; then the examples again with each client pausing about `think` seconds after each
answer. Every response must be 200. The machine is shared: compare within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import httpx
import numpy as np
import yaml
from _report import replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Budget:
    def __init__(self, total: int):
        self.left = total

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


async def _connection(host: str, port: int, requests: list[bytes], budget: _Budget,
                      latencies: list[float], statuses: list[int], offset: int,
                      think: float = 0.0) -> None:
    """One keep-alive HTTP/1.1 connection sending its requests one after the other, pausing
    ``think`` seconds on average (0.5–1.5 × think, at random) after each answer."""
    reader, writer = await asyncio.open_connection(host, port)
    k = offset
    pause = random.Random(offset)
    try:
        if think:
            await asyncio.sleep(pause.uniform(0, think))  # the clients start spread out
        while budget.take():
            req = requests[k % len(requests)]
            k += 1
            t = time.perf_counter()
            writer.write(req)
            status = int((await reader.readline()).split()[1])
            length = None
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                raise RuntimeError("response without Content-Length")
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t)
            statuses.append(status)
            if think:
                await asyncio.sleep(think * pause.uniform(0.5, 1.5))
    finally:
        writer.close()


async def run(host: str, port: int, path: str, bodies: list[bytes], clients: int,
              total: int, think: float = 0.0) -> tuple[list[float], int]:
    """``clients`` connections keep one request each in flight until ``total`` are answered:
    a closed loop, with no pause between requests unless ``think`` is given. A minimal client
    on asyncio streams, so that the client's own work takes as little of the shared cores as
    it can."""
    requests = [(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json"
                 f"\r\nContent-Length: {len(b)}\r\n\r\n").encode() + b for b in bodies]
    latencies: list[float] = []
    statuses: list[int] = []
    budget = _Budget(total)
    results = await asyncio.gather(*(_connection(host, port, requests, budget, latencies,
                                                 statuses, i, think) for i in range(clients)),
                                   return_exceptions=True)
    errors = sum(s != 200 for s in statuses) + sum(isinstance(r, Exception) for r in results)
    return latencies, errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--think", type=float, default=1.0,
                    help="a third run: each client pauses this long (on average) after each "
                    "answer, as a person at the web page or a paced system would (0: skip)")
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    port = free_port()
    env = {**os.environ, "DIST401K_DATABASE_URL": "sqlite:////tmp/dist401k-load.db"}
    server = subprocess.Popen([sys.executable, "-m", "dist401k.cli", "serve", "--port",
                               str(port), "--workers", str(args.workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        ok = 0
        for _ in range(400):  # every worker up: twenty healthy answers in a row
            try:
                ok = ok + 1 if httpx.get(base + "/health").status_code == 200 else 0
            except httpx.HTTPError:
                ok = 0
            if ok >= 20:
                break
            time.sleep(0.1)
        host = "127.0.0.1"
        one = [_body(ROOT / "examples/cases/hardship-medical.yaml")]
        every = [_body(p) for p in sorted((ROOT / "examples/cases").glob("*.yaml"))]
        # Warm every worker at the measured concurrency (caches of the law per year and
        # filing status, first batches of each size): the runs below measure the steady state.
        asyncio.run(run(host, port, "/assess", every, args.clients, 10 * args.clients))
        rows = []
        runs = [("hardship-medical (the costliest example)", one, 0.0, args.requests),
                (f"the {len(every)} example cases in turn", every, 0.0, args.requests),
                (f"the {len(every)} example cases in turn", every, args.think,
                 int(args.clients * 20 / args.think) if args.think else 0)]
        for label, bodies, think, total in runs:
            if not total:
                continue
            t = time.perf_counter()
            lat, errors = asyncio.run(run(host, port, "/assess", bodies, args.clients, total,
                                          think))
            wall = time.perf_counter() - t
            ms = np.array(lat) * 1000
            pace = f"pause {think:g} s" if think else "no pause"
            rows.append(f"| POST /assess: {label} | {args.clients}, {pace} | {args.workers} | "
                        f"{len(lat):,} | {len(lat) / wall:,.0f} | "
                        f"{np.percentile(ms, 50):,.0f} ms | {np.percentile(ms, 99):,.0f} ms | "
                        f"{errors} |")
    finally:
        server.terminate()
        server.wait()
    table = ("| request | concurrent clients | server workers | requests | requests/s | p50 | "
             "p99 | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows))
    print(table)
    if args.write:
        replace_section(args.write, "api_load", table)


def _body(path: Path) -> bytes:
    return json.dumps(yaml.safe_load(path.read_text()), default=str).encode()


if __name__ == "__main__":
    main()
