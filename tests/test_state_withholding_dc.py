"""District of Columbia withholding from a plan distribution (docs/state.md, "Withholding").

D.C. Code §47-1812.08(m), as OTR Tax Notice 2022-08 states it: a lump-sum distribution from a
retirement plan — a payment of the payee's entire account balance — is withheld from at the
highest District income tax rate (the top of law/params/state/dc/rates: 10.75% in 2025 and
2026), except the part previously taxed and an eligible rollover distribution made as a direct
trustee-to-trustee transfer.  Any other payment: only at the payee's request (the 2012
amendment that limited the rule to lump sums, read in secondary accounts only).

Pat (examples/cases/pat-california-rule-of-55.yaml) living in the District, $240,000 in the
plan:

- $40,000 in cash: not the whole balance, none ($2,000 if she asks for 5%);
- the whole $240,000 in cash: 0.1075 × 240,000 = $25,800.00, beside the federal 20% = $48,000,
  with no election out; the 1099-R's box 2b (total distribution) is checked and box 14 shows it;
- the whole $240,000 rolled over directly: none; rolled over within 60 days: $25,800.00
  withheld, and the $48,000 + $25,800 = $73,800 withheld must be made up from other money;
- the whole balance with $20,000 of after-tax money whose basis is $15,000 (so $260,000 paid,
  $245,000 taxable): 0.1075 × 245,000 = $26,337.50 (what was taxed before is not withheld from).
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


def outcomes(**changes) -> dict[str, dict]:
    case = pat(person__state="DC", request__destination="all", **changes)
    answer = assess_cases([parse_case(case)])[0]
    return {o["destination"]: o for o in answer["outcomes"] if o["route"] == "separation"}


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"] if r["code"].startswith("STATE_WITHHOLDING")}


def test_a_partial_payment_is_withheld_from_only_on_request():
    o = outcomes(request__amount=40000)["cash"]
    assert o["withholding"] == 8000.00
    assert o["state_withholding"] == 0.0
    assert {"STATE_WITHHOLDING_VOLUNTARY", "STATE_WITHHOLDING_NOT_LUMP_SUM"} <= codes(o)
    asked = outcomes(request__amount=40000, request__state_withholding_rate=0.05)["cash"]
    assert asked["state_withholding"] == 2000.00
    assert "STATE_WITHHOLDING_ELECTED" in codes(asked)


def test_the_whole_balance_in_cash_is_withheld_at_the_top_rate():
    o = outcomes(request__amount=240000)["cash"]
    assert o["withholding"] == 48000.00
    assert o["state_withholding"] == 25800.00
    assert {"STATE_WITHHOLDING_LUMP_SUM", "STATE_WITHHOLDING_NO_ELECTION_OUT"} <= codes(o)
    assert "STATE_WITHHOLDING_NOT_COVERED" not in codes(o)
    assert o["check_received"] == 240000 - 48000 - 25800
    form = next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")
    assert form["box_2b_total_distribution"]
    assert form["box_14"] == 25800.00 and form["box_15"] == "DC"


def test_no_election_out_of_the_lump_sum_withholding():
    o = outcomes(request__amount=240000, request__state_withholding_rate=0.0)["cash"]
    assert o["state_withholding"] == 25800.00
    assert "STATE_WITHHOLDING_ELECTION_BELOW_REQUIRED" in codes(o)


def test_a_direct_rollover_is_not_withheld_from_a_60_day_one_is():
    out = outcomes(request__amount=240000)
    for dest in ("traditional_ira", "roth_ira", "other_plan"):
        assert out[dest]["state_withholding"] == 0.0, dest
        assert "STATE_WITHHOLDING_LUMP_SUM" not in codes(out[dest])
    sixty = out["indirect_60day"]
    assert sixty["state_withholding"] == 25800.00
    assert sixty["makeup_needed"] == 73800.00


def test_what_was_taxed_before_is_not_withheld_from():
    o = outcomes(request__amount=260000,
                 account__sources__after_tax={"balance": 20000, "basis": 15000})["cash"]
    assert o["taxable"] == 245000.00
    assert o["state_withholding"] == pytest.approx(26337.50, abs=0.005)


def test_the_rate_is_the_top_of_the_districts_rates_each_year():
    """The function itself: $10,000 taxable, the whole balance or not, 2025 and 2026."""
    out = state_withholding(LAW, np.array(["DC"] * 4), np.array([2025, 2026, 2025, 2026]),
                            np.full(4, 10_000.0), np.full(4, 2_000.0),
                            Parts(np.ones(4, bool), np.full(4, 10_000.0), np.full(4, 2_000.0),
                                  np.array([True, True, False, False])))
    top = np.max(LAW.get("state.dc.rates", np.array([2025, 2026])), axis=-1)
    np.testing.assert_allclose(out.amount, [10_000 * top[0], 10_000 * top[1], 0, 0])
    np.testing.assert_allclose(out.amount[:2], [1075.00, 1075.00])
    assert out.covered.all()


def test_not_covered_where_the_caller_cannot_tell_a_whole_balance_payment():
    out = state_withholding(LAW, np.array(["DC", "MD"]), np.full(2, 2025), np.full(2, 10_000.0),
                            np.full(2, 2_000.0), np.ones(2, bool))
    assert np.isnan(out.amount[0]) and not out.covered[0]
    assert out.reasons["STATE_WITHHOLDING_NOT_COVERED"].tolist() == [True, False]
    assert out.amount[1] == pytest.approx(775.00)


def test_a_lump_sum_is_of_what_the_participant_owns_not_of_money_forfeited():
    """A separated participant paid all the vested money of an account half of whose match is
    not vested: the whole balance the payee owns (the unvested $5,000 is forfeited), so DC's top
    rate: 10.75% × 35,000 = 3,762.50; Form 1099-R box 2b "total distribution" checked."""
    import yaml

    from dist401k.assess import assess_cases
    from dist401k.case import parse_case

    case = parse_case(yaml.safe_load("""
id: dc-unvested
person: {birth_date: 1970-03-10, filing_status: single, state: DC}
employment: {status: separated, hire_date: 2000-01-01, separation_date: 2025-06-01}
income: {wages: 50000}
plan: {type: 401k}
account:
  sources:
    elective_deferral: {balance: 30000}
    match: {balance: 10000, vested: 0.5}
request: {date: 2026-03-01, amount: max}
"""))
    row = next(o for o in assess_cases([case])[0]["outcomes"]
               if o["route"] == "separation" and o["destination"] == "cash")
    assert row["gross"] == 35000.0
    assert row["state_withholding"] == 3762.5
    assert [f["box_2b_total_distribution"] for f in row["form_1099r"]] == [True]
