"""The words of a newcomer's commonest slips: one line, exit 2, and advice that fits.

- A YAML indented with a tab showed PyYAML's own text (`in "<unicode string>", line 10,
  column 1: birth_date: 1988-04-02 ^`); it says "line 10, column 1: a tab cannot indent YAML:
  use spaces" (YAML 1.2 §6.1: tabs must not be used in indentation), and other YAML errors
  keep the line, column and problem without the parser's quoting of the text.
- `tax … -o out.xlsx` gave the Excel "Save As CSV" advice meant for an input workbook; for an
  output it names only the types written.
- A plan book (Parquet) given to `assess` or `plan` was "not UTF-8 text" or "larger than
  1,000,000 bytes: not a case"; it is named a Parquet table, with the command that reads it."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.synth import synth_table

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _one_line(args: list[str]) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1, r.output
    return lines[0]


def test_a_tab_that_indents_a_case_is_named_with_its_line(tmp_path):
    """hardship-medical.yaml with its `  birth_date:` (the file's line 10, counted by hand: 7
    comment lines, `id:`, `person:`, then it) indented by a tab: line 10, column 1."""
    text = (EXAMPLES / "cases" / "hardship-medical.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    assert lines[9] == "  birth_date: 1988-04-02\n"
    lines[9] = "\tbirth_date: 1988-04-02\n"
    path = tmp_path / "tab.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    said = "error: tab.yaml: line 10, column 1: a tab cannot indent YAML: use spaces"
    assert _one_line(["assess", str(path)]) == said
    assert _one_line(["compare", str(path)]) == said


def test_a_tab_after_a_key_is_not_called_an_indent(tmp_path):
    """The same line with the tab after `birth_date:` (column 14: two spaces, 11 characters of
    key and colon): it indents nothing, so the words do not say it does."""
    text = (EXAMPLES / "cases" / "hardship-medical.yaml").read_text(encoding="utf-8")
    path = tmp_path / "tab.yaml"
    path.write_text(text.replace("  birth_date: 1988", "  birth_date:\t1988"), encoding="utf-8")
    said = "error: tab.yaml: line 10, column 14: YAML takes no tab here: use spaces"
    assert _one_line(["assess", str(path)]) == said


def test_a_tab_in_a_drawdown_plan_reads_the_same(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("start_year: 2026\npeople:\n\t- name: A\n", encoding="utf-8")
    assert _one_line(["plan", str(path)]) == ("error: plan.yaml: line 3, column 1: a tab cannot "
                                              "indent YAML: use spaces")


def test_other_yaml_errors_keep_line_column_and_problem_without_parser_quoting(tmp_path):
    """`b: [1, 2` never closed: the parser reaches the end (line 3, column 1) while reading
    the list opened at line 2, column 4 (after `b: `)."""
    path = tmp_path / "open.yaml"
    path.write_text("a: 1\nb: [1, 2\n", encoding="utf-8")
    said = _one_line(["assess", str(path)])
    assert said == ("error: open.yaml: is not valid YAML: line 3, column 1: expected ',' or ']', "
                    "but got '<stream end>' (while parsing a flow sequence at line 2, column 4)")
    assert "<unicode string>" not in said and "^" not in said


def test_an_output_of_another_type_names_only_the_types_written(tmp_path):
    said = _one_line(["tax", str(EXAMPLES / "households.csv"), "-o", str(tmp_path / "out.xlsx")])
    assert said == "error: out.xlsx: unknown file type '.xlsx' (write .csv, .parquet or .json)"
    assert "Save As" not in said


def test_an_input_workbook_still_says_how_to_save_it_as_csv(tmp_path):
    said = _one_line(["tax", str(tmp_path / "households.xlsx")])
    assert "Save As > CSV UTF-8" in said and "(use .csv, .parquet or .json)" in said


def test_a_plan_book_given_to_assess_or_plan_names_batch(tmp_path):
    """A Parquet book over the 1,000,000-byte limit of a case, and a small one: both named a
    Parquet table, with `dist401k batch` to run it."""
    big = tmp_path / "book.parquet"
    pq.write_table(synth_table(20_000, seed=1), big)
    assert big.stat().st_size > 1_000_000
    assert _one_line(["assess", str(big)]) == (
        f"error: book.parquet: is a Parquet table, not a case: a plan book runs with "
        f"`dist401k batch {big} --job JOB -o OUT`, tax units with `dist401k tax {big}`")
    small = tmp_path / "small.parquet"
    pq.write_table(synth_table(10, seed=1), small)
    assert "is a Parquet table, not a drawdown plan: a plan book runs with `dist401k batch" in (
        _one_line(["plan", str(small)]))
