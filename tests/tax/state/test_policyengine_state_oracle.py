"""dist401k's state income tax against PolicyEngine-US: random units with retirement income
(ages 50–85, every filing status, with and without Social Security and wages) in every state
dist401k covers, 2024–2026, agreeing to a dollar.

The route facts PolicyEngine-US does not hold are set as it assumes them (docs/state.md):
Pennsylvania's plan retirement conditions are taken as met from 59½, Mississippi's,
Michigan's and Ohio's always (Ohio's retirement income credit: a distribution received because
the taxpayer retired) (PolicyEngine-US does not tax a premature distribution there), every
Michigan 401(k) distribution as employer-attributable (as PolicyEngine-US counts it), and no
distribution is early (California's 2.5% tax, which PolicyEngine-US does not model, is tested
on worked examples);
New York's exclusion is given every distribution as periodic, as PolicyEngine-US does.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.state import COVERED, StateUnits, state_tax
from dist401k.tax.state.with_federal import federal_figures
from oracles.policyengine_state_oracle import policyengine_state_tax, random_retirees

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

#: Units per covered state: the default run's, and the full run's (docs/state.md says what
#: each costs: PolicyEngine-US takes about a second a household on the shared machine).
PER_STATE = 20
FULL_PER_STATE = 200
#: States drawn only in their confirmed years (Virginia's 2025–2026 standard deduction is not).
#: Ohio's 2025 units are left out: PolicyEngine-US 2.68.0 starts the top bracket of 2025 at
#: $95,015 (its uprating of the 2023 $100,000), where R.C. 5747.02(A) keeps $100,000.
#: Arkansas's 2026 tables and standard deduction are 2025's carried (PolicyEngine-US projects).
YEARS = {"VA": (2024,), "CO": (2024,), "UT": (2024, 2025), "ID": (2024, 2025),
         "MA": (2024, 2025), "OH": (2024, 2026), "AR": (2024, 2025)}
#: States drawn more often (times the units per state): Massachusetts is covered only for
#: units without wages or other income (the payroll deduction and the kind of other income are
#: not inputs); Arkansas without other income, and on a joint return without wages.
DRAWS = {"MA": 3, "AR": 2}
#: States (and years) whose figures could be read only in PolicyEngine-US (flagged
#: unconfirmed): their units are compared all the same, a check of the rules, not of the
#: figures (docs/state.md).  Maryland's 2026 standard deduction is carried from 2025 where
#: PolicyEngine-US indexes it: 2026 is left out.
ALL_YEARS = (2024, 2025, 2026)
FIGURES_FROM_POLICYENGINE = {"DE": ALL_YEARS, "ID": ALL_YEARS, "KS": ALL_YEARS, "LA": ALL_YEARS,
                             "MD": (2024, 2025), "MN": ALL_YEARS, "NE": ALL_YEARS,
                             "NJ": ALL_YEARS, "OH": ALL_YEARS, "OK": ALL_YEARS, "UT": ALL_YEARS,
                             "AR": (2024, 2025)}
#: States where PolicyEngine-US counts every distribution as paid after retirement (it does not
#: tax a premature one in Mississippi, Michigan or Ohio; it counts every 401(k) distribution in
#: Colorado's pension subtraction).
RETIRED_ALWAYS = ("CO", "MI", "MS", "OH")


#: States drawn with a seed of their own; the others' seeds follow their order among the rest,
#: so adding one of these leaves every other state's sample as it was.
SEEDS = {"AR": 5_001}


def _columns(per_state: int) -> dict[str, np.ndarray]:
    rest = [s for s in COVERED if s not in SEEDS]
    seeds = {**{s: 500 + k for k, s in enumerate(rest)}, **SEEDS}
    parts = [random_retirees(DRAWS.get(s, 1) * per_state, seed=seeds[s], state=s,
                             years=YEARS.get(s, (2024, 2025, 2026)))
             for s in COVERED]
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def _ours(cols: dict[str, np.ndarray]) -> dict:
    # PolicyEngine-US taxes a separate filer's Social Security with the §86 base amounts of one
    # who lived apart from the spouse (docs/tax.md aligns the Tax-Calculator comparison alike).
    fed = federal_tax(TaxUnits.from_columns({
        **{k: v for k, v in cols.items() if k != "state"},
        "lived_apart": cols["filing_status"] == "married_separate"}))
    units = StateUnits.from_columns({
        **{k: cols[k] for k in ("state", "tax_year", "filing_status", "age_head", "age_spouse",
                                "wages", "taxable_distributions", "social_security")},
        # Federal AGI, taxable Social Security, taxable income and the standard deduction
        # taken, from dist401k's federal tax (it agrees with PolicyEngine-US's to $1).
        **federal_figures(fed),
        # PolicyEngine-US's assumptions for the route facts it does not hold.
        "plan_retirement_conditions_met": np.isin(cols["state"], RETIRED_ALWAYS) | (cols["age_head"] >= 59.5),
        "periodic_payments": np.ones(len(cols["state"]), dtype=bool),
        # PolicyEngine-US counts every 401(k) distribution as a Michigan retirement benefit.
        "employer_attributable_distributions": cols["taxable_distributions"],
    })
    out = state_tax(units)
    out["federal_agi"] = fed["agi"]
    out["taxable_social_security"] = fed["taxable_social_security"]
    return out


@pytest.fixture(scope="module", params=[
    PER_STATE, pytest.param(FULL_PER_STATE, marks=[pytest.mark.full, pytest.mark.skipif(
        os.environ.get("DIST401K_FULL_ORACLE") != "1",
        reason="the full comparison (200 units per state, an hour and more): "
        "DIST401K_FULL_ORACLE=1 pytest -m full")])],
    ids=["default", "full"])
def compared(request):
    cols = _columns(request.param)
    return cols, _ours(cols), policyengine_state_tax(cols)


def test_every_covered_state_agrees_with_policyengine_to_a_dollar(compared):
    """Units whose figures are confirmed agree to $1; those with a figure not yet confirmed
    (a 2026 amount carried from 2025) and those not covered are left out, and said to be."""
    cols, ours, theirs = compared
    from_pe = np.zeros(len(cols["state"]), dtype=bool)
    for state, years in FIGURES_FROM_POLICYENGINE.items():
        from_pe |= (cols["state"] == state) & np.isin(cols["tax_year"], years)
    compared_units = ours["state_covered"] & (~ours["state_unconfirmed"] | from_pe)
    per_state = len(cols["state"]) // len(COVERED)
    assert compared_units.sum() >= 0.75 * per_state * len(COVERED)
    # Every covered state is compared on some units (Virginia's 2025–2026 standard deduction
    # and Georgia's units of 62 or more with other income are left out, for instance).
    counts = {s: int(compared_units[cols["state"] == s].sum()) for s in COVERED}
    assert min(counts.values()) >= per_state // 5, counts
    # PolicyEngine-US gives an Indiana or Michigan separate filer the spouse's exemption too
    # (the spouse of its household has no income, Ind. Code §6-3-1-3.5(a)(3), Mich. Comp. Laws
    # §206.30(2)); dist401k does not know the spouse's income and allows only the filer's own:
    # the gap is exactly one exemption's tax, down to no tax.
    mine = ours["state_income_tax"]
    for state in ("IN", "MI"):
        separate = (cols["state"] == state) & (cols["filing_status"] == "married_separate")
        mine = np.where(separate, np.maximum(0.0, mine - _exemption_tax(cols, state)), mine)
    # Virginia's, Maryland's, Ohio's and Nebraska's separate filers likewise, on a graduated
    # schedule: within one exemption's tax at the top rate (Ohio: plus the base tax where the
    # exemption moves the unit over the first bracket), never below PolicyEngine-US's figure
    # (Md. Code, Tax-General §10-211: the spouse's exemption only on a joint return).
    # Arkansas's gap is the spouse's $29 personal tax credit (Ark. Code Ann. §26-51-501).
    for state, most_gap in (("VA", 0.0575 * 930), ("MD", 0.065 * 3200),
                            ("OH", 0.035 * 2_400 + 360.69), ("NE", 176.0), ("AR", 29.0)):
        separate = (cols["state"] == state) & (cols["filing_status"] == "married_separate")
        gap = mine - theirs
        off = separate & ((gap < -1.0) | (gap > most_gap + 1.0))
        mine = np.where(separate & ~off, theirs, mine)
    mine = _louisiana_known_gaps(cols, mine, theirs)
    diff = np.where(compared_units, np.abs(mine - theirs), 0.0)
    bad = np.flatnonzero(~(diff <= 1.0))
    shown = [(str(cols["state"][i]), int(cols["tax_year"][i]), str(cols["filing_status"][i]),
              round(float(ours["state_income_tax"][i]), 2), round(float(theirs[i]), 2))
             for i in bad[:10]]
    assert not bad.size, f"{bad.size} units differ by more than $1: {shown}"


def _louisiana_known_gaps(cols, mine, theirs) -> np.ndarray:
    """PolicyEngine-US's Louisiana retirement exemption takes private pensions only, not 401(k)
    distributions (La. R.S. 47:44.1: annual retirement income includes qualified plan and IRA
    distributions): from 65 its tax is higher by at most the exemption at the top rate.  It
    gives a qualifying surviving spouse's $1,000 exemption only with a person flag the oracle
    does not set: 2024's gap is that exemption at the lowest rate.  Units within those bounds
    count as agreeing; any other gap stays."""
    from dist401k.law import default_law

    law = default_law()
    years = cols["tax_year"]
    la = cols["state"] == "LA"
    rates = law.get("state.la.rates", years)
    gap = theirs - mine
    older = la & (cols["age_head"] >= 65) & (cols["taxable_distributions"] > 0)
    most = (np.minimum(cols["taxable_distributions"], law.get("state.la.retirement_exclusion", years))
            * rates[:, -1])
    surviving = la & (cols["filing_status"] == "qualifying_surviving_spouse") & (years == 2024)
    most = np.where(older, most, 0.0) + np.where(surviving, 1_000 * rates[:, 0], 0.0)
    within = (older | surviving) & (gap >= -1.0) & (gap <= most + 1.0)
    return np.where(within, theirs, mine)


def _exemption_tax(cols, state: str) -> np.ndarray:
    """The tax on one personal exemption of ``state`` in each unit's year."""
    from dist401k.law import default_law

    law, code = default_law(), state.lower()
    exemption = {"in": "exemption", "mi": "personal_exemption"}[code]
    return (law.get(f"state.{code}.rate", cols["tax_year"])
            * law.get(f"state.{code}.{exemption}", cols["tax_year"]))


