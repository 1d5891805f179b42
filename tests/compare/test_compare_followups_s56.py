"""Follow-ups of the compare fixes: the federal withholding the comparison does not figure is
unknown (null, "unknown"), never $0 withheld; a non-spouse heir's QCD words in `assess`.

1. A periodic payment is withheld from as wages (IRC §3405(a)), by the payee's Form W-4P and
   Pub. 15-T's tables; the law holds no table for a tax year before 2025, so its withholding
   is not figured (reason ``SR_WITHHOLDING_WAGES``), as `dist401k assess` says (null). The
   comparison's option priced from that payment says the same: its ``withholding`` and its
   ``refund_or_due_later`` are null, the table's cell says "unknown", no line says what is
   still due when filing (it is not known), and the check received is the payment before that
   withholding: the $2,000 paid.

   The same payment in 2025, whose tables the law holds (worked by hand from Pub. 15-T (2025),
   Worksheet 1A and its Annual Percentage Method table, single, no W-4P, §3405(a)(4)): $2,000
   a month, all taxable: 24,000 − 8,600 (line 1g) = 15,400; the single row 6,400–18,325 takes
   10% of the excess: 10% × 9,000 = 900.00 a year; ÷ 12 = $75.00 withheld from each payment.
   Its income tax: single, 67 in 2025, wages $60,000: deductions 15,750 (standard, IRC §63(c),
   P.L. 119-21) + 2,000 (aged, §63(f), Rev. Proc. 2024-40) + 6,000 (the senior deduction,
   §151(d)(5)(C), MAGI under $75,000) leave 36,250 taxable; 2,000 more stays in the 12% band
   (top 48,475): $240.00. Refund or due later: 75 − 240 = −$165.00.

   A 72(t) series payment (§72(t)(2)(A)(iv)) is withheld from as wages too unless the payee
   elects out on Form W-4P (§3405(a)); the comparison does not figure it (the option's note
   says so): null, not $0.

2. A beneficiary other than the surviving spouse cannot roll the money to an IRA of their own
   (IRC §402(c)(11)(A)): `assess`'s QCD note gives the words of ``BN_QCD_INHERITED_IRA`` — a
   direct transfer to an inherited IRA, from which a QCD is allowed at 70½ (§408(d)(8);
   Notice 2007-7, Q&A-37) — as `compare`'s trap does; an estate (non-designated) gets no
   advice; a participant and a spouse keep "Roll the money to a traditional IRA first".
"""

from __future__ import annotations

import copy
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.explain import reason
from dist401k.law import default_law
from dist401k.store import Store

LAW = default_law()
runner = CliRunner()

#: Born 1958-03-01, left in 2023, a monthly $2,000 life annuity begun 2024-01-01, with $60,000
#: of wages (so the payment adds income tax).
SERIES = {
    "person": {"birth_date": "1958-03-01", "filing_status": "single"},
    "plan": {"type": "401k"},
    "employment": {"status": "separated", "separation_date": "2023-06-30",
                   "hire_date": "2000-01-01"},
    "income": {"wages": 60000},
    "account": {"sources": {"elective_deferral": {"balance": 300000}}},
    "request": {"date": "2024-03-01", "amount": 2000, "series": "life",
                "annuity_start_date": "2024-01-01", "series_payments_per_year": 12,
                "destination": "cash"},
}
CASH = "separation:cash"


def _series(year: int) -> dict:
    data = copy.deepcopy(SERIES)
    data["request"]["date"] = f"{year}-03-01"
    return data


def _option(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


# --- 1. Withholding not figured: null, "unknown", never $0 ---------------------------------------


def test_a_periodic_payment_before_2025_has_its_withholding_unknown_in_compare():
    o = _option(compare_case(parse_case(_series(2024)), LAW), CASH)
    assert o["withholding"] is None
    assert o["refund_or_due_later"] is None
    assert o["check_received"] == pytest.approx(2000.00, abs=0.005)  # before that withholding


def test_the_same_payment_in_2025_shows_its_withholding():
    o = _option(compare_case(parse_case(_series(2025)), LAW), CASH)
    assert o["withholding"] == pytest.approx(75.00, abs=0.005)
    assert o["income_tax_now"] == pytest.approx(240.00, abs=0.005)
    assert o["refund_or_due_later"] == pytest.approx(75.00 - 240.00, abs=0.005)


def _cli(tmp_path, year: int, *args: str):
    path = tmp_path / f"series{year}.json"
    path.write_text(json.dumps(_series(year)))
    return runner.invoke(app, ["compare", *args, str(path)], env={"COLUMNS": "200"})


def test_the_cli_says_unknown_and_no_due_when_filing_line(tmp_path):
    r = _cli(tmp_path, 2024)
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if "take it in cash" in line
               and "2,000" in line)
    assert "unknown" in row
    assert "nothing withheld" not in r.output  # the $240 is not said to be all still due
    assert "Still to pay when you file" not in r.output
    assert "withheld unknown" in r.output and "SR_WITHHOLDING_WAGES" in r.output
    j = json.loads(_cli(tmp_path, 2024, "--format", "json").output)
    o = _option(j, CASH)
    assert o["withholding"] is None and o["refund_or_due_later"] is None


def test_the_cli_in_2025_says_what_is_due_when_filing(tmp_path):
    r = _cli(tmp_path, 2025)
    assert r.exit_code == 0, r.output
    assert "withheld unknown" not in r.output
    assert "$165 federal (income tax $240 − $75 withheld)" in r.output


