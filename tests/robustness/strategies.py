"""Hypothesis strategies shared by the robustness tests: valid flat rows (each one a valid case
through ``row_to_case``), and the bad values every door must refuse with the field named."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import strategies as st

from dist401k.bounds import AGE
from dist401k.sources import SOURCES

#: Numbers no field of a case may take: not finite, or far beyond every declared bound.
BAD_NUMBERS = (math.nan, math.inf, -math.inf, 1e308, -1e308, 1e12)
#: Digits of other scripts (Arabic-Indic, full-width, Devanagari), 0 to 9: Python's ``float``
#: reads them, no door does (a number is written with the digits 0-9).
OTHER_DIGITS = ("٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९")
#: Text that no number column may hold.
BAD_NUMBER_TEXT = ("inf", "-Infinity", "1e400", "12abc", "NaN", "١٢٣", "１２３", "१२३", "٣.٥",
                   "1_000")
#: Dates that do not exist or are not YYYY-MM-DD.
BAD_DATES = ("1966-02-30", "2026-02-31", "2026-13-01", "2026-04-31", "2025-02-29", "20260101",
             "2026-1-5", "yesterday", "2026-06-01T10:00")
#: Values of the wrong type for any field of a case.
WRONG_TYPES = ([1], {"a": 1}, "a word", True)

PLAN_TYPES = ("401k", "403b_annuity", "403b7", "profit_sharing", "money_purchase",
              "governmental_457b")


def _day(lo: dt.date, hi: dt.date):
    return st.dates(min_value=lo, max_value=hi)


@st.composite
def flat_rows(draw) -> dict:
    """A valid flat row: dates in order, parts within their balances, any plan provision (one
    the law forbids for some money included: it is applied where lawful)."""
    request = draw(_day(dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
    birth = draw(_day(request - dt.timedelta(days=365 * 95), request - dt.timedelta(days=365 * 18)))
    hire = draw(_day(birth + dt.timedelta(days=365 * 16), request))
    separated = draw(st.booleans())
    row = {
        "participant_id": f"p{draw(st.integers(0, 10**6))}",
        "request_date": request.isoformat(),
        "birth_date": birth.isoformat(),
        "plan_type": draw(st.sampled_from(PLAN_TYPES)),
        "filing_status": draw(st.sampled_from(("single", "married_joint", "head_of_household"))),
        "employment_status": "separated" if separated else "active",
        "hire_date": hire.isoformat(),
        "wages": draw(st.floats(0, 400_000).map(lambda x: round(x, 2))),
        "request_amount": draw(st.one_of(st.none(), st.floats(0, 200_000).map(
            lambda x: round(x, 2)))),
    }
    if separated:
        row["separation_date"] = draw(_day(hire, request)).isoformat()
    if draw(st.integers(0, 2)) == 0:  # a third of the rows: one payment of a series
        row |= draw(series_columns(birth, request))
        if row["request_amount"] is None:  # one payment of the series, never 'max'
            row["request_amount"] = draw(st.floats(0, 50_000).map(lambda x: round(x, 2)))
    for s in draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=4, unique=True)):
        balance = draw(st.floats(1, 500_000).map(lambda x: round(x, 2)))
        row[f"balance_{s}"] = balance
        if s == "after_tax":
            row[f"basis_{s}"] = round(balance * draw(st.floats(0, 1)), 2)
        if draw(st.booleans()):
            row[f"in_service_{s}"] = True
            row[f"in_service_min_age_{s}"] = draw(st.sampled_from((50.0, 55.0, 59.5, 62.0)))
            if s in ("match", "profit_sharing", "roth_employer"):
                row[f"seasoning_years_{s}"] = draw(st.sampled_from((1.0, 2.0, 3.0)))
                row[f"participation_years_{s}"] = draw(st.sampled_from((3.0, 5.0)))
    return row


#: The first day a cost may go with a series' annuity starting date: the Simplified Method's
#: joint-life table (law annuity.anticipated_payments_joint; the single-life one is earlier).
SERIES_COST_SINCE = dt.date(1998, 1, 1)


@st.composite
def series_columns(draw, birth: dt.date, request: dt.date) -> dict:
    """The columns of a valid payment in a series (docs/assess.md, "Payments in a series"): a
    kind, its period for ``period``, a starting date between the birth and the request, a cost
    with the part recovered not above it, the other annuitant of a joint series."""
    kind = draw(st.sampled_from(("life", "joint_life", "period")))
    start = draw(_day(max(birth, SERIES_COST_SINCE), request))
    out: dict = {"request_series": kind, "request_annuity_start_date": start.isoformat(),
                 "request_series_payments_per_year": draw(st.sampled_from((1.0, 2.0, 4.0,
                                                                           12.0)))}
    if kind == "period":
        out["request_series_years"] = float(draw(st.integers(1, 40)))
    if kind == "joint_life":
        # Up to 30 years older than the person, never over 120 in the request's year (the case
        # door refuses an older one: case.other_birth_problems).
        oldest = max(birth - dt.timedelta(days=365 * 30), dt.date(request.year - AGE.hi, 1, 1))
        out["request_series_beneficiary_birth_date"] = draw(_day(oldest, request)).isoformat()
    if draw(st.booleans()):
        cost = draw(st.floats(0, 200_000).map(lambda x: round(x, 2)))
        out["request_series_cost"] = cost
        out["request_series_cost_recovered"] = round(cost * draw(st.floats(0, 1)), 2)
    return out


#: Ways to make a valid series row invalid, and the column (``request_…``) then named: each a
#: problem of the case model's series checks (dist401k.case.series_problems) or of a field.
BAD_SERIES = (
    ({"request_annuity_start_date": None}, "request_annuity_start_date"),
    ({"request_annuity_start_date": "2099-01-01"}, "request_annuity_start_date"),
    ({"request_annuity_start_date": "1900-01-01"}, "request_annuity_start_date"),
    ({"request_series": "period", "request_series_years": None}, "request_series_years"),
    ({"request_series": "life", "request_series_years": 10.0}, "request_series_years"),
    ({"request_series": "joint_life", "request_series_beneficiary_birth_date": None},
     "request_series_beneficiary_birth_date"),
    ({"request_amount": None, "request_net_amount": None}, "request_amount"),
    ({"request_series_cost": 100.0, "request_series_cost_recovered": 200.0},
     "request_series_cost_recovered"),
    ({"request_series": "monthly"}, "request_series"),
    ({"request_series_payments_per_year": 3.0}, "request_series_payments_per_year"),
    ({"request_series": "period", "request_series_years": 2.5}, "request_series_years"),
    ({"request_series": "period", "request_series_years": 101.0}, "request_series_years"),
    ({"request_series_cost": -5.0}, "request_series_cost"),
)


@st.composite
def bad_series_rows(draw) -> tuple[dict, str]:
    """A valid row given a series, then made invalid one way (BAD_SERIES): the row, and the
    column its error row must name."""
    row = draw(flat_rows())
    if "request_series" not in row:
        birth = dt.date.fromisoformat(row["birth_date"])
        request = dt.date.fromisoformat(row["request_date"])
        row |= draw(series_columns(birth, request))
        if row["request_amount"] is None:
            row["request_amount"] = 1000.0
    changes, column = draw(st.sampled_from(BAD_SERIES))
    if row["request_series"] == "joint_life" and "request_series_beneficiary_birth_date" in \
            changes:  # and no spouse to stand for the beneficiary (flat_rows gives none)
        row.pop("spouse_birth_date", None)
    row = {k: v for k, v in {**row, **changes}.items() if v is not None}
    return row, column


#: Number columns a bad value is put in (their case fields are bounded).
NUMBER_COLUMNS = ("wages", "request_amount", "balance_elective_deferral", "vested_match",
                  "loan_outstanding", "ira_traditional", "in_service_min_age_match",
                  "years_of_service", "withdrawals_this_year", "last_emergency_year",
                  "loan_interest_rate", "request_need")
#: Number columns a flat row always hands to its case (``row_to_case``), with any value.
SHARED_NUMBER_COLUMNS = ("wages", "request_amount", "loan_outstanding", "ira_traditional",
                         "withdrawals_this_year", "withdrawals_per_year", "loan_count",
                         "loans_max_count", "loan_interest_rate", "request_need",
                         "last_emergency_year", "years_of_service", "loan_residence_term_years")
ANY_NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 3000),
                       st.sampled_from((0.5, 1.5, 60.0, 2100.5, 1e11, 1e11 + 1)))
DATE_COLUMNS = ("request_date", "birth_date", "hire_date", "separation_date",
                "spouse_birth_date", "request_event_date")


@st.composite
def number_texts(draw) -> tuple[str, int | None]:
    """A whole number written as text, and the number every door reads in it (None: every door
    refuses it): the digits 0-9, maybe with a sign, a point, an exponent or spaces around, are
    read; another script's digits, a ``_``, a thousands comma or a dollar sign are not."""
    n = draw(st.integers(0, 3000))
    d = str(n)
    read = [(d, n), (f" {d} ", n), (f"+{d}", n), (f"{d}e0", n), (f"{d}.0", n)]
    refused = [(d.translate(str.maketrans("0123456789", o)), None) for o in OTHER_DIGITS]
    refused += [(f"${d}", None)] + ([(f"{d[0]}_{d[1:]}", None)] if len(d) > 1 else [])
    refused += [(f"{d[:-3]},{d[-3:]}", None)] if n >= 1000 else []
    return draw(st.sampled_from(read + refused))


def number_leaves(case: dict, prefix: str = "") -> list[str]:
    """Dotted paths of the numbers in a case (not booleans)."""
    out = []
    for k, v in case.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict):
            out += number_leaves(v, path + ".")
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out.append(path)
    return out


def set_path(case: dict, path: str, value) -> None:
    node = case
    *parents, last = path.split(".")
    for k in parents:
        node = node.setdefault(k, {})
    node[last] = value
