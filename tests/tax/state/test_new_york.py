"""New York's pension and annuity income exclusion (Tax Law §612(c)(3-a); IT-201 instructions,
line 29): up to $20,000 of each person's own qualifying income from 59½ — an employer plan's
periodic payments, an IRA's payments periodic or not — on hand-worked cases (each line written
out from the law files' 2025 amounts, not read back from the engine)."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import one

from dist401k.errors import InputError
from dist401k.tax.state import StateUnits

#: The most the New York State tax table's figure can differ from the rate schedule's on the
#: taxable income itself: half a $50 row at 5.5% (the highest rate below $65,000) and half a
#: dollar of rounding.
NY_TABLE_HALF_ROW = 0.055 * 25 + 0.5

#: 2025, a couple of 66 and 64 with $100,000 of taxable IRA distributions and nothing else.
COUPLE = {"state": "NY", "tax_year": 2025, "filing_status": "married_joint", "age_head": 66,
          "age_spouse": 64, "federal_agi": 100_000, "taxable_distributions": 100_000,
          "ira_distributions": 100_000}


def joint_2025(ny_agi: float) -> float:
    """The §601(a) joint schedule of 2025 (4%, 4.5%, 5.25%, 5.5% to $17,150, $23,600, $27,900,
    $161,550) on NY AGI less the $16,050 standard deduction, below the recapture's $107,650;
    under $65,000 of taxable income read in the New York State tax table: the schedule at the
    middle of the income's $50 row, rounded half up to whole dollars (IT-201 line 39)."""
    taxable = ny_agi - 16_050
    table = taxable < 65_000
    if table:
        taxable = taxable // 50 * 50 + 25
    tax = (0.04 * 17_150 + 0.045 * 6_450 + 0.0525 * 4_300
           + 0.055 * (taxable - 27_900))
    return float(np.floor(tax + 0.5)) if table else tax


