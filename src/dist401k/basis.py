"""What part of a distribution is taxable: basis recovery and designated Roth rules.

- After-tax money is its own contract (IRC §72(d)(2)); a distribution from it is tax-free in
  the ratio of basis to that account's balance (§72(e)(8)).
- Designated Roth money (§402A(d)(2)): a qualified distribution — five taxable years after the
  first Roth contribution to the plan, and on or after 59½, death or disability — is tax-free;
  otherwise contributions come out pro rata with earnings, and the earnings are taxable.
- Traditional IRAs (Form 8606, §408(d)(2)): all of them are one contract valued at year end.
"""

from __future__ import annotations

import numpy as np

from dist401k.sources import AFTER_TAX, ROTH


def roth_qualified(tax_year, first_year, five_years, at_59_half, disabled) -> np.ndarray:
    """[n, S]: the Roth money of each source would come out as a qualified distribution."""
    with np.errstate(invalid="ignore"):
        seasoned = ~np.isnan(first_year) & (np.asarray(tax_year)[:, None] >= first_year + five_years[:, None])
    return ROTH[None, :] & seasoned & (np.asarray(at_59_half) | np.asarray(disabled))[:, None]


def nontaxable_share(balance, basis, roth_contributions, qualified) -> np.ndarray:
    """[n, S]: the tax-free share of each dollar paid from each source."""
    with np.errstate(divide="ignore", invalid="ignore"):
        after_tax = np.where(balance > 0, np.minimum(1.0, basis / balance), 0.0)
        roth = np.where(balance > 0, np.minimum(1.0, roth_contributions / balance), 0.0)
    return np.where(AFTER_TAX[None, :], after_tax,
                    np.where(ROTH[None, :], np.where(qualified, 1.0, roth), 0.0))


def ira_pro_rata(basis, year_end_value, distributions, conversions, places=None):
    """Form 8606 Part I: the nontaxable part of the year's IRA distributions and conversions.

    ``basis`` is line 5, ``year_end_value`` line 6 (all traditional, SEP and SIMPLE IRAs on
    December 31, rollovers in included), ``distributions`` line 7 and ``conversions`` line 8.
    Line 10 is basis / (6 + 7 + 8), at most 1; ``places`` rounds it as the form allows
    (at least three places).  Returns (line 10, nontaxable conversion, taxable conversion,
    nontaxable distributions, basis carried forward).
    """
    total = year_end_value + distributions + conversions
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total > 0, np.minimum(1.0, basis / total), 0.0)
    if places is not None:  # per case: half up, as a person rounds the decimal
        scale = np.power(10.0, np.asarray(places, dtype=float))
        ratio = np.floor(ratio * scale + 0.5) / scale
    nontax_conv = conversions * ratio
    nontax_dist = distributions * ratio
    return ratio, nontax_conv, conversions - nontax_conv, nontax_dist, basis - nontax_conv - nontax_dist
