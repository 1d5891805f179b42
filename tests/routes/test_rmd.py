"""Required minimum distributions: ages by birth date, the tables, still working, deadlines."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.routes.rmd import applicable_age, rmd_divisor
from routes.conftest import make, outcome, route

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


#: Born 1952-03-01: 73 in 2025, the first RMD year, not taken in 2025; $19,622.64 of it owed.
DEFERRED = {"person.birth_date": "1952-03-01", "employment.status": "separated",
            "employment.separation_date": "2015-06-30",
            "account.prior_year_end_balance": 510000,
            "account.last_year_rmd_unpaid": 19622.64, "request.amount": 50000}


@pytest.mark.parametrize(("date", "code", "first_deadline"), [
    ("2026-02-15", "RM_FIRST_DEFERRED", "2026-04-01"),
    ("2026-04-01", "RM_FIRST_DEFERRED", "2026-04-01"),
    ("2026-04-02", "RM_LAST_YEAR_MISSED", None)])
def test_the_first_rmd_waits_for_april_1_then_two_fall_in_one_year(assess, date, code,
                                                                  first_deadline):
    """IRC §401(a)(9)(C): the first RMD (for 2025) may be paid by April 1, 2026; 2026's own is
    due too, by December 31 (Pub. 590-B: the second by December 31 of that year): 510,000 ÷
    25.5 (74 in 2026) = 20,000, so 39,622.64 must be paid in 2026, none of it rollable (Treas.
    Reg. §1.402(c)-2, Q&A-7): a direct rollover of $50,000 leaves the 39,622.64 in cash, with
    10% withheld on it (§3405(b)).  After April 1 the first RMD was missed: still owed, and an
    excise tax (§4974) is said."""
    r = assess(make(DEFERRED, **{"request.date": date}))
    s = route(r, "rmd")
    assert s["rmd"] == pytest.approx(20000) and s["remaining"] == pytest.approx(39622.64)
    assert s["deadline"] == "2026-12-31" and s["last_year_rmd"] == pytest.approx(19622.64)
    assert s["last_year_deadline"] == first_deadline
    dates = [d["date"] for d in outcome(r, "rmd", "cash")["deadlines"]]
    assert dates == [x for x in (first_deadline, "2026-12-31") if x]
    rmd_row = next(x for x in r["routes"] if x["route"] == "rmd")
    assert code in {x["code"] for x in rmd_row["reasons"]}
    rolled = outcome(r, "separation", "traditional_ira")
    assert rolled["to_traditional_ira"] == pytest.approx(50000 - 39622.64)
    assert rolled["withholding"] == pytest.approx(3962.26, abs=0.01)


def test_the_first_rmds_april_1_goes_once_it_is_paid(assess):
    """What is paid this year counts toward last year's first RMD first (Treas. Reg.
    §1.401(a)(9)-5(a)(2)): once it covers it, only this year's RMD is left, due December 31, and
    no April 1 deadline is said."""
    r = assess(make(DEFERRED, **{"request.date": "2026-02-15",
                                 "account.distributed_this_year": 19622.64}))
    s = route(r, "rmd")
    assert s["remaining"] == pytest.approx(20000) and s["last_year_deadline"] is None
    rmd_row = next(x for x in r["routes"] if x["route"] == "rmd")
    assert "RM_FIRST_DEFERRED" not in {x["code"] for x in rmd_row["reasons"]}


def test_last_years_rmd_counts_only_where_one_was_due(assess):
    """Born 1953-03-01: 73 in 2026, the first RMD year: no RMD was due for 2025, so an unpaid
    amount given for it is not counted, and the answer says so."""
    r = assess(make(DEFERRED, **{"person.birth_date": "1953-03-01",
                                 "request.date": "2026-02-15",
                                 "account.prior_year_end_balance": 530000}))
    s = route(r, "rmd")
    assert s["remaining"] == pytest.approx(20000)
    rmd_row = next(x for x in r["routes"] if x["route"] == "rmd")
    assert "RM_LAST_YEAR_NONE" in {x["code"] for x in rmd_row["reasons"]}


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


# Notice 2014-54's distribution: $100,000 of which $80,000 pre-tax and $20,000 after-tax, $70,000
# rolled over and $30,000 paid out. Here the $30,000 paid out is the year's RMD: 711,000 / 23.7
# at 76 (the prior year-end balance, all of it after-tax money with a fifth of it basis).
NOTICE_2014_54 = {"person.birth_date": "1950-05-05", "employment.status": "separated",
                  "employment.separation_date": "2015-01-01",
                  "account.prior_year_end_balance": 711000,
                  "account.sources": {"after_tax": {"balance": 711000, "basis": 142200}},
                  "request.amount": 100000}


def test_a_rollover_beside_the_rmd_takes_the_pretax_money_first(assess):
    # §402(c)(2), last sentence, and Notice 2014-54, §III.A: the $70,000 rolled over is all
    # pre-tax; the $30,000 paid out is $10,000 pre-tax and all $20,000 of the after-tax money.
    r = assess(make(NOTICE_2014_54))
    assert route(r, "rmd")["remaining"] == pytest.approx(30000)
    cash = outcome(r, "separation", "cash")
    assert cash["taxable"] == pytest.approx(80000)  # all paid out: pro rata, §72(e)(8)
    ira = outcome(r, "separation", "traditional_ira")
    assert ira["to_traditional_ira"] == pytest.approx(70000)
    assert ira["taxable"] == pytest.approx(10000)
    assert ira["nontaxable"] == pytest.approx(90000)
    assert ira["withholding"] == pytest.approx(1000)  # 10% of the RMD's taxable $10,000
    # Nothing after-tax is rolled, so no basis enters the IRA (Form 8606, line 2).
    assert [(f["part"], f["box_1"], f["box_2a"], f["box_5"]) for f in ira["form_1099r"]] == [
        ("pretax_cash", 30000, 10000, 20000), ("rolled_pretax", 70000, 0, 0)]
    split = outcome(r, "separation", "split_2014_54")
    assert split["to_traditional_ira"] == pytest.approx(70000)
    assert split["to_roth_ira"] == pytest.approx(0)
    roth = outcome(r, "separation", "roth_ira")  # a conversion of $70,000 pre-tax
    assert roth["taxable"] == pytest.approx(80000)


def test_a_rollover_larger_than_the_pretax_money_carries_the_rest_of_the_basis(assess):
    # $100,000 with $80,000 pre-tax, an RMD of $10,000 paid out: the $90,000 rolled is the
    # $80,000 pre-tax and $10,000 after-tax; the RMD is the other $10,000 of after-tax money.
    r = assess(make(NOTICE_2014_54, **{"account.prior_year_end_balance": 237000}))
    assert route(r, "rmd")["remaining"] == pytest.approx(10000)
    ira = outcome(r, "separation", "traditional_ira")
    assert ira["taxable"] == pytest.approx(0) and ira["withholding"] == pytest.approx(0)
    assert [(f["part"], f["box_1"], f["box_2a"], f["box_5"]) for f in ira["form_1099r"]] == [
        ("pretax_cash", 10000, 0, 10000), ("rolled_pretax", 90000, 0, 10000)]
    split = outcome(r, "separation", "split_2014_54")
    assert split["to_traditional_ira"] == pytest.approx(80000)
    assert split["to_roth_ira"] == pytest.approx(10000)
