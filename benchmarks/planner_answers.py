"""The optimiser's answers, this tree's against another revision's: did a change move a figure?

Solves every shipped plan (``examples/plans``) under both objectives and the four cases of
``planner_vs_owl.py`` (26 optimisations), with this tree's sources and with those of the git
revision REV, each in a fresh process of its own, and compares every field of each
``Solution`` (the spending, the estate, the year-by-year flows, the binding RMDs, the top
brackets, the shadow prices, the passes and their objectives), all but the seconds.

    python benchmarks/planner_answers.py --before REV [--json] [--plans [--paths N]]

Prints one line per optimisation: "same" (bit for bit), or the largest difference of each
field that moved.  ``--plans`` also runs ``dist401k plan CASE -f json`` on every shipped plan
with both sources (Monte Carlo over ``--paths`` paths, 200 unless told) and compares the JSON,
all but its ``seconds`` fields.  Exits 1 where any figure moved.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC_ENV = "DIST401K_BENCH_SRC"
sys.path.insert(0, str(ROOT / "benchmarks"))
from _report import archive_src, untimed  # noqa: E402


def solutions() -> dict:
    """Every optimisation's solution as a dict of plain arrays (the child process's work)."""
    sys.path.insert(0, os.environ.get(SRC_ENV) or str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from dataclasses import asdict

    from planner_vs_owl import JACK_JILL, case_from_example

    from dist401k.errors import InputError
    from dist401k.law import default_law
    from dist401k.planner.household import load_household, parse_household
    from dist401k.planner.lp import optimise
    from dist401k.planner.timeline import build_timeline

    law = default_law()
    jobs = []
    for path in sorted((ROOT / "examples" / "plans").glob("*.yaml")):
        hh = load_household(path)
        jobs += [(f"{path.stem} max_spending", hh, "max_spending"),
                 (f"{path.stem} max_estate", hh, "max_estate")]
    for name in ("single-retiree", "couple-social-security", "early-retiree"):
        jobs.append((f"owl case {name}", parse_household(case_from_example(name)), None))
    jobs.append(("owl case jack+jill", parse_household(JACK_JILL), None))
    out = {}
    for label, hh, objective in jobs:
        tl = build_timeline(hh, law)
        try:
            sol = optimise(hh, tl, law, objective=objective)
        except InputError as exc:
            out[label] = {"error": str(exc)}
            continue
        d = asdict(sol)
        d.pop("seconds")
        out[label] = d
    return out


def _run(src: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.pickle"
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(path)],
                       check=True, cwd=ROOT, env=dict(os.environ, **{SRC_ENV: str(src)}))
        with open(path, "rb") as fh:
            return pickle.load(fh)


def differences(a: dict, b: dict) -> dict:
    """Each field that is not the same bit for bit: its largest absolute difference (or the
    two values where they are not numbers)."""
    import numpy as np

    out = {}
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if x is None or y is None or isinstance(x, str):
            if x != y:
                out[key] = [x, y]
            continue
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.shape != y.shape:
            out[key] = f"shape {x.shape} against {y.shape}"
        elif not np.array_equal(x, y, equal_nan=True):
            out[key] = float(np.nanmax(np.abs(x - y)))
    return out


def plan_jsons(src: Path, paths: int) -> dict:
    """``dist401k plan CASE -f json`` of every shipped plan with the sources ``src``, without
    its timing fields."""
    out = {}
    for path in sorted((ROOT / "examples" / "plans").glob("*.yaml")):
        run = subprocess.run([sys.executable, "-m", "dist401k", "plan", str(path), "-f", "json",
                              "--paths", str(paths)], capture_output=True, text=True, cwd=ROOT,
                             env=dict(os.environ, PYTHONPATH=str(src)))
        out[path.stem] = untimed(json.loads(run.stdout)) if run.returncode == 0 else \
            {"error": run.stderr[-500:]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--before", metavar="REV", required=False)
    ap.add_argument("--json", action="store_true", help="print the differences as JSON")
    ap.add_argument("--plans", action="store_true",
                    help="also compare every shipped plan's JSON (dist401k plan -f json)")
    ap.add_argument("--paths", type=int, default=200, help="Monte Carlo paths for --plans")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        with open(args.child, "wb") as fh:
            pickle.dump(solutions(), fh)
        return
    if not args.before:
        ap.error("--before REV is needed")
    sys.path.insert(0, str(ROOT / "benchmarks"))

    with tempfile.TemporaryDirectory() as tmp:
        old_src = archive_src(ROOT, args.before, Path(tmp))
        old = _run(old_src)
        old_plans = plan_jsons(old_src, args.paths) if args.plans else {}
    new = _run(ROOT / "src")
    new_plans = plan_jsons(ROOT / "src", args.paths) if args.plans else {}
    report = {label: differences(old[label], new[label]) for label in old}
    moved = {k: v for k, v in report.items() if v}
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for label, diff in report.items():
            print(f"{label}: {'same' if not diff else diff}")
        print(f"{len(report) - len(moved)} of {len(report)} optimisations the same bit for bit")
    plans_moved = [k for k in old_plans if old_plans[k] != new_plans.get(k)
                   or "error" in old_plans[k]]  # (a plan that fails counts as moved)
    if args.plans:
        print(f"{len(old_plans) - len(plans_moved)} of {len(old_plans)} shipped plans give the "
              f"same JSON (all but its seconds)" + (f"; not: {', '.join(plans_moved)}"
                                                     if plans_moved else ""))
    sys.exit(1 if moved or plans_moved else 0)


if __name__ == "__main__":
    main()
