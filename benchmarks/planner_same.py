"""Does a change of the planner leave every answer as it was?  The current code against a git
revision, bit for bit.

For every shipped plan (``examples/plans/*.yaml``), the plan's JSON as the CLI and the API
give it (``plan_json``; the ``seconds`` fields left out), and the same with random lifetimes
(both people's sex set where the case has none); and for the Monte Carlo benchmark's case
(``planner_montecarlo.py``), every column and estate of the simulation of each policy, with
fixed and with random lifetimes.  Each side runs in a process of its own (the revision's
``src/`` from ``git archive``) and prints a digest per item; the two are compared.

    python benchmarks/planner_same.py [--before main] [--paths 500] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _report import archive_src, run_with, untimed  # noqa: E402

#: The random-lifetime plans: a single person, a couple, a couple with an estate objective,
#: couple early retirees, and the couple on the marketplace before Medicare.
LIFETIME_PLANS = ("single-retiree", "couple-social-security", "couple-estate",
                  "couple-early-retirees", "early-retirees-marketplace")


def _digest_json(x) -> str:
    return hashlib.sha256(json.dumps(untimed(x), sort_keys=True).encode()).hexdigest()


def _digest_result(res) -> str:
    h = hashlib.sha256()
    for k in sorted(res.cols):
        h.update(k.encode())
        h.update(res.cols[k].tobytes())
    for a in (res.estate, res.estate_real, res.price_end):
        h.update(a.tobytes())
    return h.hexdigest()


def plans(paths: int, only: list[str]) -> dict[str, str]:
    """A digest of each shipped plan's JSON (and with random lifetimes)."""
    import yaml

    from dist401k.law import default_law
    from dist401k.planner.household import parse_household
    from dist401k.planner.plan import make_plan, plan_json

    law = default_law()
    out = {}
    for f in sorted((ROOT / "examples" / "plans").glob("*.yaml")):
        if only and f.stem not in only:
            continue
        case = yaml.safe_load(f.read_text())
        out[f.stem] = _digest_json(plan_json(make_plan(parse_household(case), law,
                                                       paths=paths)))
        if f.stem in LIFETIME_PLANS:
            for p, sex in zip(case["people"], ("male", "female"), strict=False):
                p.setdefault("sex", sex)
            case["monte_carlo"] = {**case.get("monte_carlo", {}), "lifetimes": "random"}
            out[f.stem + " (random lifetimes)"] = _digest_json(
                plan_json(make_plan(parse_household(case), law, paths=paths)))
    return out


def simulations(paths: int) -> dict[str, str]:
    """A digest of every column of the benchmark case's simulation under each policy, with
    fixed and with random lifetimes."""
    import numpy as np
    import planner_montecarlo as bench

    from dist401k.law import default_law
    from dist401k.planner import returns as market
    from dist401k.planner.household import parse_household
    from dist401k.planner.plan import draw_lives, lifetime_timeline
    from dist401k.planner.simulate import Policy, simulate
    from dist401k.planner.timeline import build_timeline

    law = default_law()
    hh = parse_household({**bench.CASE, "people": [{**bench.CASE["people"][0], "sex": "male"}]})
    tl = build_timeline(hh, law)
    conv = np.zeros((tl.pools, tl.T))
    conv[:, 3:10] = 20000.0
    policies = {"order": Policy("order"), "fill": Policy("fill", fill_rate=0.22),
                "fill capped": Policy("fill", fill_rate=0.24, max_conversion=30000.0),
                "systematic": Policy("systematic"),
                "schedule": Policy("schedule", conversions=conv,
                                   pretax_withdrawals=np.zeros_like(conv))}
    out = {}
    rets = market.bootstrap(paths, tl.T, seed=1)
    for name, pol in policies.items():
        out[f"simulate {name}"] = _digest_result(simulate(hh, tl, law, rets, pol, 95000.0))
    mc_tl = lifetime_timeline(hh, tl, law)
    rets = market.bootstrap(paths, mc_tl.T, seed=1)
    lives = draw_lives(hh, mc_tl, law, paths)
    for name in ("order", "fill"):
        out[f"simulate {name} (random lifetimes)"] = _digest_result(
            simulate(hh, mc_tl, law, rets, policies[name], 95000.0, lives=lives))
    return out


def digests(paths: int, only: list[str]) -> dict[str, str]:
    return {**simulations(max(paths, 2000)), **plans(paths, only)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="main", help="the git revision compared with")
    ap.add_argument("--paths", type=int, default=500, help="Monte Carlo paths of each plan")
    ap.add_argument("--only", nargs="*", default=[], help="these plans only (file stems)")
    args = ap.parse_args()
    code = ("import json; import planner_same as b;"
            "print(json.dumps(b.digests(int(sys.argv[1]), sys.argv[2:])))")
    with tempfile.TemporaryDirectory() as tmp:
        old = str(archive_src(ROOT, args.before, Path(tmp)))
        sides = [run_with(src, ROOT / "benchmarks", code, str(args.paths), *args.only)
                 for src in (old, str(ROOT / "src"))]
    for side, got in zip(("before", "after"), sides, strict=True):
        if "error" in got:
            raise SystemExit(f"{side}: {got['error']}")
    before, after = sides
    bad = [k for k in before if before[k] != after.get(k)]
    for k in before:
        print(f"{'same' if k not in bad else 'DIFFERENT'}: {k}")
    print(f"{len(before) - len(bad)} of {len(before)} the same as {args.before}")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
