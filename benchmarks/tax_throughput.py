"""Federal income tax throughput: dist401k against Tax-Calculator on the same units, same run.

    python benchmarks/tax_throughput.py [--sizes 1 10000 1000000] [--write docs/performance.md]

For each size the same random units (every filing status, 2024–2026) are taxed by
dist401k (``federal_tax`` on validated units, and end to end from columns, validation
included) and by Tax-Calculator (``Records`` + ``Calculator.calc_all`` per year, which is how
it is used).  Times are the best of a few repetitions (one for Tax-Calculator at 1,000,000).
Ratios within one run are what to compare: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _report import best, machine_line, replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from dist401k.tax import TaxUnits, federal_tax
from oracles.households import random_units
from oracles.taxcalc_oracle import taxcalc_income_tax


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        cols = random_units(n, seed=7)
        units = TaxUnits.from_columns(cols)
        federal_tax(units)  # warm: the law's tables are built once per process
        reps = 200 if n == 1 else (10 if n <= 10_000 else 3)
        ours = best(lambda u=units: federal_tax(u), reps)
        e2e = best(lambda c=cols: federal_tax(TaxUnits.from_columns(c)), max(1, reps // 3))
        theirs = best(lambda c=cols: taxcalc_income_tax(c), 1 if n >= 1_000_000 else 3)
        rows.append(dict(n=n, ours=ours, e2e=e2e, taxcalc=theirs))
        print(f"{n:>9,} units: dist401k {ours * 1e3:10.3f} ms ({n / ours:>12,.0f}/s), "
              f"end to end {e2e * 1e3:10.3f} ms, Tax-Calculator {theirs * 1e3:10.1f} ms "
              f"({n / theirs:>10,.1f}/s); ratio {theirs / ours:,.1f}×", flush=True)
    return rows


def machine() -> str:
    import taxcalc

    return machine_line(f"Tax-Calculator {taxcalc.__version__}")

def markdown(rows: list[dict]) -> str:
    lines = [
        f"Machine: {machine()}.",
        "",
        "| units | dist401k `federal_tax` | units/s | end to end (with validation) | "
        "Tax-Calculator | units/s | Tax-Calculator ÷ dist401k |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['ours'] * 1e3:,.3f} ms | {r['n'] / r['ours']:,.0f} | "
            f"{r['e2e'] * 1e3:,.3f} ms | {r['taxcalc'] * 1e3:,.0f} ms | "
            f"{r['n'] / r['taxcalc']:,.1f} | {r['taxcalc'] / r['ours']:,.1f}× "
            f"(end to end {r['taxcalc'] / r['e2e']:,.1f}×) |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10_000, 1_000_000])
    ap.add_argument("--write", type=Path, help="replace the tax section of this Markdown file")
    args = ap.parse_args()
    table = markdown(run(args.sizes))
    print(table)
    if args.write:
        replace_section(args.write, "tax_throughput", table)


if __name__ == "__main__":
    main()
