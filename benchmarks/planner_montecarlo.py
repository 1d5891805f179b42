"""Monte Carlo of the drawdown planner with the exact federal tax of every year.

10,000 bootstrap paths × 40 years (a single person from 55 to 94: wages to 60, Social Security,
RMDs, Roth conversions by bracket filling, IRMAA), every year priced by dist401k's tax engine
on all paths at once.  Target (issue 5): under 5 s on 2 cores.

    python benchmarks/planner_montecarlo.py [--paths 10000] [--repeat 3] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dist401k.law import default_law  # noqa: E402
from dist401k.planner import returns as market  # noqa: E402
from dist401k.planner import risk  # noqa: E402
from dist401k.planner.household import parse_household  # noqa: E402
from dist401k.planner.simulate import Policy, simulate  # noqa: E402
from dist401k.planner.timeline import build_timeline  # noqa: E402

CASE = {
    "id": "forty-years", "start_year": 2026,
    "people": [{"birth_date": "1971-04-01", "life_expectancy": 94, "retirement_age": 60,
                "wages": 150000, "separated_at_55": True,
                "social_security": {"monthly_at_full_age": 3000, "claim_age": 67},
                "accounts": {"pretax": 1500000, "roth": 150000, "roth_first_year": 2010}}],
    "taxable": {"balance": 300000, "basis": 200000},
    "cash": 40000,
    "spending": {"annual": 95000},
    "magi_history": [180000, 180000],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    law = default_law()
    hh = parse_household(CASE)
    tl = build_timeline(hh, law)
    rows = []
    for kind in ("order", "fill"):
        best = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            rets = market.bootstrap(args.paths, tl.T, seed=1)
            res = simulate(hh, tl, law, rets, Policy(kind, fill_rate=0.22), 95000.0)
            rate = risk.success_rate(res["shortfall"])
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        rows.append({"strategy": kind, "paths": args.paths, "years": tl.T, "seconds": best,
                     "paths_per_second": args.paths / best, "success_rate": rate})
        print(json.dumps(rows[-1]), flush=True)
    if args.write:
        out = ROOT / "benchmarks" / "results" / "planner_montecarlo.json"
        out.write_text(json.dumps({"machine": f"{platform.machine()}, {os.cpu_count()} cores",
                                   "python": platform.python_version(),
                                   "when": time.strftime("%Y-%m-%d"), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
