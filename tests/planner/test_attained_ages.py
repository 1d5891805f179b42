"""A person attains an age on the day before the birthday, for Social Security (20 CFR 404.102)
and for the tax return (Treas. Reg. §1.151-1(c)(2); IRS Pub. 501: "You are considered 65 on
the day before your 65th birthday").

Social Security: at or after full retirement age a benefit starts with the first month IN which
the person meets the requirements (42 U.S.C. §402(a)(A); 20 CFR 404.311(a)(1)) — the month the
age is attained, or the month before it for one born on a month's 1st.  Before it, no earlier
than the first month THROUGHOUT which the person has attained 62 (§402(a)(B); 404.311(a)(2);
POMS RS 00201.001 C): the month of the birthday for one born on the 1st or 2nd, else the month
after.  Before, the plan paid every benefit from the month after the birthday's month, a
month late from 62 and 1 month on, and a claim at 62 of one born on the 1st or 2nd a month
late too — and figured that claim at 60 months early where SSA counts 59 for anyone not born
on the 2nd (the months from the first month paid to the month of full retirement age).

The tax return: one born on January 1 is 65 at the end of the year before the 65th birthday,
so the additional standard deduction (§63(f)) and the senior deduction (§151(d)(5)(C)) begin a
year earlier than the year's difference of the birth year says.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.simulate import ReturnIncome, household_return
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax

LAW = default_law()
PIA = 2_000


def _one(birth: str, claim: float, start: int = 2026, **more) -> dict:
    return {"id": "ages", "start_year": start,
            "people": [{"birth_date": birth, "life_expectancy": 85,
                        "social_security": {"monthly_at_full_age": PIA, "claim_age": claim},
                        "accounts": {"ira": 500_000}}],
            "spending": {"annual": 40_000},
            "market": {"stocks": 0.05, "bonds": 0.03, "cash": 0.02, "stock_share": 0.5,
                       "inflation": 0.0}} | more


def _benefit(birth: str, claim: float, year: int) -> float:
    tl = build_timeline(parse_household(_one(birth, claim)), LAW)
    return float(tl.social_security[0, year - int(tl.years[0])])


def test_a_claim_at_70_is_paid_from_the_month_70_is_attained():
    """Born May 15, 1961 (full retirement age 67): 70 is attained on May 14, 2031, so May is the
    first month: May–December, 8 months of $2,000 × 124% (36 months of 2/3% credit,
    §402(w)) = $19,840, not 7 months ($17,360)."""
    assert _benefit("1961-05-15", 70, 2030) == 0
    assert _benefit("1961-05-15", 70, 2031) == pytest.approx(8 * PIA * 1.24)
    assert _benefit("1961-05-15", 70, 2031) == pytest.approx(19_840)
    assert _benefit("1961-05-15", 70, 2032) == pytest.approx(12 * PIA * 1.24)


def test_a_claim_at_70_of_one_born_in_february():
    """Born February 20, 1956 (full retirement age 66 and 4 months): 70 on February 19, 2026 —
    February to December, 11 months of 44 months' credit (1 + 44 × 2/3% = 129⅓%)."""
    assert _benefit("1956-02-20", 70, 2026) == pytest.approx(11 * PIA * (1 + 44 * 2 / 300))


def test_one_born_on_the_first_attains_full_retirement_age_in_the_month_before():
    """Born March 1, 1961: 67 on February 29, 2028, so February is the first month at full
    retirement age: 11 months of the PIA in 2028, not 9."""
    assert _benefit("1961-03-01", 67, 2028) == pytest.approx(11 * PIA)


def test_a_claim_between_62_and_full_retirement_age_starts_in_the_month_it_is_attained():
    """Born May 15, 1962, claiming at 64: 64 on May 14, 2026; 62 was attained long before, so May
    is a month throughout which the person has attained 62 (§402(a)(B)) — 8 months of 80% (36
    months early: 5/9% × 36, §402(q)(1)), $12,800."""
    assert _benefit("1962-05-15", 64, 2026) == pytest.approx(8 * PIA * 0.80)


