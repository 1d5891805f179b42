"""Federal plus state income tax throughput: dist401k against PolicyEngine-US, same units, same run.

    python benchmarks/state_tax_throughput.py [--units 1000000] [--sample 300] [--write docs/performance.md]

Random retiree units (ages 50–85, every filing status, with and without wages, interest and
Social Security, 2024–2026) spread evenly over the states dist401k covers are taxed by dist401k:
``federal_tax`` then ``state_tax`` on the federal AGI and taxable Social Security it found (the
units validated once, as a batch job does; "end to end" adds the validation of the columns).
PolicyEngine-US computes the federal income tax and the state income tax of a sample of the
same units (one ``Simulation`` per year, every state in it, as the oracle runs it): a million
households is beyond it on this machine, so its time per unit on the sample is scaled to the
whole batch, and the ratio is of throughputs.  Best of a few repetitions for dist401k, one run
for PolicyEngine-US.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np
from _report import best, machine_line, replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.state import COVERED, StateUnits, state_tax
from dist401k.tax.state.with_federal import federal_figures
from oracles.policyengine_state_oracle import _situation, random_retirees

STATE_COLUMNS = ("state", "tax_year", "filing_status", "age_head", "age_spouse", "wages",
                 "taxable_distributions", "social_security")


def mixed_units(n: int, seed: int = 11) -> dict[str, np.ndarray]:
    """``n`` random retiree units spread evenly over the covered states, shuffled."""
    per = -(-n // len(COVERED))
    parts = [random_retirees(per, seed + k, s) for k, s in enumerate(COVERED)]
    cols = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    order = np.random.default_rng(seed).permutation(len(cols["state"]))[:n]
    return {k: v[order] for k, v in cols.items()}


def ours(cols: dict, validated: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Federal and state income tax of every unit (validating the columns unless given): the
    state units take the federal figures the federal tax found (AGI, taxable Social Security,
    taxable income, standard deduction)."""
    units, state_units = validated if validated is not None else validate(cols)
    fed = federal_tax(units)
    for name, values in federal_figures(fed).items():
        setattr(state_units, name, values)
    st = state_tax(state_units)
    return fed["income_tax"], st["state_income_tax"]


def validate(cols: dict) -> tuple[TaxUnits, StateUnits]:
    """The checked federal units and state units (the state's federal figures filled later)."""
    units = TaxUnits.from_columns({k: v for k, v in cols.items() if k != "state"})
    return units, StateUnits.from_columns({k: cols[k] for k in STATE_COLUMNS})


def policyengine(cols: dict) -> tuple[np.ndarray, np.ndarray]:
    """PolicyEngine-US's federal income tax and state income tax (one simulation a year)."""
    from policyengine_us import Simulation

    n = len(cols["tax_year"])
    fed, st = np.full(n, np.nan), np.full(n, np.nan)
    for year in np.unique(cols["tax_year"]):
        idx = np.flatnonzero(cols["tax_year"] == year)
        sim = Simulation(situation=_situation(cols, idx, str(int(year))))
        fed[idx] = sim.calculate("income_tax", int(year))
        st[idx] = sim.calculate("state_income_tax", int(year))
    return fed, st


def run(n: int, sample: int) -> dict:
    cols = mixed_units(n)
    validated = validate(cols)
    ours(cols, validated)  # warm: the law's tables are built once per process
    t_ours = best(lambda: ours(cols, validated), 3)
    t_e2e = best(lambda: ours(cols), 2)
    t_fed = best(lambda: federal_tax(validated[0]), 3)
    few = {k: v[:sample] for k, v in cols.items()}
    t = time.perf_counter()
    policyengine(few)
    t_pe = time.perf_counter() - t
    row = dict(n=n, states=len(COVERED), ours=t_ours, e2e=t_e2e, federal=t_fed, sample=sample,
               pe_sample=t_pe, pe_scaled=t_pe / sample * n, load=os.getloadavg())
    print(f"{n:,} units over {len(COVERED)} states: dist401k federal + state {t_ours:.3f} s "
          f"({n / t_ours:,.0f}/s; federal alone {t_fed:.3f} s), end to end {t_e2e:.3f} s; "
          f"PolicyEngine-US {sample} units {t_pe:.1f} s ({sample / t_pe:.2f}/s), scaled "
          f"{row['pe_scaled']:,.0f} s; ratio {row['pe_scaled'] / t_ours:,.0f}×; load "
          f"{row['load'][0]:.1f}", flush=True)
    return row


def machine() -> str:
    from importlib.metadata import version

    return machine_line(f"PolicyEngine-US {version('policyengine-us')}")

def markdown(r: dict) -> str:
    return "\n".join([
        f"Machine: {machine()}; load average {r['load'][0]:.1f} during the run.",
        "",
        "| units (states) | dist401k federal + state | units/s | end to end (with validation) | "
        "federal alone | PolicyEngine-US (sample) | its units/s | scaled to all | "
        "PolicyEngine-US ÷ dist401k |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['n']:,} ({r['states']}) | {r['ours']:.3f} s | {r['n'] / r['ours']:,.0f} | "
        f"{r['e2e']:.3f} s ({r['n'] / r['e2e']:,.0f}/s) | {r['federal']:.3f} s | "
        f"{r['pe_sample']:.1f} s ({r['sample']:,} units) | {r['sample'] / r['pe_sample']:.2f} | "
        f"{r['pe_scaled']:,.0f} s | {r['pe_scaled'] / r['ours']:,.0f}× |",
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--write", type=Path, help="replace the state section of this Markdown file")
    args = ap.parse_args()
    table = markdown(run(args.units, args.sample))
    print(table)
    if args.write:
        replace_section(args.write, "state_tax_throughput", table)


if __name__ == "__main__":
    main()
