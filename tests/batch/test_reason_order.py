"""A row's reasons are listed in one order whatever else is in its batch (the review of
2026-12-06: a Virginia hardship row listed its state's reasons in another order behind a
Pennsylvania row than alone, so a batch of N rows was not N single runs byte for byte)."""
from __future__ import annotations

import pyarrow.csv as pacsv

from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
HEADER = ("participant_id,request_date,birth_date,filing_status,employment_status,hire_date,wages,"
          "social_security,plan_type,hardship_allowed,balance_elective_deferral,request_amount,"
          "request_purpose,request_need,request_route,request_destination,state\n")
# Virginia at 69 with Social Security: its age deduction and its Social Security exemption.
VA = ("V1,2027-05-05,1958-04-30,single,active,2016-01-13,39901,44985,401k,true,136935,5234,"
      "tuition,13012,hardship,cash,VA\n")
# Pennsylvania with Social Security: its Social Security exemption, met first in the batch.
PA = ("P1,2027-05-05,1958-04-30,single,active,2016-01-13,39901,44985,401k,true,136935,5234,"
      "tuition,13012,hardship,cash,PA\n")


def _rows(text: str, tmp_path) -> list[dict]:
    path = tmp_path / "book.csv"
    path.write_text(HEADER + text)
    return run_job(pacsv.read_csv(path), "outcome", LAW).to_pylist()


def test_a_rows_reasons_read_the_same_alone_and_behind_another_state(tmp_path):
    alone = _rows(VA, tmp_path)[0]
    behind = _rows(PA + VA, tmp_path)[1]
    assert alone["status"] == behind["status"] == "ok"
    codes = alone["reasons"].split(";")
    assert "STATE_VA_AGE_DEDUCTION" in codes and "STATE_SOCIAL_SECURITY_EXEMPT" in codes
    assert behind["reasons"] == alone["reasons"]


def test_a_bad_maryland_county_reads_as_in_a_case_file(tmp_path):
    """The batch's words for a county that is none are the case door's, with no empty choice
    (the review of 2026-12-06 found "is not one of , allegany, …")."""
    from dist401k.tax.state.units import maryland_county_of

    path = tmp_path / "md.csv"
    path.write_text(HEADER.replace("state\n", "state,maryland_county\n")
                    + VA.replace(",VA\n", ",MD,Nowhere\n"))
    row = run_job(pacsv.read_csv(path), "outcome", LAW).to_pylist()[0]
    assert row["status"] == "error" and row["error_column"] == "maryland_county"
    try:
        maryland_county_of("Nowhere")
    except ValueError as refused:
        assert row["error_message"] == f"maryland_county: {refused}"
    assert "Nowhere" not in row["error_message"] and "(allegany" in row["error_message"]


def test_pennsylvanias_basis_reasons_take_their_place_in_the_catalogue():
    """A Pennsylvania payment with both tax forgiveness and a basis lists its reasons in the
    catalogue's order (the review of 2026-12-06: the basis reasons were appended after the
    state's own, so STATE_PA_BASIS_USED_UP came after STATE_PA_FORGIVENESS)."""
    from dist401k.assess import assess_cases
    from dist401k.case import parse_case
    from dist401k.explain import catalogue_order

    case = {"id": "pa-early",
            "person": {"birth_date": "1985-09-14", "filing_status": "single", "state": "PA"},
            "employment": {"status": "separated", "hire_date": "2010-04-01",
                           "separation_date": "2026-01-30"},
            "income": {"wages": 0}, "plan": {"type": "401k"},
            "account": {"state_taxed_contributions": 3000,
                        "sources": {"elective_deferral": {"balance": 50000}}},
            "request": {"date": "2026-05-04", "amount": 8000}}
    outcome = assess_cases([parse_case(case)])[0]["outcomes"][0]
    codes = [r["code"] for r in outcome["reasons"]]
    assert {"STATE_PA_BASIS_USED_UP", "STATE_PA_FORGIVENESS"} <= set(codes)
    state = [c for c in codes if c.startswith("STATE_")]
    assert state == sorted(state, key=catalogue_order().__getitem__)
