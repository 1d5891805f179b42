"""The batch door's ``request_series_guaranteed_years`` and ``request_corrective`` columns
(docs/batch.md): a row gets the case file's answer and the same refusals, naming the column.

Figures by hand: born 1948-03-01 is 75 on the annuity starting date 2024-01-01; more than 70,
160 anticipated monthly payments (IRC §72(d)(1)(B)(iii)); paid yearly, $31,000 / (160 / 12) =
$2,325.00 tax free — only where there are fewer than 5 years of guaranteed payments
(§72(d)(1)(E))."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()

ROW = {
    "participant_id": "g1", "request_date": "2025-03-01", "birth_date": "1948-03-01",
    "plan_type": "401k", "employment_status": "separated", "separation_date": "2023-06-30",
    "hire_date": "2000-01-01", "wages": 0.0, "balance_elective_deferral": 300000.0,
    "request_amount": 24000.0, "request_series": "life",
    "request_annuity_start_date": "2024-01-01", "request_series_payments_per_year": 1.0,
    "request_series_cost": 31000.0, "request_route": "separation", "request_destination": "cash",
}


def _table(rows: list[dict]) -> pa.Table:
    names = sorted({k for r in rows for k in r})
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


@pytest.mark.parametrize(("years", "tax_free", "reason"), [
    (4.0, 2325.00, "SR_SIMPLIFIED_METHOD"),
    (5.0, 0.0, "SR_GENERAL_RULE_AGE"),
    (None, 0.0, "SR_GUARANTEED_YEARS_NOT_GIVEN"),
])
def test_guaranteed_years_column(years, tax_free, reason):
    (out,) = run_job(_table([{**ROW, "request_series_guaranteed_years": years}]), "outcome",
                     LAW).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    assert out["nontaxable"] == pytest.approx(tax_free, abs=0.01)
    assert reason in out["reasons"].split(";")


def test_a_governmental_457b_row_is_not_the_simplified_method():
    row = {**ROW, "birth_date": "1958-03-01", "plan_type": "governmental_457b"}
    (out,) = run_job(_table([row]), "outcome", LAW).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    assert out["nontaxable"] == pytest.approx(0.0, abs=0.01)
    assert "SR_GENERAL_RULE_PLAN" in out["reasons"].split(";")


@pytest.mark.parametrize(("changes", "column"), [
    ({"request_series": "period", "request_series_years": 15.0,
      "request_series_guaranteed_years": 10.0}, "request_series_guaranteed_years"),
    ({"request_series_guaranteed_years": -1.0}, "request_series_guaranteed_years"),
    ({"request_corrective": "excess_deferral"}, "request_corrective"),
    ({"request_corrective": "refund"}, "request_corrective"),
])
def test_an_error_row_names_its_column(changes, column):
    good = {**ROW, "participant_id": "g2"}
    out = run_job(_table([{**ROW, **changes}, good]), "outcome", LAW).to_pylist()
    assert out[1]["status"] == "ok", out[1]["error_message"]
    assert out[0]["status"] == "error" and f"{column}:" in out[0]["error_message"], out[0]
