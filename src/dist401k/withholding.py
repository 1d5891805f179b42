"""Federal income tax withholding on a payment from the plan (IRC §3405).

An eligible rollover distribution paid to the participant: 20% of its taxable part, no opt-out
(§3405(c)(1)); §3405(a) and (b) do not apply to it (§3405(c)(1)(A)).  Eligible rollover
distributions that total less than $200 in the year: none need be withheld (Treas. Reg.
§31.3405(c)-1, Q&A-14), only a rate the payee elects.  A direct rollover: none.  A nonperiodic
payment that is not an eligible rollover distribution (hardship, RMD, SECURE 2.0 withdrawals):
10% unless the payee elects another rate on Form W-4R (§3405(b)).

A W-4R rate below the 10% default is an election under §3405(b)(2) ("not to have paragraph (1)
apply"), in part or in whole: none is in effect where the payee has not furnished a TIN (or
the IRS told the payer it is incorrect, §3405(e)(12)), and none may be made for a payment to
be delivered outside the United States and its possessions (§3405(e)(13)(A); Treas. Reg.
§31.3405(e)-1 says how the payer finds that): the 10% is withheld.  A higher rate asks for
more than the law requires and stands.  Neither touches an eligible rollover distribution,
to which §3405(b) does not apply (§3405(c)(1)(A)).

The $200 test reads the eligible rollover distributions of the year under the same plan
(Q&A-14: aggregated; the payer that does not know of others need not withhold from the first):
dist401k takes this payment's eligible rollover part as all of them (docs/assess.md).
"""

from __future__ import annotations

import numpy as np


class Withholding:
    """The withholding rates of a batch: the law's (per case, by tax year) and the payee's
    Form W-4R election (NaN: none); ``no_tin`` and ``abroad`` (per case, default none): the
    payee furnished no TIN, the payment is delivered outside the United States — an election
    below the default is then not in effect (§3405(e)(12), (13))."""

    def __init__(self, elected_rate, erd_rate, default_rate, small, no_tin=False, abroad=False):
        elected_rate = np.asarray(elected_rate, dtype=float)
        self.erd_rate, self.small = erd_rate, small
        self.elected = ~np.isnan(elected_rate)
        self.elected_rate = np.where(self.elected, elected_rate, 0.0)
        below = self.elected & (self.elected_rate < default_rate)
        self.voided = {"OC_W4R_NO_TIN": below & np.asarray(no_tin, bool),
                       "OC_W4R_ABROAD": below & np.asarray(abroad, bool)}
        void = self.voided["OC_W4R_NO_TIN"] | self.voided["OC_W4R_ABROAD"]
        self.nonperiodic_rate = np.where(self.elected & ~void, elected_rate, default_rate)

    def void_reasons(self, nonperiodic) -> dict[str, np.ndarray]:
        """Where a payment withheld under §3405(b) (``nonperiodic``) has the default rate
        because the payee's lower election is void: no TIN furnished (§3405(e)(12)), delivered
        outside the United States (§3405(e)(13)(A))."""
        return {k: np.asarray(nonperiodic, bool) & v for k, v in self.voided.items()}

    def erd_rate_applies(self, erd_gross) -> np.ndarray:
        """Cases whose eligible rollover distribution of ``erd_gross`` (this payment's eligible
        rollover part, taken as the year's) reaches the small-distribution floor, so the 20%
        applies; below it none need be withheld (Treas. Reg. §31.3405(c)-1, Q&A-14)."""
        return np.asarray(erd_gross) >= self.small

    def below_erd_floor(self) -> np.ndarray:
        """Cases whose W-4R election is below the eligible rollover distribution's rate: it
        cannot lower that withholding (§3405(c)(1); Form W-4R, "you can't choose a rate of
        less than 20%"), so it is refused for such a payment in cash (where the 20% applies:
        :meth:`erd_rate_applies`)."""
        return self.elected & (self.elected_rate < self.erd_rate)

    def on(self, taxable_cash, eligible_rollover: bool, erd_gross) -> np.ndarray:
        """Dollars withheld from ``taxable_cash``; for an eligible rollover distribution,
        ``erd_gross`` is its amount (taxable or not, a loan offset with it included), which
        the $200 test reads (:meth:`erd_rate_applies`)."""
        if not eligible_rollover:
            return self.nonperiodic_rate * taxable_cash
        erd = np.where(self.erd_rate_applies(erd_gross), self.erd_rate * taxable_cash, 0.0)
        # A W-4R election can raise the 20% on an eligible rollover distribution, never lower
        # it; under the $200 floor nothing is required, and an elected rate is what is withheld.
        return np.where(self.elected, np.maximum(erd, self.elected_rate * taxable_cash), erd)
