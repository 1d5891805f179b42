"""Monte Carlo of the drawdown planner with the exact federal tax of every year.

10,000 bootstrap paths × 40 years (a single person from 55 to 94: wages to 60, Social Security,
RMDs, Roth conversions by bracket filling, IRMAA), every year priced by dist401k's tax engine
on all paths at once.  Target (issue 16): under 0.3 s on 2 cores, and random lifetimes at most
1.5× the Monte Carlo without them (``planner_lifetimes.py``, measured here too with
``--lifetimes``).

``--before REV`` measures the package as it was at a git revision beside the current one, in
the same run: each strategy is measured by the revision's code and by the current code in
turn, each in a fresh process (``git archive`` of the revision's ``src/``), so a before and an
after share the minute's load.  Wall seconds (``perf_counter``) and process CPU seconds, best
of ``--repeat``; the success rate of both is printed (it must be the same).

    python benchmarks/planner_montecarlo.py [--paths 10000] [--repeat 3] [--before REV]
                                            [--rounds 2] [--lifetimes 1000] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _report import archive_src, run_with  # noqa: E402

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
STRATEGIES = ("order", "fill")


def measure(kind: str, paths: int, repeat: int) -> dict:
    """One strategy's Monte Carlo with the package first on the path: best wall and CPU
    seconds of ``repeat`` runs (the law gathered by the first, as in every run of a process)."""
    from dist401k.law import default_law
    from dist401k.planner import returns as market
    from dist401k.planner import risk
    from dist401k.planner.household import parse_household
    from dist401k.planner.simulate import Policy, simulate
    from dist401k.planner.timeline import build_timeline

    law = default_law()
    hh = parse_household(CASE)
    tl = build_timeline(hh, law)
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        rets = market.bootstrap(paths, tl.T, seed=1)
        res = simulate(hh, tl, law, rets, Policy(kind, fill_rate=0.22), 95000.0)
        rate = risk.success_rate(res["shortfall"])
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"strategy": kind, "paths": paths, "years": int(tl.T), "seconds": min(wall),
            "cpu_seconds": min(cpu), "paths_per_second": paths / min(wall),
            "success_rate": float(rate), "wall_runs": wall, "cpu_runs": cpu}


def worker(src: str, kind: str, paths: int, repeat: int) -> dict:
    return run_with(src, ROOT / "benchmarks",
                    "import json; import planner_montecarlo as b;"
                    "print(json.dumps(b.measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))",
                    kind, str(paths), str(repeat))


def lifetimes_worker(src: str, paths: int, repeat: int) -> dict:
    return run_with(src, ROOT / "benchmarks",
                    "import json; import planner_lifetimes as b;"
                    "print(json.dumps(b.ratio(int(sys.argv[1]), int(sys.argv[2]))))",
                    str(paths), str(repeat))


def _best(runs: list[dict], key: str) -> float | None:
    vals = [r[key] for r in runs if key in r]
    return min(vals) if vals else None


def _median_of_runs(runs: list[dict], key: str) -> float | None:
    """The median of every run of every process (``key``: a list a process)."""
    vals = [v for r in runs for v in r.get(key, [])]
    return statistics.median(vals) if vals else None


def table(rows: list[dict], before: str | None) -> str:
    if not before:
        lines = ["| strategy | paths × years | seconds | CPU seconds | paths per second |",
                 "|---|---:|---:|---:|---:|"]
        for r in rows:
            a = r["after"]
            lines.append(f"| {r['strategy']} | {a['paths']:,} × {a['years']} | "
                         f"{a['seconds']:.2f} | {a['cpu_seconds']:.2f} | "
                         f"{a['paths_per_second']:,.0f} |")
        return "\n".join(lines)
    lines = ["| strategy | paths × years | wall: before | after | ratio | CPU: before | after "
             "| ratio | CPU median: before | after | ratio | success rate (both) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        b, a = r["before"], r["after"]
        same = "same" if b["success_rate"] == a["success_rate"] else "DIFFERENT"
        lines.append(
            f"| {r['strategy']} | {a['paths']:,} × {a['years']} | {b['seconds']:.2f} s | "
            f"{a['seconds']:.2f} s | {b['seconds'] / a['seconds']:.2f}× | "
            f"{b['cpu_seconds']:.2f} s | {a['cpu_seconds']:.2f} s | "
            f"{b['cpu_seconds'] / a['cpu_seconds']:.2f}× | {b['cpu_median']:.2f} s | "
            f"{a['cpu_median']:.2f} s | {b['cpu_median'] / a['cpu_median']:.2f}× | "
            f"{a['success_rate']:.4f} ({same}) |")
    return "\n".join(lines)


def _lifetimes_line(side: str, paths: int, runs: list[dict]) -> str:
    """The cost of random lifetimes on one side: each process's best CPU seconds, and the
    ratios' least and median over the processes."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return f"- random lifetimes, {side}: {runs[0]['error']}"
    best = min(ok, key=lambda r: r["random"])

    def spread(key: str) -> str:
        vals = [r[key] for r in ok]
        return f"{min(vals):.2f}× (median {statistics.median(vals):.2f}×)"

    return (f"- random lifetimes, {side}: {paths} paths, {len(ok)} process(es): fixed "
            f"{best['fixed']:.2f} s CPU ({best['fixed_years']} years), random "
            f"{best['random']:.2f} s CPU ({best['random_years']} years): {spread('ratio')}; "
            f"fixed lifetimes on the same {best['fixed_same_grid_years']} years "
            f"{best['fixed_same_grid']:.2f} s CPU: {spread('ratio_same_grid')} (budget 1.5×)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs a process, best taken")
    ap.add_argument("--rounds", type=int, default=1,
                    help="processes a strategy and revision, before and after in turn")
    ap.add_argument("--before", help="a git revision to measure beside the current code")
    ap.add_argument("--lifetimes", type=int, default=0, metavar="PATHS",
                    help="also the cost of random lifetimes (planner_lifetimes.py) on PATHS, "
                    "in each of --rounds processes a side")
    ap.add_argument("--write", action="store_true",
                    help="the table into docs/performance.md and benchmarks/results/ JSON")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = str(archive_src(ROOT, args.before, Path(tmp))) if args.before else None
        new = str(ROOT / "src")
        for kind in STRATEGIES:
            runs: dict[str, list[dict]] = {"before": [], "after": []}
            for _ in range(args.rounds):
                if old:
                    runs["before"].append(worker(old, kind, args.paths, args.repeat))
                runs["after"].append(worker(new, kind, args.paths, args.repeat))
            row: dict = {"strategy": kind}
            for side, got in runs.items():
                ok = [g for g in got if "error" not in g]
                if got and not ok:
                    raise SystemExit(f"{side} {kind}: {got[0]['error']}")
                if ok:
                    row[side] = {**ok[0], "seconds": _best(ok, "seconds"),
                                 "cpu_seconds": _best(ok, "cpu_seconds"),
                                 "cpu_median": _median_of_runs(ok, "cpu_runs"),
                                 "paths_per_second": args.paths / _best(ok, "seconds")}
            rows.append(row)
            print(json.dumps(row), flush=True)
        life: dict[str, list[dict]] = {}
        for _ in range(args.rounds if args.lifetimes else 0):
            if old:
                life.setdefault("before", []).append(
                    lifetimes_worker(old, args.lifetimes, args.repeat))
            life.setdefault("after", []).append(lifetimes_worker(new, args.lifetimes, args.repeat))
            print(json.dumps({k: v[-1] for k, v in life.items()}), flush=True)
    load = os.getloadavg()
    lines = [table(rows, args.before), ""]
    for side, runs in life.items():
        lines.append(_lifetimes_line(side, args.lifetimes, runs))
    note = (f"Best (and median) of {args.repeat} runs in each of {args.rounds} process(es) a "
            f"side, the processes of both sides in turn"
            f"{', before = ' + args.before if args.before else ''}; "
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load[0]:.1f}/{load[1]:.1f}/"
            f"{load[2]:.1f} (1/5/15 min) at the end.")
    text = "\n".join([note, "", *lines]).rstrip()
    print(text)
    if args.write:
        from _report import replace_section

        replace_section(ROOT / "docs" / "performance.md", "planner_montecarlo", text)
        out = ROOT / "benchmarks" / "results" / "planner_montecarlo.json"
        out.write_text(json.dumps({"machine": f"{platform.machine()}, {os.cpu_count()} cores",
                                   "python": platform.python_version(),
                                   "when": time.strftime("%Y-%m-%d %H:%M"),
                                   "load_average": [round(x, 1) for x in load],
                                   "before": args.before, "rows": rows, "lifetimes": life},
                                  indent=2))


if __name__ == "__main__":
    main()
