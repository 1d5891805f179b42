"""`dist401k serve` as an operator runs it (the site-reliability review): a bound on load, a
bounded graceful stop, the proxies trusted for the client's address, one line format with the
request id, a worker that dies named with a documented status, and a size setting that cannot
be read refused in one line."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import psutil
import pytest

from api.served import Served, free_port
from dist401k.errors import InputError
from dist401k.io.files import MAX_BODY_ENV, SettingError, max_body_bytes, read_text_file

STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ")


def _unfinished_body(port: int) -> socket.socket:
    """A slow client: the headers and part of a body, and then nothing (slow.py of the
    review)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /assess HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Content-Length: 500\r\n\r\n{\"person\":")
    return s


@pytest.mark.slow
def test_limit_concurrency_answers_503_past_the_limit(tmp_path):
    with Served(f"sqlite:///{tmp_path / 'db.sqlite'}", 1, "--limit-concurrency", "2") as server:
        assert httpx.get(server.base + "/health", timeout=60).status_code == 200
        slow = [_unfinished_body(server.port) for _ in range(2)]
        time.sleep(0.5)
        try:
            refused = httpx.get(server.base + "/health", timeout=30)
        finally:
            for s in slow:
                s.close()
        time.sleep(0.5)
        again = httpx.get(server.base + "/health", timeout=30)
    assert refused.status_code == 503, server.output[-2000:]
    assert again.status_code == 200


@pytest.mark.slow
def test_a_graceful_stop_ends_within_its_timeout_despite_a_slow_client(tmp_path):
    """A client that never finishes its body held the stop for ever (uvicorn has no body-read
    timeout); ``--timeout-graceful-shutdown 1`` cancels it, in every worker process."""
    server = Served(f"sqlite:///{tmp_path / 'db.sqlite'}", 2, "--timeout-graceful-shutdown", "1")
    with server:
        slow = [_unfinished_body(server.port) for _ in range(4)]
        time.sleep(0.5)
        start = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
        took = time.monotonic() - start
        for s in slow:
            s.close()
    assert took < 20, (took, server.output[-2000:])
    assert server.process.returncode == 0, server.output[-2000:]


@pytest.mark.slow
def test_one_line_format_trusted_proxies_and_the_request_id(tmp_path):
    """Only the proxies of ``--forwarded-allow-ips`` may set the logged client address (by
    default any loopback client could); uvicorn's lines have the time as dist401k's do; the
    access line ends with the request id, echoed to the client."""
    with Served(f"sqlite:///{tmp_path / 'db.sqlite'}", 1, "--log-client-address",
                "--forwarded-allow-ips", "192.0.2.1") as server:
        r = httpx.get(server.base + "/health", timeout=60,
                      headers={"X-Forwarded-For": "203.0.113.9", "X-Request-ID": "probe-1"})
        time.sleep(0.5)
    assert r.status_code == 200 and r.headers["x-request-id"] == "probe-1"
    lines = [line for line in server.output.splitlines() if line.strip()]
    access = [line for line in lines if " GET /health 200 " in line]
    assert len(access) == 1, server.output[-2000:]
    assert "203.0.113.9" not in access[0] and " 127.0.0.1:" in access[0], access
    assert access[0].endswith(" request_id=probe-1"), access
    assert any("Started server process" in line for line in lines), lines
    assert [line for line in lines if not STAMP.match(line)] == [], lines


@pytest.mark.slow
def test_log_level_warning_leaves_out_the_access_lines(tmp_path):
    with Served(f"sqlite:///{tmp_path / 'db.sqlite'}", 1, "--log-level", "warning") as server:
        assert httpx.get(server.base + "/health", timeout=60).status_code == 200
        time.sleep(0.5)
    assert " GET /health " not in server.output and "Started server" not in server.output


def _workers(parent: int, count: int, seconds: float = 120) -> list[psutil.Process]:
    """The server's worker processes (multiprocessing's spawned children, not its resource
    tracker), once all have started."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = [p for p in psutil.Process(parent).children()
                 if "spawn_main" in " ".join(p.cmdline())]
        if len(found) == count:
            return found
        time.sleep(0.1)
    raise AssertionError("the workers did not start")


@pytest.mark.slow
def test_a_worker_that_dies_is_named_and_the_status_says_how(tmp_path):
    """It was exit status 247 (a killed worker's -9, as a byte) and not a word of which."""
    with Served(f"sqlite:///{tmp_path / 'db.sqlite'}", 2) as server:
        assert httpx.get(server.base + "/health", timeout=60).status_code == 200
        workers = _workers(server.process.pid, 2)
        victim = workers[1]
        victim.send_signal(signal.SIGKILL)
        status = server.process.wait(timeout=60)
    assert status == 128 + signal.SIGKILL, server.output[-2000:]
    died = [line for line in server.output.splitlines() if "was killed by signal" in line]
    assert len(died) == 1, server.output[-2000:]
    assert re.search(rf"ERROR: +worker [12] of 2 \(pid {victim.pid}\) was killed by signal "
                     r"SIGKILL: stopping the server \(exit status 137\)$", died[0]), died


@pytest.mark.parametrize("exitcode, status", [(-9, 137), (-15, 143), (3, 3), (0, 1), (None, 1)])
def test_the_status_of_a_worker_ended_on_its_own(exitcode, status):
    from dist401k.serving import worker_exit_status

    assert worker_exit_status(exitcode) == status


@pytest.mark.parametrize("setting", ["2MB", "2e6", "1,000,000", "-5", "0", "½"])
def test_a_body_limit_that_cannot_be_read_is_refused_in_one_line(tmp_path, setting):
    """``DIST401K_MAX_BODY_BYTES=2MB`` was a traceback (a bare ``int()``) in `serve` and in
    every other command, which read it at import."""
    env = {**os.environ, MAX_BODY_ENV: setting,
           "DIST401K_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    result = subprocess.run([sys.executable, "-m", "dist401k.cli", "serve", "--port",
                             str(free_port())], env=env, capture_output=True, text=True,
                            timeout=120)
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 2, lines
    assert len(lines) == 1 and lines[0].startswith(f"error: {MAX_BODY_ENV}: "), lines
    assert not (tmp_path / "db.sqlite").exists()  # refused before the database is touched


def test_the_body_limit_setting_bounds_the_command_lines_files(tmp_path, monkeypatch):
    case = tmp_path / "case.yaml"
    case.write_text("x: 1\n" * 10)
    monkeypatch.setenv(MAX_BODY_ENV, "20")
    with pytest.raises(InputError, match="is larger than 20 bytes"):
        read_text_file(case)
    monkeypatch.setenv(MAX_BODY_ENV, "2MB")
    with pytest.raises(InputError) as refused:
        read_text_file(case)
    assert [p.field for p in refused.value.problems] == [MAX_BODY_ENV]


def test_the_body_limit_setting_is_read_in_digits():
    assert max_body_bytes("2000000") == 2_000_000
    assert max_body_bytes(" ") == max_body_bytes("") == 1_000_000
    for bad in ("2MB", "0", "000", "1e6", "9" * 19, "9" * 5000):  # 5,000 digits: past int()'s
        with pytest.raises(SettingError, match=f"^{MAX_BODY_ENV}: "):
            max_body_bytes(bad)
    assert max_body_bytes("0" * 30 + "42") == 42
