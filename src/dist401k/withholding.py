"""Federal income tax withholding on a payment from the plan (IRC §3405).

An eligible rollover distribution paid to the participant: 20% of its taxable part, no opt-out
(§3405(c)); under $200 for the year, none.  A direct rollover: none.  A nonperiodic payment that
is not an eligible rollover distribution (hardship, RMD, SECURE 2.0 withdrawals): 10% unless
the payee elects another rate on Form W-4R (§3405(b)).
"""

from __future__ import annotations

import numpy as np


def withholding(taxable_cash, eligible_rollover, gross, elected_rate, erd_rate, default_rate,
                small) -> np.ndarray:
    erd = np.where(gross >= small, erd_rate * taxable_cash, 0.0)
    if elected_rate is not None:
        # A W-4R election can raise the 20% on an eligible rollover distribution, never lower it.
        erd = np.where(np.isnan(elected_rate), erd,
                       np.maximum(erd, np.nan_to_num(elected_rate) * taxable_cash))
        rate = np.where(np.isnan(elected_rate), default_rate, elected_rate)
    else:
        rate = default_rate
    return np.where(eligible_rollover, erd, rate * taxable_cash)
