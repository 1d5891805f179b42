"""Michigan at the tax door: a Roth IRA's taxable part and a payment to an heir other than the
surviving spouse are no retirement or pension benefit at any age, and the door takes them as the
filer gives them — in ``taxable_distributions`` (and ``ira_distributions`` where an IRA paid
them) but outside ``employer_attributable_distributions``, which for Michigan is the part of the
distributions that can be a benefit (docs/tax.md, docs/state.md).  The subtraction is then at
most that column: the least the employer part can lie in the qualifying money
(:func:`dist401k.tax.state.common.share_bounds`).

Treasury, Qualified Pension Distribution Requirements, Individual Plans: "Distributions after
the death of the participant may only be subtracted by a surviving spouse …"; "Distributions
from a Roth IRA are not included in AGI and are not subtractable on the Michigan return" (their
taxable part is in AGI, and subject to Michigan tax).  These are guards of the documented way to
give such payments: they fail if the column stops bounding the subtraction.

Figures from the law files, 2026: rate 4.25% (MCL 206.51(1)), personal exemption $5,900; every
filer here is born after 1952 and under 67 (no Michigan standard deduction).
"""

from __future__ import annotations

import pytest

from dist401k.tax.state import StateUnits, state_tax

RATE = 0.0425
EXEMPTION_2026 = 5_900


def _tax(**cols) -> float:
    base = {"state": "MI", "tax_year": 2026, "filing_status": "single", "age_head": 62,
            "early_distributions": 0, "ira_early_distributions": 0,
            "plan_retirement_conditions_met": 1}
    base.update(cols)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in base.items()}))
    assert r["state_covered"][0]
    return float(r["state_income_tax"][0])


def test_heir_of_62_left_out_of_the_employer_part_subtracts_nothing():
    """$20,000 from a parent's IRA at 62, no other income: (20,000 − 5,900) × 4.25% = 599.25."""
    tax = _tax(federal_agi=20_000, taxable_distributions=20_000, ira_distributions=20_000,
               employer_attributable_distributions=0)
    assert tax == pytest.approx(RATE * (20_000 - EXEMPTION_2026), abs=0.005)


def test_heir_beside_her_own_ira_keeps_her_own_subtraction():
    """$20,000 inherited and $10,000 of her own IRA at 62: only her own is subtracted:
    (30,000 − 10,000 − 5,900) × 4.25% = 599.25."""
    tax = _tax(federal_agi=30_000, taxable_distributions=30_000, ira_distributions=30_000,
               employer_attributable_distributions=10_000)
    assert tax == pytest.approx(599.25, abs=0.005)


def test_heir_beside_her_own_401k_employer_money():
    """$20,000 inherited IRA and $30,000 of employer money from her own 401(k), retired, at 62:
    (50,000 − 30,000 − 5,900) × 4.25% = 599.25."""
    tax = _tax(federal_agi=50_000, taxable_distributions=50_000, ira_distributions=20_000,
               employer_attributable_distributions=30_000)
    assert tax == pytest.approx(599.25, abs=0.005)


def test_roth_ira_taxable_part_left_out_is_taxed():
    """$10,000 of a Roth IRA's earnings (a nonqualified distribution) and $20,000 of a
    traditional IRA at 62: only the traditional IRA's is subtracted: (30,000 − 20,000 −
    5,900) × 4.25% = 174.25."""
    tax = _tax(federal_agi=30_000, taxable_distributions=30_000, ira_distributions=30_000,
               employer_attributable_distributions=20_000)
    assert tax == pytest.approx(RATE * (30_000 - 20_000 - EXEMPTION_2026), abs=0.005)
    assert tax == pytest.approx(174.25, abs=0.005)


def test_left_out_part_that_may_lie_in_qualifying_money_is_unknown():
    """$20,000 inherited IRA at 62 and $30,000 of employer money from her own 401(k) paid
    before the plan's conditions were met (premature: no benefit).  Right answer: nothing
    subtracted.  The one figure of 30,000 could lie in the IRA money, which qualifies by age
    alone, up to 20,000: the row is unknown, never a subtraction guessed."""
    cols = {"state": "MI", "tax_year": 2026, "filing_status": "single", "age_head": 62,
            "early_distributions": 0, "ira_early_distributions": 0,
            "plan_retirement_conditions_met": 0, "federal_agi": 50_000,
            "taxable_distributions": 50_000, "ira_distributions": 20_000,
            "employer_attributable_distributions": 30_000}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    assert not r["state_covered"][0]
    assert r["reasons"]["STATE_MI_QUALIFYING_PART_NOT_GIVEN"][0]
