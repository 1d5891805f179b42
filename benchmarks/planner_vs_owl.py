"""The drawdown optimiser against the Owl planner, side by side in one run.

For each case (a single retiree, a couple with Social Security, an early retiree with a large
401(k), and Owl's own shipped couple case set up as alike as the two models allow) both
planners maximise the constant after-tax spending under the same law and assumptions: fixed
returns, the same inflation, OBBBA's rates kept (enacted law; Owl's default speculates an
expiry, so the spec turns it off), no state tax, Medicare premiums left out (Owl also charges
the Part B base premium, which dist401k does not count as a cost).  Owl runs in its own
environment (.venv-owl) through ``benchmarks/owl_side.py``; each side times only its solve.

    python benchmarks/planner_vs_owl.py [--repeat 5] [--before REV] [--write]

``--before REV`` also times dist401k as it was at the git revision REV (its ``src`` taken
from the repository), in the same run: for each case REV's solve, this tree's solve (each in
a fresh process of its own, alike) and Owl's, one after the other.  Each side reports its
wall-clock and its CPU seconds (the CPU time is less moved by other work on a shared
machine).  ``--write`` writes the result into benchmarks/results/planner_vs_owl.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OWL_PY = ROOT / ".venv-owl" / "bin" / "python"
# The sources timed: this tree's, or another revision's (--before; set for the child run).
SRC_ENV = "DIST401K_BENCH_SRC"
sys.path.insert(0, os.environ.get(SRC_ENV) or str(ROOT / "src"))

import numpy as np  # noqa: E402
from _report import archive_src  # noqa: E402

from dist401k.law import default_law  # noqa: E402
from dist401k.planner.household import parse_household  # noqa: E402
from dist401k.planner.lp import optimise  # noqa: E402
from dist401k.planner.plan import _policy, max_spending  # noqa: E402
from dist401k.planner.simulate import Policy  # noqa: E402
from dist401k.planner.social_security_benefit import full_retirement_age  # noqa: E402

try:  # a revision before SSA's January 1 rule (--before) looks up the calendar year
    from dist401k.planner.social_security_benefit import ssa_birth_year
except ImportError:  # pragma: no cover
    def ssa_birth_year(birth_date):  # type: ignore[misc]
        return birth_date.year
from dist401k.planner.timeline import build_timeline  # noqa: E402

INFLATION = 0.025

# Owl's shipped couple case (examples/Case_jack+jill.toml), reduced to what both models hold:
# no HSA (its balances are left out), no vacation condo or mortgage, a flat spending profile
# instead of the "smile", fixed returns instead of the 1969 historical sequence; Jill makes no
# Roth conversions and Jack at most $100,000 a year, as in the case; the $400,000 bequest.
JACK_JILL = {
    "id": "jack+jill (as alike as both models allow)",
    "start_year": 2026,
    "people": [
        {"name": "Jack", "birth_date": "1963-01-15", "life_expectancy": 89,
         "social_security": {"monthly_at_full_age": 2360, "claim_age": 70},
         "accounts": {"pretax": 600500, "roth": 70600, "roth_first_year": 2010}},
        {"name": "Jill", "birth_date": "1966-01-15", "life_expectancy": 92, "converts": False,
         "social_security": {"monthly_at_full_age": 1642, "claim_age": 62.08333},
         "pension": {"monthly": 2000, "start_age": 65, "survivor_fraction": 0.5},
         "accounts": {"pretax": 150000, "roth": 40800, "roth_first_year": 2010}},
    ],
    "taxable": {"balance": 150700, "basis": 75000, "dividend_yield": 0.017},
    "spending": {"survivor_fraction": 0.6, "bequest": 400000},
    "market": {"stocks": 0.07, "bonds": 0.04, "cash": INFLATION, "stock_share": 0.65,
               "inflation": INFLATION},
    "strategy": {"objective": "max_spending", "heirs_rate": 0.3, "max_conversion": 100000,
                 "medicare": False},
    "magi_history": [0, 0],
}


def case_from_example(name: str) -> dict:
    with open(ROOT / "examples" / "plans" / f"{name}.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    data["market"] = dict(data.get("market", {}), cash=INFLATION, inflation=INFLATION)
    data.setdefault("strategy", {})["medicare"] = False
    data["magi_history"] = [0, 0]
    # Owl has no cash account apart from the brokerage account: fold it in, for both.
    cash = data.pop("cash", 0)
    t = data.setdefault("taxable", {})
    t["balance"] = t.get("balance", 0) + cash
    t["basis"] = t.get("basis", 0) + cash
    return data


def owl_spec(data: dict) -> dict:
    """The same case in owl_side.py's spec."""
    hh = parse_household(data)
    people = hh.people
    n = len(people)
    share = [1.0 / n] * n  # the brokerage account and cash are the household's: split evenly
    spec = {
        "names": [p.name or f"P{i}" for i, p in enumerate(people)],
        "birth_dates": [p.birth_date.isoformat() for p in people],
        "life_expectancy": [p.life_expectancy for p in people],
        "start_year": hh.start_year,
        "taxable": [hh.taxable.balance * s for s in share],
        "taxable_basis": [hh.taxable.basis * s for s in share],
        "tax_deferred": [p.accounts.pretax + p.accounts.ira for p in people],
        "tax_free": [p.accounts.roth for p in people],
        "ss_pia_monthly": [p.social_security.monthly_at_full_age for p in people],
        "ss_claim_age": [p.social_security.claim_age if p.social_security.claim_age is not None
                         else float(full_retirement_age(default_law(), hh.start_year,
                                                        ssa_birth_year(p.birth_date)))
                         for p in people],
        "pension_monthly": [p.pension.monthly for p in people],
        "pension_age": [p.pension.start_age for p in people],
        "pension_indexed": [p.pension.indexed for p in people],
        "pension_survivor_fraction": [p.pension.survivor_fraction for p in people],
        "returns": {"stocks": hh.market.stocks, "bonds": hh.market.bonds,
                    "cash": hh.market.cash, "inflation": hh.market.inflation},
        "stock_share": hh.market.stock_share,
        "dividend_rate": hh.taxable.dividend_yield,
        "survivor_spending": hh.spending.survivor_fraction,
        "bequest": hh.spending.bequest,
        "heirs_rate": hh.strategy.heirs_rate,
        "objective": "maxSpending",
        "roth_conversions": hh.strategy.roth_conversions,
        "max_roth_conversion": hh.strategy.max_conversion,
        "medicare": False,
        "obbba_expiration_year": 2100,
    }
    no = [p.name for p in people if not p.converts]
    if no:
        spec["no_roth_conversions"] = no[0]
    return spec