def test_units_left_out_are_the_known_ones(compared):
    cols, ours, _ = compared
    not_covered = ~ours["state_covered"]
    # New Hampshire's 2024 interest and dividends tax and Washington's capital gains tax are
    # not modelled: a unit with interest there is unknown, not zero.
    # Michigan's subtraction of interest, dividends and gains for those born before 1946 (the
    # older spouse on a joint return) is not modelled either.
    older = np.where(cols["filing_status"] == "married_joint",
                     np.maximum(cols["age_head"], cols["age_spouse"]), cols["age_head"])
    mi_tier_1 = (cols["state"] == "MI") & (cols["tax_year"] - older < 1946)
    taxes_investment = (((cols["state"] == "NH") & (cols["tax_year"] == 2024))
                        | (cols["state"] == "WA") | mi_tier_1)
    # Georgia's retirement exclusion from 62 turns on what other income is and, on a joint
    # return, whose wages are whose.
    joint = cols["filing_status"] == "married_joint"
    ga_62 = (cols["state"] == "GA") & ((cols["age_head"] >= 62) | (joint & (cols["age_spouse"] >= 62)))
    expected = (((taxes_investment | ga_62) & (cols["taxable_interest"] > 0))
                | (ga_62 & joint & (cols["wages"] > 0)))
    # Virginia's age deduction of a separate filer turns on the spouse's income.
    expected |= ((cols["state"] == "VA") & (cols["filing_status"] == "married_separate")
                 & (cols["age_head"] >= 65))
    # Colorado's subtraction of Social Security before 55 (survivors' benefits only) and, on a
    # joint return, whose Social Security it is where that changes the amount.
    colorado = cols["state"] == "CO"
    co_open = colorado & (ours["reasons"]["STATE_CO_SOCIAL_SECURITY_UNDER_55"]
                          | ours["reasons"]["STATE_CO_SOCIAL_SECURITY_NOT_SPLIT"])
    assert np.all(cols["social_security"][co_open] > 0)
    assert np.all(((cols["age_head"] < 55) | joint)[co_open])
    expected |= co_open
    # Massachusetts: other income (its kind decides its part) and wages (the deduction of
    # Social Security and Medicare taxes paid) are not inputs.
    expected |= (cols["state"] == "MA") & ((cols["taxable_interest"] > 0) | (cols["wages"] > 0))
    expected |= _md_not_covered(cols, ours) | _mn_not_covered(cols, ours) | _de_not_covered(cols, ours)
    expected |= _nj_not_covered(cols)
    # Arkansas: other income (its kind decides its part) and, on a joint return, wages (whose
    # they are decides the columns of a couple filing separately on the same return).
    expected |= (cols["state"] == "AR") & ((cols["taxable_interest"] > 0)
                                          | (joint & (cols["wages"] > 0)))
    assert np.array_equal(not_covered, expected)
    assert np.all(np.isnan(ours["state_income_tax"][not_covered]))
    unconfirmed = ours["state_unconfirmed"]
    assert set(cols["state"][unconfirmed]) <= {"AZ", "CA", "GA", "IL", "KY", "MA", "MI", "NY",
                                               "VA", *FIGURES_FROM_POLICYENGINE}
    assert np.all((cols["tax_year"][unconfirmed] == 2026)
                  | np.isin(cols["state"][unconfirmed], ("AZ", "VA", *FIGURES_FROM_POLICYENGINE)))


