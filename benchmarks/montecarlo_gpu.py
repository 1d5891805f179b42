"""Monte Carlo throughput: N paths × 40 years of a simple drawdown, on NumPy and on CuPy.

    python benchmarks/montecarlo_gpu.py [--paths 10000 100000] [--backend numpy|cupy|all]

One pre-tax portfolio (a stock/bond mix rebalanced yearly) pays an after-tax spending need
that grows with each path's inflation.  Each year, on every path at once: the gross withdrawal
is the larger of the gross-up of the need and a fixed share of the balance (capped at the
balance); the federal income tax on it is figured from the ordinary rate schedule of the
project's law (``income_tax.brackets`` / ``income_tax.rates`` less the standard deduction, for
one tax year and filing status), with every dollar threshold moved along the path's price level
(an approximation of indexing: the law of later years is not looked up); what is short of the
need is the shortfall.  Returns come from ``dist401k.planner.returns`` (lognormal with the
1928–2025 moments by default, or a bootstrap of history) and the success rate from
``dist401k.planner.risk``.

Timed: path generation, the 40-year loop, and the success rate, on the device for CuPy (with a
synchronisation before the clock stops), best of ``--repeat`` runs after a warm-up.  Prints one
JSON object per backend and size: {paths, years, backend, seconds, paths_per_second, ...}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from dist401k.law import default_law, filing_status_codes
from dist401k.planner import returns as R
from dist401k.planner import risk


def schedule(year: int, filing_status: str) -> dict[str, np.ndarray]:
    """The ordinary rate schedule of ``year`` for ``filing_status`` from the law files, as
    bracket lower ends, widths and rates (dollars of that year) and the standard deduction."""
    law = default_law()
    fs = int(filing_status_codes([filing_status])[0])
    thresholds = np.asarray(law.get("income_tax.brackets", year, fs), dtype=float).reshape(-1)
    rates = np.asarray(law.get("income_tax.rates", year), dtype=float).reshape(-1)
    if rates.shape[0] != thresholds.shape[0] + 1:
        raise ValueError(f"{thresholds.shape[0]} thresholds need {thresholds.shape[0] + 1} rates, "
                         f"the law gives {rates.shape[0]}")
    lower = np.concatenate([[0.0], thresholds])
    width = np.concatenate([np.diff(lower), [np.inf]])
    deduction = float(np.asarray(law.get("income_tax.standard_deduction", year, fs)).reshape(-1)[0])
    return {"lower": lower, "width": width, "rates": rates, "deduction": deduction}


def progressive_tax(xp, income, lower, width, rates, deduction, price):
    """Tax on ``income`` (paths,) by a rate schedule whose dollar amounts (bracket lower ends and
    widths, the deduction) are scaled by each path's ``price`` level: Σ rate × the part of
    taxable income inside each bracket."""
    taxable = xp.maximum(income - deduction * price, 0.0)
    inside = xp.minimum(xp.maximum(taxable[:, None] - lower[None, :] * price[:, None], 0.0),
                        width[None, :] * price[:, None])
    return (inside * rates[None, :]).sum(axis=1)


def gross_for_net(net: float, sched: dict) -> float:
    """The gross withdrawal that leaves ``net`` after the schedule's tax (today's dollars):
    the after-tax amount is piecewise linear and increasing in the gross, so it is inverted
    exactly by interpolation between the bracket edges."""
    edges = sched["deduction"] + sched["lower"]
    gross = np.concatenate([[0.0], edges, [edges[-1] + 2 * max(net, 1.0) / (1 - sched["rates"][-1])]])
    one = np.ones(1)
    after = np.array([g - float(progressive_tax(np, np.full(1, g), sched["lower"], sched["width"],
                                                    sched["rates"], sched["deduction"], one)[0])
                      for g in gross])
    return float(np.interp(net, after, gross))


def simulate(xp, paths: int, years: int, seed: int, args, sched: dict) -> float:
    """Run the drawdown on ``paths`` paths in namespace ``xp``; the share of paths that met the
    need every year."""
    if args.model == "bootstrap":
        p = R.bootstrap(paths, years, seed, block=args.block, xp=xp)
    else:
        p = R.lognormal(paths, years, seed, xp=xp)
    r = R.portfolio_return(p, args.stock_share)
    price_path = xp.cumprod(1.0 + p["inflation"], axis=1)
    lower, width, rates = (xp.asarray(sched[k]) for k in ("lower", "width", "rates"))
    gross_need = gross_for_net(args.spending, sched)
    balance = xp.zeros(paths) + args.balance
    price = xp.ones(paths)
    shortfall = xp.zeros((paths, years))
    for t in range(years):
        gross = xp.minimum(xp.maximum(gross_need * price, args.rate * balance), balance)
        tax = progressive_tax(xp, gross, lower, width, rates, sched["deduction"], price)
        shortfall[:, t] = xp.maximum(args.spending * price - (gross - tax), 0.0)
        balance = (balance - gross) * (1.0 + r[:, t])
        price = price_path[:, t]
    return risk.success_rate(shortfall)


def run_backend(name: str, xp, sync, args, sched: dict) -> list[dict]:
    rows = []
    simulate(xp, 1000, args.years, args.seed, args, sched)  # warm-up: kernels, caches
    sync()
    for n in args.paths:
        best, rate = float("inf"), float("nan")
        for _ in range(args.repeat):
            sync()
            t0 = time.perf_counter()
            done, ok = 0, 0.0
            for i, start in enumerate(range(0, n, args.chunk)):
                size = min(args.chunk, n - start)
                ok += simulate(xp, size, args.years, args.seed + i, args, sched) * size
                done += size
            sync()
            best = min(best, time.perf_counter() - t0)
            rate = ok / done
        row = {"paths": n, "years": args.years, "backend": name, "seconds": round(best, 6),
               "paths_per_second": round(n / best, 1), "success_rate": round(rate, 6),
               "model": args.model, "tax_year": args.tax_year, "filing_status": args.filing_status}
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def backends(choice: str):
    """(name, namespace, synchronise) for each backend asked for that can run here."""
    out = []
    if choice in ("numpy", "all"):
        out.append(("numpy", np, lambda: None))
    if choice in ("cupy", "all"):
        try:
            import cupy
        except ImportError:
            if choice == "cupy":
                sys.exit("--backend cupy: CuPy is not importable here")
            print(json.dumps({"backend": "cupy", "skipped": "CuPy is not importable"}), flush=True)
        else:
            out.append(("cupy", cupy, cupy.cuda.Device().synchronize))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--backend", choices=("numpy", "cupy", "all"), default="all",
                    help="all: NumPy, and CuPy when importable")
    ap.add_argument("--years", type=int, default=40)
    ap.add_argument("--model", choices=("lognormal", "bootstrap"), default="lognormal")
    ap.add_argument("--block", type=int, default=1, help="bootstrap block length in years")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--chunk", type=int, default=2_000_000, help="paths generated at a time")
    ap.add_argument("--tax-year", type=int, default=2026, help="tax year of the law's rate schedule")
    ap.add_argument("--filing-status", default="married_joint")
    ap.add_argument("--balance", type=float, default=1_500_000.0, help="starting pre-tax balance")
    ap.add_argument("--spending", type=float, default=60_000.0,
                    help="after-tax spending need a year, today's dollars")
    ap.add_argument("--rate", type=float, default=0.04,
                    help="share of the balance withdrawn when more than the need")
    ap.add_argument("--stock-share", type=float, default=0.6)
    args = ap.parse_args(argv)
    for name in ("years", "repeat", "chunk", "block"):
        if getattr(args, name) < 1:
            ap.error(f"--{name} must be at least 1")
    if any(n < 1 for n in args.paths):
        ap.error("--paths must be at least 1")
    sched = schedule(args.tax_year, args.filing_status)
    for name, xp, sync in backends(args.backend):
        run_backend(name, xp, sync, args, sched)


if __name__ == "__main__":
    main()
