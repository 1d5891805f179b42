"""The command line's rough edges a developer-experience review found (docs/cli.md,
docs/batch.md): a COLUMNS no console can draw at, advice that works for a CSV given to the Dask
engine, option names never cut in --help, an input refused before the progress bar starts, two
outputs that are one file, ``-h``, conflicting options refused, did-you-mean for a job, and the
wrapped lines of a "why" list indented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app

ROOT = Path(__file__).parents[2]
CASE = ROOT / "examples" / "cases" / "annuity-pitch-backdoor.yaml"
SEPP = ROOT / "examples" / "cases" / "sepp-early-retiree.yaml"
runner = CliRunner()


def run(args: list[str], **env: str):
    return runner.invoke(app, args, env=env or None)


@pytest.mark.parametrize("columns", ["0", "00", "1", "5"])
def test_a_columns_no_console_can_draw_at_is_as_if_unset(columns):
    """COLUMNS=0 printed nothing at all: no answer, no help, no error."""
    out = run(["explain", "PX_SEPARATION_55"], COLUMNS=columns)
    assert out.exit_code == 0
    assert out.stdout == run(["explain", "PX_SEPARATION_55"]).stdout  # piped: 100 columns
    err = run(["explain", "NOT_A_CODE"], COLUMNS=columns)
    assert err.exit_code == 2 and err.stderr.startswith("error: ") and "NOT_A_CODE" in err.stderr
    usage = run(["plan", "--bogus"], COLUMNS=columns)
    assert usage.exit_code == 2 and "No such option: --bogus" in usage.stderr
    assert "Usage:" in run(["plan", "--help"], COLUMNS=columns).stdout


def test_the_dask_engine_given_a_csv_says_how_to_convert_it(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text("participant_id,birth_date\n007,1960-01-01\n")
    r = run(["batch", str(book), "--job", "rmd", "-o", str(tmp_path / "out"), "--engine", "dask"])
    assert r.exit_code == 2
    (line,) = r.stderr.strip().splitlines()  # one line, before any progress bar
    assert line.startswith("error: book.csv: the Dask engine reads Parquet")
    assert "every column read as text" in line and "--job … -o" not in line


def test_the_conversion_docs_batch_gives_keeps_leading_zeros(tmp_path):
    """The command docs/batch.md gives, run as written: an ID 007 and a ZIP 02134 stay text."""
    import pyarrow.parquet as pq

    doc = (ROOT / "docs" / "batch.md").read_text()
    command = re.search(r'python -c "(.+?)" book\.csv book\.parquet', doc).group(1)
    (tmp_path / "book.csv").write_text("participant_id,payer_zip,wages\n007,02134,\n")
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", command, "book.csv", "book.parquet"], cwd=tmp_path,
                   check=True)
    row = pq.read_table(tmp_path / "book.parquet").to_pylist()[0]
    assert row == {"participant_id": "007", "payer_zip": "02134", "wages": None}


@pytest.mark.parametrize("command, columns", [("serve", 80), ("plan", 80), ("batch", 80),
                                              ("synth", 80), ("plan", 60), ("serve", 60),
                                              ("tax", 60), ("assess", 60)])
def test_help_never_cuts_an_option_name(command, columns):
    """docs/cli.md: nothing in a table is cut short with "…" (serve's --log-client-address
    was cut at 80 columns, plan's --monte-carlo at 60)."""
    text = run([command, "--help"], COLUMNS=str(columns)).stdout
    assert "…" not in text
    names = {"serve": ["--log-client-address", "--no-log-client-address"],
             "plan": ["--monte-carlo", "--no-monte-carlo"]}.get(command, [])
    assert all(re.search(re.escape(n) + r"(?![\w-])", text) for n in names)
    assert max(len(line) for line in text.splitlines()) <= columns


def test_h_is_help_everywhere():
    assert run(["-h"]).stdout == run(["--help"]).stdout
    assert run(["plan", "-h"], COLUMNS="100").stdout == run(["plan", "--help"], COLUMNS="100").stdout


@pytest.mark.parametrize("name, text, problem", [
    ("c.yaml", "person: {}\n", "c.yaml: batch input must be .parquet or .csv"),
    ("u.csv", "foo,bar\n1,2\n", "u.csv: column `foo` is not a column dist401k reads"),
])
def test_a_bad_input_is_refused_before_the_progress_bar(tmp_path, name, text, problem):
    (tmp_path / name).write_text(text)
    r = run(["batch", str(tmp_path / name), "--job", "rmd", "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]  # one line: no bar before it
    assert r.stderr.startswith(f"error: {problem}")


def test_the_filing_and_the_results_in_one_file_are_refused_as_such(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text("participant_id,birth_date\n1,1960-01-01\n")
    out = tmp_path / "f.csv"
    r = run(["batch", str(book), "--job", "forms", "-o", str(out), "--export", "iris-csv",
             "--export-output", str(out)])
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"error: --export-output {out} and -o {out} are the same file: "
                                "the filing and the results need two files")


def test_sepp_json_with_another_format_is_refused_and_json_is_noted_deprecated():
    both = run(["sepp", str(SEPP), "--json", "-f", "csv"])
    assert both.exit_code == 2 and both.stdout == ""
    assert both.stderr.strip().startswith("error: --json asks for JSON and --format for csv")
    old = run(["sepp", str(SEPP), "--json"])
    assert old.exit_code == 0 and old.stdout.startswith("{")
    assert "--json is deprecated" in old.stderr and "--format json" in old.stderr


def test_schema_case_with_plan_is_refused():
    r = run(["schema", "case", "--plan"])
    assert r.exit_code == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert run(["schema", "--plan"]).stdout == run(["schema", "plan"]).stdout


def test_a_misspelled_job_or_schema_gets_the_nearest_name(tmp_path):
    book = tmp_path / "b.csv"
    book.write_text("participant_id\n1\n")
    r = run(["batch", str(book), "--job", "rmdd", "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2 and "(did you mean `rmd`?)" in r.stderr
    s = run(["schema", "plann"])
    assert s.exit_code == 2 and s.stderr.strip() == (
        "error: schema must be one of case, plan, not 'plann' (did you mean `plan`?)")


def _list_after(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title)) + 1
    end = next(i for i in range(start, len(lines)) if lines[i] and not lines[i].startswith(" "))
    return lines[start:end]


def test_the_wrapped_lines_of_compares_numbered_options_are_indented():
    items = _list_after(run(["compare", str(CASE)], COLUMNS="60").stdout, "The options, and why")
    assert items[0].startswith("  1. ")
    assert len(items) > sum(1 for line in items if re.match(r"\s*\d+\. ", line))  # some wrap
    assert all(line.startswith("     ") for line in items if not re.match(r"\s*\d+\. ", line))


def test_the_wrapped_lines_of_assess_why_list_are_indented():
    text = run(["assess", str(CASE)], COLUMNS="40").stdout
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Why (10% tax")) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("check received"))
    items = lines[start:end]
    assert len(items) > 5 and all(line.startswith("  ") for line in items)