def _md_not_covered(cols, ours) -> np.ndarray:
    """Maryland: on a joint return the head's exclusion turns on whose Social Security it is;
    from 2025 the capital gains surtax on what other income is."""
    from dist401k.law import default_law

    joint = cols["filing_status"] == "married_joint"
    room = default_law().get("state.md.pension_exclusion", cols["tax_year"]) - cols["social_security"]
    md = cols["state"] == "MD"
    return ((md & joint & (cols["age_head"] >= 65) & (cols["social_security"] > 0)
             & (cols["taxable_distributions"] > np.maximum(0.0, room)))
            | (md & (cols["tax_year"] >= 2025) & (ours["federal_agi"] > 350_000)
               & (cols["taxable_interest"] > 0)))


def _mn_not_covered(cols, ours) -> np.ndarray:
    """Minnesota: a joint return with one spouse 65 or older where the elderly subtraction
    could apply (on the most generous reading of Schedule M1R's amounts)."""
    joint = cols["filing_status"] == "married_joint"
    one_of_two = joint & ((cols["age_head"] >= 65) ^ (cols["age_spouse"] >= 65))
    nontaxable = cols["social_security"] - ours["taxable_social_security"]
    m1r = 12_000 - nontaxable - 0.5 * np.maximum(0.0, ours["federal_agi"] - 18_000)
    return (cols["state"] == "MN") & one_of_two & (m1r > 0)


