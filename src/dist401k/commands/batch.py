"""`dist401k batch INPUT --job J -o OUTPUT` and `dist401k synth N -o BOOK`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dist401k.io.tables import TableFormatError
from dist401k.jobs import JOBS


def _progress(console: Console):
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]} rows/s"), TimeElapsedColumn(),
                    console=console, transient=False)


def batch_command(
    input: Path = typer.Argument(..., help="Participants (or requests): .parquet or .csv."),
    job: str = typer.Option(..., "--job", help="rmd, eligibility, outcome or tax."),
    output: Path = typer.Option(..., "-o", "--output", help="Output .parquet or .csv (local); "
                                "a directory of Parquet partitions (--engine dask)."),
    engine: str = typer.Option("local", help="local (one process, streamed) or dask."),
    scheduler: Optional[str] = typer.Option(None, help="Address of an existing Dask scheduler "
                                            "(default: a local cluster)."),
    workers: int = typer.Option(2, help="Workers of the local Dask cluster."),
    partition_rows: int = typer.Option(250_000, help="Rows per batch or partition."),
    resume: bool = typer.Option(False, "--resume", help="Dask: finish an interrupted run."),
) -> None:
    """Run a job for every row of a plan book: results or an error row for each input row."""
    from dist401k.runner import run_dask, run_local

    err = Console(stderr=True)
    if job not in JOBS:
        err.print(f"error: --job must be one of {', '.join(JOBS)}")
        raise typer.Exit(2)
    if engine not in ("local", "dask"):
        err.print("error: --engine must be local or dask")
        raise typer.Exit(2)
    if not input.exists():
        err.print(f"error: {input}: no such file")
        raise typer.Exit(2)
    with _progress(err) as bar:
        task = bar.add_task(job, total=None, rate="—")
        t0 = [None]

        def update(done: int, total: int | None) -> None:
            import time

            now = time.perf_counter()
            if t0[0] is None:
                t0[0] = (now, done)
            t, d = t0[0]
            rate = (done - d) / (now - t) if now > t else 0.0
            bar.update(task, completed=done, total=total, rate=f"{rate:,.0f}")

        try:
            if engine == "local":
                summary = run_local(input, job, output, batch_rows=partition_rows,
                                    progress=update)
            else:
                summary = run_dask(input, job, output, scheduler=scheduler, workers=workers,
                                   partition_rows=partition_rows, resume=resume, progress=update)
        except (TableFormatError, FileExistsError, ValueError) as exc:
            err.print(f"error: {exc}")
            raise typer.Exit(2) from None
    err.print(str(summary))
    if not summary.conserved:
        raise typer.Exit(1)


def synth_command(
    n: int = typer.Argument(..., help="Number of participants."),
    output: Path = typer.Option(..., "-o", "--output", help="Output .parquet or .csv."),
    seed: int = typer.Option(0, help="Seed: the same seed gives the same book."),
    chunk: int = typer.Option(100_000, help="Rows generated (and Parquet row group) at a time."),
    bad_fraction: float = typer.Option(0.0, help="Share of rows made invalid on purpose."),
) -> None:
    """A synthetic plan book for tests and benchmarks (illustrative, not calibrated data)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from dist401k.synth import synth_table

    writer = None
    with _progress(Console(stderr=True)) as bar:
        task = bar.add_task("synth", total=n, rate="—")
        for start in range(0, n, chunk):
            t = synth_table(min(chunk, n - start), seed=seed, start=start,
                            bad_fraction=bad_fraction)
            if writer is None:
                writer = (pq.ParquetWriter(output, t.schema) if output.suffix == ".parquet"
                          else pacsv.CSVWriter(output, t.schema))
            writer.write_table(t)
            bar.update(task, completed=min(n, start + chunk))
    if writer is not None:
        writer.close()
    Console(stderr=True).print(f"{n:,} participants → {output}")
