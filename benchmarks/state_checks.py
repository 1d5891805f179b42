"""The state input checks of a batch, per row against as array operations, in the same run.

    python benchmarks/state_checks.py [--rows 1000000] [--write docs/performance.md]

The same random tax units (tests/oracles/households.random_units) with a ``state`` column of
covered states' codes written as people write them ("ca", " NY ", "Tx") go through the state's
input checks (``StateUnits.from_columns``) and through the whole ``tax`` batch job (federal and
state tax, the columns read from an Arrow table as ``dist401k batch --job tax`` reads them):
once with the state codes read one row at a time (the former ``_Checker.states``, kept here as
the reference) and once as they are read now (``state_codes``: Arrow's string kernels).  Best
of a few repetitions; the ratio within the run is what to compare (the machine is shared).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np
import pyarrow as pa
from _report import best, machine_line, replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import dist401k.tax.state.units as state_units  # noqa: E402
from dist401k.jobs import run_job  # noqa: E402
from dist401k.law import default_law  # noqa: E402
from dist401k.tax.state import COVERED, StateUnits  # noqa: E402
from dist401k.tax.state.units import STATE_CODES  # noqa: E402
from dist401k.tax.state.with_federal import state_inputs  # noqa: E402
from oracles.households import random_units  # noqa: E402


def per_row_state_codes(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The reference: each value read in Python, one row at a time (as before)."""
    code = np.array([str(v).strip().upper() if isinstance(v, str) else "" for v in raw],
                    dtype="<U2")
    known = set(STATE_CODES)
    bad = np.array([not (isinstance(v, str) and v.strip().upper() in known) for v in raw],
                   dtype=bool)
    return code, bad


def columns(n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    cols = random_units(n, seed=5)
    codes = np.array(sorted(COVERED), dtype=object)[rng.integers(0, len(COVERED), n)]
    way = rng.integers(0, 3, n)
    cols["state"] = np.where(way == 0, np.char.lower(codes.astype(str)).astype(object),
                             np.where(way == 1, " " + codes + " ", codes))
    return cols


def run(n: int) -> dict:
    law = default_law()
    cols = columns(n)
    table = pa.table({k: pa.array(v) for k, v in cols.items()})
    state_cols = state_inputs(cols)
    fast = state_units.state_codes
    a, b = per_row_state_codes(cols["state"]), fast(cols["state"])
    assert (a[0] == b[0]).all() and (a[1] == b[1]).all()  # the same verdict, row for row
    out: dict = {"n": n}
    for name, impl in (("per_row", per_row_state_codes), ("arrays", fast)):
        state_units.state_codes = impl
        try:
            out[f"checks_{name}"] = best(lambda: StateUnits.from_columns(state_cols, law, None), 3)
            out[f"job_{name}"] = best(lambda: run_job(table, "tax", law), 2)
        finally:
            state_units.state_codes = fast
        print(f"{name:>8}: state checks {out[f'checks_{name}']:.3f} s, "
              f"tax job {out[f'job_{name}']:.3f} s", flush=True)
    return out


def markdown(r: dict) -> str:
    return "\n".join([
        f"Machine: {machine_line('no peer (dist401k before and after)')}.",
        "",
        f"| {r['n']:,} rows | state codes read per row | as array operations | per row ÷ arrays |",
        "|---|---:|---:|---:|",
        f"| state input checks (`StateUnits.from_columns`) | {r['checks_per_row']:.3f} s | "
        f"{r['checks_arrays']:.3f} s | {r['checks_per_row'] / r['checks_arrays']:.1f}× |",
        f"| whole `tax` job (federal and state) | {r['job_per_row']:.3f} s | "
        f"{r['job_arrays']:.3f} s | {r['job_per_row'] / r['job_arrays']:.2f}× |",
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--write", type=Path, help="replace the state_checks section of this file")
    args = ap.parse_args()
    result = markdown(run(args.rows))
    print(result)
    if args.write is not None:
        replace_section(args.write, "state_checks", result)


if __name__ == "__main__":
    main()
