"""RMDs and designated Roth money before 2024.

Designated Roth money owed lifetime RMDs through 2023: SECURE 2.0 §325 added IRC §402A(d)(5)
for taxable years beginning after December 31, 2023 (the law file
`rmd.designated_roth_exempt`: false before 2024), and §325(b)(2) keeps it away from
"distributions which are required with respect to years beginning before January 1, 2024, but
are permitted to be paid on or after such date".

- A case or a batch row of tax year 2023 is refused at the door (the law is held from 2024):
  one line naming the request date, exit 2 on the command line, an error row in a batch.  The
  rule itself still reads the year's law: in 2023 the RMD is figured on the whole account, Roth
  money included — the request date's balance of it where last December's is not given.
- The one pre-2024 RMD a 2024 case meets: a first RMD year of 2023 (the still-working exception
  ended by a separation in 2023), its RMD deferred to April 1, 2024.  It was figured with the
  Roth money and may be paid from it; the planner's route paid it from the other money only,
  so an account mostly of Roth money could not pay it, and a separation's rollover rolled the
  Roth money that could have paid it.

Worked by hand for Pat, born June 15, 1948 (75 at the end of 2023, 76 at the end of 2024),
applicable age 70½ (born before July 1, 1949: IRC §401(a)(9)(C)(i)(I) before the SECURE Act),
separated on June 30, 2023.  Uniform Lifetime Table (Treas. Reg. §1.401(a)(9)-9(c), the 2022
table): 24.6 at 75, 23.7 at 76.
- 2023's RMD: December 31, 2022's $100,000 of pre-tax money + $50,000 of Roth money = $150,000,
  ÷ 24.6 = $6,097.56.
- 2024's: December 31, 2023's money other than Roth money ÷ 23.7: $110,000 → $4,641.35;
  $3,000 → $126.58.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.batch import CaseBatch
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.routes.common import Facts
from dist401k.routes.rmd import rmd_rows
from routes.conftest import make, outcome, route

LAW = default_law()
RMD_2023 = 6097.56  # $150,000 / 24.6


def _pat(pretax: float, roth: float, **changes) -> dict:
    return make({"person.birth_date": "1948-06-15", "employment.status": "separated",
                 "employment.hire_date": "1990-01-01", "employment.separation_date": "2023-06-30",
                 "income": None, "request.date": "2024-02-01",
                 "account.sources": {"elective_deferral": {"balance": pretax},
                                     "roth_deferral": {"balance": roth, "contributions": 30000,
                                                       "first_year": 2008}},
                 "account.prior_year_end_balance": pretax,
                 "account.last_year_rmd_unpaid": RMD_2023, **changes})


def _rmd_rows(result: dict) -> dict:
    return {row["source"]: row for row in result["routes"] if row["route"] == "rmd"}


def _codes(row: dict) -> set[str]:
    return {x["code"] for x in row["reasons"]}


def test_the_deferred_2023_rmd_may_be_paid_from_the_roth_money(assess):
    r = assess(_pat(110000, 55000))
    s = route(r, "rmd")
    assert s["rmd"] == pytest.approx(4641.35, abs=0.005)
    assert s["last_year_rmd"] == RMD_2023 and s["last_year_deadline"] == "2024-04-01"
    assert s["remaining"] == pytest.approx(4641.35 + RMD_2023, abs=0.01)
    rows = _rmd_rows(r)
    roth = rows["roth_deferral"]
    # The Roth money may pay last year's RMD, at most what is owed of it; this year's own RMD
    # is not figured on it.
    assert roth["eligible"] is True and roth["available"] == pytest.approx(RMD_2023)
    assert "RM_ROTH_LAST_YEAR" in _codes(roth) and "RM_REQUIRED" not in _codes(roth)
    assert rows["elective_deferral"]["available"] == 110000


def test_an_account_mostly_of_roth_money_can_pay_both_rmds(assess):
    """$3,000 of pre-tax money cannot pay $126.58 + $6,097.56 = $6,224.14; the Roth money pays
    the rest of 2023's, so the route pays all of it, none said not to count."""
    r = assess(_pat(3000, 150000))
    s = route(r, "rmd")
    assert s["remaining"] == pytest.approx(126.58 + RMD_2023, abs=0.01)
    assert s["available"] == pytest.approx(126.58 + RMD_2023, abs=0.01)
    cash = outcome(r, "rmd")
    assert cash["gross"] == pytest.approx(126.58 + RMD_2023, abs=0.01)
    assert "RM_ROTH_NOT_COUNTED" not in {x["code"] for x in cash["reasons"]}


