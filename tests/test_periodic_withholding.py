"""Withholding on a periodic payment as wages (IRC §3405(a)): Pub. 15-T's Worksheet 1A and its
Annual Percentage Method tables (dist401k.withholding.periodic_withholding).

Every expected figure is worked by hand from Worksheet 1A's lines and the tables' rows as
Pub. 15-T prints them (row start, tentative amount, percentage), never from the code:
annual amount = payment x payments a year + Step 4(a) - Step 4(b) - line 1g ($8,600; $12,900
married filing jointly; none with the Step 2 box checked); tentative = the row's amount plus
its percentage of the excess over its start; per payment = tentative / payments a year, less
Step 3's credits / payments a year (not below zero), plus Step 4(c)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law.filing_status import CODE
from dist401k.law.loader import default_law
from dist401k.withholding import W4p, periodic_withholding

LAW = default_law()
NONE = -1


def withheld(year, payment, per_year=12, status=NONE, **w4p) -> float:
    """One case's withholding (a batch of one)."""
    code = status if isinstance(status, int) else CODE[status]
    got = periodic_withholding(LAW, np.array([year]), np.array([payment]), np.array([per_year]),
                               W4p(status=np.array([code]), **{k: np.array([v]) for k, v in
                                                               w4p.items()}))
    return float(got[0])


def test_no_w4p_single_monthly_annuity_2026():
    """$2,000 a month, no W-4P: single, no adjustments. 24,000 - 8,600 = 15,400; the 2026
    single row 7,500-19,900: 10% of 7,900 = 790.00; / 12 = 65.83."""
    assert withheld(2026, 2000) == pytest.approx(65.83, abs=0.005)


def test_no_w4p_single_monthly_annuity_2025():
    """2025 single row 6,400-18,325: 10% of (15,400 - 6,400) = 900.00; / 12 = 75.00."""
    assert withheld(2025, 2000) == pytest.approx(75.00, abs=0.005)


def test_married_joint_with_step_3_credits():
    """$5,000 a month, married filing jointly, $2,000 of credits: 60,000 - 12,900 = 47,100;
    row 44,100: 2,480 + 12% of 3,000 = 2,840; / 12 = 236.67; less 2,000 / 12 = 166.67: 70.00."""
    assert withheld(2026, 5000, status="married_joint", credits=2000.0) == \
        pytest.approx(70.00, abs=0.005)


def test_step_2_checked_single():
    """$5,000 a month, single, Step 2 checked (no line 1g): 60,000 in the Step 2 table's row
    33,250-60,900: 2,900 + 22% of 26,750 = 8,785; / 12 = 732.08."""
    assert withheld(2026, 5000, status="single", step2=True) == pytest.approx(732.08, abs=0.005)


def test_step_2_checked_married_joint():
    """60,000 in the joint Step 2 table's row 28,500-66,500: 1,240 + 12% of 31,500 = 5,020;
    / 12 = 418.33."""
    assert withheld(2026, 5000, status="married_joint", step2=True) == \
        pytest.approx(418.33, abs=0.005)


def test_extra_withholding_head_of_household():
    """$5,000 a month, head of household, $25 extra: 60,000 - 8,600 = 51,400; row 33,250:
    1,770 + 12% of 18,150 = 3,948; / 12 = 329.00; + 25 = 354.00."""
    assert withheld(2026, 5000, status="head_of_household", extra=25.0) == \
        pytest.approx(354.00, abs=0.005)


def test_other_income_and_deductions():
    """$3,000 a month, single, Step 4(a) 10,000, Step 4(b) 4,000: 36,000 + 10,000 - 4,000 -
    8,600 = 33,400; row 19,900: 1,240 + 12% of 13,500 = 2,860; / 12 = 238.33."""
    assert withheld(2026, 3000, status="single", other_income=10000.0, deductions=4000.0) == \
        pytest.approx(238.33, abs=0.005)


def test_credits_above_the_tentative_amount_leave_only_the_extra():
    """$2,000 a month, joint: 24,000 - 12,900 = 11,100, in the 0% row; credits cannot go
    below zero (line 3c); + $10 extra = 10.00."""
    assert withheld(2026, 2000, status="married_joint", credits=5000.0, extra=10.0) == \
        pytest.approx(10.00, abs=0.005)


def test_election_out_withholds_nothing():
    """§3405(a)(2): the payee elected to have nothing withheld."""
    assert withheld(2026, 5000, status="single", exempt=True, extra=25.0) == 0.0


def test_election_out_alone_withholds_nothing():
    """A W-4P that only elects out (no filing status given) withholds nothing."""
    assert withheld(2026, 5000, exempt=True) == 0.0


def test_election_out_void_without_tin_or_abroad():
    """§3405(e)(12), (13): no election is in effect; the default (single, no adjustments) is
    withheld: $2,000 a month gives 65.83, as without a W-4P."""
    w4p = W4p(status=np.array([0, 0]), exempt=np.array([True, True]))
    got = periodic_withholding(LAW, np.array([2026, 2026]), np.array([2000.0, 2000.0]), 12, w4p,
                               no_tin=np.array([True, False]), abroad=np.array([False, True]))
    assert got == pytest.approx([65.83, 65.83], abs=0.005)


def test_no_tin_sets_the_whole_w4p_aside():
    """§3405(e)(12): with no TIN furnished no election of the W-4P is in effect — withheld as
    single with no adjustments (Pub. 15-A (2020), Form W-4P (2020)): married filing jointly with
    $2,000 of credits, $2,000 a month, gives 65.83 as without a W-4P (70.00 with a TIN is
    another case: 0 here, the credits exceeding the tentative amount)."""
    w4p = W4p(status=np.array([1, 1]), credits=np.array([2000.0, 2000.0]))
    got = periodic_withholding(LAW, np.array([2026, 2026]), np.array([2000.0, 2000.0]), 12, w4p,
                               no_tin=np.array([True, False]))
    assert got == pytest.approx([65.83, 0.0], abs=0.005)


