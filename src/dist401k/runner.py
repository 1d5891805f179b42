"""Running a batch job over a file: streamed on one machine, or partitioned on a Dask cluster.

Local: record batches are read, run and written one after another, so memory holds one batch.
Dask: the input's Parquet row groups are cut into partitions; each partition is read, run and
written where a worker is (``OUTPUT/part-NNNNN.parquet``, written to a temporary name and
renamed, so a partition file is whole or absent); ``--resume`` runs only the partitions not
yet written, and only when ``OUTPUT/_manifest.json`` shows the same input (path, size, rows,
SHA-256 of its whole content), job, options, law version and dist401k version.  Either way
every input row comes out as a result or an error row; an input that cannot be read (a corrupt
footer or page) is refused whole, never skipped.  Every Parquet output carries the dist401k
and law versions and the run's options in its key-value metadata (key ``dist401k``).  A run
holds its output (the file, or the Dask folder) for its whole length: a second run into it is
refused at once (:mod:`dist401k.io.run_lock`), so one output never mixes two runs.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dist401k import __version__
from dist401k.filing import ACCOUNT_KEY_COLUMNS, AccountClashes, account_clashes
from dist401k.input_columns import check_columns
from dist401k.io.identity import DIGEST_KEY, differences, parquet_identity
from dist401k.io.outputs import atomic_output, describe_os_error, exclusive_temporary, raise_if_terminated
from dist401k.io.run_lock import output_lock
from dist401k.io.tables import (
    FORMATS,
    TableFormatError,
    check_chunk_sizes,
    csv_safe,
    read_csv_table,
    unreadable,
)
from dist401k.jobs import JOBS, run_job
from dist401k.law.loader import Law, default_law


def rows_per_second(rows: int, seconds: float) -> str:
    """A rate as the progress bar and the summary show it: whole rows per second, one decimal
    below 10 (a slow start is not shown as 0); "—" before any time has passed."""
    if seconds <= 0:
        return "—"
    rate = rows / seconds
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"


@dataclass
class Summary:
    """A run's count of its rows (``rows_in`` = ``results`` + ``errors``, every row of the
    output, those an earlier run wrote included) and its time; ``already_done``: the rows of
    partitions an earlier run had written (``--resume``), which this run did not compute."""

    rows_in: int
    results: int
    errors: int
    seconds: float
    already_done: int = 0

    @property
    def conserved(self) -> bool:
        return self.rows_in == self.results + self.errors

    @property
    def rows_run(self) -> int:
        """The rows this run computed."""
        return self.rows_in - self.already_done

    @property
    def rate(self) -> str:
        """Rows per second of the rows this run computed (:func:`rows_per_second`)."""
        return rows_per_second(self.rows_run, self.seconds)

    def __str__(self) -> str:
        count = (f"{self.rows_in:,} rows in = {self.results:,} results + {self.errors:,} errors "
                 f"({'all accounted for' if self.conserved else 'ROWS MISSING'}); ")
        if not self.already_done:
            return count + f"{self.seconds:.1f} s, {self.rate} rows/s"
        return count + (f"{self.rows_run:,} rows run in {self.seconds:.1f} s, {self.rate} rows/s "
                        f"({self.already_done:,} already done by an earlier run)")


_SCHEMAS: dict[tuple[str, bool, bool], pa.Schema] = {}


def output_schema(job: str, law: Law, with_id: bool, with_state: bool = False) -> pa.Schema:
    """The fixed schema of a job's output (every batch is cast to it); ``with_state``: the
    input has a ``state`` column, which adds the state tax columns (docs/state.md)."""
    key = (job, with_id, with_state)
    if key not in _SCHEMAS:
        if job == "tax":
            probe = pa.table({"tax_year": [2026], "filing_status": ["single"], "wages": [1.0]})
        else:
            from dist401k.synth import synth_table

            probe = synth_table(1, seed=0)
        if with_id and "participant_id" not in probe.column_names:
            probe = probe.append_column("participant_id", pa.array(["x"]))
        if not with_id and "participant_id" in probe.column_names:
            probe = probe.drop_columns(["participant_id"])
        if with_state:
            probe = probe.append_column("state", pa.array(["CA"]))
        _SCHEMAS[key] = run_job(probe, job, law).schema
    return _SCHEMAS[key]


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    cols = []
    for field in schema:
        if field.name in table.column_names:
            cols.append(pc.cast(table.column(field.name), field.type))
        else:
            cols.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(cols, schema=schema)


READ_ERRORS = (OSError, pa.ArrowInvalid, UnicodeDecodeError)


def run_metadata(job: str, law: Law, options: dict | None = None) -> dict[bytes, bytes]:
    """The Parquet key-value metadata of a run's output: what made it."""
    made_by = {"dist401k_version": __version__, "law_version": law.version, "job": job,
               "options": options or {}}
    return {b"dist401k": json.dumps(made_by, sort_keys=True).encode()}


