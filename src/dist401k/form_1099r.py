"""Form 1099-R box 7 distribution codes (Instructions for Forms 1099-R and 5498)."""

from __future__ import annotations

import numpy as np


def distribution_code(at_59_half, disabled, known_exception) -> np.ndarray:
    """The code for a payment to the participant: 7 normal (59½ or over), 3 disability,
    2 early with an exception the payer knows, 1 early with none known (the payee claims
    medical and other exceptions on Form 5329)."""
    return np.where(at_59_half, "7", np.where(disabled, "3",
                                              np.where(known_exception, "2", "1")))


def codes_for(cash_code: str, pretax_cash: float, roth_cash: float, rollover_pretax: float,
              rollover_roth: float) -> list[str]:
    """Every 1099-R the payment produces, one code string each: the cash part (with B for
    designated Roth money), G for a direct rollover, H for Roth money rolled to a Roth IRA."""
    out = []
    if pretax_cash > 0:
        out.append(cash_code)
    if roth_cash > 0:
        out.append("B" + cash_code)
    if rollover_pretax > 0:
        out.append("G")
    if rollover_roth > 0:
        out.append("H")
    return out
