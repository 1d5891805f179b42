"""The birth dates of the case other than the person's, checked as ``person.birth_date`` is and
in its words, through every door (DESIGN.md, "Bad input gets a clear error … the same through
every door").

A spouse born after the request date (2200, or a week after it) was accepted and the RMD taken
from the joint and last survivor table's age-0 column: the retiree of
examples/cases/rmd-retired-younger-spouse.yaml was told $5,910.17 for an RMD of $18,181.82. The
joint table is for a spouse who is the sole beneficiary and has an age in the distribution
calendar year (Treas. Reg. §1.401(a)(9)-9(d)): one not yet born has none. A spouse born in 1800
(226 in 2026) is an age over 120, the bound ``person.birth_date`` has. The same holds for a
deceased account owner 222 years old at death (``beneficiary.deceased_birth_date``), a 72(t)
joint-table beneficiary born in 1800 (``sepp.beneficiary_birth_date``) and a joint-life
series' beneficiary (``request.series_beneficiary_birth_date``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app as cli
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
AFTER = "is after the request date"
OVER = "gives an age over 120"
runner = CliRunner()


def _example(name: str) -> dict:
    return json.loads(json.dumps(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()),
                                 default=str))


def _spouse(born: str) -> dict:
    """The younger-spouse retiree (request dated 2026-11-23) with the spouse born ``born``."""
    case = _example("rmd-retired-younger-spouse")
    case["person"]["spouse_birth_date"] = born
    return case


def _heir(deceased_born: str) -> dict:
    case = _example("inherited-ten-year-after-rbd")
    case["beneficiary"]["deceased_birth_date"] = deceased_born
    return case


def _sepp_joint(beneficiary_born: str) -> dict:
    case = _example("sepp-early-retiree")
    case["sepp"].update(table="joint", beneficiary_birth_date=beneficiary_born)
    return case


#: (the case, the field named, the words): hand-worked from the dates given.  The request of
#: the younger-spouse example is dated 2026-11-23: 2026-11-30 and 2200-01-01 are after it;
#: 2026 − 1800 = 226 > 120.  The heir example's owner died in 2022: 2022 − 1800 = 222 > 120
#: at death.  The 72(t) series' first payment is in 2026: 2026 − 1800 = 226.
REFUSED = [
    (_spouse("2200-01-01"), "person.spouse_birth_date", AFTER),
    (_spouse("2026-11-30"), "person.spouse_birth_date", AFTER),
    (_spouse("1800-01-01"), "person.spouse_birth_date", OVER),
    (_heir("1800-01-01"), "beneficiary.deceased_birth_date", f"{OVER} at date_of_death"),
    (_sepp_joint("1800-01-01"), "sepp.beneficiary_birth_date", f"{OVER} at first_payment_date"),
]
IDS = ["spouse-2200", "spouse-next-week", "spouse-1800", "deceased-1800", "sepp-joint-1800"]


@pytest.fixture
def client(tmp_path):
    return TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))


@pytest.mark.parametrize(("case", "field", "words"), REFUSED, ids=IDS)
def test_the_command_line_refuses_it_in_one_line(tmp_path, case, field, words):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False))
    out = runner.invoke(cli, ["assess", str(path), "-f", "json"])
    assert out.exit_code == 2, out.output
    assert [line for line in out.output.splitlines() if line.strip()] == [
        f"error: case.yaml: {field}: {words}"]


@pytest.mark.parametrize(("case", "field", "words"), REFUSED, ids=IDS)
def test_the_api_refuses_it_with_the_same_words(client, case, field, words):
    r = client.post("/assess", json=case)
    assert r.status_code == 422, r.text
    assert [(d["loc"], d["msg"]) for d in r.json()["detail"]] == [
        (["body", *field.split(".")], words)]


def test_a_joint_life_series_beneficiary_born_after_the_request_is_refused(client):
    """``request.series_beneficiary_birth_date`` (a joint-life annuity's other life): the
    example's request is dated 2026-11-23."""
    case = _spouse("1965-05-20")
    case["request"].update(series="joint_life", amount=1000, annuity_start_date="2021-01-01",
                           series_beneficiary_birth_date="2027-01-01")
    r = client.post("/assess", json=case)
    assert r.status_code == 422, r.text
    assert (["body", "request", "series_beneficiary_birth_date"], AFTER) in [
        (d["loc"], d["msg"]) for d in r.json()["detail"]]


@pytest.mark.parametrize("born", ["1965-05-20", "1906-01-01", "2026-11-23"])
def test_a_spouse_within_the_bounds_is_still_taken(client, born):
    """The shipped spouse; one aged exactly 120 in 2026 (2026 − 1906); one born on the request
    date itself (not after it)."""
    assert client.post("/assess", json=_spouse(born)).status_code == 200


def test_an_owner_who_died_at_120_is_still_taken(client):
    """Born 1902, died in the example's year of death 2022: 120 at death, within the bound."""
    r = client.post("/assess", json=_heir("1902-01-01"))
    assert r.status_code == 200, r.text


def _book(**columns) -> pa.Table:
    """One retiree's row, married filing jointly, the spouse the sole beneficiary."""
    base = {"participant_id": ["r1"], "request_date": [dt.date(2026, 11, 23)],
            "birth_date": [dt.date(1951, 2, 11)], "plan_type": ["401k"],
            "employment_status": ["separated"], "separation_date": [dt.date(2020, 12, 31)],
            "filing_status": ["married_joint"], "spouse_sole_beneficiary": [True],
            "balance_elective_deferral": [520000.0], "prior_year_end_balance": [500000.0]}
    return pa.table({**base, **columns})


@pytest.mark.parametrize(("born", "words"), [(dt.date(2200, 1, 1), AFTER),
                                             (dt.date(1800, 1, 1), OVER)])
def test_a_batch_row_refuses_it_with_the_same_words(born, words):
    (out,) = run_job(_book(spouse_birth_date=[born]), "rmd", default_law()).to_pylist()
    assert (out["status"], out["error_message"]) == ("error", f"spouse_birth_date: {words}")


def test_a_batch_row_with_the_shipped_spouse_is_answered():
    (out,) = run_job(_book(spouse_birth_date=[dt.date(1965, 5, 20)]), "rmd",
                     default_law()).to_pylist()
    assert out["status"] == "ok", out

