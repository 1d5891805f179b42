"""Projected law is marked in every door, with its basis, and a projected year of a state keeps
the "unconfirmed" mark of the enacted year its figures are carried or indexed from.

Outside facts the answers rest on: the last tax year whose federal figures the IRS has
published is 2026 (Rev. Proc. 2025-32; no Rev. Proc. with 2027 figures was found); a request of
2027 is therefore answered under projected law, one of 2026 under enacted law.  The projection
rate is the assumption the user gives (`dist401k tax --inflation 0.03`) or the shipped 2.5%
(law/params/economy/chained_cpi_assumed.yaml); the answer must quote the rate used, whichever.
The 2026 figures of California, New York, Georgia and Colorado could not be confirmed from the
states' own texts (docs/state.md); Mississippi's 2026 figures were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.cli import app

ROOT = Path(__file__).parents[1]
CASE = ROOT / "examples" / "cases" / "hardship-medical.yaml"
LAST_ENACTED = 2026  # Rev. Proc. 2025-32, the last inflation adjustments published
SHIPPED_RATE = 0.025  # law/params/economy/chained_cpi_assumed.yaml
runner = CliRunner()


def case_on(tmp_path: Path, date: str) -> Path:
    data = yaml.safe_load(CASE.read_text())
    data["request"]["date"] = date
    path = tmp_path / f"case-{date}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def case_body(date: str) -> dict:
    data = yaml.safe_load(CASE.read_text())
    data["request"]["date"] = date
    return json.loads(json.dumps(data, default=str))


def cli(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.output


# 1. compare: JSON, API, terminal, report ------------------------------------------------------

def test_compare_json_marks_a_2027_request_projected_with_its_basis(tmp_path):
    out = json.loads(cli("compare", str(case_on(tmp_path, "2027-01-15")), "--format", "json"))
    assert out["tax_year"] == 2027
    assert out["projected"] is True
    assert out["projection"]["enacted_through"] == LAST_ENACTED
    assert out["projection"]["inflation"] == SHIPPED_RATE


def test_compare_json_marks_a_2026_request_enacted(tmp_path):
    out = json.loads(cli("compare", str(case_on(tmp_path, "2026-01-15")), "--format", "json"))
    assert out["tax_year"] == 2026
    assert out["projected"] is False
    assert out["projection"] is None


def test_compare_terminal_says_projected_law_only_for_a_projected_year(tmp_path):
    text = " ".join(cli("compare", str(case_on(tmp_path, "2027-01-15"))).split())
    assert "tax year 2027, projected law" in text
    assert "2.5%" in text and "from 2026" in text
    enacted = " ".join(cli("compare", str(case_on(tmp_path, "2026-01-15"))).split())
    assert "projected" not in enacted


def test_compare_api_marks_a_2027_request_projected(tmp_path):
    from dist401k.api import create_app
    from dist401k.store import Store

    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 't.db'}"), token=""))
    r27 = client.post("/compare", json=case_body("2027-01-15"))
    assert r27.status_code == 200, r27.text
    assert r27.json()["projected"] is True
    assert r27.json()["projection"]["enacted_through"] == LAST_ENACTED
    r26 = client.post("/compare", json=case_body("2026-01-15"))
    assert r26.json()["projected"] is False and r26.json()["projection"] is None


def test_the_report_head_states_the_projection(tmp_path):
    from dist401k.case import load_case
    from dist401k.compare import compare_case
    from dist401k.report import render_html

    page = " ".join(render_html(compare_case(load_case(case_on(tmp_path, "2027-01-15")))).split())
    assert "projected law" in page and "2.5%" in page and "from 2026" in page


# 2. assess: the basis beside `projected` ------------------------------------------------------

def test_assess_json_carries_the_projection_basis(tmp_path):
    out = json.loads(cli("assess", str(case_on(tmp_path, "2027-01-15")), "--format", "json"))
    assert out["projected"] is True
    assert out["projection"]["enacted_through"] == LAST_ENACTED
    assert out["projection"]["inflation"] == SHIPPED_RATE
    enacted = json.loads(cli("assess", str(case_on(tmp_path, "2026-01-15")), "--format", "json"))
    assert enacted["projected"] is False and enacted["projection"] is None


def test_assess_terminal_head_states_the_projection(tmp_path):
    text = " ".join(cli("assess", str(case_on(tmp_path, "2027-01-15"))).split())
    assert "projected law" in text and "2.5%" in text and "from 2026" in text


# 3. tax: the basis in every row, the rate actually used, the state rule said right ------------

def tax_file(tmp_path: Path, states=("CA", "NY", "GA", "CO", "MS")) -> Path:
    rows = [{"tax_year": y, "filing_status": "single", "age_head": 70, "wages": 50_000,
             "taxable_distributions": 40_000, "state": s} for s in states for y in (2026, 2027)]
    path = tmp_path / "units.json"
    path.write_text(json.dumps(rows))
    return path


def test_tax_json_rows_carry_the_rate_actually_used(tmp_path):
    rows = json.loads(cli("tax", str(tax_file(tmp_path)), "--format", "json", "--inflation",
                          "0.03"))["results"]
    for row in rows:
        if row["tax_year"] == 2027:
            assert row["enacted_through"] == LAST_ENACTED and row["projected_inflation"] == 0.03
        else:
            assert row["enacted_through"] is None and row["projected_inflation"] is None


def test_tax_api_rows_carry_the_projection_basis(tmp_path):
    from dist401k.api import create_app
    from dist401k.store import Store

    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 't.db'}"), token=""))
    units = [{"tax_year": y, "filing_status": "single", "wages": 50_000} for y in (2026, 2027)]
    r = client.post("/tax", json={"units": units})
    assert r.status_code == 200, r.text
    r26, r27 = r.json()["results"]
    assert (r27["enacted_through"], r27["projected_inflation"]) == (LAST_ENACTED, SHIPPED_RATE)
    assert (r26["enacted_through"], r26["projected_inflation"]) == (None, None)


def test_tax_footnote_says_states_are_carried_but_california(tmp_path):
    text = " ".join(cli("tax", str(tax_file(tmp_path))).split())
    assert "indexed at 2.5% a year" in text
    assert "CA" in text and "carried" in text


# 4. a projected year of an unconfirmed state stays unconfirmed -------------------------------

@pytest.mark.parametrize("state", ["CA", "NY", "GA", "CO"])
def test_a_2027_row_of_a_state_unconfirmed_in_2026_stays_unconfirmed(tmp_path, state):
    rows = json.loads(cli("tax", str(tax_file(tmp_path, (state,))), "--format", "json"))["results"]
    by_year = {r["tax_year"]: r for r in rows}
    assert by_year[2026]["state_unconfirmed"] is True
    assert by_year[2027]["state_unconfirmed"] is True


def test_a_2027_row_of_a_state_confirmed_in_2026_stays_confirmed(tmp_path):
    """Pennsylvania's flat rate, read at its statute for 2026, carried to 2027 (no change is
    scheduled): both confirmed."""
    rows = json.loads(cli("tax", str(tax_file(tmp_path, ("PA",))), "--format", "json"))["results"]
    assert [r["state_unconfirmed"] for r in rows] == [False, False]


def test_the_unconfirmed_reason_travels_with_the_projected_year():
    import numpy as np

    from dist401k.law.loader import default_law
    from dist401k.tax.state.engine import state_tax
    from dist401k.tax.state.units import StateUnits

    cols = {"state": np.array(["GA", "GA", "PA"]), "tax_year": np.array([2027, 2040, 2027]),
            "filing_status": np.array(["single"] * 3), "age_head": np.array([70, 70, 70]),
            "federal_agi": np.array([90_000.0] * 3), "wages": np.array([50_000.0] * 3),
            "taxable_distributions": np.array([40_000.0] * 3)}
    r = state_tax(StateUnits.from_columns(cols, default_law()), default_law())
    assert r["reasons"]["STATE_FIGURES_UNCONFIRMED"].tolist() == [True, True, False]


def test_yonkers_after_2028_keeps_the_mark_of_2028():
    """The surcharge's end in 2028 is marked unconfirmed (law file); 2029 carries 2028's
    figure, so its mark too."""
    from dist401k.law.loader import default_law
    from dist401k.tax.state.engine import unconfirmed_why

    law = default_law()
    assert unconfirmed_why(law, "state.ny.yonkers_surcharge_rate", 2029) == \
        law.param("state.ny.yonkers_surcharge_rate").unconfirmed[2028]
    assert unconfirmed_why(law, "state.ny.yonkers_surcharge_rate", 2027) is None
