"""``POST /tax`` answers as `dist401k tax` does for the same units, the state's columns included.

A unit with a ``state`` got the federal columns only (``state_income_tax`` and the rest were
dropped), ``{"state": "ZZ"}`` was 200 where the command exits 2 naming the row and the
``state`` column, and the state's own inputs (``new_york_city_resident`` …) were read by
nothing.  Each unit of the API is the command's row for the same unit: a unit without a
``state`` is one of a table without that column (no state figures), as an absent key is an
absent column everywhere in ``POST /tax`` (docs/api.md)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.commands.tax import PROJECTION_COLUMNS
from dist401k.store import Store
from dist401k.tax import OUTPUT_COLUMNS
from dist401k.tax.state.with_federal import STATE_TABLE_OUTPUTS

runner = CliRunner()
KS = {"tax_year": 2026, "filing_status": "single", "wages": 50000, "taxable_distributions": 10000,
      "early_distributions": 10000, "state": "KS"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "cases.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""),
                      raise_server_exceptions=False)


def _cell(v: object) -> object:
    return ("true" if v else "false") if isinstance(v, bool) else v


def _run_tax(units: list[dict], folder: Path, code: int | None = None):
    """`dist401k tax units.csv --format json` on ``units`` (all with the same keys), its exit
    status checked where ``code`` is given."""
    path = folder / "units.csv"
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(units[0]))
        w.writeheader()
        w.writerows([{k: _cell(v) for k, v in u.items()} for u in units])
    r = runner.invoke(app, ["tax", str(path), "--format", "json"])
    assert code is None or r.exit_code == code, r.output
    return r


def cli_rows(units: list[dict], folder: Path) -> list[dict]:
    """`dist401k tax units.csv --format json`'s rows for ``units``."""
    return json.loads(_run_tax(units, folder, 0).stdout)["results"]


def cli_refusal(units: list[dict], folder: Path) -> str:
    """The command's problem lines (``row 1, state: …``) for ``units``."""
    return _run_tax(units, folder, 2).output


def outputs(row: dict, units_keys: set[str]) -> dict:
    """A command row less the input columns it copies (the API gives the figures only)."""
    return {k: v for k, v in row.items() if k not in units_keys}


def api_rows(client, units: list[dict]) -> list[dict]:
    r = client.post("/tax", json={"units": units})
    assert r.status_code == 200, r.text
    return r.json()["results"]


# 1. The Kansas unit of the review ------------------------------------------------------------

def test_the_kansas_unit_has_the_commands_state_figures(client, tmp_path):
    (api,) = api_rows(client, [KS])
    (cli,) = cli_rows([KS], tmp_path)
    assert api == outputs(cli, set(KS))
    assert set(api) == set(OUTPUT_COLUMNS) | set(STATE_TABLE_OUTPUTS) | set(PROJECTION_COLUMNS)
    assert api["state_covered"] is True and api["state_additional_tax"] == 0


def test_the_kansas_tax_is_the_statutes(client):
    """Worked by hand from K.S.A. 79-32,110, 79-32,119 and 79-32,121 as amended by 2024 S.B. 1
    (L. 2024 Sp. Sess. ch. 1), "for tax year 2024 and all tax years thereafter": Kansas AGI is
    the federal AGI, $60,000 (no Social Security to subtract); less the single standard
    deduction of $3,605 and the single personal exemption of $9,160: $47,235 taxable; 5.2% of
    the first $23,000 ($1,196) plus 5.58% of the $24,235 above ($1,352.313): $2,548.31.  Kansas
    has no additional tax on an early distribution."""
    (api,) = api_rows(client, [KS])
    assert api["agi"] == 60000
    assert api["state_income_tax"] == pytest.approx(1196 + 0.0558 * (60000 - 3605 - 9160 - 23000),
                                                    abs=0.005)
    assert api["state_income_tax"] == 2548.31
    assert api["state_additional_tax"] == 0


# 2. Refusals: the command's, naming the unit ---------------------------------------------------

def _detail(client, units: list[dict]) -> list[dict]:
    r = client.post("/tax", json={"units": units})
    assert r.status_code == 422, r.text
    return r.json()["detail"]


def test_a_code_that_is_not_a_state_is_422_naming_the_units_state(client, tmp_path):
    unit = {"tax_year": 2026, "filing_status": "single", "wages": 50000, "state": "ZZ"}
    (problem,) = _detail(client, [unit])
    assert problem["loc"] == ["body", "units", 0, "state"]
    assert f"row 1, state: {problem['msg']}" in cli_refusal([unit], tmp_path)
    assert problem["msg"].startswith("is not a US state code")


def test_the_bad_state_of_the_third_unit_is_named_there(client):
    units = [KS, {**KS, "state": "NY"}, {**KS, "state": "ZZ"}, {k: v for k, v in KS.items()
                                                                 if k != "state"}]
    assert [d["loc"] for d in _detail(client, units)] == [["body", "units", 2, "state"]]


