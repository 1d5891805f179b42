"""New York's tax table: below $65,000 of taxable income (IT-201 line 38), with New York AGI of
$107,650 or less, line 39 is read in the New York State tax table, not figured by the rate
schedule on the income itself (the Department's 2024 tax tables page: "NYS taxable income is
less than $65,000 (line 38): NYS tax table"; "$65,000 or more: NYS tax rate schedule").

The rows checked are those printed in the Department's 2022 New York State Tax Table
(https://www.tax.ny.gov/pit/file/it203i-tax-tables.htm, "$0—$5,999"): rows "$0 but less than
$13", "13–25", "25–50", then $50 wide, each printing the same tax in the three filing status
columns.  All lie in the 4% bracket, which is the same in 2024 (§601(a)–(c): 4% to $8,500,
$17,150 and $12,800), so the 2024 table prints the same figure on them.  The tax printed is
written here as read; the rate schedule on the income itself (what dist401k gave before) is
shown beside it, to the cent.
"""

from __future__ import annotations

import json

import pytest
from state_cases import one
from typer.testing import CliRunner

from dist401k.cli import app

#: The 2024 standard deductions (§614; IT-201 instructions, line 34).
DEDUCTION = {"single": 8_000, "married_joint": 16_050, "head_of_household": 11_200}

#: (taxable income, the 2022 table's row (at least, but less than), the tax printed on it, the
#: schedule's 4% of the income itself).
PRINTED_ROWS = [
    (12, (0, 13), 0, 0.48),
    (13, (13, 25), 1, 0.52),
    (24, (13, 25), 1, 0.96),
    (25, (25, 50), 2, 1.00),
    (99, (50, 100), 3, 3.96),
    (140, (100, 150), 5, 5.60),
    (999, (950, 1_000), 39, 39.96),
    (1_000, (1_000, 1_050), 41, 40.00),
    (1_950, (1_950, 2_000), 79, 78.00),
]


def ny_2024(status: str, taxable: float, **more) -> dict:
    """A 2024 New York resident of 40 whose only income is a distribution leaving ``taxable``
    of New York taxable income after the standard deduction (no exclusion before 59½)."""
    agi = DEDUCTION[status] + taxable
    unit = {"state": "NY", "tax_year": 2024, "filing_status": status, "age_head": 40,
            "federal_agi": agi, "taxable_distributions": agi}
    if status == "married_joint":
        unit["age_spouse"] = 40
    return one(unit, **more)


@pytest.mark.parametrize("status", sorted(DEDUCTION))
@pytest.mark.parametrize(("taxable", "row", "printed", "schedule"), PRINTED_ROWS)
def test_the_printed_rows(status, taxable, row, printed, schedule):
    assert row[0] <= taxable < row[1]
    assert schedule == pytest.approx(0.04 * taxable)
    assert ny_2024(status, taxable)["state_income_tax"] == pytest.approx(printed, abs=0.005)


def test_the_tables_edge_at_65000():
    # A joint return, 2024: $64,999 is on the row 64,950–65,000, figured at its middle, 64,975:
    # 4% of 17,150 (686) + 4.5% of 6,450 (290.25) + 5.25% of 4,300 (225.75) = 1,202, plus 5.5%
    # of 37,075 (2,039.125) = 3,241.125, $3,241 (the schedule on 64,999 itself: 3,242.445).
    assert ny_2024("married_joint", 64_999)["state_income_tax"] == pytest.approx(3_241.0, abs=0.005)
    # From $65,000 the rate schedule on the income itself: 1,202 + 5.5% of 37,100 = 3,242.50.
    assert ny_2024("married_joint", 65_000)["state_income_tax"] == pytest.approx(3_242.5, abs=0.005)


def test_the_city_and_yonkers_on_a_table_row():
    # The state's line 39 is the table's; New York City's tax is still the city's rate schedule
    # on the same taxable income (its own table is not modelled): $1,950 single, 3.078% =
    # 60.021.  Yonkers adds 16.75% of the state's $79: 13.2325.
    city = ny_2024("single", 1_950, new_york_city_resident=True)["state_income_tax"]
    assert city == pytest.approx(79 + 0.03078 * 1_950, abs=0.005)
    yonkers = ny_2024("single", 1_950, yonkers_resident=True)["state_income_tax"]
    assert yonkers == pytest.approx(79 * 1.1675, abs=0.005)


def test_the_tax_door_reads_the_table(tmp_path):
    """``dist401k tax`` on a household landing on a printed row: a single filer of 40 with an
    IRA distribution of $9,960 in 2024 — federal AGI $9,960, New York taxable income $1,960
    after the $8,000 standard deduction, the row 1,950–2,000: $79 (the schedule on 1,960 itself
    gives 78.40)."""
    path = tmp_path / "units.csv"
    path.write_text("tax_year,filing_status,age_head,taxable_distributions,ira_distributions,state\n"
                    "2024,single,40,9960,9960,NY\n")
    r = CliRunner().invoke(app, ["tax", str(path), "--format", "json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output)["results"][0]
    assert got["state_income_tax"] == pytest.approx(79.0, abs=0.005)
