"""The federal figures a state starts from (federal taxable income, the standard deduction the
federal return took): unknown unless given, and taken from the federal computation of the same
units in every door (the tax table, the outcomes), as federal AGI is.

The federal figures are worked by hand from docs/tax.md's amounts (Rev. Proc. 2024-40 as
amended by OBBBA): 2025 standard deduction $15,750 single, $2,000 more from 65, the $6,000
senior deduction of Schedule 1-A.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.state import StateUnits
from dist401k.tax.state.with_federal import STATE_INPUTS, federal_figures, state_inputs

LAW = default_law()


def test_absent_federal_figures_are_unknown_not_zero():
    u = StateUnits.from_columns({"state": ["CO"], "tax_year": [2025], "filing_status": ["single"],
                                 "federal_agi": [50_000]})
    assert np.isnan(u.federal_taxable_income[0]) and np.isnan(u.federal_standard_deduction[0])
    # A unit built field by field before these inputs existed gets them unknown too.
    kept = StateUnits(**{k: v for k, v in u.__dict__.items()
                         if k not in ("federal_taxable_income", "federal_standard_deduction")})
    assert np.isnan(kept.federal_taxable_income[0]) and np.isnan(kept.federal_standard_deduction[0])
    given = StateUnits.from_columns({"state": ["CO"], "tax_year": [2025],
                                     "filing_status": ["single"], "federal_agi": [50_000],
                                     "federal_taxable_income": [34_250],
                                     "federal_standard_deduction": [15_750]})
    assert given.federal_taxable_income[0] == 34_250
    assert given.federal_standard_deduction[0] == 15_750


@pytest.mark.parametrize("column, value, words", [
    ("federal_taxable_income", 60_000, "federal_taxable_income: 60000 exceeds federal_agi"),
    ("federal_taxable_income", -1, "federal_taxable_income: -1 is negative"),
    ("federal_standard_deduction", "x", "federal_standard_deduction: 'x' is not a number"),
])
def test_bad_federal_figures_are_named(column, value, words):
    cols = {"state": ["CO"], "tax_year": [2025], "filing_status": ["single"],
            "federal_agi": [50_000], column: [value]}
    with pytest.raises(InputError) as err:
        StateUnits.from_columns(cols)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_federal_figures_come_from_the_federal_return():
    # 2025, single, 67, $60,000 distribution: standard deduction 15,750 + 2,000 = 17,750;
    # senior deduction $6,000 (MAGI under $75,000); taxable income 60,000 − 17,750 − 6,000.
    # An itemizer ($40,000 of itemized deductions) took no standard deduction: zero.
    fed = federal_tax(TaxUnits.from_columns({
        "tax_year": [2025, 2025], "filing_status": ["single", "single"], "age_head": [67, 67],
        "taxable_distributions": [60_000, 60_000], "itemized_deductions": [0, 40_000]}))
    got = federal_figures(fed)
    assert got["federal_standard_deduction"].tolist() == [17_750, 0]
    assert got["federal_taxable_income"].tolist() == [36_250, 60_000 - 40_000 - 6_000]
    assert got["federal_agi"].tolist() == [60_000, 60_000]


def test_the_tax_table_never_reads_them_from_its_columns():
    assert "federal_taxable_income" not in STATE_INPUTS
    assert "federal_standard_deduction" not in STATE_INPUTS
    cols = {"state": ["CO"], "federal_taxable_income": [1.0], "wages": [5.0]}
    assert state_inputs(cols) == {"state": ["CO"], "wages": [5.0]}


def test_the_outcomes_pass_the_federal_figures_with_and_without_the_payment():
    from api.conftest import example
    from dist401k.batch import CaseBatch
    from dist401k.case import parse_case
    from dist401k.outcome import TaxOf
    from dist401k.routes.common import Facts
    from dist401k.state_outcome import StateTaxOf

    case = example("pat-california-rule-of-55")
    case["person"]["state"] = "CO"
    b = CaseBatch.from_cases([parse_case(case)])
    f = Facts.of(b, LAW)
    tax = TaxOf(b, LAW)
    state = StateTaxOf(b, f, tax.units, tax.base, tax.lookup)
    assert state.units.federal_taxable_income[0] == tax.base["taxable_income"][0]
    with_ = tax.federal_with(10_000.0)
    more = federal_tax(tax.units.replace(
        taxable_distributions=tax.units.taxable_distributions + 10_000.0), LAW)
    assert with_.taxable_income[0] == more["taxable_income"][0]
    assert with_.standard_deduction[0] == more["standard_deduction"][0]
    assert all(np.array_equal(a, c) for a, c in zip(tax.with_(10_000.0), with_[:3], strict=True))