def test_each_spouse_excludes_20000_of_their_own_ira_distributions():
    # 50,000 each: 20,000 + 20,000 excluded; NY AGI 60,000, taxable 43,950: the table's row
    # 43,950–44,000, at 43,975: 1,202 + 5.5% × 16,075 = 2,086.125, $2,086.
    r = one(COUPLE, spouse_distributions=50_000, spouse_ira_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(joint_2025(60_000), abs=0.005)
    assert r["state_income_tax"] == pytest.approx(2_086.0, abs=0.005)
    assert "STATE_NY_PENSION_EXCLUSION" in r["reasons"]


def test_a_spouse_under_59_and_a_half_excludes_nothing():
    r = one(COUPLE, age_spouse=50, spouse_distributions=50_000, spouse_ira_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(joint_2025(80_000), abs=0.005)


def test_without_the_split_the_distributions_are_the_heads():
    assert one(COUPLE)["state_income_tax"] == pytest.approx(joint_2025(80_000), abs=0.005)


def test_a_plans_lump_sum_does_not_qualify_its_periodic_payments_do():
    # The same couple's money in a 401(k): nothing excluded, unless paid periodically.
    plan = {**COUPLE, "ira_distributions": 0, "spouse_distributions": 50_000,
            "spouse_ira_distributions": 0}
    assert one(plan)["state_income_tax"] == pytest.approx(joint_2025(100_000), abs=0.005)
    periodic = one(plan, periodic_payments=True)["state_income_tax"]
    assert periodic == pytest.approx(joint_2025(60_000), abs=0.005)


def test_a_single_filers_ira_distribution_from_59_and_a_half():
    # 2025 single: 100,000 − 20,000 = 80,000 NY AGI, less 8,000: 72,000 taxable; 4% of 8,500,
    # 4.5% of 3,200, 5.25% of 2,200 and 5.5% of 58,100 = 3,795.
    single = {"state": "NY", "tax_year": 2025, "filing_status": "single", "age_head": 60,
              "federal_agi": 100_000, "taxable_distributions": 100_000,
              "ira_distributions": 30_000}
    assert one(single)["state_income_tax"] == pytest.approx(3_795.0, abs=0.005)
    assert np.isclose(one(single, age_head=59)["state_income_tax"], 4_951.75)


def test_a_governmental_plans_distribution_is_refused_but_an_iras_is_not():
    public = {**COUPLE, "governmental_plan": True}
    assert np.isfinite(one(public)["state_income_tax"])
    r = one(public, ira_distributions=60_000)
    assert np.isnan(r["state_income_tax"])
    assert "STATE_NY_PUBLIC_PENSION_NOT_MODELLED" in r["reasons"]


@pytest.mark.parametrize("cols, field, words", [
    ({"ira_distributions": [120_000]}, "ira_distributions", "exceeds taxable_distributions"),
    ({"spouse_distributions": [10_000], "spouse_ira_distributions": [20_000]},
     "spouse_ira_distributions", "exceeds spouse_distributions"),
    ({"ira_distributions": [100_000], "spouse_distributions": [10_000],
      "spouse_ira_distributions": [0]}, "spouse_ira_distributions", "more ira_distributions than the head's"),
])
def test_the_ira_parts_are_parts_of_their_wholes(cols, field, words):
    base = {"state": ["NY"], "tax_year": [2025], "filing_status": ["married_joint"],
            "federal_agi": [100_000], "taxable_distributions": [100_000]}
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({**base, **cols})
    assert any(p.field == field and words in p.problem for p in e.value.problems), \
        [(p.field, p.problem) for p in e.value.problems]


def test_new_york_city_residents_agree_with_policyengine():
    """New York City's personal income tax on New York taxable income (Tax Law §§1304, 1305;
    the IT-201 city rate schedule) for residents of the city: random retirees of every filing
    status, 2024–2026, against PolicyEngine-US's state and city taxes before credits, to $1."""
    pytest.importorskip("policyengine_us")
    from oracles.policyengine_state_oracle import policyengine_state_tax, random_retirees
    from tax.state.test_policyengine_state_oracle import _ours

    cols = random_retirees(60, seed=2207, state="NY")
    cols["new_york_city_resident"] = np.ones(60, dtype=bool)
    ours = _ours(cols)
    theirs = policyengine_state_tax(cols)
    city = ours["reasons"]["STATE_NY_CITY_TAX"]
    assert city.sum() >= 25  # the others owe no New York tax (no taxable income)
    covered = ours["state_covered"]
    assert covered.sum() >= 50
    # PolicyEngine-US figures the schedule on the taxable income itself; a New York filer below
    # $65,000 reads the tax table, the schedule at the middle of a $50 row rounded to the dollar
    # (IT-201 instructions, line 39; the Department's 2024 tax tables page): up to 5.5% of $25
    # plus half a dollar from the schedule's figure, beside the $1 of the comparison.
    np.testing.assert_allclose(ours["state_income_tax"][covered], theirs[covered],
                               atol=1.0 + NY_TABLE_HALF_ROW)


def test_new_york_city_tax_by_hand():
    # 2025, single, 50, 100,000 of wages: New York taxable income 92,000 (the 8,000 standard
    # deduction).  The city: 3.078% to 12,000, 3.762% to 25,000, 3.819% to 50,000, 3.876%
    # above.  From 2030 (as enacted) the rates without the additional tax: 1.18% … 1.48%.
    base = dict(state="NY", tax_year=2025, filing_status="single", age_head=50,
                federal_agi=100_000, wages=100_000)
    state = one(base)["state_income_tax"]
    city = one(base, new_york_city_resident=True)
    assert city["state_income_tax"] - state == pytest.approx(
        0.03078 * 12_000 + 0.03762 * 13_000 + 0.03819 * 25_000 + 0.03876 * 42_000, abs=0.005)
    assert "STATE_NY_CITY_TAX" in city["reasons"]
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({"state": ["NJ"], "tax_year": [2025], "federal_agi": [0],
                                 "filing_status": ["single"], "new_york_city_resident": [True]})
    assert e.value.problems[0].field == "new_york_city_resident"


def test_yonkers_surcharge_by_hand():
    # A Yonkers resident adds 16.75% of the net New York State tax (Tax Law §1321; IT-201 line
    # 55), the same 2025 single filer as above; nothing from 2028, when the surcharge ends as
    # the city's code now reads (flagged unconfirmed).
    base = dict(state="NY", tax_year=2025, filing_status="single", age_head=50,
                federal_agi=100_000, wages=100_000)
    state = one(base)["state_income_tax"]
    yonkers = one(base, yonkers_resident=True)
    assert state > 0
    assert yonkers["state_income_tax"] == pytest.approx(1.1675 * state, abs=0.005)
    assert "STATE_NY_YONKERS_SURCHARGE" in yonkers["reasons"]
    later = dict(base, tax_year=2028)
    assert one(later, yonkers_resident=True)["state_income_tax"] == one(later)["state_income_tax"]
    for cols, why in (({"state": ["NJ"], "yonkers_resident": [True]}, "Yonkers is in New York"),
                      ({"state": ["NY"], "yonkers_resident": [True],
                        "new_york_city_resident": [True]}, "not in New York City")):
        with pytest.raises(InputError) as e:
            StateUnits.from_columns({"tax_year": [2025], "filing_status": ["single"],
                                     "federal_agi": [0], **cols})
        assert e.value.problems[0].field == "yonkers_resident"
        assert why in str(e.value)


def test_a_pension_beside_a_lump_sum_still_qualifies():
    # The same couple: the head's $50,000 a pension (periodic_distributions), the spouse's a
    # 401(k) lump sum: the pension qualifies, $20,000 excluded; the lump sum does not; NY AGI
    # 80,000.  Before the periodic part could be given, the return's one flag took both as a
    # lump sum (nothing excluded) or both as periodic ($40,000).
    both = dict(COUPLE, ira_distributions=0, periodic_distributions=50_000,
                spouse_periodic_distributions=0, spouse_distributions=50_000)
    assert one(both)["state_income_tax"] == pytest.approx(joint_2025(80_000), abs=0.005)
    # The spouse's money a pension too (64: past 59½): $20,000 each excluded, NY AGI 60,000.
    mine = dict(both, spouse_periodic_distributions=50_000, periodic_distributions=100_000)
    assert one(mine)["state_income_tax"] == pytest.approx(joint_2025(60_000), abs=0.005)
    # A periodic part larger than the plan's distributions is refused by name.
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({k: [v] for k, v in dict(
            COUPLE, periodic_distributions=50_000).items()})
    assert e.value.problems[0].field == "periodic_distributions"
