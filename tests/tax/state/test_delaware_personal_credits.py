"""Delaware's personal credits (30 Del. C. §1110(b), (c)): $110 for each personal exemption to
which the resident is entitled for federal purposes (the filer's, and the spouse's on a joint
return), and $110 more for each resident 60 or over, against the tax otherwise due and never
more than it.  On combined separate returns each spouse's own credits go against that spouse's
own column (PIT-RES lines 27a and 27b), and the couple's choice of return is made on the tax
after them.

Every expected figure is worked by hand from the §1102 schedule (0% to 2,000, 2.2% to 5,000,
3.9% to 10,000, 4.8% to 20,000, 5.2% to 25,000, 5.55% to 60,000, 6.6% above; 66 at 5,000,
261 at 10,000, 741 at 20,000, 1,001 at 25,000, 2,943.50 at 60,000), the §1106(b)(3) exclusion
of $12,500 from 60 and the §1108 standard deduction ($3,250; $6,500 joint; $2,500 more from
65), and compared with PolicyEngine-US 2.68 (``de_income_tax``)."""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "DE", "tax_year": 2025, "filing_status": "single", "age_head": 62,
            "plan_retirement_conditions_met": True}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def spouses(head: tuple[int, float], spouse: tuple[int, float]) -> dict:
    """A joint return, each spouse's own 401(k) distribution given (no other income)."""
    return one(filing_status="married_joint", age_head=head[0], age_spouse=spouse[0],
               federal_agi=head[1] + spouse[1], taxable_distributions=head[1] + spouse[1],
               spouse_distributions=spouse[1], spouse_wages=0, spouse_social_security=0,
               spouse_other_income=0)


#: (head's age and distribution, spouse's or None, the tax after the credits worked by hand)
CASES = [
    # 62: 30,000 - 12,500 - 3,250 = 14,250: 261 + 4.8% x 4,250 = 465; less 110 + 110 = 245.
    ((62, 30_000), None, 245.0),
    # 57: 30,000 - 3,250 = 26,750: 1,001 + 5.55% x 1,750 = 1,098.125; less 110 = 988.125.
    ((57, 30_000), None, 988.125),
    # 66: 50,000 - 12,500 - 5,750 = 31,750: 1,001 + 5.55% x 6,750 = 1,375.625; less 220.
    ((66, 50_000), None, 1_155.625),
    # Joint 64 and 58 (the spouse's 401(k) lump sum, no exclusion before 60): joint 70,000 -
    # 12,500 - 6,500 = 51,000: 1,001 + 5.55% x 26,000 = 2,444; less 2 x 110 + 110 = 2,114.
    # Separately: head 44,250: 1,001 + 5.55% x 19,250 = 2,069.375 - 220 = 1,849.375; spouse
    # 6,750: 66 + 3.9% x 1,750 = 134.25 - 110 = 24.25; together 1,873.625, less.
    ((64, 60_000), (58, 10_000), 1_873.625),
    # Joint 58 and 57: joint 40,000 - 6,500 = 33,500: 1,472.75 - 220 = 1,252.75; separately
    # 1,098.125 - 110 + 134.25 - 110 = 1,012.375, less.
    ((58, 30_000), (57, 10_000), 1_012.375),
    # Joint, both 66, 30,000 each: joint 60,000 - 25,000 - 11,500 = 23,500: 923 - 440 = 483;
    # separately 30,000 - 12,500 - 5,750 = 11,750: 345 - 220 = 125 each: 250, less.
    ((66, 30_000), (66, 30_000), 250.0),
]


def ours(head, spouse) -> float:
    if spouse is None:
        return one(age_head=head[0], federal_agi=head[1], taxable_distributions=head[1])[
            "state_income_tax"]
    return spouses(head, spouse)["state_income_tax"]


@pytest.mark.parametrize("head,spouse,hand", CASES)
def test_the_personal_credits_come_off(head, spouse, hand):
    assert ours(head, spouse) == pytest.approx(hand)


def test_the_credits_never_take_the_tax_below_zero():
    # 62, $20,000 (the 60-or-over exclusion too): 5.50 before the credits: 0, not -214.50.
    r = one(federal_agi=20_000, taxable_distributions=20_000)
    assert r["state_covered"] and r["state_income_tax"] == 0
    assert r["reasons"]["STATE_DE_PERSONAL_CREDITS"]
    # Nothing taxed at all: no credit said to be taken.
    r = one(federal_agi=3_000, taxable_distributions=3_000)
    assert r["state_income_tax"] == 0 and not r["reasons"]["STATE_DE_PERSONAL_CREDITS"]


