"""`dist401k batch INPUT --job J -o OUTPUT` and `dist401k synth N [-o BOOK]`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column

from dist401k.commands._files import as_typed, check_output_or_exit, fail, file_errors
from dist401k.did_you_mean import did_you_mean
from dist401k.io.files import FileKind, kind_of_file, wrong_kind
from dist401k.io.outputs import OutputError, atomic_output, describe_os_error, same_file
from dist401k.io.tables import FORMATS, TableFormatError, csv_safe, table_format
from dist401k.jobs import JOBS

#: The extensions of a file, refused as the name of a Dask run's output (a folder).
FILE_SUFFIXES = frozenset((*FORMATS, ".txt", ".tsv", ".xml", ".xlsx", ".xls"))


def _progress(console: Console):
    """The bar of a run: where the line is short (a log's 80 columns, a resumed run's longer
    description), the bar itself narrows, never the counts or the rate (``1000000/10000…``)."""
    whole = Column(no_wrap=True)
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                    MofNCompleteColumn(table_column=whole),
                    TextColumn("{task.fields[rate]} rows/s", table_column=Column(no_wrap=True)),
                    TimeElapsedColumn(), console=console, transient=False)


@contextmanager
def _stopped_at_end(bar: Progress) -> Iterator[Progress]:
    """The bar, stopped when the run ends however it ends."""
    try:
        yield bar
    finally:
        _stop(bar)


def _stop(bar: Progress) -> None:
    """Stop the bar if it was started (Rich prints a new line on stopping any bar off a
    terminal: a run refused before it started prints its one line only)."""
    if bar.live.is_started:
        bar.stop()


class RowRate:
    """Rows per second of the rows this run computes, for the progress bar, from the run's
    start (never a stale 0), not counting rows an earlier run wrote: a resumed Dask run
    reports them first, and the bar says how many (``outcome (16,000 already done)``).
    :meth:`finish` shows the run's :class:`~dist401k.runner.Summary` rate, so the bar's last
    line (the one a piped run leaves in its log) and the summary agree."""

    def __init__(self, bar: Progress, task, count_first: bool = True, label: str = ""):
        self.bar, self.task, self.count_first, self.label = bar, task, count_first, label
        self.start = time.perf_counter()
        self.base: int | None = None

    def __call__(self, done: int, total: int | None) -> None:
        from dist401k.runner import rows_per_second

        if not self.bar.live.is_started:  # shown once the run holds its output, not before a refusal
            self.bar.start()
        if self.base is None:
            self.base = 0 if self.count_first else done
            if self.base:
                self.bar.update(self.task, description=f"{self.label} "
                                f"({self.base:,} already done)")
        shown = rows_per_second(done - self.base, time.perf_counter() - self.start)
        self.bar.update(self.task, completed=done, total=total,
                        rate="0.0" if shown == "—" else shown)

    def finish(self, summary) -> None:
        """End the bar on the run's own count and rate (the summary's)."""
        self.bar.update(self.task, completed=summary.rows_in, total=summary.rows_in,
                        rate=summary.rate)


def batch_command(
    input: Path = typer.Argument(..., help="Participants (or requests): .parquet or .csv."),
    job: str = typer.Option(..., "--job", help="rmd, eligibility, outcome, tax or forms "
                             "(the Forms 1099-R: docs/forms.md)."),
    output: Path = typer.Option(..., "-o", "--output", help="Output .parquet or .csv (local); "
                                "a directory of Parquet partitions (--engine dask)."),
    engine: str = typer.Option("local", help="local (one process, streamed) or dask."),
    scheduler: Optional[str] = typer.Option(None, help="Address of an existing Dask scheduler "
                                            "(default: a local cluster)."),
    workers: int = typer.Option(2, help="Workers of the local Dask cluster."),
    partition_rows: int = typer.Option(250_000, help="Rows per batch or partition."),
    resume: bool = typer.Option(False, "--resume", help="Dask: finish an interrupted run of "
                                "the same input, job, options and law (refused otherwise)."),
    fail_on_errors: bool = typer.Option(False, "--fail-on-errors", help="Exit with status 1 "
                                        "when any row is an error row."),
    export: Optional[str] = typer.Option(None, "--export", help="--job forms: also write the "
                                         "filing, iris-csv or iris-xml (docs/forms.md)."),
    export_output: Optional[Path] = typer.Option(None, "--export-output", help="The filing's "
                                                 "file (with --export)."),
    tcc: str = typer.Option("", "--tcc", help="iris-xml: the transmitter's IRIS Transmitter "
                            "Control Code."),
    transmitter_tin: str = typer.Option("", "--transmitter-tin", help="iris-xml: the "
                                        "transmitter's EIN."),
    software_id: str = typer.Option("", "--software-id", help="iris-xml: the Software ID the "
                                    "IRS assigned (after the Assurance Testing System)."),
    production: bool = typer.Option(False, "--production", help="iris-xml: a production "
                                    "transmission (TestCd P); without it, an ATS test (T)."),
) -> None:
    """Run a job for every row of a plan book: results or an error row for each input row.
    Exit status: 0 done; 1 rows missing, or error rows with --fail-on-errors; 2 bad usage or
    an input or output that cannot be used; 130 stopped by Ctrl-C (143 by SIGTERM)."""
    err = Console(stderr=True)
    if job not in JOBS:
        fail(f"--job must be one of {', '.join(JOBS)}{did_you_mean(job, JOBS)}")
    if engine not in ("local", "dask"):
        fail(f"--engine must be local or dask{did_you_mean(engine, ('local', 'dask'))}")
    if resume and engine == "local":
        fail("--resume finishes an interrupted --engine dask run; a local run writes its output "
             "whole or not at all, so run it again")
    if partition_rows < 1:
        fail(f"--partition-rows: {partition_rows} is not a positive number of rows")
    if not input.exists():
        fail(f"{input}: no such file")
    _check_batch_input(input, job, engine)
    _check_batch_output(output, input, engine)
    from dist401k.filing import Transmitter

    filing = _filing_or_exit(export, export_output, job, engine, input, output, Transmitter(
        tcc=tcc, tin=transmitter_tin, software_id=software_id, test=not production))
    _run_batch(err, input, job, output, engine, scheduler, workers, partition_rows, resume,
               fail_on_errors, filing)


def _run_batch(err: Console, input: Path, job: str, output: Path, engine: str,
               scheduler: Optional[str], workers: int, partition_rows: int, resume: bool,
               fail_on_errors: bool, filing) -> None:
    """The run of :func:`batch_command` once its arguments are checked: the bar, the run, the
    summary (and the filing's), and the exit status.  A run stopped by Ctrl-C (or SIGTERM:
    :class:`~dist401k.io.outputs.Terminated`) ends with :func:`stopped_line`, after the bar, and
    exits 130 (143) in ``cli.main``."""
    from dist401k.runner import run_dask, run_local

    bar = _progress(err)  # started by the run's first report (RowRate), stopped here
    try:
        with _stopped_at_end(bar), filing() as sink:
            update = RowRate(bar, bar.add_task(job, total=None, rate="—"),
                             count_first=engine == "local", label=job)
            try:
                if engine == "local":
                    summary = run_local(input, job, output, batch_rows=partition_rows,
                                        progress=update, sink=sink and sink.write)
                else:
                    summary = run_dask(input, job, output, scheduler=scheduler, workers=workers,
                                       partition_rows=partition_rows, resume=resume,
                                       progress=update)
            except (TableFormatError, FileExistsError, ValueError) as exc:
                _stop(bar)
                fail(exc.problems[0].problem if isinstance(exc, OutputError) else str(exc))
            except OSError as exc:  # the Dask engine's folder, manifest or a partition
                _stop(bar)
                fail(f"cannot write {output}: {describe_os_error(exc)}")
            update.finish(summary)
    except KeyboardInterrupt as stop:
        err.print(stopped_line(stop, engine, output), soft_wrap=True)
        raise
    err.print(str(summary), soft_wrap=True)
    if sink is not None:
        err.print(str(sink.summary), soft_wrap=True)
    if not summary.conserved or (fail_on_errors and summary.errors):
        raise typer.Exit(1)


def stopped_line(stop: KeyboardInterrupt, engine: str, output: Path) -> str:
    """The one line a stopped run ends with, true to what it left (docs/batch.md, "Stopped:
    Ctrl-C or SIGTERM"): a local run removes its temporary files and writes nothing; a Dask run
    keeps the partitions written, whole, and ``--resume`` runs the rest."""
    from dist401k.io.outputs import Terminated
    from dist401k.runner import written_partitions

    how = "SIGTERM" if isinstance(stop, Terminated) else "Ctrl-C"
    if engine == "local":
        return (f"stopped by {how}: nothing written ({output.name} is written whole or not at "
                "all); run the command again")
    rows, parts = written_partitions(output)
    if not parts:
        return f"stopped by {how}: no partition written yet; run the command again"
    return (f"stopped by {how}: {rows:,} rows written in {parts:,} partition"
            f"{'' if parts == 1 else 's'} in {output}; run the same command with --resume to "
            "finish the run")


#: A plan book (`dist401k batch`: one participant or request a row, docs/batch.md), which a
#: case or a drawdown plan given instead is told apart from (its rows have a `birth_date`).
BOOK = FileKind("a plan book", ("birth_date",), "run `dist401k batch {path} --job JOB -o OUT`")


def _check_batch_input(input: Path, job: str, engine: str) -> None:
    """Exit 2 with one line, before the progress bar starts, where the input cannot be read:
    not .parquet or .csv, not Parquet for the Dask engine, or columns the job does not read
    (the runner checks them again; the Parquet footer and the CSV header are read here)."""
    import pyarrow.parquet as pq

    from dist401k.input_columns import check_columns
    from dist401k.io.tables import csv_header_schema
    from dist401k.runner import batch_format, check_dask_input

    found = kind_of_file(input, BOOK)
    if found is not None:  # a case or a drawdown plan: named as such, with what to run
        fail(as_typed(str(wrong_kind(input, found, BOOK).problems[0].problem), input))
    with file_errors():
        fmt = batch_format(input, "input")
        if engine == "dask":
            check_dask_input(input)
        if input.is_dir():
            raise TableFormatError(f"{input.name}: is a folder, not a file")
        try:
            schema = pq.read_schema(input) if fmt == "parquet" else csv_header_schema(input)
        except TableFormatError:  # a workbook, UTF-16, a header no book has: said here
            raise
        except (OSError, ValueError):  # pyarrow's ArrowInvalid too
            return  # unreadable: the runner names the problem and where
        if schema is not None:
            check_columns(schema, job, input.name)


def _check_batch_output(output: Path, input: Path, engine: str) -> None:
    """Exit 2 with one line where the output cannot be this run's: over the input, in a
    folder that does not exist, not .parquet or .csv (local), a folder without ``--engine
    dask`` (the local engine writes one file), named as a file (a Dask run writes a folder)."""
    from dist401k.runner import batch_format

    if engine == "local" and (output.is_dir() or not output.suffix):
        fail(f"{output.name or output}: batch output must be .parquet or .csv; a folder output "
             "needs --engine dask")
    check_output_or_exit(output, input, directory=engine == "dask")
    if engine == "local":
        with file_errors():
            batch_format(output, "output")
    elif output.suffix.lower() in FILE_SUFFIXES and not output.is_dir():
        fail(f"-o {output}: a Dask run writes a folder of Parquet partitions, not a "
             f"{output.suffix} file: give a folder name, such as {output.stem}/")


def _filing_or_exit(export, export_output, job: str, engine: str, input: Path, output: Path,
                    transmitter):
    """The filing export asked for (a context of its writer), or none; a bad request exits 2."""
    from contextlib import nullcontext

    from dist401k.filing import EXPORTS, filing_export

    if export is None:
        if export_output is not None:
            fail("--export-output needs --export iris-csv or iris-xml")
        return lambda: nullcontext(None)
    if export not in EXPORTS:
        fail(f"--export must be one of {', '.join(EXPORTS)}{did_you_mean(export, EXPORTS)}")
    if job != "forms" or engine != "local":
        fail("--export files the Forms 1099-R of --job forms, run by --engine local")
    if export_output is None:
        fail("--export needs --export-output FILE")
    if export == "iris-xml" and (problem := transmitter.problem()):
        fail(problem)
    if same_file(export_output, output):
        fail(f"--export-output {export_output} and -o {output} are the same file: the filing and "
             "the results need two files")
    check_output_or_exit(export_output, input, output)
    return lambda: filing_export(export, export_output, transmitter)


# Sane bounds for the synthetic book (not law: limits of a test and benchmark tool).
SYNTH_MAX_ROWS = 1_000_000_000
SYNTH_MAX_CHUNK = 10_000_000


def default_book_name(n: int, seed: int, with_payer: bool = False) -> Path:
    """``synth-N-seedS.parquet`` (``synth-N-seedS-payer.parquet`` with the payer columns): the
    same N and seed give the same book, so a rerun writing over a file of that name writes the
    same rows."""
    return Path(f"synth-{n}-seed{seed}{'-payer' if with_payer else ''}.parquet")


def check_synth_counts(n: int, chunk: int, bad_fraction: float) -> None:
    """Exit 2 with one line on a count or share that makes no sense."""
    if not 1 <= n <= SYNTH_MAX_ROWS:
        fail(f"N: {n} participants is not between 1 and {SYNTH_MAX_ROWS:,}")
    if not 1 <= chunk <= SYNTH_MAX_CHUNK:
        fail(f"--chunk: {chunk} rows is not between 1 and {SYNTH_MAX_CHUNK:,}")
    if not 0.0 <= bad_fraction <= 1.0:  # also refuses nan
        fail(f"--bad-fraction: {bad_fraction} is not a share between 0 and 1")


def synth_command(
    n: int = typer.Argument(..., help="Number of participants (1 to 1,000,000,000)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output .parquet or "
                                          ".csv (default: synth-N-seedS.parquet here)."),
    seed: int = typer.Option(0, help="Seed: the same seed gives the same book."),
    chunk: int = typer.Option(100_000, help="Rows generated (and Parquet row group) at a time "
                              "(1 to 10,000,000)."),
    bad_fraction: float = typer.Option(0.0, help="Share of rows made invalid on purpose (0–1)."),
    with_payer: bool = typer.Option(False, "--with-payer", help="Add fake payer and recipient "
                                    "columns (test values, never real returns), so that "
                                    "`batch --job forms --export` files a test filing "
                                    "(docs/forms.md)."),
) -> None:
    """A synthetic plan book for tests and benchmarks (illustrative, not calibrated data),
    written under a temporary name and renamed when complete."""
    from dist401k.runner import table_writer
    from dist401k.synth import synth_table

    check_synth_counts(n, chunk, bad_fraction)
    output = output or default_book_name(n, seed, with_payer)
    with file_errors():
        if output.suffix.lower() not in (".parquet", ".csv"):
            raise TableFormatError(f"{output.name}: the book is .parquet or .csv")
    check_output_or_exit(output)
    writer = None
    with _progress(Console(stderr=True)) as bar, file_errors(), atomic_output(output) as tmp:
        update = RowRate(bar, bar.add_task("synth", total=n, rate="—"))
        try:
            for start in range(0, n, chunk):
                t = synth_table(min(chunk, n - start), seed=seed, start=start,
                                bad_fraction=bad_fraction, with_payer=with_payer)
                writer = writer or table_writer(tmp, t.schema, table_format(tmp))
                writer.write_table(t if table_format(tmp) == "parquet" else csv_safe(t))
                update(min(n, start + chunk), n)
        finally:
            if writer is not None:
                writer.close()
    Console(stderr=True).print(f"{n:,} participants → {output}")

