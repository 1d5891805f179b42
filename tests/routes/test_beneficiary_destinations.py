"""An heir's request to a destination other than cash (docs/assess.md, "An inherited account").

A surviving spouse may roll an eligible rollover distribution over to an IRA or plan of their
own, directly or within 60 days (IRC §402(c)(9)); any other designated beneficiary may move it
only by a direct trustee-to-trustee transfer to an inherited IRA or inherited Roth IRA
(§402(c)(11)(A); Notice 2008-30, Q&A-7); an estate may not roll it over at all.  The year's
required amount is no eligible rollover distribution (§402(c)(4)(B)): it is paid in cash first,
10% withheld unless elected (§3405(b)); nothing is withheld from what goes directly
(§3405(c)(2)); paid to the spouse for a 60-day rollover, 20% of the rest (§3405(c)(1)).

Every expected figure is worked by hand from those rules and the Single Life Table of Treas.
Reg. §1.401(a)(9)-9(b) (2022 and later; Pub. 590-B Appendix B, Table I), never read from the
program: the employee, born 1950-03-01, died 2024-06-01, after the required beginning date
(2023-04-01: applicable age 72 for a birth in 1950, §401(a)(9)(C)(v)).
- The spouse, born 1952-05-01, 74 in 2026: the longer of the spouse's life expectancy,
  recalculated (table at 74: 15.6), and the employee's remaining one (15.6 at 74 in 2024, less
  2 = 13.6): 15.6.  M = $100,000 / 15.6 = $6,410.26.
- A nephew, born 1960-05-01 (more than 10 years younger: a designated beneficiary, 10-year
  rule with annual amounts): 65 in 2025 (table: 22.9), less 1 in 2026 = 21.9, longer than the
  employee's 12.6 (15.6 − 3).  M = $100,000 / 21.9 = $4,566.21.
"""

from __future__ import annotations

import copy
import json

import pyarrow as pa
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store

LAW = default_law()
BALANCE, GROSS = 100000.0, 20000.0
M_SPOUSE = round(BALANCE / 15.6, 2)  # 6,410.26
M_NEPHEW = round(BALANCE / 21.9, 2)  # 4,566.21

CASE = {"id": "heir", "person": {"birth_date": "1952-05-01"}, "income": {"wages": 60000},
        "plan": {"type": "401k"},
        "account": {"sources": {"elective_deferral": {"balance": BALANCE}}},
        "beneficiary": {"deceased_birth_date": "1950-03-01", "date_of_death": "2024-06-01",
                        "relationship": "spouse", "account": "plan"},
        "request": {"date": "2026-06-01", "amount": GROSS}}


def _case(relationship: str, destination: str, **beneficiary) -> dict:
    c = copy.deepcopy(CASE)
    c["beneficiary"].update(relationship=relationship, **beneficiary)
    if relationship != "spouse":
        c["person"]["birth_date"] = "1960-05-01"
    c["request"]["destination"] = destination
    return c


def _answer(c: dict) -> dict:
    return assess_cases([parse_case(c)], LAW)[0]


def _outcome(a: dict, destination: str) -> dict | None:
    return next((o for o in a["outcomes"] if o["route"] == "beneficiary"
                 and o["destination"] == destination), None)


def _codes(rows: list[dict]) -> set[str]:
    return {r["code"] for r in rows}


def _route_codes(a: dict) -> set[str]:
    return {r["code"] for row in a["routes"] if row["route"] == "beneficiary"
            for r in row["reasons"]}


