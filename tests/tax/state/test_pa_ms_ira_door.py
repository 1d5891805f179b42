"""Pennsylvania and Mississippi in the tax door (``dist401k tax``, ``POST /tax``): an IRA's
distributions (``ira_distributions``, each spouse's own ``spouse_ira_distributions``) are judged
by the IRA's own condition, 59½, wages or not; an employer plan's by the plan's conditions for
retirement (``plan_retirement_conditions_met``), as the planner and ``assess`` judge them.

Pennsylvania: a distribution from an IRA received on or after 59½ is not compensation; one
before it is, no federal exception but the owner's death sparing it (PA Personal Income Tax
Guide, Gross Compensation; PA-40 instructions, line 5); an employer plan's is exempt once paid
after retirement having met the plan's conditions (72 P.S. §7301(d); 61 Pa. Code
§101.6(c)(8)).  Flat 3.07% (72 P.S. §7302, params/state/pa/rate.yaml); no Schedule SP
forgiveness at these incomes (eligibility income far above $6,500 single / $13,000 joint).

Mississippi: an IRA's income is an exempt retirement allowance but for an early distribution
(35 Miss. Admin. Code Pt. 3, Subpt. 02, Ch. 07, ¶¶101, 104; Form 80-100 instructions, line
46): before 59½, not because of the owner's death or disability.  2026 (params/state/ms): the
standard deduction $2,300 single / $4,600 joint, the exemption $6,000 / $12,000, none on the
first $10,000 of a column's taxable income, 4.0% above it.

Ages are whole years at the end of the year: 58 or less is before 59½ all year, 60 or more has
reached it by the year's end (the year of 59½ taken as after it, as the planner's years read
it); 59 cannot tell, and the IRA part not under the federal §72(t) tax follows the flag (for an
IRA: 59½) where the person has no plan money, else is not figured.  Every answer below is
worked by hand from those rules.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from dist401k.commands.tax import tax_table
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.tax.state import StateUnits, state_tax

LAW = default_law()
PA_RATE = 0.0307
MS_RATE = 0.04
NOT_KNOWN = "STATE_IRA_BEFORE_59_HALF_NOT_KNOWN"

#: The review's reproduction (own/pa-ira58.csv and own/ms-ira.csv): single, 2026.
REPRO = ("case,tax_year,filing_status,age_head,taxable_distributions,ira_distributions,"
         "plan_retirement_conditions_met,state\n") + """ira58_ret1,2026,single,58,10000,10000,1,PA
ira58_ret0,2026,single,58,10000,10000,0,PA
ira60_ret0,2026,single,60,10000,10000,0,PA
plan58_ret1,2026,single,58,10000,0,1,PA
ms_ira58_ret1,2026,single,58,30000,30000,1,MS
ms_ira58_ret0,2026,single,58,30000,30000,0,MS
ms_ira60_ret0,2026,single,60,30000,30000,0,MS
ms_ira60_ret1,2026,single,60,30000,30000,1,MS
"""


def _door(text: str) -> list[dict]:
    return tax_table(pacsv.read_csv(pa.BufferReader(text.encode())), LAW).to_pylist()


def test_the_reviews_rows_through_the_tax_door():
    """PA: the IRA's $10,000 at 58 is before 59½ — 3.07% × 10,000 = 307.00 whatever the plan's
    flag says; at 60 it is past 59½ — 0 though the flag is not set (still working); the plan's
    $10,000 at 58 with its conditions met — 0.  MS: the IRA's $30,000 at 58 is early —
    4% × (30,000 − 2,300 − 6,000 − 10,000) = 4% × 11,700 = 468.00, flag or not; at 60 — 0."""
    got = {r["case"]: r for r in _door(REPRO)}
    want = {"ira58_ret1": 307.00, "ira58_ret0": 307.00, "ira60_ret0": 0.0, "plan58_ret1": 0.0,
            "ms_ira58_ret1": 468.00, "ms_ira58_ret0": 468.00, "ms_ira60_ret0": 0.0,
            "ms_ira60_ret1": 0.0}
    for case, tax in want.items():
        assert got[case]["state_covered"], case
        assert got[case]["state_income_tax"] == pytest.approx(tax, abs=0.005), case


def one(**kw) -> dict:
    """The state answer of one unit: each output's value and the reasons that hold."""
    cols = {"tax_year": 2026, "filing_status": "single", **kw}
    cols.setdefault("federal_agi", cols.get("wages", 0) + cols.get("taxable_distributions", 0))
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]})
            for k, v in r.items()}


def test_pennsylvania_taxes_the_plan_while_working_and_not_the_ira_past_59_half():
    """61, still paid $50,000 of wages: the plan account's $30,000 before its retirement
    conditions are met is compensation, the IRA's $20,000 past 59½ is not.
    3.07% × (50,000 + 30,000) = 2,456.00 (before the fix: 3.07% × 100,000 = 3,070.00)."""
    r = one(state="PA", age_head=61, wages=50_000, taxable_distributions=50_000,
            ira_distributions=20_000, plan_retirement_conditions_met=0)
    assert r["state_income_tax"] == pytest.approx(PA_RATE * 80_000, abs=0.005)
    assert {"STATE_PA_IRA_EXEMPT", "STATE_PA_EARLY_TAXABLE"} <= r["reasons"]


