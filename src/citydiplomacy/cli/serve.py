"""serve and demo: run the web app."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
from sqlalchemy import Engine

from ..services import accounts
from ..services.registry import Actor
from .common import DatabaseOption, cli_actor, console, engine_for, friendly_errors

PortOption = Annotated[int, typer.Option("--port", "-p", envvar="CITYDIPLOMACY_PORT", help="Port to listen on.")]
HostOption = Annotated[str, typer.Option("--host", envvar="CITYDIPLOMACY_HOST", help="Address to listen on.")]


def serve_command(database: DatabaseOption = None, port: PortOption = 8000, host: HostOption = "127.0.0.1") -> None:
    """Serve the web app and REST API (OpenAPI at /openapi.json)."""
    from ..web import serve

    engine = engine_for(database)
    console.print(
        f"Serving citydiplomacy at http://{host}:{port}/  (API description: http://{host}:{port}/openapi.json)"
    )
    serve(engine, host=host, port=port)


#: Demo accounts besides the administrator, so that people can try each role.
DEMO_MEMBERS = (
    ("demo-viewer", "Demo viewer", "viewer"),
    ("demo-staff", "Demo staff member", "staff"),
    ("demo-counsel", "Demo counsel", "counsel"),
)


def ensure_demo_accounts(engine: Engine, workspace: str, actor: Actor) -> list[tuple[str, str, str | None]]:
    """A site administrator (unless one exists) and a viewer, staff member and counsel of the
    demo workspace (unless they exist). Returns (user name, role, password or None when the
    account already existed). Passwords are random, made here, and shown only once."""
    existing = {user.username: user for user, _role in accounts.list_users(engine)}
    out: list[tuple[str, str, str | None]] = []
    admins = [name for name, user in existing.items() if user.is_admin and user.active]
    if admins:
        out.append((admins[0], "site administrator", None))
    else:
        password = secrets.token_urlsafe(15)
        accounts.create_user(
            engine,
            {"username": "demo-admin", "display_name": "Demo administrator", "password": password, "is_admin": True},
            actor,
        )
        out.append(("demo-admin", "site administrator", password))
    for username, display_name, role in DEMO_MEMBERS:
        password = None
        if username not in existing:
            password = secrets.token_urlsafe(15)
            accounts.create_user(
                engine, {"username": username, "display_name": display_name, "password": password}, actor
            )
        accounts.grant_role(engine, username, workspace, role, actor)
        out.append((username, role, password))
    return out


def _print_accounts(created: list[tuple[str, str, str | None]], url: str) -> None:
    console.print(f"Sign in at {url}login with one of these accounts:")
    for username, role, password in created:
        secret = (
            f"password [bold]{password}[/] (shown once; change it after signing in)"
            if password
            else f"existing account (set a password with `citydip user password {username}`)"
        )
        console.print(f"  {username:<14} {role:<20} {secret}")


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
        demo_accounts = ensure_demo_accounts(engine, report.workspace, cli_actor())
    console.print(report.summary() if hasattr(report, "summary") else report)
    url = f"http://{host}:{port}/"
    _print_accounts(demo_accounts, url)
    if no_serve:
        return
    from ..web import serve

    console.print(f"Serving the demo at {url}  (API description: {url}openapi.json)")
    serve(engine, host=host, port=port)
