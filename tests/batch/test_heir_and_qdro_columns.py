"""A plan book's death claims and QDRO payouts (docs/batch.md, "An inherited account" and "An
alternate payee"): the ``beneficiary_…`` and ``ap_…`` columns give a row an inherited account or
an alternate payee's share, and the rmd, outcome and forms jobs answer each row as `dist401k
assess` answers the same case file alone; a bad row is an error row naming its column, in the
case model's words — never a lost row."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.form_1099r_boxes import PARTS
from dist401k.input_columns import book_columns
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.synth import synth_table

LAW = default_law()
EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
D = dt.date


def _example(name: str):
    """The shipped case file, as `dist401k assess` reads it."""
    return parse_case(json.loads(json.dumps(yaml.safe_load((EXAMPLES / f"{name}.yaml")
                                                           .read_text()), default=str)))


#: The example case files written as book rows (the columns of docs/batch.md).
NEPHEW = {  # examples/cases/inherited-ten-year-after-rbd.yaml
    "participant_id": "inherited-ten-year-after-rbd", "request_date": D(2026, 11, 23),
    "birth_date": D(1980, 5, 5), "filing_status": "single", "wages": 95000.0,
    "plan_type": "401k", "balance_elective_deferral": 250000.0,
    "beneficiary_deceased_birth_date": D(1949, 3, 20), "beneficiary_date_of_death": D(2022, 6, 14),
    "beneficiary_relationship": "individual", "beneficiary_prior_year_end_balance": 262000.0,
    "beneficiary_distributed_this_year": 2000.0,
    "beneficiary_missed_year_1": 2023, "beneficiary_missed_shortfall_1": 6400.0,
    "beneficiary_missed_year_2": 2025, "beneficiary_missed_shortfall_2": 7100.0,
    "request_amount": 20000.0, "request_route": "beneficiary", "request_destination": "cash"}
MINOR_CHILD = {  # examples/cases/inherited-minor-child.yaml
    "participant_id": "inherited-minor-child", "request_date": D(2026, 11, 23),
    "birth_date": D(2010, 7, 19), "plan_type": "403b7", "balance_elective_deferral": 180000.0,
    "balance_match": 40000.0, "beneficiary_deceased_birth_date": D(1976, 1, 30),
    "beneficiary_date_of_death": D(2024, 10, 2), "beneficiary_relationship": "child",
    "beneficiary_prior_year_end_balance": 210000.0, "request_route": "beneficiary",
    "request_destination": "cash"}
SPOUSE = {  # examples/cases/inherited-spouse.yaml
    "participant_id": "inherited-spouse", "request_date": D(2026, 11, 23),
    "birth_date": D(1968, 4, 2), "filing_status": "single", "wages": 70000.0, "plan_type": "401k",
    "balance_elective_deferral": 412000.0, "balance_match": 60000.0,
    "beneficiary_deceased_birth_date": D(1948, 9, 15), "beneficiary_date_of_death": D(2024, 3, 8),
    "beneficiary_relationship": "spouse", "beneficiary_spouse_election": "beneficiary",
    "beneficiary_prior_year_end_balance": 455000.0, "request_amount": 30000.0,
    "request_route": "beneficiary", "request_destination": "cash"}
FORMER_SPOUSE = {  # examples/cases/qdro-former-spouse.yaml
    "participant_id": "qdro-former-spouse", "request_date": D(2026, 6, 1),
    "birth_date": D(1981, 3, 15), "filing_status": "single", "wages": 60000.0, "plan_type": "401k",
    "balance_elective_deferral": 120000.0, "ap_relationship": "former_spouse",
    "request_amount": 30000.0, "request_destination": "cash", "request_route": "qdro"}
CHILD_PAYEE = {  # examples/cases/qdro-child-support.yaml
    "participant_id": "qdro-child-support", "request_date": D(2026, 6, 1),
    "birth_date": D(1979, 8, 20), "filing_status": "single", "wages": 85000.0, "plan_type": "401k",
    "balance_elective_deferral": 20000.0, "ap_relationship": "child",
    "request_route": "qdro_dependent", "request_destination": "cash"}
BOOK = (NEPHEW, MINOR_CHILD, SPOUSE, FORMER_SPOUSE, CHILD_PAYEE)
#: A participant of the same book without an inherited account or an alternate payee.
PARTICIPANT = {"participant_id": "retiree", "request_date": D(2026, 11, 23),
               "birth_date": D(1950, 2, 1), "plan_type": "401k", "employment_status": "separated",
               "separation_date": D(2015, 6, 30), "balance_elective_deferral": 300000.0,
               "prior_year_end_balance": 290000.0, "request_route": "rmd",
               "request_destination": "cash"}


def _table(rows) -> pa.Table:
    """Rows → a book, one column per key (absent: null), as a Parquet book holds them."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    cols = {k: [r.get(k) for r in rows] for k in names}
    for k, vals in cols.items():  # a date column with a text cell: all of it text, as in CSV
        if any(isinstance(v, str) for v in vals):
            cols[k] = [v.isoformat() if isinstance(v, dt.date) else v for v in vals]
    return pa.table({k: pa.array(v) for k, v in cols.items()})


