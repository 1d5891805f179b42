"""A problem the batch tax job finds only once the federal figures are known — a spouse's part
of other income beyond the whole the federal tax figured (docs/state.md) — is an error row for
that row, and every other row is figured: it used to leave every row of the batch "ok" with no
figure at all (a batch of results lost, exit 0, "0 errors").

The good row by hand (2026, married filing jointly, 62 and 60): $50,000 of wages and $30,000 of
distributions, AGI $80,000, less the $32,200 standard deduction, $47,800 taxable: 10% of
$24,800 + 12% of $23,000 = $5,240 (Rev. Proc. 2025-32 as amended by P.L. 119-21)."""
from __future__ import annotations

import pyarrow as pa

from dist401k.jobs import run_job
from dist401k.law import default_law

ROW = {"tax_year": 2026, "filing_status": "married_joint", "age_head": 62, "age_spouse": 60,
       "wages": 50_000, "taxable_distributions": 30_000, "state": "PA"}


def test_a_late_problem_is_its_rows_error_and_the_others_are_figured():
    table = pa.Table.from_pylist([{**ROW, "participant_id": "q1", "spouse_other_income": 1},
                                  {**ROW, "participant_id": "q2", "spouse_other_income": 0},
                                  {**ROW, "participant_id": "q3", "spouse_other_income": 0}])
    out = run_job(table, "tax", default_law()).to_pylist()
    assert [r["status"] for r in out] == ["error", "ok", "ok"]
    assert out[0]["error_column"] == "spouse_other_income"
    assert [r["income_tax"] for r in out[1:]] == [5_240, 5_240]


def test_every_row_late_problems_leave_no_row_ok_without_figures():
    table = pa.Table.from_pylist([{**ROW, "participant_id": f"q{i}", "spouse_other_income": 5}
                                  for i in range(3)])
    out = run_job(table, "tax", default_law()).to_pylist()
    assert [r["status"] for r in out] == ["error"] * 3
