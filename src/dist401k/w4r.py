"""Form W-4R: the withholding election on a nonperiodic payment or an eligible rollover
distribution (IRC §3405(b), (c)), and the form's Marginal Rate Tables as help to choose it.

The election itself is ``request.withholding_rate`` (0 to 1): for a payment that is not an
eligible rollover distribution any rate replaces the 10% default; for an eligible rollover
distribution paid in cash only a rate above 20% is honoured (:mod:`dist401k.withholding`).
A rate below the 10% default is not in effect where the payee furnished no TIN
(``request.payee_tin_furnished``, IRC §3405(e)(12)) or the payment is delivered outside the
United States (``request.delivered_outside_us``, §3405(e)(13)).

The form's method (Form W-4R, "Marginal Rate Tables", Examples 1 and 2): find the rate for the
total income without the payment and the rate with it; where they differ, share the payment
between the bands, add up each part times its band's rate, divide by the payment and round
up to a whole percent.  The tables assume the tax on the other income is already paid and do
not include the 10% additional tax (§72(t)).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from dist401k.law.loader import Law, Lookup

INCOME = "withholding.w4r_chart_income"
RATE = "withholding.w4r_chart_rate"
#: A rate a hair above a whole percent only by floating point is that percent.
ROUNDING_SLACK = 1e-9
#: Decimal places of a withholding rate as the answers show it (whole percents).
RATE_DIGITS = 2


def chart_rate(lk: Lookup, income, payment) -> np.ndarray:
    """The rate the form's method gives for ``payment`` (taxable) on top of ``income`` (total
    income from all sources without it), rounded up to a whole percent; NaN where the year
    has no chart or nothing is paid."""
    over = lk.get(INCOME, before=np.nan)  # [n, K]: each band's start
    rate = lk.get(RATE, before=np.nan)  # [n, K]
    lo = np.asarray(income, float)[:, None]
    pay = np.asarray(payment, float)
    hi = lo + pay[:, None]
    top = np.concatenate([over[:, 1:], np.full(over[:, :1].shape, np.inf)], axis=1)
    share = np.clip(np.minimum(hi, top) - np.maximum(lo, over), 0.0, None)
    tax = (share * rate).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = np.where(pay > 0, tax / pay, np.nan)
    # + 0.0: a payment all in the 0% band gives ceil(-slack) = -0.0, a signed zero no form has.
    return np.ceil(avg * 100 - ROUNDING_SLACK) / 100 + 0.0


def chart_year(law: Law, year: int) -> int | None:
    """The year of the Form W-4R whose chart applies to ``year`` (the latest one in the law
    not after it), None where the law holds none."""
    years = [d.year for d in law.param(INCOME).dates if d < dt.date(year + 1, 1, 1)]
    return max(years) if years else None


def chart(law: Law, year: int, filing_status: int) -> dict | None:
    """The Marginal Rate Tables' column of a filing status, as the answer shows it."""
    form = chart_year(law, year)
    if form is None:
        return None
    over = np.asarray(law.get(INCOME, year, filing_status), float).tolist()
    rates = np.asarray(law.get(RATE, year), float).tolist()
    return {"form_year": form,
            "bands": [{"total_income_over": o, "rate": r} for o, r in zip(over, rates,
                                                                          strict=True)],
            "citation": law.citation(INCOME)}