@pytest.fixture(scope="module")
def alone():
    """`dist401k assess` on each example case file, one at a time."""
    return {r["participant_id"]: assess_cases([_example(r["participant_id"])])[0] for r in BOOK}


def _route(answer: dict, name: str) -> dict:
    return next(s for s in answer["route_summary"] if s["route"] == name)


def test_the_book_columns_are_the_case_files():
    # Each row read back as a case file is the example (what the batch computes from).
    for row in BOOK:
        case = parse_case(row_to_case(row))
        want = _example(row["participant_id"])
        assert case.beneficiary == want.beneficiary and case.alternate_payee == want.alternate_payee
    assert {"beneficiary_missed_year_1", "ap_relationship", "ap_participant_birth_date",
            "beneficiary_required_beginning_date"} <= book_columns()


def test_the_nephews_rmd_worked_by_hand():
    # The uncle died in 2022 after his required beginning date: the nephew (born 1980, 43 in
    # 2023) takes the Single Life Table's 42.9 at 43 (Treas. Reg. §1.401(a)(9)-9(b)), less one
    # a year: 39.9 in 2026; 262,000 / 39.9 = 6,566.42; 2025's 7,100 missed is still owed, 2,000
    # already paid: 6,566.42 + 7,100 - 2,000 = 11,666.42 remaining by December 31, 2026.
    (out,) = run_job(_table([NEPHEW]), "rmd", LAW).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    assert (out["rmd_required"], out["rmd_amount"], out["divisor"]) == (True, 6566.42, 39.9)
    assert out["rmd_remaining"] == 11666.42 and out["rmd_deadline"] == D(2026, 12, 31)


def test_the_rmd_job_equals_assess_one_at_a_time(alone):
    out = run_job(_table([*BOOK, PARTICIPANT]), "rmd", LAW).to_pylist()
    assert [o["status"] for o in out] == ["ok"] * 6, [o["error_message"] for o in out]
    for row, o in zip(BOOK, out, strict=False):
        answer = alone[row["participant_id"]]
        if "beneficiary_relationship" in row:  # an heir: the inherited account's RMD
            ben = _route(answer, "beneficiary")
            assert o["rmd_amount"] == pytest.approx(ben["required"], abs=0.005), row
            assert o["rmd_remaining"] == pytest.approx(ben["remaining"], abs=0.005), row
            assert o["divisor"] == ben["divisor"] and o["rmd_required"] == (ben["required"] > 0)
            assert (o["rmd_deadline"] and o["rmd_deadline"].isoformat()) == (
                ben["deadline"] if ben["required"] > 0 else None)
            assert "BN_" in o["reasons"]
        else:  # an alternate payee: none of the participant's
            rmd = _route(answer, "rmd")
            assert (o["rmd_amount"], o["rmd_remaining"], o["divisor"]) == (
                rmd["rmd"], rmd["remaining"], rmd["divisor"])
            assert o["rmd_required"] is False and "QD_NOT_PARTICIPANT" in o["reasons"]
    # The participant beside them: the uniform table at 76, 290,000 / 23.7 = 12,236.29.
    assert (out[-1]["rmd_amount"], out[-1]["divisor"]) == (12236.29, 23.7)


@pytest.mark.parametrize("job", ["outcome", "forms"])
def test_outcome_and_forms_equal_assess_one_at_a_time(alone, job):
    out = run_job(_table(BOOK), job, LAW).to_pylist()
    for row, o in zip(BOOK, out, strict=True):
        assert o["status"] == "ok", o["error_message"]
        match = [x for x in alone[row["participant_id"]]["outcomes"]
                 if x["route"] == row["request_route"] and x["destination"] == "cash"]
        assert o["possible"] is True and len(match) == 1, row["participant_id"]
        want = match[0]
        for k in ("gross", "taxable", "withholding", "income_tax_increase", "additional_tax_72t",
                  "check_received", "kept_after_all_tax"):
            assert o[k] == pytest.approx(want[k], abs=0.005), (row["participant_id"], k)
        assert o["form_1099r_codes"] == ";".join(f["box_7"] for f in want["form_1099r"])
        if job == "forms":
            forms = {f["part"]: f for f in want["form_1099r"]}
            for part in PARTS:
                assert o[f"form_{part}_issued"] == (part in forms), (row["participant_id"], part)
                for box in ("box_1", "box_2a", "box_4", "box_7") if part in forms else ():
                    assert o[f"form_{part}_{box}"] == pytest.approx(forms[part][box], abs=0.005)
    codes = [o["form_1099r_codes"] for o in out]
    # Code 4, death, for each heir (Form 1099-R instructions, box 7); no 10% tax on any row
    # (IRC §72(t)(2)(A)(ii) for heirs, §72(t)(2)(C) for a QDRO payment).
    assert codes[:3] == ["4", "4", "4"]
    assert all(o["additional_tax_72t"] == 0 for o in out)