def test_a_null_state_is_a_blank_cell(client, tmp_path):
    (problem,) = _detail(client, [{**KS, "state": None}])
    assert problem["loc"] == ["body", "units", 0, "state"]
    assert f"row 1, state: {problem['msg']}" in cli_refusal([{**KS, "state": ""}], tmp_path)


def test_a_states_flag_that_is_not_one_is_named(client, tmp_path):
    unit = {**KS, "state": "NY", "new_york_city_resident": "maybe"}
    (problem,) = _detail(client, [unit])
    assert problem["loc"] == ["body", "units", 0, "new_york_city_resident"]
    assert f"row 1, new_york_city_resident: {problem['msg']}" in cli_refusal([unit], tmp_path)


# 3. A state's own inputs are read ----------------------------------------------------------------

def test_new_york_city_residence_is_read(client, tmp_path):
    """New York City's own income tax (NYC Admin. Code §11-1701) is in the state figure: a
    resident's is more than a non-resident's on the same income, as the command says."""
    ny = {**KS, "state": "NY", "new_york_city_resident": False}
    units = [ny, {**ny, "new_york_city_resident": True}]
    api = api_rows(client, units)
    assert api == [outputs(r, set(ny)) for r in cli_rows(units, tmp_path)]
    assert api[1]["state_income_tax"] > api[0]["state_income_tax"]


# 4. Mixed units: some with a state, some without; states and years ---------------------------

def test_mixed_units_are_each_the_commands_row(client, tmp_path):
    bare = {k: v for k, v in KS.items() if k != "state"}
    units = [KS, bare, {**KS, "state": "CA", "tax_year": 2024},
             {**bare, "tax_year": 2025, "filing_status": "married_joint"},
             {**KS, "state": "TX", "tax_year": 2027}, {**KS, "state": "NY", "yonkers_resident": True}]
    api = api_rows(client, units)
    for i, unit in enumerate(units):
        (cli,) = cli_rows([unit], tmp_path)
        assert api[i] == outputs(cli, set(unit)), i
    assert "state_income_tax" not in api[1] and "state_income_tax" not in api[3]
    assert api[4]["state_covered"] is True and api[4]["state_income_tax"] == 0  # Texas: none


# 5. The property: random units, the API's rows are the command's ------------------------------

STATES = ["KS", "NY", "CA", "PA", "MA", "TX", "IL", "MI"]
STATUSES = ["single", "married_joint", "married_separate", "head_of_household",
            "qualifying_surviving_spouse"]
money = st.integers(min_value=0, max_value=250_000)


@st.composite
def unit(draw) -> dict:
    taxable = draw(money)
    state = draw(st.sampled_from(STATES))
    return {"tax_year": draw(st.integers(2024, 2027)), "filing_status": draw(st.sampled_from(STATUSES)),
            "age_head": draw(st.integers(18, 90)), "age_spouse": draw(st.integers(18, 90)),
            "wages": draw(money), "taxable_interest": draw(st.integers(0, 20_000)),
            "taxable_distributions": taxable, "early_distributions": draw(st.sampled_from([0, taxable])),
            "social_security": draw(st.sampled_from([0, 24_000, 48_000])),
            "state": state, "new_york_city_resident": state == "NY" and draw(st.booleans())}


def cli_verdict(units: list[dict], folder: Path) -> tuple[str, object]:
    """The command's rows (figures only), or its problems as (unit index, column, words)."""
    r = _run_tax(units, folder)
    if r.exit_code == 0:
        return "rows", [outputs(row, set(units[0])) for row in json.loads(r.stdout)["results"]]
    assert r.exit_code == 2, r.output
    found = [re.match(r"^  row (\d+), (\w+): (.*)$", line) for line in r.output.splitlines()]
    return "problems", sorted((int(m[1]) - 1, m[2], m[3]) for m in found if m)


def api_verdict(client, units: list[dict]) -> tuple[str, object]:
    r = client.post("/tax", json={"units": units})
    if r.status_code == 200:
        return "rows", r.json()["results"]
    assert r.status_code == 422, r.text
    assert all(d["loc"][:2] == ["body", "units"] for d in r.json()["detail"])
    return "problems", sorted((d["loc"][2], d["loc"][3], d["msg"]) for d in r.json()["detail"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(units=st.lists(unit(), min_size=1, max_size=6))
def test_random_units_answer_as_the_command(client, tmp_path, units):
    """Rows or refusals alike."""
    assert api_verdict(client, units) == cli_verdict(units, tmp_path)


def test_a_figure_in_a_post_tax_unit_is_named_a_figure(client):
    r = client.post("/tax", json={"units": [{"tax_year": 2026, "filing_status": "single",
                                             "wages": 1000, "income_tax": 5}]})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "units", 0, "income_tax"], "type": "value_error",
                                   "msg": "is a figure dist401k tax gives, not one it reads: give "
                                          "the input columns only (the figures are figured again)"}]
