"""Would two threads speed up the drawdown Monte Carlo?  The benchmark's case
(``planner_montecarlo.py``: 10,000 paths × 40 years) run as one batch, and split into 2 or 4
batches of paths run on a thread pool (the draws made first, then split; the paths are
independent, so the answers are the same).  NumPy releases the GIL inside an array operation;
this measures whether that pays on batches of a few thousand paths, where each operation is a
few microseconds.  Wall and process CPU seconds, least and median of ``--repeat`` runs, with
the load average.

    python benchmarks/planner_threads.py [--paths 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "benchmarks")]
import planner_montecarlo as bench  # noqa: E402

from dist401k.law import default_law  # noqa: E402
from dist401k.planner import returns as market  # noqa: E402
from dist401k.planner.household import parse_household  # noqa: E402
from dist401k.planner.simulate import Policy, simulate  # noqa: E402
from dist401k.planner.timeline import build_timeline  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    law = default_law()
    hh = parse_household(bench.CASE)
    tl = build_timeline(hh, law)
    pool = ThreadPoolExecutor(4)
    for kind in bench.STRATEGIES:
        policy = Policy(kind, fill_rate=0.22)

        def run(rets, policy=policy):
            return simulate(hh, tl, law, rets, policy, 95000.0)

        run(market.bootstrap(args.paths, tl.T, seed=1))  # the law gathered once
        for parts in (1, 2, 4):
            wall, cpu = [], []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                rets = market.bootstrap(args.paths, tl.T, seed=1)
                cuts = np.linspace(0, args.paths, parts + 1).astype(int)
                batches = [{k: v[a:b] for k, v in rets.items()}
                           for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
                list(pool.map(run, batches))
                wall.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            print(f"{kind}, {parts} batch(es) on threads: wall {min(wall):.2f} s (median "
                  f"{statistics.median(wall):.2f}), CPU {min(cpu):.2f} s (median "
                  f"{statistics.median(cpu):.2f}); load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
