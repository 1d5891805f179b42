"""Ages and anniversaries on whole arrays of dates (numpy datetime64[D]).

The law states ages as "age 59½" (reached six calendar months after the 59th birthday, Rev.
Rul. and IRS practice), "the calendar year in which the employee attains age 55", "attains age
73".  These helpers answer those questions for a batch; the ages themselves come from the law's
parameter files, never from here.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

D = "datetime64[D]"
MONTHS_PER_YEAR = 12
#: A calendar quarter, in months.
MONTHS_PER_QUARTER = 3
#: The days of a year by which simple interest accrues day by day (actual/365): a convention
#: of loan arithmetic, not a legal period.
INTEREST_DAYS_PER_YEAR = 365


def as_dates(x) -> np.ndarray:
    """Anything date-like (ISO strings, datetime.date, datetime64) → datetime64[D] array."""
    return np.asarray(x, dtype=D)


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days since 1970-01-01 → (year, month, day), proleptic Gregorian, integer arithmetic only
    (H. Hinnant's civil_from_days), much faster than datetime64 unit casts on big arrays."""
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    return y + (m <= 2), m, d


def days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """(year, month, day) → days since 1970-01-01 (days_from_civil)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = np.where(m > 2, m - 3, m + 9)
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def year_month_day(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each date (arrays of int64)."""
    d = as_dates(d)
    # A small batch asks about the same dates many times (read-only answers, remembered).
    small = 0 < d.ndim and d.size <= 4096
    if small:
        key = (d.shape, d.tobytes())
        if key in _SEEN:
            return _SEEN[key]
    days = np.where(np.isnat(d), 0, d.view(np.int64))
    out = _civil(days)
    if small:
        for a in out:
            a.flags.writeable = False
        if len(_SEEN) >= 256:
            _SEEN.clear()
        _SEEN[key] = out
    return out


_SEEN: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def year_of(d) -> np.ndarray:
    """Calendar year of each date."""
    return year_month_day(d)[0]


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def add_months(d, months) -> np.ndarray:
    """Date + whole calendar months; a day past the new month's end becomes its last day."""
    src = as_dates(d)
    y, m, day = year_month_day(src)
    total = y * 12 + (m - 1) + np.asarray(months, dtype=np.int64)
    ny, nm = np.floor_divide(total, 12), np.mod(total, 12) + 1
    leap = ((ny % 4 == 0) & (ny % 100 != 0)) | (ny % 400 == 0)
    last = _MONTH_DAYS[nm - 1] + ((nm == 2) & leap)
    out = days_from_civil(ny, nm, np.minimum(day, last)).astype("datetime64[D]")
    return np.where(np.isnat(src), np.datetime64("NaT"), out)


def period_after(start, months) -> np.ndarray:
    """The first day after the period of ``months`` calendar months beginning on ``start``
    ("the 1-year period beginning on" a date): the same day ``months`` later, and where that
    month has no such day (a period from February 29, or from the 31st), the day after its
    last day, so that the period keeps every day up to the end of that month.  A date is in
    the period when it is on or after ``start`` and before this day."""
    src = as_dates(start)
    same_day = add_months(src, months)
    cut = year_month_day(same_day)[2] < year_month_day(src)[2]
    return np.where(cut, same_day + np.timedelta64(1, "D"), same_day)


def quarter_end(d, quarters_after=0) -> np.ndarray:
    """The last day of the calendar quarter ``quarters_after`` quarters after the quarter of
    each date (0: the date's own quarter)."""
    src = as_dates(d)
    y, m, _ = year_month_day(src)
    first = (m - 1) // MONTHS_PER_QUARTER * MONTHS_PER_QUARTER + 1  # the quarter's first month
    start = days_from_civil(y, first, np.ones_like(first)).astype("datetime64[D]")
    months = (np.asarray(quarters_after, dtype=np.int64) + 1) * MONTHS_PER_QUARTER
    out = add_months(start, months) - np.timedelta64(1, "D")
    return np.where(np.isnat(src), np.datetime64("NaT"), out)


def anniversary(birth, years, months=0) -> np.ndarray:
    """The date someone born on ``birth`` reaches ``years`` years and ``months`` months."""
    return add_months(birth, np.asarray(years, dtype=np.int64) * 12 + np.asarray(months))


def reached(birth, on, years, months=0) -> np.ndarray:
    """True where, on date ``on``, the person has reached ``years`` years ``months`` months."""
    return as_dates(on) >= anniversary(birth, years, months)


def age_on(birth, on) -> np.ndarray:
    """Whole years of age on a date (the birthday itself counts)."""
    by, bm, bd = year_month_day(birth)
    oy, om, od = year_month_day(on)
    before = (om < bm) | ((om == bm) & (od < bd))
    return oy - by - before.astype(np.int64)


def age_at_year_end(birth, year) -> np.ndarray:
    """Age attained by December 31 of ``year`` ("attains age N in the calendar year")."""
    return np.asarray(year, dtype=np.int64) - year_of(birth)


