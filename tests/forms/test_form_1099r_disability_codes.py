"""Box 7 of a disabled participant's designated Roth money (Instructions for Forms 1099-R and
5498, Guide to Distribution Codes).

The Guide's "used with" column: code B (designated Roth account distribution) is used with
"1, 2, 4, 7, 8, G, L, M, P, or U", and code 3 (disability) with "D" only — so B never pairs
with 3.  A disabled participant paid before 59½ has an early distribution with an exception
the payer knows (§72(t)(2)(A)(iii)): code 2 ("Early distribution, exception applies"), which
B does pair with.  The pre-tax money keeps code 3 on its own form.  (The column was read in
reproductions of the Guide for 2024 — yearli/Greatland's table — not on irs.gov; the 2016
Guide reads the same for B and 3.)  The mutation audit's C03 (``B3`` for ``B2``) passed every
form test: none reached this branch."""

from __future__ import annotations

from dist401k.assess import assess_cases
from dist401k.case import parse_case

#: Born 1976 (50 in 2026, under 59½), disabled, separated; $100,000 pre-tax and $50,000 of
#: designated Roth money ($40,000 contributions, first Roth year 2012), all in cash.
CASE = {
    "person": {"birth_date": "1976-05-10", "filing_status": "single", "disabled": True},
    "employment": {"status": "separated", "hire_date": "2001-03-01",
                   "separation_date": "2025-03-01"},
    "plan": {"type": "401k"},
    "account": {"sources": {
        "elective_deferral": {"balance": 100000},
        "roth_deferral": {"balance": 50000, "contributions": 40000, "first_year": 2012}}},
    "request": {"date": "2026-06-01", "amount": "max", "destination": "cash"},
}


def test_a_disabled_participants_roth_money_is_b2_never_b3():
    r = assess_cases([parse_case(CASE)])[0]
    forms = [f for o in r["outcomes"] if o["destination"] == "cash"
             for f in (o.get("form_1099r") or [])]
    codes = {f["part"]: f["box_7"] for f in forms}
    assert codes.get("roth_cash") == "B2"
    assert codes.get("pretax_cash") == "3"
    assert not any("3" in f["box_7"] and "B" in f["box_7"] for f in forms)
