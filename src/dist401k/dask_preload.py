"""Dask worker preload: load the engine and the law when a worker starts, not on its first
partition.

    dask worker SCHEDULER --preload dist401k.dask_preload

A standing cluster started this way answers its first partitions at full speed; the local
cluster that `dist401k batch --engine dask` starts uses it too.
"""

from __future__ import annotations


def dask_setup(worker=None) -> None:  # the hook Dask calls on a worker started with --preload
    from dist401k.law import default_law
    from dist401k.runner import process_partition  # noqa: F401 — the engine, imported

    default_law()