def test_absent_columns_leave_todays_answers(alone):
    book = synth_table(120, seed=5, bad_fraction=0.0)
    blank = book
    for name in ("beneficiary_relationship", "beneficiary_date_of_death", "ap_relationship",
                 "beneficiary_missed_year_1"):
        blank = blank.append_column(name, pa.nulls(book.num_rows, pa.string()))
    for job in ("rmd", "outcome"):
        assert run_job(blank, job, LAW).equals(run_job(book, job, LAW)), job


BAD = [  # (the row, the column named, the case model's words)
    ({**NEPHEW, "beneficiary_date_of_death": "2022-02-30"}, "beneficiary_date_of_death",
     "is not a day of the calendar (February 2022 has 28 days)"),
    ({**NEPHEW, "beneficiary_date_of_death": D(2027, 1, 5)}, "beneficiary_date_of_death",
     "is after the request date"),
    ({**NEPHEW, "beneficiary_date_of_death": D(1948, 1, 5)}, "beneficiary_date_of_death",
     "is before deceased_birth_date"),
    ({**NEPHEW, "ap_relationship": "former_spouse"}, "ap_relationship",
     "give either beneficiary (an inherited account) or alternate_payee (a QDRO), not both"),
    ({**CHILD_PAYEE, "request_destination": "traditional_ira"}, "request_destination",
     "a child or other dependent alternate payee cannot roll over a QDRO payment: only a spouse "
     "or former spouse may (IRC §402(e)(1)(B)); ask for cash"),
    ({k: v for k, v in MINOR_CHILD.items() if k != "beneficiary_relationship"},
     "beneficiary_relationship", "is required"),
    ({**NEPHEW, "beneficiary_spouse_election": "own"}, "beneficiary_spouse_election",
     "only a surviving spouse may make it (IRC §401(a)(9)(B)(iv); §402(c)(9); §408(d)(3)(C))"),
    ({**NEPHEW, "beneficiary_missed_year_2": 2026}, "beneficiary_missed_year_2",
     "must be a year before the request year"),
    ({**NEPHEW, "beneficiary_missed_year_1": 2021}, "beneficiary_missed_year_1",
     "is before the year of death"),
    ({**NEPHEW, "beneficiary_missed_shortfall_2": 0.0}, "beneficiary_missed_shortfall_2",
     "must be more than 0"),
    ({**NEPHEW, "beneficiary_relationship": "nephew"}, "beneficiary_relationship",
     "is not one of spouse, child, individual, non_designated"),
    ({**NEPHEW, "beneficiary_account": "ira", "beneficiary_required_beginning_date":
      D(2020, 4, 1)}, "beneficiary_required_beginning_date",
     "an IRA has no still-working exception (IRC §401(a)(9)(C)(ii)(II))"),
    ({**CHILD_PAYEE, "ap_participant_birth_date": D(1950, 1, 1)}, "ap_participant_birth_date",
     "a child's or dependent's person is the participant: give the participant's birth date as "
     "person.birth_date and leave this out"),
    ({**FORMER_SPOUSE, "ap_participant_birth_date": D(1899, 1, 1)}, "ap_participant_birth_date",
     "gives an age over 120"),
]


@pytest.mark.parametrize("job", ["rmd", "outcome", "forms"])
def test_bad_rows_are_error_rows_naming_the_column(job):
    rows = [PARTICIPANT, *(r for r, _, _ in BAD), FORMER_SPOUSE]
    out = run_job(_table(rows), job, LAW).to_pylist()
    assert len(out) == len(rows) and [o["row"] for o in out] == list(range(len(rows)))
    assert out[0]["status"] == out[-1]["status"] == "ok"
    for (_, column, words), o in zip(BAD, out[1:-1], strict=True):
        assert (o["status"], o["error_column"]) == ("error", column), (column, o)
        assert f"{column}: {words}" in o["error_message"], o["error_message"]


@pytest.mark.parametrize(("row", "column", "words"), BAD)
def test_the_case_file_gives_the_same_verdict_in_the_same_words(row, column, words):
    with pytest.raises(InputError) as exc:
        parse_case(row_to_case({k: v.isoformat() if isinstance(v, dt.date) else v
                                for k, v in row.items()}))
    problems = {p.problem for p in exc.value.problems}
    assert any(words == p or (words == "is not one of spouse, child, individual, non_designated"
                              and p.startswith(words)) for p in problems), problems
