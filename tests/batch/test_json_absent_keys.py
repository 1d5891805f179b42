"""A JSON file of tax units whose units leave out keys (``state`` given for some units only, a
spouse's age on a joint return only), as ``POST /tax`` takes them: a key a unit leaves out is
an absent column for that unit (an amount not given is 0; a unit without ``state`` has no state
figures), not a blank cell refused — `dist401k tax FILE.json` refused such a file ("row 2,
state: a blank value is not a US state code"), where the API figured it.  The same units through
both doors give the same figures (docs/tax.md).

Federal figures worked by hand (2025; Rev. Proc. 2024-40 brackets, OBBBA §70102 standard
deduction, §70103 senior deduction):
- single, 60, wages $50,000 and an early distribution of $20,000: AGI $70,000, taxable income
  $70,000 - $15,750 = $54,250, tax 10% of $11,925 + 12% of $36,550 + 22% of $5,775 =
  $1,192.50 + $4,386.00 + $1,270.50 = $6,849.00; the §72(t) 10% additional tax $2,000.
- married filing jointly, 66 and 64, wages $80,000: standard deduction $31,500 + $1,600 (one
  spouse 65 or older, §63(f)(1)) = $33,100; senior deduction $6,000 (one spouse 65+, MAGI under
  $150,000); taxable income $40,900; tax 10% of $23,850 + 12% of $17,050 = $2,385 + $2,046 =
  $4,431.00.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.store import Store

runner = CliRunner()

UNITS = [
    {"tax_year": 2025, "filing_status": "single", "age_head": 60, "wages": 50000,
     "taxable_distributions": 20000, "early_distributions": 20000, "state": "NY"},
    {"tax_year": 2025, "filing_status": "married_joint", "age_head": 66, "age_spouse": 64,
     "wages": 80000},
    {"tax_year": 2025, "filing_status": "single", "age_head": 60, "wages": 50000,
     "taxable_distributions": 20000, "early_distributions": 20000},
]
HAND = [(70000.0, 54250.0, 2000.0, 8849.0), (80000.0, 40900.0, 0.0, 4431.0),
        (70000.0, 54250.0, 2000.0, 8849.0)]


@pytest.fixture
def api(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'api.db'}"), token=""),
                        base_url="http://localhost")
    return lambda units: client.post("/tax", json={"units": units})


def _file_results(path: Path) -> list[dict]:
    r = runner.invoke(app, ["tax", str(path), "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["results"]


def _write(tmp_path: Path, units: list[dict], lines: bool) -> Path:
    path = tmp_path / ("units.jsonl" if lines else "units.json")
    path.write_text("\n".join(json.dumps(u) for u in units) + "\n" if lines
                    else json.dumps(units))
    return path


@pytest.mark.parametrize("lines", [False, True], ids=["array", "json-lines"])
def test_units_leaving_out_keys_give_the_apis_figures(tmp_path, api, lines):
    answer = api(UNITS)
    assert answer.status_code == 200, answer.text
    by_api = answer.json()["results"]
    by_file = _file_results(_write(tmp_path, UNITS, lines))
    assert [(r["agi"], r["taxable_income"], r["additional_tax_72t"], r["income_tax"])
            for r in by_file] == HAND
    for i, (f, a) in enumerate(zip(by_file, by_api, strict=True)):
        assert {k: f[k] for k in a} == a, i  # every figure the API gives, identical
    # The units without a state have no state figures (null), as from the API.
    assert by_file[0]["state_covered"] is True and by_file[0]["state_income_tax"] is not None
    assert [by_file[i]["state_income_tax"] for i in (1, 2)] == [None, None]
    assert "state_income_tax" not in by_api[1]


def test_the_file_keeps_the_order_of_its_units_and_writes_every_column(tmp_path):
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["tax", str(_write(tmp_path, UNITS, False)), "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text().splitlines()
    assert len(text) == 4
    assert text[1].startswith('2025,"single",60,50000,20000,20000,"NY"')
    assert text[2].startswith('2025,"married_joint",66,80000,')


def test_a_unit_without_a_required_key_is_named_as_the_api_names_it(tmp_path, api):
    units = [UNITS[0], {k: v for k, v in UNITS[1].items() if k != "tax_year"},
             {**UNITS[2], "wages": -5}]
    r = runner.invoke(app, ["tax", str(_write(tmp_path, units, False))])
    assert r.exit_code == 2
    assert "row 2, tax_year: is required" in r.output
    assert "row 3, wages: is negative (amounts must be 0 or more)" in r.output
    answer = api(units)
    assert answer.status_code == 422
    assert {"loc": ["body", "units", 1, "tax_year"], "msg": "is required",
            "type": "value_error"} in answer.json()["detail"]


def test_a_null_is_still_a_blank_cell_refused(tmp_path):
    # A key given as null is a blank cell (docs/tax.md), unlike a key left out.
    units = [UNITS[0], {**UNITS[1], "state": None}]
    r = runner.invoke(app, ["tax", str(_write(tmp_path, units, False))])
    assert r.exit_code == 2
    assert "row 2, state:" in r.output
