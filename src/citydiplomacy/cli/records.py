"""list, show, import and export: the registry's records from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..adapters.db.repository import ListQuery
from ..domain import RECORD_TYPES_BY_PLURAL
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

TYPES = ", ".join(RECORD_TYPES_BY_PLURAL)

#: Columns shown in tables, per record type.
SUMMARY = {
    "places": ["ref", "kind", "name", "country_code", "population"],
    "partners": ["ref", "name", "kind", "country_code"],
    "people": ["ref", "name", "country_code"],
    "posts": ["ref", "person", "title", "partner", "start_date", "end_date"],
    "networks": ["ref", "name", "acronym", "founded_year"],
    "memberships": ["ref", "network", "member", "role", "start_date"],
    "agreements": ["ref", "title", "kind", "status", "signed_on", "expires_on"],
    "engagements": ["ref", "start", "title", "kind", "status", "confidentiality"],
    "gifts": ["ref", "received_on", "description", "value", "currency", "disposition"],
}


def _check_type(record_type: str) -> str:
    plural = record_type.lower()
    if plural not in RECORD_TYPES_BY_PLURAL:
        raise typer.BadParameter(f"'{record_type}' is not a record type; use one of: {TYPES}", param_hint="TYPE")
    return plural


def list_command(
    record_type: Annotated[str, typer.Argument(metavar="TYPE", help=f"One of: {TYPES}.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    q: Annotated[str | None, typer.Option(help="Text in the name or title.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From this date (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Up to this date (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code.")] = None,
    partner: Annotated[str | None, typer.Option(help="Partner ref.")] = None,
    person: Annotated[str | None, typer.Option(help="Person ref.")] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    topic: Annotated[str | None, typer.Option()] = None,
    status: Annotated[str | None, typer.Option()] = None,
    sdg: Annotated[int | None, typer.Option(help="UN SDG goal number.")] = None,
    sort: Annotated[str | None, typer.Option(help="Sort key; prefix - for descending (e.g. -start).")] = None,
    page: int = 1,
    per_page: Annotated[int, typer.Option("--per-page")] = 50,
    fmt: FormatOption = "table",
) -> None:
    """List records with filters, sorting and paging."""
    plural = _check_type(record_type)
    with friendly_errors():
        query = _list_query(
            q=q,
            date_from=date_from,
            date_to=date_to,
            country=country,
            partner=partner,
            person=person,
            kind=kind,
            topic=topic,
            status=status,
            sdg=sdg,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        result = registry.list_records(engine, slug, plural, query, cli_actor())
    if fmt == "json":
        print_json(
            {
                "items": [r.model_dump(mode="json") for r in result.items],
                "total": result.total,
                "page": result.page,
                "per_page": result.per_page,
                "pages": result.pages,
            }
        )
        return
    columns = SUMMARY[plural]
    rows = [[_cell(r.model_dump(mode="json").get(c)) for c in columns] for r in result.items]
    print_table(f"{plural} in {slug}: {result.total} (page {result.page} of {result.pages})", columns, rows)


def _list_query(**values) -> ListQuery:
    """The list filters given on the command line, checked as the API checks them."""
    from pydantic import ValidationError

    try:
        return ListQuery(**values)
    except ValidationError as error:
        from ..domain import InvalidInput

        raise InvalidInput(registry.problems_from_validation(error)) from None


def _cell(value):
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        return value[:16].replace("T", " ")
    return value


def show_command(
    record_type: Annotated[str, typer.Argument(metavar="TYPE", help=f"One of: {TYPES}.")],
    ref: Annotated[str, typer.Argument(help="The record's ref.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Show one record in full."""
    plural = _check_type(record_type)
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        record = registry.get_record(engine, slug, plural, ref, cli_actor())
    data = record.model_dump(mode="json")
    if fmt == "json":
        print_json(data)
        return
    print_table(
        f"{record.kind_name} {ref}", ["field", "value"], [[k, v] for k, v in data.items() if v not in (None, [], {})]
    )


