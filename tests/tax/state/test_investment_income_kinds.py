"""Interest, dividends and long-term gains in the states that tax them each in their own way,
on hand-worked cases (the figures worked line by line from the statutes and the states' own
tables, cited in the parameter files; PolicyEngine-US agrees on random units in
test_policyengine_investment_income_oracle.py), and the kind of the other income as an input:
given where known, unknown (NaN, with the reason naming the columns) where not."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import one

#: Interest, dividends and a gain: 40,000 of other income by kind.
KINDS = {"taxable_interest": 10_000, "ordinary_dividends": 20_000, "qualified_dividends": 20_000,
         "long_term_gains": 10_000}


def _direct(states: list[str], **columns) -> dict:
    """The answer for units built directly (as the planner builds them: a net loss allowed),
    single filers of 66 in 2024 with a 40,000 distribution unless ``columns`` say otherwise."""
    from dist401k.tax.state import StateUnits, state_tax

    n = len(states)
    zero, no = np.zeros(n), np.zeros(n, bool)
    base = dict(state=np.array(states), tax_year=np.full(n, 2024),
                filing_status=np.zeros(n, np.int8), age_head=np.full(n, 66.0), age_spouse=zero,
                wages=zero, taxable_distributions=np.full(n, 40_000.0), early_distributions=zero,
                secure2_excepted_distributions=zero, state_basis_recovered=zero,
                social_security=zero, taxable_social_security=zero,
                plan_retirement_conditions_met=~no, governmental_plan=no, periodic_payments=no,
                taxable_interest=zero, ordinary_dividends=zero, qualified_dividends=zero,
                long_term_gains=zero)
    return state_tax(StateUnits(**{**base, **{k: np.asarray(v) for k, v in columns.items()}}))


#: A single filer of 70 in 2024: 10,000 of interest, 25,000 of dividends (20,000 qualified).
INVESTOR = {"tax_year": 2024, "filing_status": "single", "age_head": 70,
            "taxable_interest": 10_000, "ordinary_dividends": 25_000, "qualified_dividends": 20_000}


def test_north_dakota_excludes_40_percent_of_gains_and_qualified_dividends():
    # With a 200,000 long-term gain: federal AGI 235,000, standard deduction 16,550 (14,600
    # and 1,950 from 65), federal taxable income 218,450.  ND-1: less 40% of the gain (80,000)
    # and of the qualified dividends (8,000): 130,450; 1.95% x (130,450 - 47,150) = 1,624.35.
    r = one({"state": "ND", **INVESTOR}, long_term_gains=200_000, federal_agi=235_000,
            federal_taxable_income=218_450)
    assert r["state_income_tax"] == pytest.approx(1_624.35, abs=0.005)
    assert "STATE_ND_GAIN_AND_DIVIDEND_EXCLUSION" in r["reasons"]


def test_montana_taxes_the_gain_stacked_on_the_rest_at_3_and_4_1_percent():
    # The Department's 2024 table ("$0 to $20,500 minus ordinary income 3.0%; above 4.1%"):
    # a 50,000 gain, federal AGI 85,000, taxable income 68,450; less 5,500 from 65: 62,950, of
    # which 12,950 ordinary at 4.7% = 608.65, then 7,550 of the gain at 3% = 226.50 and 42,450
    # at 4.1% = 1,740.45: 2,575.60.
    r = one({"state": "MT", **INVESTOR}, long_term_gains=50_000, federal_agi=85_000,
            federal_taxable_income=68_450, federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(2_575.60, abs=0.005)
    assert "STATE_MT_CAPITAL_GAIN_RATES" in r["reasons"]
    # Ordinary income past the bracket's end: the whole gain at 4.1%.  A 100,000 distribution
    # besides: taxable income 168,450, less 5,500: 162,950; ordinary 112,950: 4.7% x 20,500 +
    # 5.9% x 92,450 = 963.50 + 5,454.55; the gain 4.1% x 50,000 = 2,050: 8,468.05.
    r = one({"state": "MT", **INVESTOR}, long_term_gains=50_000, federal_agi=185_000,
            taxable_distributions=100_000, federal_taxable_income=168_450,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(8_468.05, abs=0.005)


@pytest.mark.parametrize(("year", "standard", "tax"), [
    # 2024: the deduction is the greater of $1,000 and 40% of the gain: 20,000.  Federal AGI
    # 80,000 (a 30,000 distribution, a 50,000 gain), the aged and low-income exemptions phased
    # out; 80,000 - 16,550 - 20,000 = 43,450: 1.7% x 5,500 + 3.2% x 5,500 + 4.7% x 5,000 +
    # 4.9% x 27,450 = 1,849.55.
    (2024, 16_550, 1_849.55),
    # 2025 (HB 252): the gain up to $2,500; 80,000 - 17,000 - 2,500 = 60,500: 1.5% x 5,500 +
    # 3.2% x 11,000 + 4.3% x 17,000 + 4.7% x 27,000 = 2,434.50.
    (2025, 17_000, 2_434.50),
])
def test_new_mexico_net_capital_gain_deduction(year, standard, tax):
    r = one({"state": "NM", "tax_year": year, "filing_status": "single", "age_head": 70},
            taxable_distributions=30_000, long_term_gains=50_000, taxable_interest=0,
            ordinary_dividends=0, qualified_dividends=0, federal_agi=80_000,
            federal_standard_deduction=standard)
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)
    assert "STATE_NM_CAPITAL_GAINS_DEDUCTION" in r["reasons"]
    # A separate filer deducts half of what the couple's joint return would: not known here.
    r = one({"state": "NM", "tax_year": year, "filing_status": "married_separate",
             "age_head": 70}, taxable_distributions=30_000, long_term_gains=50_000,
            taxable_interest=0, ordinary_dividends=0, qualified_dividends=0, federal_agi=80_000,
            federal_standard_deduction=standard)
    assert np.isnan(r["state_income_tax"]) and "STATE_NM_SEPARATE_GAIN_NOT_SPLIT" in r["reasons"]


def _arkansas(**kw) -> float:
    unit = {"taxable_interest": 0, "ordinary_dividends": 0, "qualified_dividends": 0,
            "long_term_gains": 0, "taxable_distributions": 40_000, **kw}
    other = unit["taxable_interest"] + unit["ordinary_dividends"] + unit["long_term_gains"]
    return one({"state": "AR", "tax_year": 2024, "filing_status": "single", "age_head": 66},
               federal_agi=40_000 + other, **unit)["state_income_tax"]


def test_arkansas_exempts_half_a_gain_and_all_of_it_above_ten_million():
    # Interest and dividends are income in full, half of a net capital gain: a 30,000 gain is
    # taxed as 15,000 of interest is; 12 million of gain as 5 million of interest.
    assert _arkansas(long_term_gains=30_000) == pytest.approx(_arkansas(taxable_interest=15_000))
    assert _arkansas(ordinary_dividends=15_000, qualified_dividends=15_000) == pytest.approx(
        _arkansas(taxable_interest=15_000))
    assert _arkansas(long_term_gains=12e6) == pytest.approx(_arkansas(taxable_interest=5e6))


def test_a_net_capital_loss_of_the_planner():
    """The drawdown planner's return may hold a net capital loss (a sale below its basis, within
    §1211(b)'s $3,000): Arkansas counts it as it is, North Dakota and Montana exclude or favour
    no gain, New Mexico deducts nothing."""
    loss = {"taxable_interest": [0.0, 3_000.0], "long_term_gains": [-3_000.0, -3_000.0],
            "federal_agi": [37_000.0, 40_000.0], "federal_taxable_income": [22_400.0, 25_400.0],
            "federal_standard_deduction": [14_600.0, 14_600.0]}
    ar = _direct(["AR", "AR"], **loss)["state_income_tax"]
    assert ar[0] < _arkansas() and ar[1] == pytest.approx(_arkansas())
    for state in ("ND", "MT", "NM"):
        got = _direct([state, state], **loss)
        assert got["state_covered"].all(), state
        assert got["state_income_tax"][0] <= got["state_income_tax"][1], state


@pytest.mark.parametrize(("state", "code"), [
    ("ND", "STATE_ND_OTHER_INCOME_KIND"), ("MT", "STATE_MT_CAPITAL_GAINS_NOT_MODELLED"),
    ("NM", "STATE_NM_OTHER_INCOME_KIND"), ("AR", "STATE_AR_OTHER_INCOME_NOT_MODELLED")])
def test_other_income_of_no_given_kind_is_not_figured(state, code):
    unit = {"state": state, "tax_year": 2024, "filing_status": "single", "age_head": 70,
            "federal_agi": 60_000, "taxable_distributions": 40_000,
            "federal_taxable_income": 43_450, "federal_standard_deduction": 16_550}
    # Not given: 20,000 of other income of no known kind.
    r = one(unit)
    assert np.isnan(r["state_income_tax"]) and code in r["reasons"]
    # Given, but not making up the other income (15,000 of the 20,000).
    r = one(unit, taxable_interest=5_000, ordinary_dividends=5_000, qualified_dividends=5_000,
            long_term_gains=5_000)
    assert np.isnan(r["state_income_tax"]) and code in r["reasons"]
    # Given and making it up: figured.
    r = one(unit, taxable_interest=5_000, ordinary_dividends=5_000, qualified_dividends=5_000,
            long_term_gains=10_000)
    assert r["state_covered"] and np.isfinite(r["state_income_tax"])


def test_massachusetts_parts_a_and_c_and_the_excess_exemptions():
    # Single, 70, 2025, no Part B income: 3,000 of interest and 3,000 of dividends (Part A),
    # a 20,000 long-term gain (Part C).  Exemptions 4,400 + 700 from 65 = 5,100, all unused by
    # Part B: they reduce Part A to 900 and leave Part C whole (§3A(b)); 5% x 20,900 = 1,045.
    unit = {"state": "MA", "tax_year": 2025, "filing_status": "single", "age_head": 70}
    r = one(unit, taxable_interest=3_000, ordinary_dividends=3_000, qualified_dividends=3_000,
            long_term_gains=20_000, federal_agi=26_000)
    assert r["state_income_tax"] == pytest.approx(1_045.0, abs=0.005)
    assert "STATE_MA_PART_A_AND_C" in r["reasons"]
    # A 20,000 distribution (Part B: 20,000 - 5,100 = 14,900) and a net loss of 3,000, which
    # offsets 2,000 of the 5,000 of interest (Schedule B): 5% x (14,900 + 3,000) = 895.
    r = one(unit, taxable_distributions=20_000, taxable_interest=5_000, ordinary_dividends=0,
            qualified_dividends=0, long_term_gains=0, federal_agi=25_000)
    assert r["state_covered"]
    loss = _direct(["MA"], tax_year=[2025], age_head=[70.0], taxable_distributions=[20_000.0],
                   taxable_interest=[5_000.0], long_term_gains=[-3_000.0],
                   federal_agi=[22_000.0])
    assert loss["state_income_tax"][0] == pytest.approx(895.0, abs=0.005)


def test_washington_capital_gains_excise():
    # RCW 82.87.040, .060: 2024, a single filer's 300,000 gain less the $270,000 deduction at
    # 7%: 2,100; dividends and interest bear nothing.  2025 (ESSB 5813), a couple's 1,500,000:
    # 1,222,000 taxable, 7% of 1,000,000 and 9.9% of 222,000: 91,978.
    base = {"state": "WA", "filing_status": "single", "age_head": 70,
            "taxable_distributions": 30_000, "taxable_interest": 5_000,
            "ordinary_dividends": 20_000, "qualified_dividends": 20_000}
    r = one(base, tax_year=2024, long_term_gains=300_000, federal_agi=355_000)
    assert r["state_income_tax"] == pytest.approx(2_100.0, abs=0.005)
    assert "STATE_WA_CAPITAL_GAINS_TAX" in r["reasons"]
    r = one(base, tax_year=2024, long_term_gains=200_000, federal_agi=255_000)
    assert r["state_covered"] and r["state_income_tax"] == 0
    r = one(base, tax_year=2025, filing_status="married_joint", age_spouse=70,
            long_term_gains=1_500_000, federal_agi=1_555_000)
    assert r["state_income_tax"] == pytest.approx(91_978.0, abs=0.005)
    # Spouses filing separately share one deduction: a separate filer's gain is not figured.
    r = one(base, tax_year=2025, filing_status="married_separate", long_term_gains=300_000,
            federal_agi=355_000)
    assert np.isnan(r["state_income_tax"]) and "STATE_WA_SEPARATE_DEDUCTION_NOT_SPLIT" in r["reasons"]


def test_georgia_counts_interest_dividends_and_gains_as_retirement_income():
    # O.C.G.A. §48-7-27(a)(5): single, 66, 2024: a 40,000 distribution, 10,000 of interest,
    # 20,000 of dividends and a 10,000 gain are 80,000 of retirement income; 65,000 excluded;
    # Georgia AGI 15,000 less the 12,000 standard deduction at 5.39%: 161.70.
    unit = {"state": "GA", "tax_year": 2024, "filing_status": "single", "age_head": 66}
    r = one(unit, taxable_distributions=40_000, federal_agi=80_000, **KINDS)
    assert r["state_income_tax"] == pytest.approx(161.70, abs=0.005)
    # On a joint return whose other income it is decides each spouse's exclusion: not figured.
    r = one({**unit, "filing_status": "married_joint", "age_spouse": 66},
            taxable_distributions=40_000, federal_agi=80_000, **KINDS)
    assert np.isnan(r["state_income_tax"]) and "STATE_GA_RETIREMENT_INCOME_NOT_SPLIT" in r["reasons"]


def test_delaware_counts_interest_dividends_and_gains_in_its_exclusion():
    # 30 Del. C. §1106(b): from 60, up to $12,500 of eligible retirement income, interest,
    # dividends and gains included: a 10,000 distribution with 40,000 of them is taxed as a
    # 50,000 distribution alone (12,500 excluded either way); below the limit, all excluded.
    unit = {"state": "DE", "tax_year": 2024, "filing_status": "single", "age_head": 65}
    mixed = one(unit, taxable_distributions=10_000, federal_agi=50_000, **KINDS)
    alone = one(unit, taxable_distributions=50_000, federal_agi=50_000)
    assert mixed["state_covered"] and mixed["state_income_tax"] == alone["state_income_tax"] > 0
    small = one(unit, taxable_distributions=2_000, federal_agi=12_000, taxable_interest=10_000,
                ordinary_dividends=0, qualified_dividends=0, long_term_gains=0)
    assert small["state_covered"] and small["state_income_tax"] == 0
