"""Write a benchmark's table into its marked section of docs/performance.md."""

from __future__ import annotations

import re
from pathlib import Path


def replace_section(path: Path, name: str, table: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    text = path.read_text()
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = re.sub(re.escape(start) + ".*?" + re.escape(end), f"{start}\n{table}\n{end}", text,
                  flags=re.S)
    path.write_text(text)


def machine_line(peer: str) -> str:
    """The processor, cores, Python and NumPy of this run, then the peer compared with."""
    import os
    import platform

    import numpy as np

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"NumPy {np.__version__}, {peer}")


def best(fn, reps: int) -> float:
    """The shortest of ``reps`` timed calls of ``fn``, in seconds."""
    import time

    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)
