"""A TIN checked against its stated type (``recipient_tin_type``): an ITIN is nine digits that
start with 9 and have the 4th and 5th digits in 50-65, 70-88, 90-92 or 94-99 (IRS, "Individual
Taxpayer Identification Number"); an SSN never starts with 9 (the Social Security
Administration issues none there; the 9 area is the IRS's).  A refused one is an error row
naming the column, never the number."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.tin import bad_tins, wrong_kind_tins

LAW = default_law()


@pytest.mark.parametrize(("tin", "kind", "bad"), [
    ("123-45-6781", "ITIN", True),   # not starting with 9
    ("912-45-6781", "ITIN", True),   # 45: not an ITIN's middle digits
    ("912-66-6781", "ITIN", True), ("912-89-6781", "ITIN", True), ("912-93-6781", "ITIN", True),
    ("912-50-6781", "ITIN", False), ("912-65-6781", "ITIN", False),
    ("912-70-6781", "ITIN", False), ("912-88-6781", "ITIN", False),
    ("912-90-6781", "ITIN", False), ("912-92-6781", "ITIN", False),
    ("912-94-6781", "ITIN", False), ("912-99-6781", "ITIN", False),
    ("912 70 6781", "itin", False),  # the type as the book may write it
    ("912-70-1234", "SSN", True),    # an SSN never starts with 9
    ("912-70-1234", None, False),    # no type given: not checked against one
    ("123-45-6781", "SSN", False), ("123-45-6781", "EIN", False),
    ("912-70-1234", "EIN", False),   # an EIN's nine digits: no further rule here
    (None, "ITIN", False), ("", "SSN", False),
])
def test_a_tin_against_its_type(tin, kind, bad):
    assert (bad_tins([tin]) | wrong_kind_tins([tin], [kind])).tolist() == [bad]


def test_without_types_only_the_form_is_checked():
    assert bad_tins(["912-70-1234", "123-45-6781"]).tolist() == [False, False]
    assert wrong_kind_tins(["912-70-1234", "12345"], ["ITIN", "SSN"]).tolist() == [False, False]


def _row(tin: str, kind: str) -> dict:
    return {"participant_id": "B1", "request_date": "2026-06-01", "birth_date": "1960-01-01",
            "plan_type": "401k", "request_route": "separation", "request_amount": 50000.0,
            "balance_elective_deferral": 100000.0, "employment_status": "separated",
            "separation_date": "2025-01-01", "recipient_tin": tin, "recipient_tin_type": kind}


def test_the_forms_job_refuses_the_reviewers_tins_naming_the_column_not_the_number():
    rows = [_row("123-45-6781", "ITIN"), _row("912-70-1234", "SSN"), _row("912-70-1234", "ITIN"),
            _row("123-45-6781", "SSN")]
    out = run_job(pa.Table.from_pylist(rows), "forms", LAW).to_pylist()
    assert [o["status"] for o in out] == ["error", "error", "ok", "ok"]
    for o in out[:2]:
        assert o["error_column"] == "recipient_tin"
        msg = o["error_message"]
        assert "\n" not in msg
        assert not any(s in msg for s in ("123-45-6781", "123456781", "912-70-1234", "912701234",
                                          "6781", "1234"))