def return_age(birth, year) -> np.ndarray:
    """Age on the tax return of ``year``: attained by December 31, an age attained on the day
    before the birthday (Treas. Reg. §1.151-1(c)(2); IRS Pub. 501: one born on January 1 is 65
    at the end of the year before the 65th birthday) — the age of the additional standard
    deduction (§63(f)) and the senior deduction (§151(d)(5)(C))."""
    return np.asarray(year, dtype=np.int64) - year_of(as_dates(birth) - np.timedelta64(1, "D"))


def years_between(start, end) -> np.ndarray:
    """Years from ``start`` to ``end`` counted by anniversaries: the whole years complete (the
    k-th on the k-th anniversary of ``start``, as :func:`anniversary` places it) and the part of
    the year under way, between that anniversary and the next; NaN where a date is missing.
    A period the law states in years — "at least 25 years of service" (§72(t)(10)(A)), "five
    years of participation" (Rev. Rul. 68-24) — is complete on its anniversary, whatever the
    leap days in it (days ÷ 365.25 falls short on the day: 25 years holding six leap days are
    9,131 days, 24.9993 such years)."""
    s, e = as_dates(start), as_dates(end)
    missing = np.isnat(s) | np.isnat(e)
    epoch = np.datetime64(0, "D")
    s, e = np.where(missing, epoch, s), np.where(missing, epoch, e)
    whole = age_on(s, e)
    # Born (or hired) on February 29: the anniversary of a common year is February 28.
    whole = whole + (e >= anniversary(s, whole + 1))
    last, nxt = anniversary(s, whole), anniversary(s, whole + 1)
    part = (e - last).astype(float) / (nxt - last).astype(float)
    return np.where(missing, np.nan, whole + part)


def fractional_age(birth, on) -> np.ndarray:
    """Age in years with the fraction of the current year (for display, never for tests of law)."""
    whole = age_on(birth, on)
    last = anniversary(birth, whole)
    nxt = anniversary(birth, whole + 1)
    return whole + (as_dates(on) - last).astype(float) / (nxt - last).astype(float)


# The one date parser of every door (case files, the API, flat rows): an ISO calendar date,
# YYYY-MM-DD, that exists.  Nothing is rolled over (1966-02-30 is not March 2) and nothing is
# guessed (a number, a time of day, 2026-2-3 are not dates).
NOT_A_DATE = "is not a date (YYYY-MM-DD)"
#: A value written as a date (YYYY-MM-DD) that names no day: the format is right, the day is not.
NOT_A_DAY = "is not a day of the calendar"
#: The months' names in English, whatever the locale (the words of every door are English).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: object) -> dt.date:
    """A date of a case: a ``datetime.date`` as given, or a ``YYYY-MM-DD`` string naming a day
    that exists; ``ValueError`` otherwise (the model names the field), in the words of
    :func:`date_problem`."""
    if isinstance(value, dt.datetime):
        raise ValueError(NOT_A_DATE)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(date_problem(value))


def date_problem(value: object) -> str:
    """What is wrong with a value that is not a date: written YYYY-MM-DD but naming no day
    (``2026-02-30``), :data:`NOT_A_DAY` and why ("February 2026 has 28 days": the Gregorian
    calendar's month lengths, February's 29th in a leap year); any other value,
    :data:`NOT_A_DATE` (the format is what is wrong)."""
    text = value.strip() if isinstance(value, str) else ""
    if not _ISO.fullmatch(text):
        return NOT_A_DATE
    y, m, d = (int(p) for p in text.split("-"))
    if y < 1:
        return f"{NOT_A_DAY} (the years start at 0001)"
    if not 1 <= m <= MONTHS_PER_YEAR:
        return f"{NOT_A_DAY} (a month is 01 to 12)"
    days = int(_MONTH_DAYS[m - 1]) + (m == 2 and is_leap_year(y))
    if not 1 <= d <= days:
        return f"{NOT_A_DAY} ({MONTH_NAMES[m - 1]} {y} has {days} days)"
    return NOT_A_DATE


def is_leap_year(year: int) -> bool:
    """A leap year of the Gregorian calendar: divisible by 4, a century only if by 400."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def parse_date_column(strings) -> tuple[np.ndarray, np.ndarray]:
    """A column of text (pyarrow) → datetime64[D] and a mask of values present but not dates,
    by the rules of :func:`parse_date`, as array formulas (blank → NaT, not an error)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(pc.cast(strings, pa.string()))
    present = np.asarray(pc.fill_null(pc.greater(pc.utf8_length(text), 0), False)
                         .to_numpy(zero_copy_only=False), bool)
    shaped = np.asarray(pc.fill_null(pc.match_substring_regex(text, r"^\d{4}-\d{2}-\d{2}$"),
                                     False).to_numpy(zero_copy_only=False), bool)
    iso = pc.if_else(pa.array(shaped), text, "1970-01-01")

    def part(start: int, stop: int) -> np.ndarray:
        piece = pc.utf8_slice_codeunits(iso, start, stop)
        return pc.cast(piece, pa.int64()).to_numpy(zero_copy_only=False)

    y, m, d = part(0, 4), part(5, 7), part(8, 10)
    month = np.clip(m, 1, 12)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    last = _MONTH_DAYS[month - 1] + ((month == 2) & leap)
    real = shaped & (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= last)
    days = days_from_civil(y, month, np.clip(d, 1, last)).astype("datetime64[D]")
    return np.where(real, days, np.datetime64("NaT", "D")), present & ~real
