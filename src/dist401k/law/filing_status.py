"""Filing statuses (IRC §1(a)–(d), §2) and their integer codes used in batch arrays."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal, get_args

import numpy as np

FilingStatusName = Literal[
    "single",
    "married_joint",
    "married_separate",
    "head_of_household",
    "qualifying_surviving_spouse",
]
FILING_STATUSES: tuple[FilingStatusName, ...] = get_args(FilingStatusName)


class FilingStatus(IntEnum):
    """A filing status as batch arrays code it: its position in FILING_STATUSES."""

    SINGLE = 0
    MARRIED_JOINT = 1
    MARRIED_SEPARATE = 2
    HEAD_OF_HOUSEHOLD = 3
    QUALIFYING_SURVIVING_SPOUSE = 4


SINGLE, MARRIED_JOINT, MARRIED_SEPARATE, HEAD_OF_HOUSEHOLD, QUALIFYING_SURVIVING_SPOUSE = FilingStatus
CODE = {name: i for i, name in enumerate(FILING_STATUSES)}


ALIASES = {
    "mfj": MARRIED_JOINT,
    "married_filing_jointly": MARRIED_JOINT,
    "joint": MARRIED_JOINT,
    "mfs": MARRIED_SEPARATE,
    "married_filing_separately": MARRIED_SEPARATE,
    "separate": MARRIED_SEPARATE,
    "hoh": HEAD_OF_HOUSEHOLD,
    "qss": QUALIFYING_SURVIVING_SPOUSE,
    "qualifying_widow": QUALIFYING_SURVIVING_SPOUSE,
    "surviving_spouse": QUALIFYING_SURVIVING_SPOUSE,
}


def filing_status_codes(values) -> np.ndarray:
    """Names (or codes 0–4) → integer codes, vectorised over the distinct values.

    Raises ValueError naming the first unknown status; :func:`unknown_filing_statuses` gives
    the positions of every bad one.
    """
    codes, bad = codes_and_unknown(values)
    if bad.any():
        v = np.asarray(values, dtype=object).reshape(-1)[int(np.flatnonzero(bad)[0])]
        raise ValueError(
            f"unknown filing status {v!r} (expected one of {', '.join(FILING_STATUSES)})"
        )
    return codes


def unknown_filing_statuses(values) -> np.ndarray:
    """Boolean mask of the values that name no filing status."""
    return codes_and_unknown(values)[1]


def codes_and_unknown(values, names_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Codes and a mask of unknown values, deciding once per distinct value (Arrow's
    dictionary encoding), so a million rows cost one pass.  ``names_only``: a code (``3``,
    ``"3"``) is unknown too, as input that people write takes the names only (docs/tax.md)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        bad = (arr < 0) | (arr >= len(FILING_STATUSES)) | names_only
        return np.where(bad, 0, arr).astype(np.int8), bad
    flat = arr.reshape(-1)
    try:
        encoded = pc.dictionary_encode(pa.array(flat, from_pandas=True).cast(pa.string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        encoded = pc.dictionary_encode(pa.array([None if v is None else str(v) for v in flat], pa.string()))
    names = encoded.dictionary.to_pylist()
    table = np.zeros(len(names) + 1, dtype=np.int8)
    bad_u = np.zeros(len(names) + 1, dtype=bool)
    bad_u[-1] = True  # a null
    for i, u in enumerate(names):
        key = u.strip().lower().replace(" ", "_").replace("-", "_")
        code = CODE.get(key, ALIASES.get(key))
        if code is None and key.isdigit() and int(key) < len(FILING_STATUSES) and not names_only:
            code = int(key)
        bad_u[i] = code is None
        table[i] = 0 if code is None else code
    idx = encoded.indices.fill_null(len(names)).to_numpy(zero_copy_only=False)
    return table[idx].reshape(arr.shape), bad_u[idx].reshape(arr.shape)


def by_status(filing_status: np.ndarray, figure_as) -> np.ndarray:
    """A figure that depends on the filing status, for units of mixed statuses:
    ``figure_as(status)`` figured on every unit as if it filed so, once for each status
    present, and kept where the unit does file so."""
    fs = np.asarray(filing_status)
    first, *others = np.flatnonzero(np.bincount(fs.ravel(), minlength=1))
    out = figure_as(int(first))
    for s in others:
        out = np.where(fs == s, figure_as(int(s)), out)
    return out
