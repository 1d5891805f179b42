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
    ("federal_taxable_income", 60_000, "federal_taxable_income: exceeds federal_agi"),
    ("federal_taxable_income", -1, "federal_taxable_income: is negative"),
    ("federal_standard_deduction", "x", "federal_standard_deduction: is not a number"),
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


def _pat_in(code: str):
    """The example case moved to ``code``: its federal and state tax engines, and the federal
    figures with a 10,000 payment (through the outcome and straight)."""
    from api.conftest import example
    from dist401k.batch import CaseBatch
    from dist401k.case import parse_case
    from dist401k.outcome import TaxOf
    from dist401k.routes.common import Facts
    from dist401k.state_outcome import StateTaxOf

    case = example("pat-california-rule-of-55")
    case["person"]["state"] = code
    b = CaseBatch.from_cases([parse_case(case)])
    f = Facts.of(b, LAW)
    tax = TaxOf(b, LAW)
    state = StateTaxOf(b, f, tax.units, tax.base, tax.lookup)
    more = federal_tax(tax.units.replace(
        taxable_distributions=tax.units.taxable_distributions + 10_000.0), LAW)
    return tax, state, tax.federal_with(10_000.0), more


def test_the_outcomes_pass_the_federal_figures_with_and_without_the_payment():
    tax, state, with_, more = _pat_in("CO")
    assert state.units.federal_taxable_income[0] == tax.base["taxable_income"][0]
    assert with_.taxable_income[0] == more["taxable_income"][0]
    assert with_.standard_deduction[0] == more["standard_deduction"][0]
    assert all(np.array_equal(a, c) for a, c in zip(tax.with_(10_000.0), with_[:3], strict=True))


def test_the_federal_income_tax_is_line_22_and_the_niit_apart():
    # 2024 single, 50: an early 150,000 distribution and 400,000 of interest: the NIIT is 3.8%
    # of the smaller of the investment income (400,000) and MAGI over $200,000 (350,000);
    # line 22 holds neither it nor the §72(t) tax (15,000).
    fed = federal_tax(TaxUnits.from_columns({
        "tax_year": [2024], "filing_status": ["single"], "age_head": [50],
        "taxable_distributions": [150_000], "early_distributions": [150_000],
        "taxable_interest": [400_000]}))
    got = federal_figures(fed)
    assert got["federal_income_tax"][0] == fed["regular_tax"][0] + fed["amt"][0]
    assert got["federal_net_investment_income_tax"][0] == pytest.approx(0.038 * 350_000)
    assert got["federal_income_tax"][0] < fed["income_tax"][0] - 15_000


ALABAMA = "tax_year,filing_status,age_head,taxable_distributions,state\n2024,single,70,40000,AL\n"


def test_the_tax_table_figures_the_federal_income_tax_unless_given(tmp_path):
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from typer.testing import CliRunner

    from dist401k.cli import app
    from dist401k.commands.tax import tax_table

    table = pacsv.read_csv(pa.BufferReader(ALABAMA.encode()))
    figured = tax_table(table, LAW).to_pylist()[0]
    # Federal: 40,000 − 14,600 − 1,950 = 23,450 → 1,160 + 12% × 11,850 = 2,582.
    # Alabama: 40,000 − 6,000 = 34,000 − 2,575 − 2,582 − 1,500 = 27,343 → 110 + 5% × 24,343.
    assert figured["regular_tax"] == 2_582
    assert figured["state_income_tax"] == pytest.approx(110 + 0.05 * 24_343, abs=0.005)
    given = tax_table(table.append_column("federal_income_tax", pa.array([1_000.0])),
                      LAW).to_pylist()[0]
    assert given["state_income_tax"] == pytest.approx(figured["state_income_tax"] + 0.05 * 1_582,
                                                      abs=0.005)
    src = tmp_path / "units.csv"
    src.write_text(ALABAMA.replace("state\n", "state,federal_income_tax\n").replace("AL\n", "AL,x\n"))
    r = CliRunner().invoke(app, ["tax", str(src)])
    assert r.exit_code == 2
    assert "row 1, federal_income_tax: is not a number" in r.output
    assert "Traceback" not in r.output


def test_the_batch_tax_job_keeps_a_bad_federal_income_tax_as_an_error_row():
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from dist401k.jobs import run_job

    text = ALABAMA.replace("state\n", "state,federal_income_tax\n").replace("AL\n", "AL,1000\n")
    rows = run_job(pacsv.read_csv(pa.BufferReader((text + "2024,single,70,40000,AL,-5\n")
                                                  .encode())), "tax", LAW).to_pylist()
    assert [r["status"] for r in rows] == ["ok", "error"]
    assert rows[1]["error_column"] == "federal_income_tax"
    assert rows[0]["state_income_tax"] == pytest.approx(110 + 0.05 * 25_925, abs=0.005)


def test_the_outcomes_pass_the_federal_income_tax():
    tax, state, with_, more = _pat_in("AL")
    assert state.units.federal_income_tax[0] == tax.base["regular_tax"][0] + tax.base["amt"][0]
    assert state.units.federal_net_investment_income_tax[0] == tax.base["niit"][0]
    assert with_.income_tax[0] == more["regular_tax"][0] + more["amt"][0]
    assert with_.niit[0] == more["niit"][0]
    # The state tax the payment adds counts the federal tax it adds too (Alabama deducts it).
    inc = state.increase(10_000.0, with_, 0.0, 0.0)
    assert inc.covered[0]


def test_the_planner_passes_the_federal_income_tax_of_each_year():
    from dist401k.planner.state_tax import PlanState

    tu = TaxUnits.from_columns({"tax_year": [2027], "filing_status": ["married_joint"],
                                "age_head": [67], "age_spouse": [65],
                                "taxable_distributions": [90_000], "taxable_interest": [5_000]})
    fed = federal_tax(tu, LAW)
    units = PlanState(None, np.array(["AL"]), np.array([True]), False).units(np.array([0]), tu, fed)
    assert units.federal_income_tax[0] == fed["regular_tax"][0] + fed["amt"][0] > 0
    assert units.federal_net_investment_income_tax[0] == 0
