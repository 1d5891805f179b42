"""A recordkeeper's nightly RMD run over inherited designated Roth money (docs/assess.md,
"Inherited accounts"): a row of Roth sources only gets the Roth rule whether its
``beneficiary_roth`` cell is blank or true — the money sources decide, as in ``dist401k assess``.

Hand figures: the nephew (born 1996-09-09) of an employee born 1943-06-30 who died 2024-11-11,
after his RBD (2014-04-01); designated Roth money owes no lifetime RMD from 2024 (§402A(d)(5),
SECURE 2.0 §325; Prop. Treas. Reg. REG-103529-23), so the death counts as before the RBD: the
10-year rule with no annual amount in 2026 (§401(a)(9)(H)).  Before, the blank-flag row gave
120,000 / 55.3 = $2,169.98 (Single Life Table 29 → 56.3, less one)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
D = dt.date
ROW = {"request_date": D(2026, 11, 23), "birth_date": D(1996, 9, 9), "plan_type": "401k",
       "balance_roth_deferral": 120000.0, "roth_contributions_roth_deferral": 45000.0,
       "roth_first_year_roth_deferral": 2015, "request_amount": 10000.0,
       "beneficiary_deceased_birth_date": D(1943, 6, 30),
       "beneficiary_date_of_death": D(2024, 11, 11), "beneficiary_relationship": "individual"}


def test_blank_and_true_roth_flag_give_the_same_answer():
    rows = [{**ROW, "participant_id": "noflag", "beneficiary_roth": None},
            {**ROW, "participant_id": "flag", "beneficiary_roth": True}]
    names = list(rows[0])
    book = pa.table({k: pa.array([r[k] for r in rows]) for k in names})
    out = run_job(book, "rmd", LAW).to_pylist()
    for row in out:
        assert row["status"] == "ok", row["error_message"]
        assert (row["rmd_required"], row["rmd_amount"]) == (False, 0.0), row["participant_id"]
