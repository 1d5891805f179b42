"""Form 1099-R box 7 distribution codes (Instructions for Forms 1099-R and 5498)."""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup

#: The law file of the code a payer gives a distribution it knows an exception covers.
KNOWN_EXCEPTION_CODE = "form_1099r.known_exception_code"


def distribution_code(at_59_half, disabled, known_exception, death=None) -> np.ndarray:
    """The code for a payment to the participant: 7 normal (59½ or over), 3 disability,
    2 early with an exception the payer knows, 1 early with none known (the payee claims
    medical and other exceptions on Form 5329); 4 for a payment to a beneficiary after the
    participant's death, at any age."""
    code = np.where(at_59_half, "7", np.where(disabled, "3",
                                              np.where(known_exception, "2", "1")))
    return code if death is None else np.where(death, "4", code)


def reported_as_known(lk: Lookup, exception: str) -> np.ndarray:
    """Per case (by its tax year): whether a distribution the payer knows is made under
    ``exception`` (a key of the law file ``form_1099r.known_exception_code``: birth_adoption,
    emergency_expense, domestic_abuse, terminal_illness, disaster, long_term_care) is reported
    as an exception the payer knows (code 2), rather than with code 1 ("use Code 1 even if the
    distribution is made for ... a qualified birth or adoption distribution", Guide to
    Distribution Codes).  An exception the file does not name is reported as known."""
    keys = lk.law.param(KNOWN_EXCEPTION_CODE).keys
    table = lk.get(KNOWN_EXCEPTION_CODE)
    if exception not in keys:
        return np.ones(table.shape[0], bool)
    return table[:, keys.index(exception)] == 2
