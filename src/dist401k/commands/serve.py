"""`dist401k serve`: the API (and OpenAPI docs at /docs)."""

from __future__ import annotations

import typer


def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8401, help="Port."),
    workers: int = typer.Option(1, help="Worker processes."),
) -> None:
    """Serve the API. DIST401K_DATABASE_URL chooses the database (default: SQLite file
    dist401k.db here); DIST401K_API_TOKEN, if set, is required as a bearer token."""
    import uvicorn

    # The access log shows method, path and status only: no bodies, nothing personal.
    uvicorn.run("dist401k.api:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info")
