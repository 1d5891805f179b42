"""The alternative minimum tax: IRC §55–56, Form 6251."""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.capital_gains import CapitalGainWorksheet, split_preferential


def amt_exemption(lk: Lookup, amti) -> np.ndarray:
    """Exemption after the phase-out: reduced by 25% (50% from 2026) of AMTI over the
    threshold (IRC §55(d)(1), (3); Form 6251 lines 5–6)."""
    ex = lk.get("amt.exemption")
    start = lk.get("amt.exemption_phaseout_start")
    rate = lk.get("amt.exemption_phaseout_rate")
    return np.maximum(0.0, ex - rate * np.maximum(0.0, amti - start))


def tentative_minimum_tax_on(lk: Lookup, excess) -> np.ndarray:
    """26% of the taxable excess up to the threshold and 28% above it (IRC §55(b)(1)(A))."""
    return schedule_tax(lk, "amt.rate_threshold", "amt.rates", excess)


def alternative_minimum_tax(
    lk: Lookup,
    amti,
    worksheet: CapitalGainWorksheet,
    regular_tax,
    bound: bool = True,
) -> np.ndarray:
    """AMT = tentative minimum tax less the regular tax, not below zero (Form 6251 Parts I–III).

    ``amti`` is taxable income with the standard deduction (or the disallowed itemized
    deductions) and the senior deduction added back.  A married individual filing separately
    adds back the lesser of the phase-out rate times the AMTI above the level where the
    exemption is gone, and the exemption itself (§55(d)(3) flush language).  The preferential
    part is taxed at the capital gain rates measured as the regular worksheet measures them.

    ``bound``: Part III is figured only for the units whose AMT may be above zero: the
    tentative minimum tax is at most the schedule of §55(b)(1)(A) on the whole taxable excess
    (Form 6251 line 40 takes the lesser), which rises from zero at rates no higher than the
    top one (the highest of the batch's years and statuses: one figure for all its units), so
    where the top rate times the excess is below the regular tax (by half a cent,
    more than any rounding) the AMT is zero — the same figures as without the bound
    (``bound=False``, every unit figured; tests/tax/test_skipped_work.py).
    """
    fs = lk.filing_status
    ex0 = lk.get("amt.exemption")
    start = lk.get("amt.exemption_phaseout_start")
    rate = lk.get("amt.exemption_phaseout_rate")
    gone_at = start + ex0 / rate
    mfs_addback = np.minimum(rate * np.maximum(0.0, amti - gone_at), ex0)
    amti = amti + np.where(fs == MARRIED_SEPARATE.value, mfs_addback, 0.0)
    excess = np.maximum(0.0, amti - amt_exemption(lk, amti))
    regular_tax = np.broadcast_to(np.asarray(regular_tax, dtype=float), np.shape(excess))
    if not bound:
        return _amt(lk, excess, worksheet.gains, worksheet.ordinary_income, regular_tax)
    amt = np.zeros(np.shape(excess))
    if not np.any(excess > 0):
        # No taxable excess, no tentative minimum tax (§55(b)(1)): no AMT on any unit.
        return amt
    # The top rate of any (year, status) the batch holds: a bound for each of its units.
    top = np.max(lk.small("amt.rates"))
    some = np.flatnonzero(~(top * excess <= regular_tax - HALF_CENT))
    if some.size:
        amt[some] = _amt(lk.subset(some), excess[some],
                         np.broadcast_to(worksheet.gains, amt.shape)[some],
                         np.broadcast_to(worksheet.ordinary_income, amt.shape)[some],
                         regular_tax[some])
    return amt


def _amt(lk: Lookup, excess, gains, ordinary_income, regular_tax) -> np.ndarray:
    """Part III and the AMT of units with this taxable excess (Form 6251 lines 12–40)."""
    # Qualified dividends and net gain (worksheet line 4, not limited to taxable income; at
    # most the taxable excess) keep their 0/15/20% rates.
    pref = np.minimum(gains, excess)
    thresholds = lk.get("capital_gains.thresholds")
    cg = lk.get("capital_gains.rates")
    z, f, t = split_preferential(thresholds, excess - pref, pref, ordinary_income)
    with_pref = (
        tentative_minimum_tax_on(lk, excess - pref)
        + cg[..., 0] * z
        + cg[..., 1] * f
        + cg[..., 2] * t
    )
    tmt = np.minimum(with_pref, tentative_minimum_tax_on(lk, excess))
    return np.maximum(0.0, tmt - regular_tax)