def _open_parquet(path: Path) -> pq.ParquetFile:
    """The Parquet file, its footer read and its sizes checked (:func:`check_chunk_sizes`)
    before any of its pages is."""
    if path.is_dir():
        raise TableFormatError(f"{path.name}: is a folder, not a file")
    try:
        pf = pq.ParquetFile(path)
    except READ_ERRORS as exc:
        raise TableFormatError(unreadable(path, "parquet", exc)) from None
    check_chunk_sizes(pf.metadata, path.name)
    return pf


def _refused(path: Path, first_row: int, exc: BaseException) -> TableFormatError:
    why = unreadable(path, "parquet", exc).split(": ", 2)[-1]
    return TableFormatError(f"{path.name}: the rows from row {first_row} on cannot be read "
                            f"({why}); the file is refused whole, no rows are skipped")


def _streamed(pf: pq.ParquetFile, path: Path, rows: int):
    """The file's record batches as tables; a corrupt page refuses the file, naming where."""
    it, first = pf.iter_batches(batch_size=rows), 0
    while True:
        try:
            batch = next(it)
        except StopIteration:
            return
        except READ_ERRORS as exc:
            raise _refused(path, first, exc) from None
        first += batch.num_rows
        yield pa.Table.from_batches([batch])


#: The files a batch run reads and writes (by extension), as the refusal names them.
BATCH_FORMATS = {"parquet": ".parquet", "csv": ".csv"}


