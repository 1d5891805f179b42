"""Inherited designated Roth money: read from the money sources, not from ``beneficiary.roth``.

The rule (IRC §402A(d)(5), added by SECURE 2.0 §325(a) for taxable years beginning after
December 31, 2023, §325(b); the July 2024 proposed regulations, REG-103529-23): designated Roth
money owes no RMD in the employee's life from 2024, so it is treated as if the employee died
before the required beginning date (no annual amounts under the 10-year rule).  An employee
who died before 2024 owed lifetime RMDs on it: a death on or after the RBD follows the rule of
other money (§401(a)(9)(B)(i); Treas. Reg. §1.401(a)(9)-5(d)(1)).

Figures worked by hand from the Single Life Table, Treas. Reg. §1.401(a)(9)-9(b) (IRS Pub.
590-B, Appendix B, Table I, 2022 and later): 27 → 58.2, 29 → 56.3, 81 → 10.5.

The case: a nephew born 1996-09-09 inherits the 401(k) of an employee born 1943-06-30 (70½ on
1943-12-30 + 70 years: 2013-12-30, so the RBD is 2014-04-01: the death is after it); the
request is dated 2026-11-23.
"""

from __future__ import annotations

import pytest

from routes.conftest import make, outcome, route

NEPHEW = {"deceased_birth_date": "1943-06-30", "date_of_death": "2024-11-11",
          "relationship": "individual", "account": "plan"}
ROTH = {"roth_deferral": {"balance": 120000, "contributions": 45000, "first_year": 2015}}
MIXED = {"elective_deferral": {"balance": 100000}, **ROTH}


def heir(sources: dict, ben: dict | None = None, **changes) -> dict:
    return make({"person.birth_date": "1996-09-09", "income.wages": 64000, "employment": None,
                 "request.date": "2026-11-23", "request.amount": 10000,
                 "account.sources": sources, "beneficiary": {**NEPHEW, **(ben or {})},
                 **changes})


def codes(result: dict) -> set[str]:
    return {x["code"] for row in result["routes"] if row["route"] == "beneficiary"
            for x in row["reasons"]}


@pytest.mark.parametrize("flag", [{}, {"roth": False}, {"roth": True}])
def test_roth_only_account_has_no_rbd_whatever_the_flag(assess, flag):
    """Roth sources only, death in 2024: no RBD, so the 10-year rule without annual amounts —
    nothing due in 2026, empty by 2034-12-31 (10th year after 2024).  Before the fix, the flag
    left out gave 120,000 / 55.3 = $2,169.98 (the nephew 29 in 2025: 56.3, less one)."""
    res = assess(heir(ROTH, flag))
    s = route(res, "beneficiary")
    assert s["method"] == "ten_year" and s["required"] == 0.0 and s["remaining"] == 0.0
    assert s["empty_by"] == "2034-12-31" and s["required_beginning_date"] is None
    assert "BN_ROTH_PLAN_NO_RBD" in codes(res) and "BN_AFTER_RBD" not in codes(res)


def test_mixed_account_minimum_on_the_non_roth_money_only(assess):
    """Pre-tax $100,000 beside Roth $120,000, death after the RBD in 2024: the 10-year rule
    with annual amounts on the pre-tax money only: 100,000 / 55.3 = $1,808.32 (not
    220,000 / 55.3 = $3,978.30); the Roth part, as if before the RBD, owes no annual amount."""
    res = assess(heir(MIXED))
    s = route(res, "beneficiary")
    assert s["method"] == "ten_year_with_annual" and s["divisor"] == 55.3
    assert s["required"] == pytest.approx(1808.32, abs=0.005)
    assert s["remaining"] == pytest.approx(1808.32, abs=0.005)
    assert "BN_ROTH_PART_APART" in codes(res)


