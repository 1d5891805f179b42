"""A tax table mixing single and joint filers: the spouse's columns left blank on the rows whose
filing status has no such spouse are no value (a JSON table leaves the key out), in the command,
``POST /tax`` and the batch ``tax`` job; a blank where the column applies is still refused.

Figures by hand from the 2026 law (Rev. Proc. 2025-32 as amended by P.L. 119-21): a single filer
of 45 with $50,000 of wages: 50,000 − 16,100 = 33,900 taxable; 10% of 12,400 + 12% of 21,500 =
$3,820.  A joint couple of 45 and 44 with $90,000: 90,000 − 32,200 = 57,800; 10% of 24,800 + 12%
of 33,000 = $6,440."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.tax import TaxUnits, federal_tax

MIXED = {"tax_year": [2026, 2026], "filing_status": ["single", "married_joint"],
         "age_head": [45, 45], "wages": [50_000, 90_000]}


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_a_single_filers_blank_spouse_columns_are_no_value(blank):
    units = TaxUnits.from_columns({**MIXED, "age_spouse": [blank, 44],
                                   "blind_spouse": [blank, 0]})
    assert federal_tax(units)["income_tax"].tolist() == [3_820, 6_440]


def test_separate_only_flags_blank_on_other_statuses():
    units = TaxUnits.from_columns({**MIXED, "age_spouse": ["", 44], "lived_apart": ["", ""],
                                   "spouse_itemizes": [None, None]})
    assert federal_tax(units)["income_tax"].tolist() == [3_820, 6_440]


def test_a_blank_where_the_column_applies_is_still_refused():
    with pytest.raises(InputError) as e:
        TaxUnits.from_columns({**MIXED, "age_spouse": [0, ""]})
    assert [(p.row, p.field) for p in e.value.problems] == [(2, "age_spouse")]
    with pytest.raises(InputError) as e:
        TaxUnits.from_columns({**MIXED, "filing_status": ["married_separate", "single"],
                               "lived_apart": ["", 0]})
    assert [(p.row, p.field) for p in e.value.problems] == [(1, "lived_apart")]


def test_a_value_given_on_a_single_filers_row_is_still_checked():
    with pytest.raises(InputError) as e:
        TaxUnits.from_columns({**MIXED, "age_spouse": ["old", 44]})
    assert e.value.problems[0].field == "age_spouse" and e.value.problems[0].row == 1


def run_cli(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.output


def test_the_command_reads_the_mixed_table(tmp_path):
    csv = tmp_path / "mixed.csv"
    csv.write_text("tax_year,filing_status,age_head,age_spouse,wages\n"
                   "2026,single,45,,50000\n2026,married_joint,45,44,90000\n")
    code, out = run_cli("tax", str(csv), "--format", "json")
    assert code == 0, out
    assert [r["income_tax"] for r in json.loads(out)["results"]] == [3_820, 6_440]
    rows = [{"tax_year": 2026, "filing_status": "single", "age_head": 45, "wages": 50_000},
            {"tax_year": 2026, "filing_status": "married_joint", "age_head": 45, "age_spouse": 44,
             "wages": 90_000}]
    js = tmp_path / "mixed.json"
    js.write_text(json.dumps(rows))
    code, out = run_cli("tax", str(js), "--format", "json")
    assert code == 0, out
    assert [r["income_tax"] for r in json.loads(out)["results"]] == [3_820, 6_440]


def test_post_tax_and_the_batch_job_read_it(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app

    units = [{"tax_year": 2026, "filing_status": "single", "age_head": 45, "age_spouse": None,
              "wages": 50_000},
             {"tax_year": 2026, "filing_status": "married_joint", "age_head": 45,
              "age_spouse": 44, "wages": 90_000}]
    r = TestClient(create_app()).post("/tax", json={"units": units})
    assert r.status_code == 200, r.text
    assert [u["income_tax"] for u in r.json()["results"]] == [3_820, 6_440]
    csv = tmp_path / "mixed.csv"
    csv.write_text("participant_id,tax_year,filing_status,age_head,age_spouse,wages\n"
                   "a,2026,single,45,,50000\nb,2026,married_joint,45,44,90000\n")
    out = tmp_path / "out.csv"
    code, text = run_cli("batch", str(csv), "--job", "tax", "-o", str(out))
    assert code == 0, text
    import pyarrow.csv as pacsv

    assert pacsv.read_csv(out).column("income_tax").to_pylist() == [3_820, 6_440]


def test_with_a_state_column_too(tmp_path):
    """New York, 2026: the single filer's 50,000 less the $8,000 standard deduction, 42,000,
    under $65,000, read in the State tax table on the row 42,000–42,050 at its middle, 42,025:
    3.9% to 8,500, 4.4% to 11,700, 5.15% to 13,900 and 5.4% above (Tax Law §601(c) as amended
    for 2026): 331.50 + 140.80 + 113.30 + 5.4% × 28,125 = 2,104.35, so $2,104."""
    csv = tmp_path / "mixed_ny.csv"
    csv.write_text("tax_year,filing_status,age_head,age_spouse,wages,state\n"
                   "2026,single,45,,50000,NY\n2026,married_joint,45,44,90000,NY\n")
    code, out = run_cli("tax", str(csv), "--format", "json")
    assert code == 0, out
    rows = json.loads(out)["results"]
    assert [r["income_tax"] for r in rows] == [3_820, 6_440]
    assert rows[0]["state_income_tax"] == pytest.approx(2_104, abs=0.005)


def test_a_deceased_age_of_0_without_a_state_is_no_value():
    """docs/tax.md: without a state, a state input holding blank, 0 or false carries no value
    (the diff review: deceased_age 0 was refused, "needs a state")."""
    units = TaxUnits.from_columns({**MIXED, "deceased_age": [0, ""]})
    assert federal_tax(units)["income_tax"].tolist() == [3_820, 6_440]
    with pytest.raises(InputError) as e:
        TaxUnits.from_columns({**MIXED, "deceased_age": [70, 0]})
    assert [(p.row, p.field) for p in e.value.problems] == [(1, "deceased_age")]
