"""A state's withholding from a periodic payment, and Connecticut's from a lump sum of the whole
balance (docs/state.md, "Withholding").

The case: single, born 1975-06-12, separated 2025-12-13 from a 401(k) of $180,000 elective
deferrals + $60,000 match, asking on 2026-03-16 in cash for

- **per**: one $2,000 monthly payment of a life annuity (``request.series: life``, 12 a year,
  started 2026-01-01): no eligible rollover distribution (IRC §402(c)(4)(A)); the federal is
  withheld as wages (§3405(a)), with no W-4P $65.83 (Pub. 15-T, Worksheet 1A: 24,000 − 8,600 =
  15,400; 10% of 15,400 − 7,500 = 790.00; / 12 = 65.83);
- **lump**: $40,000 (an eligible rollover distribution, federal 20% = $8,000);
- **whole**: the whole $240,000 balance (federal 20% = $48,000).

Expected, from each state's own text:

- Oklahoma (OAC 710:90-1-13(b): "The amount to be withheld from a periodic payment is
  determined as if it were a payment of wages", with no certificate as married claiming three
  allowances; the top rate of (c) is for non-periodic payments), Oregon (OAR 150-316-0305(3):
  "as if the payment were wages using the withholding tables"; the 8% of (4) is nonperiodic),
  Maine (Rule 803 §.05(C): "calculated in the same manner as … from wages"; 5% of §.05(B)(6) is
  non-periodic), North Carolina (NC-4P: "figured in the same manner as withholding from wages";
  4% nonperiodic), Nebraska (LB 216: periodic "in the same manner as withholding from wages";
  5% nonperiodic/ERD), Connecticut (DRS, Pension payers: periodic by the employers' tables or
  TPG-211 with CT-W4P; 6.99% nonperiodic), Georgia (G-4P, O.C.G.A. §48-7-101: a periodic payment
  is withheld from as wages with an option to avoid it; a nonperiodic one only on election):
  dist401k has no state wage tables, so the periodic amount is unknown — null, with
  STATE_WITHHOLDING_AMOUNT_NOT_FIGURED and STATE_WITHHOLDING_PERIODIC_AS_WAGES, box 14 null —
  never the nonperiodic rate ($90, $160, $100, $80, $100, $139.80, $0 before).
- The $40,000 lump sum keeps the nonperiodic rule: OK 4.5% (the top of ok/rates for 2026) =
  $1,800; OR 8% = $3,200; ME 5% = $2,000; NC 4% = $1,600; NE 5% = $2,000; CT 6.99% = $2,796;
  GA none unless asked (G-4P) = $0.
- California (Cal. UIC §13028(c)(3), 10% of the federal withholding, a payer's lawful option for
  a periodic payment): 10% × 65.83 = $6.58; Michigan (Treasury, Withholding for Pension
  Administrators: no MI W-4P, born 1946 or later, 4.25% on all taxable pension distributions):
  4.25% × 2,000 = $85.00 — unchanged.
- Connecticut, the whole $240,000 in cash (a lump-sum distribution not rolled over; P.A. 17-147,
  Conn. Gen. Stat. §12-705(b); DRS Tax Alert, Feb. 2019: "mandatory withholding at the rate of
  6.99% for all lump-sum distributions where the distribution is not entirely rolled over"):
  6.99% × 240,000 = $16,776.00 even with an election of 0 (no election out); before, $0.

Connecticut's rule is read through 2024, so its nonperiodic cases are asked a year earlier
(separated 2023-12-13, asking on 2024-03-16): from 2025 its withholding is not figured (null,
STATE_WITHHOLDING_RULE_UNREAD, the 2026 periodic payment too;
tests/tax/state/test_connecticut_withholding_2025.py).
"""

from __future__ import annotations

import copy

import numpy as np
import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.state_withholding import Parts, state_withholding

LAW = default_law()

BASE = {
    "id": "per",
    "person": {"birth_date": "1975-06-12", "filing_status": "single", "state": "OK"},
    "employment": {"status": "separated", "hire_date": "2009-02-02",
                   "separation_date": "2025-12-13"},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 180000},
                            "match": {"balance": 60000}}},
    "request": {"date": "2026-03-16", "amount": 2000, "destination": "cash", "series": "life",
                "series_payments_per_year": 12, "annuity_start_date": "2026-01-01"},
}