def batch_format(path: Path, what: str) -> str:
    """``parquet`` or ``csv``, by the file's extension; any other is a
    :class:`TableFormatError` naming only what a batch run reads and writes (``what``: input
    or output)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None or fmt not in BATCH_FORMATS:
        if path.is_dir():  # named as typed: `.` has no name, `/tmp`'s is not what was typed
            raise TableFormatError(f"{path}: is a folder, not a table file")
        raise TableFormatError(f"{path.name or path}: batch {what} must be "
                               f"{' or '.join(BATCH_FORMATS.values())}")
    return fmt


def _batches(path: Path, rows: int, job: str):
    """(total rows or None, the input's column names, iterator of tables, the forms job's
    account clashes or None); a file whose columns are not the job's is refused before a row
    is run (:func:`~dist401k.input_columns.check_columns`)."""
    fmt = batch_format(path, "input")
    if fmt == "parquet":
        pf = _open_parquet(path)
        check_columns(pf.schema_arrow, job, path.name)
        return (pf.metadata.num_rows, pf.schema_arrow.names, _streamed(pf, path, rows),
                book_account_clashes(path) if job == "forms" else None)
    if path.is_dir():  # a .csv
        raise TableFormatError(f"{path.name}: is a folder, not a file")
    try:
        table = read_csv_table(path)
    except READ_ERRORS as exc:
        raise TableFormatError(unreadable(path, fmt, exc)) from None
    check_columns(table.schema, job, path.name)
    return (table.num_rows, table.column_names,
            (table.slice(i, rows) for i in range(0, table.num_rows, rows)),
            account_clashes(table) if job == "forms" else None)


def book_account_clashes(path: Path) -> AccountClashes:
    """The forms job's account clashes over a whole Parquet book (its key columns only, read
    once before the run): a row's clash may be with a row of another chunk or partition, and a
    resumed run must find the same (dist401k.filing.account_clashes)."""
    try:
        names = _open_parquet(path).schema_arrow.names
        keys = pq.read_table(path, columns=[c for c in ACCOUNT_KEY_COLUMNS if c in names])
    except READ_ERRORS as exc:
        raise _refused(path, 0, exc) from None
    return account_clashes(keys)


def run_local(input_path: Path, job: str, output: Path, law: Law | None = None,
              batch_rows: int = 200_000, progress: Callable[[int, int | None], None] | None = None,
              sink: Callable[[pa.Table, pa.Table], None] | None = None) -> Summary:
    """Stream the input through the job into one output file (.parquet or .csv), written under
    a temporary name and renamed when complete: a failed run leaves no file under ``output``.
    The output is held for the run (:func:`~dist401k.io.run_lock.output_lock`): a run into an
    output another run is writing is refused (:class:`~dist401k.io.run_lock.OutputBusy`).
    ``sink`` is given each chunk of the input with its results (the filing export)."""
    law = law or default_law()
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}")
    out_fmt = batch_format(output, "output")
    _pandas_first()
    start = time.perf_counter()
    total, names, batches, clashes = _batches(Path(input_path), batch_rows, job)
    meta = run_metadata(job, law, {"engine": "local", "partition_rows": batch_rows})
    rows_in = errors = 0
    # One run at a time into ``output`` (docs/batch.md): a second is refused while this one runs.
    with output_lock(output), atomic_output(output) as tmp:
        writer = None
        if progress:  # the output is held: the bar may show (none before a refusal)
            progress(0, total)
        try:
            for table in batches:
                with_id = "participant_id" in table.column_names
                chunk = clashes.take(rows_in, rows_in + table.num_rows) if clashes else None
                out = conform(run_job(table, job, law, first_row=rows_in, clashes=chunk),
                              output_schema(job, law, with_id, "state" in table.column_names))
                writer = writer or table_writer(tmp, out.schema, out_fmt, meta)
                writer.write_table(out if out_fmt == "parquet" else csv_safe(out))
                if sink is not None:
                    sink(table, out)
                rows_in += table.num_rows
                errors += int(pc.sum(pc.equal(out.column("status"), "error")).as_py() or 0)
                if progress:
                    progress(rows_in, total)
                raise_if_terminated()  # a SIGTERM whose raise was swallowed: no next chunk
            # An empty input still gives an (empty) output, with the columns its input's
            # columns give any other day (docs/batch.md).
            writer = writer or table_writer(
                tmp, output_schema(job, law, "participant_id" in names, "state" in names),
                out_fmt, meta)
        finally:
            if writer is not None:
                writer.close()
    return Summary(rows_in, rows_in - errors, errors, time.perf_counter() - start)


def _pandas_first() -> None:
    """Import pandas before a run writes anything.  pyarrow imports it lazily on first use (a
    date column, a scalar) inside compiled code that drops any exception raised meanwhile: a
    Ctrl-C landing in that import (a second on a slow machine) was lost and the run went on to
    the end.  Imported here, pyarrow's own import later takes no time."""
    import pandas  # noqa: F401


def table_writer(path: Path, schema: pa.Schema, fmt: str, meta: dict[bytes, bytes] | None = None):
    """A streaming writer of ``fmt`` (parquet, with ``meta`` as key-value metadata, or csv)."""
    if fmt == "parquet":
        return pq.ParquetWriter(path, schema.with_metadata(meta) if meta else schema)
    return pacsv.CSVWriter(path, schema)


# --- Dask -------------------------------------------------------------------------------------


def plan_partitions(input_path: Path, partition_rows: int) -> list[dict]:
    """Consecutive row groups of the Parquet input, about ``partition_rows`` rows each."""
    md = _open_parquet(Path(input_path)).metadata
    parts, groups, rows, first = [], [], 0, 0
    for g in range(md.num_row_groups):
        groups.append(g)
        rows += md.row_group(g).num_rows
        if rows >= partition_rows:
            parts.append({"groups": groups, "first_row": first, "rows": rows})
            first += rows
            groups, rows = [], 0
    if groups:
        parts.append({"groups": groups, "first_row": first, "rows": rows})
    for k, p in enumerate(parts):
        p["index"] = k
    return parts


