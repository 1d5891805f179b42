"""`dist401k serve`: the API (and OpenAPI docs at /docs)."""

from __future__ import annotations

import typer


def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8401, help="Port."),
    workers: int = typer.Option(1, help="Worker processes (on Linux each has its own socket "
                                "on the port and the kernel shares connections out evenly).",
                                min=1),
) -> None:
    """Serve the API. DIST401K_DATABASE_URL chooses the database (default: SQLite file
    dist401k.db here); DIST401K_API_TOKEN, if set, is required as a bearer token."""
    from dist401k.serving import serve

    # The access log shows method, path and status only: no bodies, nothing personal.
    raise typer.Exit(serve(host, port, workers))
