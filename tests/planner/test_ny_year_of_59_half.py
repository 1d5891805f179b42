"""New York in the drawdown planner, the year a person reaches 59½.

New York excludes up to $20,000 a year of each person's pension and annuity income received
after 59½ — an IRA's payments, periodic or not (Tax Law §612(c)(3-a); IT-201 instructions,
line 29: "If you became 59½ during [the year], enter only the amount received after you became
59½, but not more than $20,000").  The plan works in years and takes all of the year in which
59½ is reached by December 31 (months counted) as after it: no §72(t) tax, Pennsylvania's IRA
exempt — and, with this fix, New York's exclusion given.  Before it, New York alone read the
return's whole age (59 at the end of that year for one born January–June) and gave none.

``dist401k tax`` takes a whole age and no birth date; it keeps its own test (the exclusion
from the year of 60), as PolicyEngine-US does.

Every figure is worked by hand from the 2024 single schedule (Tax Law §601(c); IT-201
instructions): 4% to $8,500, 4.5% to $11,700, 5.25% to $13,900, 5.5% to $80,650 — the tax on
the first $13,900 is 340 + 144 + 115.50 = 599.50 — and the $8,000 standard deduction (§614).
Below $65,000 of taxable income (New York AGI $107,650 or less) the tax is read in the State
tax table (the Department's tax tables page): the schedule at the middle of the income's $50
row, rounded half up to whole dollars.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import PaidFrom, PlanState, SpouseIncome
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()
#: The reviewer's 2024 row of ny59.yaml: the IRA's withdrawal, federal AGI.
WITHDRAWAL = 69_179.20
#: The 2024 single schedule's tax on the first $13,900, the 5.5% rate above it, the standard
#: deduction and the exclusion (Tax Law §§601(c), 614, 612(c)(3-a)).
BELOW_13900, RATE, DEDUCTION, EXCLUSION = 599.50, 0.055, 8_000.0, 20_000.0
#: The State tax table: below $65,000 of taxable income, rows $50 wide, read at their middle.
TABLE_LIMIT, ROW = 65_000.0, 50.0


def _ny_single_2024(ny_agi: float) -> float:
    """The 2024 New York tax of a single filer whose taxable income lies in the 5.5% bracket
    ($13,900 to $80,650), by hand: below $65,000 the table's (the schedule at the row's middle,
    rounded half up to the dollar), from it the schedule's to the cent."""
    taxable = ny_agi - DEDUCTION
    assert 13_900 <= taxable <= 80_650
    if taxable < TABLE_LIMIT:
        middle = math.floor(taxable / ROW) * ROW + ROW / 2
        return float(math.floor(BELOW_13900 + RATE * (middle - 13_900) + 0.5))
    return round(BELOW_13900 + RATE * (taxable - 13_900), 2)


def _case(birth_date: str = "1965-01-15") -> dict:
    """The reviewer's ny59.yaml: one person in New York, an IRA of $900,000 only."""
    return {"id": "ny59", "start_year": 2024, "state": "NY",
            "people": [{"name": "A", "birth_date": birth_date, "life_expectancy": 85,
                        "social_security": {"monthly_at_full_age": 2600, "claim_age": 67},
                        "accounts": {"ira": 900000}}],
            "spending": {"annual": 60000, "bequest": 0},
            "market": {"stocks": 0.06, "bonds": 0.04, "cash": 0.03, "stock_share": 0.6},
            "strategy": {"objective": "max_spending", "heirs_rate": 0.3, "fill_bracket": 0.24},
            "magi_history": [0, 0]}


def _one(v: float) -> np.ndarray:
    return np.array([float(v)])


def _units(ira: float, interest: float = 0.0, joint: bool = False,
           ages=(59, 0)) -> TaxUnits:
    """One 2024 federal return: IRA money and interest, no Social Security; the ages as the
    plan's return gives them (whole years at December 31)."""
    zero = _one(0.0)
    return TaxUnits(
        tax_year=np.array([2024]), filing_status=np.array([MARRIED_JOINT if joint else SINGLE],
                                                          np.int8),
        age_head=_one(ages[0]), age_spouse=_one(ages[1]), blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=zero,
        taxable_interest=_one(interest), tax_exempt_interest=zero, ordinary_dividends=zero,
        qualified_dividends=zero, long_term_gains=zero, taxable_distributions=_one(ira),
        early_distributions=zero, social_security=zero, other_income=zero,
        itemized_deductions=zero)


def _planned_tax(case: dict, units: TaxUnits, paid: PaidFrom,
                 spouse: SpouseIncome | None = None) -> float:
    """The plan's state tax of ``units`` in 2024, through its own units."""
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    ps = PlanState.of(hh, tl)
    assert ps is not None
    t = np.array([int(np.flatnonzero(tl.years == 2024)[0])])
    return float(ps.tax(t, units, federal_tax(units, LAW), LAW, spouse=spouse, paid=paid)[0])


