"""Michigan's retirement and pension subtraction for a non-spouse heir's draw from an inherited
IRA, in the drawdown planner and at the tax door: nothing is subtracted before the heir's own 59½.

MCL 206.30(8)(a)(ii) names the participant's death among the exceptions to an IRA's 59½ rule,
but Michigan Treasury reads the benefit as the participant's or the surviving spouse's alone:
"Distributions after the death of the participant may only be subtracted by a surviving spouse
if the distributions qualified as a subtraction for the participant at the time of death"
(Qualified Pension Distribution Requirements, Individual Plans), and "the payment must be made to
either the employee or the surviving spouse" (Qualified Pension Distribution Requirements,
overview).  A child of 40 drawing a parent's IRA subtracts nothing.  These are guards: they fail
if an heir's draw is taken out of ``ira_distributions`` for Michigan as it is for Arkansas
(``DEATH_OUTSIDE_IRA_STATES``), whose statute exempts a payment "on account of the participant's
death" to whoever receives it.

Figures from the law files: 2026, rate 4.25% (MCL 206.51(1)), personal exemption $5,900.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import PaidFrom, PlanState
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.state import StateUnits, state_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()
RATE = 0.0425
EXEMPTION_2026 = 5_900

#: Ann, 40 at the end of 2026, single, no wages, no IRA of her own: her late father's $300,000
#: IRA (he died in 2024 at 76) pays her spending.
CASE = {"id": "mi-heir", "start_year": 2026, "state": "MI",
        "people": [{"name": "Ann", "birth_date": "1986-03-01", "life_expectancy": 85,
                    "social_security": {"monthly_at_full_age": 0}}],
        "inherited": [{"heir": 0, "balance": 300000,
                       "beneficiary": {"deceased_birth_date": "1948-04-01",
                                       "date_of_death": "2024-07-15",
                                       "relationship": "child", "account": "ira"}}],
        "spending": {"annual": 35000}}


def test_tax_door_heir_of_40_subtracts_nothing():
    """Single, 40, $20,000 from an inherited IRA (no §72(t) tax: paid on a death), no other
    income: (20,000 − 5,900) × 4.25% = 599.25."""
    cols = {"state": "MI", "tax_year": 2026, "filing_status": "single", "age_head": 40,
            "federal_agi": 20_000, "taxable_distributions": 20_000, "ira_distributions": 20_000,
            "early_distributions": 0, "ira_early_distributions": 0,
            "employer_attributable_distributions": 20_000}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    assert r["state_covered"][0]
    assert r["state_income_tax"][0] == pytest.approx(RATE * (20_000 - EXEMPTION_2026), abs=0.005)
    assert r["state_income_tax"][0] == pytest.approx(599.25, abs=0.005)


def _units(paid: float) -> TaxUnits:
    zero = np.zeros(1)
    return TaxUnits(
        tax_year=np.array([2026]), filing_status=np.array([SINGLE], np.int8),
        age_head=np.array([40.0]), age_spouse=zero, blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=zero,
        taxable_interest=zero, tax_exempt_interest=zero, ordinary_dividends=zero,
        qualified_dividends=zero, long_term_gains=zero, taxable_distributions=np.array([paid]),
        early_distributions=zero, social_security=zero, other_income=zero,
        itemized_deductions=zero)


def test_planner_estimate_heir_of_40_subtracts_nothing():
    """The planner's state estimate of $20,000 drawn in 2026 at 40, all of it paid on the
    father's death (``ira_death``): 599.25, as at the tax door."""
    hh = parse_household(CASE)
    ps = PlanState.of(hh, build_timeline(hh, LAW))
    assert ps is not None
    units = _units(20_000.0)
    tax = ps.tax(np.array([0]), units, federal_tax(units, LAW), LAW,
                 paid=PaidFrom(ira=20_000.0, ira_death=20_000.0))
    assert float(tax[0]) == pytest.approx(599.25, abs=0.005)


def test_the_plans_michigan_tax_of_an_heirs_draw_subtracts_nothing():
    """The plan's own 2026 row: the draw is Ann's only income, so Michigan's tax is
    4.25% × (draw − 5,900)."""
    row = plan_json(make_plan(parse_household(CASE), LAW, monte_carlo=False))["table"][0]
    assert row["year"] == 2026 and row["state"] == "MI"
    draw = row["pretax_withdrawal"]
    assert row["agi"] == pytest.approx(draw, abs=0.01)
    assert row["state_tax"] == pytest.approx(RATE * (draw - EXEMPTION_2026), abs=0.01)
