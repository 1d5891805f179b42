"""Every parameter file is read by some rule (DESIGN.md, "The law is data").

A law file that no rule reads is law the engine does not apply while its file says it does.
The loader is instrumented to record each parameter asked for; the shipped example cases are
assessed and compared, a tax batch covering every state, filing status and kind of income is
answered, and a drawdown plan is planned (without Monte Carlo: the law read is the same);
then every file under ``law/params`` must have been read.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import load_case
from dist401k.commands.tax import tax_table
from dist401k.compare import compare_case
from dist401k.law import loader
from dist401k.law.filing_status import FILING_STATUSES
from dist401k.planner.household import load_household, parse_household
from dist401k.planner.plan import make_plan
from dist401k.tax.state.units import COLUMNS as STATE_COLUMNS
from dist401k.tax.state.units import STATE_CODES
from dist401k.tax.units import COLUMNS as FEDERAL_COLUMNS

EXAMPLES = Path(__file__).parents[2] / "examples"

#: Parameters read by no rule, each with its reason.
UNREAD = {
    "early_distributions.terminal_illness_months":
        "the case states the physician's certification as a yes or no (person.terminally_ill: "
        "death expected within the §72(t)(2)(L)(ii) period); the certified horizon is not an input, "
        "so no rule compares it with the law's months",
}


@pytest.fixture
def recording_law(monkeypatch):
    """A fresh shipped law whose every parameter lookup is recorded (caches start empty)."""
    read: set[str] = set()
    original = loader.Law.param

    def param(self, name):
        read.add(name)
        return original(self, name)

    monkeypatch.setattr(loader.Law, "param", param)
    law = loader.Law()
    monkeypatch.setattr(loader, "_DEFAULT", law)
    return law, read


MD_COUNTIES = loader.default_law().param("state.md.local_rates").keys


def every_state_tax_table() -> pa.Table:
    """Tax units in every state × filing status × age band, with every kind of income and the
    plan facts the state rules ask about, in every tax year the law answers."""
    rows = []
    ages = (45.0, 57.0, 61.0, 68.0, 80.0)
    years = (2024, 2025, 2026, 2027)
    for i, (state, status, age, year) in enumerate(
            itertools.product(STATE_CODES, FILING_STATUSES, ages, years)):
        joint = status in ("married_joint", "married_separate")
        rows.append({
            "state": state, "tax_year": year, "filing_status": status, "age_head": age,
            "age_spouse": age - 3 if joint else 0.0,
            "wages": 40000.0 * (age < 65), "taxable_interest": 1500.0, "ordinary_dividends": 900.0,
            "qualified_dividends": 600.0, "long_term_gains": 2500.0 * (i % 2),
            "other_income": 3000.0 * (i % 2), "social_security": 24000.0 * (age >= 62),
            "itemized_deductions": 30000.0 * (i % 3 == 0),
            "taxable_distributions": 20000.0, "early_distributions": 20000.0 * (age < 59.5),
            "secure2_excepted_distributions": 1000.0 * (i % 5 == 0),
            "state_basis_recovered": 500.0 * (i % 7 == 0),
            "plan_retirement_conditions_met": bool(i % 2), "governmental_plan": bool(i % 3 == 1),
            "periodic_payments": bool(i % 4 == 2),
            "employer_attributable_distributions": 12000.0,
            # Maryland's units live in its counties in turn, some in none.
            "maryland_county": MD_COUNTIES[i % 26] if state == "MD" and i % 26 < 24 else "",
        })
    return pa.Table.from_pylist(rows)


def test_every_parameter_file_is_read_by_some_rule(recording_law):
    law, read = recording_law
    cases = [load_case(p) for p in sorted((EXAMPLES / "cases").glob("*.yaml"))]
    assess_cases(cases, law)
    for case in cases:
        compare_case(case, law)
    # A first home before 59½: compare shows what the IRA-only exception would have saved.
    early = next(c for c in cases if c.id == "separated-at-54")
    compare_case(early.model_copy(update={"request": early.request.model_copy(
        update={"purpose": "home_purchase"})}), law)
    # Every state's withholding rule beside the federal (law/params/state/<xx>/withholding_*).
    pat = next(c for c in cases if c.id == "pat-california-rule-of-55")
    assess_cases([pat.model_copy(update={"person": pat.person.model_copy(
        update={"state": code})}) for code in STATE_CODES], law)
    table = every_state_tax_table()
    # every column is one the tax engines read (a misspelt one would test nothing)
    assert set(table.column_names) <= set(STATE_COLUMNS) | set(FEDERAL_COLUMNS)
    tax_table(table, law)
    # One drawdown plan: every shipped plan asks the planner's law for the same provisions.
    make_plan(load_household(EXAMPLES / "plans" / "couple-estate.yaml"), law, monte_carlo=False)
    # The one-earner couple reads the spouse's benefit's law (42 U.S.C. §402(b)) too.
    make_plan(load_household(EXAMPLES / "plans" / "couple-one-earner.yaml"), law,
              monte_carlo=False)
    # The marketplace example reads the premium tax credit's law (IRC §36B) too.
    make_plan(load_household(EXAMPLES / "plans" / "early-retirees-marketplace.yaml"), law,
              monte_carlo=False)
    # A claim at 62 while still at work reads the earnings test's (42 U.S.C. §403(b), (f)).
    make_plan(parse_household({
        "id": "works-and-claims", "start_year": 2026,
        "people": [{"birth_date": "1963-12-15", "life_expectancy": 85, "retirement_age": 64,
                    "wages": 80_000, "social_security": {"monthly_at_full_age": 2_000,
                                                         "claim_age": 62}}],
        "taxable": {"balance": 400_000, "basis": 400_000}, "spending": {"annual": 50_000}}),
        law, monte_carlo=False)
    unread = sorted(set(law.params) - read - set(UNREAD))
    assert not unread, f"parameter files no rule read: {unread}"


def test_the_recorder_sees_a_read(recording_law):
    law, read = recording_law
    law.get("early_distributions.age", np.array([2025]))
    assert "early_distributions.age" in read
