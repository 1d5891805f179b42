"""The alternative minimum tax: IRC §55–56, Form 6251."""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Law
from dist401k.tax.capital_gains import CapitalGainWorksheet, split_preferential


def amt_exemption(law: Law, year, filing_status, amti) -> np.ndarray:
    """Exemption after the phase-out: reduced by 25% (50% from 2026) of AMTI over the
    threshold (IRC §55(d)(1), (3); Form 6251 lines 5–6)."""
    ex = law.get("amt.exemption", year, filing_status)
    start = law.get("amt.exemption_phaseout_start", year, filing_status)
    rate = law.get("amt.exemption_phaseout_rate", year)
    return np.maximum(0.0, ex - rate * np.maximum(0.0, amti - start))


def tentative_minimum_tax_on(law: Law, year, filing_status, excess) -> np.ndarray:
    """26% of the taxable excess up to the threshold and 28% above it (IRC §55(b)(1)(A))."""
    rates = law.get("amt.rates", year)
    cut = law.get("amt.rate_threshold", year, filing_status)
    excess = np.maximum(0.0, excess)
    low = np.minimum(excess, cut)
    return rates[..., 0] * low + rates[..., 1] * (excess - low)


def alternative_minimum_tax(
    law: Law,
    year,
    filing_status,
    amti,
    worksheet: CapitalGainWorksheet,
    regular_tax,
) -> np.ndarray:
    """AMT = tentative minimum tax less the regular tax, not below zero (Form 6251 Parts I–III).

    ``amti`` is taxable income with the standard deduction (or the disallowed itemized
    deductions) and the senior deduction added back.  A married individual filing separately
    adds back the lesser of the phase-out rate times the AMTI above the level where the
    exemption is gone, and the exemption itself (§55(d)(3) flush language).  The preferential
    part is taxed at the capital gain rates measured as the regular worksheet measures them.
    """
    fs = np.asarray(filing_status)
    ex0 = law.get("amt.exemption", year, filing_status)
    start = law.get("amt.exemption_phaseout_start", year, filing_status)
    rate = law.get("amt.exemption_phaseout_rate", year)
    gone_at = start + ex0 / rate
    mfs_addback = np.minimum(rate * np.maximum(0.0, amti - gone_at), ex0)
    amti = amti + np.where(fs == MARRIED_SEPARATE, mfs_addback, 0.0)
    excess = np.maximum(0.0, amti - amt_exemption(law, year, filing_status, amti))
    # Part III: qualified dividends and net gain (worksheet line 4, not limited to taxable
    # income; at most the taxable excess) keep their 0/15/20% rates.
    pref = np.minimum(worksheet.gains, excess)
    thresholds = law.get("capital_gains.thresholds", year, filing_status)
    cg = law.get("capital_gains.rates", year)
    z, f, t = split_preferential(thresholds, excess - pref, pref, worksheet.ordinary_income)
    with_pref = (
        tentative_minimum_tax_on(law, year, filing_status, excess - pref)
        + cg[..., 0] * z
        + cg[..., 1] * f
        + cg[..., 2] * t
    )
    tmt = np.minimum(with_pref, tentative_minimum_tax_on(law, year, filing_status, excess))
    return np.maximum(0.0, tmt - regular_tax)