AS_WAGES = ("OK", "OR", "ME", "NC", "NE", "GA")  # and Connecticut's through 2024 (above)
#: Connecticut's dates: its 2018 rule is read through 2024 (from 2025: not figured).
SEPARATED_CT, ASKED_CT = "2023-12-13", "2024-03-16"
LUMP = {"OK": 1800.00, "OR": 3200.00, "ME": 2000.00, "NC": 1600.00, "NE": 2000.00,
        "CT": 2796.00, "GA": 0.0}


def case(state: str, amount: float | None = None, periodic: bool = True,
         elected: float | None = None) -> dict:
    c = copy.deepcopy(BASE)
    c["person"]["state"] = state
    if state == "CT":
        c["employment"]["separation_date"] = SEPARATED_CT
        c["request"]["date"] = ASKED_CT
    if not periodic:
        for k in ("series", "series_payments_per_year", "annuity_start_date"):
            c["request"].pop(k)
    if amount is not None:
        c["request"]["amount"] = amount
    if elected is not None:
        c["request"]["state_withholding_rate"] = elected
    return c


def cash(c: dict) -> dict:
    answer = assess_cases([parse_case(c)])[0]
    return next(o for o in answer["outcomes"]
                if o["destination"] == "cash" and o["route"] == "separation")


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"] if r["code"].startswith("STATE_WITHHOLDING")}


def box_14(o: dict):
    return next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")["box_14"]


@pytest.mark.parametrize("state", AS_WAGES)
def test_a_periodic_payment_is_withheld_as_wages_not_figured(state):
    o = cash(case(state))
    assert o["withholding"] == pytest.approx(65.83, abs=0.005)
    assert o["state_withholding"] is None
    assert box_14(o) is None
    assert {"STATE_WITHHOLDING_AMOUNT_NOT_FIGURED",
            "STATE_WITHHOLDING_PERIODIC_AS_WAGES"} <= codes(o)
    assert "STATE_WITHHOLDING_VOLUNTARY" not in codes(o)


@pytest.mark.parametrize("state", (*AS_WAGES, "CT"))
def test_the_nonperiodic_payment_keeps_its_rule(state):
    o = cash(case(state, 40000, periodic=False))
    assert o["withholding"] == 8000.00
    assert o["state_withholding"] == LUMP[state]
    assert box_14(o) == LUMP[state]
    assert "STATE_WITHHOLDING_PERIODIC_AS_WAGES" not in codes(o)


@pytest.mark.parametrize("state, withheld", [("CA", 6.58), ("MI", 85.00)])
def test_california_and_michigan_periodic_unchanged(state, withheld):
    o = cash(case(state))
    assert o["state_withholding"] == withheld and box_14(o) == withheld
    assert "STATE_WITHHOLDING_PERIODIC_AS_WAGES" not in codes(o)


def test_an_election_out_of_a_periodic_payment_is_honoured_where_allowed():
    """Oklahoma (OAC 710:90-1-13(b)(2): "The recipient can choose not to have tax withheld"),
    Georgia (an option to avoid withholding): an election of 0 gives $0; of 5%: $100.00."""
    for state in ("OK", "GA"):
        assert cash(case(state, elected=0.0))["state_withholding"] == 0.0
        assert cash(case(state, elected=0.05))["state_withholding"] == 100.00


def test_the_rule_reads_the_periodic_flag():
    """The rule itself, a batch of four: OK and CA, periodic and not, $2,000 taxable, $65.83
    federal: OK periodic unknown, OK nonperiodic 4.5% = $90.00; CA 10% of 65.83 = $6.58 both."""
    n = 4
    parts = Parts(np.zeros(n, bool), np.zeros(n), np.zeros(n), np.zeros(n, bool),
                  np.array([True, False, True, False]))
    out = state_withholding(LAW, np.array(["OK", "OK", "CA", "CA"]), np.full(n, 2026),
                            np.full(n, 2000.0), np.full(n, 65.83), parts)
    assert np.isnan(out.amount[0]) and not out.covered[0]
    assert out.amount[1:].tolist() == pytest.approx([90.00, 6.58, 6.58], abs=0.005)
    assert out.reasons["STATE_WITHHOLDING_PERIODIC_AS_WAGES"].tolist() == [True, False, False,
                                                                           False]