def _de_not_covered(cols, ours) -> np.ndarray:
    """Delaware: from 60 the exclusion turns on what other income is, a couple's on whose
    income is whose; the elderly exclusion under its income limit is not modelled."""
    joint = cols["filing_status"] == "married_joint"
    older = (cols["age_head"] >= 60) | (joint & (cols["age_spouse"] >= 60))
    interest = cols["taxable_interest"] > 0
    limit = np.where(joint, 20_000, 10_000)
    return (cols["state"] == "DE") & ((older & interest & (cols["taxable_distributions"] < 12_500))
                                      | (joint & (interest | (cols["wages"] > 0)))
                                      | (older & (ours["federal_agi"] < limit)))


def _nj_not_covered(cols) -> np.ndarray:
    """New Jersey's units whose line 28b turns on a fact that is not an input: someone 62 or
    older, total income of $150,000 or less and wages of $3,000 or less, with no Social
    Security (the special exclusion) or, on a joint return, one spouse only 62 or older and
    other income (whose it is)."""
    joint = cols["filing_status"] == "married_joint"
    head, spouse = cols["age_head"] >= 62, joint & (cols["age_spouse"] >= 62)
    total = cols["wages"] + cols["taxable_interest"] + cols["taxable_distributions"]
    open_28b = ((cols["state"] == "NJ") & (head | spouse) & (total <= 150_000)
                & (cols["wages"] <= 3_000))
    special = open_28b & (cols["social_security"] == 0)
    # With other income on a joint return some of the $100,000 is always left unused for it
    # (up to $100,000 the distribution is less than the whole; above, a half at most counts).
    other = cols["wages"] + cols["taxable_interest"] > 0
    whose = open_28b & joint & (head != spouse) & other
    return special | whose


def test_the_sample_reaches_the_rules(compared):
    cols, ours, _ = compared
    r = ours["reasons"]
    for code in ("STATE_PA_RETIREMENT_EXEMPT", "STATE_PA_EARLY_TAXABLE", "STATE_IL_RETIREMENT_EXEMPT",
                 "STATE_MS_RETIREMENT_EXEMPT", "STATE_SOCIAL_SECURITY_EXEMPT",
                 "STATE_CA_EXEMPTION_CREDIT_PHASED_OUT", "STATE_NY_PENSION_EXCLUSION",
                 "STATE_NY_SUPPLEMENTAL_TAX", "STATE_MI_RETIREMENT_SUBTRACTION",
                 "STATE_MI_STANDARD_DEDUCTION", "STATE_KY_PENSION_EXCLUSION",
                 "STATE_GA_RETIREMENT_EXCLUSION", "STATE_VA_AGE_DEDUCTION",
                 "STATE_NJ_PENSION_EXCLUSION", "STATE_CO_PENSION_SUBTRACTION",
                 "STATE_UT_SOCIAL_SECURITY_CREDIT", "STATE_MD_PENSION_EXCLUSION",
                 "STATE_MN_SOCIAL_SECURITY_SUBTRACTION", "STATE_AR_RETIREMENT_EXEMPTION"):
        assert r[code].any(), code
    assert (ours["state_income_tax"][cols["state"] == "CA"] > 0).any()
