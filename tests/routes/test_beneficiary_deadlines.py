"""An heir's dates (docs/assess.md, "deadlines[]"): only the beneficiary's own.

The participant's required minimum distribution (IRC §401(a)(9)(A), (C)) is the participant's;
an heir's payment (route ``beneficiary``) owes instead what §401(a)(9)(B) asks of a
beneficiary, and nothing else:
- an estate (no designated beneficiary) of an employee who died before the required beginning
  date: the 5-year rule, §401(a)(9)(B)(ii) and Treas. Reg. §1.401(a)(9)-3(c)(2): no yearly
  amount, the account empty by December 31 of the fifth year after the death;
- a designated beneficiary who is not an eligible one (a child of 34), the employee dead before
  the required beginning date: the 10-year rule, §401(a)(9)(B)(ii), (H)(i): no yearly amount,
  the account empty by December 31 of the tenth year after the death — for a plan and an
  inherited IRA alike;
- an eligible designated beneficiary on life-expectancy payments (a brother not more than 10
  years younger, §401(a)(9)(E)(ii)(V), (B)(iii)): the year's amount by December 31 of the year
  (Treas. Reg. §1.401(a)(9)-5(a)(1)) — one deadline, the beneficiary's, not also the
  participant's.
A participant's own RMD keeps its deadline, on the RMD route and on a payment that pays it first.
Every date below is worked by hand from those rules and the example's dates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
PARTICIPANT_RMD = "take the required minimum distribution"
HEIR_YEARLY = "take the year's required distribution as beneficiary (IRC §401(a)(9)(B))"
EMPTY = "empty the inherited account"


def _deadlines(path: Path) -> dict[tuple[str, str], list[dict]]:
    r = CliRunner().invoke(app, ["assess", "--format", "json", str(path)])
    assert r.exit_code == 0, r.output
    return {(o["route"], o["destination"]): o["deadlines"]
            for o in json.loads(r.output)["outcomes"]}


def _ira_copy(tmp_path: Path, name: str) -> Path:
    case = yaml.safe_load((EXAMPLES / name).read_text())
    case["beneficiary"]["account"] = "ira"
    out = tmp_path / name
    out.write_text(yaml.safe_dump(case))
    return out


def test_estate_five_year_rule_has_no_rmd_deadline() -> None:
    # Died 2023-12-01 before the RBD (born 1956-05-05): empty by 2023 + 5 = 2028, Dec 31.
    got = _deadlines(EXAMPLES / "inherited-estate.yaml")
    assert got == {("beneficiary", "cash"): [{"what": EMPTY, "date": "2028-12-31"}]}


@pytest.mark.parametrize("account", ["plan", "ira"])
def test_ten_year_heir_has_no_rmd_deadline(tmp_path: Path, account: str) -> None:
    # Died 2025-08-30 at 62, before the RBD: empty by 2025 + 10 = 2035, Dec 31; no yearly amount.
    name = "inherited-ten-year-before-rbd.yaml"
    path = EXAMPLES / name if account == "plan" else _ira_copy(tmp_path, name)
    got = _deadlines(path)
    assert got, "no outcome"
    for key, dates in got.items():
        assert dates == [{"what": EMPTY, "date": "2035-12-31"}], key


def test_life_expectancy_heir_has_one_december_deadline_the_beneficiarys() -> None:
    # Request 2026-11-23, payments since 2025 (the year after the 2024 death): 2026's amount by
    # 2026-12-31. No 10-year end date for an eligible designated beneficiary.
    got = _deadlines(EXAMPLES / "inherited-sibling-close-in-age.yaml")
    assert set(got) == {("beneficiary", "cash"), ("beneficiary", "traditional_ira"),
                        ("beneficiary", "roth_ira")}
    for key, dates in got.items():
        assert dates == [{"what": HEIR_YEARLY, "date": "2026-12-31"}], key


def test_participant_rmd_deadline_kept() -> None:
    # Born 1951-02-11: applicable age 73 (§401(a)(9)(C)(v)(I)), reached in 2024; retired, so the
    # 2026 RMD is due 2026-12-31 — on the RMD route and on a separation payment that pays it first.
    got = _deadlines(EXAMPLES / "rmd-retired-younger-spouse.yaml")
    due = {"what": PARTICIPANT_RMD, "date": "2026-12-31"}
    assert got[("rmd", "cash")] == [due]
    assert got[("separation", "cash")] == [due]