def process_partition(input_path: str, part: dict, job: str, out_dir: str,
                      meta: dict[bytes, bytes] | None = None,
                      clashes: AccountClashes | None = None) -> dict:
    """Run one partition and write it atomically; runs on a Dask worker.  A partition that
    cannot be read refuses the run (:class:`TableFormatError` naming its first row).  The
    forms job's ``clashes`` are the partition's rows' (:func:`book_account_clashes`)."""
    law = default_law()
    final = Path(out_dir) / f"part-{part['index']:05d}.parquet"
    if final.exists():
        return {"index": part["index"], "skipped": True}
    try:
        table = pq.ParquetFile(input_path).read_row_groups(part["groups"])
    except READ_ERRORS as exc:
        raise _refused(Path(input_path), part["first_row"], exc) from None
    with_id = "participant_id" in table.column_names
    out = conform(run_job(table, job, law, first_row=part["first_row"], clashes=clashes),
                  output_schema(job, law, with_id, "state" in table.column_names))
    if meta:
        out = out.replace_schema_metadata(meta)
    # Created exclusively, 0600, under a random name (nothing planted there is written through).
    tmp = exclusive_temporary(final, prefix=final.name + ".tmp-", suffix="")
    try:
        pq.write_table(out, tmp)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    errors = int(pc.sum(pc.equal(out.column("status"), "error")).as_py() or 0)
    return {"index": part["index"], "rows": table.num_rows, "errors": errors, "skipped": False}


#: Memory a worker of the local Dask cluster may use: Dask pauses a worker at 80% of it
#: (``distributed.worker.memory.pause``) and restarts it at 95%.  The peak of a 250,000-row
#: partition of the full column set (docs/scaling.md: the forms job 2.45 GiB, the outcome job
#: 2.2 GiB) is 2.45 / 3.73 = 66% of 4 GB (3.73 GiB), clear of the pause; 3 GB (2.79 GiB) paused
#: at 2.24 GiB, below it.  A limit, not a reservation: memory is taken only as it is used.
LOCAL_WORKER_MEMORY = "4GB"


def check_dask_input(input_path: Path) -> None:
    """A :class:`TableFormatError` for an input the Dask engine cannot read (it reads Parquet),
    with advice that works: convert every column as text (docs/batch.md)."""
    if FORMATS.get(Path(input_path).suffix.lower()) != "parquet":
        raise TableFormatError(f"{Path(input_path).name}: the Dask engine reads Parquet: convert "
                               "the CSV to Parquet with every column read as text, as "
                               "docs/batch.md shows (\"A CSV book for the Dask engine\"), or run "
                               "--engine local, which reads CSV")


def run_dask(input_path: Path, job: str, out_dir: Path, scheduler: str | None = None,
             workers: int = 2, partition_rows: int = 250_000, resume: bool = False,
             progress: Callable[[int, int | None], None] | None = None) -> Summary:
    """Run the job over a Parquet input on a Dask cluster, one output file per partition.
    The output folder is held for the whole run (:func:`~dist401k.io.run_lock.output_lock`):
    a run into a folder another run is writing is refused at once
    (:class:`~dist401k.io.run_lock.OutputBusy`), so one folder never mixes two runs' partitions.
    The cluster is reached (or started) before anything is written: a ``scheduler`` that
    cannot be reached is a :class:`SchedulerError`, a local cluster without a usable
    temporary folder a :class:`ScratchFolderError`, and either leaves no output."""
    input_path, out_dir = Path(input_path).resolve(), Path(out_dir)
    check_dask_input(input_path)
    check_columns(_open_parquet(input_path).schema_arrow, job, input_path.name)
    with output_lock(out_dir):
        return _held_run(input_path, job, out_dir, scheduler, workers, partition_rows, resume,
                         progress)


