"""An account that holds no money but a loan, an account that holds nothing, the 457(b)
small-account cash-out's refusals, and amounts under $100 in the "why" sentences.

1. A loan is money of the account (the loan receivable), whatever else the account holds. A
   missed payment not made up by the end of the cure period is a deemed distribution of the
   loan's balance with its interest (IRC §72(p)(1); Treas. Reg. §1.72(p)-1, Q&A-4, Q&A-10), and
   a loan still owed at severance is offset against the account (Q&A-13; Treas. Reg.
   §1.402(c)-2, Q&A-9; a qualified plan loan offset within 12 months, §402(c)(3)(C)). Neither
   depends on the account's other money: with a balance of $0 they are what they are with $0.01.
   Which money lent it is not known: it is taken as lent from the pre-tax deferrals, as the
   $0.01 account has it, and the answer says so.

   Worked by hand: $3,000 owed, a payment missed on 2026-01-15 (first quarter), no plan cure
   period: the cure period ends on the last day of the next quarter, 2026-06-30 (Q&A-10(a)).
   Interest at 8.5% a year, simple, day by day: 166 days (16 in January, 28, 31, 30, 31, 30),
   3,000 × 0.085 × 166 / 365 = 115.9726 → $115.97; deemed $3,115.97, all taxable (pre-tax),
   Form 1099-R box 7 "1L" (under 59½, no exception; "L" a loan treated as a distribution), and
   the 10% tax of §72(t)(1): 311.597 → $311.60.

2. An account with no money: every route says why it is closed (``AC_NO_MONEY``).

3. The governmental 457(b) cash-out (§457(e)(9)(A)) names the condition that failed: the limit
   of §411(a)(11)(A), $7,000 from 2024 (SECURE 2.0 §304), measured with the loans outstanding
   and without money rolled in; no deferrals in the two years before; a governmental 457(b);
   still working.

4. A sentence's amount under $100 shows its cents: a $9.99 payment is "$9.99 of $9.99 taxable
   now", not "$10 of $10".
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.outcome_why import money_words, why_taxable
from routes.conftest import make, outcome, route

LAW = default_law()

#: Born 1990, 36 in 2026: no exception to the 10% tax applies.
PERSON = {"person.birth_date": "1990-03-15", "income.wages": 45000, "request.date": "2026-11-10",
          "employment.hire_date": "2015-01-10", "plan.loans.interest_rate": 0.085}
DEEMED = {**PERSON, "plan.loans.allowed": True,
          "account.loans": {"outstanding": 3000, "missed_payment_date": "2026-01-15"}}
SEPARATED = {**PERSON, "employment.status": "separated",
             "employment.separation_date": "2026-10-01", "account.loans": {"outstanding": 3000}}


def _balance(x: float) -> dict:
    return {"account.sources": {"elective_deferral": {"balance": x}}}


def _rows(r: dict, name: str) -> list[dict]:
    return [x for x in r["routes"] if x["route"] == name]


def _codes(r: dict, name: str) -> set[str]:
    return {c["code"] for x in _rows(r, name) for c in x["reasons"]}


@pytest.mark.parametrize("balance", [0, 0.01])
def test_a_defaulted_loan_is_deemed_distributed_whatever_else_the_account_holds(assess, balance):
    r = assess(make({**DEEMED, **_balance(balance)}))
    s = route(r, "loan_deemed")
    assert s["eligible"] is True and s["deemed_amount"] == pytest.approx(3115.97, abs=0.005)
    o = outcome(r, "loan_deemed")
    assert o is not None
    assert o["gross"] == pytest.approx(3115.97, abs=0.005)
    assert o["taxable"] == pytest.approx(3115.97, abs=0.005)
    assert o["additional_tax_72t"] == pytest.approx(311.60, abs=0.005)
    assert o["form_1099r_codes"] == ["1L"]
    assert [(x["source"], x["eligible"], x["available"]) for x in _rows(r, "loan_deemed")] == [
        ("elective_deferral", True, pytest.approx(3115.97, abs=0.005))]


def test_the_empty_account_says_which_money_the_loan_was_taken_from(assess):
    zero = assess(make({**DEEMED, **_balance(0)}))
    penny = assess(make({**DEEMED, **_balance(0.01)}))
    assert "LD_LENT_FROM_UNKNOWN" in _codes(zero, "loan_deemed")
    assert "LD_LENT_FROM_UNKNOWN" not in _codes(penny, "loan_deemed")
    assert "LD_DEEMED" in _codes(zero, "loan_deemed")


@pytest.mark.parametrize("balance", [0, 0.01])
def test_a_loan_still_owed_at_severance_is_offset_whatever_else_the_account_holds(assess,
                                                                                 balance):
    r = assess(make({**SEPARATED, **_balance(balance)}))
    s = route(r, "loan_offset")
    assert s["eligible"] is True and s["qualified"] is True
    assert s["offset_amount"] == pytest.approx(3000)
    o = outcome(r, "loan_offset")
    assert o is not None
    assert o["gross"] == pytest.approx(3000) and o["taxable"] == pytest.approx(3000)
    assert o["form_1099r_codes"] == ["1M"]
    assert "LO_QUALIFIED" in _codes(r, "loan_offset")
    assert ("LO_LENT_FROM_UNKNOWN" in _codes(r, "loan_offset")) is (balance == 0)


def test_a_loan_not_yet_in_default_of_an_empty_account_says_why_it_is_not_deemed(assess):
    """Still within the cure period on 2026-05-01 (it ends 2026-06-30): no deemed distribution,
    and the reason is given although the account holds no other money."""
    r = assess(make({**DEEMED, **_balance(0), "request.date": "2026-05-01"}))
    assert route(r, "loan_deemed")["eligible"] is False
    assert "LD_CURE_OPEN" in _codes(r, "loan_deemed")


def _batch(rows: list[dict]) -> list[dict]:
    base = {"request_date": "2026-11-10", "birth_date": "1990-03-15", "hire_date": "2015-01-10",
            "wages": 45000.0, "plan_type": "401k", "employment_status": "separated",
            "separation_date": "2026-10-01", "balance_elective_deferral": 0.0,
            "request_destination": "cash"}
    full = [{**base, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    return run_job(pa.table({k: [r.get(k) for r in full] for k in keys}), "outcome",
                   LAW).to_pylist()


def test_the_batch_offsets_the_loan_of_an_empty_account_and_gives_every_no_a_reason():
    out = _batch([{"loan_outstanding": 3000.0, "request_route": "loan_offset"},
                  {"request_route": "separation"}])
    assert out[0]["possible"] is True
    assert out[0]["gross"] == pytest.approx(3000) and out[0]["form_1099r_codes"] == "1M"
    assert out[1]["possible"] is False and out[1]["reasons"] == "AC_NO_MONEY"


def test_every_route_of_an_account_with_no_money_says_why(assess):
    r = assess(make({**SEPARATED, **_balance(0), "account.loans": None}))
    shown = [s["route"] for s in r["route_summary"]]
    assert shown and not any(s["eligible"] for s in r["route_summary"])
    for name in shown:
        assert _codes(r, name) == {"AC_NO_MONEY"}, name


def test_the_terminal_gives_the_no_money_reason(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from dist401k.cli import app

    path = tmp_path / "zero.yaml"
    path.write_text(yaml.safe_dump(make({**SEPARATED, **_balance(0), "account.loans": None})),
                    encoding="utf-8")
    out = CliRunner().invoke(app, ["assess", str(path)], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    lines = [x for x in out.stdout.splitlines() if x.strip().startswith("After separation")]
    assert lines and "The account holds no money" in lines[0]


# ── the 457(b) small-account cash-out ───────────────────────────────────────────────────────

SMALL_457 = {**PERSON, "plan.type": "governmental_457b", "plan.small_account_cash_out": True,
             "account.deferrals_last_two_years": False}
DM = ("DM_OK", "DM_NOT_457", "DM_SEPARATED", "DM_OVER_LIMIT", "DM_LOAN_COUNTED", "DM_DEFERRED")


def _dm(r: dict) -> set[str]:
    return {c for c in _codes(r, "de_minimis_457") if c in DM}


@pytest.mark.parametrize(("changes", "codes"), [
    (_balance(7000), {"DM_OK"}),  # at the limit
    (_balance(7000.01), {"DM_OVER_LIMIT"}),  # a cent over it
    # $6,000 + a $1,500 loan = $7,500 > $7,000; $6,000 alone is within: the loan puts it over
    ({**_balance(6000), "account.loans": {"outstanding": 1500}},
     {"DM_OVER_LIMIT", "DM_LOAN_COUNTED"}),
    # $8,000 + a $1,500 loan: over without the loan too
    ({**_balance(8000), "account.loans": {"outstanding": 1500}}, {"DM_OVER_LIMIT"}),
    ({**_balance(5000), "account.deferrals_last_two_years": True}, {"DM_DEFERRED"}),
    ({**_balance(7500), "account.deferrals_last_two_years": True},
     {"DM_DEFERRED", "DM_OVER_LIMIT"}),
    ({**_balance(5000), "plan.type": "401k"}, {"DM_NOT_457"}),
    ({**_balance(5000), "employment.status": "separated",
      "employment.separation_date": "2026-10-01"}, {"DM_SEPARATED"}),
])
def test_the_cash_out_names_each_condition_that_failed(assess, changes, codes):
    r = assess(make({**SMALL_457, **changes}))
    assert route(r, "de_minimis_457")["eligible"] is (codes == {"DM_OK"})
    assert _dm(r) == codes


# ── amounts in sentences ────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("x", "shown"), [
    (9.99, "9.99"), (0.01, "0.01"), (99.5, "100"), (89.23, "89"), (10.0, "10"), (0.0, "0"),
    (100.5, "101"), (922.5, "923"), (1708.49, "1,708"), (99.999, "100"), (-0.5, "-0.50")])
def test_a_sentence_shows_cents_under_10_dollars_and_whole_dollars_above(x, shown):
    assert money_words(x) == shown


def test_a_999_payment_is_not_ten_dollars_taxable(assess):
    r = assess(make({**SEPARATED, **_balance(1500), "account.loans": None,
                     "request.amount": 9.99, "request.destination": "cash"}))
    o = outcome(r, "separation")
    assert o is not None and o["why"]["taxable"].startswith("$9.99 of $9.99 taxable now")
    row = {"gross": 0.01, "taxable": 0.01, "nontaxable": 0.0, "taxable_later": 0.0,
           "route": "separation", "destination": "cash", "reasons": []}
    assert why_taxable(row).startswith("$0.01 of $0.01 taxable now")
