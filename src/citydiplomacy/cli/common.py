"""What every command shares: the database and workspace options, output and errors."""

from __future__ import annotations

import getpass
import json
import sys
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..domain import CityDiplomacyError, InvalidInput
from ..services.registry import Actor

console = Console()
err_console = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        envvar="CITYDIPLOMACY_DATABASE_URL",
        help="Database URL (default: SQLite file in your user data directory). "
        "PostgreSQL: postgresql://user@host:5432/dbname",
    ),
]
WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="CITYDIPLOMACY_WORKSPACE",
        help="Workspace slug (default: the only workspace, if there is just one).",
    ),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="Output: table or json.")]


def cli_actor() -> Actor:
    """Whoever runs the CLI on the server acts as themselves, with full rights (they hold the database)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in a bare container
        user = "unknown"
    return Actor(name=f"cli:{user}", interface="cli")


def engine_for(database: str | None):
    from ..bootstrap import open_database

    return open_database(database)


def pick_workspace(engine, workspace: str | None) -> str:
    from ..services.registry import list_workspaces

    if workspace:
        return workspace
    spaces = list_workspaces(engine)
    if len(spaces) == 1:
        return spaces[0].slug
    names = (
        ", ".join(s.slug for s in spaces)
        or "none yet: run 'citydip init --workspace SLUG --name NAME --country CC' or 'citydip demo --no-serve'"
    )
    raise typer.BadParameter(f"choose a workspace with --workspace (workspaces: {names})", param_hint="--workspace")


@contextmanager
def friendly_errors():
    """Our errors become a clear message and exit code 2; nothing is printed as a traceback."""
    try:
        yield
    except InvalidInput as error:
        err_console.print(f"[bold red]Invalid input[/]: {len(error.problems)} problem(s); nothing was written.")
        for problem in error.problems[:100]:
            err_console.print(f"  - {problem}", markup=False, highlight=False)
        if len(error.problems) > 100:
            err_console.print(f"  … and {len(error.problems) - 100} more")
        raise typer.Exit(2) from None
    except CityDiplomacyError as error:
        err_console.print(f"[bold red]{error.title}[/]: ", end="")
        err_console.print(str(error), markup=False, highlight=False)
        raise typer.Exit(2) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
