"""The Joint and Last Survivor Table for a sole-beneficiary spouse under 20.

Treas. Reg. §1.401(a)(9)-9(d) (T.D. 9930, 85 FR 72472; IRS Pub. 590-B Appendix B Table II)
gives the table from age 0 for both lives.  Before this fix the law file began at the spouse's
age 20 and the route read any younger spouse as 20: an owner of 75 with a spouse of 16 or 18 got
65.1 (the period for 20) instead of 69.0 or 67.1.

Expected values are read off §1.401(a)(9)-9(d) (the row of the older life, the column of the
younger); the amounts are the December 31 balance divided by them, worked by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.routes.rmd import rmd_divisor
from routes.conftest import make, route

LAW = default_law()

#: Owner born 1951-02-11 (75 in 2026), retired, $500,000 on December 31, 2025.
OWNER = {"person.birth_date": "1951-02-11", "employment.status": "separated",
         "employment.separation_date": "2020-12-31", "account.prior_year_end_balance": 500000,
         "account.sources": {"elective_deferral": {"balance": 520000}},
         "request.date": "2026-06-01", "person.spouse_sole_beneficiary": True}


@pytest.mark.parametrize(("spouse_born", "period", "amount"), [
    # 18 in 2026: row 75, column 18 → 67.1; 500,000 / 67.1 = 7,451.56.
    ("2008-01-01", 67.1, 7451.56),
    # 16 in 2026: row 75, column 16 → 69.0; 500,000 / 69.0 = 7,246.38.
    ("2010-01-01", 69.0, 7246.38),
    # 20 in 2026 (the table's old first column, unchanged): 65.1; 500,000 / 65.1 = 7,680.49.
    ("2006-01-01", 65.1, 7680.49),
])
def test_rmd_with_a_spouse_under_20_uses_the_spouse_s_own_age(assess, spouse_born, period,
                                                              amount):
    s = route(assess(make(OWNER, **{"person.spouse_birth_date": spouse_born})), "rmd")
    assert s["divisor"] == period
    assert s["rmd"] == pytest.approx(amount, abs=0.005)


@pytest.mark.parametrize(("owner", "spouse", "period"), [
    (72, 0, 84.7), (73, 19, 66.1), (70, 10, 74.9), (85, 6, 78.8), (95, 15, 69.9),
    (120, 0, 84.6), (125, 5, 79.8),  # "120 and over" reads as 120
])
def test_joint_periods_at_the_regulation_for_spouses_under_20(owner, spouse, period):
    d, joint = rmd_divisor(LAW, 2026, np.array([owner]), np.array([float(spouse)]),
                           np.array([True]))
    assert bool(joint[0]) and float(d[0]) == period


def test_joint_table_for_spouses_under_20_keeps_the_table_s_shape():
    """Each period is at least the younger life's own expectancy (§1.401(a)(9)-9(b)) and falls
    as either life ages; the column for 19 is above the column for 20 in every row."""
    owners = np.arange(70, 121)
    for spouse in range(20):
        col = LAW.table("rmd.joint_life", 2026, owners * 1000 + spouse)
        nxt = LAW.table("rmd.joint_life", 2026, owners * 1000 + spouse + 1)
        assert (col >= float(LAW.table("rmd.single_life", 2026, spouse))).all()
        assert (np.diff(col) <= 0).all() and (nxt <= col).all() and (nxt < col).any()


def test_no_period_is_made_up_for_a_pair_the_table_does_not_hold():
    """Owners under 70 owe no RMD; the file holds no spouse under 20 for them, and the divisor
    says so (NaN) rather than reading the nearest pair the file does hold."""
    d, joint = rmd_divisor(LAW, 2026, np.array([45, 45]), np.array([15.0, 20.0]),
                           np.array([True, True]))
    assert joint.all() and np.isnan(d[0]) and float(d[1]) == 66.0  # (45, 20): §1.401(a)(9)-9(d)