def test_the_reviewers_2024_row_takes_the_exclusion():
    """Born 1965-01-15, 59½ on 2024-07-15, 59 on December 31: the $69,179.20 from the IRA is
    taken as received after 59½ (the plan charges no 10% tax on it).  NY AGI 69,179.20 −
    20,000 = 49,179.20; taxable 41,179.20, on the table's row 41,150–41,200, read at 41,175:
    599.50 + 5.5% × 27,275 = 599.50 + 1,500.125 = 2,099.625, so 2,100.  Before: no exclusion,
    taxable 61,179.20, row 61,150–61,200 at 61,175: 599.50 + 5.5% × 47,275 = 3,199.625, so
    3,200 — $1,100 (5.5% of $20,000) more."""
    tax = _planned_tax(_case(), _units(WITHDRAWAL), PaidFrom(ira=WITHDRAWAL))
    assert _ny_single_2024(WITHDRAWAL - EXCLUSION) == 2_100
    assert tax == pytest.approx(2_100, abs=0.005)
    assert _ny_single_2024(WITHDRAWAL) - tax == pytest.approx(1_100.00, abs=0.005)


def test_born_on_june_30_the_year_is_after_59_half_too():
    """Born 1965-06-30: 59½ on 2024-12-30, within the year: the exclusion, 2,100."""
    tax = _planned_tax(_case("1965-06-30"), _units(WITHDRAWAL), PaidFrom(ira=WITHDRAWAL))
    assert tax == pytest.approx(2_100, abs=0.005)


def test_born_in_july_the_year_of_59_stays_before_59_half():
    """Born 1965-07-15: 59½ on 2025-01-15, after the year's end: the year's money is before
    59½ (the plan charges the 10% tax on it), no exclusion — unchanged, 3,200 (the table's row
    61,150–61,200 at 61,175: 599.50 + 5.5% × 47,275 = 3,199.625, half up)."""
    tax = _planned_tax(_case("1965-07-15"), _units(WITHDRAWAL), PaidFrom(ira=WITHDRAWAL))
    assert tax == pytest.approx(3_200, abs=0.005)


def test_a_spouse_reaching_59_half_excludes_their_own():
    """A couple filing jointly in 2024: the head, born 1954 (70), has $50,000 of interest and
    no IRA money; the spouse, born 1965-03-01 (59, 59½ on 2024-09-01), takes $30,000 from an
    IRA.  The 2024 joint schedule: 4% to $17,150 (686), 4.5% to $23,600 (290.25), 5.25% to
    $27,900 (225.75), 5.5% above; standard deduction $16,050.  NY AGI 80,000 − 20,000 =
    60,000; taxable 43,950, on the table's row 43,950–44,000, read at 43,975: 1,202 + 5.5% ×
    16,075 = 2,086.125, so 2,086.  Before (the spouse 59, no exclusion): taxable 63,950, row at
    63,975: 1,202 + 5.5% × 36,075 = 3,186.125, so 3,186."""
    case = {"id": "ny-couple-59", "start_year": 2024, "state": "NY",
            "people": [{"birth_date": "1954-05-01", "life_expectancy": 90,
                        "accounts": {"ira": 0}},
                       {"birth_date": "1965-03-01", "life_expectancy": 90,
                        "accounts": {"ira": 400000}}],
            "spending": {"annual": 60000}}
    units = _units(30_000.0, interest=50_000.0, joint=True, ages=(70, 59))
    spouse = SpouseIncome(wages=0.0, social_security=0.0, distributions=30_000.0, ira=30_000.0)
    tax = _planned_tax(case, units, PaidFrom(ira=30_000.0), spouse=spouse)
    assert tax == pytest.approx(2_086, abs=0.005)


def test_the_whole_plan_takes_the_exclusion_in_the_year_of_59_half():
    """The reviewer's plan end to end: in 2024 no 10% tax, and the state tax is the 2024
    schedule's on the year's withdrawal less the $20,000 exclusion and the deduction, worked
    by hand from the row's own withdrawal (the optimiser draws a little less now that the year
    costs less: $67,742.62 leaves 39,742.62 taxable, on the table's row 39,700–39,750, read at
    39,725: 599.50 + 5.5% × 25,825 = 2,019.875, so 2,020)."""
    table = plan_json(make_plan(parse_household(_case()), LAW, monte_carlo=False))["table"]
    row = next(r for r in table if r["year"] == 2024)
    assert row["ages"] == [59] and row["additional_tax_72t"] == 0
    assert row["agi"] == pytest.approx(row["pretax_withdrawal"], abs=0.005)
    assert row["state_tax"] == pytest.approx(
        _ny_single_2024(row["pretax_withdrawal"] - EXCLUSION), abs=0.01)


DOOR_HEAD = ("tax_year,filing_status,age_head,taxable_distributions,ira_distributions,state,"
             "plan_retirement_conditions_met\n")


@pytest.mark.parametrize(("age", "expected"), [(59, 3_200), (60, 2_100)])
def test_the_tax_door_keeps_its_whole_age(tmp_path, age, expected):
    """``dist401k tax`` on the same return: a whole age of 59 gets no exclusion (3,200: the
    table's row 61,150–61,200, as above), 60 gets it (2,100: row 41,150–41,200) — unchanged by
    the planner's convention."""
    path = tmp_path / "units.csv"
    path.write_text(DOOR_HEAD + f"2024,single,{age},{WITHDRAWAL},{WITHDRAWAL},NY,1\n")
    r = CliRunner().invoke(app, ["tax", str(path), "--format", "json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output)["results"][0]
    assert got["state_income_tax"] == pytest.approx(expected, abs=0.005)