def test_spouse_rolls_to_a_traditional_ira_the_minimum_paid_first():
    o = _outcome(_answer(_case("spouse", "traditional_ira")), "traditional_ira")
    assert o is not None
    rolled = round(GROSS - M_SPOUSE, 2)  # 13,589.74
    withheld = round(0.10 * M_SPOUSE, 2)  # 641.03: 10% of the minimum only
    assert (o["gross"], o["taxable"], o["withholding"]) == (GROSS, M_SPOUSE, withheld)
    assert o["to_traditional_ira"] == rolled
    assert o["check_received"] == round(M_SPOUSE - withheld, 2)  # 5,769.23
    assert o["additional_tax_72t"] == 0.0
    assert {"BN_SPOUSE_ROLLOVER", "OC_402F", "OC_NON_ERD_WITHHOLDING"} <= _codes(o["reasons"])
    assert "BN_WITHHOLDING_ERD_PART" not in _codes(o["reasons"])  # no 20% on a direct rollover


def test_spouse_60_day_rollover_has_20_percent_of_the_rest_withheld():
    o = _outcome(_answer(_case("spouse", "indirect_60day")), "indirect_60day")
    assert o is not None
    rest = GROSS - BALANCE / 15.6  # the eligible rollover part, 13,589.74
    withheld = round(0.20 * rest + 0.10 * (BALANCE / 15.6), 2)  # 2,717.95 + 641.03 = 3,358.97
    assert (o["taxable"], o["withholding"]) == (M_SPOUSE, withheld)
    assert o["check_received"] == round(GROSS - withheld, 2)
    assert o["makeup_needed"] == round(0.20 * rest, 2)  # the 20% found elsewhere: 2,717.95
    assert o["to_traditional_ira"] == round(rest, 2)


def test_spouse_with_nothing_due_rolls_it_all_untaxed():
    """The reviewer's case: death before the required beginning date, the spouse need not
    start until the employee would have reached 72 (§401(a)(9)(B)(iv)): no minimum in 2026."""
    c = _case("spouse", "traditional_ira", deceased_birth_date="1958-03-01")
    c["person"]["birth_date"] = "1960-05-01"
    a = _answer(c)
    o = _outcome(a, "traditional_ira")
    assert o is not None
    assert (o["taxable"], o["withholding"], o["to_traditional_ira"]) == (0.0, 0.0, GROSS)
    assert o["check_received"] == 0.0


def test_nephew_transfers_to_an_inherited_ira():
    o = _outcome(_answer(_case("individual", "traditional_ira")), "traditional_ira")
    assert o is not None
    withheld = round(0.10 * M_NEPHEW, 2)  # 456.62
    assert (o["taxable"], o["withholding"]) == (M_NEPHEW, withheld)
    assert o["to_traditional_ira"] == round(GROSS - M_NEPHEW, 2)  # 15,433.79
    assert "BN_INHERITED_IRA_TRANSFER" in _codes(o["reasons"])
    assert "OC_402F_HEIR" in _codes(o["reasons"])


def test_nephew_pre_tax_money_to_an_inherited_roth_ira_is_a_conversion():
    o = _outcome(_answer(_case("individual", "roth_ira")), "roth_ira")
    assert o is not None
    # the minimum in cash, the rest converted: all $20,000 taxable; 10% of the minimum withheld
    assert (o["taxable"], o["withholding"]) == (GROSS, round(0.10 * M_NEPHEW, 2))
    assert o["to_roth_ira"] == round(GROSS - M_NEPHEW, 2)
    assert o["additional_tax_72t"] == 0.0  # §72(t)(2)(A)(ii)


@pytest.mark.parametrize("destination", ["indirect_60day", "other_plan", "split_2014_54"])
def test_nephew_other_destinations_are_closed_with_the_reason(destination):
    a = _answer(_case("individual", destination))
    assert _outcome(a, destination) is None
    assert "BN_DEST_TRANSFER_ONLY" in _route_codes(a)


@pytest.mark.parametrize("destination", ["traditional_ira", "roth_ira", "indirect_60day"])
def test_an_estate_rolls_nothing_over(destination):
    a = _answer(_case("non_designated", destination))
    assert _outcome(a, destination) is None
    assert "BN_DEST_ESTATE" in _route_codes(a)


