"""Filing statuses (IRC §1(a)–(d), §2) and their integer codes used in batch arrays."""

from __future__ import annotations

import numpy as np

FILING_STATUSES: tuple[str, ...] = (
    "single",
    "married_joint",
    "married_separate",
    "head_of_household",
    "qualifying_surviving_spouse",
)
SINGLE, MARRIED_JOINT, MARRIED_SEPARATE, HEAD_OF_HOUSEHOLD, QUALIFYING_SURVIVING_SPOUSE = range(5)
CODE = {name: i for i, name in enumerate(FILING_STATUSES)}


def filing_status_codes(values) -> np.ndarray:
    """Names → integer codes; raises ValueError naming the first unknown status."""
    arr = np.asarray(values, dtype=object)
    out = np.empty(arr.shape, dtype=np.int8)
    for i, v in enumerate(arr.reshape(-1)):
        try:
            out.reshape(-1)[i] = CODE[str(v).strip().lower()]
        except KeyError:
            raise ValueError(
                f"unknown filing status {v!r} (expected one of {', '.join(FILING_STATUSES)})"
            ) from None
    return out


def is_joint(codes: np.ndarray) -> np.ndarray:
    """Joint return (married filing jointly).  QSS uses the joint rate table but is not joint."""
    return np.asarray(codes) == MARRIED_JOINT


def is_married(codes: np.ndarray) -> np.ndarray:
    """Married for the §63(f) additional amounts: MFJ, MFS and QSS use the married figure."""
    c = np.asarray(codes)
    return (c == MARRIED_JOINT) | (c == MARRIED_SEPARATE) | (c == QUALIFYING_SURVIVING_SPOUSE)
