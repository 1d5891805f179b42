"""Montana individual income tax on a tax unit with retirement income (Form 2, from 2024).

From 2024 Montana starts from federal taxable income (MCA §15-30-2120, SB 399 of 2023), so the
federal standard deduction and the federally taxable Social Security carry over; it subtracts
$5,500 (indexed) for each taxpayer 65 or older and taxes the rest at 4.7% and 5.9% (5.65% from
2026) above the bracket (§15-30-2103) — but the part that is net long-term capital gain,
stacked on the rest, at 3% up to the same bracket's end and 4.1% above it (§15-30-2103(2));
interest and dividends, qualified or not, are ordinary income.  The old partial pension and
IRA exemption is repealed: plan distributions are taxed as in federal taxable income, early or
not, with no tax of Montana's own on early distributions.

Not covered (NaN): a unit with other income whose kind was not given (``taxable_interest``,
``ordinary_dividends``, ``qualified_dividends``, ``long_term_gains``), a federal itemizer (Montana's
additions for an itemizer are not read here), a unit whose federal figures were not given.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    aged,
    answer_unless,
    federal_figures_unknown,
    other_income_unknown,
)
from dist401k.tax.state.units import StateUnits


def montana_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 2 tax on ordinary income (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_taxable_income", "federal_standard_deduction")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    older = aged(u, lk.get("state.mt.old_age_subtraction_age"))
    subtraction = older * lk.get("state.mt.old_age_subtraction")
    taxable = np.maximum(0.0, u.federal_taxable_income - subtraction)
    gains = np.minimum(taxable, np.maximum(0.0, OtherIncome.of(u).long_term_gains))
    ordinary = taxable - gains
    tax = (schedule_tax(lk, "state.mt.brackets", "state.mt.rates", ordinary)
           + capital_gain_tax(lk, ordinary, gains))
    kind_unknown = other_income_unknown(u)
    unknown = not_given | itemizer | kind_unknown
    return answer_unless(unknown, tax, {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_MT_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_MT_CAPITAL_GAINS_NOT_MODELLED": kind_unknown & ~not_given,
        "STATE_MT_OLD_AGE_SUBTRACTION": ~unknown & (older > 0),
        "STATE_MT_CAPITAL_GAIN_RATES": ~unknown & (gains > 0),
    })


def capital_gain_tax(lk: Lookup, ordinary, gains) -> np.ndarray:
    """§15-30-2103(2): the net long-term capital gain in Montana taxable income, stacked on the
    ``ordinary`` rest, at the lower rate up to the first bracket's end and the higher above."""
    low, high = lk.get("state.mt.capital_gain_rates").T
    room = np.maximum(0.0, lk.get("state.mt.brackets")[:, 0] - ordinary)
    at_low = np.minimum(gains, room)
    return low * at_low + high * (gains - at_low)
