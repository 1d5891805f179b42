"""State withholding from a payment that mixes the year's required minimum distribution with an
eligible rollover distribution: the state's rule reads each part with its own federal
withholding (docs/state.md, "Withholding"), worked by hand from the law files.

Three payments in cash, each with no election, with a Form W-4R rate of 0 (the federal 10% on
the part that is not an eligible rollover distribution elected away, §3405(b)(2); the 20% of
§3405(c) cannot be), and with an elected state rate of 0:

- ERD: Pat (examples/cases/pat-california-rule-of-55.yaml, born 1969) takes $40,000 after
  separation: all an eligible rollover distribution, federal 20% = $8,000 either way.
- RMD: born 1950-03-01, separated 2015, $240,000 on December 31, 2024: the 2025 RMD is
  240,000 / 24.6 (Uniform Lifetime Table, age 75) = $9,756.10, paid alone: not an eligible
  rollover distribution (IRC §402(c)(4)(B)), federal 10% = $975.61, none with W-4R 0.
- MIX: the same person takes $60,000: the first $9,756.10 is the RMD (Treas. Reg.
  §1.402(c)-2, Q&A-7), federal $975.61 (none with W-4R 0); the other $50,243.90 is an eligible
  rollover distribution, federal 20% = $10,048.78; in all $11,024.39 ($10,048.78 with W-4R 0).

Each state's rule (law/params/state/<xx>/withholding_*), applied to each part:

- MD 7.75% of an eligible rollover distribution subject to mandatory federal withholding, no
  election out (Tax-Gen. §10-908(f)); anything else only on request (§10-907(b)):
  MIX 0.0775 × 50,243.90 = 3,893.90 whatever is elected.
- NC 4% of a nonperiodic distribution from which federal tax is withheld; election out "to the
  extent permitted by section 3405" — not on the eligible rollover part (G.S. §105-163.2A(c),
  (d)): MIX 2,400.00; W-4R 0 or state 0: 0.04 × 50,243.90 = 2,009.76.
- MA, ME, NE 5% with federal, no election out while federal is withheld: MIX 3,000.00; W-4R 0:
  0.05 × 50,243.90 = 2,512.20; state 0: 3,000.00; RMD 0.05 × 9,756.10 = 487.81.
- OR 8% with federal, may elect out: MIX 4,800.00; W-4R 0: 0.08 × 50,243.90 = 4,019.51.
- OK the 2025 top rate 4.75% of every nonperiodic payment unless opted out on Form OK-W-4-R,
  federal or not (OAC 710:90-1-13(c)): MIX 2,850.00, W-4R 0 too, unless the state rate 0 is
  elected.
- CA 10% and VT 30% of the federal withholding (the same on the parts as on the whole):
  CA MIX 1,102.44, W-4R 0 1,004.88; VT MIX 3,307.32, W-4R 0 3,014.63, no election out.
- MI 4.25%, MN 6.25% of every taxable payment unless opted out, federal or not:
  MIX 2,550.00, 3,750.00 unless the state rate 0 is elected.
- CT (the payments are of 2025): not figured from 2025, null whatever is elected
  (STATE_WITHHOLDING_RULE_UNREAD; tests/tax/state/test_connecticut_withholding_2025.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from api.test_state_doors import pat
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.law import default_law
from dist401k.state_withholding import Parts, state_withholding

LAW = default_law()

OLD = {"person__birth_date": "1950-03-01", "employment__separation_date": "2015-12-31",
       "account__prior_year_end_balance": 240000, "request__date": "2025-10-15"}
PAYMENTS = {"ERD": {}, "RMD": {**OLD, "request__amount": 9756.10},
            "MIX": {**OLD, "request__amount": 60000}}
ELECTIONS = {"none": {}, "w4r0": {"request__withholding_rate": 0.0},
             "state0": {"request__state_withholding_rate": 0.0}}

#: Federal withholding of each payment and election (hand-worked above).
FEDERAL = {("ERD", "none"): 8000.00, ("ERD", "w4r0"): 8000.00, ("ERD", "state0"): 8000.00,
           ("RMD", "none"): 975.61, ("RMD", "w4r0"): 0.0, ("RMD", "state0"): 975.61,
           ("MIX", "none"): 11024.39, ("MIX", "w4r0"): 10048.78, ("MIX", "state0"): 11024.39}

#: State withholding, by state: {payment: (none, w4r0, state0)}.
EXPECTED = {
    "MD": {"ERD": (3100.00, 3100.00, 3100.00), "RMD": (0.0, 0.0, 0.0),
           "MIX": (3893.90, 3893.90, 3893.90)},
    "NC": {"ERD": (1600.00, 1600.00, 1600.00), "RMD": (390.24, 0.0, 0.0),
           "MIX": (2400.00, 2009.76, 2009.76)},
    "MA": {"ERD": (2000.00, 2000.00, 2000.00), "RMD": (487.81, 0.0, 487.81),
           "MIX": (3000.00, 2512.20, 3000.00)},
    "ME": {"ERD": (2000.00, 2000.00, 2000.00), "RMD": (487.81, 0.0, 487.81),
           "MIX": (3000.00, 2512.20, 3000.00)},
    "NE": {"ERD": (2000.00, 2000.00, 2000.00), "RMD": (487.81, 0.0, 487.81),
           "MIX": (3000.00, 2512.20, 3000.00)},
    "OR": {"ERD": (3200.00, 3200.00, 0.0), "RMD": (780.49, 0.0, 0.0),
           "MIX": (4800.00, 4019.51, 0.0)},
    "CA": {"ERD": (800.00, 800.00, 0.0), "RMD": (97.56, 0.0, 0.0),
           "MIX": (1102.44, 1004.88, 0.0)},
    "VT": {"ERD": (2400.00, 2400.00, 2400.00), "RMD": (292.68, 0.0, 292.68),
           "MIX": (3307.32, 3014.63, 3307.32)},
    "MI": {"ERD": (1700.00, 1700.00, 0.0), "RMD": (414.63, 414.63, 0.0),
           "MIX": (2550.00, 2550.00, 0.0)},
    "OK": {"ERD": (1900.00, 1900.00, 0.0), "RMD": (463.41, 463.41, 0.0),
           "MIX": (2850.00, 2850.00, 0.0)},
    "MN": {"ERD": (2500.00, 2500.00, 0.0), "RMD": (609.76, 609.76, 0.0),
           "MIX": (3750.00, 3750.00, 0.0)},
}

ROWS = [(state, payment, election, EXPECTED[state][payment][i])
        for state in EXPECTED for payment in PAYMENTS for i, election in enumerate(ELECTIONS)]


@pytest.fixture(scope="module")
def answers() -> dict[tuple[str, str, str], dict]:
    """Every row's cash outcome of the separation route, assessed as one batch."""
    cases = [parse_case(pat(**{"person__state": state}, **PAYMENTS[payment],
                            **ELECTIONS[election])) for state, payment, election, _ in ROWS]
    out = {}
    for (state, payment, election, _), answer in zip(ROWS, assess_cases(cases), strict=True):
        out[state, payment, election] = next(
            o for o in answer["outcomes"]
            if o["route"] == "separation" and o["destination"] == "cash")
    return out


