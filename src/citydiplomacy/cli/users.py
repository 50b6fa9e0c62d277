"""user and token commands: accounts for the web app and API."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from ..services import accounts
from .common import (
    DatabaseOption,
    FormatOption,
    WorkspaceOption,
    cli_actor,
    console,
    engine_for,
    friendly_errors,
    pick_workspace,
    print_json,
    print_table,
)

user_app = typer.Typer(help="User accounts and their roles in workspaces.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts, scoped to a workspace and a role.", no_args_is_help=True)


def _password(value: str | None) -> tuple[str, bool]:
    """The given password, or a generated passphrase (returned with generated=True)."""
    if value:
        return value, False
    return secrets.token_urlsafe(15), True


@user_app.command("add")
def user_add(
    username: str,
    database: DatabaseOption = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name (default: the user name).")] = None,
    email: Annotated[str | None, typer.Option()] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="Site administrator: every workspace, users and settings.")
    ] = False,
    password: Annotated[
        str | None,
        typer.Option(envvar="CITYDIPLOMACY_NEW_PASSWORD", help="Default: a generated password, printed once."),
    ] = None,
    workspace: WorkspaceOption = None,
    role: Annotated[str | None, typer.Option(help="Role in --workspace: viewer, staff, counsel or admin.")] = None,
) -> None:
    """Create a user (the first administrator: `citydip user add NAME --admin`)."""
    secret, generated = _password(password)
    with friendly_errors():
        engine = engine_for(database)
        user = accounts.create_user(
            engine,
            {
                "username": username,
                "display_name": name or username,
                "email": email,
                "password": secret,
                "is_admin": admin,
            },
            cli_actor(),
        )
        if role:
            accounts.grant_role(engine, user.username, pick_workspace(engine, workspace), role, cli_actor())
    console.print(f"Created user '{user.username}'" + (" (site administrator)" if admin else ""))
    if generated:
        console.print(f"Password (shown once; change it after signing in): [bold]{secret}[/]")


@user_app.command("grant")
def user_grant(
    username: str,
    role: Annotated[str, typer.Argument(help="viewer, staff, counsel or admin")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Give a user a role in a workspace (replacing any role they had there)."""
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        accounts.grant_role(engine, username, slug, role, cli_actor())
    console.print(f"'{username}' is now {role} in '{slug}'")


@user_app.command("revoke")
def user_revoke(username: str, database: DatabaseOption = None, workspace: WorkspaceOption = None) -> None:
    """Remove a user from a workspace (their API tokens there are revoked too)."""
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        accounts.revoke_role(engine, username, slug, cli_actor())
    console.print(f"'{username}' no longer has access to '{slug}'")


@user_app.command("password")
def user_password(
    username: str,
    database: DatabaseOption = None,
    password: Annotated[
        str | None, typer.Option(envvar="CITYDIPLOMACY_NEW_PASSWORD", help="Default: generated and printed once.")
    ] = None,
) -> None:
    """Set a user's password (signs out all their sessions)."""
    secret, generated = _password(password)
    with friendly_errors():
        accounts.set_password(engine_for(database), username, secret, cli_actor())
    console.print(f"Password of '{username}' changed")
    if generated:
        console.print(f"New password (shown once): [bold]{secret}[/]")


@user_app.command("list")
def user_list(
    database: DatabaseOption = None,
    workspace: Annotated[str | None, typer.Option("--workspace", "-w", help="Only members of this workspace.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """List users (with their role when --workspace is given)."""
    with friendly_errors():
        rows = accounts.list_users(engine_for(database), workspace)
    if fmt == "json":
        print_json(
            [
                {
                    "username": u.username,
                    "display_name": u.display_name,
                    "is_admin": u.is_admin,
                    "active": u.active,
                    "role": r.value if r else None,
                }
                for u, r in rows
            ]
        )
        return
    print_table(
        "Users",
        ["user", "name", "admin", "role"],
        [[u.username, u.display_name, "yes" if u.is_admin else "", r.value if r else ""] for u, r in rows],
    )


@token_app.command("create")
def token_create(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")],
    role: Annotated[str, typer.Option(help="viewer, staff, counsel or admin (at most the user's own).")] = "viewer",
    days: Annotated[int, typer.Option(help="Days until it expires (0: never).")] = 365,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Issue an API token (printed once) for a user in a workspace."""
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        user = accounts.get_user(engine, username)
        token, info = accounts.create_api_token(
            engine, user, slug, name, role, expires_in_days=days or None, actor=cli_actor()
        )
    console.print(f"Token {info.id} for '{username}' as {info.role.value} in '{slug}' (shown once):")
    console.print(token, markup=False, highlight=False)


@token_app.command("list")
def token_list(database: DatabaseOption = None, workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """List a workspace's API tokens (never the secrets)."""
    with friendly_errors():
        engine = engine_for(database)
        tokens = accounts.list_api_tokens(engine, pick_workspace(engine, workspace))
    if fmt == "json":
        print_json([t.__dict__ for t in tokens])
        return
    print_table(
        "API tokens",
        ["id", "name", "prefix", "user", "role", "expires", "revoked"],
        [
            [
                t.id,
                t.name,
                t.prefix + "…",
                t.username,
                t.role.value,
                t.expires_at and t.expires_at.date(),
                t.revoked_at and t.revoked_at.date(),
            ]
            for t in tokens
        ],
    )


@token_app.command("revoke")
def token_revoke(token_id: int, database: DatabaseOption = None, workspace: WorkspaceOption = None) -> None:
    """Revoke an API token at once."""
    with friendly_errors():
        engine = engine_for(database)
        accounts.revoke_api_token(engine, pick_workspace(engine, workspace), token_id, cli_actor())
    console.print(f"Token {token_id} revoked")
