"""`dist401k serve` in a subprocess for the tests: a free port, the database named, its
output kept."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, server: subprocess.Popen, seconds: float = 120) -> None:
    """Until the port takes connections (not until the app answers: the burst comes at once)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert server.poll() is None, "the server ended before opening its port"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise AssertionError("the server never opened its port")


class Served:
    """`dist401k serve` in a subprocess on a free port, stopped with SIGTERM."""

    def __init__(self, database_url: str, workers: int = 1, *options: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DIST401K_DATABASE_URL": database_url, "DIST401K_API_TOKEN": ""}
        # The output goes to a file: a pipe nobody reads until the end could fill and stall it.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dist401k.cli", "serve", "--port", str(self.port),
             "--workers", str(workers), *options], env=env, stdout=self.log,
            stderr=subprocess.STDOUT)

    def __enter__(self):
        _wait_for_port(self.port, self.process)
        return self

    def __exit__(self, *_):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.seek(0)
        self.output = self.log.read().decode()
        self.log.close()
