"""A payment in a series through the batch door (docs/batch.md, the ``request_series…``
columns; docs/assess.md, "Payments in a series"): the same row as a case file and as a book
row gets the same outcome and the same Forms 1099-R, and a bad series is an error row naming
its column in the words of the case model (``dist401k.case._series_problems``).

The expected figures are worked by hand from IRC §72(d)(1)(B)(iii), (iv) and §72(d)(1)(F)
(Pub. 575, Worksheet A), never read from the code."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()

#: Born 1958-03-01, left in 2023, a yearly $24,000 installment of a series that began on
#: 2024-01-01 (age 65: 260 anticipated monthly payments, §72(d)(1)(B)(iii)), cost $31,000.
ROW = {
    "participant_id": "s1", "request_date": "2025-03-01", "birth_date": "1958-03-01",
    "plan_type": "401k", "employment_status": "separated", "separation_date": "2023-06-30",
    "hire_date": "2000-01-01", "wages": 0.0, "balance_elective_deferral": 300000.0,
    "balance_after_tax": 60000.0, "basis_after_tax": 31000.0, "request_amount": 24000.0,
    "request_series": "life", "request_annuity_start_date": "2024-01-01",
    "request_series_payments_per_year": 1.0, "request_series_cost": 31000.0,
    "request_route": "separation", "request_destination": "cash",
}


def _table(rows: list[dict]) -> pa.Table:
    names = sorted({k for r in rows for k in r})
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


def _assessed(row: dict) -> dict:
    """The cash outcome of the separation route, through the case door."""
    answer = assess_cases([parse_case(row_to_case(row))])[0]
    return next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


#: (changes, hand-worked tax-free part of the $24,000 payment)
SERIES = [
    # $31,000 / (260 / 12) = $1,430.77
    ({}, 1430.77),
    # Joint lives, the spouse (born 1963-06-01, 60 on the starting date) the default other
    # annuitant: combined 125, 310 payments (§72(d)(1)(B)(iv)): $31,000 / (310 / 12) = $1,200
    ({"request_series": "joint_life", "spouse_birth_date": "1963-06-01"}, 1200.00),
    # The beneficiary's own birth date beside a spouse's: the beneficiary's is read.
    ({"request_series": "joint_life", "spouse_birth_date": "1990-01-01",
      "request_series_beneficiary_birth_date": "1963-06-01"}, 1200.00),
    # 15 years: 180 months, paid yearly 15 payments: $31,000 / 15 = $2,066.67
    ({"request_series": "period", "request_series_years": 15.0}, 2066.67),
    # $30,500 of the cost recovered: $500 left (§72(b)(2))
    ({"request_series_cost_recovered": 30500.0}, 500.00),
    # Monthly $2,000: $31,000 / 260 = $119.23
    ({"request_series_payments_per_year": 12.0, "request_amount": 2000.0}, 119.23),
]


@pytest.mark.parametrize(("changes", "tax_free"), SERIES)
def test_a_series_row_gets_the_outcome_of_its_case_file(changes, tax_free):
    row = {**ROW, **changes}
    (out,) = run_job(_table([row]), "outcome", LAW).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    want = _assessed(row)
    assert want["nontaxable"] == pytest.approx(tax_free, abs=0.01)
    for k in ("gross", "taxable", "nontaxable", "withholding", "income_tax_increase",
              "additional_tax_72t", "net_cash"):
        assert out[k] == pytest.approx(want[k], abs=0.011), k
    assert out["form_1099r_codes"] == ";".join(want["form_1099r_codes"])
    assert "SR_NOT_ERD" in out["reasons"].split(";")


@pytest.mark.parametrize(("changes", "tax_free"), SERIES[:2])
def test_a_series_row_gets_the_forms_of_its_case_file(changes, tax_free):
    row = {**ROW, **changes}
    (out,) = run_job(_table([row]), "forms", LAW).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    (form,) = _assessed(row)["form_1099r"]
    assert out["form_pretax_cash_issued"] and form["part"] == "pretax_cash"
    assert out["form_pretax_cash_box_5"] == pytest.approx(tax_free, abs=0.01)
    for box in ("box_1", "box_2a", "box_4", "box_5", "box_7"):
        assert out[f"form_pretax_cash_{box}"] == pytest.approx(form[box], abs=0.011), box


def test_a_rollover_asked_of_a_series_row_has_no_outcome_as_in_assess():
    """§402(c)(4)(A): no rollover of a life series' payment; the row is answered, not lost."""
    row = {**ROW, "request_destination": "traditional_ira"}
    (out,) = run_job(_table([row]), "outcome", LAW).to_pylist()
    assert out["status"] == "ok" and out["possible"] is False