def test_mixed_account_given_prior_balance_is_split_by_the_sources(assess):
    """A prior year-end balance of $110,000 given for the whole account: its pre-tax share is
    100/220 of it, $50,000, and 50,000 / 55.3 = $904.16."""
    s = route(assess(heir(MIXED, {"prior_year_end_balance": 110000})), "beneficiary")
    assert s["required"] == pytest.approx(904.16, abs=0.005)


def test_mixed_account_estate_roth_part_under_the_five_year_rule(assess):
    """No designated beneficiary, death after the RBD: the pre-tax money over the employee's
    remaining life expectancy — 81 in 2024: 10.5, less 2 by 2026 = 8.5, 100,000 / 8.5 =
    $11,764.71; the Roth money, as if before the RBD, falls under the 5-year rule (empty by
    2029-12-31) with no annual amount.  Not 220,000 / 8.5 = $25,882.35."""
    s = route(assess(heir(MIXED, {"relationship": "non_designated"})), "beneficiary")
    assert s["method"] == "deceased_life_expectancy" and s["divisor"] == 8.5
    assert s["required"] == pytest.approx(11764.71, abs=0.005)


def test_pre_tax_only_account_unchanged(assess):
    """No Roth money: 100,000 / 55.3 = $1,808.32, no Roth reason."""
    res = assess(heir({"elective_deferral": {"balance": 100000}}))
    s = route(res, "beneficiary")
    assert s["required"] == pytest.approx(1808.32, abs=0.005)
    assert not {"BN_ROTH_PART_APART", "BN_ROTH_PLAN_NO_RBD"} & codes(res)


def test_roth_death_before_2024_after_rbd_keeps_annual_amounts(assess):
    """Death 2022-06-01 (the employee 79, after his RBD): he owed lifetime RMDs on the Roth
    money, so the 10-year rule with annual amounts — the nephew 27 in 2023: 58.2, less 3 by
    2026 = 55.2 (longer than the employee's 11.9 − 4); 120,000 / 55.2 = $2,173.91.  The 2024
    amount missed is waived by Notice 2024-35; the answer says why (no "from 2024" premise)."""
    ben = {"date_of_death": "2022-06-01", "roth": True,
           "missed": [{"year": 2024, "shortfall": 2100}]}
    res = assess(heir(ROTH, ben))
    s = route(res, "beneficiary")
    assert s["method"] == "ten_year_with_annual" and s["divisor"] == 55.2
    assert s["required"] == pytest.approx(2173.91, abs=0.005)
    assert s["empty_by"] == "2032-12-31" and s["excise_missed"] == 0.0
    got = codes(res)
    assert "BN_ROTH_PLAN_LIFETIME_RMDS" in got and "BN_AFTER_RBD" in got
    assert "BN_ROTH_PLAN_NO_RBD" not in got and "BN_RELIEF_NOTICE_2024_35" in got


def test_roth_death_before_2024_before_rbd_no_annual_amounts(assess):
    """An employee born 1960 who died in 2022 had not reached his RBD: the 10-year rule, no
    annual amounts, whatever the money (§401(a)(9)(B)(ii), (H))."""
    res = assess(heir(ROTH, {"deceased_birth_date": "1960-03-01", "date_of_death": "2022-06-01"}))
    s = route(res, "beneficiary")
    assert s["method"] == "ten_year" and s["required"] == 0.0
    assert "BN_ROTH_PLAN_LIFETIME_RMDS" not in codes(res)


def test_mixed_account_withholding_counts_only_the_non_roth_money(assess):
    """$10,000 paid pro rata: $4,545.45 pre-tax, $5,454.55 qualified Roth (first year 2015,
    death: no tax).  The required $1,808.32 comes from the pre-tax money only, 10% (§3405(b)):
    $180.83; the rest of the pre-tax, $2,737.13, is an eligible rollover distribution, 20%
    (§3405(c)): $547.43; the Roth part, nothing taxable: total $728.26."""
    o = outcome(assess(heir(MIXED)), "beneficiary")
    assert o["withholding"] == pytest.approx(728.26, abs=0.01)