def _held_run(input_path: Path, job: str, out_dir: Path, scheduler: str | None, workers: int,
              partition_rows: int, resume: bool,
              progress: Callable[[int, int | None], None] | None) -> Summary:
    """:func:`run_dask` once its output folder is held: the existing partitions checked
    (refused without ``resume``; with it, the manifest must match), then the run."""
    from distributed import as_completed

    parts = plan_partitions(input_path, partition_rows)
    law = default_law()
    manifest = run_manifest(input_path, job, partition_rows, len(parts), law)
    meta = run_metadata(job, law, manifest["options"])
    mpath = out_dir / "_manifest.json"
    check_own_folder(out_dir)
    if out_dir.exists() and any(out_dir.glob("part-*.parquet")):
        if not resume:
            raise FileExistsError(f"{out_dir} already holds partitions: use --resume to finish "
                                  "the run, or choose another output")
        check_resume(mpath, manifest)
    start = time.perf_counter()
    # The cluster first: a scheduler that cannot be reached leaves nothing behind.
    client, cluster = _connect(scheduler, workers)
    try:
        _start_output(out_dir, mpath, manifest)
        todo = [p for p in parts if not (out_dir / f"part-{p['index']:05d}.parquet").exists()]
        total = sum(p["rows"] for p in parts)
        done_rows = already_done = total - sum(p["rows"] for p in todo)
        clashes = book_account_clashes(input_path) if job == "forms" and todo else None
        futures = [client.submit(process_partition, str(input_path), p, job, str(out_dir), meta,
                                 clashes.take(p["first_row"], p["first_row"] + p["rows"])
                                 if clashes else None,
                                 pure=False, key=f"dist401k-{job}-{p['index']}") for p in todo]
        if progress:
            progress(done_rows, total)
        counted = {}
        for fut in as_completed(futures):
            try:
                res = fut.result()
            except TableFormatError as exc:
                raise TableFormatError(f"{exc}; {out_dir.name} is incomplete (the partitions "
                                       "written are kept, no summary)") from None
            done_rows += res.get("rows", 0)
            if not res.get("skipped"):
                counted[res["index"]] = (res["rows"], res["errors"])
            if progress:
                progress(done_rows, total)
            raise_if_terminated()  # a SIGTERM whose raise was swallowed: stop, keep the parts
    finally:
        _close(client, cluster)
    return dataset_summary(out_dir, total, time.perf_counter() - start, counted, already_done)


#: The names a Dask run writes in its output folder: its partitions, its manifest, and their
#: temporary names while they are written (:func:`process_partition`, :func:`_write_whole`).
OWN_NAMES = re.compile(r"part-\d{5,}\.parquet(\.tmp-[^/]+)?|_manifest\.json|\._manifest\.partial-[^/]+")
#: Foreign names a refusal quotes (the rest are counted).
NAMES_SHOWN = 3


def check_own_folder(out_dir: Path) -> None:
    """Refuse (:class:`FileExistsError`, one line naming the folder and what is in it) a Dask
    output folder that holds anything a Dask run does not write there (:data:`OWN_NAMES`):
    any Parquet reader reads every file of the folder (docs/batch.md), so another book's file
    or a note left there would be read as if it were results.  A folder that does not exist, an
    empty one, and one that holds only a run's own files (to be resumed) pass."""
    if not out_dir.is_dir():
        return
    foreign = sorted(p.name for p in out_dir.iterdir() if not OWN_NAMES.fullmatch(p.name))
    if foreign:
        shown = ", ".join(foreign[:NAMES_SHOWN])
        more = f" and {len(foreign) - NAMES_SHOWN} more" if len(foreign) > NAMES_SHOWN else ""
        raise FileExistsError(f"{out_dir} holds files a Dask run did not write ({shown}{more}): a "
                              "reader of the folder would mix them into the results; choose a new "
                              "or empty output folder")


#: Seconds the client and the local cluster are given to close at the end of a Dask run.
CLOSE_TIMEOUT = 30


