"""A bad cell's value is never echoed in an error (docs/reliability.md: nothing from the input's
values — names, amounts, identifiers — reaches a log): `dist401k tax`, `POST /tax` and the batch
`tax` job name the row, the column and the problem only; the words the parser itself knows (a
blank, ``nan``, ``inf``) and the filing statuses it takes are the only ones said."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.tax import TaxUnits

SSN = "123-45-6789"
NAME = "John Doe"
STATUSES = "(single, married_joint, married_separate, head_of_household, qualifying_surviving_spouse)"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dist401k.store import Store

    db = tmp_path_factory.mktemp("db") / "cases.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""))


def _secret_rows() -> list[dict]:
    return [{"tax_year": 2025, "filing_status": "single", "wages": 50_000},
            {"tax_year": 2025, "filing_status": NAME, "wages": SSN, "blind_head": "Jane Roe",
             "taxable_interest": -4321.5, "age_head": 217}]


def _assert_nothing_echoed(text: str) -> None:
    for secret in (SSN, "123", "6789", NAME, "John", "Jane Roe", "4321", "217"):
        assert secret not in text, (secret, text)


def test_the_cli_names_the_column_and_the_problem_only(tmp_path):
    src = tmp_path / "units.csv"
    src.write_text("tax_year,filing_status,wages,blind_head,taxable_interest,age_head\n"
                   "2025,single,50000,0,0,40\n"
                   f"2025,{NAME},{SSN},Jane Roe,-4321.5,217\n")
    r = CliRunner().invoke(app, ["tax", str(src)])
    assert r.exit_code == 2
    _assert_nothing_echoed(r.output)
    for line in (f"row 2, filing_status: is not a filing status {STATUSES}",
                 "row 2, wages: is not a number",
                 "row 2, blind_head: is not true/false (1/0)",
                 "row 2, taxable_interest: is negative (amounts must be 0 or more)",
                 "row 2, age_head: is outside 0–120"):
        assert line in r.output, r.output


def test_post_tax_says_the_same_in_its_422(client):
    r = client.post("/tax", json={"units": _secret_rows()})
    assert r.status_code == 422
    _assert_nothing_echoed(r.text)
    got = {d["loc"][-1]: d["msg"] for d in r.json()["detail"]}
    assert got["wages"] == "is not a number"
    assert got["filing_status"] == f"is not a filing status {STATUSES}"
    assert got["blind_head"] == "is not true/false (1/0)"


def test_the_batch_tax_job_echoes_nothing():
    import pyarrow as pa

    from dist401k.jobs import run_job
    from dist401k.law.loader import default_law

    rows = _secret_rows()[1:]
    out = run_job(pa.table({k: [str(v)] for k, v in rows[0].items()}), "tax",
                  default_law()).to_pylist()[0]
    assert out["status"] == "error"
    _assert_nothing_echoed(str(out))


def _problems(rows) -> list[str]:
    with pytest.raises(InputError) as exc:
        TaxUnits.from_records(rows)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize("typed, hint", [
    ("married", " (did you mean `married_joint`?)"),
    ("Head of houshold", " (did you mean `head_of_household`?)"),
    (NAME, ""),
    (3, ""),
])
def test_a_filing_status_lists_the_names_and_hints_without_echoing(typed, hint):
    (found,) = _problems([{"tax_year": 2025, "filing_status": typed}])
    assert found == f"row 1, filing_status: is not a filing status {STATUSES}{hint}"


@pytest.mark.parametrize("typed, words", [
    (None, "a blank value is not a number"),
    ("", "a blank value is not a number"),
    ("nan", "nan is not a number"),
    ("NaN", "nan is not a number"),
    (float("nan"), "nan is not a number"),
    ("inf", "inf is not a number"),
    ("-Infinity", "-inf is not a number"),
    ("12abc", "is not a number"),
    ("true", "is not a number"),  # a JSON true, as POST /tax reads it
])
def test_only_the_parsers_own_words_are_said(typed, words):
    (found,) = _problems([{"tax_year": 2025, "filing_status": "single", "wages": typed}])
    assert found == f"row 1, wages: {words}"


def test_the_amount_problems_name_no_amount():
    found = _problems([{"tax_year": 2025.5, "filing_status": "single", "ordinary_dividends": 300,
                        "qualified_dividends": 4567},
                       {"tax_year": 1987, "filing_status": "single", "wages": 9.87e15}])
    assert found == [
        "row 1, tax_year: is not a whole year",
        "row 1, qualified_dividends: exceeds ordinary_dividends; it is part of ordinary_dividends",
        "row 2, tax_year: is not a year dist401k has law for (known: 2024–2100)",
        "row 2, wages: is more than 1e+11 dollars (the bound of every amount)"]


def test_the_state_tax_inputs_name_no_amount():
    """The state tax's own checks (``StateUnits``: the parts of a whole, the spouse's parts, an
    age, a year) say the column and the problem, never the amounts typed."""
    from dist401k.tax.state import StateUnits

    cols = {"state": ["NY", "NY"], "tax_year": [2026, 2023], "filing_status": ["single"] * 2,
            "age_head": [54.0, 131.0], "federal_agi": [43210.0, 50_000.0],
            "taxable_distributions": [8765.0, 1000.0], "early_distributions": [9876.0, 0.0],
            "ira_distributions": [8765.0, 0.0], "periodic_distributions": [4321.0, 0.0],
            "spouse_distributions": [7777.0, 0.0]}
    with pytest.raises(InputError) as exc:
        StateUnits.from_columns(cols)
    text = str(exc.value) + " ".join(str(p) for p in exc.value.problems)
    for secret in ("43210", "8765", "9876", "4321", "7777", "131", "2023"):
        assert secret not in text, (secret, text)
    for words in ("early_distributions: exceeds taxable_distributions",
                  "age_head: is over 120", "tax_year: is not a year dist401k has law for",
                  "spouse_distributions: is given on a return that is not joint"):
        assert words in text, text
