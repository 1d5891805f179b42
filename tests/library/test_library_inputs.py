"""dist401k from Python (docs/library.md): bad input is an InputError naming the field, as in
every other door; nothing missing or misspelled is taxed as zero.

The figures: 2026, single, $90,000 of wages.  Rev. Proc. 2025-32 as amended by P.L. 119-21
(OBBBA): standard deduction $16,100; 10% to $12,400, 12% to $50,400, 22% to $105,700.  Taxable
income 73,900: 1,240 + 12% × 38,000 + 22% × 23,500 = 10,970.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from dist401k.errors import InputError
from dist401k.law.loader import LawError
from dist401k.tax import TaxUnits, federal_tax, marginal_cost
from dist401k.tax.state import StateUnits, state_tax

UNIT = {"tax_year": 2026, "filing_status": "single", "age_head": 58, "wages": 90_000}
BY_HAND = 1_240 + 0.12 * 38_000 + 0.22 * 23_500  # 10,970


def fields(exc: pytest.ExceptionInfo) -> list[str]:
    return [p.field for p in exc.value.problems]


# 1. State units without federal AGI ---------------------------------------------------------

@pytest.mark.parametrize("state", ["CA", "NY", "IL", "NJ", "GA"])
def test_state_units_without_federal_agi_are_refused_not_taxed_as_zero(state):
    df = pd.DataFrame({"state": [state], "tax_year": [2025], "filing_status": ["single"],
                       "wages": [90_000.0]})
    with pytest.raises(InputError) as e:
        StateUnits.from_columns(df)
    assert fields(e) == ["federal_agi"]
    assert "required column is missing" in str(e.value)


def test_state_units_with_federal_agi_are_taxed():
    # Illinois 2025: 4.95% of base income less the $2,850 exemption (35 ILCS 5/201(b)(5.4),
    # 5/204; Form IL-1040 2025 instructions): 4.95% × 87,150 = 4,313.93.
    units = StateUnits.from_columns({"state": ["IL"], "tax_year": [2025],
                                     "filing_status": ["single"], "federal_agi": [90_000.0],
                                     "wages": [90_000.0]})
    assert state_tax(units)["state_income_tax"][0] == pytest.approx(0.0495 * 87_150, abs=0.01)


def test_the_batch_tax_job_still_figures_federal_agi_itself():
    """The batch door has no federal_agi column: the federal tax of the row figures it."""
    from dist401k.jobs import run_job
    from dist401k.law.loader import default_law

    table = pa.table({"tax_year": [2025], "filing_status": ["single"], "wages": [90_000.0],
                      "state": ["IL"]})
    out = run_job(table, "tax", default_law()).to_pylist()[0]
    assert out["state_income_tax"] == pytest.approx(0.0495 * 87_150, abs=0.01)


def test_the_batch_check_of_a_spouses_other_income_is_against_the_real_agi():
    """A joint return's spouse_other_income is part of the other income (federal AGI less
    wages, distributions, taxable Social Security): $1,000 of $5,000.  The batch job's check of
    the state inputs, before the federal tax is figured, took federal AGI as zero and refused
    it as 'not part of other_income'."""
    from dist401k.jobs import run_job
    from dist401k.law.loader import default_law

    table = pa.table({"tax_year": [2025], "filing_status": ["married_joint"],
                      "wages": [100_000.0], "other_income": [5_000.0], "state": ["NY"],
                      "spouse_other_income": [1_000.0], "spouse_wages": [0.0]})
    out = run_job(table, "tax", default_law()).to_pylist()[0]
    assert out["status"] == "ok", out.get("error_message")
    # New York 2025, joint, AGI 105,000 less the $16,050 standard deduction (Tax Law §614):
    # 88,950 at 4% to 17,150, 4.5% to 23,600, 5.25% to 27,900, 5.5% above (§601(a)).
    assert out["state_income_tax"] == pytest.approx(
        0.04 * 17_150 + 0.045 * 6_450 + 0.0525 * 4_300 + 0.055 * 61_050, abs=0.005)


# 2. Misspelled columns ------------------------------------------------------------------------

def test_a_misspelled_column_is_refused_with_the_nearest_name():
    with pytest.raises(InputError) as e:
        TaxUnits.from_records([{"tax_year": 2026, "filing_status": "single", "wagez": 90000}])
    assert fields(e) == ["wagez"]
    assert "(did you mean `wages`?)" in str(e.value)
    assert "90000" not in str(e.value)


def test_a_misspelled_state_column_is_refused_too():
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({"state": ["IL"], "tax_year": [2025], "filing_status": ["single"],
                                 "federal_agi": [1.0], "federal_agj": [1.0]})
    assert fields(e) == ["federal_agj"]
    assert "(did you mean `federal_agi`?)" in str(e.value)


def test_a_column_near_no_name_is_not_read_as_dist401k_tax_copies_it():
    units = TaxUnits.from_records([{**UNIT, "household_note": "x"}])
    assert federal_tax(units)["income_tax"][0] == pytest.approx(BY_HAND)


# 3. marginal_cost's distribution --------------------------------------------------------------

def _two() -> TaxUnits:
    return TaxUnits.from_records([UNIT, UNIT])


@pytest.mark.parametrize("bad, words", [(-1_000, "is negative"), (math.nan, "nan is not a number"),
                                        (math.inf, "inf is not a number"),
                                        ("lots", "is not a number")])
def test_a_bad_distribution_is_named(bad, words):
    with pytest.raises(InputError) as e:
        marginal_cost(_two(), bad, early=True)
    assert fields(e) == ["distribution"]
    assert words in str(e.value)


def test_a_bad_distribution_of_one_unit_names_the_unit():
    with pytest.raises(InputError) as e:
        marginal_cost(_two(), [10_000, -5], early=True)
    assert [(p.field, p.row) for p in e.value.problems] == [("distribution", 2)]


def test_a_distribution_of_the_wrong_length_is_named():
    with pytest.raises(InputError) as e:
        marginal_cost(_two(), [1, 2, 3])
    assert fields(e) == ["distribution"]
    assert "3 values for 2 units" in str(e.value)


def test_a_good_distribution_costs_the_22_percent_and_the_10_percent():
    # 73,900 + 10,000 stays in the 22% bracket (to 105,700): 2,200 + the §72(t) 1,000.
    np.testing.assert_allclose(marginal_cost(_two(), [10_000, 10_000], early=True)["cost"],
                               [3_200, 3_200])


# 5. Arrow tables, no records ------------------------------------------------------------------

def test_an_arrow_table_and_record_batch_are_columns():
    table = pa.Table.from_pylist([UNIT])
    for given in (table, table.to_batches()[0]):
        assert federal_tax(TaxUnits.from_columns(given))["income_tax"][0] == pytest.approx(BY_HAND)


def test_state_units_from_an_arrow_table():
    table = pa.table({"state": ["IL"], "tax_year": [2025], "filing_status": ["single"],
                      "federal_agi": [90_000.0], "wages": [90_000.0]})
    assert state_tax(StateUnits.from_columns(table))["state_income_tax"][0] == pytest.approx(
        0.0495 * 87_150, abs=0.01)


def test_no_records_is_an_empty_batch():
    units = TaxUnits.from_records([])
    assert len(units) == 0
    out = federal_tax(units)
    assert out["income_tax"].shape == (0,)
    assert marginal_cost(units, 1_000)["cost"].shape == (0,)


# 6. An unknown reason code --------------------------------------------------------------------

def test_an_unknown_reason_code_is_one_line_with_the_nearest_code():
    from dist401k.explain import reason

    with pytest.raises(LawError) as e:
        reason("IS_DEFERAL_BEFORE_59_HALF")
    assert isinstance(e.value, KeyError)  # as callers caught it before
    assert str(e.value) == ("'IS_DEFERAL_BEFORE_59_HALF' is not a reason code dist401k knows "
                            "(did you mean `IS_DEFERRAL_BEFORE_59_HALF`?) (codes are in "
                            "law/reasons/*.yaml)")
    assert reason("is_deferral_before_59_half").code == "IS_DEFERRAL_BEFORE_59_HALF"


# 4. A plan's state codes ----------------------------------------------------------------------

def _household(**over) -> dict:
    case = {"id": "state-words", "start_year": 2027,
            "people": [{"birth_date": "1965-04-12", "life_expectancy": 92,
                        "accounts": {"pretax": 800000}}],
            "spending": {"annual": 60000}}
    return {**case, **over}


@pytest.mark.parametrize("over, field", [
    ({"state": "ZZ"}, "state"),
    ({"state": "NY", "move": {"year": 2030, "state": "ZZ"}}, "move.state"),
])
def test_a_plans_bad_state_code_is_named_without_the_value(over, field):
    from dist401k.planner.household import parse_household

    with pytest.raises(InputError) as e:
        parse_household(_household(**over))
    said = [p.problem for p in e.value.problems if p.field == field]
    assert said == ["is not a US state code (two letters: CA, NY, DC …)"]
    assert "ZZ" not in str(e.value)
