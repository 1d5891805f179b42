"""Ages and anniversaries on whole arrays of dates (numpy datetime64[D]).

The law states ages as "age 59½" (reached six calendar months after the 59th birthday, Rev.
Rul. and IRS practice), "the calendar year in which the employee attains age 55", "attains age
73".  These helpers answer those questions for a batch; the ages themselves come from the law's
parameter files, never from here.
"""

from __future__ import annotations

import numpy as np

D = "datetime64[D]"


def as_dates(x) -> np.ndarray:
    """Anything date-like (ISO strings, datetime.date, datetime64) → datetime64[D] array."""
    return np.asarray(x, dtype=D)


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = as_dates(d)
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]").astype(D)).astype(np.int64) + 1
    return y, m, day


def year_of(d) -> np.ndarray:
    """Calendar year of each date."""
    return as_dates(d).astype("datetime64[Y]").astype(np.int64) + 1970


def add_months(d, months) -> np.ndarray:
    """Date + whole calendar months; a day past the new month's end becomes its last day."""
    y, m, day = _ymd(d)
    total = (y - 1970) * 12 + (m - 1) + np.asarray(months, dtype=np.int64)
    first = total.astype("datetime64[M]").astype(D)
    last_day = ((total + 1).astype("datetime64[M]").astype(D) - first).astype(np.int64)
    return first + (np.minimum(day, last_day) - 1).astype("timedelta64[D]")


def anniversary(birth, years, months=0) -> np.ndarray:
    """The date someone born on ``birth`` reaches ``years`` years and ``months`` months."""
    return add_months(birth, np.asarray(years, dtype=np.int64) * 12 + np.asarray(months))


def reached(birth, on, years, months=0) -> np.ndarray:
    """True where, on date ``on``, the person has reached ``years`` years ``months`` months."""
    return as_dates(on) >= anniversary(birth, years, months)


def age_on(birth, on) -> np.ndarray:
    """Whole years of age on a date (the birthday itself counts)."""
    by, bm, bd = _ymd(birth)
    oy, om, od = _ymd(on)
    before = (om < bm) | ((om == bm) & (od < bd))
    return oy - by - before.astype(np.int64)


def age_at_year_end(birth, year) -> np.ndarray:
    """Age attained by December 31 of ``year`` ("attains age N in the calendar year")."""
    return np.asarray(year, dtype=np.int64) - year_of(birth)


def fractional_age(birth, on) -> np.ndarray:
    """Age in years with the fraction of the current year (for display, never for tests of law)."""
    whole = age_on(birth, on)
    last = anniversary(birth, whole)
    nxt = anniversary(birth, whole + 1)
    return whole + (as_dates(on) - last).astype(float) / (nxt - last).astype(float)
