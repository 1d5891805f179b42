"""A governmental 457(b) with money rolled in from other plans: two Forms 1099-R where the two
kinds of money take two codes.

The 10% additional tax reaches only the money rolled into a governmental 457(b) from a
qualified plan, a 403(b) or an IRA (IRC §72(t)(9)).  Before 59½ with no exception the payer
knows, the rolled-in money takes code 1 and the 457(b)'s own money code 2 — "a governmental
section 457(b) plan distribution that is not subject to the additional 10% tax" — and "if two
or more other numeric codes are applicable, you must file more than one Form 1099-R"
(Instructions for Forms 1099-R and 5498, Box 7 and the Guide to Distribution Codes).  Where
both take the same code (7 past 59½, 2 under a known exception) one form carries all of it.

Expected figures by hand: boxes 1 and 2a are each kind's dollars (pre-tax money: all taxable);
box 4 is the payment's withholding, 20% of the taxable amount paid (§3405(c)), shared among the
forms in proportion to their taxable amounts.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.jobs import run_job
from dist401k.law import default_law

#: The reviewer's case: born 1985, left a governmental 457(b) on 2025-12-15; 50,000 of its own
#: deferrals and 20,000 rolled in from a 401(k); the whole account in cash on 2026-11-23.
G457 = {
    "person": {"birth_date": "1985-01-01", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2010-01-01",
                   "separation_date": "2025-12-15"},
    "plan": {"type": "governmental_457b", "governmental": True},
    "account": {"sources": {"elective_deferral": {"balance": 50000},
                            "rollover_pretax": {"balance": 20000}}},
    "request": {"date": "2026-11-23", "destination": "cash"},
}


def _outcome(case: dict, route: str = "separation", dest: str = "cash") -> dict:
    result = assess_cases([parse_case(case)])[0]
    return next(o for o in result["outcomes"]
                if o["route"] == route and o["destination"] == dest)


def _forms(o: dict) -> dict[str, dict]:
    return {f["part"]: f for f in o["form_1099r"]}


def _with(base: dict, **changes) -> dict:
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for path, value in changes.items():
        head, last = path.split("__")
        out[head] = {**out[head], last: value}
    return out


def test_the_457bs_own_money_on_a_code_2_form_and_the_rolled_in_money_on_code_1():
    o = _outcome(G457)
    f = _forms(o)
    assert set(f) == {"pretax_cash", "pretax_cash_457"}
    rolled_in, own = f["pretax_cash"], f["pretax_cash_457"]
    assert (rolled_in["box_1"], rolled_in["box_2a"], rolled_in["box_7"]) == (20000, 20000, "1")
    assert (own["box_1"], own["box_2a"], own["box_7"]) == (50000, 50000, "2")
    # 20% of 70,000 = 14,000: 4,000 on the 20,000 and 10,000 on the 50,000.
    assert o["withholding"] == 14000
    assert (rolled_in["box_4"], own["box_4"]) == (4000, 10000)
    assert rolled_in["box_2b_total_distribution"] and own["box_2b_total_distribution"]
    assert o["form_1099r_codes"] == ["1", "2"]
    # The 10% tax is on the rolled-in 20,000 only, as before.
    assert o["additional_tax_72t"] == 2000


def test_one_form_where_both_kinds_take_the_same_code():
    # Past 59½ (born 1960): code 7 for all of it.
    old = _outcome(_with(G457, person__birth_date="1960-01-01"))
    assert [(f["part"], f["box_1"], f["box_7"]) for f in old["form_1099r"]] == [
        ("pretax_cash", 70000, "7")]
    # A qualified public safety employee who left at 50 or later (born 1975, left 2025 at 50):
    # the exception covers the rolled-in money, code 2 for all of it (§72(t)(10)).
    safe = _outcome(_with(G457, person__birth_date="1975-01-15",
                          person__qualified_public_safety=True))
    assert [(f["part"], f["box_1"], f["box_7"]) for f in safe["form_1099r"]] == [
        ("pretax_cash", 70000, "2")]


def test_only_457b_money_with_rolled_in_roth_money_splits_the_roth_form_too():
    # 30,000 of deferrals; designated Roth: 10,000 of the plan's own (8,000 contributions) and
    # 10,000 rolled in (6,000 contributions), the account's first Roth year 2023 (not
    # qualified).  The designated Roth money is one contract (Treas. Reg. §1.402A-1, Q&A-9(a)):
    # 14,000 of 20,000 is investment, so each 10,000 paid is 3,000 earnings and 7,000 recovered.
    # Only the rolled-in Roth earnings, 3,000, are subject to the 10% tax: code 1 (B1) for them,
    # 2 and B2 for the 457(b)'s own money.
    case = _with(G457, account__sources={
        "elective_deferral": {"balance": 30000},
        "roth_deferral": {"balance": 10000, "contributions": 8000, "first_year": 2023},
        "rollover_roth": {"balance": 10000, "contributions": 6000, "first_year": 2023}})
    o = _outcome(case)
    f = _forms(o)
    assert set(f) == {"pretax_cash_457", "roth_cash", "roth_cash_457"}
    boxes = {p: (x["box_1"], x["box_2a"], x["box_5"], x["box_7"], x["box_11"])
             for p, x in f.items()}
    assert boxes == {"pretax_cash_457": (30000, 30000, 0, "2", None),
                     "roth_cash": (10000, 3000, 7000, "B1", 2023),
                     "roth_cash_457": (10000, 3000, 7000, "B2", 2023)}
    # 20% of the 36,000 taxable = 7,200: 6,000, 600 and 600 by taxable amount.
    assert o["withholding"] == 7200
    assert {p: x["box_4"] for p, x in f.items()} == {
        "pretax_cash_457": 6000, "roth_cash_457": 600, "roth_cash": 600}
    assert o["additional_tax_72t"] == 300


def test_a_loan_offset_of_457b_money_is_2m_and_rolled_in_money_1m():
    # The loan of 14,000 is taken pro rata from the 50,000 and the 20,000: 10,000 and 4,000.
    owing = _with(G457, employment__separation_date="2026-06-30",
                  plan__loans={"allowed": True},
                  account__loans={"outstanding": 14000, "count": 1})
    o = _outcome(owing, "loan_offset")
    assert [(f["part"], f["box_1"], f["box_7"]) for f in o["form_1099r"]] == [
        ("pretax_cash", 4000, "1M"), ("pretax_cash_457", 10000, "2M")]
    # All of it the plan's own money: 2M alone (formerly 1M, though no 10% tax is due).
    own = _with(owing, account__sources={"elective_deferral": {"balance": 70000}})
    o = _outcome(own, "loan_offset")
    assert [(f["part"], f["box_1"], f["box_7"]) for f in o["form_1099r"]] == [
        ("pretax_cash", 14000, "2M")]
    assert o["additional_tax_72t"] == 0


def test_a_direct_rollover_is_one_code_g_form():
    o = _outcome(_with(G457, request__destination="all"), dest="traditional_ira")
    assert [(f["part"], f["box_1"], f["box_7"]) for f in o["form_1099r"]] == [
        ("rolled_pretax", 70000, "G")]


def test_the_forms_job_gives_the_same_two_forms_as_assess():
    row = {"participant_id": ["G457"], "request_date": [dt.date(2026, 11, 23)],
           "birth_date": [dt.date(1985, 1, 1)], "plan_type": ["governmental_457b"],
           "governmental": [True], "employment_status": ["separated"],
           "hire_date": [dt.date(2010, 1, 1)], "separation_date": [dt.date(2025, 12, 15)],
           "balance_elective_deferral": [50000.0], "balance_rollover_pretax": [20000.0],
           "request_route": ["separation"], "request_destination": ["cash"]}
    [out] = run_job(pa.table(row), "forms", default_law()).to_pylist()
    assert out["status"] == "ok" and out["form_1099r_codes"] == "1;2"
    forms = _forms(_outcome(G457))
    for part in ("pretax_cash", "pretax_cash_457"):
        assert out[f"form_{part}_issued"] is True
        for box in ("box_1", "box_2a", "box_4", "box_5", "box_7"):
            assert out[f"form_{part}_{box}"] == pytest.approx(forms[part][box]), (part, box)
    assert out["form_pretax_cash_457_box_7"] == "2" and out["form_pretax_cash_457_box_1"] == 50000
    assert out["form_roth_cash_457_issued"] is False
    assert out["form_roth_cash_457_box_1"] is None


def test_form_5329_is_not_needed_where_the_two_forms_tell_it_all():
    """Instructions for Form 5329, "Who Must File": not needed where box 7 has code 1 and the
    10% is owed on all of it (Schedule 2, line 8), nor for a code-2 form whose exception covers
    all of it: the two forms of the split payment say everything (line 2 still shows the
    457(b)'s own money, exception 13)."""
    f = _outcome(G457)["form_5329"]
    assert (f["line_1"], f["line_2"], f["line_3"]) == (70000.0, 50000.0, 20000.0)
    assert f["line_2_exception"] == "13" and f["line_4"] == pytest.approx(2000.0)
    assert f["required"] is False