def test_from_an_inherited_ira_no_rollover_is_figured():
    a = _answer(_case("individual", "traditional_ira", account="ira"))
    assert _outcome(a, "traditional_ira") is None
    assert "BN_DEST_FROM_IRA" in _route_codes(a)


def test_cash_is_as_before():
    """In cash the spouse's payment is split: 20% of the eligible rollover part, 10% of the
    minimum (§3405(c), (b))."""
    o = _outcome(_answer(_case("spouse", "cash")), "cash")
    assert o is not None
    want = round(0.20 * (GROSS - BALANCE / 15.6) + 0.10 * BALANCE / 15.6, 2)
    assert (o["taxable"], o["withholding"]) == (GROSS, want)


def test_the_terminal_names_the_destination_not_no_route(tmp_path):
    path = tmp_path / "heir.yaml"
    path.write_text(yaml.safe_dump(_case("individual", "indirect_60day")))
    r = CliRunner().invoke(app, ["assess", str(path)])
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "No route is open" not in text
    assert "No outcome for this request: the open route (beneficiary)" in text
    assert "request.destination" in text and "inherited IRA" in text


def test_cli_api_and_batch_agree(tmp_path):
    c = _case("individual", "traditional_ira")
    path = tmp_path / "heir.yaml"
    path.write_text(yaml.safe_dump(c))
    r = CliRunner().invoke(app, ["assess", "--format", "json", str(path)])
    assert r.exit_code == 0, r.output
    cli = _outcome(json.loads(r.stdout), "traditional_ira")
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 't.db'}"), token=""))
    resp = client.post("/assess", json=c)
    assert resp.status_code == 200, resp.text
    api = _outcome(resp.json(), "traditional_ira")
    row = {"participant_id": "heir", "request_date": "2026-06-01", "birth_date": "1960-05-01",
           "plan_type": "401k", "wages": 60000.0, "balance_elective_deferral": BALANCE,
           "beneficiary_deceased_birth_date": "1950-03-01",
           "beneficiary_date_of_death": "2024-06-01", "beneficiary_relationship": "individual",
           "request_amount": GROSS, "request_route": "beneficiary",
           "request_destination": "traditional_ira"}
    (batch,) = run_job(pa.table({k: [v] for k, v in row.items()}), "outcome", LAW).to_pylist()
    assert batch["status"] == "ok", batch["error_message"]
    assert cli is not None and api is not None and batch["possible"] is True
    for k in ("gross", "taxable", "withholding", "to_traditional_ira", "check_received"):
        assert cli[k] == api[k] == batch[k], k
    assert batch["taxable"] == M_NEPHEW and batch["to_traditional_ira"] == round(GROSS - M_NEPHEW, 2)
    # the closed 60-day rollover: a batch row says why in its reasons
    closed = {**row, "request_destination": "indirect_60day"}
    (out,) = run_job(pa.table({k: [v] for k, v in closed.items()}), "outcome", LAW).to_pylist()
    assert out["possible"] is False and "BN_DEST_TRANSFER_ONLY" in out["reasons"]


def test_a_direct_rollover_of_a_death_benefit_is_coded_4_and_g():
    """Form 1099-R box 7: code 4 (death) "used with codes A, B, D, G, H, K, L, or P"; an heir's
    direct rollover, to an inherited IRA or a surviving spouse's own, is reported 4G, the
    minimum paid in cash on its own form with code 4 (Instructions for Forms 1099-R and 5498)."""
    for relationship in ("spouse", "individual"):
        o = _outcome(_answer(_case(relationship, "traditional_ira")), "traditional_ira")
        assert o is not None
        forms = {f["part"]: f["box_7"] for f in o["form_1099r"]}
        rolled = [code for part, code in forms.items() if "rolled" in part]
        assert rolled == ["4G"], forms
        assert [code for part, code in forms.items() if "cash" in part] == ["4"], forms
