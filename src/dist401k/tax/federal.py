"""The federal income tax of a batch of tax units, and the marginal cost of a distribution.

One flow per unit, every step an array formula over the batch::

    gross income → taxable Social Security (§86) → AGI → deductions (§63, §68, §151(d)(5))
    → taxable income → regular tax (§1, QDCG worksheet) → AMT (§55) → NIIT (§1411)
    → §72(t) additional tax → income_tax
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Law, Lookup, default_law
from dist401k.money import HALF_CENT
from dist401k.tax.amt import alternative_minimum_tax
from dist401k.tax.capital_gains import capital_gain_worksheet
from dist401k.tax.deductions import (
    aged_or_blind_count,
    limited_itemized_deductions,
    senior_count,
    senior_deduction,
    standard_deduction,
)
from dist401k.tax.niit import net_investment_income_tax
from dist401k.tax.social_security import taxable_social_security
from dist401k.tax.units import TaxUnits

#: Output columns of :func:`federal_tax`, in order.  Other tools read these names: keep them.
OUTPUT_COLUMNS = (
    "agi",
    "taxable_social_security",
    "standard_deduction",
    "itemizes",
    "senior_deduction",
    "taxable_income",
    "regular_tax",
    "amt",
    "niit",
    "additional_tax_72t",
    "income_tax",
    "projected",
)


def federal_tax(units: TaxUnits, law: Law | None = None,
                lookup: Lookup | None = None) -> dict[str, np.ndarray]:
    """Federal income tax of each unit, with its parts (dollars, unrounded float64).

    ``income_tax`` = regular tax + AMT + NIIT + the §72(t) additional tax.  Credits (child tax
    credit, EITC, others) are outside dist401k's scope.  ``projected`` is True where the year's
    law is projected rather than enacted.
    """
    law = law or default_law()
    u = units
    # ``lookup``: the law already gathered for these units' years and filing statuses (one
    # gathered for a year and status all units share: ``Lookup.one_pair``).
    lk = lookup if lookup is not None else Lookup(law, u.tax_year, u.filing_status)
    fs = u.filing_status

    income_without_ss = (
        u.wages
        + u.taxable_interest
        + u.ordinary_dividends
        + u.long_term_gains
        + u.taxable_distributions
        + u.other_income
    )
    taxable_ss = taxable_social_security(
        lk, u.social_security, income_without_ss, u.tax_exempt_interest, u.lived_apart
    )
    agi = income_without_ss + taxable_ss

    std = standard_deduction(
        lk, aged_or_blind_count(lk, fs, u.age_head, u.age_spouse, u.blind_head, u.blind_spouse)
    )
    seniors = senior_count(lk, fs, u.age_head, u.age_spouse)
    senior = senior_deduction(lk, seniors, agi)
    itemized = limited_itemized_deductions(lk, u.itemized_deductions, agi - senior)

    # A taxpayer may elect to itemize even below the standard deduction (§63(e)): with the
    # AMT that can lower the total, so for every unit with itemized deductions both are
    # figured and the lower total is taken.
    taxable, regular, amt = _regular_and_amt(lk, u.qualified_dividends, u.long_term_gains,
                                             agi, std + senior, 0.0)
    itemizes = np.zeros(len(u), dtype=bool)
    some = np.flatnonzero(itemized > 0)
    if some.size:
        t_i, r_i, a_i = _regular_and_amt(
            lk.subset(some), u.qualified_dividends[some], u.long_term_gains[some], agi[some],
            itemized[some] + senior[some], itemized[some],
        )
        std_total = regular[some] + amt[some]
        itemized_total = r_i + a_i
        better = (itemized_total < std_total - HALF_CENT) | (
            (np.abs(itemized_total - std_total) <= HALF_CENT) & (itemized[some] > std[some])
        )
        itemizes[some] = better
        pick = some[better]
        taxable[pick], regular[pick], amt[pick] = t_i[better], r_i[better], a_i[better]

    nii = u.taxable_interest + u.ordinary_dividends + u.long_term_gains
    niit = net_investment_income_tax(lk, nii, agi)

    early_rate = lk.get("early_distributions.additional_tax_rate")
    additional = early_rate * u.early_distributions

    return {
        "agi": agi,
        "taxable_social_security": taxable_ss,
        "standard_deduction": std,
        "itemizes": itemizes,
        "senior_deduction": senior,
        "taxable_income": taxable,
        "regular_tax": regular,
        "amt": amt,
        "niit": niit,
        "additional_tax_72t": additional,
        "income_tax": regular + amt + niit + additional,
        "projected": np.broadcast_to(law.projected(lk.year), (len(u),)),
    }


def _regular_and_amt(lk: Lookup, qualified_dividends, long_term_gains, agi, deductions, amt_allowed):
    """Taxable income, regular tax and AMT with one choice of deductions."""
    taxable = np.maximum(0.0, agi - deductions)
    ws = capital_gain_worksheet(lk, taxable, qualified_dividends, long_term_gains)
    # AMTI: the standard and senior deductions are not allowed (§56(b)(1)(E)); the itemized
    # deductions modelled here (interest, charity) are.
    amti = np.maximum(0.0, agi - amt_allowed)
    amt = alternative_minimum_tax(lk, amti, ws, ws.tax)
    return taxable, ws.tax, amt


def marginal_cost(
    units: TaxUnits, distribution, early=False, law: Law | None = None
) -> dict[str, np.ndarray]:
    """What an extra taxable distribution costs each unit: tax with it minus tax without.

    ``distribution`` (scalar or array) is added to ``taxable_distributions``; when ``early`` is
    True (or an array of booleans) it is also added to ``early_distributions``.  Returns the
    extra tax (``cost``), the extra of each part, and ``rate`` = cost / distribution.
    """
    law = law or default_law()
    extra = np.broadcast_to(np.asarray(distribution, dtype=float), (len(units),))
    early_extra = np.where(np.asarray(early, dtype=bool), extra, 0.0)
    base = federal_tax(units, law)
    more = federal_tax(
        units.replace(
            taxable_distributions=units.taxable_distributions + extra,
            early_distributions=units.early_distributions + early_extra,
        ),
        law,
    )
    out = {
        f"extra_{k}": more[k] - base[k]
        for k in ("agi", "taxable_income", "regular_tax", "amt", "niit", "additional_tax_72t")
    }
    out["cost"] = more["income_tax"] - base["income_tax"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate"] = np.where(extra > 0, out["cost"] / extra, 0.0)
    return out
