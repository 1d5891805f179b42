"""Connecticut's withholding on plan distributions: the 2018 rule through 2024, not figured from
2025 (docs/state.md, "Withholding").

Through 2024 (P.A. 17-147, Conn. Gen. Stat. §12-705(b); CT DRS, Pension payers: "Nonperiodic
Payments: Payers are required to withhold 6.99% unless the payee completes Form CT-W4P"; a lump
sum of the whole balance not rolled over: 6.99% with no election out, DRS Tax Alert, Feb. 2019).
The case: single, born 1975-06-12, separated 2023-12-13 from a 401(k) of $180,000 elective
deferrals + $60,000 match (all pre-tax, all taxable), asking in cash:

- $40,000 (an eligible rollover distribution): federal 20% = $8,000.00; Connecticut 6.99% ×
  40,000 = $2,796.00; with CT-W4P code E (an elected rate of 0): $0.
- the whole $240,000: federal 20% = $48,000.00; Connecticut 6.99% × 240,000 = $16,776.00, an
  election of 0 or not.

From 2025 the rule changed, by two independent secondary accounts (Consortia, "Connecticut
Payroll Updates – December 2024": withholding only at the payee's request except lump sums of
more than $5,000 or more than 50% of the balance, whichever is less; Sovos, 15 July 2025: HB 7287
makes that lump-sum withholding voluntary from 1 July 2025 through 31 December 2026), whose text
(C.G.S. §12-705 as amended, P.A. 25-168, DRS IP 2025(1)/2026(1), Form CT-W4P) has not been read.
So from a 2025 or 2026 payment Connecticut's withholding is unknown: null, not covered, with the
reason STATE_WITHHOLDING_RULE_UNREAD alone — never the old $2,796.00 or $16,776.00 — in the case
door (``dist401k assess -f json``), the function and the batch (an error-free row, a null column).
The federal withholding and Connecticut's income tax are untouched.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.state_withholding import state_withholding

LAW = default_law()
UNREAD = "STATE_WITHHOLDING_RULE_UNREAD"

BASE = {
    "id": "ct",
    "person": {"birth_date": "1975-06-12", "filing_status": "single", "state": "CT"},
    "employment": {"status": "separated", "hire_date": "2009-02-02",
                   "separation_date": "2023-12-13"},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 180000},
                            "match": {"balance": 60000}}},
    "request": {"date": "2024-03-16", "amount": 40000, "destination": "cash"},
}


def case(date: str, amount: float = 40000, elected: float | None = None) -> dict:
    c = copy.deepcopy(BASE)
    c["request"].update(date=date, amount=amount)
    if elected is not None:
        c["request"]["state_withholding_rate"] = elected
    return c


def cash_of(answer: dict) -> dict:
    return next(o for o in answer["outcomes"]
                if o["destination"] == "cash" and o["route"] == "separation")


def cash(c: dict) -> dict:
    return cash_of(assess_cases([parse_case(c)])[0])


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"] if r["code"].startswith("STATE_WITHHOLDING")}


def box_14(o: dict):
    return next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")["box_14"]


@pytest.mark.parametrize("date", ["2024-03-16", "2024-12-31"])
@pytest.mark.parametrize("amount, elected, federal, withheld", [
    (40000, None, 8000.00, 2796.00), (40000, 0.0, 8000.00, 0.0),
    (240000, None, 48000.00, 16776.00), (240000, 0.0, 48000.00, 16776.00)])
def test_2024_keeps_the_2018_rule(date, amount, elected, federal, withheld):
    o = cash(case(date, amount, elected))
    assert o["withholding"] == federal
    assert o["state_withholding"] == withheld and box_14(o) == withheld
    assert UNREAD not in codes(o)


@pytest.mark.parametrize("date", ["2025-01-02", "2025-03-17", "2025-08-01", "2026-03-16"])
@pytest.mark.parametrize("amount, elected, federal", [
    (40000, None, 8000.00), (40000, 0.0, 8000.00), (240000, None, 48000.00),
    (240000, 0.0, 48000.00)])
def test_from_2025_not_figured_with_its_reason(date, amount, elected, federal):
    o = cash(case(date, amount, elected))
    assert o["withholding"] == federal
    assert o["state_withholding"] is None and box_14(o) is None
    assert codes(o) == {UNREAD}
    assert o["state_income_tax_increase"] is not None and o["state_covered"] is True


def test_the_reason_names_why():
    o = cash(case("2025-03-17"))
    said = next(r for r in o["reasons"] if r["code"] == UNREAD)
    words = json.dumps(said)
    assert "Connecticut" in words and "12-705" in words and "not read" in words


def test_the_function_by_year():
    """$40,000 taxable, $8,000 federal, an eligible rollover distribution, not the whole
    balance: 6.99% = $2,796.00 in 2024; unknown in 2025 and 2026."""
    out = state_withholding(LAW, np.array(["CT"] * 3), np.array([2024, 2025, 2026]),
                            np.full(3, 40000.0), np.full(3, 8000.0), np.ones(3, bool))
    assert out.amount[0] == pytest.approx(2796.00, abs=0.005) and out.covered[0]
    assert np.isnan(out.amount[1:]).all() and not out.covered[1:].any()
    assert out.reasons[UNREAD].tolist() == [False, True, True]
    others = [k for k, m in out.reasons.items() if k != UNREAD and m[1:].any()]
    assert others == []


@pytest.mark.parametrize("date, want", [("2024-03-16", 2796.00), ("2025-03-17", None),
                                        ("2026-03-16", None)])
def test_the_case_door(tmp_path, date, want):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case(date)))
    r = CliRunner().invoke(app, ["assess", "-f", "json", str(path)])
    assert r.exit_code == 0, r.output
    answer = json.loads(r.output)
    o = cash_of(answer[0] if isinstance(answer, list) else answer)
    assert o["state_withholding"] == want
    assert (UNREAD in codes(o)) == (want is None)


def _row(date: str) -> dict:
    return {"participant_id": f"CT-{date}", "request_date": date, "birth_date": "1975-06-12",
            "plan_type": "401k", "filing_status": "single", "state": "CT",
            "employment_status": "separated", "hire_date": "2009-02-02",
            "separation_date": "2023-12-13", "balance_elective_deferral": 180000.0,
            "balance_match": 60000.0, "request_route": "separation",
            "request_destination": "cash", "request_amount": 40000.0}


@pytest.mark.parametrize("job", ["outcome", "forms"])
def test_the_batch_gives_an_error_free_row_with_a_null_column(job):
    dates = ["2024-03-16", "2025-03-17", "2026-03-16"]
    rows = [_row(d) for d in dates]
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    got = run_job(table, job, LAW).to_pylist()
    assert [r["status"] for r in got] == ["ok"] * 3
    assert [r["state_withholding"] for r in got] == [2796.00, None, None]
    assert [r["withholding"] for r in got] == [8000.00] * 3
    if job == "outcome":
        assert [UNREAD in r["reasons"] for r in got] == [False, True, True]
    else:
        assert [r["form_pretax_cash_box_14"] for r in got] == [2796.00, None, None]


def test_a_2026_periodic_payment_is_not_figured_for_the_rule_not_for_the_tables():
    """One $2,000 monthly payment of a life annuity begun 2026-01-01 (separated 2025-12-13):
    through 2024 Connecticut withheld from it as from wages (not figured either); from 2025 the
    reason is the unread rule alone, not STATE_WITHHOLDING_PERIODIC_AS_WAGES."""
    c = case("2026-03-16", 2000)
    c["employment"]["separation_date"] = "2025-12-13"
    c["request"].update(series="life", series_payments_per_year=12,
                        annuity_start_date="2026-01-01")
    o = cash(c)
    assert o["state_withholding"] is None and box_14(o) is None
    assert codes(o) == {UNREAD}
