"""Ohio and Hawaii in the drawdown planner: a rule-of-55 retiree's 401(k) payment is judged by
that plan's own retirement conditions, not turned non-qualifying by an IRA of theirs that owes
the §72(t) tax before 59½ (held, or drawn the same year).

Ohio's retirement income credit is on "retirement benefits, annuities, or distributions that
are made from or pursuant to a pension, retirement, or profit-sharing plan and that ... are
received by the individual on account of retirement" (R.C. 5747.055(A)(1)): a 401(k) paid after
its holder left the employer at 55 is received on account of retirement whatever an IRA owes.

Hawaii exempts the employer part of a distribution paid by a pension plan by reason of
retirement (HRS §235-7(a)(3), HAR §18-235-7-03); an early distribution under the 10% tax does
not qualify — each distribution judged by its own (N-11 instructions, pension exclusion: the
taxable amount of each Form 1099-R).  A 401(k) paid after separation at 55 is not an early one
(§72(t)(2)(A)(v)).

Bo, 56 at the end of 2026, single, no wages or Social Security, left his employer at 55: a
401(k) all of employer money and an IRA of his own contributions.

Figures of the law files, 2026.  Ohio: exemption $2,400 at modified AGI of $40,000 or less
(R.C. 5747.025), no tax up to $26,050, then $332.00 and 2.75% above it (R.C. 5747.02(A), H.B. 96);
the retirement income credit $200 on more than $8,000 of retirement income and the $20
exemption credit at $30,000 or less of Ohio AGI less exemptions (R.C. 5747.055).  Hawaii: the
standard deduction $8,000 (HRS §235-2.4, Act 46, SLH 2024), the exemption $1,144 (§235-54),
1.4% on the first $9,600 of taxable income and 3.2% on the next $4,800 (§235-51).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import PaidFrom, PlanState
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()

RULE_OF_55 = {"id": "r55", "start_year": 2026, "state": "OH",
              "people": [{"name": "Bo", "birth_date": "1970-06-01", "life_expectancy": 85,
                          "separated_at_55": True, "social_security": {"monthly_at_full_age": 0},
                          "accounts": {"pretax": 200000, "employer_share": 1.0, "ira": 400000,
                                       "ira_employer_share": 0.0}}],
              "spending": {"annual": 60000}}

OH_EXEMPTION, OH_ZERO_BRACKET, OH_BASE, OH_RATE = 2_400, 26_050, 332.00, 0.0275
OH_RETIREMENT_CREDIT, OH_EXEMPTION_CREDIT = 200, 20
HI_STANDARD, HI_EXEMPTION = 8_000, 1_144


def _in(state: str) -> dict:
    case = copy.deepcopy(RULE_OF_55)
    case["state"] = state
    return case


def _units(paid: float, early: float) -> TaxUnits:
    zero = np.zeros(1)
    return TaxUnits(
        tax_year=np.array([2026]), filing_status=np.array([SINGLE], np.int8),
        age_head=np.array([56.0]), age_spouse=zero, blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=zero,
        taxable_interest=zero, tax_exempt_interest=zero, ordinary_dividends=zero,
        qualified_dividends=zero, long_term_gains=zero, taxable_distributions=np.array([paid]),
        early_distributions=np.array([early]), social_security=zero, other_income=zero,
        itemized_deductions=zero)


def _tax(state: str, plan: float, ira_early: float) -> float:
    hh = parse_household(_in(state))
    ps = PlanState.of(hh, build_timeline(hh, LAW))
    assert ps is not None
    units = _units(plan + ira_early, ira_early)
    paid = PaidFrom(ira=ira_early, ira_early=ira_early, employer=plan)
    return float(ps.tax(np.array([0]), units, federal_tax(units, LAW), LAW, paid=paid)[0])


def _ohio(agi: float, retirement_income: float) -> float:
    """IT 1040 by hand for a single filer of 2026 with AGI of $40,000 or less."""
    taxable = agi - OH_EXEMPTION
    tax = OH_BASE + OH_RATE * (taxable - OH_ZERO_BRACKET) if taxable > OH_ZERO_BRACKET else 0.0
    credit = (OH_RETIREMENT_CREDIT if retirement_income > 8_000 else 0) + (
        OH_EXEMPTION_CREDIT if taxable <= 30_000 else 0)
    return max(0.0, tax - credit)


def test_ohio_rule_of_55_401k_with_an_early_ira_draw_gets_the_retirement_credit():
    """$20,000 from the 401(k) and $10,000 from the IRA at 56: Ohio AGI 30,000, taxable 27,600,
    tax 332.00 + 2.75% × 1,550 = 374.625, less the $200 retirement income credit (the 401(k)
    alone is over $8,000) and the $20 exemption credit: 154.625 (before: 354.625, no credit)."""
    tax = _tax("OH", 20_000.0, 10_000.0)
    assert tax == pytest.approx(_ohio(30_000, 20_000), abs=0.005)
    assert tax == pytest.approx(154.625, abs=0.005)


def test_ohio_plan_row_of_the_rule_of_55_retiree_gets_the_retirement_credit():
    """The plan's own 2026 row (the draw is Bo's only income): Ohio's tax is figured by hand
    from the row's AGI with the $200 credit (before: without it)."""
    row = plan_json(make_plan(parse_household(_in("OH")), LAW, monte_carlo=False))["table"][0]
    assert row["year"] == 2026 and row["state"] == "OH"
    agi = row["agi"]
    assert agi == pytest.approx(row["pretax_withdrawal"], abs=0.01)
    assert 8_000 < agi <= 40_000
    assert row["state_tax"] == pytest.approx(_ohio(agi, agi), abs=0.01)