def test_pennsylvania_taxes_an_iras_part_under_the_federal_penalty_in_the_year_of_59_half():
    """60 at the year's end, retired: of the IRA's $60,000, $20,000 owed the federal §72(t)
    tax (paid before 59½, ``ira_early_distributions``): only it is compensation, 3.07% ×
    20,000 = 614.00 (eligibility income $13,500 over Schedule SP's $6,500: nothing
    forgiven)."""
    r = one(state="PA", age_head=60, taxable_distributions=60_000, ira_distributions=60_000,
            early_distributions=20_000, ira_early_distributions=20_000,
            plan_retirement_conditions_met=1)
    assert r["state_income_tax"] == pytest.approx(PA_RATE * 20_000, abs=0.005)
    assert "STATE_PA_IRA_EARLY_TAXABLE" in r["reasons"]


def test_pennsylvania_at_59_follows_the_flag_or_says_it_cannot_tell():
    """59 at the year's end (59½ in the year or not): the IRA's $10,000 not under the §72(t) tax
    is exempt where the flag (for an IRA: 59½) is set, 3.07% × 10,000 = 307.00 where it is not
    and the person has no plan money; with a plan's $10,000 beside it and the flag not set the
    flag may speak of the plan alone: not figured, with its reason; flag set: 0."""
    ira = {"state": "PA", "age_head": 59, "taxable_distributions": 10_000,
           "ira_distributions": 10_000}
    assert one(**ira, plan_retirement_conditions_met=1)["state_income_tax"] == 0
    assert one(**ira, plan_retirement_conditions_met=0)["state_income_tax"] == pytest.approx(
        PA_RATE * 10_000, abs=0.005)
    both = {**ira, "taxable_distributions": 20_000}
    r = one(**both, plan_retirement_conditions_met=0)
    assert np.isnan(r["state_income_tax"]) and NOT_KNOWN in r["reasons"]
    assert not r["state_covered"]
    assert one(**both, plan_retirement_conditions_met=1)["state_income_tax"] == 0


def test_pennsylvania_judges_each_spouses_own_ira():
    """A joint return: the head, 58, takes $10,000 from an IRA; the spouse, 62, $20,000 from
    hers (``spouse_ira_distributions``); other income $25,000.  The head's is before 59½, the
    spouse's past it: 3.07% × (10,000 + 25,000) = 1,074.50 (eligibility income above Schedule
    SP's $13,000 joint by $22,000: nothing forgiven)."""
    r = one(state="PA", filing_status="married_joint", age_head=58, age_spouse=62,
            federal_agi=55_000, taxable_distributions=30_000, ira_distributions=30_000,
            spouse_distributions=20_000, spouse_ira_distributions=20_000,
            plan_retirement_conditions_met=1)
    assert r["state_income_tax"] == pytest.approx(PA_RATE * 35_000, abs=0.005)


def test_pennsylvania_an_iras_split_by_spouse_not_given_where_it_matters():
    """A joint return, both plans' conditions met: $40,000 of distributions, $20,000 the
    spouse's (62), $20,000 from IRAs whose split is not given.  All the IRA money the head's
    (58): $20,000 taxed; all the spouse's: none.  Not figured, with its reason."""
    r = one(state="PA", filing_status="married_joint", age_head=58, age_spouse=62,
            taxable_distributions=40_000, ira_distributions=20_000,
            spouse_distributions=20_000, plan_retirement_conditions_met=1)
    assert np.isnan(r["state_income_tax"]) and NOT_KNOWN in r["reasons"]


def test_mississippi_judges_each_spouses_own_ira_in_their_own_column():
    """A joint return, 2026: the head, 58, takes $30,000 from an IRA (early: taxed), the spouse,
    62, $30,000 from hers (exempt).  Mississippi income 30,000 less the deductions 4,600 +
    12,000 = 13,400, all in the head's column (the spouse's has no income); none on the first
    $10,000: 4% × 3,400 = 136.00."""
    r = one(state="MS", filing_status="married_joint", age_head=58, age_spouse=62,
            taxable_distributions=60_000, ira_distributions=60_000,
            spouse_distributions=30_000, spouse_ira_distributions=30_000,
            plan_retirement_conditions_met=0)
    assert r["state_income_tax"] == pytest.approx(MS_RATE * 3_400, abs=0.005)
    assert {"STATE_MS_IRA_EXEMPT", "STATE_MS_IRA_PREMATURE_TAXABLE"} <= r["reasons"]


