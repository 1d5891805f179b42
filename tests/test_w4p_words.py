"""The words of the withholding on a periodic payment (IRC §3405(a)) say what was done, the same
through every door: which Form W-4P the figure followed (none given: single with no
adjustments, §3405(a)(4); the form's Step 1(c) box; its Step 2 box, which makes Worksheet 1A
line 1g zero; not in effect without a TIN, §3405(e)(12); the election out, §3405(a)(2)); a
W-4P's Steps 2 to 4 without its filing status are refused naming the fields given, in the
door's own names; and no Form W-4R chart rate is shown for a periodic payment (Form W-4R is
for nonperiodic payments and eligible rollover distributions, §3405(b), (c)).

The withholding figures are worked by hand from Pub. 15-T (2026), Worksheet 1A and its Annual
Percentage Method tables, for a life annuity of $5,000 a month, all taxable, in 2026."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

# The doors' test's case and row: born 1958-03-01, left in 2023, a monthly $5,000 life annuity
# begun 2026-01-01.
from api.test_w4p_doors import ROW, _case, _cash, _cli, _table
from dist401k.api import create_app
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store

LAW = default_law()

#: The codes that say which W-4P the withholding followed (one or two of them per payment).
W4P_CODES = {"SR_W4P_NOT_GIVEN", "SR_W4P_SINGLE", "SR_W4P_MARRIED_JOINT",
             "SR_W4P_HEAD_OF_HOUSEHOLD", "SR_W4P_STEP2", "SR_W4P_NOT_IN_EFFECT",
             "SR_W4P_NO_WITHHOLDING"}

#: (the request's W-4P fields, the withholding by hand, the W-4P codes expected)
CASES = [
    # none: single, no adjustments: 60,000 - 8,600 = 51,400; row 19,900: 1,240 + 12% of
    # 31,500 = 5,020; / 12 = 418.33
    ({}, 418.33, {"SR_W4P_NOT_GIVEN"}),
    # married filing jointly: 60,000 - 12,900 = 47,100; row 44,100: 2,480 + 12% of 3,000 =
    # 2,840; / 12 = 236.67
    ({"w4p_filing_status": "married_joint"}, 236.67, {"SR_W4P_MARRIED_JOINT"}),
    # married filing jointly, Step 2 box (line 1g zero): 60,000 in the joint Step 2 row
    # 28,500: 1,240 + 12% of 31,500 = 5,020; / 12 = 418.33; less 1,200 / 12 = 100: 318.33;
    # plus 25 extra: 343.33
    ({"w4p_filing_status": "married_joint", "w4p_step2": True, "w4p_credits": 1200,
      "w4p_extra": 25}, 343.33, {"SR_W4P_MARRIED_JOINT", "SR_W4P_STEP2"}),
    # single, the box given: the same figure as none, but said to be the form's
    ({"w4p_filing_status": "single"}, 418.33, {"SR_W4P_SINGLE"}),
    # head of household, $25 extra: 51,400; row 33,250: 1,770 + 12% of 18,150 = 3,948;
    # / 12 = 329.00 + 25 = 354.00
    ({"w4p_filing_status": "head_of_household", "w4p_extra": 25}, 354.00,
     {"SR_W4P_HEAD_OF_HOUSEHOLD"}),
    # the election out (§3405(a)(2)): nothing
    ({"w4p_no_withholding": True}, 0.0, {"SR_W4P_NO_WITHHOLDING"}),
    # no TIN furnished (§3405(e)(12)): the joint Step 2 form is not in effect: single, no
    # adjustments, 418.33 as with none
    ({"w4p_filing_status": "married_joint", "w4p_step2": True, "payee_tin_furnished": False},
     418.33, {"SR_W4P_NOT_IN_EFFECT"}),
]








def _client(tmp_path) -> TestClient:
    return TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'w.db'}"), token=""))






def _columns(fields: dict) -> dict:
    """The request's fields as a batch row's columns (every one a ``request_`` column)."""
    return {f"request_{k}": float(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in fields.items()}


@pytest.mark.parametrize(("fields", "withheld", "codes"), CASES)
def test_the_reasons_name_the_w4p_the_withholding_followed(tmp_path, fields, withheld, codes):
    for outcomes in (json.loads(_cli(tmp_path, _case(fields)).output)["outcomes"],
                     _client(tmp_path).post("/assess", json=_case(fields)).json()["outcomes"]):
        cash = _cash(outcomes)
        assert cash["withholding"] == pytest.approx(withheld, abs=0.005)
        got = {r["code"] for r in cash["reasons"]}
        assert "SR_WITHHOLDING_W4P" in got
        assert got & W4P_CODES == codes
        texts = " ".join(r["text"] for r in cash["reasons"])
        # "No Form W-4P was given" only where none was
        assert ("No Form W-4P was given" in texts) == ("SR_W4P_NOT_GIVEN" in codes)
    (row,) = run_job(_table([{**ROW, **_columns(fields)}]), "outcome", LAW).to_pylist()
    assert row["status"] == "ok", row["error_message"]
    assert row["withholding"] == pytest.approx(withheld, abs=0.005)
    assert set(row["reasons"].split(";") if isinstance(row["reasons"], str)
               else row["reasons"]) & W4P_CODES == codes


def test_the_step2_words_say_line_1g_is_zero(tmp_path):
    """Pub. 15-T, Worksheet 1A, line 1g: $0 where the Step 2 box is checked."""
    r = _cli(tmp_path, _case({"w4p_filing_status": "married_joint", "w4p_step2": True}))
    cash = _cash(json.loads(r.output)["outcomes"])
    step2 = next(x["text"] for x in cash["reasons"] if x["code"] == "SR_W4P_STEP2")
    assert "line 1g is zero" in step2
    joint = next(x["text"] for x in cash["reasons"] if x["code"] == "SR_W4P_MARRIED_JOINT")
    assert "Married filing jointly" in joint
    # the common sentence claims neither a W-4P nor line 1g
    common = next(x["text"] for x in cash["reasons"] if x["code"] == "SR_WITHHOLDING_W4P")
    assert "No Form W-4P" not in common and "line 1g" not in common


#: Steps 2 to 4 without Step 1(c): the fields given, as each door names them.
NO_STATUS = [
    ({"w4p_step2": True, "w4p_credits": 1200, "w4p_extra": 25},
     "request.w4p_step2, request.w4p_credits and request.w4p_extra"),
    ({"w4p_deductions": 3000}, "request.w4p_deductions"),
    ({"w4p_other_income": 100, "w4p_extra": 5}, "request.w4p_other_income and request.w4p_extra"),
]


@pytest.mark.parametrize(("fields", "named"), NO_STATUS)
def test_a_w4p_without_its_status_names_the_fields_that_need_it(tmp_path, fields, named):
    r = _cli(tmp_path, _case(fields))
    assert r.exit_code == 2, r.output
    line = f"request.w4p_filing_status: is required with {named} (Form W-4P, Step 1(c))"
    assert line in r.output and "Traceback" not in r.output
    assert "needs request.w4p_filing_status" not in r.output
    api = _client(tmp_path).post("/assess", json=_case(fields))
    assert api.status_code == 422
    assert any(d["loc"][-1] == "w4p_filing_status" and f"is required with {named}" in d["msg"]
               for d in api.json()["detail"]), api.json()
    rows = run_job(_table([{**ROW, **_columns(fields)}, {**ROW, "participant_id": "w2"}]),
                   "outcome", LAW).to_pylist()
    assert rows[1]["status"] == "ok"
    columns = named.replace("request.", "request_")
    assert rows[0]["status"] == "error"
    assert rows[0]["error_column"] == "request_w4p_filing_status"
    assert rows[0]["error_message"] == (f"request_w4p_filing_status: is required with {columns} "
                                        "(Form W-4P, Step 1(c))")


def test_a_batch_names_its_columns_for_a_w4p_on_a_payment_not_periodic():
    row = {k: v for k, v in ROW.items() if "series" not in k and "annuity" not in k}
    (out,) = run_job(_table([{**row, "request_w4p_extra": 10.0}]), "outcome", LAW).to_pylist()
    assert out["status"] == "error" and out["error_column"] == "request_w4p_extra"
    assert "request_series life" in out["error_message"]
    assert "request_withholding_rate (Form W-4R)" in out["error_message"]
    assert "request." not in out["error_message"]


def test_no_w4r_chart_rate_on_a_periodic_payment(tmp_path):
    """§3405(b): Form W-4R is for a nonperiodic payment; a life annuity's payment is withheld
    under §3405(a) by its Form W-4P: no chart rate (absent in JSON, null in a batch)."""
    r = _cli(tmp_path, _case({"w4p_filing_status": "married_joint"}))
    assert "w4r_chart_rate" not in _cash(json.loads(r.output)["outcomes"])
    api = _client(tmp_path).post("/assess", json=_case({})).json()
    assert _cash(api["outcomes"]).get("w4r_chart_rate") is None
    (row,) = run_job(_table([ROW]), "forms", LAW).to_pylist()
    assert row["status"] == "ok", row["error_message"]
    assert row["w4r_chart_rate"] is None


def test_a_nonperiodic_payment_keeps_its_w4r_chart_rate(tmp_path):
    """The same $5,000 paid once (no series) is an eligible rollover distribution, whose
    election is Form W-4R: wages 0, the single 2026 chart's bands 0% to 16,100 and 10% to
    28,500: 5,000 all in the 0% band gives 0%."""
    case = _case({})
    for k in ("series", "annuity_start_date", "series_payments_per_year"):
        del case["request"][k]
    cash = _cash(json.loads(_cli(tmp_path, case).output)["outcomes"])
    assert cash["w4r_chart_rate"] == 0.0
