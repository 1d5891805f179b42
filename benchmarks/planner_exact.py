"""The optimiser's plans priced exactly: this tree's against another revision's.  Did a change
of the optimiser make its plans better?

The households (``--cases``):

- ``marketplace`` (the default): the shipped ``early-retirees-marketplace`` plan scaled ×0.5 to
  ×2.5 under both objectives, and ``--random`` households with marketplace coverage drawn with
  a fixed seed (one or two people of 50–63 in 2027, pre-tax money of $100,000 to $2 million, a
  Roth account, a brokerage account, cash, Social Security, a benchmark premium of
  $8,000–$30,000 a person; a third of them maximise the estate);
- ``shipped``: every shipped plan scaled ×0.5 to ×2.5 under both objectives.

Each is solved by each revision in a fresh process and its optimum priced by the exact
simulator (``exact_figures``: the most spending it sustains, or its estate at the case's
spending), so the two revisions are compared on the same exact figures, not on their
programmes' objectives.

    python benchmarks/planner_exact.py --before REV [--cases marketplace|shipped]
        [--random 40] [--json]

Prints each household's figure before and after, and how many moved each way.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _report import archive_src, run_with  # noqa: E402

FACTORS = (0.5, 0.8, 1.0, 1.25, 1.6, 2.5)
#: The dollar fields of a drawdown case, scaled together.
MONEY = {"pretax", "pretax_basis", "ira", "ira_basis", "roth", "roth_contributions",
         "monthly_at_full_age", "monthly", "wages", "balance", "basis", "cash", "annual",
         "bequest", "max_conversion", "magi_history", "benchmark_premium", "premium"}


def _times(v, factor: float):
    if isinstance(v, list):
        return [x * factor for x in v]
    return v * factor if isinstance(v, int | float) and not isinstance(v, bool) else v


def _scaled(case, factor: float):
    """A case with every dollar amount multiplied by ``factor``."""
    if isinstance(case, dict):
        return {k: v if k == "market" else _times(v, factor) if k in MONEY
                else _scaled(v, factor) for k, v in case.items()}
    if isinstance(case, list):
        return [_scaled(v, factor) for v in case]
    return case


def shipped() -> dict:
    """Every shipped plan scaled, under both objectives (plain dicts)."""
    cases = {}
    for path in sorted((ROOT / "examples" / "plans").glob("*.yaml")):
        base = yaml.safe_load(path.read_text())
        base.pop("monte_carlo", None)
        base.pop("guardrails", None)
        for f in FACTORS:
            for objective in ("max_spending", "max_estate"):
                case = _scaled(copy.deepcopy(base), f)
                case["strategy"] = {**case.get("strategy", {}), "objective": objective,
                                    "search_claiming": False}
                cases[f"{path.stem} x{f} {objective}"] = case
    return cases


def households(n_random: int) -> dict:
    """The marketplace cases by label (plain dicts, as a plan file holds them)."""
    import numpy as np

    base = yaml.safe_load((ROOT / "examples" / "plans" / "early-retirees-marketplace.yaml")
                          .read_text())
    base.pop("monte_carlo", None)
    cases = {}
    for f in FACTORS:
        for objective in ("max_spending", "max_estate"):
            case = _scaled(copy.deepcopy(base), f)
            case["strategy"] = {"objective": objective}
            cases[f"shipped x{f} {objective}"] = case
    rng = np.random.default_rng(7)
    for i in range(n_random):
        n = int(rng.integers(1, 3))
        people = []
        for _ in range(n):
            age = int(rng.integers(50, 64))
            people.append({
                "birth_date": f"{2027 - age}-{int(rng.integers(1, 13)):02d}-15",
                "life_expectancy": int(rng.integers(85, 96)),
                "social_security": {"monthly_at_full_age": float(rng.integers(800, 3800)),
                                    "claim_age": int(rng.integers(62, 71))},
                "accounts": {"pretax": float(rng.choice([1e5, 3e5, 6e5, 1e6, 2e6]))
                             * rng.uniform(0.7, 1.3),
                             "roth": float(rng.uniform(0, 2e5)), "roth_first_year": 2015}})
        bal = float(rng.uniform(0, 8e5))
        cases[f"random {i}"] = {
            "start_year": 2027, "people": people,
            "taxable": {"balance": bal, "basis": bal * float(rng.uniform(0.3, 1))},
            "cash": float(rng.uniform(1e4, 1e5)),
            "spending": {"annual": float(rng.uniform(4e4, 1.2e5))},
            "marketplace": {"benchmark_premium": float(rng.uniform(8e3, 3e4)) * n,
                            "household_size": n},
            "strategy": {"objective": "max_spending" if i % 3 else "max_estate"}}
    return cases


CHILD = """
import json, sys
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import exact_figures
law = default_law()
out = {}
for label, case in json.loads(open(sys.argv[1]).read()).items():
    try:
        out[label] = exact_figures(parse_household(case), law)
    except Exception as exc:  # an answer refused: its message
        out[label] = {"error": str(exc)[:200]}
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--before", metavar="REV", required=True)
    ap.add_argument("--cases", choices=("marketplace", "shipped"), default="marketplace")
    ap.add_argument("--random", type=int, default=40, help="random households (default 40)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    cases = households(args.random) if args.cases == "marketplace" else shipped()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.json"
        path.write_text(json.dumps(cases, default=str))  # (dates as ISO text)
        old = run_with(str(archive_src(ROOT, args.before, Path(tmp))), ROOT / "benchmarks",
                       CHILD, str(path))
        new = run_with(str(ROOT / "src"), ROOT / "benchmarks", CHILD, str(path))
    if "error" in old or "error" in new:
        sys.exit(f"a side failed: {old.get('error') or new.get('error')}")
    rows, tally = [], {"better": 0, "worse": 0, "same": 0, "refused": 0}
    for label, case in cases.items():
        a, b = old[label], new[label]
        if "error" in a or "error" in b:
            tally["refused"] += 1
            rows.append((label, "refused", a.get("error", ""), b.get("error", "")))
            continue
        key = "estate_real" if case["strategy"]["objective"] == "max_estate" else "spending_real"
        d = b[key] - a[key]
        tally["better" if d > 1 else "worse" if d < -1 else "same"] += 1
        rows.append((label, key, a[key], b[key]))
    if args.json:
        print(json.dumps({"rows": rows, "tally": tally}, indent=1))
        return
    for label, key, a, b in rows:
        if key == "refused":
            print(f"{label:30s} refused by {'both' if a and b else 'one'}")
        else:
            print(f"{label:30s} {key:14s} {a:14,.0f} → {b:14,.0f}  {b - a:+12,.0f}")
    print(", ".join(f"{v} {k}" for k, v in tally.items()))


if __name__ == "__main__":
    main()
