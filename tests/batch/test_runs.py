"""Whole runs: the local engine, the Dask engine on a real two-worker LocalCluster, and a Dask
run killed mid-way then resumed — every row accounted for, the same output as one clean run."""

from __future__ import annotations

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from batch_books import kill_dask_run, write_book
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.runner import read_dataset, run_dask, run_local

runner = CliRunner()


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return write_book(tmp_path_factory.mktemp("book") / "book.parquet", 6000, 1000)


def test_local_run_csv_and_parquet(book, tmp_path):
    s = run_local(book, "eligibility", tmp_path / "out.parquet", batch_rows=1500)
    assert s.conserved and s.rows_in == 6000 and s.errors > 0
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.num_rows == 6000 and out.column("row").to_pylist() == list(range(6000))
    csv_in = tmp_path / "book.csv"
    pacsv.write_csv(pq.read_table(book), csv_in)
    s2 = run_local(csv_in, "eligibility", tmp_path / "out.csv", batch_rows=2500)
    assert (s2.results, s2.errors) == (s.results, s.errors)


def test_cli_reports_conservation(book, tmp_path):
    r = runner.invoke(app, ["batch", str(book), "--job", "rmd", "-o", str(tmp_path / "r.parquet")])
    assert r.exit_code == 0, r.output
    assert "6,000 rows in =" in r.output and "all accounted for" in r.output
    r = runner.invoke(app, ["batch", str(book), "--job", "nope", "-o", str(tmp_path / "x.parquet")])
    assert r.exit_code == 2


@pytest.mark.slow
def test_dask_two_workers_equals_local(book, tmp_path):
    local = run_local(book, "outcome", tmp_path / "local.parquet")
    s = run_dask(book, "outcome", tmp_path / "parts", workers=2, partition_rows=1000)
    assert s.conserved and (s.results, s.errors) == (local.results, local.errors)
    assert len(list((tmp_path / "parts").glob("part-*.parquet"))) == 6
    assert read_dataset(tmp_path / "parts").equals(pq.read_table(tmp_path / "local.parquet"))


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_output(tmp_path):
    book = write_book(tmp_path / "big.parquet", 40_000, 1000, seed=9)
    out = tmp_path / "parts"
    written = kill_dask_run(book, out, "outcome", workers=2, partition_rows=1000, after=3)
    assert 3 <= written < 40, f"kill landed after {written} of 40 partitions"
    # Without --resume the half-finished output is refused; with it, the rest is done.
    with pytest.raises(FileExistsError):
        run_dask(book, "outcome", out, workers=2, partition_rows=1000)
    s = run_dask(book, "outcome", out, workers=2, partition_rows=1000, resume=True)
    assert s.conserved and s.rows_in == 40_000
    clean = run_dask(book, "outcome", tmp_path / "clean", workers=2, partition_rows=1000)
    assert (clean.results, clean.errors) == (s.results, s.errors)
    assert read_dataset(out).equals(read_dataset(tmp_path / "clean"))


@pytest.mark.slow
def test_workers_start_with_the_law_loaded():
    # `--preload dist401k.dask_preload`: a worker has the law before its first partition.
    from distributed import Client, LocalCluster

    def law_loaded() -> bool:
        from dist401k.law import loader

        return loader._DEFAULT is not None

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None, preload=["dist401k.dask_preload"]) as cluster, \
            Client(cluster) as client:
        assert list(client.run(law_loaded).values()) == [True]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert list(client.run(law_loaded).values()) == [False]
