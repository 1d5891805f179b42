"""The surviving spouse's election to be treated as the employee (IRC §401(a)(9)(B)(iv) as SECURE
2.0 §327 rewrote it) is open only where the employee died before the required beginning date.

Clause (iv) applies to "the designated beneficiary referred to in clause (iii)(I)"; clause (iii)
is the exception to clause (ii), the 5-year rule for an employee who "dies before the
distribution of the employee's interest has begun" — before the RBD.  A death on or after the
RBD is governed by clause (i) and Treas. Reg. §1.401(a)(9)-5(d)(1)(ii) (T.D. 10001): the longer
of the sole spouse's Single Life Table figure, read again each year, and the employee's
remaining life expectancy (the table at his age in the year of death, less one a year).
Figures: Single Life Table, Treas. Reg. §1.401(a)(9)-9(b) (IRS Pub. 590-B, Table I: 76 → 14.1);
Uniform Lifetime Table, §1.401(a)(9)-9(c) (Pub. 590-B, Table III: 76 → 23.7).
"""

from __future__ import annotations

import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.inherited import inherited_divisors
from routes.conftest import make, route

LAW = default_law()
# The employee, born 1948-02-11 (before July 1, 1949), reached 70½ on 2018-08-11: RBD 2019-04-01
# (§401(a)(9)(C) before the SECURE Act); his death on 2024-03-01 is after it.
AFTER_RBD = {"deceased_birth_date": "1948-02-11", "date_of_death": "2024-03-01",
             "relationship": "spouse", "spouse_election": "employee",
             "prior_year_end_balance": 500000}


def _case(ben: dict, date: str = "2026-11-23") -> dict:
    return make({"person.birth_date": "1950-05-20", "request.date": date, "beneficiary": ben,
                 "employment": None, "income": None,
                 "account.sources": {"elective_deferral": {"balance": 500000}}})


def _codes(result: dict) -> set[str]:
    return {x["code"] for row in result["routes"] if row["route"] == "beneficiary"
            for x in row["reasons"]}


def test_the_election_after_the_rbd_is_ignored_and_the_longer_period_applies(assess):
    """The spouse is 76 in 2026: Single Life Table 14.1; the employee was 76 in 2024, 14.1 less
    one for each of 2025 and 2026 = 12.1.  The longer is 14.1: 500,000 ÷ 14.1 = 35,460.99 —
    not 500,000 ÷ 23.7 (the Uniform Lifetime Table at 76) = 21,097.05."""
    r = assess(_case(AFTER_RBD))
    s = route(r, "beneficiary")
    assert s["death_after_required_beginning_date"]
    assert s["method"] == "spouse_life_expectancy"
    assert s["divisor"] == 14.1
    assert s["required"] == pytest.approx(35460.99, abs=0.005)
    assert s["start_year"] == 2025  # the year after the death, not the employee's applicable age
    codes = _codes(r)
    assert "BN_SPOUSE_ELECTION_AFTER_RBD" in codes
    assert not {"BN_SPOUSE_AS_EMPLOYEE", "BN_SPOUSE_DELAY", "BN_ULT_NOT_HELD"} & codes
    assert {"BN_SPOUSE_RECALCULATES", "BN_LONGER_OF"} <= codes
    # The same answer as a spouse who made no election.
    plain = route(assess(_case({**AFTER_RBD, "spouse_election": "beneficiary"})), "beneficiary")
    assert (plain["method"], plain["divisor"], plain["required"]) == (
        s["method"], s["divisor"], s["required"])


def test_the_employees_remaining_life_expectancy_can_be_the_longer(assess):
    """A spouse older than the employee: she 80 in 2026 (Table I: 11.2); he, born 1951-01-10,
    reached 73 in 2024 (RBD 2025-04-01) and died on 2025-06-01, 74 that year (Table I: 15.6),
    15.6 − 1 = 14.6 in 2026.  The longer is his: 500,000 ÷ 14.6 = 34,246.58."""
    ben = {**AFTER_RBD, "deceased_birth_date": "1951-01-10", "date_of_death": "2025-06-01"}
    r = assess(make({"person.birth_date": "1946-03-01", "request.date": "2026-11-23",
                     "beneficiary": ben, "employment": None, "income": None,
                     "account.sources": {"elective_deferral": {"balance": 500000}}}))
    s = route(r, "beneficiary")
    assert s["method"] == "spouse_life_expectancy" and s["divisor"] == 14.6
    assert s["required"] == pytest.approx(34246.58, abs=0.005)
    assert "BN_SPOUSE_ELECTION_AFTER_RBD" in _codes(r)


def test_the_election_before_the_rbd_still_counts(assess):
    """Born 1952-06-01, applicable age 73 reached in 2025, RBD 2026-04-01; death on 2025-12-01
    is before it: the election stands — the Uniform Lifetime Table at the spouse's age, 76 in
    2026: 23.7, 500,000 ÷ 23.7 = 21,097.05, from 2026 (the later of the year after death and
    the year he would have reached 73)."""
    ben = {**AFTER_RBD, "deceased_birth_date": "1952-06-01", "date_of_death": "2025-12-01"}
    r = assess(_case(ben))
    s = route(r, "beneficiary")
    assert not s["death_after_required_beginning_date"]
    assert s["method"] == "spouse_as_employee" and s["divisor"] == 23.7
    assert s["required"] == pytest.approx(21097.05, abs=0.005)
    codes = _codes(r)
    assert "BN_SPOUSE_AS_EMPLOYEE" in codes and "BN_SPOUSE_ELECTION_AFTER_RBD" not in codes


def test_the_planner_takes_the_same_period():
    """The drawdown planner reads the beneficiary route: the same 14.1 in 2026, and in 2027 the
    spouse's 77 (Table I: 13.3) against his 14.1 − 3 = 11.1: 13.3."""
    raw = {"id": "widow", "start_year": 2026,
           "people": [{"name": "W", "birth_date": "1950-05-20", "life_expectancy": 95,
                       "accounts": {"pretax": 0}}],
           "inherited": [{"heir": 0, "balance": 500000,
                          "beneficiary": {k: v for k, v in AFTER_RBD.items()
                                          if k != "prior_year_end_balance"} | {"account": "plan"}}],
           "spending": {"annual": 40000}}
    hh = parse_household(raw)
    got = inherited_divisors(hh.people[0].birth_date, hh.inherited[0], LAW, [2026, 2027])
    assert list(got) == pytest.approx([14.1, 13.3])
