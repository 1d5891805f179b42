"""The state rules on hand-worked examples from the states' own forms and statutes.

Every figure below is worked by hand from the law file's amounts (cited there): the tax is
re-derived here step by step, not read back from the engine.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.explain import reason
from dist401k.law import default_law
from dist401k.tax.state import COVERED, NOT_COVERED, STATE_CODES, StateUnits, state_tax
from dist401k.tax.state.engine import state_citations

LAW = default_law()


def one(**kw) -> dict:
    """The state tax of one unit (a batch of one)."""
    cols = {"state": "CA", "tax_year": 2025, "filing_status": "single", "age_head": 50}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


# -- the states without a wage income tax -------------------------------------------------

NO_TAX = ("AK", "FL", "NV", "NH", "SD", "TN", "TX", "WA", "WY")


@pytest.mark.parametrize("code", NO_TAX)
def test_state_without_income_tax_answers_zero_with_its_citation(code):
    r = one(state=code, age_head=50, federal_agi=300_000, wages=100_000,
            taxable_distributions=200_000, early_distributions=200_000)
    assert r["state_covered"] and r["state_income_tax"] == 0 and r["state_additional_tax"] == 0
    assert r["reasons"][f"STATE_{code}_NO_INCOME_TAX"]
    assert reason(f"STATE_{code}_NO_INCOME_TAX").citation
    assert any("https" not in c and len(c) > 8 for c in state_citations(LAW, code))


@pytest.mark.parametrize("code, year", [("NH", 2024), ("WA", 2025)])
def test_investment_income_taxed_by_a_state_without_wage_tax_is_unknown(code, year):
    # $5,000 of other income of no given kind besides the distribution: New Hampshire's 2024
    # interest and dividends tax is not modelled, Washington's capital gains tax needs the kind
    # (test_investment_income_kinds.py), so the answer is unknown.
    r = one(state=code, tax_year=year, federal_agi=45_000, taxable_distributions=40_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_INVESTMENT_INCOME_NOT_MODELLED"]
    r = one(state=code, tax_year=year, federal_agi=40_000, taxable_distributions=40_000)
    assert r["state_covered"] and r["state_income_tax"] == 0


def test_new_hampshire_interest_and_dividends_tax_ended_in_2025():
    r = one(state="NH", tax_year=2025, federal_agi=45_000, taxable_distributions=40_000)
    assert r["state_covered"] and r["state_income_tax"] == 0


def test_state_not_covered_is_unknown_never_zero(uncovered_state):
    r = one(state=uncovered_state, federal_agi=50_000, wages=50_000)
    assert not r["state_covered"]
    assert np.isnan(r["state_income_tax"]) and np.isnan(r["state_additional_tax"])
    assert r["reasons"]["STATE_NOT_COVERED"]


def test_a_state_without_its_rule_is_unknown_never_zero(monkeypatch):
    # Every state is covered once Arkansas is: the engine's answer for a state without a rule
    # is still NaN with STATE_NOT_COVERED, and the other states of the batch are unchanged.
    from dist401k.tax.state import engine

    cols = {"state": ["AR", "PA"], "tax_year": [2024, 2024], "filing_status": ["single"] * 2,
            "age_head": [50, 50], "federal_agi": [50_000] * 2, "wages": [50_000] * 2}
    before = state_tax(StateUnits.from_columns(cols))
    monkeypatch.delitem(engine.RULES, "AR")
    r = state_tax(StateUnits.from_columns(cols))
    assert r["state_covered"].tolist() == [False, True]
    assert np.isnan(r["state_income_tax"][0]) and np.isnan(r["state_additional_tax"][0])
    assert r["reasons"]["STATE_NOT_COVERED"].tolist() == [True, False]
    assert r["state_income_tax"][1] == before["state_income_tax"][1]
    assert before["state_covered"].all() and not before["reasons"]["STATE_NOT_COVERED"].any()


def test_coverage_lists_every_state_once():
    assert sorted(COVERED + NOT_COVERED) == sorted(STATE_CODES)
    assert len(STATE_CODES) == 51


# -- California ---------------------------------------------------------------------------

def _ca_2025_single(taxable: float) -> float:
    """2025 California tax rate schedule X, worked bracket by bracket."""
    uppers = [11079, 26264, 41452, 57542, 72724, 371479, 445771, 742953, np.inf]
    rates = [0.01, 0.02, 0.04, 0.06, 0.08, 0.093, 0.103, 0.113, 0.123]
    tax, lower = 0.0, 0.0
    for up, rate in zip(uppers, rates, strict=True):
        tax += rate * max(0.0, min(taxable, up) - lower)
        lower = up
    return tax


def test_california_early_distribution_bears_its_own_2_5_percent():
    # Single, 50, 2025: a $40,000 early 401(k) distribution (code 1) and $60,000 of wages.
    r = one(federal_agi=100_000, wages=60_000, taxable_distributions=40_000,
            early_distributions=40_000)
    taxable = 100_000 - 5_706  # less the 2025 standard deduction
    assert r["state_income_tax"] == pytest.approx(_ca_2025_single(taxable) - 153, abs=0.01)
    assert r["state_additional_tax"] == pytest.approx(0.025 * 40_000)  # FTB 3805P line 4
    assert r["reasons"]["STATE_CA_EARLY_TAX"]


def test_california_rule_of_55_spares_as_federally():
    # Left the employer at 56: no §72(t) tax federally, so none in California either.
    r = one(age_head=56, federal_agi=40_000, taxable_distributions=40_000)
    assert r["state_additional_tax"] == 0 and not r["reasons"]["STATE_CA_EARLY_TAX"]


def test_california_spares_a_secure2_exception_as_federally():
    # A $1,000 emergency personal expense distribution (§72(t)(2)(I)): spared federally, so by
    # California's 2.5% too (R&TC §17085(c)(1): §72(t) as applicable federally that year).
    r = one(federal_agi=31_000, wages=30_000, taxable_distributions=1_000,
            secure2_excepted_distributions=1_000)
    assert r["state_additional_tax"] == 0
    assert not r["reasons"]["STATE_CA_SECURE2_NOT_ADOPTED"]


def test_california_exempts_social_security_and_counts_senior_credits():
    # Joint, both 67, 2024: $80,000 distributions, $40,000 Social Security of which $34,000
    # federally taxable.  CA AGI = 80,000; taxable = 80,000 − 11,080.
    r = one(tax_year=2024, filing_status="married_joint", age_head=67, age_spouse=67,
            federal_agi=114_000, taxable_distributions=80_000, social_security=40_000,
            taxable_social_security=34_000, plan_retirement_conditions_met=True)
    t = 68_920.0
    schedule = (0.01 * 21_512 + 0.02 * (50_998 - 21_512) + 0.04 * (t - 50_998))
    assert r["state_income_tax"] == pytest.approx(schedule - 4 * 149, abs=0.01)
    assert r["reasons"]["STATE_SOCIAL_SECURITY_EXEMPT"]


def test_california_exemption_credit_phase_out_and_mental_health_tax():
    # Single 2025, federal AGI $1,300,000: far past the phase-out (credit gone); taxable income
    # over $1,000,000 bears the 1% Mental Health Services Tax.
    r = one(federal_agi=1_300_000, wages=1_300_000)
    taxable = 1_300_000 - 5_706
    assert r["state_income_tax"] == pytest.approx(
        _ca_2025_single(taxable) + 0.01 * (taxable - 1_000_000), abs=0.01)
    assert r["reasons"]["STATE_CA_EXEMPTION_CREDIT_PHASED_OUT"]
    # Just over the threshold: $6 off per $2,500 or part: $252,203 + $2,501 is two steps.
    r = one(federal_agi=252_203 + 2_501, wages=252_203 + 2_501)
    assert r["state_income_tax"] == pytest.approx(
        _ca_2025_single(252_203 + 2_501 - 5_706) - (153 - 12), abs=0.01)


def test_unconfirmed_figures_are_flagged_by_state_and_year():
    assert one(tax_year=2026, federal_agi=10_000, wages=10_000)["state_unconfirmed"]
    assert one(state="IL", tax_year=2026, federal_agi=10_000)["state_unconfirmed"]
    assert not one(state="IL", tax_year=2025, federal_agi=10_000)["state_unconfirmed"]
    assert not one(state="MS", tax_year=2026, federal_agi=10_000)["state_unconfirmed"]


def test_california_projects_its_indexed_amounts_after_2026():
    r26 = one(tax_year=2026, federal_agi=60_000, wages=60_000)
    r27 = one(tax_year=2027, federal_agi=60_000, wages=60_000)
    assert r27["projected"] and not r26["projected"]
    assert LAW.get("state.ca.brackets", 2027, 0)[0] > LAW.get("state.ca.brackets", 2026, 0)[0]
    assert r27["state_income_tax"] < r26["state_income_tax"]  # wider brackets, same income


# -- Pennsylvania ---------------------------------------------------------------------------

def test_pennsylvania_exempts_a_distribution_once_plan_retirement_conditions_are_met():
    r = one(state="PA", age_head=58, federal_agi=90_000, taxable_distributions=90_000,
            plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == 0 and r["reasons"]["STATE_PA_RETIREMENT_EXEMPT"]


def test_pennsylvania_taxes_an_early_distribution_less_what_it_already_taxed():
    # Separated at 56 (rule of 55: no federal 10% tax) from a plan whose retirement age is 62:
    # Pennsylvania taxes it as compensation, less the $30,000 of deferrals it taxed when made.
    r = one(state="PA", age_head=56, federal_agi=100_000, taxable_distributions=100_000,
            state_basis_recovered=30_000)
    assert r["state_income_tax"] == pytest.approx(0.0307 * 70_000)
    # Its reason says the contributions were recovered first, not that it is taxed in full.
    assert r["reasons"]["STATE_PA_COST_RECOVERY"] and not r["reasons"]["STATE_PA_EARLY_TAXABLE"]
    assert r["state_additional_tax"] == 0


def test_pennsylvania_tax_forgiveness_steps():
    # Single, $6,700 of interest: $200 over the $6,500 limit is one $250 step: 90% forgiven.
    r = one(state="PA", federal_agi=6_700)
    assert r["state_income_tax"] == pytest.approx(0.0307 * 6_700 * 0.10)
    assert r["reasons"]["STATE_PA_FORGIVENESS"]
    assert one(state="PA", federal_agi=6_500)["state_income_tax"] == 0
    assert one(state="PA", federal_agi=9_000)["state_income_tax"] == pytest.approx(0.0307 * 9_000)


# -- New York -------------------------------------------------------------------------------

def _ny_2025_single(taxable: float) -> float:
    """2025 New York rate schedule, single, worked bracket by bracket (to $1,077,550)."""
    tax, lower = 0.0, 0.0
    for up, rate in ((8_500, 0.04), (11_700, 0.045), (13_900, 0.0525), (80_650, 0.055),
                     (215_400, 0.06), (1_077_550, 0.0685)):
        tax += rate * max(0.0, min(taxable, up) - lower)
        lower = up
    return tax


def _ny_2025_table(taxable: float) -> float:
    """The New York State tax table's tax (taxable income under $65,000, NY AGI $107,650 or
    less; the Department's tax tables page): the 2025 single schedule at the middle of the
    income's $50 row, rounded half up to whole dollars (from $50; the narrower rows below it are
    not used here)."""
    assert 50 <= taxable < 65_000
    return float(math.floor(_ny_2025_single(taxable // 50 * 50 + 25) + 0.5))


def test_new_york_excludes_20000_of_periodic_payments_from_59_and_a_half():
    # Single, 65, 2025: $60,000 of periodic 401(k) payments, $30,000 Social Security of which
    # $25,500 is federally taxable.  NY AGI = 85,500 − 25,500 − 20,000 = 40,000; taxable 32,000,
    # read in the tax table on the row 32,000–32,050 at 32,025: 599.50 + 5.5% × 18,125 =
    # 1,596.375, so 1,596.
    base = dict(state="NY", age_head=65, federal_agi=85_500, taxable_distributions=60_000,
                social_security=30_000, taxable_social_security=25_500)
    r = one(**base, periodic_payments=True)
    assert _ny_2025_table(40_000 - 8_000) == 1_596
    assert r["state_income_tax"] == pytest.approx(1_596, abs=0.005)
    assert r["reasons"]["STATE_NY_PENSION_EXCLUSION"]
    # A lump sum from the plan does not qualify; nor do payments before 59½.  NY AGI 60,000,
    # taxable 52,000, row at 52,025: 599.50 + 5.5% × 38,125 = 2,696.375, so 2,696.
    lump = one(**base)
    assert _ny_2025_table(60_000 - 8_000) == 2_696
    assert lump["state_income_tax"] == pytest.approx(2_696, abs=0.005)
    young = one(**{**base, "age_head": 58}, periodic_payments=True)
    assert young["state_income_tax"] == lump["state_income_tax"]


def test_new_york_recaptures_the_lower_brackets_above_107650():
    # Single, wages only, 2025.  AGI 130,000: taxable 122,000 in the 6% bracket; the
    # recapture is (130,000 − 107,650) / 50,000 of (6% × 122,000 − the schedule's tax).
    r = one(state="NY", federal_agi=130_000, wages=130_000)
    main = _ny_2025_single(122_000)
    assert r["state_income_tax"] == pytest.approx(main + 0.447 * (0.06 * 122_000 - main))
    assert r["reasons"]["STATE_NY_SUPPLEMENTAL_TAX"]
    # AGI 240,000: taxable 232,000 in the 6.85% bracket: $568 plus (240,000 − 215,400) /
    # 50,000 of the next $1,831 (the worksheet's amounts).
    r = one(state="NY", federal_agi=240_000, wages=240_000)
    assert r["state_income_tax"] == pytest.approx(
        _ny_2025_single(232_000) + 568 + 0.492 * 1_831, abs=0.01)


def test_new_york_public_pension_is_not_guessed():
    r = one(state="NY", age_head=66, federal_agi=50_000, taxable_distributions=50_000,
            governmental_plan=True, periodic_payments=True)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_NY_PUBLIC_PENSION_NOT_MODELLED"]


# -- North Carolina ---------------------------------------------------------------------------

def test_north_carolina_taxes_an_early_distribution_at_its_flat_rate():
    # Single, 45, 2026: $50,000 early distribution, $40,000 wages; Social Security none.
    r = one(state="NC", tax_year=2026, age_head=45, federal_agi=90_000, wages=40_000,
            taxable_distributions=50_000, early_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(0.0399 * (90_000 - 12_750))
    assert r["state_additional_tax"] == 0 and r["reasons"]["STATE_NC_RETIREMENT_TAXED"]
    # Joint, 2024, taxable Social Security deducted.
    r = one(state="NC", tax_year=2024, filing_status="married_joint", age_head=70, age_spouse=68,
            federal_agi=100_000, taxable_distributions=70_000, social_security=40_000,
            taxable_social_security=30_000)
    assert r["state_income_tax"] == pytest.approx(0.045 * (70_000 - 25_500))


def test_north_carolina_governmental_plan_is_not_guessed():
    r = one(state="NC", federal_agi=50_000, taxable_distributions=50_000, governmental_plan=True)
    assert not r["state_covered"] and r["reasons"]["STATE_NC_BAILEY_NOT_MODELLED"]


# -- Indiana --------------------------------------------------------------------------------

def test_indiana_exemptions_for_age_and_low_income():
    # Joint, both 70, 2025: $30,000 distributions, $24,000 Social Security ($0 federally
    # taxable): four $1,000 exemptions and two $500 ones (federal AGI under $40,000).
    r = one(state="IN", filing_status="married_joint", age_head=70, age_spouse=70,
            federal_agi=30_000, taxable_distributions=30_000, social_security=24_000)
    assert r["state_income_tax"] == pytest.approx(0.03 * (30_000 - 4 * 1_000 - 2 * 500))
    # Single, 50, 2026, an early distribution taxed at the flat rate, no state additional tax.
    r = one(state="IN", tax_year=2026, federal_agi=60_000, taxable_distributions=60_000,
            early_distributions=60_000)
    assert r["state_income_tax"] == pytest.approx(0.0295 * 59_000)
    assert r["state_additional_tax"] == 0


# -- Arizona --------------------------------------------------------------------------------

def test_arizona_exempts_social_security_and_allows_the_age_exemption():
    # Joint, 67 and 63, 2024: $90,000 distributions, $30,000 Social Security of which $25,500
    # federally taxable: one $2,100 exemption for age and the $29,200 standard deduction.
    r = one(state="AZ", tax_year=2024, filing_status="married_joint", age_head=67,
            age_spouse=63, federal_agi=115_500, taxable_distributions=90_000,
            social_security=30_000, taxable_social_security=25_500)
    assert r["state_income_tax"] == pytest.approx(0.025 * (90_000 - 2_100 - 29_200))
    assert r["reasons"]["STATE_SOCIAL_SECURITY_EXEMPT"] and not r["state_unconfirmed"]


# -- Illinois and Mississippi ------------------------------------------------------------

def test_illinois_exempts_even_an_early_distribution():
    r = one(state="IL", age_head=45, federal_agi=100_000, wages=60_000,
            taxable_distributions=40_000, early_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx(0.0495 * (60_000 - 2_850))
    assert r["reasons"]["STATE_IL_RETIREMENT_EXEMPT"] and r["state_additional_tax"] == 0


def test_illinois_exemptions_end_above_the_agi_limit():
    r = one(state="IL", tax_year=2024, age_head=70, federal_agi=260_000, wages=260_000)
    assert r["state_income_tax"] == pytest.approx(0.0495 * 260_000)
    r = one(state="IL", tax_year=2024, age_head=70, federal_agi=240_000, wages=240_000)
    assert r["state_income_tax"] == pytest.approx(0.0495 * (240_000 - 2_775 - 1_000))


def test_mississippi_exempts_retirement_but_taxes_a_premature_distribution():
    base = dict(state="MS", tax_year=2026, age_head=52, federal_agi=60_000,
                taxable_distributions=60_000)
    assert one(**base, plan_retirement_conditions_met=True)["state_income_tax"] == 0
    r = one(**base)
    taxable = 60_000 - 2_300 - 6_000
    assert r["state_income_tax"] == pytest.approx(0.04 * (taxable - 10_000))
    assert r["reasons"]["STATE_MS_PREMATURE_TAXABLE"]


# -- Michigan -------------------------------------------------------------------------------
# Form 4884 and the MI-1040 Schedule 1 worked by hand from the law files' amounts: limit
# $64,040 / $128,080 (2024), $65,897 / $131,794 (2025); exemption $5,600 (2024), $5,800 (2025);
# phase-in 50% for born 1946–1962 (2024), 75% for born 1946–1966 (2025); 4.25%.

MI = dict(state="MI", plan_retirement_conditions_met=True)


def test_michigan_phase_in_by_the_older_spouses_birth_year():
    # Joint 2024, 68 and 64: the older was born 1956, within 1946–1962, so 50% of $128,080.
    # $100,000 from a 403(b) (all qualifying), $30,000 Social Security ($25,500 taxable).
    # Tier 3 standard deduction (67+): $40,000 − 2 × $5,600 − $25,500 = $3,300, the smaller.
    base = dict(MI, filing_status="married_joint", age_head=68, age_spouse=64,
                federal_agi=125_500, taxable_distributions=100_000,
                employer_attributable_distributions=100_000, social_security=30_000,
                taxable_social_security=25_500)
    r = one(**base, tax_year=2024)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (125_500 - 25_500 - 64_040 - 11_200))
    assert r["reasons"]["STATE_MI_RETIREMENT_SUBTRACTION"] and r["reasons"]["STATE_SOCIAL_SECURITY_EXEMPT"]
    # 2025: 75% of $131,794 = $98,845.50 leaves $1,154.50, less than the exemptions.
    assert one(**base, tax_year=2025)["state_income_tax"] == 0
    # The same couple with the younger spouse as head: the older one's year still decides.
    swapped = dict(base, age_head=64, age_spouse=68)
    assert one(**swapped, tax_year=2024)["state_income_tax"] == pytest.approx(
        0.0425 * (125_500 - 25_500 - 64_040 - 11_200))


def test_michigan_birth_year_window_widens_each_year():
    # Single, born 1963: outside the 2024 window (1946–1962), inside 2025's (1946–1966).
    base = dict(MI, federal_agi=60_000, taxable_distributions=60_000,
                employer_attributable_distributions=60_000)
    r = one(**base, tax_year=2024, age_head=61)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (60_000 - 5_600))
    assert not r["reasons"]["STATE_MI_RETIREMENT_SUBTRACTION"]
    r = one(**base, tax_year=2025, age_head=62)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (60_000 - 0.75 * 65_897 - 5_800))


def test_michigan_subtracts_only_the_employer_part_of_a_401k():
    # 2025, single, 64 (born 1961): $80,000 from a 401(k), $30,000 of it from employer money;
    # elective deferrals are not retirement benefits (MCL 206.30(8)(b)(i)(B)).
    base = dict(MI, tax_year=2025, age_head=64, federal_agi=80_000, taxable_distributions=80_000)
    r = one(**base, employer_attributable_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (80_000 - 30_000 - 5_800))
    r = one(**base)  # the part is not given: unknown, never a guess
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_MI_QUALIFYING_PART_NOT_GIVEN"]


def test_michigan_taxes_a_premature_distribution():
    # 2026, 52, the plan's retirement conditions not met: no subtraction, whatever its source.
    r = one(state="MI", tax_year=2026, age_head=52, federal_agi=50_000,
            taxable_distributions=50_000, early_distributions=50_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(0.0425 * (50_000 - 5_900))
    assert r["reasons"]["STATE_MI_PREMATURE_TAXABLE"] and r["state_additional_tax"] == 0
    assert r["state_unconfirmed"]  # 2026's exemption is flagged until the MI-1040 book is read


def test_michigan_tier_1_and_what_it_leaves_unknown():
    # 2024, single, 80 (born 1944): private benefits up to the full $64,040.
    base = dict(MI, tax_year=2024, age_head=80, federal_agi=90_000, taxable_distributions=90_000)
    r = one(**base, employer_attributable_distributions=90_000)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (90_000 - 64_040 - 5_600))
    # $1,000 of interest: tier 1's interest and dividends subtraction is not modelled.
    r = one(**dict(base, federal_agi=91_000), employer_attributable_distributions=90_000)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_MI_SENIOR_INVESTMENT_NOT_MODELLED"]
    # A governmental plan: a Michigan or federal pension would be subtracted without limit.
    r = one(**base, governmental_plan=True)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_MI_PUBLIC_PENSION_NOT_MODELLED"]


def test_michigan_tier_2_standard_deduction_against_all_income():
    # Joint 2024, 75 and 70 (born 1949: tier 2): $60,000 wages, $10,000 from the plan. The
    # $40,000 standard deduction beats the $10,000 subtraction.
    r = one(**MI, tax_year=2024, filing_status="married_joint", age_head=75, age_spouse=70,
            federal_agi=70_000, wages=60_000, taxable_distributions=10_000,
            employer_attributable_distributions=10_000)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (70_000 - 40_000 - 11_200))
    assert r["reasons"]["STATE_MI_STANDARD_DEDUCTION"]
    assert not r["reasons"]["STATE_MI_RETIREMENT_SUBTRACTION"]


def test_michigan_governmental_plan_from_60_qualifies_before_is_unknown():
    # 2025, single: from 60 a governmental 457(b) and a public pension both qualify.
    base = dict(MI, tax_year=2025, federal_agi=60_000, taxable_distributions=60_000,
                governmental_plan=True)
    r = one(**base, age_head=62)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (60_000 - 0.75 * 65_897 - 5_800))
    # At 57 (born 1968, outside 2025's window) nothing is subtracted either way; in 2026 the
    # window is open to all, and a 457(b) before 59½ does not qualify while a pension would.
    assert one(**base, age_head=57)["state_income_tax"] == pytest.approx(0.0425 * (60_000 - 5_800))
    r = one(**dict(base, tax_year=2026), age_head=57)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_MI_PUBLIC_PENSION_NOT_MODELLED"]


def test_michigan_input_is_checked():
    with pytest.raises(InputError, match="employer_attributable_distributions: exceeds"):
        StateUnits.from_columns({"state": ["MI"], "tax_year": [2025], "filing_status": ["single"],
                                 "federal_agi": [0], "employer_attributable_distributions": [10]})


# -- Kentucky ------------------------------------------------------------------------------

def test_kentucky_excludes_31110_of_a_distribution_at_any_age():
    # 2024, single, 45: $20,000 wages and a $50,000 early distribution; Schedule P excludes
    # $31,110 of it (no age condition), the $3,160 standard deduction, 4%.
    r = one(state="KY", tax_year=2024, age_head=45, federal_agi=70_000, wages=20_000,
            taxable_distributions=50_000, early_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(0.04 * (70_000 - 31_110 - 3_160))
    assert r["reasons"]["STATE_KY_PENSION_EXCLUSION"] and r["state_additional_tax"] == 0


def test_kentucky_joint_return_social_security_and_one_standard_deduction():
    # 2025, joint, 70 and 68: $100,000 distributions, $40,000 Social Security ($34,000 taxable).
    r = one(state="KY", tax_year=2025, filing_status="married_joint", age_head=70,
            age_spouse=68, federal_agi=134_000, taxable_distributions=100_000,
            social_security=40_000, taxable_social_security=34_000)
    assert r["state_income_tax"] == pytest.approx(0.04 * (134_000 - 34_000 - 31_110 - 3_270))
    assert r["reasons"]["STATE_SOCIAL_SECURITY_EXEMPT"] and not r["state_unconfirmed"]


def test_kentucky_public_pension_beyond_the_exclusion_is_not_guessed():
    base = dict(state="KY", tax_year=2025, age_head=66, governmental_plan=True)
    r = one(**base, federal_agi=40_000, taxable_distributions=40_000)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_KY_PUBLIC_PENSION_NOT_MODELLED"]
    # Within the exclusion the answer is the same whatever the service: wholly excluded.
    r = one(**base, federal_agi=30_000, wages=10_000, taxable_distributions=20_000)
    assert r["state_income_tax"] == pytest.approx(0.04 * (10_000 - 3_270))


# -- Georgia -------------------------------------------------------------------------------
# IT-511 Schedule 1 by hand: exclusion $35,000 from 62, $65,000 from 65, $5,000 of earned income
# counted; standard deduction $12,000 / $24,000; 5.39% (2024), 5.19% (2025).

def test_georgia_excludes_retirement_income_by_age():
    # 2024, single, 66: $80,000 distributions, $10,000 wages, $20,000 Social Security ($17,000
    # taxable): $80,000 + $5,000 of the wages is retirement income, $65,000 of it excluded.
    r = one(state="GA", tax_year=2024, age_head=66, federal_agi=107_000, wages=10_000,
            taxable_distributions=80_000, social_security=20_000, taxable_social_security=17_000)
    assert r["state_income_tax"] == pytest.approx(0.0539 * (107_000 - 17_000 - 65_000 - 12_000))
    assert r["reasons"]["STATE_GA_RETIREMENT_EXCLUSION"]
    # 2025, 63: $35,000 of a $50,000 distribution.
    r = one(state="GA", tax_year=2025, age_head=63, federal_agi=50_000, taxable_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(0.0519 * (50_000 - 35_000 - 12_000))


def test_georgia_taxes_a_distribution_before_62():
    r = one(state="GA", tax_year=2025, age_head=58, federal_agi=40_000,
            taxable_distributions=40_000, early_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx(0.0519 * (40_000 - 12_000))
    assert r["state_additional_tax"] == 0 and not r["reasons"]["STATE_GA_RETIREMENT_EXCLUSION"]


def test_georgia_joint_return_and_what_it_leaves_unknown():
    # 2024, joint, 67 and 60: the head's $100,000 distribution, $65,000 excluded.
    base = dict(state="GA", tax_year=2024, filing_status="married_joint", age_head=67, age_spouse=60)
    r = one(**base, federal_agi=100_000, taxable_distributions=100_000)
    assert r["state_income_tax"] == pytest.approx(0.0539 * (100_000 - 65_000 - 24_000))
    # $1,000 of wages on a joint return: whose they are decides whether they count.
    r = one(**base, federal_agi=101_000, wages=1_000, taxable_distributions=100_000)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_GA_RETIREMENT_INCOME_NOT_SPLIT"]
    # $1,000 of other income at 70: interest counts, other kinds do not.
    r = one(state="GA", tax_year=2024, age_head=70, federal_agi=31_000, taxable_distributions=30_000)
    assert np.isnan(r["state_income_tax"])
    # Before 62 nothing is excluded, so other income does not matter.
    r = one(state="GA", tax_year=2024, age_head=55, federal_agi=31_000, taxable_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(0.0539 * (31_000 - 12_000))


# -- Virginia ------------------------------------------------------------------------------
# Form 760 by hand: 2% to $3,000, 3% to $5,000, 5% to $17,000, 5.75% above; exemptions $930
# each and $800 from 65; standard deduction $8,500 / $17,000 (2024); age deduction $12,000.

def _va_schedule(taxable: float) -> float:
    return (0.02 * min(taxable, 3_000) + 0.03 * min(max(taxable - 3_000, 0), 2_000)
            + 0.05 * min(max(taxable - 5_000, 0), 12_000) + 0.0575 * max(taxable - 17_000, 0))


def test_virginia_age_deduction_reduced_above_the_income_threshold():
    # 2024, single, 70: $60,000 distribution; AFAGI $10,000 over $50,000 leaves $2,000.
    r = one(state="VA", tax_year=2024, age_head=70, federal_agi=60_000, taxable_distributions=60_000)
    assert r["state_income_tax"] == pytest.approx(_va_schedule(60_000 - 2_000 - 8_500 - 930 - 800))
    assert r["reasons"]["STATE_VA_AGE_DEDUCTION"]
    # Joint, 70 and 68, $100,000: $25,000 over $75,000, split $12,500 each: nothing left.
    r = one(state="VA", tax_year=2024, filing_status="married_joint", age_head=70, age_spouse=68,
            federal_agi=100_000, taxable_distributions=100_000)
    assert r["state_income_tax"] == pytest.approx(_va_schedule(100_000 - 17_000 - 2 * 930 - 2 * 800))
    # Joint, only the head 65+, $80,000: the head's deduction bears the whole $5,000 excess.
    r = one(state="VA", tax_year=2024, filing_status="married_joint", age_head=66, age_spouse=60,
            federal_agi=80_000, taxable_distributions=80_000)
    assert r["state_income_tax"] == pytest.approx(
        _va_schedule(80_000 - 7_000 - 17_000 - 2 * 930 - 800))


def test_virginia_exempts_social_security_and_low_income():
    # 2024, single, 67: $23,004 distributions, $18,816 Social Security (none taxable
    # federally): Virginia AGI $11,004 after the age deduction, under $11,950: no tax.
    r = one(state="VA", tax_year=2024, age_head=67, federal_agi=23_004,
            taxable_distributions=23_004, social_security=18_816)
    assert r["state_income_tax"] == 0 and r["reasons"]["STATE_VA_BELOW_THRESHOLD"]
    # An early distribution at 50: taxed by the schedule, no state additional tax.
    r = one(state="VA", tax_year=2024, age_head=50, federal_agi=40_000,
            taxable_distributions=40_000, early_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx(_va_schedule(40_000 - 8_500 - 930))
    assert r["state_additional_tax"] == 0


def test_virginia_separate_filer_over_65_is_not_guessed():
    r = one(state="VA", tax_year=2024, filing_status="married_separate", age_head=70,
            federal_agi=40_000, taxable_distributions=40_000)
    assert np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_VA_SEPARATE_AGE_DEDUCTION_NOT_MODELLED"]


# -- the batch and its input -------------------------------------------------------------

def test_a_batch_answers_as_its_units_one_by_one():
    rng = np.random.default_rng(7)
    n = 60
    states = rng.choice(np.array(list(COVERED) + list(NOT_COVERED[:2])), n)
    dist = np.round(rng.uniform(0, 200_000, n))
    cols = {
        "state": states, "tax_year": rng.choice([2024, 2025, 2026], n),
        "filing_status": rng.choice(["single", "married_joint", "married_separate",
                                     "head_of_household", "qualifying_surviving_spouse"], n),
        "age_head": rng.integers(50, 86, n), "age_spouse": rng.integers(50, 86, n),
        "wages": np.round(rng.uniform(0, 100_000, n)), "taxable_distributions": dist,
        "early_distributions": np.where(rng.random(n) < 0.3, dist, 0.0),
        "plan_retirement_conditions_met": rng.random(n) < 0.5,
        "employer_attributable_distributions": np.round(dist * rng.uniform(0, 1, n)),
    }
    cols["federal_agi"] = cols["wages"] + dist
    batch = state_tax(StateUnits.from_columns(cols))
    for i in range(n):
        single = one(**{k: v[i].item() for k, v in cols.items()})
        for key in ("state_income_tax", "state_additional_tax"):
            a, b = batch[key][i], single[key]
            assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b), (i, key)


@pytest.mark.parametrize("column, value, words", [
    ("state", "ZZ", "state: is not a US state code"),
    ("state", None, "state: a blank value is not a US state code"),
    ("federal_agi", -5, "federal_agi: is negative"),
    ("wages", float("inf"), "wages: inf is not a number"),
    ("age_head", 130, "age_head: is over 120"),
    ("tax_year", 2023, "tax_year: is not a year dist401k has law for"),
    ("early_distributions", 10, "early_distributions: exceeds taxable_distributions"),
])
def test_bad_input_names_the_field(column, value, words):
    cols = {"state": ["CA"], "tax_year": [2025], "filing_status": ["single"], "federal_agi": [0],
            column: [value]}
    with pytest.raises(InputError) as err:
        StateUnits.from_columns(cols)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_a_missing_required_column_is_named():
    with pytest.raises(InputError, match="state: required column is missing"):
        StateUnits.from_columns({"tax_year": [2025], "filing_status": ["single"]})