@pytest.mark.parametrize(("birth", "months", "share"), [
    # Born on the 2nd: 62 on March 1, 2026, throughout March; 67 on March 1, 2031: 60 months.
    ("1964-03-02", 10, 0.70),
    # Born on the 1st: 62 on February 28, 2026, throughout March (not February); 67 on
    # February 28, 2031, so 59 months: 5/9% × 36 + 5/12% × 23 = 29 7/12% less.
    ("1964-03-01", 10, 1 - (36 * 5 / 9 + 23 * 5 / 12) / 100),
    # Born on the 15th: 62 on March 14, 2026; throughout April, 59 months before March 2031.
    ("1964-03-15", 9, 1 - (36 * 5 / 9 + 23 * 5 / 12) / 100),
])
def test_a_claim_at_62_starts_in_the_first_month_throughout_which_the_person_is_62(
        birth, months, share):
    assert _benefit(birth, 62, 2026) == pytest.approx(months * PIA * share)
    assert _benefit(birth, 62, 2027) == pytest.approx(12 * PIA * share)


def test_random_lifetimes_count_the_same_months():
    """A couple's paths: the worker's own benefit and the widow's benefit are the fixed
    timeline's.  The widow (born January 15, 1966) is widowed at the end of 2026 and attains 61
    on January 14, 2027: 72 months before the month she attains 67, 1 − 28.5% × 72/84 of the
    deceased's $2,000, held to 82½% (he claimed at 62) — $1,511.43 is under it."""
    case = {"id": "widow", "start_year": 2026,
            "people": [{"birth_date": "1962-01-15", "life_expectancy": 64,
                        "social_security": {"monthly_at_full_age": PIA, "claim_age": 62}},
                       {"birth_date": "1966-01-15", "life_expectancy": 95,
                        "social_security": {"monthly_at_full_age": 500, "claim_age": 67}}],
            "taxable": {"balance": 500_000, "basis": 500_000},
            "spending": {"annual": 40_000}}
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    widow = 12 * PIA * (1 - 0.285 * 72 / 84)
    assert tl.social_security[1, 2027 - 2026] == pytest.approx(widow)
    long = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2090 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    lives = path_lives(hh, long, LAW, np.array([[0, long.T]]))
    assert lives.social_security[0, 0] == pytest.approx(tl.social_security[0, 0])
    assert lives.social_security[0, 1] == pytest.approx(widow)


def test_one_born_on_january_1_is_65_on_the_return_of_the_year_before():
    """Born January 1, 1962: 65 on December 31, 2026 (the day before the birthday), so 65 on the
    2026 return; born January 2, 64.  The RMD and Medicare ages keep their own arithmetic."""
    for birth, age in (("1962-01-01", 65), ("1962-01-02", 64)):
        tl = build_timeline(parse_household(_one(birth, 62)), LAW)
        assert tl.age_head[0] == age
        assert tl.age[0, 0] == 64  # the year's difference (RMDs, Medicare: their own months)
        long = build_timeline(parse_household(_one(birth, 62)), LAW, keep_iras=True)
        lives = path_lives(parse_household(_one(birth, 62)), long, LAW, np.array([[long.T]]))
        assert lives.age_head[0, 0] == age


def test_the_aged_and_senior_deductions_of_one_born_on_january_1():
    """2026, single, $30,100 of IRA distributions.  Born January 1, 1962 (65 for the year): the
    standard deduction $16,100 plus the additional $2,050 for age (Rev. Proc. 2025-32) plus the
    senior deduction $6,000 (§151(d)(5)(C); MAGI under $75,000): $24,150, $5,950 taxable, 10%:
    $595.  Born January 2 (64): $16,100, $14,000 taxable: 10% of the first $12,400 and 12% of
    the $1,600 above it (Rev. Proc. 2025-32), $1,432."""
    for birth, deduction, tax in (("1962-01-01", 24_150, 595),
                                  ("1962-01-02", 16_100, 0.10 * 12_400 + 0.12 * 1_600)):
        tl = build_timeline(parse_household(_one(birth, 62)), LAW)
        units = household_return(tl.years[:1], tl.filing_status[:1], tl.age_head[:1],
                                 tl.age_spouse[:1], ReturnIncome(distributions=30_100.0))
        got = federal_tax(units, LAW)
        assert float(got["standard_deduction"][0] + got["senior_deduction"][0]) == deduction
        assert float(got["taxable_income"][0]) == 30_100 - deduction
        assert float(got["income_tax"][0]) == pytest.approx(tax)


def test_the_plan_gives_one_born_on_january_1_the_deductions_for_65():
    """The plan of the case above: every 2026 dollar of AGI above $24,150 is taxable."""
    row = plan_json(make_plan(parse_household(_one("1962-01-01", 62)), LAW,
                              monte_carlo=False))["table"][0]
    assert row["year"] == 2026
    assert row["agi"] - row["taxable_income"] == pytest.approx(24_150)