class _WorkerKilledAtClose(logging.Filter):
    """Drops the nanny's "Worker process still alive after 4.0 seconds, killing": at the end of
    a run whose partitions are all written, a worker that exits slowly (a loaded machine) is
    stopped by its nanny, which is how the local cluster ends, not a failure of the run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Worker process still alive after")


def _close(client, cluster) -> None:
    """Close the client, then the local cluster this run started (None: a scheduler of one's
    own, left running), each within :data:`CLOSE_TIMEOUT`; the nanny's kill of a slow worker
    is not reported (:class:`_WorkerKilledAtClose`): a finished run prints no warning."""
    quiet = _WorkerKilledAtClose()
    nanny = logging.getLogger("distributed.nanny")
    nanny.addFilter(quiet)
    try:
        client.close(timeout=CLOSE_TIMEOUT)
        if cluster is not None:
            cluster.close(timeout=CLOSE_TIMEOUT)
    finally:
        nanny.removeFilter(quiet)


class SchedulerError(ValueError):
    """The Dask scheduler of ``--scheduler`` cannot be reached, or its address is not one."""


def _tried(exc: OSError) -> str:
    """The folders Python's ``tempfile`` tried, from its error ("No usable temporary directory
    found in ['/tmp', …]"), as a list in words; its own words where they are not that."""
    import ast

    said = str(exc.strerror or exc)
    try:
        folders = ast.literal_eval(said.partition(" found in ")[2])
    except (ValueError, SyntaxError):
        return said
    if not isinstance(folders, list) or not folders:
        return said
    return "none of " + ", ".join(str(f) for f in folders) + " can be written"


class ScratchFolderError(ValueError):
    """The local Dask cluster cannot start: no usable temporary folder for its scratch space."""


def scratch_folder_problem() -> str | None:
    """What keeps the local Dask cluster from its scratch space, or None where the folder can
    be used (the cluster failed for another reason).  Distributed's scheduler and nannies each
    make ``dask-scratch-space`` in Dask's ``temporary-directory`` (``DASK_TEMPORARY_DIRECTORY``)
    or, unset, Python's temporary folder (``TMPDIR``, else ``/tmp``, ``/var/tmp``, ``/usr/tmp``,
    the current folder: the first where a file can be written).  This does the same, once."""
    import tempfile

    import dask

    try:
        base = dask.config.get("temporary-directory", None) or tempfile.gettempdir()
    except OSError as exc:  # none of the candidates takes a byte: a full or read-only disk
        return f"no usable temporary folder ({_tried(exc)})"
    scratch = Path(base) / "dask-scratch-space"
    try:
        scratch.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(dir=scratch)
        try:
            with open(Path(probe) / "probe", "wb") as f:
                f.write(b"x")
        finally:
            with suppress(OSError):
                (Path(probe) / "probe").unlink(missing_ok=True)
                os.rmdir(probe)
    except OSError as exc:
        return f"its temporary folder {scratch} cannot be used ({describe_os_error(exc)})"
    return None


def quiet_dask_logs() -> None:
    """Show only errors of Dask's own loggers in this process (a worker of the local cluster:
    run there by ``client.run``).  A local run prints only its progress and its summary
    (docs/batch.md): a worker's memory notices ("Unmanaged memory use is high. This may indicate
    a memory leak", "Pausing worker"), or the "ended with CancelledError" of a task that Ctrl-C
    cancelled, are Dask's bookkeeping, not the run's; an error is still shown."""
    for handler in logging.getLogger("distributed").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(logging.ERROR)


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Ignore SIGINT while the local cluster's worker processes are started, so that they
    ignore it too (an ignored signal stays ignored in a started program): Ctrl-C reaches every
    process of the terminal's foreground group, and a worker it interrupted printed its
    KeyboardInterrupt traceback.  This process then handles Ctrl-C again and closes the
    cluster, which ends the workers.  Only in the main thread (where signals are handled)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before if before is not None else signal.SIG_DFL)


