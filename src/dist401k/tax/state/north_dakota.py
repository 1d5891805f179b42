"""North Dakota individual income tax on a tax unit with retirement income (Form ND-1).

North Dakota starts from federal taxable income (N.D.C.C. §57-38-01.2) and subtracts the
taxable Social Security (wholly, from 2023) and 40% of the net long-term capital gain and of
the qualified dividends (§57-38-30.3(2)); interest and other dividends stay taxed, plan
distributions too, early or not, and North Dakota has no tax of its own on early
distributions.  The §57-38-30.3 schedule taxes the rest at 0%, 1.95% and 2.5%.  A federal
itemizer starts from the same line (North Dakota adds back no state income tax).

Not covered (NaN): a unit with other income whose kind was not given (``taxable_interest``,
``ordinary_dividends``, ``qualified_dividends``, ``long_term_gains``); a governmental plan's
distribution (a retired licensed peace officer's benefits are excluded; the service is not an
input); a joint return with wages taxed above the zero bracket (the marriage penalty credit
turns on each spouse's own wages and retirement income); a unit whose federal taxable income
was not given.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    answer_unless,
    federal_figures_unknown,
    joint,
    other_income_unknown,
)
from dist401k.tax.state.units import StateUnits


def north_dakota_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form ND-1 line 19 tax (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_taxable_income")
    kinds = OtherIncome.of(u)
    excluded = (lk.get("state.nd.long_term_gain_exclusion") * np.maximum(0.0, kinds.long_term_gains)
                + lk.get("state.nd.qualified_dividend_exclusion") * kinds.qualified_dividends)
    taxable = np.maximum(0.0, u.federal_taxable_income - u.taxable_social_security - excluded)
    tax = schedule_tax(lk, "state.nd.brackets", "state.nd.rates", taxable)
    kind_unknown = other_income_unknown(u)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    zero_top = lk.get("state.nd.brackets")[:, 0]
    marriage = joint(u) & (u.wages > 0) & (taxable > zero_top)
    unknown = not_given | kind_unknown | public | marriage
    return answer_unless(unknown, tax, {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_ND_OTHER_INCOME_KIND": kind_unknown & ~not_given,
        "STATE_ND_PUBLIC_PENSION_NOT_MODELLED": public & ~not_given,
        "STATE_ND_MARRIAGE_PENALTY_CREDIT_NOT_SPLIT": marriage & ~not_given,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        "STATE_ND_GAIN_AND_DIVIDEND_EXCLUSION": ~unknown & (excluded > 0),
    })
