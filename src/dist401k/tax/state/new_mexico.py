"""New Mexico personal income tax on a tax unit with retirement income (Form PIT-1, PIT-ADJ).

New Mexico starts from federal AGI, takes the federal standard deduction (with its additions
for age: ``federal_standard_deduction``) and exempts: all the taxable Social Security when
federal AGI is at most $100,000 single / $150,000 joint / $75,000 separate (NMSA §7-2-5.14);
$8,000 for each person 65 or older, $1,000 less for each $1,500 ($3,000 joint) of AGI or part
of one above $18,000 ($30,000 joint, $15,000 separate) (§7-2-5.2); the low- and middle-income
exemption, $2,500 a federal exemption less 15% (10% joint, 20% separate) of AGI above $20,000
($30,000, $15,000) (§7-2-5.8); the income of someone 100 or older (§7-2-5.7); and it deducts
the net capital gain up to $1,000, or 40% of it if more (§7-2-34; from 2025 up to $2,500, the
40% only for the sale of a business).  Interest (here never on federal obligations) and
dividends are taxed in full.  The §7-2-7 schedule taxes the rest (HB 252's six brackets from
2025).  Plan distributions are taxed,
early or not; New Mexico has no retirement income exclusion for them beyond the $8,000
exemption, and no tax of its own on early distributions.

Not covered (NaN): a unit with other income whose kind was not given (``taxable_interest``,
``ordinary_dividends``, ``qualified_dividends``, ``long_term_gains``), a separate filer with a
capital gain (the deduction is half of what the couple's joint return would allow, and the
spouse's gain is not an input), a federal itemizer (New Mexico adds back the state
income tax deducted), a joint return with someone 100 or older (whose income it is), a unit
whose federal figures were not given.  Medical expenses are not inputs: the medical care
expense deduction and the $3,000 exemption of those 65 or older with $28,000 of expenses are
not modelled (taken as none); dependents, the blind, credits and rebates neither.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    aged,
    answer_unless,
    federal_figures_unknown,
    joint,
    other_income_unknown,
    people,
)
from dist401k.tax.state.units import StateUnits


def new_mexico_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """PIT-1 line 18 tax (before credits and rebates), for each unit."""
    not_given = federal_figures_unknown(u, "federal_standard_deduction")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    agi = u.federal_agi
    ss_exempt = np.where(agi <= lk.get("state.nm.social_security_exemption_agi"),
                         u.taxable_social_security, 0.0)
    gains_deducted = capital_gains_deduction(lk, OtherIncome.of(u).long_term_gains)
    exemptions = (ss_exempt + aged_exemption(lk, u) + low_middle_income_exemption(lk, u)
                  + gains_deducted)
    taxable = np.maximum(0.0, agi - u.federal_standard_deduction - exemptions)
    tax = schedule_tax(lk, "state.nm.brackets", "state.nm.rates", taxable)
    hundred = lk.get("state.nm.hundred_year_exemption_age")
    centenarian = (u.age_head >= hundred) | (joint(u) & (u.age_spouse >= hundred))
    tax = np.where(centenarian, 0.0, tax)
    kind_unknown = other_income_unknown(u)
    whose = centenarian & joint(u)
    separate_gain = (u.filing_status == MARRIED_SEPARATE) & (gains_deducted > 0)
    unknown = not_given | itemizer | kind_unknown | whose | separate_gain
    return answer_unless(unknown, tax, {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_NM_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_NM_OTHER_INCOME_KIND": kind_unknown & ~not_given,
        "STATE_NM_CENTENARIAN_NOT_SPLIT": whose,
        "STATE_NM_CENTENARIAN_EXEMPT": centenarian & ~whose,
        "STATE_NM_SOCIAL_SECURITY_EXEMPT": ss_exempt > 0,
        "STATE_NM_AGED_EXEMPTION": ~unknown & (aged_exemption(lk, u) > 0),
        "STATE_NM_SEPARATE_GAIN_NOT_SPLIT": separate_gain & ~not_given,
        "STATE_NM_CAPITAL_GAINS_DEDUCTION": ~unknown & (gains_deducted > 0),
    })


def capital_gains_deduction(lk: Lookup, net_capital_gain) -> np.ndarray:
    """§7-2-34: the net capital gain up to the fixed amount, or the share of it if that is
    more."""
    gain = np.maximum(0.0, net_capital_gain)
    return np.maximum(np.minimum(gain, lk.get("state.nm.capital_gains_deduction_amount")),
                      lk.get("state.nm.capital_gains_deduction_rate") * gain)


def aged_exemption(lk: Lookup, u: StateUnits) -> np.ndarray:
    """§7-2-5.2: $8,000 for each person 65 or older, $1,000 less for each step of AGI (or part
    of one) above the amount for the filing status."""
    steps = np.ceil(np.maximum(0.0, u.federal_agi - lk.get("state.nm.aged_exemption_agi"))
                    / lk.get("state.nm.aged_exemption_step"))
    each = np.maximum(0.0, lk.get("state.nm.aged_exemption")
                      - steps * lk.get("state.nm.aged_exemption_step_amount"))
    return aged(u, lk.get("state.nm.aged_exemption_age")) * each


def low_middle_income_exemption(lk: Lookup, u: StateUnits) -> np.ndarray:
    """§7-2-5.8: $2,500 for each federal exemption (the filer, and the spouse on a joint return;
    dependents are not inputs), less a share of AGI above the amount for the filing status."""
    each = np.maximum(0.0, lk.get("state.nm.low_middle_income_exemption")
                      - lk.get("state.nm.low_middle_income_exemption_rate") * np.maximum(
                          0.0, u.federal_agi - lk.get("state.nm.low_middle_income_exemption_agi")))
    return people(u) * each
