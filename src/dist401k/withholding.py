"""Federal income tax withholding on a payment from the plan (IRC §3405).

An eligible rollover distribution paid to the participant: 20% of its taxable part, no opt-out
(§3405(c)); under $200 for the year, none.  A direct rollover: none.  A nonperiodic payment that
is not an eligible rollover distribution (hardship, RMD, SECURE 2.0 withdrawals): 10% unless
the payee elects another rate on Form W-4R (§3405(b)).
"""

from __future__ import annotations

import numpy as np


class Withholding:
    """The withholding rates of a batch: the law's (per case, by tax year) and the payee's
    Form W-4R election (NaN: none)."""

    def __init__(self, elected_rate, erd_rate, default_rate, small):
        elected_rate = np.asarray(elected_rate, dtype=float)
        self.erd_rate, self.small = erd_rate, small
        self.elected = ~np.isnan(elected_rate)
        self.elected_rate = np.where(self.elected, elected_rate, 0.0)
        self.nonperiodic_rate = np.where(self.elected, elected_rate, default_rate)

    def below_erd_floor(self) -> np.ndarray:
        """Cases whose W-4R election is below the eligible rollover distribution's rate: it
        cannot lower that withholding (§3405(c)(1); Form W-4R, "you can't choose a rate of
        less than 20%"), so it is refused for such a payment in cash."""
        return self.elected & (self.elected_rate < self.erd_rate)

    def on(self, taxable_cash, eligible_rollover: bool, gross) -> np.ndarray:
        """Dollars withheld from ``taxable_cash`` of a payment of ``gross``."""
        if not eligible_rollover:
            return self.nonperiodic_rate * taxable_cash
        erd = np.where(gross >= self.small, self.erd_rate * taxable_cash, 0.0)
        # A W-4R election can raise the 20% on an eligible rollover distribution, never lower it.
        return np.where(self.elected, np.maximum(erd, self.elected_rate * taxable_cash), erd)