def ours(data: dict, repeat: int) -> dict:
    law = default_law()
    hh = parse_household(data)
    times, cpu = [], []
    sol = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        tl = build_timeline(hh, law)
        sol = optimise(hh, tl, law)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    exact = max_spending(hh, tl, law, _policy("optimal", hh, sol), sol.spending_real)
    return {"seconds_median": statistics.median(times), "seconds_all": times,
            "cpu_seconds_median": statistics.median(cpu),
            "objective_lp": sol.spending_real, "objective": exact, "passes": sol.passes,
            "years": int(tl.T)}


def ours_in(src: Path, data: dict, repeat: int) -> dict:
    """``ours`` in a fresh process that imports dist401k from ``src``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.json"
        path.write_text(json.dumps(data, default=str))  # YAML's dates as ISO text
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--ours",
                              str(path), "--repeat", str(repeat)], capture_output=True,
                             text=True, cwd=ROOT, timeout=1800,
                             env=dict(os.environ, **{SRC_ENV: str(src)}))
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        return {"error": (out.stderr or out.stdout)[-2000:]}


def _ratio(theirs: dict, mine: dict, key: str) -> float | None:
    """Owl's figure over dist401k's (one decimal), where both have it."""
    if theirs.get(key) and mine.get(key):
        return round(theirs[key] / mine[key], 1)
    return None


def owl_policy(tl, schedule: dict) -> Policy:
    """Owl's conversions and withdrawals as a dist401k schedule: Owl's tax-deferred account of
    each person is that person's pre-tax pool holding the money (the benchmark cases hold it
    in one pool a person)."""
    x = np.asarray(schedule["conversions"])[:, : tl.T]
    w = np.asarray(schedule["withdrawals"])[:, :, : tl.T]
    conv = np.zeros((tl.pools, tl.T))
    pre_w = np.zeros((tl.pools, tl.T))
    for i in range(tl.people):
        k = np.nonzero(tl.pool_owner == i)[0]
        k = k[np.argmax(tl.pool_balance[k])]
        conv[k], pre_w[k] = x[i], w[i, 1, :]
    return Policy("schedule", conversions=conv, pretax_withdrawals=pre_w,
                  other_withdrawals=np.vstack([np.zeros(tl.T), w[:, 0, :].sum(0),
                                               w[:, 2, :].sum(0)]), label="Owl's plan")


def owl_plan_priced_by_us(data: dict, schedule: dict, guess: float) -> float | None:
    """Owl's own plan (its conversions and withdrawals, year by year) priced by dist401k's exact
    tax engine: the most spending it sustains under dist401k's law."""
    law = default_law()
    hh = parse_household(data)
    tl = build_timeline(hh, law)
    years = list(schedule["years"])
    if years[: tl.T] != [int(y) for y in tl.years]:
        return None
    pol = owl_policy(tl, schedule)
    return max_spending(hh, tl, law, pol, guess)


