"""Required minimum distributions: ages by birth date, the tables, still working, deadlines."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.routes.rmd import applicable_age, rmd_divisor
from routes.conftest import make, route

LAW = default_law()


@pytest.mark.parametrize("birth, age", [("1949-06-30", 70.5), ("1949-07-01", 72),
                                        ("1950-12-31", 72), ("1951-01-01", 73),
                                        ("1958-12-31", 73), ("1959-06-01", 73),
                                        ("1960-01-01", 75), ("1975-05-05", 75)])
def test_applicable_age_by_birth_date(birth, age):
    assert float(applicable_age(LAW, 2026, np.array([birth], dtype="datetime64[D]"))[0]) == age


def test_uniform_table_is_the_joint_table_at_a_ten_year_gap():
    # The Uniform Lifetime Table is built as the joint life of the owner and a beneficiary
    # ten years younger: the two tables must agree on every age (IRS Pub. 590-B, Tables II/III).
    ages = np.arange(72, 121)
    uniform = LAW.table("rmd.uniform_lifetime", 2026, ages)
    joint = LAW.table("rmd.joint_life", 2026, ages * 1000 + (ages - 10))
    np.testing.assert_allclose(joint, uniform)
    # FACTS spot values (Treas. Reg. §1.401(a)(9)-9(c)): 73 → 26.5, 84 → 16.8, 120+ → 2.0.
    assert list(LAW.table("rmd.uniform_lifetime", 2026, [73, 84, 125])) == [26.5, 16.8, 2.0]


def test_joint_table_only_for_a_sole_spouse_more_than_ten_years_younger():
    d, joint = rmd_divisor(LAW, 2026, np.array([75, 75, 75]), np.array([64.0, 65.0, 60.0]),
                           np.array([True, True, False]))
    assert list(joint) == [True, False, False]
    assert d[0] > d[1] == 24.6 == d[2]


def test_rmd_amount_and_first_year_deadline(assess):
    # Born 1953-03-01: 73 in 2026, the first RMD year. Retired. $530,000 / 26.5 = $20,000,
    # due by April 1, 2027.
    r = assess(make({"person.birth_date": "1953-03-01", "employment.status": "separated",
                     "employment.separation_date": "2018-06-30",
                     "account.prior_year_end_balance": 530000,
                     "account.sources": {"elective_deferral": {"balance": 560000},
                                         "roth_deferral": {"balance": 50000, "contributions": 1,
                                                           "first_year": 2010}}}))
    s = route(r, "rmd")
    assert s["rmd"] == pytest.approx(20000) and s["deadline"] == "2027-04-01"
    roth = [row for row in r["routes"] if row["route"] == "rmd" and row["source"] == "roth_deferral"]
    assert roth[0]["eligible"] is False
    assert any(x["code"] == "RM_ROTH_EXEMPT" for x in roth[0]["reasons"])


def test_still_working_delays_but_not_for_a_five_percent_owner(assess):
    case = {"person.birth_date": "1950-05-05", "employment.status": "active",
            "account.prior_year_end_balance": 300000}
    assert route(assess(make(case)), "rmd")["eligible"] is False
    owner = assess(make(case, **{"person.five_percent_owner": True}))
    # 76 in 2026 → 23.7: 300,000 / 23.7.
    assert route(owner, "rmd")["rmd"] == pytest.approx(300000 / 23.7, abs=0.01)


def test_taken_this_year_counts_and_rmd_is_not_rollable(assess):
    r = assess(make({"person.birth_date": "1950-05-05", "employment.status": "separated",
                     "employment.separation_date": "2015-01-01",
                     "account.prior_year_end_balance": 237000,
                     "account.distributed_this_year": 4000, "request.amount": 50000}))
    assert route(r, "rmd")["remaining"] == pytest.approx(6000)
    rolled = next(o for o in r["outcomes"] if o["route"] == "separation"
                  and o["destination"] == "traditional_ira")
    # The first $6,000 (the RMD still due) stays in cash; $44,000 rolls over.
    assert rolled["to_traditional_ira"] == pytest.approx(44000)
    assert rolled["taxable"] == pytest.approx(6000)
