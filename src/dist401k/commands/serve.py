"""`dist401k serve`: the API (and OpenAPI docs at /docs)."""

from __future__ import annotations

import os

import typer


def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8401, help="Port (0 to 65535).", min=0, max=65535),
    workers: int = typer.Option(1, help="Worker processes (on Linux each has its own socket "
                                "on the port and the kernel shares connections out evenly).",
                                min=1),
    log_client_address: bool = typer.Option(False, help="Add the client's address to the "
                                             "access log (off: method, path, status, time)."),
) -> None:
    """Serve the API. DIST401K_DATABASE_URL chooses the database (default: SQLite file
    dist401k.db here), migrated before the first request; DIST401K_API_TOKEN, if set, is
    required as a bearer token."""
    from dist401k.serving import AddressError, serve
    from dist401k.store import StoreError

    if log_client_address:
        # Read by every server process when it makes the app.
        os.environ["DIST401K_LOG_CLIENT_ADDRESS"] = "1"
    # The access log shows method, path, status and time: no bodies, nothing personal.
    try:
        status = serve(host, port, workers)
    except (StoreError, AddressError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(status)