def owl(spec: dict | None, repeat: int, shipped: bool = False) -> dict:
    if not OWL_PY.exists():
        return {"error": "the Owl environment (.venv-owl) is missing: run `make setup`"}
    with tempfile.TemporaryDirectory() as tmp:
        if shipped:
            args = ["shipped", "--case", str(ROOT / "benchmarks" / "owl" / "Case_jack+jill.toml")]
        else:
            path = Path(tmp) / "spec.json"
            path.write_text(json.dumps(spec))
            args = ["spec", "--json", str(path)]
        out = subprocess.run([str(OWL_PY), str(ROOT / "benchmarks" / "owl_side.py"), *args,
                              "--repeat", str(repeat)], capture_output=True, text=True,
                             cwd=ROOT, timeout=1800)
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        return {"error": (out.stderr or out.stdout)[-2000:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--before", metavar="REV",
                    help="also time dist401k at this git revision, in the same run")
    ap.add_argument("--ours", metavar="CASE_JSON", help=argparse.SUPPRESS)  # the child run
    args = ap.parse_args()
    if args.ours:
        print(json.dumps(ours(json.loads(Path(args.ours).read_text()), args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        before = archive_src(ROOT, args.before, Path(tmp)) if args.before else None
        run_cases(args, before)


def run_cases(args, before: Path | None) -> None:
    cases = [("single retiree", case_from_example("single-retiree")),
             ("couple with Social Security", case_from_example("couple-social-security")),
             ("early retiree, large 401(k)", case_from_example("early-retiree")),
             ("Owl's jack+jill, as alike as both models allow", JACK_JILL)]
    rows = []
    for label, data in cases:
        old = None if before is None else ours_in(before, data, args.repeat)
        mine = ours(data, args.repeat) if before is None else ours_in(ROOT / "src", data,
                                                                        args.repeat)
        theirs = owl(owl_spec(data), args.repeat)
        row = {"case": label, "dist401k": mine, "owl": theirs}
        if old is not None:
            row["before"] = dict(old, revision=args.before)
        if "seconds_median" in theirs:
            row["speedup"] = theirs["seconds_median"] / mine["seconds_median"]
            if old is not None and "seconds_median" in old:
                row["speedup_before"] = theirs["seconds_median"] / old["seconds_median"]
            # CPU seconds: less moved by other work on a shared machine than the wall clock
            row["cpu_speedup"] = _ratio(theirs, mine, "cpu_seconds_median")
            if old is not None:
                row["cpu_speedup_before"] = _ratio(theirs, old, "cpu_seconds_median")
            row["objective_difference"] = mine["objective"] - theirs["objective"]
            if theirs.get("schedule"):
                row["owl_plan_under_our_law"] = owl_plan_priced_by_us(
                    data, theirs.pop("schedule"), theirs["objective"])
        rows.append(row)
        if old is not None:
            print(json.dumps({"case": label, "before_s": old.get("seconds_median"),
                              "before_speedup": round(row.get("speedup_before", float("nan")),
                                                      1),
                              "before_cpu_speedup": row.get("cpu_speedup_before"),
                              "before_spending": old.get("objective"),
                              "before_passes": old.get("passes"),
                              "before_error": old.get("error", "")[:200]}), flush=True)
        print(json.dumps({"case": label, "ours_s": round(mine["seconds_median"], 4),
                          "owl_s": theirs.get("seconds_median"),
                          "speedup": round(row.get("speedup", float("nan")), 1),
                          "cpu_speedup": row.get("cpu_speedup"),
                          "ours_spending": round(mine["objective"]),
                          "ours_lp": round(mine["objective_lp"]),
                          "owl_spending": theirs.get("objective"),
                          "owl_plan_our_law": row.get("owl_plan_under_our_law"),
                          "owl_status": theirs.get("convergence") or theirs.get("error", "")[:200]}),
              flush=True)
    shipped = owl(None, args.repeat, shipped=True)
    print(json.dumps({"owl_shipped_jack_jill_s": shipped.get("seconds_median"),
                      "objective": shipped.get("objective"), "lp_solves": shipped.get("lp_solves")}))
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    result = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
              "python": platform.python_version(), "when": time.strftime("%Y-%m-%d"),
              "load_average": [round(x, 1) for x in load], "before": args.before,
              "repeat": args.repeat, "cases": rows, "owl_shipped": shipped}
    if args.write:
        out = ROOT / "benchmarks" / "results" / "planner_vs_owl.json"
        out.write_text(json.dumps(result, indent=2))
        print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
