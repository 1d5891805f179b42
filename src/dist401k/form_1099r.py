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