def test_quarterly_payments_annualise_by_four():
    """$6,000 a quarter: 24,000 - 8,600 = 15,400: 790.00 a year; / 4 = 197.50."""
    assert withheld(2026, 6000, per_year=4) == pytest.approx(197.50, abs=0.005)


def test_top_row():
    """$60,000 a month, single: 720,000 - 8,600 = 711,400; row 648,100: 192,979.25 + 37% of
    63,300 = 216,400.25; / 12 = 18,033.35."""
    assert withheld(2026, 60000) == pytest.approx(18033.35, abs=0.005)


def test_married_separate_uses_the_single_table_and_surviving_spouse_the_joint():
    """Form W-4P, Step 1(c): "Single or Married filing separately", "Married filing jointly
    or Qualifying surviving spouse"."""
    assert withheld(2026, 5000, status="married_separate") == withheld(2026, 5000, status="single")
    assert withheld(2026, 5000, status="qualifying_surviving_spouse") == \
        pytest.approx(withheld(2026, 5000, status="married_joint"), abs=0.005)


def test_a_year_without_tables_is_not_figured():
    assert np.isnan(withheld(2024, 2000))


def test_a_batch_gives_each_case_its_own_answer():
    """The same cases as above in one batch, in another order."""
    w4p = W4p(status=np.array([NONE, CODE["married_joint"], CODE["head_of_household"]]),
              credits=np.array([0.0, 2000.0, 0.0]), extra=np.array([0.0, 0.0, 25.0]))
    got = periodic_withholding(LAW, np.array([2026, 2026, 2026]),
                               np.array([2000.0, 5000.0, 5000.0]), 12, w4p)
    assert got == pytest.approx([65.83, 70.00, 354.00], abs=0.005)


#: The year's basic standard deduction and bracket starts (IRC §1(j)(2)) as the revenue
#: procedures give them, read here apart from the law files: Rev. Proc. 2024-40 for 2025 (the
#: figures Pub. 15-T (2025) was built on, before P.L. 119-21 raised the standard deduction)
#: and Rev. Proc. 2025-32 for 2026.
REV_PROC = {
    2025: {"single": (15000, [11925, 48475, 103350, 197300, 250525, 626350]),
           "married_joint": (30000, [23850, 96950, 206700, 394600, 501050, 751600]),
           "head_of_household": (22500, [17000, 64850, 103350, 197300, 250500, 626350])},
    2026: {"single": (16100, [12400, 50400, 105700, 201775, 256225, 640600]),
           "married_joint": (32200, [24800, 100800, 211400, 403550, 512450, 768700]),
           "head_of_household": (24150, [17700, 67450, 105700, 201750, 256200, 640600])},
}
LINE_1G = {"single": 8600, "married_joint": 12900, "head_of_household": 8600}


@pytest.mark.parametrize("year", sorted(REV_PROC))
@pytest.mark.parametrize("status", sorted(LINE_1G))
def test_tables_follow_from_the_standard_deduction_and_brackets(year, status):
    """Each standard row starts at the standard deduction less line 1g plus a bracket start;
    each Step 2 row at half the standard deduction plus half the bracket start (to the dollar,
    half up); the tentative amounts are the tax at those starts (halved for Step 2)."""
    std, starts = REV_PROC[year][status]
    rates = [0.10, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37]
    code = CODE[status]
    over = LAW.get("withholding.periodic_table_over", year, code).tolist()
    base = LAW.get("withholding.periodic_table_base", year, code).tolist()
    over2 = LAW.get("withholding.periodic_step2_over", year, code).tolist()
    base2 = LAW.get("withholding.periodic_step2_base", year, code).tolist()
    assert LAW.get("withholding.periodic_line_1g", year, code) == LINE_1G[status]
    edges = [0, *starts]
    tax = [0.0]
    for k in range(1, len(edges)):
        tax.append(tax[-1] + rates[k - 1] * (edges[k] - edges[k - 1]))
    assert over == [0] + [std - LINE_1G[status] + e for e in edges]
    assert base == pytest.approx([0.0, *tax], abs=0.005)
    assert over2 == [0] + [int(np.floor(std / 2 + e / 2 + 0.5)) for e in edges]
    assert base2 == pytest.approx([0.0] + [round(t / 2 + 1e-9, 2) for t in tax], abs=0.006)
    assert LAW.get("withholding.periodic_table_rate", year).tolist() == [0.0, *rates]


def test_the_check_and_box_4_follow_the_withholding():
    """The yearly $24,000 life annuity of tests/routes/test_series_payments.py, in 2025: the
    Simplified Method leaves $22,569.23 taxable; no W-4P: 22,569.23 - 8,600 = 13,969.23, in the
    2025 single row 6,400-18,325: 10% of 7,569.23 = 756.92 withheld; the check is 24,000 -
    756.92 = 23,243.08, and box 4 of the Form 1099-R is 756.92."""
    from dist401k.assess import assess_cases
    from dist401k.case import parse_case
    from routes.test_series_payments import series

    answer = assess_cases([parse_case(series(series="life", series_cost=31000))])[0]
    cash = next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")
    assert cash["withholding"] == pytest.approx(756.92, abs=0.005)
    assert cash["check_received"] == pytest.approx(23243.08, abs=0.005)
    assert [f["box_4"] for f in cash["form_1099r"]] == [pytest.approx(756.92, abs=0.005)]