@pytest.mark.parametrize("state, payment, election, withheld", ROWS)
def test_each_part_follows_the_states_rule(answers, state, payment, election, withheld):
    o = answers[state, payment, election]
    assert o["withholding"] == pytest.approx(FEDERAL[payment, election], abs=0.005)
    assert o["state_withholding"] == pytest.approx(withheld, abs=0.005)
    assert o["check_received"] == pytest.approx(
        o["gross"] - o["withholding"] - withheld, abs=0.005)
    codes = {r["code"] for r in o["reasons"]}
    assert ("STATE_WITHHOLDING_SPLIT" in codes) == (payment == "MIX")


def test_maryland_says_which_part_is_voluntary(answers):
    """MIX in Maryland: the eligible rollover part cannot be elected away, the RMD part is
    withheld from only on request — both said, with the split that explains them."""
    codes = {r["code"] for r in answers["MD", "MIX", "none"]["reasons"]}
    assert {"STATE_WITHHOLDING_WITH_FEDERAL", "STATE_WITHHOLDING_NO_ELECTION_OUT",
            "STATE_WITHHOLDING_VOLUNTARY", "STATE_WITHHOLDING_SPLIT"} <= codes


def test_north_carolina_takes_the_election_on_the_rmd_part_only(answers):
    codes = {r["code"] for r in answers["NC", "MIX", "state0"]["reasons"]}
    assert {"STATE_WITHHOLDING_ELECTION_BELOW_REQUIRED", "STATE_WITHHOLDING_ELECTED",
            "STATE_WITHHOLDING_MAY_ELECT_OUT", "STATE_WITHHOLDING_NO_ELECTION_OUT"} <= codes


