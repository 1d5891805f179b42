"""The payee's Form W-4P (request.w4p_*) through every door: a case file (the CLI), the API,
and a batch row (the ``request_w4p_…`` columns) give the same withholding on a payment in a
periodic series; a W-4P given for a payment that is not periodic is refused in one line
naming the field (exit 2, 422, an error row).

The expected figures are worked by hand from Pub. 15-T (2026), Worksheet 1A and its Annual
Percentage Method tables, never read from the code: a life annuity of $5,000 a month, all
taxable (no after-tax money), in 2026."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()

#: Born 1958-03-01, left in 2023, a monthly $5,000 life annuity begun 2026-01-01.
ROW = {
    "participant_id": "w1", "request_date": "2026-03-01", "birth_date": "1958-03-01",
    "plan_type": "401k", "employment_status": "separated", "separation_date": "2023-06-30",
    "hire_date": "2000-01-01", "wages": 0.0, "balance_elective_deferral": 300000.0,
    "request_amount": 5000.0, "request_series": "life",
    "request_annuity_start_date": "2026-01-01", "request_series_payments_per_year": 12.0,
    "request_route": "separation", "request_destination": "cash",
}
CASE = {
    "person": {"birth_date": "1958-03-01"},
    "plan": {"type": "401k"},
    "employment": {"status": "separated", "separation_date": "2023-06-30",
                   "hire_date": "2000-01-01"},
    "income": {"wages": 0},
    "account": {"sources": {"elective_deferral": {"balance": 300000}}},
    "request": {"date": "2026-03-01", "amount": 5000, "series": "life",
                "annuity_start_date": "2026-01-01", "series_payments_per_year": 12},
}

#: (the W-4P's fields, its columns, the withholding from each $5,000 payment by hand)
W4PS = [
    # none: single, no adjustments: 60,000 - 8,600 = 51,400; row 19,900: 1,240 + 12% of
    # 31,500 = 5,020; / 12 = 418.33
    ({}, {}, 418.33),
    # married filing jointly, $2,000 of credits: 60,000 - 12,900 = 47,100; row 44,100: 2,480 +
    # 12% of 3,000 = 2,840; / 12 = 236.67 - 166.67 = 70.00
    ({"w4p_filing_status": "married_joint", "w4p_credits": 2000},
     {"request_w4p_filing_status": "married_joint", "request_w4p_credits": 2000.0}, 70.00),
    # single, Step 2 checked: 60,000 in the Step 2 row 33,250: 2,900 + 22% of 26,750 = 8,785;
    # / 12 = 732.08
    ({"w4p_filing_status": "single", "w4p_step2": True},
     {"request_w4p_filing_status": "single", "request_w4p_step2": True}, 732.08),
    # head of household, $25 extra: 51,400; row 33,250: 1,770 + 12% of 18,150 = 3,948; / 12 =
    # 329.00 + 25 = 354.00
    ({"w4p_filing_status": "head_of_household", "w4p_extra": 25},
     {"request_w4p_filing_status": "head_of_household", "request_w4p_extra": 25.0}, 354.00),
    # the election out (§3405(a)(2)): nothing
    ({"w4p_no_withholding": True}, {"request_w4p_no_withholding": True}, 0.0),
    # an extra beyond the payment: no more is withheld than the $5,000 paid (the check is 0)
    ({"w4p_filing_status": "single", "w4p_extra": 1000000},
     {"request_w4p_filing_status": "single", "request_w4p_extra": 1000000.0}, 5000.0),
]


def _case(fields: dict) -> dict:
    case = json.loads(json.dumps(CASE))
    case["request"].update(fields)
    return case


def _cash(outcomes: list[dict]) -> dict:
    return next(o for o in outcomes if o["route"] == "separation" and o["destination"] == "cash")


def _cli(tmp_path, case: dict):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    return CliRunner().invoke(app, ["assess", "--format", "json", str(path)])


def _table(rows: list[dict]) -> pa.Table:
    names = sorted({k for r in rows for k in r})
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


@pytest.mark.parametrize(("fields", "columns", "withheld"), W4PS)
def test_the_cli_the_api_and_a_batch_row_withhold_the_same(tmp_path, client, fields, columns,
                                                           withheld):
    r = _cli(tmp_path, _case(fields))
    assert r.exit_code == 0, r.output
    cli = _cash(json.loads(r.output)["outcomes"])
    assert cli["withholding"] == pytest.approx(withheld, abs=0.005)
    assert cli["check_received"] == pytest.approx(5000 - withheld, abs=0.005)
    assert [f["box_4"] for f in cli["form_1099r"]] == [pytest.approx(withheld, abs=0.005)]
    assert "SR_WITHHOLDING_W4P" in [x["code"] for x in cli["reasons"]]
    api = client.post("/assess", json=_case(fields))
    assert api.status_code == 200, api.text
    assert _cash(api.json()["outcomes"])["withholding"] == pytest.approx(withheld, abs=0.005)
    (out,) = run_job(_table([{**ROW, **columns}]), "outcome", LAW).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    assert out["withholding"] == pytest.approx(withheld, abs=0.005)


#: A W-4P refused, and the field (column) named.
BAD = [
    # not a series: a nonperiodic payment's election is the W-4R
    ({"series": "none", "w4p_filing_status": "single"}, "w4p_filing_status"),
    ({"series": "none", "w4p_extra": 10}, "w4p_extra"),
    # a 5-year period is an eligible rollover distribution (§402(c)(4)(A)(ii))
    ({"series": "period", "series_years": 5, "w4p_no_withholding": True}, "w4p_no_withholding"),
    # Steps 2 to 4 without the filing status of Step 1(c)
    ({"w4p_credits": 2000}, "w4p_filing_status"),
    ({"w4p_filing_status": "married_separate"}, "w4p_filing_status"),
    ({"w4p_extra": -5}, "w4p_extra"),
]


def _columns(fields: dict) -> dict:
    out = {}
    for k, v in fields.items():
        out[f"request_{k}" if k.startswith(("w4p", "series")) else k] = (
            float(v) if isinstance(v, int) and not isinstance(v, bool) else v)
    return out


@pytest.mark.parametrize(("fields", "field"), BAD)
def test_a_bad_w4p_is_refused_in_every_door(tmp_path, client, fields, field):
    case = _case(fields)
    r = _cli(tmp_path, case)
    assert r.exit_code == 2 and f"request.{field}" in r.output, r.output
    assert "Traceback" not in r.output
    api = client.post("/assess", json=case)
    assert api.status_code == 422, api.text
    assert any(d["loc"][-1] == field for d in api.json()["detail"]), api.json()
    good = {**ROW, "participant_id": "w2"}
    row = {**ROW, **_columns(fields)}
    if fields.get("series") == "none":
        row = {k: v for k, v in row.items() if "series" not in k and "annuity" not in k}
    out = run_job(_table([row, good]), "outcome", LAW).to_pylist()
    assert out[1]["status"] == "ok", out[1]["error_message"]
    assert out[0]["status"] == "error" and f"request_{field}:" in out[0]["error_message"], out[0]