def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV, JSON or .ics file.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    record_type: Annotated[
        str | None,
        typer.Option(
            "--type", "-t", help="Record type of a CSV or single-type JSON file (default: from the file name)."
        ),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, json or ics (default: from the file extension).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report what would change; write nothing.")
    ] = False,
) -> None:
    """Import records: validated first, then written all-or-nothing. Re-importing is idempotent."""
    from rich.progress import Progress

    from ..services import imports

    plural = _check_type(record_type) if record_type else None
    kind = (fmt or file.suffix.lstrip(".")).lower()
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        if kind in ("ics", "ical", "icalendar"):
            report = imports.import_ics(engine, slug, file, cli_actor(), dry_run=dry_run, file_name=file.name)
        else:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(f"Importing {file.name}", total=None)

                def progress(stage: str, done: int, total: int | None = None) -> None:
                    bar.update(task, description=f"{stage.capitalize()} {file.name}", completed=done, total=total)

                report = imports.import_file(
                    engine, slug, file, cli_actor(), record_type=plural, fmt=fmt, dry_run=dry_run, progress=progress
                )
    console.print(report.summary(), markup=False, highlight=False)
    for problem in report.problems[:100]:
        console.print(f"  - {problem}", markup=False, highlight=False)
    if len(report.problems) > 100:
        console.print(f"  … and {len(report.problems) - 100} more")
    for person in getattr(report, "unmatched", [])[:50]:
        who = f"{person.name} <{person.email}>" if person.email else person.name
        console.print(
            f"  ? not matched to a known person (review): {who}: {person.reason}", markup=False, highlight=False
        )
    if dry_run:
        console.print("[yellow]Dry run: nothing was written.[/]")
    elif report.problems:
        raise typer.Exit(2)


def export_command(
    record_type: Annotated[
        str,
        typer.Argument(
            metavar="TYPE", help=f"One of: {TYPES}, or 'all' (JSON) or 'calendar' (.ics of planned engagements)."
        ),
    ],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or json (ics for 'calendar').")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")] = None,
    q: Annotated[str | None, typer.Option(help="Only records with this text in the name or title.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From this date (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Up to this date (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code.")] = None,
    partner: Annotated[str | None, typer.Option(help="Partner ref.")] = None,
    person: Annotated[str | None, typer.Option(help="Person ref.")] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    topic: Annotated[str | None, typer.Option()] = None,
    status: Annotated[str | None, typer.Option()] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV: write cells starting with = + - @ as stored (by default they are written as text, "
            "so that a spreadsheet does not run them; 'citydip import' reads both back unchanged).",
        ),
    ] = False,
) -> None:
    """Export records as CSV or JSON (or planned engagements as iCalendar); the same filters as
    'list' export only the records they select."""

    from ..services import exports

    filters = {
        "q": q,
        "date_from": date_from,
        "date_to": date_to,
        "country": country,
        "partner": partner,
        "person": person,
        "kind": kind,
        "topic": topic,
        "status": status,
    }
    with friendly_errors():
        query = _list_query(**filters) if any(v is not None for v in filters.values()) else None
        if query is not None and record_type == "all":
            from ..domain import InvalidInput, Problem

            raise InvalidInput([Problem("filters apply to one record type; name it instead of 'all'", field="TYPE")])
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        target = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
        try:
            if record_type == "calendar":
                count = exports.export_ics(engine, slug, target, cli_actor(), query=query)
            elif record_type == "all":
                count = sum(exports.export_workspace(engine, slug, target, cli_actor()).values())
            else:
                plural = _check_type(record_type)
                count = exports.export_records(engine, slug, plural, fmt, target, cli_actor(), query=query, raw=raw)
        finally:
            if out:
                target.close()
    if out:
        what = exports.described(record_type if record_type in ("all", "calendar") else plural, query)
        console.print(f"Wrote {count} record(s) to {out} ({what}).")