def test_the_form_1099r_box_14_carries_the_split_amount(answers):
    form = next(f for f in answers["MD", "MIX", "none"]["form_1099r"] if f["part"] == "pretax_cash")
    assert form["box_14"] == pytest.approx(3893.90, abs=0.005) and form["box_15"] == "MD"


def test_a_60_day_rollover_makes_up_the_states_withholding_on_the_eligible_part_only():
    """MIX in Maryland rolled over within 60 days: the $50,243.90 eligible part is put back
    whole, so the federal $10,048.78 and Maryland's $3,893.90 on it come from other money; the
    RMD part's $975.61 stays withheld from the RMD."""
    answer = assess_cases([parse_case(pat(**{"person__state": "MD"}, **PAYMENTS["MIX"],
                                          request__destination="all"))])[0]
    o = next(o for o in answer["outcomes"]
             if o["route"] == "separation" and o["destination"] == "indirect_60day")
    assert o["state_withholding"] == pytest.approx(3893.90, abs=0.005)
    assert o["makeup_needed"] == pytest.approx(10048.78 + 3893.90, abs=0.005)


def test_the_rule_by_parts_directly():
    """The function itself, 2025: a $10,000 taxable payment of which $6,000 is an eligible
    rollover distribution ($1,200 federal) and $4,000 the RMD ($400 federal, or none).
    Maryland 7.75% × 6,000 = $465 either way; North Carolina 4% × 10,000 = $400, or
    4% × 6,000 = $240 without federal on the RMD part; Minnesota 6.25% × 10,000 = $625 either
    way; California 10% of the federal: $160, $120."""
    st = np.array(["MD", "NC", "MN", "CA"] * 2)
    fed = np.array([1600.0] * 4 + [1200.0] * 4)
    out = state_withholding(LAW, st, np.full(8, 2025), np.full(8, 10_000.0), fed,
                            Parts(np.ones(8, bool), np.full(8, 6_000.0), np.full(8, 1_200.0)),
                            np.full(8, 1950.0))
    np.testing.assert_allclose(out.amount, [465, 400, 625, 160, 465, 240, 625, 120])
    assert out.erd is not None
    np.testing.assert_allclose(out.erd, [465, 240, 375, 120] * 2)
    assert out.reasons["STATE_WITHHOLDING_SPLIT"].all()


def test_a_maryland_beneficiary_payment_beyond_the_required_amount_is_withheld():
    """A nephew's $20,000 from his uncle's 401(k) in 2026
    (examples/cases/inherited-ten-year-after-rbd.yaml): federal $3,543.36 is 20% of the part
    above the year's required amount and 10% of the rest, so the eligible rollover part is
    (3,543.36 − 2,000) / 0.1 = $15,433.60; Maryland withholds 7.75% of it = $1,196.10 (before:
    none, the whole payment taken as not an eligible rollover distribution)."""
    from api.conftest import example

    case = example("inherited-ten-year-after-rbd")
    case["person"]["state"] = "MD"
    # without the missed 2025 amount, which would be owed this year too (required, 10%)
    case["beneficiary"]["missed"] = [m for m in case["beneficiary"]["missed"] if m["year"] != 2025]
    o = next(o for o in assess_cases([parse_case(case)])[0]["outcomes"]
             if o["destination"] == "cash")
    assert o["withholding"] == pytest.approx(3543.36, abs=0.005)
    assert o["state_withholding"] == pytest.approx(1196.10, abs=0.005)
