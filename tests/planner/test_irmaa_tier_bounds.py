"""IRMAA at a tier's upper figure on the per-return (2-D) path: a batch of returns, each with
its own year and filing status, where the thresholds come as one row per return.

20 CFR 418.1115 writes each tier as MAGI "more than $X and less than or equal to $Y": MAGI
exactly at a figure stays in the tier below; a dollar over moves up.  CMS, 2026 Medicare Parts A
& B Premiums and Deductibles (Nov. 14, 2025) and the Part D fact sheet: single $109,000 /
$137,000; joint $218,000 / $274,000; the Part B adjustment $81.20 a month in the first tier and
$202.90 in the second, Part D $14.50 and $37.50.  A year's surcharge is 12 months of both, for
each person on Medicare (42 U.S.C. §1395r(i), §1395w-113(a)(7)).  The mutation audit's P02
(``>`` made ``>=`` on this path) passed every planner test: the planner caps MAGI at a figure
on purpose, so its plans land on this boundary."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.planner.medicare import irmaa_surcharge, irmaa_tier

LAW = default_law()
FIRST = 12 * (81.20 + 14.50)  # $1,148.40 a person a year
SECOND = 12 * (202.90 + 37.50)  # $2,884.80 a person a year

CASES = [
    # (status, MAGI, people on Medicare, tier, yearly surcharge)
    (SINGLE, 109_000.00, 1, 0, 0.0),  # at $109,000: not "more than" it
    (SINGLE, 109_001.00, 1, 1, FIRST),  # a dollar over
    (SINGLE, 137_000.00, 1, 1, FIRST),  # at the first tier's upper figure
    (SINGLE, 137_001.00, 1, 2, SECOND),
    (MARRIED_JOINT, 218_000.00, 2, 0, 0.0),  # joint: twice the single figures
    (MARRIED_JOINT, 218_001.00, 2, 1, 2 * FIRST),  # $2,296.80 for the two
    (MARRIED_JOINT, 274_000.00, 2, 1, 2 * FIRST),
    (MARRIED_JOINT, 274_001.00, 2, 2, 2 * SECOND),  # $5,769.60
]


def _columns():
    status = np.array([c[0] for c in CASES])
    magi = np.array([c[1] for c in CASES])
    people = np.array([c[2] for c in CASES])
    year = np.full(len(CASES), 2026)
    return year, status, magi, people


def test_the_figure_itself_stays_in_the_tier_below_each_return_its_own_status():
    year, status, magi, people = _columns()
    assert irmaa_tier(LAW, year, status, magi).tolist() == [c[3] for c in CASES]
    assert irmaa_surcharge(LAW, year, status, magi, people) == pytest.approx(
        [c[4] for c in CASES], abs=0.005)