@pytest.mark.parametrize("elected", [None, 0.0])
def test_connecticut_whole_balance_has_no_election_out(elected):
    o = cash(case("CT", 240000, periodic=False, elected=elected))
    assert o["withholding"] == 48000.00
    assert o["state_withholding"] == 16776.00 and box_14(o) == 16776.00
    assert {"STATE_WITHHOLDING_NO_ELECTION_OUT", "STATE_WITHHOLDING_LUMP_SUM"} <= codes(o)
    assert "STATE_WITHHOLDING_MAY_ELECT_OUT" not in codes(o)
    assert ("STATE_WITHHOLDING_ELECTION_BELOW_REQUIRED" in codes(o)) == (elected is not None)


def test_connecticut_partial_payment_may_still_be_elected_away():
    """$40,000 of $240,000: CT-W4P's exemption holds (DRS, Pension payers): 0 elected → $0."""
    o = cash(case("CT", 40000, periodic=False, elected=0.0))
    assert o["state_withholding"] == 0.0
    assert "STATE_WITHHOLDING_NOT_LUMP_SUM" not in codes(o)


def test_whole_balance_unknown_connecticut_known_where_it_does_not_matter():
    """A door that does not say whether the payment is the whole balance: Connecticut's 6.99%
    with no election is the same either way ($2,796.00 of $40,000); with an election of 0 it
    is $0 or $2,796.00: not covered. The District's: $0 or 10.75% — not covered."""
    out = state_withholding(LAW, np.array(["CT", "CT", "DC"]), np.array([2024, 2024, 2026]),
                            np.full(3, 40000.0), np.full(3, 8000.0), np.ones(3, bool),
                            elected=np.array([np.nan, 0.0, np.nan]))
    assert out.amount[0] == pytest.approx(2796.00, abs=0.005) and out.covered[0]
    assert np.isnan(out.amount[1:]).all() and not out.covered[1:].any()
    assert out.reasons["STATE_WITHHOLDING_NOT_COVERED"].tolist() == [False, True, True]


def _row(state: str, amount: float, periodic: bool) -> dict:
    ct = state == "CT"
    row = {"participant_id": f"{state}-{amount}",
           "request_date": ASKED_CT if ct else "2026-03-16",
           "birth_date": "1975-06-12", "plan_type": "401k", "filing_status": "single",
           "state": state, "employment_status": "separated", "hire_date": "2009-02-02",
           "separation_date": SEPARATED_CT if ct else "2025-12-13",
           "balance_elective_deferral": 180000.0,
           "balance_match": 60000.0, "request_route": "separation",
           "request_destination": "cash", "request_amount": amount}
    if periodic:
        row.update(request_series="life", request_series_payments_per_year=12,
                   request_annuity_start_date="2026-01-01")
    return row


def test_box_14_is_the_same_in_the_assess_answer_and_the_batch_forms():
    """Nebraska periodic (null), Nebraska $40,000 (5% = $2,000.00), Connecticut whole
    ($16,776.00): the batch forms job's state withholding and box 14 are the assess answer's."""
    cases = [("NE", 2000.0, True, None), ("NE", 40000.0, False, 2000.00),
             ("CT", 240000.0, False, 16776.00)]
    rows = [_row(s, a, p) for s, a, p, _ in cases]
    keys = sorted({k for r in rows for k in r})
    table = pa.table({k: [r.get(k) for r in rows] for k in keys})
    got = run_job(table, "forms", LAW).to_pylist()
    for (state, amount, periodic, want), row in zip(cases, got, strict=True):
        o = cash(case(state, amount, periodic))
        assert row["status"] == "ok"
        assert o["state_withholding"] == want and box_14(o) == want
        assert row["state_withholding"] == want, (state, amount)
        assert row["form_pretax_cash_box_14"] == want, (state, amount)
