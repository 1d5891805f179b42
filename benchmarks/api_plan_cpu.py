"""What one ``POST /plan`` request costs in CPU: each shipped plan and the longest plan the API's
bounds admit, as the API computes them (``make_plan`` and ``plan_json``, the Monte Carlo paths
cut by ``request_paths``), in thread CPU seconds (``time.thread_time``), warm (the law already
gathered, as in a running server), best and median of ``--repeat``.

``--before REV`` measures the package as it was at a git revision beside the current one, in
the same run: each plan is measured by the revision's code and by the current code in turn, in
separate processes (``git archive`` of the revision's ``src/``), so a before and after share
the machine's load of that minute.

    python benchmarks/api_plan_cpu.py [--paths 0,500] [--repeat 3] [--before REV] [--write]
    python benchmarks/api_plan_cpu.py --profile couple-social-security   # cProfile, top 25

``--write`` writes the table into docs/performance.md (section ``api_plan_cpu``) and the
figures to benchmarks/results/api_plan_cpu.json.
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

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _report import archive_src, run_with  # noqa: E402

PLANS = ROOT / "examples" / "plans"

#: The longest plan the API's bounds admit: a couple aged 26 in 2026 planning to 100, the plan
#: ending in 2100 (the last year of projected law): 75 years, every kind of income and account.
LONGEST = {
    "id": "longest (26 to 100, 75 years)",
    "start_year": 2026,
    "people": [
        {"name": "A", "birth_date": "2000-03-01", "life_expectancy": 100, "retirement_age": 60,
         "wages": 90000, "social_security": {"monthly_at_full_age": 2600, "claim_age": 68},
         "pension": {"monthly": 1200, "start_age": 62, "survivor_fraction": 0.5},
         "accounts": {"pretax": 60000, "ira": 20000, "roth": 15000, "roth_first_year": 2020}},
        {"name": "B", "birth_date": "2000-08-15", "life_expectancy": 99, "retirement_age": 58,
         "wages": 70000, "social_security": {"monthly_at_full_age": 2100, "claim_age": 67},
         "accounts": {"pretax": 40000, "roth": 10000, "roth_first_year": 2021}},
    ],
    "taxable": {"balance": 50000, "basis": 40000, "dividend_yield": 0.018},
    "cash": 20000,
    "spending": {"annual": 80000, "survivor_fraction": 0.65, "bequest": 100000},
    "market": {"stocks": 0.07, "bonds": 0.04, "cash": 0.03, "stock_share": 0.6},
    "strategy": {"objective": "max_spending", "heirs_rate": 0.25, "fill_bracket": 0.22},
    "monte_carlo": {"paths": 2000, "model": "bootstrap", "seed": 1},
    "magi_history": [150000, 150000],
}


def cases() -> dict[str, dict]:
    """Every shipped plan (by file name) and the longest admissible plan."""
    out = {p.stem: yaml.safe_load(p.read_text()) for p in sorted(PLANS.glob("*.yaml"))}
    out["longest"] = LONGEST
    return out


def measure(data: dict, paths: int, repeat: int, prof=None) -> dict:
    """Thread CPU of one request's plan (warm: one untimed run first), best and median;
    ``prof``: a profiler to run around the timed runs."""
    from dist401k.api import one_plan, request_paths
    from dist401k.planner.household import parse_household
    from dist401k.planner.plan import make_plan, plan_json

    def once() -> float:
        hh = one_plan(parse_household(data))
        n, _ = request_paths(hh, paths)
        t0 = time.thread_time()
        if prof is not None:
            prof.enable()
        plan_json(make_plan(hh, monte_carlo=n > 0, paths=n or None))
        if prof is not None:
            prof.disable()
        return time.thread_time() - t0

    once()
    times = [once() for _ in range(repeat)]
    return {"best": min(times), "median": statistics.median(times), "all": times}


def worker(src: str, name: str, paths: int, repeat: int) -> dict:
    """Measure one plan with the package under ``src`` in a fresh process."""
    return run_with(src, ROOT / "benchmarks",
                    "import json; import api_plan_cpu as b; c = b.cases()[sys.argv[1]];"
                    "print(json.dumps(b.measure(c, int(sys.argv[2]), int(sys.argv[3]))))",
                    name, str(paths), str(repeat))


def profile(name: str, paths: int) -> None:
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT / "src"))
    data = cases()[name]
    pr = cProfile.Profile()
    measure(data, paths, 1, pr)
    pstats.Stats(pr).sort_stats("cumulative").print_stats(25)


def table(rows: list[dict], paths: list[int], before: str | None) -> str:
    head = "| plan |"
    rule = "|---|"
    for n in paths:
        label = "no Monte Carlo" if n == 0 else f"{n:,} paths"
        if before:
            head += f" {label}: before | after | ratio |"
            rule += "---:|---:|---:|"
        else:
            head += f" {label} |"
            rule += "---:|"
    lines = [head, rule]
    for r in rows:
        line = f"| {r['plan']} |"
        for n in paths:
            after = r["after"][str(n)]
            a = after.get("best")
            if before:
                b = r["before"][str(n)].get("best")
                ratio = f"{b / a:.1f}×" if a and b else "—"
                line += f" {_s(b)} | {_s(a)} | {ratio} |"
            else:
                line += f" {_s(a)} |"
        lines.append(line)
    return "\n".join(lines)


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", default="0,500", help="comma-separated ?paths= values")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--before", help="a git revision to measure beside the current code")
    ap.add_argument("--plans", help="comma-separated plan names (default: all)")
    ap.add_argument("--profile", metavar="PLAN", help="cProfile one plan and stop")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    paths = [int(x) for x in args.paths.split(",")]
    if args.profile:
        profile(args.profile, paths[0])
        return
    names = args.plans.split(",") if args.plans else list(cases())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = str(archive_src(ROOT, args.before, Path(tmp))) if args.before else None
        for name in names:
            row: dict = {"plan": name, "after": {}, "before": {}}
            for n in paths:
                if old:
                    row["before"][str(n)] = worker(old, name, n, args.repeat)
                row["after"][str(n)] = worker(str(ROOT / "src"), name, n, args.repeat)
            rows.append(row)
            print(json.dumps(row), flush=True)
    load = os.getloadavg()
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores",
              "python": platform.python_version(), "when": time.strftime("%Y-%m-%d %H:%M"),
              "load_average": [round(x, 1) for x in load], "repeat": args.repeat,
              "before": args.before, "rows": rows}
    text = table(rows, paths, args.before)
    print(text)
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if args.write:
        from _report import replace_section

        (ROOT / "benchmarks" / "results" / "api_plan_cpu.json").write_text(
            json.dumps(result, indent=2))
        note = (f"Thread CPU seconds, best of {args.repeat} warm runs; {result['machine']}, "
                f"Python {result['python']}, {result['when']}, load average "
                f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} (1/5/15 min) at the end.")
        replace_section(ROOT / "docs" / "performance.md", "api_plan_cpu", note + "\n\n" + text)


if __name__ == "__main__":
    main()
