"""One date parser: the array form used for flat rows decides every text exactly as the case
model's parser does (a calendar day in YYYY-MM-DD, nothing rolled over)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.dates import parse_date, parse_date_column

# Texts shaped like dates, most of them near the edges of months (the 29th to the 32nd).
DATE_LIKE = st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999),
                      st.integers(0, 13), st.integers(0, 32))
TEXTS = st.one_of(DATE_LIKE, st.text(max_size=12), st.dates().map(dt.date.isoformat),
                  DATE_LIKE.map(lambda s: f" {s} "), DATE_LIKE.map(lambda s: s + "T00:00"))


def _scalar(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=20))
def test_the_column_parser_agrees_with_the_case_models(texts):
    days, bad = parse_date_column(pa.array(texts, pa.string()))
    for text, day, is_bad in zip(texts, days, bad, strict=True):
        expected = _scalar(text)
        if expected is None:
            assert np.isnat(day) and (is_bad or not text.strip()), text
        else:
            assert day == np.datetime64(expected, "D") and not is_bad, text


def test_leap_days_and_impossible_days():
    texts = ["2024-02-29", "2100-02-29", "2000-02-29", "1966-02-30", "2026-04-31", "", None]
    days, bad = parse_date_column(pa.array(texts, pa.string()))
    assert [str(d) for d in days] == ["2024-02-29", "NaT", "2000-02-29", "NaT", "NaT", "NaT",
                                      "NaT"]
    assert bad.tolist() == [False, True, False, True, True, False, False]
