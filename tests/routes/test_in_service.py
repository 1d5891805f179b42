"""In-service withdrawals by money source, with the edge dates of 59½."""

from __future__ import annotations

import pytest

from routes.conftest import make, outcome, route

DEFERRAL_RULE = {"plan.in_service": {"elective_deferral": {"allowed": True, "min_age": 59.5}}}


@pytest.mark.parametrize("day, open_", [("2029-07-14", False), ("2029-07-15", True)])
def test_59_half_is_six_calendar_months_after_the_59th_birthday(assess, day, open_):
    # Born 1970-01-15: 59 on 2029-01-15, 59½ on 2029-07-15 — the day before, deferrals stay in.
    r = assess(make(DEFERRAL_RULE, **{"request.date": day}))
    assert route(r, "in_service")["eligible"] is open_
    assert r["age_59_half_on"] == "2029-07-15"
    codes = {x["code"] for row in r["routes"] if row["route"] == "in_service"
             for x in row["reasons"]}
    assert ("IS_DEFERRAL_AT_59_HALF" if open_ else "IS_DEFERRAL_BEFORE_59_HALF") in codes


def test_59_half_from_a_month_end_birthday():
    import numpy as np

    from dist401k.dates import anniversary
    # Born August 31: six months after the 59th birthday is the last day of February.
    assert str(anniversary(np.datetime64("1967-08-31"), 59, 6)) == "2027-02-28"


def test_employer_money_two_year_seasoning_and_five_years(assess):
    base = {"plan.in_service": {"match": {"allowed": True, "seasoning_years": 2,
                                          "participation_years": 5}},
            "account.sources": {"match": {"balance": 30000, "vested": 0.5, "seasoned": 20000}}}
    # Four years of participation: only the seasoned, vested part (20,000 × 50%).
    r = assess(make(base, **{"employment.hire_date": "2022-12-01"}))
    assert route(r, "in_service")["available"] == pytest.approx(10000)
    # Five years: all of the vested balance (30,000 × 50%).
    r = assess(make(base, **{"employment.hire_date": "2021-11-01"}))
    assert route(r, "in_service")["available"] == pytest.approx(15000)


def test_after_tax_and_rollover_money_any_time(assess):
    r = assess(make({"plan.in_service": {"after_tax": {"allowed": True},
                                         "rollover_pretax": {"allowed": True}},
                     "person.birth_date": "1990-01-01",
                     "account.sources": {"after_tax": {"balance": 100000, "basis": 10000},
                                         "rollover_pretax": {"balance": 5000}}}))
    assert route(r, "in_service")["available"] == pytest.approx(105000)


def test_pro_rata_basis_recovery_ten_percent_tax_free(assess):
    # A $100,000 after-tax account with $10,000 basis: any distribution is 10% tax-free
    # (§72(e)(8)); $20,000 out → $2,000 tax-free, $18,000 taxable.
    r = assess(make({"plan.in_service": {"after_tax": {"allowed": True}},
                     "account.sources": {"after_tax": {"balance": 100000, "basis": 10000}},
                     "request.amount": 20000}))
    o = outcome(r, "in_service")
    assert o["nontaxable"] == pytest.approx(2000)
    assert o["taxable"] == pytest.approx(18000)
    # Before 59½ with no exception: 10% of the taxable part, 20% withheld on it.
    assert o["additional_tax_72t"] == pytest.approx(1800)
    assert o["withholding"] == pytest.approx(3600)
    assert o["form_1099r_codes"] == ["1"]
    split = outcome(r, "in_service", "split_2014_54")
    assert split["to_roth_ira"] == pytest.approx(2000)
    assert split["to_traditional_ira"] == pytest.approx(18000)
    assert split["taxable"] == 0


def test_pension_and_custodial_and_457_rules(assess):
    # Money purchase plan: nothing in service at 57. A governmental 457(b): from the calendar
    # year of 59½ (born 1967-10-01: 59½ on 2027-04-01, so all of 2027 counts, not 2026).
    mp = make({"plan.type": "money_purchase", "person.birth_date": "1969-05-01",
               "plan.in_service": {"profit_sharing": {"allowed": True, "min_age": 59.5}},
               "account.sources": {"profit_sharing": {"balance": 50000}}})
    assert route(assess(mp), "in_service")["eligible"] is False
    rule = {"plan.type": "governmental_457b", "person.birth_date": "1967-10-01",
            "plan.in_service": {"elective_deferral": {"allowed": True}}}
    assert route(assess(make(rule, **{"request.date": "2026-12-31"})), "in_service")[
        "eligible"] is False
    # On January 5, 2027 he is 59 but in the calendar year he reaches 59½: open (§457(d)(1)(A)).
    r = assess(make(rule, **{"request.date": "2027-01-05"}))
    assert route(r, "in_service")["eligible"] is True
    assert r["reached_59_half"] is False
    # …and a 457(b) is outside §72(t): no 10% tax although he is under 59½ (code 2).
    o = outcome(r, "in_service")
    assert o["additional_tax_72t"] == 0 and o["form_1099r_codes"] == ["2"]


def test_count_limit_and_minimum(assess):
    r = assess(make({"person.birth_date": "1960-01-01", **DEFERRAL_RULE,
                     "plan.withdrawals_per_year": 1, "account.withdrawals_this_year": 1}))
    assert route(r, "in_service")["eligible"] is False
    r = assess(make({"person.birth_date": "1960-01-01", **DEFERRAL_RULE,
                     "plan.minimum_withdrawal": 1000, "request.amount": 500}))
    assert outcome(r, "in_service") is None
