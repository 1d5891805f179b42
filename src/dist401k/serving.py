"""Running the API in several processes, with connections shared out evenly.

uvicorn's own worker processes share one listening socket, and the first process to wake
takes every connection waiting (measured on loopback: 40 of 50 client connections in one of
two processes, whose clients then waited 1.7 times as long).  Each process here listens on a
socket of its own on the same port (``SO_REUSEPORT``), and the kernel gives each new
connection to one of them by a hash of its addresses: about an even share each.  Where the
system has no such option, uvicorn's workers serve instead.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import signal
import socket
import sys
from dataclasses import dataclass
from multiprocessing.connection import wait

from uvicorn.logging import DefaultFormatter

APP = "dist401k.api:create_app"


def reuse_port_supported() -> bool:
    """Load-balancing SO_REUSEPORT (Linux 3.9 and later)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bound_socket(host: str, port: int) -> socket.socket:
    """A socket bound to the address, sharing the port with the other processes'."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


class AddressError(Exception):
    """The server cannot listen where asked: the port is taken, or the host is not this
    machine's; one line naming which."""


def check_address(host: str, port: int) -> None:
    """Bind the address once, as the server will (``SO_REUSEADDR``, no ``SO_REUSEPORT``, so a
    port another server holds is refused whatever its options), and let it go:
    :class:`AddressError` before the server starts where it cannot listen there."""
    import errno

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressError(f"--host: {host} is not a known host name or address of this "
                           f"machine ({getattr(exc, 'strerror', None) or exc})") from None
    family, kind, proto, _, address = infos[0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise AddressError(f"port {port} on {host} is in use (another program listens "
                               "there): stop it, or choose another --port") from None
        if exc.errno == errno.EACCES:
            raise AddressError(f"port {port} on {host}: permission denied (a port below 1024 "
                               "needs privileges): choose another --port") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise AddressError(f"--host: {host} is not an address of this machine") from None
        raise AddressError(f"cannot listen on port {port} of {host}: "
                           f"{exc.strerror or exc.__class__.__name__}") from None


def check_allowed_hosts(host: str) -> None:
    """Tell the server's processes the address they listen on (``DIST401K_BIND_HOST``, read
    when each makes the app): the ``Host`` names it answers are that address's, and those of
    ``DIST401K_ALLOWED_HOSTS`` (:func:`dist401k.api_guard.allowed_hosts`; docs/api.md, "Allowed
    hosts"); a malformed setting is an :class:`AddressError` before anything starts."""
    import os

    from dist401k.api_guard import BIND_HOST_ENV, allowed_hosts

    try:
        allowed_hosts(host)
    except ValueError as exc:
        raise AddressError(str(exc)) from None
    os.environ[BIND_HOST_ENV] = host


def quiet_gc() -> None:
    """Fewer, shorter garbage collections while serving: the law and the modules loaded at
    start are set aside from collection (``gc.freeze``), and the cyclic collector runs after
    100,000 net allocations instead of 700.  Each answer is a few thousand small objects;
    with the default thresholds a full collection came every few batches and stalled the
    requests waiting on it (measured: p99 latency 210–240 ms with it, 115–130 ms without, the
    median unchanged)."""
    from dist401k.law import default_law

    default_law()
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)


#: Loggers that would show the store's rows or statements below WARNING (SQLAlchemy's).
QUIET_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool")
#: Every line's format, dist401k's and uvicorn's alike: time, level, message.
LINE_FORMAT = "%(asctime)s %(levelprefix)s %(message)s"
#: The levels of ``serve --log-level`` (uvicorn's names).
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class LineFormatter(DefaultFormatter):
    """uvicorn's formatter, without colours, with the request's id (``request_id``, set by
    :class:`dist401k.api_guard.Guard`) at the end of a request's lines, so that its access
    line, its failure and a proxy's log can be tied together."""

    def __init__(self, fmt: str = LINE_FORMAT, datefmt: str | None = None, style="%",
                 use_colors: bool | None = False):
        super().__init__(fmt=fmt, datefmt=datefmt, style=style, use_colors=use_colors)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 — logging's name
        line = super().formatMessage(record)
        rid = getattr(record, "request_id", None)
        return f"{line} request_id={rid}" if rid else line


