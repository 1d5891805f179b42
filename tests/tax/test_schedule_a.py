"""Schedule A figured at each return's own AGI from its parts (state_local_taxes,
medical_expenses, itemized_charity, other_itemized), so the limits that move with AGI move with a
distribution:

- the SALT cap, IRC §164(b)(6)–(7) as amended by P.L. 119-21 §70120: $40,000 (2025), $40,400
  (2026), reduced by 30% of MAGI over $500,000 (2025) / $505,000 (2026), not below $10,000;
  half of each for a married individual filing separately; $10,000 again from 2030;
- the 0.5%-of-AGI floor on an itemizer's gifts from 2026, §170(b)(1)(I) (§70425);
- the 7.5%-of-AGI medical floor, §213(a);
- the AMT adds back the state and local taxes allowed, §56(b)(1)(A)(ii).

The figures are worked by hand below from the statute and the 2025/2026 figures of Rev. Procs.
2024-40 and 2025-32 (MFJ 2026: 10% to $24,800, 12% to $100,800, 22% to $211,400, 24% to
$403,550; gains 0% to $98,900, 15% to $613,700; additional standard deduction $1,650; single
2025: 10% to $11,925, 12% to $48,475, 22% to $103,350, 24% to $197,300, 32% to $250,525, 35% to
$626,350; gains 0% to $48,350, 15% to $533,400; AMT exemption $88,100 less 25% of AMTI over
$626,350, 26% to $239,100). The reviewer's cases were also run through PolicyEngine-US, which
gives the same figures ($855, $78,100, $93,400; AMT $2,658.25).
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.case import Case
from dist401k.cli import app
from dist401k.errors import FieldProblems, InputError
from dist401k.law import default_law
from dist401k.law.filing_status import FilingStatus
from dist401k.law.loader import Lookup
from dist401k.tax import TaxUnits, federal_tax, marginal_cost
from dist401k.tax.deductions import salt_cap

LAW = default_law()

#: The reviewer's household: MFJ, 67 and 66 in 2026; $20,000 interest, $30,000 qualified
#: dividends, $100,000 long-term gain, $50,000 of other pension income (AGI $200,000); property
#: tax $60,000, mortgage interest $20,000, gifts to charity $30,000.
COUPLE = dict(tax_year=2026, filing_status="married_joint", age_head=67, age_spouse=66,
              taxable_interest=20_000, ordinary_dividends=30_000, qualified_dividends=30_000,
              long_term_gains=100_000, taxable_distributions=50_000,
              state_local_taxes=60_000, other_itemized=20_000, itemized_charity=30_000)


def _tax(*rows):
    return federal_tax(TaxUnits.from_records(list(rows)), LAW)


def test_without_the_distribution_855():
    # AGI 200,000 (MAGI under $505,000): SALT min(60,000, 40,400) = 40,400; gifts 30,000 −
    # 0.5% × 200,000 = 29,000; mortgage 20,000: itemized 89,400 (no §68: far below the 37%
    # bracket) > standard 32,200 + 2 × 1,650. Senior deduction: 2 × (6,000 − 6% × 50,000) =
    # 6,000. Taxable 104,600, all of it gains (130,000 of them): 98,900 at 0%, 5,700 at 15% = 855.
    r = _tax(COUPLE)
    assert r["itemizes"][0]
    assert r["taxable_income"][0] == pytest.approx(104_600, abs=0.005)
    assert r["income_tax"][0] == pytest.approx(855, abs=0.005)


def test_the_reviewers_350000_request_costs_92545():
    # With $350,000 more, AGI = MAGI = 550,000: SALT cap 40,400 − 30% × 45,000 = 26,900;
    # gifts 30,000 − 2,750 = 27,250; mortgage 20,000: itemized 74,150; senior deduction 0.
    # Taxable 475,850, ordinary 345,850: 2,480 + 9,120 + 24,332 + 24% × 134,450 (32,268) =
    # 68,200; gains 130,000 at 15% = 19,500: regular tax 87,700. NIIT 3.8% × min(150,000,
    # 300,000) = 5,700. AMTI 550,000 − (74,150 − 26,900) = 502,850, exemption 140,200 whole:
    # 26% × 232,650 + 15% × 130,000 = 79,989 < 87,700, no AMT. Tax 93,400; 93,400 − 855.
    r = _tax(dict(COUPLE, taxable_distributions=400_000))
    assert r["income_tax"][0] == pytest.approx(93_400, abs=0.005)
    assert r["amt"][0] == 0
    cost = marginal_cost(TaxUnits.from_records([COUPLE]), 350_000, law=LAW)
    assert cost["cost"][0] == pytest.approx(92_545, abs=0.005)


def test_the_reviewers_300000_request_costs_77245():
    # AGI 500,000: not over $505,000, the SALT cap stays 40,400; gifts 30,000 − 2,500 =
    # 27,500; itemized 87,900. Taxable 412,100, ordinary 282,100: 35,932 + 24% × 70,700 =
    # 52,900; gains 19,500: 72,400; NIIT 5,700: 78,100; 78,100 − 855 = 77,245 (the charity
    # floor alone moves it: $360 more than with the total held at 89,400).
    cost = marginal_cost(TaxUnits.from_records([COUPLE]), 300_000, law=LAW)
    assert cost["cost"][0] == pytest.approx(77_245, abs=0.005)
    held = {k: v for k, v in COUPLE.items()
            if k not in ("state_local_taxes", "other_itemized", "itemized_charity")}
    held_cost = marginal_cost(TaxUnits.from_records([dict(held, itemized_deductions=89_400)]),
                              300_000, law=LAW)
    assert cost["cost"][0] - held_cost["cost"][0] == pytest.approx(0.15 * 2_400, abs=0.005)


def test_the_amt_adds_back_state_and_local_taxes_2658_25():
    # 2025, single, 66: $300,000 distributions, $600,000 gain, property tax 40,000 (capped at
    # max(10,000, 40,000 − 30% × 400,000) = 10,000), mortgage interest 30,000. Regular: taxable
    # 860,000, ordinary 260,000 → 60,547.25; gains: 273,400 at 15% (41,010) + 326,600 at 20%
    # (65,320) = 166,877.25. AMT (Form 6251): AMTI 900,000 − 30,000 = 870,000; exemption
    # 88,100 − 25% × 243,650 = 27,187.50; excess 842,812.50; ordinary part 242,812.50 → 26% ×
    # 239,100 + 28% × 3,712.50 = 63,205.50; gains 41,010 + 65,320: TMT 169,535.50; AMT 2,658.25.
    unit = dict(tax_year=2025, filing_status="single", age_head=66, long_term_gains=600_000,
                taxable_distributions=300_000, state_local_taxes=40_000, other_itemized=30_000)
    r = _tax(unit)
    assert r["regular_tax"][0] == pytest.approx(166_877.25, abs=0.005)
    assert r["amt"][0] == pytest.approx(2_658.25, abs=0.005)
    # The total given whole (40,000) is all allowed for the AMT, as documented: no AMT.
    whole = dict(tax_year=2025, filing_status="single", age_head=66, long_term_gains=600_000,
                 taxable_distributions=300_000, itemized_deductions=40_000)
    assert _tax(whole)["amt"][0] == 0


def _cap(year: int, status: str, magi: float) -> float:
    code = FilingStatus[status.upper()].value
    lk = Lookup(LAW, np.array([year]), np.array([code], dtype=np.int8))
    return float(salt_cap(lk, np.array([magi]))[0])


@pytest.mark.parametrize("year, status, magi, cap", [
    (2024, "single", 1_000_000, 10_000),  # the TCJA cap: no phase-down
    (2024, "married_separate", 100_000, 5_000),
    (2025, "single", 500_000, 40_000),  # "exceeds": at the threshold, no reduction
    (2025, "married_joint", 550_000, 25_000),  # 40,000 − 0.3 × 50,000
    # A separate filer: half of the limitation reduced (§164(b)(6)), the threshold halved
    # (§164(b)(7)): ½ × (40,000 − 0.3 × (MAGI − 250,000)), not below ½ × 10,000 — PolicyEngine-US
    # gives 12,500 at 300,000 (a review's check).
    (2025, "married_separate", 260_000, 18_500),  # ½ × (40,000 − 3,000)
    (2025, "married_separate", 300_000, 12_500),  # ½ × (40,000 − 15,000)
    (2025, "married_separate", 350_000, 5_000),  # ½ × max(10,000, 40,000 − 30,000): the floor
    (2026, "head_of_household", 505_000, 40_400),
    (2026, "single", 2_000_000, 10_000),  # the floor
    (2027, "married_joint", 520_050, 37_804),  # 40,804 − 0.3 × (520,050 − 510,050)
    (2030, "single", 100_000, 10_000),  # back to $10,000
    (2030, "married_separate", 100_000, 5_000),
])
def test_salt_cap_by_year_status_and_magi(year, status, magi, cap):
    assert _cap(year, status, magi) == pytest.approx(cap, abs=0.005)


def test_medical_expenses_above_seven_and_a_half_percent():
    # 2026, single, 70: $100,000 of distributions, $40,000 of medical bills. Medical deduction
    # 40,000 − 7,500 = 32,500 > standard 16,100 + 2,050. Senior deduction 6,000 − 6% × 25,000 =
    # 4,500. Taxable 63,000: 1,240 + 12% × 38,000 (4,560) + 22% × 12,600 (2,772) = 8,572.
    unit = dict(tax_year=2026, filing_status="single", age_head=70,
                taxable_distributions=100_000, medical_expenses=40_000)
    r = _tax(unit)
    assert r["itemizes"][0]
    assert r["taxable_income"][0] == pytest.approx(63_000, abs=0.005)
    assert r["income_tax"][0] == pytest.approx(8_572, abs=0.005)
    # $10,000 more: AGI 110,000, medical 31,750, senior 3,900: taxable 74,350 → 1,240 + 4,560
    # + 22% × 23,950 (5,269) = 11,069.
    more = _tax(dict(unit, taxable_distributions=110_000))
    assert more["income_tax"][0] == pytest.approx(11_069, abs=0.005)


def test_no_charity_floor_before_2026():
    # 2025, single, 50: $200,000 of distributions; gifts 20,000 and mortgage interest 10,000,
    # both whole (no 0.5% floor yet): itemized 30,000 > 15,750. Taxable 170,000 → 1,192.50 +
    # 4,386 + 12,072.50 + 24% × 66,650 (15,996) = 33,647.
    unit = dict(tax_year=2025, filing_status="single", age_head=50,
                taxable_distributions=200_000, itemized_charity=20_000, other_itemized=10_000)
    r = _tax(unit)
    assert r["taxable_income"][0] == pytest.approx(170_000, abs=0.005)
    assert r["income_tax"][0] == pytest.approx(33_647, abs=0.005)


def test_the_total_with_a_part_is_refused_in_one_line():
    with pytest.raises(InputError) as e:
        TaxUnits.from_records([dict(tax_year=2026, filing_status="single",
                                    itemized_deductions=20_000, state_local_taxes=5_000)])
    words = str(e.value)
    assert "itemized_deductions" in words and "state_local_taxes" in words
    assert "\n" not in words


def test_the_tax_command_refuses_the_total_with_a_part_exit_2(tmp_path):
    src = tmp_path / "both.csv"
    src.write_text("tax_year,filing_status,itemized_deductions,other_itemized\n"
                   "2026,single,1000,5\n")
    r = CliRunner().invoke(app, ["tax", str(src)])
    assert r.exit_code == 2
    assert "row 1, itemized_deductions: cannot be given with other_itemized" in r.output
    assert "Traceback" not in r.output


def test_a_part_alone_or_a_zero_total_is_taken():
    r = _tax(dict(tax_year=2026, filing_status="single", age_head=50, wages=100_000,
                  itemized_deductions=0, other_itemized=20_000))
    # 100,000 − 20,000 = 80,000 → 1,240 + 4,560 + 22% × 29,600 (6,512) = 12,312.
    assert r["income_tax"][0] == pytest.approx(12_312, abs=0.005)


CASE = {
    "person": {"birth_date": "1959-03-01", "filing_status": "married_joint",
               "spouse_birth_date": "1960-05-01"},
    "employment": {"status": "separated", "hire_date": "1990-01-01",
                   "separation_date": "2024-06-30"},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 900_000}}},
    "request": {"date": "2026-06-01", "amount": 350_000},
}


def test_the_case_refuses_the_total_with_a_part():
    income = {"itemized_deductions": 89_400, "itemized_charity": 30_000}
    with pytest.raises((FieldProblems, ValueError)) as e:
        Case.model_validate({**CASE, "income": income})
    words = str(e.value)
    assert "income.itemized_deductions" in words and "income.itemized_charity" in words


def test_the_case_takes_parts_or_the_total_with_medical_expenses():
    parts = Case.model_validate({**CASE, "income": {"state_local_taxes": 60_000,
                                                    "other_itemized": 20_000}})
    assert (parts.income.state_local_taxes, parts.income.other_itemized) == (60_000, 20_000)
    # Medical expenses also serve the §72(t)(2)(B) exception: they may come with the total.
    total = Case.model_validate({**CASE, "income": {"itemized_deductions": 89_400,
                                                    "medical_expenses": 5_000}})
    assert (total.income.itemized_deductions, total.income.medical_expenses) == (89_400, 5_000)
