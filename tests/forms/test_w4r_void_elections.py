"""Form W-4R elections the law does not let stand (IRC §3405(e)(12), (13)).

§3405(e)(12): where the payee fails to furnish his TIN to the payor in the manner required (or
the IRS notifies the payor before the payment that it is incorrect), "no election under
subsection (a)(2) or (b)(2) shall be treated as in effect".  §3405(e)(13)(A): for a payment "to
be delivered outside of the United States and any possession of the United States, no election
may be made under subsection (a)(2) or (b)(2)" (unless the payee certifies that he is not a US
citizen or resident alien, (e)(13)(B): a nonresident alien, whom dist401k does not model).
§3405(b)(2) is the election *not* to have the 10% of §3405(b)(1) withheld: a W-4R rate below
10% is such an election (it withholds less than the 10%); a higher rate is not, and stands.  An
eligible rollover distribution is under §3405(c), where §3405(a) and (b) do not apply
((c)(1)(A)): its 20% is unchanged.

The figures are the law's, by hand: 10% of a $50,000 taxable payment is $5,000; 25% is $12,500;
20% of $10,000 is $2,000.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, outcome

LAW = default_law()
#: An estate inherits a 401(k) (no designated beneficiary): its payment is not an eligible
#: rollover distribution (§402(c)(11) is a designated beneficiary's), so §3405(b) applies.
ESTATE = {"person.birth_date": "1960-11-01", "employment": None, "income": None,
          "account.sources": {"elective_deferral": {"balance": 100000}},
          "beneficiary": {"deceased_birth_date": "1956-05-05", "date_of_death": "2023-12-01",
                          "relationship": "non_designated"},
          "request.date": "2026-06-01", "request.amount": 50000}
SEPARATED = {"employment.status": "separated", "employment.separation_date": "2020-01-01",
             "request.amount": 10000}


def assess(*cases: dict) -> list[dict]:
    return assess_cases([parse_case(c) for c in cases])


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def heir(**request) -> dict:
    return make(ESTATE, **{f"request.{k}": v for k, v in request.items()})


@pytest.mark.parametrize(("rate", "withheld"), [(0.0, 5000.0), (0.05, 5000.0), (0.1, 5000.0),
                                                (0.25, 12500.0)])
def test_without_a_tin_an_election_below_the_10_percent_is_not_in_effect(rate, withheld):
    (r,) = assess(heir(withholding_rate=rate, payee_tin_furnished=False))
    cash = outcome(r, "beneficiary")
    assert cash["withholding"] == withheld
    assert ("OC_W4R_NO_TIN" in codes(cash)) == (rate < 0.1)


def test_with_a_tin_the_election_out_stands():
    (r,) = assess(heir(withholding_rate=0.0))
    cash = outcome(r, "beneficiary")
    assert cash["withholding"] == 0.0 and "OC_W4R_NO_TIN" not in codes(cash)


@pytest.mark.parametrize(("rate", "withheld"), [(0.0, 5000.0), (0.03, 5000.0),
                                                (0.25, 12500.0)])
def test_a_payment_delivered_abroad_keeps_at_least_the_10_percent(rate, withheld):
    (r,) = assess(heir(withholding_rate=rate, delivered_outside_us=True))
    cash = outcome(r, "beneficiary")
    assert cash["withholding"] == withheld
    assert ("OC_W4R_ABROAD" in codes(cash)) == (rate < 0.1)


def test_before_2026_the_statute_already_applies():
    """§3405(e)(13) applies to payments after December 31, 1986 (Pub. L. 99-514,
    §1234(b)(2)); Treas. Reg. §31.3405(e)-1 (2026) only says how a payer finds delivery
    abroad."""
    (r,) = assess(heir(withholding_rate=0.0, delivered_outside_us=True, date="2025-06-02"))
    assert outcome(r, "beneficiary")["withholding"] == 5000.0


def test_an_eligible_rollover_distribution_keeps_its_20_percent():
    low, high = assess(
        make(SEPARATED, **{"request.withholding_rate": 0.05, "request.payee_tin_furnished": False,
                           "request.delivered_outside_us": True}),
        make(SEPARATED, **{"request.withholding_rate": 0.3, "request.payee_tin_furnished": False}))
    cash = outcome(low, "separation")
    assert cash["withholding"] == 2000.0
    assert not codes(cash) & {"OC_W4R_NO_TIN", "OC_W4R_ABROAD"}
    assert outcome(high, "separation")["withholding"] == 3000.0


@pytest.mark.parametrize("field", ["payee_tin_furnished", "delivered_outside_us"])
def test_the_fields_must_be_true_or_false(field):
    from dist401k.errors import InputError

    with pytest.raises(InputError) as exc:
        parse_case(heir(**{field: "perhaps"}))
    assert [p.field for p in exc.value.problems] == [f"request.{field}"]


def _row(**kw) -> dict:
    return {"participant_id": "E", "request_date": "2026-06-01", "birth_date": "1960-11-01",
            "plan_type": "401k", "request_route": "beneficiary", "request_amount": 50000.0,
            "balance_elective_deferral": 100000.0, "beneficiary_deceased_birth_date": "1956-05-05",
            "beneficiary_date_of_death": "2023-12-01",
            "beneficiary_relationship": "non_designated", **kw}


def test_a_batch_row_answers_as_its_case_file():
    """The batch columns request_payee_tin_furnished and request_delivered_outside_us: the same
    withholding as assess on the same case (every door, one answer)."""
    rows = [_row(request_withholding_rate=0.0, request_payee_tin_furnished=False,
                 request_delivered_outside_us=None),
            _row(request_withholding_rate=0.0, request_payee_tin_furnished=None,
                 request_delivered_outside_us=True),
            _row(request_withholding_rate=0.0, request_payee_tin_furnished=None,
                 request_delivered_outside_us=None)]
    out = run_job(pa.Table.from_pylist(rows), "outcome", LAW).to_pylist()
    assert [o["withholding"] for o in out] == [5000.0, 5000.0, 0.0]
    assert "OC_W4R_NO_TIN" in out[0]["reasons"] and "OC_W4R_ABROAD" in out[1]["reasons"]
    answers = assess_cases([parse_case(row_to_case(r)) for r in rows])
    assert [outcome(a, "beneficiary")["withholding"] for a in answers] == [5000.0, 5000.0, 0.0]


def test_the_api_and_the_cli_answer_the_same(tmp_path):
    """POST /assess and `dist401k assess` read the fields from the same model: 10% withheld;
    a value that is not true/false is a 422 naming the field, exit 2 in the CLI."""
    import json

    import yaml
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from dist401k.api import create_app
    from dist401k.cli import app as cli
    from dist401k.store import Store

    case = heir(withholding_rate=0.0, delivered_outside_us=True)
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 't.db'}"), token=""))
    r = client.post("/assess", json=case)
    assert r.status_code == 200 and outcome(r.json(), "beneficiary")["withholding"] == 5000.0
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(case))
    cli_out = CliRunner().invoke(cli, ["assess", "--format", "json", str(tmp_path / "case.yaml")])
    assert outcome(json.loads(cli_out.stdout), "beneficiary")["withholding"] == 5000.0
    bad = client.post("/assess", json=heir(payee_tin_furnished="perhaps"))
    assert bad.status_code == 422
    assert any(d["loc"][-2:] == ["request", "payee_tin_furnished"] for d in bad.json()["detail"])
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(heir(payee_tin_furnished="perhaps")))
    refused = CliRunner().invoke(cli, ["assess", str(tmp_path / "bad.yaml")])
    assert refused.exit_code == 2 and "request.payee_tin_furnished" in refused.output


def test_money_from_the_roth_ira_keeps_the_10_percent_too():
    """A nonqualified payment from the Roth IRA is a nonperiodic distribution too (§3405(e)(1)):
    the payer withholds on its gross (docs/assess.md), 10% of $20,000 = $2,000."""
    (r,) = assess(make(**{"iras.roth": 50000, "iras.roth_contributions": 10000,
                          "iras.roth_first_year": 2022, "request.amount": 20000,
                          "request.withholding_rate": 0.0,
                          "request.payee_tin_furnished": False}))
    cash = outcome(r, "roth_ira")
    assert cash["withholding"] == 2000.0 and "OC_W4R_NO_TIN" in codes(cash)