class NoTraceLines(logging.Filter):
    """Drops uvicorn's TRACE lines (below DEBUG): they show the client's address ("HTTP
    connection made") and each request's ASGI scope with its query string, which the access
    log leaves out (docs/reliability.md, "Log lines"): ``--log-level trace`` logs what debug
    logs, at every level the same redaction."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.DEBUG


def uvicorn_level(log_level: str) -> str:
    """The level uvicorn runs at for ``--log-level``: ``trace`` as ``debug`` (uvicorn's trace
    also wraps the app in its ASGI message logger, whose lines :class:`NoTraceLines` drops)."""
    return "debug" if log_level == "trace" else log_level


def log_config(log_level: str = "info") -> dict:
    """uvicorn's logging, with the API's own loggers beside it: ``dist401k.access`` (one line
    a request: time, method, path, status, duration, request id; uvicorn's access log, which
    shows the client's address and the query, is off) and ``dist401k.api`` (failures, by kind
    and place: never a value of a request), at ``log_level`` as uvicorn's are; every line
    (uvicorn's too) in one format, :data:`LINE_FORMAT`, time first.  SQLAlchemy's
    ``sqlalchemy.engine`` and ``sqlalchemy.pool`` are held at WARNING whatever the root level
    or an operator's setting before: at INFO they log statements, at DEBUG every row read (a
    saved case's names and TIN), which ``hide_parameters`` does not hide
    (docs/reliability.md)."""
    import copy

    from uvicorn.config import LOG_LEVELS as LEVELS
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for name in ("default", "access", "dist401k"):
        config["formatters"][name] = {"()": "dist401k.serving.LineFormatter"}
    config["handlers"]["dist401k"] = {"formatter": "dist401k", "class": "logging.StreamHandler",
                                      "stream": "ext://sys.stderr"}
    config.setdefault("filters", {})["no_trace"] = {"()": "dist401k.serving.NoTraceLines"}
    for handler in config["handlers"].values():
        handler["filters"] = ["no_trace"]
    config["loggers"]["dist401k"] = {"handlers": ["dist401k"], "level": LEVELS[log_level],
                                     "propagate": False}
    for name in QUIET_LOGGERS:
        config["loggers"][name] = {"level": "WARNING"}
    return config


@dataclass(frozen=True)
class ServeOptions:
    """How `dist401k serve` runs uvicorn (docs/reliability.md, "Operating the server"):
    ``limit_concurrency`` connections and tasks a process takes before it answers 503,
    ``timeout_graceful_shutdown`` seconds a stop waits for requests in flight before it
    cancels them (None: as long as they take), ``timeout_keep_alive`` seconds an idle
    connection is kept, ``forwarded_allow_ips`` the proxies whose ``X-Forwarded-For`` is
    trusted for the client's address (None: uvicorn's, ``$FORWARDED_ALLOW_IPS`` or the loopback
    addresses)."""

    log_level: str = "info"
    limit_concurrency: int | None = None
    timeout_graceful_shutdown: int | None = None
    timeout_keep_alive: int = 5
    forwarded_allow_ips: str | None = None


def _uvicorn_options(options: ServeOptions) -> dict:
    return {"factory": True, "log_level": uvicorn_level(options.log_level),
            "log_config": log_config(options.log_level), "access_log": False,
            "limit_concurrency": options.limit_concurrency,
            "timeout_graceful_shutdown": options.timeout_graceful_shutdown,
            "timeout_keep_alive": options.timeout_keep_alive,
            "forwarded_allow_ips": options.forwarded_allow_ips}


def _serve_one(host: str, port: int, options: ServeOptions) -> None:
    import uvicorn

    quiet_gc()
    sock = bound_socket(host, port)
    sock.listen(2048)
    config = uvicorn.Config(APP, **_uvicorn_options(options))
    uvicorn.Server(config).run(sockets=[sock])


def prepare_store() -> None:
    """Migrate the database once, here, before any process takes a request (``StoreError``
    with one line if it cannot be opened or is half-made and cannot be repaired)."""
    from dist401k.store import database_url, migrate

    migrate(database_url())


def worker_exit_status(exitcode: int | None) -> int:
    """The exit status of `dist401k serve` when one of its worker processes ended on its own:
    the worker's own status where it is not 0, 128 + the signal's number where a signal ended
    it (as a shell reports a command a signal ended: 137 for SIGKILL, the kernel's
    out-of-memory killer's); 1 where it ended with 0.  (It was ``exitcode or 1``: a killed
    worker's negative number, which came out as 247.)"""
    if exitcode is None or exitcode == 0:
        return 1
    return 128 - exitcode if exitcode < 0 else exitcode


def ended_how(exitcode: int | None) -> str:
    """A worker's end in words: "was killed by signal SIGKILL", "exited with status 3"."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return f"was killed by signal {name}"
    return f"exited with status {exitcode}"


def check_settings() -> None:
    """The settings every server process reads, checked once before any starts: a
    ``DIST401K_MAX_BODY_BYTES`` it cannot read is a :class:`~dist401k.io.files.SettingError`,
    one line naming it (it was a traceback in each process)."""
    from dist401k.io.files import max_body_bytes

    max_body_bytes()


def serve(host: str, port: int, workers: int, log_level: str = "info",
          options: ServeOptions | None = None) -> int:
    """Serve the API; ``workers`` processes, each with its own socket where the system shares
    connections out by itself.  The store is migrated first, in this process.  Returns the
    exit status.  A port in use (or a host not this machine's) is an :class:`AddressError`
    before anything starts; a setting that cannot be read, a
    :class:`~dist401k.io.files.SettingError`."""
    import uvicorn

    options = options or ServeOptions(log_level=log_level)
    check_settings()
    check_address(host, port)
    check_allowed_hosts(host)
    prepare_store()
    if workers <= 1 or not reuse_port_supported():
        quiet_gc()
        uvicorn.run(APP, host=host, port=port, workers=workers, **_uvicorn_options(options))
        return 0
    return _serve_processes(host, port, workers, options)


def _serve_processes(host: str, port: int, workers: int, options: ServeOptions) -> int:
    """``workers`` processes, each on its own socket; when one ends on its own the others are
    stopped, one line says which ended and how, and the status is :func:`worker_exit_status`."""
    import logging.config

    logging.config.dictConfig(log_config(options.log_level))
    ctx = multiprocessing.get_context("spawn")
    children = [ctx.Process(target=_serve_one, args=(host, port, options), daemon=False)
                for _ in range(workers)]
    for child in children:
        child.start()
    stopped = []

    def stop(*_):
        stopped.append(True)
        for child in children:
            if child.is_alive():
                child.terminate()  # uvicorn's own graceful shutdown

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # When one process ends on its own, the server is broken: stop the others, report it.
    ended = wait([c.sentinel for c in children])
    number, first = next((i, c) for i, c in enumerate(children, 1) if c.sentinel in ended)
    first.join()
    status = 0 if stopped else worker_exit_status(first.exitcode)
    if not stopped:
        logging.getLogger("dist401k.serve").error(
            "worker %d of %d (pid %s) %s: stopping the server (exit status %d)", number,
            workers, first.pid, ended_how(first.exitcode), status)
    stop()
    for child in children:
        child.join()
    return status
