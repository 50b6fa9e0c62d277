"""init, db, workspace and audit commands."""

from __future__ import annotations

from typing import Annotated

import typer

from ..services import registry
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

db_app = typer.Typer(help="Database schema: upgrade, downgrade, current revision.", no_args_is_help=True)
workspace_app = typer.Typer(help="Workspaces: one per city, county or state government.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail of every change.", no_args_is_help=True)


def init_command(
    database: DatabaseOption = None,
    workspace: Annotated[
        str | None, typer.Option("--workspace", "-w", help="Also create a workspace with this slug.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Workspace name, e.g. 'City of Oakland'.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code of the workspace's government.")] = None,
    subdivision: Annotated[
        str | None, typer.Option(help="ISO 3166-2 code of its state or province, e.g. US-CA.")
    ] = None,
    kind: Annotated[str, typer.Option(help="city, county or state.")] = "city",
    timezone: Annotated[str, typer.Option(help="IANA time zone, e.g. America/Los_Angeles.")] = "UTC",
) -> None:
    """Create or upgrade the database, and optionally a first workspace."""
    with friendly_errors():
        engine = engine_for(database)
        console.print(f"Database ready at {engine.url.render_as_string(hide_password=True)}")
        if workspace:
            if not (name and country):
                raise typer.BadParameter(
                    "--name and --country are needed to create a workspace", param_hint="--workspace"
                )
            registry.create_workspace(
                engine,
                {
                    "slug": workspace,
                    "name": name,
                    "country_code": country,
                    "subdivision_code": subdivision,
                    "kind": kind,
                    "timezone": timezone,
                },
                cli_actor(),
            )
            console.print(f"Created workspace '{workspace}'")


@db_app.command("upgrade")
def db_upgrade(database: DatabaseOption = None, revision: str = "head") -> None:
    """Apply migrations up to a revision (default: the latest)."""
    from .. import migrations
    from ..bootstrap import open_database

    engine = open_database(database, migrate=False)
    migrations.upgrade(engine, revision)
    console.print(f"At revision {migrations.current(engine)}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or 'base' for an empty database.")],
    database: DatabaseOption = None,
) -> None:
    """Undo migrations down to a revision."""
    from .. import migrations
    from ..bootstrap import open_database

    engine = open_database(database, migrate=False)
    migrations.downgrade(engine, revision)
    console.print(f"At revision {migrations.current(engine)}")


@db_app.command("current")
def db_current(database: DatabaseOption = None) -> None:
    """Print the database's schema revision."""
    from .. import migrations
    from ..bootstrap import open_database

    console.print(migrations.current(open_database(database, migrate=False)) or "empty (no migrations applied)")


@workspace_app.command("list")
def workspace_list(database: DatabaseOption = None, fmt: FormatOption = "table") -> None:
    """List workspaces."""
    with friendly_errors():
        spaces = registry.list_workspaces(engine_for(database))
    if fmt == "json":
        print_json([s.model_dump(mode="json") for s in spaces])
        return
    print_table(
        "Workspaces",
        ["slug", "name", "kind", "country", "time zone"],
        [[s.slug, s.name, s.kind, s.country_code, s.timezone] for s in spaces],
    )


@workspace_app.command("create")
def workspace_create(
    slug: str,
    name: Annotated[str, typer.Option(help="e.g. 'City of Oakland'.")],
    country: Annotated[str, typer.Option(help="ISO country code.")],
    database: DatabaseOption = None,
    subdivision: Annotated[str | None, typer.Option(help="ISO 3166-2, e.g. US-CA.")] = None,
    kind: str = "city",
    timezone: str = "UTC",
) -> None:
    """Create a workspace."""
    with friendly_errors():
        registry.create_workspace(
            engine_for(database),
            {
                "slug": slug,
                "name": name,
                "country_code": country,
                "subdivision_code": subdivision,
                "kind": kind,
                "timezone": timezone,
            },
            cli_actor(),
        )
    console.print(f"Created workspace '{slug}'")


@audit_app.command("verify")
def audit_verify(database: DatabaseOption = None) -> None:
    """Check the hash chain of the stored history; exit 1 if anything was tampered with."""
    from ..adapters.db import audit

    engine = engine_for(database)
    with engine.connect() as conn:
        count, breaks = audit.verify(conn)
    if breaks:
        console.print(f"[bold red]Audit trail broken[/]: {len(breaks)} problem(s) in {count} entries")
        for item in breaks:
            console.print(f"  - entry {item.entry_id} (workspace id {item.workspace_id}): {item.reason}")
        raise typer.Exit(1)
    console.print(f"Audit trail intact: {count} entries verified")


@audit_app.command("log")
def audit_log(
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    record_type: Annotated[str | None, typer.Option("--type", help="Record type, e.g. engagement.")] = None,
    ref: Annotated[str | None, typer.Option(help="Record ref.")] = None,
    limit: int = 50,
    fmt: FormatOption = "table",
) -> None:
    """Show recent changes: who, when, through which interface, what changed."""
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        entries = registry.audit_history(engine, slug, record_type_name=record_type, ref=ref, limit=limit)
    if fmt == "json":
        print_json([e.__dict__ for e in entries])
        return
    print_table(
        f"Audit log of {slug}",
        ["when (UTC)", "who", "via", "action", "record", "changed"],
        [
            [
                e.at.strftime("%Y-%m-%d %H:%M:%S"),
                e.actor,
                e.interface,
                e.action,
                f"{e.record_type} {e.record_ref}",
                ", ".join(e.changed[:6]),
            ]
            for e in entries
        ],
    )
