"""Write a benchmark's table into its marked section of docs/performance.md."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
from io import BytesIO
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


def archive_src(root: Path, rev: str, into: Path) -> Path:
    """The ``src/`` tree of a git revision of the repository at ``root``, unpacked under
    ``into`` (a benchmark's ``--before REV``)."""
    blob = subprocess.run(["git", "archive", rev, "src"], cwd=root, capture_output=True,
                          check=True).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def untimed(x):
    """A JSON value without its ``seconds`` fields, at any depth (timings, never the same
    twice): what two revisions' answers are compared on."""
    if isinstance(x, dict):
        return {k: untimed(v) for k, v in x.items() if k != "seconds"}
    if isinstance(x, list):
        return [untimed(v) for v in x]
    return x


def run_with(src: str, bench_dir: Path, code: str, *args: str) -> dict:
    """Run ``code`` (Python that prints one JSON line last) in a fresh process with the
    package under ``src`` first on the path and the benchmarks importable; its arguments are
    ``sys.argv[1:]``. Returns the JSON, or ``{"error": ...}``."""
    boot = f"import sys; sys.path[:0] = [{src!r}, {str(bench_dir)!r}]; "
    out = subprocess.run([sys.executable, "-c", boot + code, *args], capture_output=True,
                         text=True, cwd=bench_dir.parent, check=False)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(fn, reps: int) -> float:
    """The shortest of ``reps`` timed calls of ``fn``, in seconds."""
    import time

    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)
