"""A payment split into several Forms 1099-R: the forms add up to the payment to the cent.

Each box of Form 1099-R is an amount in dollars and cents, and the payer's forms report one
payment: over its forms box 1 is the gross distribution, box 2a the taxable amount, box 4 the
federal income tax withheld (Instructions for Forms 1099-R and 5498, boxes 1, 2a, 4: "enter
the total amount ... withheld"), which the payer also reports on Form 945 (Instructions for
Form 945, line 1: "federal income tax withheld from pensions ... and IRAs"; the IRS matches
the two), and box 14 the state tax withheld.  Form 5329, line 3: "Subtract line 2 from line
1" (Instructions for Form 5329, Part I), of the amounts entered on lines 1 and 2.

Before this was fixed each form's boxes were rounded on their own, so the forms of a payment
of code 1, 2 and B2 missed the withholding and the taxable amount by a cent, and line 3 was
rounded from the unrounded difference (the recordkeeper's case below).
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dist401k.assess import assess_cases
from dist401k.case import parse_case

#: The reviewer's participant (born 1991, separated from a governmental 457(b) in 2024):
#: the 457(b)'s own pre-tax and designated Roth money and money rolled in from a 401(k), the
#: whole account paid in cash on 2026-11-23.  Codes 1 (rolled-in money), 2 and B2.
CASE_16573 = {
    "id": "r16573",
    "person": {"birth_date": "1991-12-29", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2014-06-03",
                   "separation_date": "2024-04-16"},
    "income": {"wages": 0},
    "plan": {"type": "governmental_457b", "governmental": True},
    "account": {"prior_year_end_balance": 33825.61, "sources": {
        "elective_deferral": {"balance": 17802.95},
        "roth_deferral": {"balance": 4855.35, "contributions": 3398.74, "first_year": 2014},
        "match": {"balance": 8092.25, "vested": 1.0},
        "rollover_pretax": {"balance": 9710.7}}},
    "request": {"date": "2026-11-23", "amount": 36007.86, "destination": "cash"},
}


def _cents(x: float | None) -> int:
    """An amount as whole cents (sums of floats are not compared: cents are)."""
    return round((x or 0.0) * 100)


def _outcome(case: dict, route: str, destination: str) -> dict:
    result = assess_cases([parse_case(case)])[0]
    return next(o for o in result["outcomes"]
                if o["route"] == route and o["destination"] == destination)


def _box(forms: list[dict], box: str) -> int:
    return sum(_cents(f[box]) for f in forms)


def test_the_reviewers_three_forms_add_up_and_line_3_is_line_1_less_line_2():
    """Codes 1, 2 and B2 for one payment of 36,007.86: the outcome withholds 6,596.64 (20% of
    the 32,983.20 taxable, §3405(c)) and the three forms' box 4 must total that, not 6,596.65;
    box 2a must total 32,983.20, not 32,983.21.  Form 5329: line 1 32,983.20, line 2 24,341.32
    (the 457(b)'s own taxable money, §72(t)(9)), so line 3 = 32,983.20 − 24,341.32 =
    8,641.88 (it was 8,641.89), and line 4 10% of it, 864.19 (864.188 rounded)."""
    o = _outcome(CASE_16573, "separation", "cash")
    forms = o["form_1099r"]
    assert [f["box_7"] for f in forms] == ["1", "2", "B2"]
    assert _cents(o["withholding"]) == 659664 and _box(forms, "box_4") == 659664
    assert _cents(o["taxable"]) == 3298320 and _box(forms, "box_2a") == 3298320
    assert _box(forms, "box_1") == _cents(o["gross"]) == 3600786
    p = o["form_5329"]
    assert (_cents(p["line_1"]), _cents(p["line_2"])) == (3298320, 2434132)
    assert _cents(p["line_3"]) == 864188 and _cents(p["line_4"]) == 86419


def _money(lo: int, hi: int):
    """An amount in dollars and cents."""
    return st.integers(lo * 100, hi * 100).map(lambda c: c / 100)


@st.composite
def split_payments(draw) -> tuple[dict, str]:
    """A participant under 59½ who has left the job, with money that goes on several forms:
    pre-tax and designated Roth money (a Roth form beside a non-Roth one), after-tax money with
    basis in a 401(k), money rolled into a governmental 457(b) (code 1 beside code 2); a
    payment of part or all of it, in cash, put back in 60 days or rolled directly; a state of
    residence or none."""
    g457 = draw(st.booleans())
    roth = draw(_money(100, 90000))
    sources: dict = {
        "elective_deferral": {"balance": draw(_money(100, 400000))},
        "roth_deferral": {"balance": roth, "first_year": draw(st.integers(2008, 2024)),
                          "contributions": round(roth * draw(st.floats(0.05, 1.0)), 2)},
        "match": {"balance": draw(_money(0, 80000)), "vested": 1.0}}
    if g457:
        sources["rollover_pretax"] = {"balance": draw(_money(100, 120000))}
    else:
        after = draw(_money(0, 60000))
        sources["after_tax"] = {"balance": after,
                                "basis": round(after * draw(st.floats(0.0, 1.0)), 2)}
    total = sum(s["balance"] for s in sources.values())
    amount = draw(st.one_of(st.just("max"), _money(1000, 400000).filter(lambda a: a < total)))
    case = {
        "person": {"birth_date": f"{draw(st.integers(1968, 1995))}-0{draw(st.integers(1, 9))}-15",
                   "filing_status": draw(st.sampled_from(["single", "married_joint"]))},
        "employment": {"status": "separated", "hire_date": "2005-03-01",
                       "separation_date": "2025-06-30"},
        "income": {"wages": draw(st.integers(0, 150000))},
        "plan": ({"type": "governmental_457b", "governmental": True} if g457
                 else {"type": "401k"}),
        "account": {"sources": sources},
        "request": {"date": "2026-11-23", "amount": amount},
    }
    state = draw(st.sampled_from([None, "CA", "IA", "NC", "OR", "MI", "VA"]))
    if state:
        case["person"]["state"] = state
    return case, draw(st.sampled_from(["cash", "cash", "indirect_60day", "traditional_ira",
                                       "other_plan", "roth_ira"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(split_payments())
def test_every_split_box_adds_up_to_the_payment_to_the_cent(drawn):
    """Over a payment's forms, to the cent: box 1 = the gross; box 4 = the withholding; box
    14 = the state withholding where known; paid to the participant, box 2a = the taxable
    amount and box 5 = the amount not taxable (in cash; before 59½ nothing paid is a qualified Roth
    distribution, so every dollar not taxed is basis recovered: §72(e)(8), §402A(d)); box 16 =
    box 1 on each form; box 2a + box 5 never above box 1.  Form 5329 line 3 = line 1 − line 2."""
    case, destination = drawn
    o = _outcome(copy.deepcopy(case), "separation", destination)
    forms = o["form_1099r"]
    assume(len(forms) >= 2)
    assert _box(forms, "box_1") == _cents(o["gross"])
    assert _box(forms, "box_4") == _cents(o["withholding"])
    if destination == "cash":
        assert _box(forms, "box_2a") == _cents(o["taxable"])
        assert _box(forms, "box_5") == _cents(o["nontaxable"])
    state = [f["box_14"] for f in forms if "box_14" in f]
    if state and None not in state and "state_withholding" in o:
        assert sum(_cents(s) for s in state) == _cents(o["state_withholding"])
    for f in forms:
        assert 0 <= _cents(f["box_2a"]) and 0 <= _cents(f["box_5"]) and 0 <= _cents(f["box_4"])
        assert _cents(f["box_2a"]) + _cents(f["box_5"]) <= _cents(f["box_1"])
        assert f["box_16"] is None or _cents(f["box_16"]) == _cents(f["box_1"])
    p = o["form_5329"]
    if p is not None:
        assert _cents(p["line_3"]) == _cents(p["line_1"]) - _cents(p["line_2"])


def test_the_amount_not_taxable_is_the_gross_less_the_taxable_in_cents():
    """Found by the property above: $1,000.02 paid pro rata from $1,000.01 of qualified-in-time
    Roth contributions and $3,000.03 of pre-tax money is $750.015 taxable — $750.02 shown — so
    $250.00 is not taxable (box 1 − box 2a), not the $250.005 rounded up to $250.01 on its own."""
    case = {"person": {"birth_date": "1968-01-15", "filing_status": "single"},
            "employment": {"status": "separated", "hire_date": "2005-03-01",
                           "separation_date": "2025-06-30"},
            "income": {"wages": 0}, "plan": {"type": "401k"},
            "account": {"sources": {"elective_deferral": {"balance": 100.0},
                                    "roth_deferral": {"balance": 1000.01, "first_year": 2008,
                                                      "contributions": 1000.01},
                                    "match": {"balance": 0.0, "vested": 1.0},
                                    "after_tax": {"balance": 2900.03, "basis": 0.0}}},
            "request": {"date": "2026-11-23", "amount": 1000.02}}
    o = _outcome(case, "separation", "cash")
    assert (o["gross"], o["taxable"], o["nontaxable"]) == (1000.02, 750.02, 250.00)
    assert _box(o["form_1099r"], "box_5") == _cents(o["nontaxable"])