def _connect(scheduler: str | None, workers: int):
    """(client, cluster): a client of the scheduler at ``scheduler``, or of a local cluster
    started here (``cluster``, None for a scheduler of one's own).  An unreachable scheduler
    waits Dask's ``distributed.comm.timeouts.connect`` (30 s by default), then is a
    :class:`SchedulerError` in one line."""
    import dask
    from distributed import Client, LocalCluster

    if not scheduler:
        try:
            with _workers_ignore_ctrl_c():
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       memory_limit=LOCAL_WORKER_MEMORY,
                                       dashboard_address=None, silence_logs=logging.ERROR,
                                       preload=["dist401k.dask_preload"],
                                       scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
        except RuntimeError as exc:  # "Cluster failed to start: …"; only a scratch folder's
            problem = scratch_folder_problem() if isinstance(exc.__cause__, OSError) else None
            if problem is None:
                raise
            raise ScratchFolderError(f"the local Dask cluster cannot start: {problem}; free "
                                     "space there, or set TMPDIR (or DASK_TEMPORARY_DIRECTORY) "
                                     "to a writable folder; nothing was written") from None
        client = Client(cluster)
        client.run(quiet_dask_logs)
        return client, cluster
    try:
        return Client(scheduler), None
    except ValueError as exc:  # an unknown scheme, a port that is not a number
        raise SchedulerError(f"--scheduler: {scheduler} is not the address of a Dask scheduler "
                             f"({exc}); give one as tcp://HOST:PORT") from None
    except OSError as exc:  # nothing answered (a timeout), refused, an unknown host
        timeout = dask.config.get("distributed.comm.timeouts.connect")
        why = (f"nothing answered within {timeout}" if isinstance(exc, TimeoutError)
               or str(exc).startswith("Timed out") else describe_os_error(exc))
        raise SchedulerError(f"--scheduler: the Dask scheduler at {scheduler} could not be "
                             f"reached ({why}); nothing was written") from None


def _start_output(out_dir: Path, mpath: Path, manifest: dict) -> None:
    """The run's folder and its manifest, stale temporary files (partitions, manifests) removed;
    a folder this run made is removed again where its manifest cannot be written.  The
    manifest is written whole or not at all (:func:`_write_whole`): a resume that fails to
    rewrite it leaves the earlier one, so the run can still be resumed."""
    made = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        _write_whole(mpath, json.dumps(manifest, indent=1))
    except OSError:
        if made:
            try:
                mpath.unlink(missing_ok=True)
                out_dir.rmdir()
            except OSError:
                pass
        raise
    for stale in (*out_dir.glob("part-*.parquet.tmp-*"), *out_dir.glob("._manifest.partial-*")):
        stale.unlink()


