"""API load: requests per second and p50/p99 latency of POST /assess on loopback.

    python benchmarks/api_load.py [--clients 50] [--requests 2000] [--workers 2] [--write docs/performance.md]

Starts `dist401k serve` (uvicorn, N worker processes) on a free port, then a bounded async
client (httpx) keeps `clients` requests in flight until `requests` have completed; every
response must be 200. The machine is shared: compare within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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


async def run(url: str, body: dict, clients: int, total: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    sent = 0
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=clients)) as c:
        async def worker():
            nonlocal sent, errors
            while sent < total:
                sent += 1
                t = time.perf_counter()
                try:
                    r = await c.post(url, json=body)
                    errors += r.status_code != 200
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - t)
        await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
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
        body = json.loads(json.dumps(yaml.safe_load(
            (ROOT / "examples/cases/hardship-medical.yaml").read_text()), default=str))
        asyncio.run(run(base + "/assess", body, 4, 40))  # warm every worker
        t = time.perf_counter()
        lat, errors = asyncio.run(run(base + "/assess", body, args.clients, args.requests))
        wall = time.perf_counter() - t
    finally:
        server.terminate()
        server.wait()
    ms = np.array(lat) * 1000
    line = (f"| POST /assess | {args.clients} | {args.workers} | {len(lat):,} | "
            f"{len(lat) / wall:,.0f} | {np.percentile(ms, 50):,.0f} ms | "
            f"{np.percentile(ms, 99):,.0f} ms | {errors} |")
    table = ("| endpoint | concurrent clients | server workers | requests | requests/s | p50 | "
             "p99 | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n" + line)
    print(table)
    if args.write:
        replace_section(args.write, "api_load", table)


if __name__ == "__main__":
    main()
