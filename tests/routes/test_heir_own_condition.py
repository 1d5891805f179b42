"""Disability and terminal illness are exceptions of the employee (IRC §72(t)(2)(A)(iii): "attributable
to the employee's being disabled"; §72(t)(2)(L): "made to an employee who is a terminally ill
individual"): an heir's own condition is no exception to the heir's payment, which the death
exception covers (§72(t)(2)(A)(ii)). A spouse who made the account their own is the employee."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app

HEIR = Path(__file__).resolve().parents[2] / "examples" / "cases" / "inherited-ten-year-after-rbd.yaml"


@pytest.mark.parametrize("condition", ["terminally_ill", "disabled"])
def test_an_heirs_own_condition_is_not_the_exception(tmp_path, condition):
    text = HEIR.read_text().replace("  filing_status: single\n",
                                    f"  filing_status: single\n  {condition}: true\n", 1)
    assert condition in text
    case = tmp_path / "heir.yaml"
    case.write_text(text)
    out = CliRunner().invoke(app, ["assess", str(case), "-f", "json"])
    assert out.exit_code == 0, out.output
    heir = [o for o in json.loads(out.stdout)["outcomes"] if o["route"] == "beneficiary"]
    assert heir
    for o in heir:
        codes = [r["code"] for r in o["reasons"]]
        assert "PX_DEATH" in codes
        assert "PX_TERMINAL" not in codes and "PX_DISABILITY" not in codes
        assert o["additional_tax_72t"] == 0 and not any(
            "repay" in d["what"] for d in o.get("deadlines") or [])
