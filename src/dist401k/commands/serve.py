"""`dist401k serve`: the API (and OpenAPI docs at /docs)."""

from __future__ import annotations

import os
from enum import Enum

import typer


class LogLevel(str, Enum):
    """``--log-level``'s choices (uvicorn's, ``dist401k.serving.LOG_LEVELS``; not imported
    here: the command line starts without uvicorn)."""

    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"
    trace = "trace"


def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8401, help="Port (0 to 65535).", min=0, max=65535),
    workers: int = typer.Option(1, help="Worker processes (on Linux each has its own socket "
                                "on the port and the kernel shares connections out evenly).",
                                min=1),
    log_client_address: bool = typer.Option(False, help="Add the client's address to the "
                                             "access log (off: method, path, status, time)."),
    log_level: LogLevel = typer.Option(
        LogLevel.info, case_sensitive=False, help="The least important lines logged, "
        "uvicorn's and dist401k's (warning: no access log)."),
    limit_concurrency: int | None = typer.Option(
        None, min=1, help="Connections and requests one worker process takes at once; past "
        "it, 503 (default: no limit)."),
    timeout_graceful_shutdown: int | None = typer.Option(
        None, min=0, help="Seconds a stop waits for the requests in flight before it cancels "
        "them (default: as long as they take); set it below your orchestrator's grace period."),
    timeout_keep_alive: int = typer.Option(5, min=1, help="Seconds an idle connection is "
                                           "kept open for its next request."),
    forwarded_allow_ips: str | None = typer.Option(
        None, help="Comma-separated addresses (or *) of the proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are trusted (default: $FORWARDED_ALLOW_IPS, else 127.0.0.1,::1)."),
) -> None:
    """Serve the API. DIST401K_DATABASE_URL chooses the database (default: SQLite file
    dist401k.db here), migrated before the first request; DIST401K_API_TOKEN, if set, is
    required as a bearer token. GET /health is the liveness probe, GET /ready the readiness
    probe (docs/reliability.md)."""
    from dist401k.io.files import SettingError
    from dist401k.serving import AddressError, ServeOptions, serve
    from dist401k.store import StoreError

    if log_client_address:
        # Read by every server process when it makes the app.
        os.environ["DIST401K_LOG_CLIENT_ADDRESS"] = "1"
    options = ServeOptions(log_level=LogLevel(log_level).value, limit_concurrency=limit_concurrency,
                           timeout_graceful_shutdown=timeout_graceful_shutdown,
                           timeout_keep_alive=timeout_keep_alive,
                           forwarded_allow_ips=forwarded_allow_ips)
    # The access log shows method, path, status and time: no bodies, nothing personal.
    try:
        status = serve(host, port, workers, options=options)
    except (StoreError, AddressError, SettingError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(status)
