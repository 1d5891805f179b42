"""A SECURE 2.0 withdrawal asked to go to an IRA, another plan or a 60-day rollover has no outcome,
and every door says why.  The law, read in IRC §72(t) (Cornell LII text):

* birth or adoption: "For purposes of sections 401(a)(31), 402(f), and 3405, a qualified birth
  or adoption distribution shall not be treated as an eligible rollover distribution"
  (§72(t)(2)(H)(vi)(II)); it "may, at any time during the 3-year period beginning on the day
  after the date on which such distribution was received", be repaid, and the repayment is
  treated as a rollover in a direct trustee to trustee transfer within 60 days ((H)(v));
* emergency personal expense: "Rules similar to the rules of subclauses (II) and (IV) of
  subparagraph (H)(vi) shall apply" (§72(t)(2)(I)(viii)); repayable likewise ((I)(vi));
* domestic abuse victim: the same words of its own (§72(t)(2)(K)(vi)(II)); repayable ((K)(v));
* qualified disaster recovery: "qualified disaster recovery distributions shall not be treated
  as eligible rollover distributions" (§72(t)(11)(G)(i)); repayable in 3 years ((11)(C));
* qualified long-term care: "any qualified long-term care distribution described in clause (i)
  shall not be treated as an eligible rollover distribution" (§72(t)(2)(N)(iii)); the statute
  gives it no repayment.

So the plan pays each in cash only: a row asked to any other destination is not possible, with
the route's `*_NOT_ROLLABLE` reason naming `request.destination`; asked in cash (or all), it is
paid as before and the reason is not given.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.explain import reason
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, outcome

#: Each route, its code, the batch columns that open it and the case fields that do.
KINDS = {
    "emergency_expense": ("EP_NOT_ROLLABLE", {"emergency_expense_adopted": True,
                                              "request_purpose": "emergency"},
                          {"plan.secure2": {"emergency_expense": True},
                           "request.purpose": "emergency"}),
    "birth_adoption": ("BA_NOT_ROLLABLE", {"birth_adoption_adopted": True,
                                           "request_purpose": "birth_adoption",
                                           "request_event_date": dt.date(2026, 8, 14)},
                       {"plan.secure2": {"birth_adoption": True},
                        "request.purpose": "birth_adoption", "request.event_date": "2026-08-14"}),
    "domestic_abuse": ("DA_NOT_ROLLABLE", {"domestic_abuse_adopted": True,
                                           "request_purpose": "domestic_abuse",
                                           "request_event_date": dt.date(2026, 5, 2)},
                       {"plan.secure2": {"domestic_abuse": True},
                        "request.purpose": "domestic_abuse", "request.event_date": "2026-05-02"}),
    "disaster": ("DS_NOT_ROLLABLE", {"disaster_adopted": True, "request_purpose": "disaster",
                                     "request_event_date": dt.date(2026, 9, 20),
                                     "request_disaster_declared": True},
                 {"plan.secure2": {"disaster": True}, "request.purpose": "disaster",
                  "request.event_date": "2026-09-20", "request.disaster_declared": True}),
    "long_term_care": ("LT_NOT_ROLLABLE", {"long_term_care_adopted": True,
                                           "request_purpose": "long_term_care",
                                           "request_long_term_care_premiums": 3400.0},
                       {"plan.secure2": {"long_term_care": True},
                        "request.purpose": "long_term_care",
                        "request.long_term_care_premiums": 3400}),
}
ELSEWHERE = ("traditional_ira", "roth_ira", "other_plan", "split_2014_54", "indirect_60day")
#: A 40-year-old still at work, $120,000 of deferrals, asking $1,000 on 2026-11-23 (after the
#: long-term care distributions' start, December 29, 2025).
ROW = {"request_date": dt.date(2026, 11, 23), "birth_date": dt.date(1986, 1, 20),
       "filing_status": "single", "wages": 60000.0, "plan_type": "401k",
       "employment_status": "active", "hire_date": dt.date(2012, 4, 1),
       "balance_elective_deferral": 120000.0, "request_amount": 1000.0}
CASE = {"person.birth_date": "1986-01-20", "employment.hire_date": "2012-04-01",
        "account.sources": {"elective_deferral": {"balance": 120000}}, "request.amount": 1000}


def _run(rows: list[dict]) -> list[dict]:
    names = list(dict.fromkeys(k for r in rows for k in r))
    table = pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})
    return run_job(table, "outcome", default_law()).to_pylist()


def route_codes(result: dict, name: str) -> set[str]:
    return {r["code"] for row in result["routes"] if row["route"] == name for r in row["reasons"]}


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(token=""))


def test_each_reason_names_the_destination_its_rule_and_the_repayment():
    """The words the doors show: the field, the statute's subsection that takes the payment out
    of the eligible rollover distributions, and, where the statute gives one, the 3-year
    repayment treated as a rollover."""
    cites = {"EP_NOT_ROLLABLE": "(I)(viii)", "BA_NOT_ROLLABLE": "(H)(vi)(II)",
             "DA_NOT_ROLLABLE": "(K)(vi)(II)", "DS_NOT_ROLLABLE": "(11)(G)(i)",
             "LT_NOT_ROLLABLE": "(N)(iii)"}
    for code, cite in cites.items():
        r = reason(code)
        assert "request.destination" in r.text and "eligible rollover distribution" in r.text
        assert cite in r.citation, code
        assert ("three years" in r.text) == (code != "LT_NOT_ROLLABLE"), code


def test_a_batch_row_asked_elsewhere_is_not_possible_and_says_why():
    rows = [{**ROW, **cols, "participant_id": f"{route}-{dest}", "request_route": route,
             "request_destination": dest}
            for route, (_, cols, _) in KINDS.items() for dest in (*ELSEWHERE, "cash")]
    out = {r["participant_id"]: r for r in _run(rows)}
    for route, (code, _, _) in KINDS.items():
        for dest in ELSEWHERE:
            r = out[f"{route}-{dest}"]
            assert r["status"] == "ok", r
            assert r["possible"] is False, (route, dest)
            assert r["gross"] == 0.0 and r["check_received"] == 0.0
            assert code in r["reasons"].split(";"), (route, dest, r["reasons"])
        cash = out[f"{route}-cash"]
        assert cash["possible"] is True, (route, cash["reasons"])
        assert cash["gross"] == pytest.approx(1000.0)
        assert code not in cash["reasons"].split(";"), route


def test_assess_and_the_api_carry_the_code(assess, client):
    for route, (code, _, fields) in KINDS.items():
        for dest in ("traditional_ira", "indirect_60day"):
            case = make({**CASE, **fields, "request.destination": dest})
            res = assess(case)
            assert outcome(res, route, dest) is None
            assert code in route_codes(res, route), (route, dest)
        api = client.post("/assess", json=make({**CASE, **fields,
                                                "request.destination": "other_plan"}))
        assert api.status_code == 200
        assert code in route_codes(api.json(), route)
        cash = assess(make({**CASE, **fields, "request.destination": "cash"}))
        assert outcome(cash, route)["gross"] == pytest.approx(1000.0)
        assert code not in route_codes(cash, route)
        every = assess(make({**CASE, **fields}))
        assert code not in route_codes(every, route)


def test_the_terminal_says_why_no_outcome(tmp_path):
    import yaml

    code, _, fields = KINDS["birth_adoption"]
    path = tmp_path / "baby.yaml"
    path.write_text(yaml.safe_dump(make({**CASE, **fields, "request.destination": "roth_ira"})))
    r = CliRunner().invoke(app, ["assess", str(path)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "cannot pay it to the destination asked for" in text
    words = " ".join(reason(code).text.split())
    assert f"• {words} [{reason(code).citation}]" in text


def test_the_comparison_says_why_in_its_notes():
    from dist401k.case import parse_case
    from dist401k.compare import compare_case

    code, _, fields = KINDS["disaster"]
    cmp = compare_case(parse_case(make({**CASE, **fields, "request.destination": "traditional_ira"})))
    notes = {n["code"]: n for n in cmp["notes"]}
    assert notes[code]["field"] == "request.destination"
