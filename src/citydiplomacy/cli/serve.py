"""serve and demo: run the web app."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import DatabaseOption, cli_actor, console, engine_for, friendly_errors

PortOption = Annotated[int, typer.Option("--port", "-p", envvar="CITYDIPLOMACY_PORT", help="Port to listen on.")]
HostOption = Annotated[str, typer.Option("--host", envvar="CITYDIPLOMACY_HOST", help="Address to listen on.")]


def serve_command(database: DatabaseOption = None, port: PortOption = 8000, host: HostOption = "127.0.0.1") -> None:
    """Serve the web app and REST API (OpenAPI at /openapi.json)."""
    from ..web import serve

    engine = engine_for(database)
    console.print(f"Serving citydiplomacy at http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    serve(engine, host=host, port=port)


def demo_command(
    database: DatabaseOption = None,
    port: PortOption = 8000,
    host: HostOption = "127.0.0.1",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only build the demo workspace.")] = False,
) -> None:
    """Build the illustrative 'City of Los Angeles' demo workspace, then serve it."""
    from ..demo import build_demo

    with friendly_errors():
        engine = engine_for(database)
        report = build_demo(engine, actor=cli_actor())
    console.print(report.summary() if hasattr(report, "summary") else report)
    if no_serve:
        return
    from ..web import serve

    console.print(f"Serving the demo at http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    serve(engine, host=host, port=port)