def test_hawaii_rule_of_55_401k_alone_is_excluded():
    """$20,000 of employer money from the 401(k) at 56, after separating at 55, no IRA draw:
    all excluded, Hawaii AGI 0, no tax (before: (20,000 − 8,000 − 1,144) taxed = 134.40 +
    3.2% × 1,256 = 174.592, his IRA's §72(t) tax at 56 taken as the plan's)."""
    assert _tax("HI", 20_000.0, 0.0) == pytest.approx(0.0, abs=0.005)


def test_hawaii_plan_row_of_the_rule_of_55_retiree_is_excluded():
    """The plan's own 2026 row: the draw is all from the 401(k) (no §72(t) tax) and all employer
    money, Bo's only income: no Hawaii tax (before: 729.69); and the plan is figured to the
    end (a year that samples an IRA draw beside it is not refused)."""
    plan = plan_json(make_plan(parse_household(_in("HI")), LAW, monte_carlo=False))
    row = plan["table"][0]
    assert row["year"] == 2026 and row["state"] == "HI"
    assert row["additional_tax_72t"] == pytest.approx(0.0, abs=0.005)
    assert row["agi"] == pytest.approx(row["pretax_withdrawal"], abs=0.01)
    assert row["state_tax"] == pytest.approx(0.0, abs=0.005)


def test_hawaii_rule_of_55_with_an_early_ira_draw():
    """$20,000 from the 401(k) and $10,000 from the IRA at 56: each distribution by its own —
    the 401(k)'s, paid after separating at 55 (not early) and all employer money, excluded; the
    IRA's, early under the 10% tax and his own money, taxed.  Hawaii AGI 30,000 − 20,000 =
    10,000; taxable 10,000 − 8,000 − 1,144 = 856; tax 1.4% × 856 = 11.984 (before: 657.984,
    the 401(k) taxed too: 30,000 − 9,144 = 20,856 taxed 134.40 + 3.2% × 4,800 + 5.5% × 4,800
    + 6.4% × 1,656, the 2026 schedule's 6.4% above $19,200)."""
    tax = _tax("HI", 20_000.0, 10_000.0)
    assert tax == pytest.approx((10_000 - HI_STANDARD - HI_EXEMPTION) * 0.014, abs=0.005)
    assert tax == pytest.approx(11.984, abs=0.005)


def test_hawaii_early_ira_draw_keeps_at_most_its_own_amount_of_the_rolled_over_money():
    """$20,000 from the 401(k) (employer money), and $15,000 from the IRAs at 56: $10,000 of it
    early, $5,000 not (owing no §72(t) tax), with $12,000 of the IRAs' draw rolled over from
    employer contributions.  The early $10,000 is taxed whole (an early distribution does not
    qualify, HAR §18-235-7-03), rolled-over money in it too; it can hold at most $10,000 of the
    $12,000, so at least $2,000 is in the $5,000 that qualifies: excluded 20,000 + 2,000.  Hawaii
    AGI 35,000 − 22,000 = 13,000; taxable 13,000 − 8,000 − 1,144 = 3,856; tax 1.4% × 3,856 =
    53.984 (before: all taxed, 25,856: 134.40 + 153.60 + 264.00 + 6.4% × 4,800 + 6.8% × 1,856 =
    985.408)."""
    hh = parse_household(_in("HI"))
    ps = PlanState.of(hh, build_timeline(hh, LAW))
    assert ps is not None
    units = _units(35_000.0, 10_000.0)
    paid = PaidFrom(ira=15_000.0, ira_early=10_000.0, employer=20_000.0, ira_employer=12_000.0)
    tax = float(ps.tax(np.array([0]), units, federal_tax(units, LAW), LAW, paid=paid)[0])
    assert tax == pytest.approx((13_000 - HI_STANDARD - HI_EXEMPTION) * 0.014, abs=0.005)
    assert tax == pytest.approx(53.984, abs=0.005)
