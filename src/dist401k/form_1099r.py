"""Form 1099-R box 7 distribution codes (Instructions for Forms 1099-R and 5498)."""

from __future__ import annotations

import numpy as np


def distribution_code(at_59_half, disabled, known_exception, death=None) -> np.ndarray:
    """The code for a payment to the participant: 7 normal (59½ or over), 3 disability,
    2 early with an exception the payer knows, 1 early with none known (the payee claims
    medical and other exceptions on Form 5329); 4 for a payment to a beneficiary after the
    participant's death, at any age."""
    code = np.where(at_59_half, "7", np.where(disabled, "3",
                                              np.where(known_exception, "2", "1")))
    return code if death is None else np.where(death, "4", code)


def form_codes(cash_code, parts: dict, destination: str) -> np.ndarray:
    """Every 1099-R a payment produces, as one ';'-joined string per case: the cash part's
    code (with B for designated Roth money), G for a direct rollover, H for Roth money rolled
    to a Roth IRA.  A 60-day rollover is reported as paid (the taxpayer reports the rollover)."""
    code = np.asarray(cash_code).astype(object)
    direct = destination != "indirect_60day"
    out = np.full(code.shape, "", dtype=object)
    # Roth IRA codes (Q, T, J) stand alone; B marks designated Roth money from a plan.
    roth_code = np.where(np.isin(code, ("Q", "T", "J")), code, "B" + code)
    for amount, text in ((parts["pretax_cash"], code), (parts["roth_cash"], roth_code),
                         (parts["rolled_pretax"] * direct, "G"),
                         (parts["rolled_roth"] * direct, "H")):
        out = np.where(np.asarray(amount) > 0.005, np.where(out == "", text, out + ";" + text),
                       out)
    return out