def test_a_separation_rollover_keeps_the_roth_part_of_the_2023_rmd_in_cash(assess):
    """The whole account to an IRA: the RMDs are paid first and cannot be rolled (§402(c)(4)(B);
    Treas. Reg. §1.402(c)-2, Q&A-7): all $3,000 of pre-tax money, and of the Roth money the rest
    of 2023's RMD, $6,224.14 − $3,000 = $3,224.14; the Roth IRA receives $150,000 − $3,224.14
    = $146,775.86 (before: all $150,000, the 2023 RMD left unpaid)."""
    ira = outcome(assess(_pat(3000, 150000)), "separation", "roth_ira")
    assert ira["to_traditional_ira"] == 0
    assert ira["to_roth_ira"] == pytest.approx(150000 - (126.58 + RMD_2023 - 3000), abs=0.01)


def test_a_missed_2023_rmd_and_a_deferred_2024_rmd_are_the_other_moneys():
    """A 2023 RMD missed (the first RMD year 2022, separated then) is no first RMD paid in time:
    §325(b)(2) speaks of one "permitted to be paid" after 2023.  A first RMD year of 2024,
    deferred to April 1, 2025, is an RMD for 2024: no Roth money owes it (§402A(d)(5))."""
    from dist401k.assess import assess_cases

    missed = _pat(110000, 55000, **{"employment.separation_date": "2022-06-30"})
    deferred = _pat(110000, 55000, **{"employment.separation_date": "2024-06-30",
                                      "request.date": "2025-02-01"})
    for case in (missed, deferred):
        roth = _rmd_rows(assess_cases([parse_case(case)])[0])["roth_deferral"]
        assert roth["eligible"] is False and "RM_ROTH_LAST_YEAR" not in _codes(roth)


def test_the_2023_rule_figures_the_rmd_on_the_roth_money_too():
    """2023 read by the rule itself (the doors refuse the year, below): last December's balance
    not given, the request date's money that owes the RMD stands in for it — Roth money
    included in 2023: $150,000 ÷ 24.6 (before: $100,000 ÷ 24.6 = $4,065.04)."""
    case = _pat(100000, 50000, **{"request.date": "2024-06-01",
                                  "account.prior_year_end_balance": None,
                                  "account.last_year_rmd_unpaid": None,
                                  "employment.separation_date": "2012-06-30"})
    b = CaseBatch.from_cases([parse_case(case)])
    f = Facts.of(b, LAW)
    b2023 = dataclasses.replace(b, tax_year=np.array([2023]),
                                request_date=np.array(["2023-06-01"], dtype="datetime64[D]"))
    extra, reasons, _, src = rmd_rows(b2023, f)
    assert extra["divisor"][0] == 24.6
    assert extra["rmd"][0] == pytest.approx(RMD_2023, abs=0.005)
    assert reasons["RM_BALANCE_ASSUMED"][0] and not reasons["RM_ROTH_EXEMPT"][0]
    assert src[0].sum() == 2  # the pre-tax and the Roth money both owe it


def test_a_2023_case_is_refused_in_one_line_at_every_door(tmp_path):
    path = tmp_path / "pat2023.yaml"
    case = _pat(100000, 50000, **{"request.date": "2023-06-01",
                                  "employment.separation_date": "2012-06-30",
                                  "account.last_year_rmd_unpaid": None})
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["assess", str(path), "-f", "json"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert "request.date: tax year 2023 is not a year dist401k has law for" in r.output
    book = pa.table({"participant_id": ["pat"], "request_date": ["2023-06-01"],
                     "birth_date": ["1948-06-15"], "plan_type": ["401k"],
                     "employment_status": ["separated"], "separation_date": ["2012-06-30"],
                     "balance_elective_deferral": [100000.0],
                     "balance_roth_deferral": [50000.0]})
    row = run_job(book, "rmd", LAW).to_pylist()[0]
    assert row["status"] == "error" and row["error_column"] == "request_date"
    assert "tax year 2023" in row["error_message"]


def test_the_batch_rmd_job_answers_the_deferred_2023_rmd_with_its_reason():
    book = pa.table({"participant_id": ["pat"], "request_date": ["2024-02-01"],
                     "birth_date": ["1948-06-15"], "plan_type": ["401k"],
                     "employment_status": ["separated"], "separation_date": ["2023-06-30"],
                     "still_working_exception": [True],
                     "balance_elective_deferral": [3000.0], "balance_roth_deferral": [150000.0],
                     "prior_year_end_balance": [3000.0], "last_year_rmd_unpaid": [RMD_2023]})
    row = run_job(book, "rmd", LAW).to_pylist()[0]
    assert row["status"] == "ok", row
    assert row["rmd_amount"] == pytest.approx(126.58)
    assert row["rmd_remaining"] == pytest.approx(126.58 + RMD_2023, abs=0.01)
    assert "RM_ROTH_LAST_YEAR" in row["reasons"]