def test_a_row_without_series_columns_is_a_single_payment():
    row = {k: v for k, v in ROW.items() if "series" not in k and "annuity" not in k}
    (out,) = run_job(_table([row]), "outcome", LAW).to_pylist()
    assert out["status"] == "ok" and "SR_NOT_ERD" not in out["reasons"].split(";")


#: Each invalid series and the column (case field) it names.
BAD = [
    ({"request_annuity_start_date": None}, "request_annuity_start_date"),
    ({"request_series": "period"}, "request_series_years"),
    ({"request_series_years": 15.0}, "request_series_years"),
    ({"request_amount": None}, "request_amount"),
    ({"request_series": "joint_life"}, "request_series_beneficiary_birth_date"),
    ({"request_series_cost_recovered": 40000.0}, "request_series_cost_recovered"),
    ({"request_annuity_start_date": "2026-01-01"}, "request_annuity_start_date"),
    ({"request_annuity_start_date": "1950-01-01"}, "request_annuity_start_date"),
    # Before the single-life table's first date (November 19, 1996), with a cost.
    ({"request_annuity_start_date": "1996-01-01"}, "request_annuity_start_date"),
    ({"request_series": "weekly"}, "request_series"),
    ({"request_series_payments_per_year": 5.0}, "request_series_payments_per_year"),
    ({"request_series_years": 1.5, "request_series": "period"}, "request_series_years"),
    ({"request_series_years": 0.0, "request_series": "period"}, "request_series_years"),
    ({"request_series_cost": -1.0}, "request_series_cost"),
    ({"request_annuity_start_date": "2024-02-30"}, "request_annuity_start_date"),
    ({"ap_relationship": "spouse"}, "request_series"),
]


@pytest.mark.parametrize(("changes", "column"), BAD)
@pytest.mark.parametrize("job", ["outcome", "forms", "eligibility"])
def test_a_bad_series_is_an_error_row_naming_its_column(changes, column, job):
    row = {**ROW, **changes}
    good = {**ROW, "participant_id": "s2"}
    out = run_job(_table([row, good]), job, LAW).to_pylist()
    assert len(out) == 2 and out[1]["status"] == "ok", out[1]["error_message"]
    assert out[0]["status"] == "error" and f"{column}:" in out[0]["error_message"], out[0]


@pytest.mark.parametrize(("changes", "column"), [b for b in BAD if "ap_relationship" not in b[0]])
def test_the_case_door_says_the_same_words(changes, column):
    row = {**ROW, **changes}
    (out,) = run_job(_table([row]), "eligibility", LAW).to_pylist()
    with pytest.raises(InputError) as exc:
        parse_case(row_to_case(row))
    said = {f"{p.field.removeprefix('request.')}: {p.problem}" for p in exc.value.problems}
    first = out["error_message"].split("; ")[0].removeprefix("request_")
    assert first in said, (first, said)


def test_a_csv_book_reads_the_series_columns_as_text():
    """From CSV every cell is text: the series' choice, its dates and numbers read alike."""
    row = {k: None if v is None else str(v) for k, v in ROW.items()}
    (out,) = run_job(_table([row]), "outcome", LAW).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    assert out["nontaxable"] == pytest.approx(1430.77, abs=0.01)
