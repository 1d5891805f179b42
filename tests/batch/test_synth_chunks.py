"""`dist401k synth` gives the same book whatever ``--chunk`` is (docs/batch.md: "the same seed
gives the same book whatever the chunk size").

Each chunk used to be drawn from a stream seeded by (seed, first row of the chunk), whole columns
at a time, so ``synth 3000 --seed 9`` with ``--chunk 1000``, ``--chunk 3000`` and ``--chunk 700``
gave three different books, different from row 0.  The expected answer needs no figure of the
book: a row is a row whatever chunk it was drawn in, so a book cut into chunks of any sizes,
put back together, is the book drawn in one piece (and each chunk is the same rows of it)."""

from __future__ import annotations

from contextlib import contextmanager
from unittest.mock import patch

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k import synth
from dist401k.cli import app
from dist401k.synth import synth_table

runner = CliRunner()


def test_the_reviewers_three_chunk_sizes_write_the_same_book(tmp_path):
    books = []
    for chunk in (1000, 3000, 700):
        out = tmp_path / f"a{chunk}.parquet"
        r = runner.invoke(app, ["synth", "3000", "-o", str(out), "--seed", "9", "--chunk", str(chunk)])
        assert r.exit_code == 0, r.output
        books.append(pq.read_table(out))
    assert books[0].num_rows == 3000
    assert books[0].equals(books[1]) and books[0].equals(books[2])


@contextmanager
def small_blocks(rows: int):
    """Blocks of ``rows`` rows, so that a small book spans several of them (the blocks kept
    from before are dropped, and again after)."""
    synth._block.cache_clear()
    try:
        with patch.object(synth, "BLOCK", rows):
            yield
    finally:
        synth._block.cache_clear()


def _pieces(n: int, seed: int, sizes: list[int], **kw) -> pa.Table:
    """Rows 0..n of the book drawn in chunks of the given sizes, in turn (the last repeated)."""
    parts, start, k = [], 0, 0
    while start < n:
        size = min(sizes[min(k, len(sizes) - 1)], n - start)
        parts.append(synth_table(size, seed=seed, start=start, **kw))
        start, k = start + size, k + 1
    return pa.concat_tables(parts)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 2**31), block=st.integers(1, 25),
       sizes=st.lists(st.integers(1, 70), min_size=1, max_size=8),
       bad=st.sampled_from([0.0, 0.3]), payer=st.booleans())
def test_any_chunk_sizes_give_the_same_book(n, seed, block, sizes, bad, payer):
    with small_blocks(block):
        whole = synth_table(n, seed=seed, bad_fraction=bad, with_payer=payer)
        assert whole.num_rows == n
        assert _pieces(n, seed, sizes, bad_fraction=bad, with_payer=payer).equals(whole)


@settings(max_examples=15, deadline=None)
@given(start=st.integers(0, 120), n=st.integers(0, 80), seed=st.integers(0, 99))
def test_a_chunk_is_those_rows_of_the_book(start, n, seed):
    """Rows ``start``.. of the book, asked for alone, are those rows of the whole book — across
    the boundary of the real blocks too."""
    at = synth.BLOCK - 100  # the book's rows around the first boundary
    whole = synth_table(300, seed=seed, start=at)
    assert synth_table(n, seed=seed, start=at + start).equals(whole.slice(start, n))
