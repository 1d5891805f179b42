"""The rate a resumed run reports: rows per second of the rows it computed, the same on the
progress bar's last line (what a log keeps) and in the summary, and how many rows an earlier
run had already written (docs/batch.md).

Before this was fixed a resumed run's summary divided every row of the output, those written
by the earlier run included, by its own time (20,000 rows over 26.5 s: "754 rows/s") while the
bar divided only the rows it ran ("158 rows/s")."""

from __future__ import annotations

import re

import pytest
from batch_books import write_book
from rich.console import Console
from rich.progress import Progress, TextColumn
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.commands.batch import RowRate
from dist401k.runner import Summary

runner = CliRunner()


def test_the_summary_of_a_resumed_run_counts_only_the_rows_it_ran():
    """20,000 rows in, 16,000 of them written by an earlier run: this run computed 4,000 in
    26.5 s, 4,000 / 26.5 = 150.9, so 151 rows/s (not 20,000 / 26.5 = 755)."""
    s = Summary(20_000, 20_000, 0, 26.5, already_done=16_000)
    assert s.rows_run == 4_000 and s.rate == "151"
    assert str(s) == ("20,000 rows in = 20,000 results + 0 errors (all accounted for); "
                      "4,000 rows run in 26.5 s, 151 rows/s "
                      "(16,000 already done by an earlier run)")
    # A run that wrote everything itself reads as before: 20,000 / 26.5 = 754.7.
    assert str(Summary(20_000, 19_990, 10, 26.5)).endswith("; 26.5 s, 755 rows/s")


def test_the_bar_ends_on_the_summary_s_rate_and_says_what_was_already_done():
    console = Console(record=True, width=200, force_terminal=False)
    with Progress(TextColumn("{task.description} {task.completed}/{task.total} "
                             "{task.fields[rate]} rows/s"), console=console) as bar:
        update = RowRate(bar, bar.add_task("outcome", total=None, rate="—"), count_first=False,
                         label="outcome")
        update(16_000, 20_000)
        update(20_000, 20_000)
        update.finish(Summary(20_000, 20_000, 0, 26.5, already_done=16_000))
    last = console.export_text().strip().splitlines()[-1]
    assert last == "outcome (16,000 already done) 20000/20000 151 rows/s", last


def _rate(line: str) -> str:
    found = re.search(r"([\d,.]+) rows/s", line)
    assert found, line
    return found.group(1)


@pytest.mark.slow
def test_a_resumed_dask_run_reports_one_rate(tmp_path):
    """6,000 rows in partitions of 1,000; two partitions deleted and the run resumed: it runs
    2,000 rows, 4,000 were already done, and the bar's last line shows the summary's rate."""
    book = write_book(tmp_path / "book.parquet", 6000, 1000)
    out = tmp_path / "parts"
    args = ["batch", str(book), "--job", "rmd", "-o", str(out), "--engine", "dask",
            "--workers", "1", "--partition-rows", "1000"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    (out / "part-00001.parquet").unlink()
    (out / "part-00004.parquet").unlink()
    r = runner.invoke(app, [*args, "--resume"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    bar = [line for line in lines if "rows/s" in line and "6000/6000" in line][-1]
    summary = next(line for line in lines if "rows in =" in line)
    assert "(4,000 already done)" in bar, bar
    assert "2,000 rows run in" in summary and "(4,000 already done by an earlier run)" in summary
    assert _rate(bar) == _rate(summary), (bar, summary)
    seconds = float(re.search(r"run in ([\d.]+) s", summary).group(1))
    assert float(_rate(summary).replace(",", "")) == pytest.approx(2000 / seconds, rel=0.05)