def test_the_api_answers_null_by_its_published_schema(tmp_path):
    client = TestClient(create_app(Store(f"sqlite:///{tmp_path / 'c.db'}")))
    r = client.post("/compare", json=_series(2024))
    assert r.status_code == 200, r.text
    o = _option(r.json(), CASH)
    assert o["withholding"] is None and o["refund_or_due_later"] is None
    schema = client.get("/openapi.json").json()["components"]["schemas"]["CompareOption"]
    for field in ("withholding", "refund_or_due_later"):
        kinds = {b.get("type") for b in schema["properties"][field].get("anyOf", [])}
        assert kinds == {"number", "null"}, field
        assert "null where" in schema["properties"][field]["description"]


def test_a_72t_series_option_has_its_withholding_figured():
    """As amended by the s59 review: a 72(t) series payment is a periodic payment, withheld from
    as wages by Pub. 15-T (2026) Worksheet 1A (§3405(a)), one payment a year, no Form W-4P:
    single, line 1g $8,600, 10% above $7,500 up to $19,900 of the adjusted amount — each first
    year's payment here (at most 34,507.08 / 2 = 17,253.54) falls in that row or below it:
    withheld 10% × max(0, payment − 8,600 − 7,500), to the cent; what is still due when filing
    is figured (tests/compare/test_federal_review_s59.py)."""
    data = {"id": "v-sepp", "person": {"birth_date": "1969-03-10", "filing_status": "single"},
            "employment": {"status": "separated", "hire_date": "2001-06-04",
                           "separation_date": "2022-09-30"},
            "income": {"wages": 40000}, "plan": {"type": "401k"},
            "account": {"sources": {"elective_deferral": {"balance": 250000}}},
            "request": {"date": "2026-03-01", "amount": 20000, "destination": "cash"},
            "sepp": {"first_payment_date": "2026-03-01", "account": "plan",
                     "federal_midterm_rates": [0.0381, 0.0379], "table": "single"}}
    cmp = compare_case(parse_case(data), LAW)
    series = [o for o in cmp["options"] if o["option"].startswith("sepp:")]
    assert series
    for o in series:
        hand = round(0.10 * max(0.0, o["gross"] - 8600 - 7500) + 1e-9, 2)
        assert o["withholding"] == pytest.approx(hand, abs=0.005), o["option"]
        assert o["refund_or_due_later"] == pytest.approx(
            hand - o["income_tax_now"] - o["penalty_now"], abs=0.01)
        assert o["check_received"] == pytest.approx(o["gross"] - hand, abs=0.005)
    assert any(o["withholding"] > 0 for o in series)
    # A lump sum in cash is not periodic: its 20% is figured (§3405(c)(1)).
    cash = _option(cmp, CASH)
    assert cash["withholding"] == pytest.approx(0.20 * 20000, abs=0.005)


# --- 2. An heir's QCD words in assess ------------------------------------------------------------

#: A nephew, 73, heir of an owner who died in 2022 after his required beginning date, asking for
#: $100,000 (tests/compare/test_review_fixes_s56.py's HEIR).
HEIR = {
    "id": "heir-qcd",
    "person": {"birth_date": "1953-05-05", "filing_status": "single"},
    "income": {"wages": 95000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 250000}}},
    "beneficiary": {"deceased_birth_date": "1949-03-20", "date_of_death": "2022-06-14",
                    "relationship": "individual", "prior_year_end_balance": 262000,
                    "distributed_this_year": 2000,
                    "missed": [{"year": 2023, "shortfall": 6400},
                               {"year": 2025, "shortfall": 7100}]},
    "request": {"date": "2026-11-23", "amount": 100000},
}
ROLL_FIRST = "Roll the money to a traditional IRA first"


def _heir(relationship: str) -> dict:
    data = copy.deepcopy(HEIR)
    data["beneficiary"]["relationship"] = relationship
    return data


def _assess_note(data: dict) -> dict:
    (answer,) = assess_cases([parse_case(data)], LAW)
    (note,) = [n for n in answer["notes"] if n["code"] == "QCD_NOT_FROM_PLAN"]
    return note


@pytest.mark.parametrize("relationship", ["individual", "child"])
def test_assess_tells_a_non_spouse_heir_of_the_inherited_ira(relationship):
    note = _assess_note(_heir(relationship))
    said = reason("BN_QCD_INHERITED_IRA")
    assert ROLL_FIRST not in note["text"]
    assert note["text"].endswith(said.text)
    assert said.citation in note["citation"]


def test_assess_gives_an_estate_no_rollover_advice():
    note = _assess_note(_heir("non_designated"))
    assert ROLL_FIRST not in note["text"]
    assert "inherited IRA" not in note["text"]
    assert note["text"].endswith("only if you itemize.")


@pytest.mark.parametrize("relationship", ["individual", "non_designated", "spouse"])
def test_assess_and_compare_give_the_same_words(relationship):
    data = _heir(relationship)
    note = _assess_note(data)
    (trap,) = [t for t in compare_case(parse_case(copy.deepcopy(data)), LAW)["traps"]
               if t["code"] == "QCD_NOT_FROM_PLAN"]
    assert (note["text"], note["citation"]) == (trap["text"], trap["citation"])


def test_a_spouse_and_a_participant_keep_the_rollover_advice():
    assert ROLL_FIRST in _assess_note(_heir("spouse"))["text"]
    participant = {"id": "qcd-72",
                   "person": {"birth_date": "1954-03-01", "filing_status": "single"},
                   "employment": {"status": "separated", "hire_date": "1990-01-02",
                                  "separation_date": "2020-06-30"},
                   "income": {"social_security": 30000}, "plan": {"type": "401k"},
                   "account": {"prior_year_end_balance": 300000,
                               "sources": {"elective_deferral": {"balance": 300000}}},
                   "request": {"date": "2026-06-01", "amount": 20000}}
    assert ROLL_FIRST in _assess_note(participant)["text"]