def _write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` under a new temporary name beside it (mode 0600, created
    exclusively: :func:`~dist401k.io.outputs.exclusive_temporary`) and rename it when complete
    (docs/reliability.md, "Whole or absent"): a failure leaves the file as it was, or none."""
    tmp = exclusive_temporary(path)
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def run_manifest(input_path: Path, job: str, partition_rows: int, partitions: int,
                 law: Law) -> dict:
    """What a Dask run is made from (``OUTPUT/_manifest.json``): the input's identity (path,
    size, rows, SHA-256 of its whole content), the job, its options, the partitions, the law
    and the program (``dist401k_version``)."""
    return {"job": job, "input": parquet_identity(input_path), "partitions": partitions,
            "options": {"engine": "dask", "partition_rows": partition_rows},
            "law_version": law.version, "dist401k_version": __version__}


def check_resume(mpath: Path, manifest: dict) -> None:
    """Refuse to resume into an output made by another run, in one line: a manifest without the
    input's content digest (an earlier dist401k's), one that does not say which dist401k wrote
    it or names another, an input whose content changed since the run began, or what else
    differs."""
    out = mpath.parent.name
    start_over = (f"to start over, remove {mpath.parent} (or choose another output) and run "
                  "without --resume")
    try:
        earlier = json.loads(mpath.read_text())
    except (OSError, ValueError):
        earlier = None
    if not isinstance(earlier, dict):
        raise ValueError(f"--resume: {out} has partitions but no readable {mpath.name}: it "
                         "cannot be shown to be this run's; choose another output")
    was = earlier.get("input")
    if not isinstance(was, dict) or DIGEST_KEY not in was:
        raise ValueError(f"--resume: {out}/{mpath.name} has no SHA-256 of the input's content "
                         "(it was written by an earlier dist401k), so the partitions written "
                         f"cannot be shown to be of this input; {start_over}")
    _check_program(earlier.get("dist401k_version"), f"{out}/{mpath.name}", start_over)
    now = manifest["input"]
    if was.get("path") == now["path"] and was.get(DIGEST_KEY) != now[DIGEST_KEY]:
        raise ValueError(f"--resume: {Path(now['path']).name} has changed since the run began "
                         f"(the SHA-256 of its content is not the one in {out}/{mpath.name}), "
                         f"so the partitions written are of another book; {start_over}")
    diff = differences(earlier, manifest)
    if diff:
        raise ValueError(f"--resume: {out} was made by another run "
                         f"({'; '.join(diff)}); finish that run or choose another output")


def _check_program(version: object, where: str, start_over: str) -> None:
    """Refuse a resume of a run written by another dist401k, or by one that did not record its
    version (cannot tell): its partitions were computed by another program."""
    if version is None:
        raise ValueError(f"--resume: {where} does not say which dist401k wrote it (it was "
                         "written by an earlier dist401k), so the partitions written cannot be "
                         f"shown to be of this dist401k {__version__}; {start_over}")
    if version != __version__:
        raise ValueError(f"--resume: {where} was written by dist401k {version}, this is "
                         f"dist401k {__version__}: one output would mix partitions of two "
                         f"programs; {start_over}")


def written_partitions(out_dir: Path) -> tuple[int, int]:
    """(rows, partitions) of the whole partitions a Dask run has written in ``out_dir`` (a
    partition appears under its final name only when complete: :func:`process_partition`);
    (0, 0) where there is no such folder."""
    parts = sorted(Path(out_dir).glob("part-*.parquet")) if Path(out_dir).is_dir() else []
    rows = 0
    for path in parts:
        with suppress(OSError, ValueError):  # unreadable: counted as a partition, not its rows
            rows += pq.ParquetFile(path).metadata.num_rows
    return rows, len(parts)


def dataset_summary(out_dir: Path, rows_in: int, seconds: float,
                    counted: dict[int, tuple[int, int]] | None = None,
                    already_done: int = 0) -> Summary:
    """Results and errors over every partition file. A partition written in this run counts
    as its worker counted it, checked against the file's row count; one from an earlier run
    (``--resume``, ``already_done`` rows in all) is read."""
    counted = counted or {}
    results = errors = 0
    for f in sorted(Path(out_dir).glob("part-*.parquet")):
        index = int(f.name.removeprefix("part-").removesuffix(".parquet"))
        rows = pq.ParquetFile(f).metadata.num_rows
        if index in counted and counted[index][0] == rows:
            e = counted[index][1]
        else:
            status = pq.read_table(f, columns=["status"]).column("status")
            e = int(pc.sum(pc.equal(status, "error")).as_py() or 0)
        errors += e
        results += rows - e
    return Summary(rows_in, results, errors, seconds, already_done)


def read_dataset(out_dir: Path) -> pa.Table:
    """The partitioned output of a Dask run (a folder of ``part-*.parquet``) as one table, in
    input order; a :class:`TableFormatError` naming the path where it is no such folder (a
    file, such as the local engine's output, is read with ``pyarrow.parquet.read_table``) or
    holds no partition: never an empty table standing for rows lost."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        what = "is a file, not a folder of partitions" if out_dir.exists() else "no such folder"
        raise TableFormatError(f"{out_dir}: {what} (read_dataset reads a Dask run's output "
                               "folder; read a .parquet file with pyarrow.parquet.read_table)")
    files = sorted(out_dir.glob("part-*.parquet"))
    if not files:
        raise TableFormatError(f"{out_dir}: holds no partitions (part-*.parquet): not the "
                               "output folder of a Dask run")
    return pa.concat_tables([pq.read_table(f) for f in files])
