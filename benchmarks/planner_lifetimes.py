"""What random lifetimes cost the drawdown planner's Monte Carlo (issue 16: at most 1.5× the
Monte Carlo without them).

The shipped couple (both 64 in 2026, the plan to 92 and 90), every strategy over N bootstrap
paths, once with fixed lifetimes and once with each path drawing both years of death from SSA's
death probabilities (the paths then run until the couple is outlived with probability 99%,
each ending at its last death) — and, since that grid runs longer than the plan (to the year
the couple is outlived with probability 99%, against the plan's 92 and 90), once more with
fixed lifetimes on the same grid (both alive to its last year): the like-for-like ratio of the
same horizon.  CPU seconds of the Monte Carlo alone (``plan._stress`` as ``make_plan`` runs
it, the draw of lifetimes included; the optimiser and the fixed-return search are the same in
both), best of ``--repeat`` runs of each, the three run in turn so that they share each
minute's load.

    python benchmarks/planner_lifetimes.py [--paths 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def monte_carlo_run(case: dict, lifetimes: str, paths: int):
    """The Monte Carlo of every strategy of ``case`` as ``make_plan`` runs it, ready to time
    (a function of no arguments), and the years it runs."""
    from dist401k.law import default_law
    from dist401k.planner import plan as planner
    from dist401k.planner.household import parse_household

    law = default_law()
    case = {**case, "monte_carlo": {**case["monte_carlo"], "lifetimes": lifetimes}}
    plan = planner.make_plan(parse_household(case), law, monte_carlo=False)
    hh, tl = plan.household, plan.timeline
    mc = planner._Case(hh, tl, law, plan.inflation)
    rets = planner._paths(hh, tl.T, paths)

    def run():
        planner._stress(mc, plan.solution, plan.strategies, rets, None, paths)

    run()  # the law of every year gathered once, as in a running process
    years = plan.strategies[0].monte_carlo.get("years", [int(tl.years[0]), int(tl.years[-1])])
    return run, years[1] - years[0] + 1


def _best_cpu(runs: list, repeat: int) -> list[float]:
    """The best CPU seconds of each of ``runs``, timed in turn ``repeat`` times (so that all
    share each minute's load)."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for k, run in enumerate(runs):
            t0 = time.process_time()
            run()
            best[k] = min(best[k], time.process_time() - t0)
    return best


def grid_last_year(case: dict) -> int:
    """The last year of the random-lifetime grid of ``case``."""
    from dist401k.law import default_law
    from dist401k.planner import plan as planner
    from dist401k.planner.household import parse_household
    from dist401k.planner.timeline import build_timeline

    law = default_law()
    hh = planner.with_horizon(parse_household(case))
    return int(planner.lifetime_timeline(hh, build_timeline(hh, law), law).years[-1])


def ratio(paths: int, repeat: int) -> dict:
    """The Monte Carlo of the shipped couple with fixed and with random lifetimes, and with
    fixed lifetimes on the random lifetimes' grid."""
    with open(ROOT / "examples/plans/couple-social-security.yaml") as fh:
        case = yaml.safe_load(fh)
    case["people"][0]["sex"], case["people"][1]["sex"] = "male", "female"
    last = grid_last_year(case)
    longer = {**case, "people": [{**p, "life_expectancy": last - int(str(p["birth_date"])[:4])}
                                 for p in case["people"]]}
    (r_fixed, t_fixed), (r_rnd, t_rnd), (r_same, t_same) = (
        monte_carlo_run(case, "fixed", paths), monte_carlo_run(case, "random", paths),
        monte_carlo_run(longer, "fixed", paths))
    fixed, rnd, same = _best_cpu([r_fixed, r_rnd, r_same], repeat)
    return {"paths": paths, "fixed": fixed, "fixed_years": t_fixed, "random": rnd,
            "random_years": t_rnd, "ratio": rnd / fixed, "fixed_same_grid": same,
            "fixed_same_grid_years": t_same, "ratio_same_grid": rnd / same}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    r = ratio(args.paths, args.repeat)
    if args.json:
        print(json.dumps(r))
        return
    print(f"{args.paths} paths: fixed lifetimes {r['fixed']:.2f} s CPU ({r['fixed_years']} "
          f"years), random lifetimes {r['random']:.2f} s CPU ({r['random_years']} years): "
          f"{r['ratio']:.2f}× (budget 1.5×); fixed lifetimes on the same grid "
          f"{r['fixed_same_grid']:.2f} s CPU ({r['fixed_same_grid_years']} years): "
          f"{r['ratio_same_grid']:.2f}×")


if __name__ == "__main__":
    main()
