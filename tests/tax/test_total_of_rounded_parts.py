"""The income tax shown is the sum of its shown parts, to the cent, in every door.

Form 1040 enters each tax on its own line — the tax (line 16), the AMT (Schedule 2, Part I,
Form 6251), the §72(t) additional tax (Schedule 2, line 8, from Form 5329 line 4) and the net
investment income tax (Schedule 2, line 12, Form 8960) — and line 24, the total tax, adds the
lines as entered (lines 22 + 23).  docs/tax.md defines ``income_tax`` as
regular_tax + amt + niit + additional_tax_72t.  Before, the total was the sum of the unrounded
parts, rounded after: a cent below the sum of the rounded columns beside it, and a cent off what
`dist401k assess` and `compare` give the same person (they add the rounded parts).

The reviewer's case, worked by hand: single, age 50, California, 2026, an early distribution of
$18,894.56 and no other income.  Standard deduction $16,100 (IRC §63(c), Rev. Proc. 2025-32
§4.13 for 2026): taxable income 18,894.56 − 16,100 = 2,794.56, all in the 10% bracket (to
$12,400 single in 2026, Rev. Proc. 2025-32 §4.01): 279.456 → $279.46.  The §72(t)(1) tax: 10% ×
18,894.56 = 1,889.456 → $1,889.46 (Form 5329 line 4).  Total: 279.46 + 1,889.46 = $2,168.92
(the unrounded sum, 2,168.912, rounds to 2,168.91).

Also: the batch ``tax`` job says each input problem of a row once, with or without a ``state``
column (the federal check and the state's check both read the row's federal inputs).
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store
from dist401k.tax.table import tax_table

LAW = default_law()
runner = CliRunner()
PARTS = ("regular_tax", "amt", "niit", "additional_tax_72t")

REVIEWER = {"tax_year": 2026, "filing_status": "single", "age_head": 50, "state": "CA",
            "taxable_distributions": 18894.56, "early_distributions": 18894.56}
# By hand (module docstring).
EXPECTED = {"regular_tax": Decimal("279.46"), "amt": Decimal("0"), "niit": Decimal("0"),
            "additional_tax_72t": Decimal("1889.46"), "income_tax": Decimal("2168.92")}


def _printed(v: object) -> Decimal:
    """A figure as it is printed (JSON, CSV): its shortest decimal text."""
    return Decimal(str(v))


def _assert_total_is_sum(row: dict) -> None:
    total = sum((_printed(row[k]) for k in PARTS), Decimal(0))
    assert _printed(row["income_tax"]) == total, {k: row[k] for k in (*PARTS, "income_tax")}


def _assert_reviewer(row: dict) -> None:
    assert {k: _printed(row[k]) for k in EXPECTED} == EXPECTED


@pytest.fixture(scope="module")
def reviewer_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("taxround") / "tp3.csv"
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(REVIEWER))
        w.writeheader()
        w.writerow(REVIEWER)
    return path


def test_reviewer_case_library():
    _assert_reviewer(tax_table([REVIEWER], LAW).to_pylist()[0])


def test_reviewer_case_command_csv_and_json(reviewer_csv):
    r = runner.invoke(app, ["tax", str(reviewer_csv), "--format", "csv"])
    assert r.exit_code == 0, r.output
    _assert_reviewer(next(csv.DictReader(r.stdout.splitlines())))
    r = runner.invoke(app, ["tax", str(reviewer_csv), "--format", "json"])
    assert r.exit_code == 0, r.output
    _assert_reviewer(json.loads(r.stdout)["results"][0])


def test_reviewer_case_command_output_file(reviewer_csv, tmp_path):
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["tax", str(reviewer_csv), "-o", str(out)])
    assert r.exit_code == 0, r.output
    with out.open(newline="") as f:
        _assert_reviewer(next(csv.DictReader(f)))


def test_reviewer_case_batch_job():
    out = run_job(pa.Table.from_pylist([REVIEWER]), "tax", LAW).to_pylist()[0]
    assert out["status"] == "ok", out
    _assert_reviewer(out)


def test_reviewer_case_api(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'c.sqlite'}"), token=""),
                        raise_server_exceptions=False)
    r = client.post("/tax", json={"units": [REVIEWER]})
    assert r.status_code == 200, r.text
    _assert_reviewer(r.json()["results"][0])


def _money(hi: int):
    """An amount in whole cents from 0 to ``hi`` dollars (half the draws 0)."""
    return st.one_of(st.just(0.0), st.integers(0, hi * 100).map(lambda c: c / 100))


@st.composite
def units(draw) -> dict:
    """A tax unit with amounts in cents that reach every part: the 10% tax on an early
    distribution, the NIIT (investment income over the §1411 threshold), the AMT (large
    itemized deductions, gains)."""
    taxable = draw(_money(600_000))
    ordinary = draw(_money(200_000))
    return {
        "tax_year": draw(st.sampled_from([2024, 2025, 2026])),
        "filing_status": draw(st.sampled_from(["single", "married_joint", "married_separate",
                                               "head_of_household"])),
        "age_head": draw(st.integers(20, 90)), "age_spouse": draw(st.integers(20, 90)),
        "wages": draw(_money(900_000)),
        "taxable_interest": draw(_money(200_000)),
        "ordinary_dividends": ordinary,
        "qualified_dividends": draw(st.integers(0, round(ordinary * 100))) / 100,
        "long_term_gains": draw(_money(1_500_000)),
        "taxable_distributions": taxable,
        "early_distributions": draw(st.integers(0, round(taxable * 100))) / 100,
        "social_security": draw(_money(60_000)),
        "itemized_deductions": draw(_money(400_000)),
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(units(), min_size=1, max_size=40))
def test_every_total_is_the_sum_of_its_parts(batch):
    """In the command's table (what `dist401k tax`, its JSON, CSV and -o file and POST /tax
    print) and in the batch job's rows, on random units."""
    for row in tax_table(batch, LAW).to_pylist():
        _assert_total_is_sum(row)
    for row in run_job(pa.Table.from_pylist(batch), "tax", LAW).to_pylist():
        assert row["status"] == "ok", row
        _assert_total_is_sum(row)


def test_batch_tax_job_says_a_problem_once_with_a_state_column():
    """A joint return's blank age_spouse (docs/tax.md: a blank is not a number) is one problem, whether or not
    the book has a ``state`` column; other problems of the row keep their order after it."""
    base = {"participant_id": "p1", "tax_year": "2026", "filing_status": "married_joint",
            "age_head": "50", "age_spouse": "", "wages": "50000"}
    for extra in ({}, {"state": "NY"}):
        out = run_job(pa.Table.from_pylist([{**base, **extra}]), "tax", LAW).to_pylist()[0]
        assert out["status"] == "error"
        assert out["error_column"] == "age_spouse"
        assert out["error_message"] == "age_spouse: a blank value is not a number"
    two = {**base, "wages": "", "state": "NY"}
    out = run_job(pa.Table.from_pylist([two]), "tax", LAW).to_pylist()[0]
    assert out["error_message"] == ("age_spouse: a blank value is not a number; "
                                    "wages: a blank value is not a number")
