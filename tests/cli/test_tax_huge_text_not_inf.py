"""`dist401k tax`: a 400-digit number in a text column (filing_status, state) was told
"inf is not a filing status": the value typed was not ``inf`` (docs/api.md: no message repeats
the value typed, and none names one that was not typed).  A cell that spells NaN or an infinity
keeps its word."""

from __future__ import annotations

from typer.testing import CliRunner

from dist401k.cli import app as cli

runner = CliRunner()
HUGE = "1" + "0" * 399
STATUSES = "(single, married_joint, married_separate, head_of_household, qualifying_surviving_spouse)"


def _tax(tmp_path, column: str, value: str):
    path = tmp_path / "units.csv"
    path.write_text(f"tax_year,filing_status,wages,{'state' if column == 'state' else 'other_income'}\n"
                    f"2026,{value if column == 'filing_status' else 'single'},50000,"
                    f"{value if column == 'state' else 0}\n")
    return runner.invoke(cli, ["tax", str(path)])


def test_a_huge_number_as_a_filing_status_is_not_called_inf(tmp_path):
    out = _tax(tmp_path, "filing_status", HUGE)
    assert out.exit_code == 2, out.output
    assert f"row 1, filing_status: is not a filing status {STATUSES}" in out.output
    assert "inf" not in out.output.replace("input", "")


def test_a_huge_number_as_a_state_is_not_called_inf(tmp_path):
    out = _tax(tmp_path, "state", HUGE)
    assert out.exit_code == 2, out.output
    assert "row 1, state: is not a US state code" in out.output
    assert "inf" not in out.output.replace("input", "")


def test_a_cell_that_spells_infinity_keeps_its_word(tmp_path):
    out = _tax(tmp_path, "filing_status", "-Infinity")
    assert out.exit_code == 2, out.output
    assert f"row 1, filing_status: -inf is not a filing status {STATUSES}" in out.output
