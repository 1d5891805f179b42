"""Iowa's retirement income exclusion, and the withholding exemption that goes with it, for a
disabled payee under 55 and for the survivor of one who qualified.

From the sources, not from dist401k:

- Iowa Code §422.7(31) and the Department's Retirement Income Tax Guidance (2023 on): the
  exclusion is for a person 55 or older on December 31 of the tax year, disabled, "or a
  surviving spouse or a survivor having an insurable interest in an individual who has
  qualified for the exclusion ... based on age or disability"; a survivor other than the
  surviving spouse has an insurable interest if a son, daughter, mother or father;
- 2024 IA W-4P (44-020), "Eligibility requirements": "Iowa income tax is not required to be
  withheld from these distributions to qualifying recipients. To be eligible for the
  exclusion, you must be 55 years of age or older or disabled. If you are a surviving spouse or
  survivor of an individual who would have qualified for the exclusion you may also be
  eligible."

Worked by hand (2026, single, Iowa's one rate 3.8%, Iowa Code §422.5A; federal standard
deduction $16,100, Rev. Proc. 2025-32): a payee under 55 who is neither disabled nor a survivor,
$40,000 paid and no other income: federal taxable income $23,900; Iowa tax 3.8% × $23,900 =
$908.20 less the $40 exemption credit = $868.20 (income from all sources $40,000, above the
$9,000 low-income amount, so the income tax reduction leaves it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.law import default_law
from dist401k.state_withholding import Payee, state_withholding
from dist401k.tax.state import StateUnits
from dist401k.tax.state.engine import state_tax
from test_state_withholding_ia import REQUIRED, cash, iowa_case

LAW = default_law()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cases"


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def heir(relationship: str, deceased_birth_date: str) -> dict:
    """The daughter of 34 (born 1992) of examples/cases/inherited-ten-year-before-rbd, living
    in Iowa, takes $15,000 in 2026 from the plan her parent left (the 10-year rule): a
    designated beneficiary's payment from a plan, an eligible rollover distribution — federal
    20% = $3,000 (§402(c)(11), §3405(c))."""
    case = yaml.safe_load((EXAMPLES / "inherited-ten-year-before-rbd.yaml").read_text())
    case["person"].update(state="IA", filing_status="single")
    case["income"] = {}
    case["beneficiary"].update(relationship=relationship, deceased_birth_date=deceased_birth_date)
    (r,) = assess_cases([parse_case(case)])
    return next(o for o in r["outcomes"] if o["route"] == "beneficiary")


def test_a_disabled_payee_under_55_excludes_it_from_iowa_tax():
    """Born 1985 (41), disabled: Iowa excludes the $40,000 — no Iowa tax added (was: not
    figured, "disability is not an input")."""
    o = cash(iowa_case("1985-01-01", person__disabled=True))
    assert o["state_covered"] is True
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_IA_RETIREMENT_EXCLUSION" in codes(o)
    assert "STATE_IA_DISABILITY_NOT_KNOWN" not in codes(o)


def test_a_payee_under_55_not_disabled_is_taxed():
    """Born 1985, not disabled (the case says so): 3.8% × $23,900 − $40 = $868.20."""
    o = cash(iowa_case("1985-01-01", person__disabled=False))
    assert o["state_income_tax_increase"] == pytest.approx(868.20, abs=0.01)
    assert "STATE_IA_RETIREMENT_EXCLUSION" not in codes(o)


def test_the_daughter_of_a_parent_who_qualified_is_spared_tax_and_withholding():
    """Her mother, born 1963, would have been 63 at the end of 2026: the daughter (34) excludes
    the $15,000 and no Iowa withholding is required (only at request)."""
    o = heir("child", "1963-01-12")
    assert o["withholding"] == pytest.approx(3000.0)
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_IA_RETIREMENT_EXCLUSION" in codes(o)
    assert o["state_withholding"] == 0.0
    assert "STATE_WITHHOLDING_RETIREMENT_EXCLUDED" in codes(o)
    assert not REQUIRED & codes(o)


def test_the_surviving_spouse_of_one_who_qualified_too():
    o = heir("spouse", "1963-01-12")
    assert o["state_income_tax_increase"] == 0.0
    assert o["state_withholding"] == 0.0
    assert "STATE_WITHHOLDING_RETIREMENT_EXCLUDED" in codes(o)


def test_not_the_survivor_of_one_who_would_not_have_qualified_by_age():
    """A parent born 1975 would have been 51 at the end of 2026: not by age (the parent's
    disability is not an input: the tax is not figured, and withholding stays required)."""
    o = heir("child", "1975-01-12")
    assert o["state_income_tax_increase"] is None
    assert "STATE_IA_RETIREMENT_EXCLUSION" not in codes(o)
    assert "STATE_WITHHOLDING_RETIREMENT_EXCLUDED" not in codes(o)
    assert REQUIRED <= codes(o)


def test_another_individual_may_or_may_not_be_a_parent():
    """"individual" (any other person: a mother or father has an insurable interest, a sibling
    has not): the tax is not figured rather than guessed."""
    o = heir("individual", "1963-01-12")
    assert o["state_income_tax_increase"] is None


def test_the_withholding_rule_reads_the_survivor_over_a_batch():
    """Payee born 1992 (34 at the end of 2026); the deceased born 1960 (66), 1975 (51), or no
    survivor (NaN): spared only in the first."""
    sw = state_withholding(LAW, np.full(3, "IA"), np.full(3, 2026), 15000.0, 3000.0,
                           np.ones(3, bool), Payee(np.full(3, 1992.0), np.zeros(3, bool),
                                                   np.array([1960.0, 1975.0, np.nan])))
    assert sw.amount[0] == 0.0 and np.isnan(sw.amount[1:]).all()
    assert sw.reasons["STATE_WITHHOLDING_RETIREMENT_EXCLUDED"].tolist() == [True, False, False]


def _units(**cols) -> StateUnits:
    base = {"state": ["IA"], "tax_year": [2026], "filing_status": ["single"], "age_head": [41],
            "federal_agi": [40000], "taxable_distributions": [40000],
            "federal_taxable_income": [23900], "federal_standard_deduction": [16100]}
    return StateUnits.from_columns({**base, **cols}, LAW)


def test_the_state_tax_table_reads_disability_and_survivor_columns():
    """The table door: without the new columns, under 55 stays not figured; with them the
    exclusion applies (disabled, or the survivor part of a deceased 55 or older at year end),
    and a payee neither disabled nor a survivor pays $868.20."""
    def tax(**cols):
        return float(state_tax(_units(**cols), LAW)["state_income_tax"][0])

    assert np.isnan(tax())
    assert tax(disabled=[True]) == 0.0
    assert tax(disabled=[False], survivor_distributions=[0]) == pytest.approx(868.20, abs=0.01)
    assert tax(disabled=[False], survivor_distributions=[40000], deceased_age=[63]) == 0.0
    assert np.isnan(tax(disabled=[False], survivor_distributions=[40000], deceased_age=[51]))


def test_bad_survivor_columns_are_errors_naming_the_field():
    from dist401k.errors import InputError

    with pytest.raises(InputError) as e:
        _units(disabled=["maybe"], survivor_distributions=[50000], deceased_age=["x"])
    text = str(e.value)
    assert "disabled" in text and "survivor_distributions" in text and "deceased_age" in text
