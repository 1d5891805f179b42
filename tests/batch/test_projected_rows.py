"""Every batch job says which rows rest on projected law (meta/years.yaml: years after the last
enacted one are "flagged as projected in every output"; docs/batch.md): ``tax_year``,
``projected``, and the basis of the projection, ``enacted_through`` and ``projected_inflation``
(null where the year is enacted), in Parquet and CSV alike, as `dist401k tax` and ``POST /tax``
give them; and an heir's RMD row leaves ``applicable_age`` empty (the inherited account's
minimum does not rest on the heir's own applicable age; ``dist401k assess`` gives none on the
beneficiary route)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from dist401k.commands.tax import tax_table
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.runner import run_local

LAW = default_law()
#: The last enacted year (meta/years.yaml) and the first projected one.
ENACTED, PROJECTED = LAW.enacted_through, LAW.enacted_through + 1
D = dt.date
YEAR_COLUMNS = ("tax_year", "projected", "enacted_through", "projected_inflation")


def _person(pid: str, request: dt.date, **more) -> dict:
    """A separated retiree born 1950 asking for a cash RMD (a row every job can answer)."""
    return {"participant_id": pid, "request_date": request, "birth_date": D(1950, 2, 1),
            "plan_type": "401k", "employment_status": "separated",
            "separation_date": D(2015, 6, 30), "balance_elective_deferral": 300000.0,
            "prior_year_end_balance": 290000.0, "request_route": "rmd",
            "request_destination": "cash", **more}


def _table(rows: list[dict]) -> pa.Table:
    names = list(dict.fromkeys(k for r in rows for k in r))
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


#: An enacted year, a projected year, a year well after it, and an error row (born after the
#: request) between them.
BOOK = _table([
    _person("enacted", D(ENACTED, 11, 23)),
    _person("projected", D(PROJECTED, 1, 15)),
    _person("bad", D(PROJECTED, 1, 15), birth_date=D(PROJECTED, 6, 1)),
    _person("later", D(ENACTED + 4, 3, 1)),
])
#: Worked from the rule, not read from the program: a request's tax year is its year; it is
#: projected when after the last enacted year, and then its basis is that year and the
#: assumed inflation rate (the law's ``inflation``); the error row has none of them.
WANT = {
    "tax_year": [ENACTED, PROJECTED, None, ENACTED + 4],
    "projected": [False, True, None, True],
    "enacted_through": [None, ENACTED, None, ENACTED],
    "projected_inflation": [None, LAW.inflation, None, LAW.inflation],
}


def test_the_assumed_rate_is_the_law_files():
    # The rate a projected row names is economy.chained_cpi_assumed, 2.5% a year.
    assert LAW.inflation == pytest.approx(0.025)


@pytest.mark.parametrize("job", ["rmd", "eligibility", "outcome", "forms"])
def test_each_job_marks_its_projected_rows(job):
    out = run_job(BOOK, job, LAW)
    assert out.column("status").to_pylist() == ["ok", "ok", "error", "ok"]
    for name in YEAR_COLUMNS:
        assert out.column(name).to_pylist() == WANT[name], (job, name)
    # Last, so the columns before them keep their places.
    assert tuple(out.column_names[-4:]) == YEAR_COLUMNS


@pytest.mark.parametrize("job", ["rmd", "eligibility", "outcome", "forms"])
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_files_carry_the_marks(job, fmt, tmp_path):
    book = tmp_path / "book.parquet"
    pq.write_table(BOOK, book)
    out = tmp_path / f"out.{fmt}"
    s = run_local(book, job, out)
    assert (s.rows_in, s.results, s.errors) == (4, 3, 1)
    got = pq.read_table(out) if fmt == "parquet" else pacsv.read_csv(out)
    for name in YEAR_COLUMNS:
        assert got.column(name).to_pylist() == WANT[name], (job, fmt, name)


def test_an_empty_book_has_the_year_columns(tmp_path):
    book = tmp_path / "empty.parquet"
    pq.write_table(BOOK.slice(0, 0), book)
    run_local(book, "outcome", tmp_path / "out.parquet")
    assert set(YEAR_COLUMNS) <= set(pq.read_schema(tmp_path / "out.parquet").names)


TAX_BOOK = pa.table({"participant_id": ["a", "b", "c"],
                     "tax_year": [ENACTED, ENACTED + 4, PROJECTED],
                     "filing_status": ["single", "single", "married_joint"],
                     "wages": [60000.0, 60000.0, 90000.0]})


def test_the_tax_job_gives_the_projection_basis_of_dist401k_tax():
    out = run_job(TAX_BOOK, "tax", LAW)
    assert out.column("projected").to_pylist() == [False, True, True]
    assert out.column("enacted_through").to_pylist() == [None, ENACTED, ENACTED]
    assert out.column("projected_inflation").to_pylist() == [None, LAW.inflation, LAW.inflation]
    door = tax_table(TAX_BOOK.drop_columns(["participant_id"]), LAW)
    for name in ("projected", "enacted_through", "projected_inflation", "income_tax"):
        assert out.column(name).to_pylist() == door.column(name).to_pylist(), name
    # In the command's order: right after ``projected``.
    names = out.column_names
    assert names[names.index("projected"):][:3] == ["projected", "enacted_through",
                                                    "projected_inflation"]


def test_the_tax_job_with_a_state_keeps_the_door_order():
    book = TAX_BOOK.append_column("state", pa.array(["CA", "CA", "CA"]))
    out = run_job(book, "tax", LAW)
    door = tax_table(book.drop_columns(["participant_id"]), LAW)
    tail = [n for n in door.column_names if n not in book.column_names]
    assert out.column_names[-len(tail):] == tail
    assert out.column("enacted_through").to_pylist() == [None, ENACTED, ENACTED]


HEIR = {  # examples/cases/inherited-ten-year-after-rbd.yaml: a nephew born 1980
    "participant_id": "nephew", "request_date": D(2026, 11, 23), "birth_date": D(1980, 5, 5),
    "filing_status": "single", "plan_type": "401k", "balance_elective_deferral": 250000.0,
    "beneficiary_deceased_birth_date": D(1949, 3, 20), "beneficiary_date_of_death": D(2022, 6, 14),
    "beneficiary_relationship": "individual", "beneficiary_prior_year_end_balance": 262000.0,
    "beneficiary_distributed_this_year": 2000.0, "request_route": "beneficiary",
    "request_destination": "cash"}
ESTATE = {  # examples/cases/inherited-estate.yaml's kind of heir: no designated beneficiary
    **HEIR, "participant_id": "estate", "beneficiary_relationship": "non_designated"}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_an_heirs_rmd_row_has_no_applicable_age(fmt, tmp_path):
    # The participant beside the heirs, born 1950-02-01: 70½ on 2020-08-01, after 2019, so 72
    # (IRC §401(a)(9)(C)(v) as SECURE Act §114 set it); 72 on 2022-02-01, before 2023, so not
    # SECURE 2.0 §107's 73. The nephew, born 1980, would have 75 as a participant: not his
    # inherited account's rule, which is the beneficiary route's (no applicable age).
    book = _table([HEIR, ESTATE, _person("retiree", D(2026, 11, 23))])
    pq.write_table(book, tmp_path / "book.parquet")
    run_local(tmp_path / "book.parquet", "rmd", tmp_path / f"out.{fmt}")
    out = (pq.read_table if fmt == "parquet" else pacsv.read_csv)(tmp_path / f"out.{fmt}")
    assert out.column("status").to_pylist() == ["ok"] * 3
    assert out.column("applicable_age").to_pylist() == [None, None, 72]
    # The nephew's minimum is still there: 262,000 / 39.9 = 6,566.42 (Single Life Table).
    assert out.column("rmd_amount").to_pylist()[0] == 6566.42