def test_mississippi_spares_a_disabled_owners_ira_before_59_half():
    """55 and disabled (IRC §72(t)(2)(A)(iii), Form 1099-R code 3): the IRA's $30,000 is not an
    early distribution — 0; not disabled — 4% × 11,700 = 468.00."""
    ira = {"state": "MS", "age_head": 55, "taxable_distributions": 30_000,
           "ira_distributions": 30_000}
    assert one(**ira, disabled=1)["state_income_tax"] == 0
    assert one(**ira, disabled=0)["state_income_tax"] == pytest.approx(468.00, abs=0.005)


def _pa_working_60() -> dict:
    """The review's own/pa-working-60.yaml: single, born 1965-06-15, $40,000 of wages to 63
    from an employer other than the plan's, an IRA only, in Pennsylvania."""
    return {"id": "pa-working-60", "start_year": 2026, "state": "PA",
            "people": [{"name": "Chris", "birth_date": "1965-06-15", "life_expectancy": 85,
                        "retirement_age": 63, "wages": 40000, "wages_from_plan_employer": False,
                        "social_security": {"monthly_at_full_age": 2500, "claim_age": 67},
                        "accounts": {"ira": 900000}}],
            "taxable": {"balance": 20000, "basis": 20000},
            "spending": {"annual": 90000, "bequest": 0},
            "strategy": {"objective": "max_spending"}, "magi_history": [60000, 60000]}


def test_the_planners_year_is_the_doors_for_the_same_facts():
    """pa-working-60's 2026: wages 40,000, qualified dividends 360 (the taxable account's
    $20,000 at the plan's default 1.8% dividend yield) and the IRA's withdrawal, past 59½ (61 at the
    year's end) while working.  By hand: 3.07% × (40,000 + 360) = 1,239.05 — the plan's state
    tax and the door's for the year built from the plan's table (the review's door row gave
    2,052.60, the IRA's money taxed too)."""
    row = next(r for r in plan_json(make_plan(parse_household(_pa_working_60()), LAW,
                                              monte_carlo=False))["table"] if r["year"] == 2026)
    assert row["state_tax"] == pytest.approx(1_239.05, abs=0.01)
    ira = row["pretax_withdrawal"] + row["conversion"]
    door = _door(
        "tax_year,filing_status,age_head,wages,taxable_interest,ordinary_dividends,"
        "qualified_dividends,long_term_gains,taxable_distributions,ira_distributions,"
        f"plan_retirement_conditions_met,state\n2026,single,61,40000,0,360,360,0,{ira},{ira},0,PA\n")
    assert door[0]["state_income_tax"] == pytest.approx(PA_RATE * 40_360, abs=0.005)
    assert door[0]["state_income_tax"] == pytest.approx(row["state_tax"], abs=0.01)


@pytest.mark.parametrize("state", ["PA", "MS"])
def test_an_heir_under_59_half_pays_no_state_tax_on_the_inherited_iras_draws(state):
    """A 51-year-old heir of her father's IRA (the 10-year rule, yearly minimums), no wages and
    no plan account of her own: Pennsylvania and Mississippi exempt a payment made because of
    the owner's death at any age (docs/state.md, the PA and MS rows).  Once the door judged an
    IRA's money by its owner's age, the planner, which left the heir's exempt draws in
    ``ira_distributions``, taxed them: $957.84 in 2026 in Pennsylvania.  Her only income is the
    inherited draws and the taxable account's dividends and gains; each state taxes those
    as its door prices them with no distribution at all (Pennsylvania: 3.07%, then its tax
    forgiveness on low income), never the draws.  With the draws taxed, 2026's was $957.84."""
    hh = {"id": "heir", "start_year": 2026, "state": state,
          "people": [{"name": "Dana", "birth_date": "1975-02-10", "life_expectancy": 92,
                      "retirement_age": 50, "wages": 0,
                      "social_security": {"monthly_at_full_age": 2600, "claim_age": 67},
                      "accounts": {"roth": 60000, "roth_first_year": 2014}}],
          "inherited": [{"heir": 0, "balance": 400000,
                         "beneficiary": {"deceased_birth_date": "1948-04-01",
                                         "date_of_death": "2024-07-15", "relationship": "child",
                                         "account": "ira"}}],
          "taxable": {"balance": 100000, "basis": 80000}, "cash": 30000,
          "spending": {"annual": 90000}, "strategy": {"objective": "max_spending"},
          "magi_history": [160000, 160000]}
    table = plan_json(make_plan(parse_household(hh), LAW, monte_carlo=False))["table"]
    drawn = [r for r in table if r["year"] <= 2034 and r["pretax_withdrawal"] > 1_000]
    assert drawn, "the heir draws the inherited IRA in 2026–2034"
    for r in drawn:
        gain = max(r["capital_gains"], 0.0)
        own = _door("tax_year,filing_status,age_head,taxable_interest,ordinary_dividends,"
                    "qualified_dividends,long_term_gains,state\n"
                    f"{r['year']},single,{r['year'] - 1975},{r['interest']},{r['dividends']},"
                    f"{r['dividends']},{gain},{state}\n")[0]["state_income_tax"]
        assert r["state_tax"] == pytest.approx(own, abs=0.02), (r["year"], r["state_tax"], own)