def test_the_additional_credit_is_each_spouses_from_60():
    # No split given (all the head's): the joint return alone.  Joint, $100,000 to the head, 0
    # Social Security: 100,000 - 12,500 (the head's exclusion, the head 60 or over) - 6,500 =
    # 81,000; 2,943.50 + 6.6% x 21,000 = 4,329.50.  Credits: 2 x 110, plus 110 for each spouse 60
    # or over: both 62: 440 -> 3,889.50; the spouse 59: 330 -> 3,999.50.
    base = dict(filing_status="married_joint", age_head=62, federal_agi=100_000,
                taxable_distributions=100_000)
    assert one(**base, age_spouse=62)["state_income_tax"] == pytest.approx(3_889.5)
    assert one(**base, age_spouse=59)["state_income_tax"] == pytest.approx(3_999.5)


def test_a_separate_columns_unused_credit_is_lost():
    # Joint, 58 and 57, pensions 30,000 / 10,000 (split given): separately 988 - 110 = 878 and
    # 60.50 - 110 -> 0: 878 (a pooled credit would have given 1,048.50 - 220 = 828.50).
    r = one(filing_status="married_joint", age_head=58, age_spouse=57, federal_agi=40_000,
            taxable_distributions=40_000, periodic_distributions=40_000,
            spouse_distributions=10_000, spouse_periodic_distributions=10_000, spouse_wages=0,
            spouse_social_security=0, spouse_other_income=0)
    assert r["state_income_tax"] == pytest.approx(878.0)
    assert r["reasons"]["STATE_DE_COMBINED_SEPARATE"]


def test_the_choice_of_return_is_made_after_the_credits():
    # Joint, 62 and 58, the head's 401(k) 18,000, the spouse's 5,500 (split given).  Joint:
    # 23,500 - 12,500 = 11,000 (over 10,000 and at most 20,000: both tests met, but only the head
    # is 60: 2,000) -> 9,000 - 6,500 = 2,500: 2.2% x 500 = 11; less 330 -> 0.  Separately: the
    # head 18,000 - 12,500 = 5,500 (at most 10,000: 2,000) -> 3,500 - 3,250 = 250: 0; the spouse
    # 5,500 - 3,250 = 2,250: 2.2% x 250 = 5.50 - 110 -> 0.  Before the credits the separate
    # returns (5.50) were less than the joint one (11); after them both are 0: the joint return
    # is kept (no combined separate returns said).
    r = spouses((62, 18_000), (58, 5_500))
    assert r["state_income_tax"] == 0 and not r["reasons"]["STATE_DE_COMBINED_SEPARATE"]


def door_case(birth_date: str) -> dict:
    """The reviewer's case: single, Delaware, separated 2026-01-30, no other income, $30,000
    in cash from a 401(k) on 2026-06-01."""
    return {"id": "de", "person": {"birth_date": birth_date, "filing_status": "single",
                                   "state": "DE"},
            "employment": {"status": "separated", "hire_date": "2000-01-03",
                           "separation_date": "2026-01-30"},
            "income": {"wages": 0}, "plan": {"type": "401k"},
            "account": {"sources": {"elective_deferral": {"balance": 300_000},
                                    "match": {"balance": 50_000}}},
            "request": {"date": "2026-06-01", "amount": 30_000, "destination": "cash"}}


@pytest.mark.parametrize("birth_date,hand", [("1964-01-15", 245.0), ("1969-01-15", 988.125)])
def test_assess_gives_the_tax_after_the_credits(birth_date, hand):
    # 2026 (the same Delaware figures): 62 -> 465 - 220 = 245; 57 -> 1,098.125 - 110 = 988.125
    # (988.13 to the cent).  With no other income the tax without the payment is 0.
    (r,) = assess_cases([parse_case(door_case(birth_date))])
    o = next(o for o in r["outcomes"] if o["route"] == "separation" and o["destination"] == "cash")
    assert o["state_covered"] is True
    assert o["state_income_tax_increase"] == pytest.approx(hand, abs=0.006)


@pytest.mark.oracle
@pytest.mark.slow
def test_against_policyengine_us():
    """PolicyEngine-US 2.68 ``de_income_tax`` (after its personal credits, its choice of the
    joint or combined separate returns made after them) on the hand-worked units above."""
    pytest.importorskip("policyengine_us")
    from policyengine_us import Simulation

    def theirs(head, spouse) -> float:
        people = {"h": {"age": {"2025": head[0]},
                        "taxable_401k_distributions": {"2025": float(head[1])}}}
        if spouse is not None:
            people["s"] = {"age": {"2025": spouse[0]},
                           "taxable_401k_distributions": {"2025": float(spouse[1])}}
        members = list(people)
        status = "JOINT" if spouse is not None else "SINGLE"
        sim = Simulation(situation={
            "people": people,
            "tax_units": {"t": {"members": members, "filing_status": {"2025": status}}},
            "households": {"hh": {"members": members, "state_code": {"2025": "DE"}}},
            "families": {"f": {"members": members}}, "spm_units": {"x": {"members": members}},
            "marital_units": {"m": {"members": members}}})
        return float(sim.calculate("de_income_tax", 2025)[0])

    for head, spouse, hand in CASES:
        assert theirs(head, spouse) == pytest.approx(hand, abs=0.01), (head, spouse)
        assert ours(head, spouse) == pytest.approx(hand, abs=0.01)
