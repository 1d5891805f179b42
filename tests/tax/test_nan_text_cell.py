"""A CSV cell holding the word ``nan`` (or ``inf``) was given, and is no number: it is refused
as the value it is, naming the column, not as a blank cell (which is refused as blank)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.io.tables import read_csv_table
from dist401k.tax import TaxUnits
from dist401k.tax.state.units import StateUnits

HEAD = "tax_year,filing_status,age_head,taxable_distributions\n"


def _problems(tmp_path, cells: str) -> list[str]:
    src = tmp_path / "t.csv"
    src.write_text(HEAD + cells)
    with pytest.raises(InputError) as exc:
        TaxUnits.from_columns(_columns(read_csv_table(src)))
    return [str(p) for p in exc.value.problems]


def _columns(table: pa.Table) -> dict:
    return {name: table.column(name) for name in table.column_names}


def test_the_word_nan_is_not_a_blank(tmp_path):
    found = _problems(tmp_path, "2025,single,70,nan\n2025,single,70,\n2025,single,70,inf\n")
    assert found == ["row 1, taxable_distributions: nan is not a number",
                     "row 2, taxable_distributions: a blank value is not a number",
                     "row 3, taxable_distributions: inf is not a number"]


def test_the_reviewers_file(tmp_path):
    """e1.csv's row 5 holds ``nan`` in taxable_distributions, row 6 ``inf``."""
    src = tmp_path / "e1.csv"
    src.write_text(
        "tax_year,filing_status,age_head,taxable_distributions\n"
        + "2025,single,70,30000\n" * 4 + "2025,single,70,nan\n2025,single,70,inf\n")
    r = CliRunner().invoke(app, ["tax", str(src)])
    assert r.exit_code == 2
    assert "row 5, taxable_distributions: nan is not a number" in r.output
    assert "blank" not in r.output


def test_a_state_tables_nan_is_not_a_blank():
    cols = {"state": pa.chunked_array([["CA", "CA"]]), "tax_year": pa.chunked_array([[2025, 2025]]),
            "filing_status": pa.chunked_array([["single", "single"]]),
            "federal_agi": pa.chunked_array([[0.0, 0.0]]),
            "wages": pa.chunked_array([[float("nan"), None]], pa.float64())}
    with pytest.raises(InputError) as exc:
        StateUnits.from_columns(cols)
    found = [str(p) for p in exc.value.problems]
    assert "row 1, wages: nan is not a number" in found
    assert "row 2, wages: a blank value is not a number" in found
