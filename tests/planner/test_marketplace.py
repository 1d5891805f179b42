"""Marketplace coverage before Medicare in the drawdown plan: who is covered which months
(Medicare from the month of the 65th birthday, 42 U.S.C. §426(a)), the household's premium
tax credit priced from each year's exact household income (IRC §36B), and a Roth conversion's
cost in lost credit."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.marketplace import coverage, medicare_months_before
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def _hh(people, market=None, **over):
    base = {"id": "m", "start_year": 2026, "people": people,
            "market": market or {"stocks": 0.04, "bonds": 0.04, "cash": 0.04,
                                 "stock_share": 0.6, "inflation": 0.02},
            "strategy": {"medicare": False},
            "marketplace": {"benchmark_premium": 20_000}}
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            base[k] = {**base[k], **v}
        else:
            base[k] = v
    return parse_household(base)


def _person(birth, **accounts):
    return {"birth_date": birth, "life_expectancy": 80, "accounts": accounts}


def test_medicare_month_ends_coverage():
    # 65 on 2030-03-20: Medicare from March 2030, two months covered that year.  Born on the
    # 1st of a month, a person attains 65 the day before: Medicare a month earlier (born
    # 1965-07-01 → June 2030, five months).  Born in January: none that year.
    births = [dt.date(1965, 3, 20), dt.date(1965, 7, 1), dt.date(1965, 1, 15)]
    m = medicare_months_before(LAW, births, np.array([2029, 2030, 2031]))
    assert m.tolist() == [[12, 2, 0], [12, 5, 0], [12, 0, 0]]


def test_coverage_shares_and_household_size():
    hh = _hh([_person("1968-05-10", ira=500_000), _person("1963-02-10", ira=100_000)],
             marketplace={"household_size": 3})
    tl = build_timeline(hh, LAW)
    cov = coverage(hh, LAW, tl.years, tl.alive)
    # The second person reaches Medicare in February 2028: one month that year, none after.
    assert cov.months[1, :3].tolist() == [12, 12, 1] and cov.months[1, 3:].sum() == 0
    assert cov.months[0, :7].tolist() == [12] * 7 and cov.months[0, 7] == 4
    assert cov.share.tolist() == [0.5, 0.5]
    assert cov.household_size[0] == 3


def test_no_one_to_cover_and_years_out_of_order_are_refused():
    with pytest.raises(InputError, match="marketplace.first_year"):
        _hh([_person("1955-01-10", ira=100_000)])
    with pytest.raises(InputError, match="marketplace.last_year"):
        _hh([_person("1968-01-10", ira=100_000)],
            marketplace={"first_year": 2028, "last_year": 2027})
    with pytest.raises(InputError, match="marketplace.benchmark_premium"):
        parse_household({"start_year": 2026, "people": [_person("1968-01-10")],
                         "marketplace": {"benchmark_premium": -1}})
