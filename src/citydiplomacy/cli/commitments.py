"""``citydip commitments ...`` (the ledger, obligations, networks, SDGs) and ``citydip report ...`` (VLR, summaries)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
import yaml

from ..domain import InvalidInput, Problem
from ..services import commitments as svc
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

app = typer.Typer(
    help="Commitments: pledges, targets, measurements and status; network obligations; SDGs.", no_args_is_help=True
)
report_app = typer.Typer(
    help="Reports: Voluntary Local Review drafts and one-page commitment summaries.", no_args_is_help=True
)

AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Compute statuses as of this date (YYYY-MM-DD; default today).")
]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD", param_hint=option) from None


def _read(file: Path):
    """A YAML or JSON file's data; a syntax error names the file and line."""
    text = file.read_text(encoding="utf-8")
    try:
        return json.loads(text) if file.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        line = getattr(error, "lineno", None) or (getattr(getattr(error, "problem_mark", None), "line", -1) + 1) or None
        raise InvalidInput([Problem(f"cannot read the file: {error}", file=str(file), line=line)]) from None


def _open(database, workspace):
    engine = engine_for(database)
    return engine, pick_workspace(engine, workspace)


# -- the ledger -----------------------------------------------------------------------------


@app.command("list")
def list_command(
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    network: Annotated[str | None, typer.Option(help="Only commitments to this network (ref).")] = None,
    sdg: Annotated[str | None, typer.Option(help="Only commitments serving this SDG code (e.g. 13 or 11.6).")] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Every commitment with its targets' statuses."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        items = svc.list_commitments(engine, slug, cli_actor(), as_of=_date(as_of, "--as-of"), network=network, sdg=sdg)
    if fmt == "json":
        print_json([i.model_dump(mode="json") for i in items])
        return
    rows = [
        [
            i.ref,
            i.title,
            i.kind,
            i.made_on,
            ", ".join(i.networks),
            i.target_count,
            ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in i.status_counts.items() if v),
        ]
        for i in items
    ]
    print_table(
        f"Commitments in {slug}: {len(items)}",
        ["ref", "title", "kind", "made", "networks", "targets", "statuses"],
        rows,
    )


@app.command("show")
def show_command(
    ref: Annotated[str, typer.Argument(help="The commitment's ref.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
) -> None:
    """One commitment: every target's status, beside the method and the numbers behind it."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        view = svc.get_commitment(engine, slug, ref, cli_actor(), as_of=_date(as_of, "--as-of"))
    if fmt == "json":
        print_json(view.model_dump(mode="json"))
        return
    console.print(f"[bold]{view.title}[/] ({view.kind}, {view.status}; as of {view.as_of})")
    if view.uses_illustrative_data:
        console.print("[red]Contains illustrative data (made up for demonstration, not real measurements).[/]")
    rows = [
        [
            t.key,
            f"{t.baseline_value:g} ({t.baseline_year}) -> {t.target_value:g} ({t.target_year}) {t.unit}",
            t.status.label,
            t.status.explanation,
        ]
        for t in view.targets
    ]
    print_table("Targets", ["target", "baseline -> target", "status", "why"], rows)
    console.print(f"[dim]Method: {view.targets[0].status.method if view.targets else ''}[/]")


@app.command("save")
def save_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="YAML or JSON: one commitment or a list.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create or replace commitments (by ref) from a file; each one is all-or-nothing."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        data = _read(file)
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                raise InvalidInput([Problem("expected a mapping of commitment fields", file=str(file))])
            view = svc.save_commitment(engine, slug, item, cli_actor())
            console.print(f"Saved commitment '{view.ref}' with {len(view.targets)} target(s)")


@app.command("delete")
def delete_command(ref: str, database: DatabaseOption = None, workspace: WorkspaceOption = None) -> None:
    """Delete a commitment with its targets and measurements (kept in the audit log)."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        svc.delete_commitment(engine, slug, ref, cli_actor())
    console.print(f"Deleted commitment '{ref}'")


@app.command("measure")
def measure_command(
    ref: Annotated[str, typer.Argument(help="The commitment's ref.")],
    target: Annotated[str, typer.Argument(help="The target's key.")],
    file: Annotated[
        Path | None, typer.Option("--file", exists=True, dir_okay=False, help="YAML or JSON list of measurements.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year of an annual value.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date the value describes (YYYY-MM-DD), instead of --year.")
    ] = None,
    value: Annotated[float | None, typer.Option(help="The value, in the target's unit.")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit of the value (checked against the target's).")] = None,
    source: Annotated[str | None, typer.Option(help="Where the figure comes from.")] = None,
    illustrative: Annotated[bool, typer.Option(help="Mark as made-up demonstration data.")] = False,
    replace: Annotated[bool, typer.Option(help="Overwrite values already stored for the same dates.")] = False,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add measurements to a target: from --file, or one value from the options. All or nothing."""
    with friendly_errors():
        if file:
            rows = _read(file)
            if not isinstance(rows, list):
                raise InvalidInput([Problem("expected a list of measurements", file=str(file))])
        else:
            row = {"value": value, "source": source, "illustrative": illustrative}
            if year is not None:
                row["year"] = year
            if on is not None:
                row["on"] = on
            if unit:
                row["unit"] = unit
            rows = [{k: v for k, v in row.items() if v is not None}]
        engine, slug = _open(database, workspace)
        view = svc.add_measurements(engine, slug, ref, target, rows, cli_actor(), replace=replace)
    console.print(f"{target}: {view.status.label}. {view.status.explanation}")


# -- networks and obligations --------------------------------------------------------------


@app.command("networks")
def networks_command(fmt: FormatOption = "table") -> None:
    """The reference list of city networks, with a citation per fact."""
    reference = svc.network_reference()
    if fmt == "json":
        print_json(reference.model_dump(mode="json"))
        return
    rows = [
        [n.ref, n.name, n.founded_year.value, n.founded_year.source, len(n.obligations)] for n in reference.networks
    ]
    print_table(f"City networks (as of {reference.as_of})", ["ref", "name", "founded", "source", "obligations"], rows)


@app.command("seed-networks")
def seed_networks_command(
    refs: Annotated[list[str] | None, typer.Argument(help="Refs to add (default: all).")] = None,
    update: Annotated[bool, typer.Option(help="Also overwrite networks that already exist.")] = False,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create the workspace's Network records from the reference list (idempotent)."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        results = svc.seed_networks(engine, slug, cli_actor(), refs or None, update_existing=update)
    print_table("Networks", ["ref", "result"], [[k, v] for k, v in results.items()])


@app.command("add-obligations")
def add_obligations_command(
    membership: Annotated[str, typer.Argument(help="Membership ref, e.g. c40/us.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create the obligations the membership's network asks for (from the reference list)."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        views = svc.add_membership_obligations(engine, slug, membership, cli_actor())
    print_table(f"Obligations of {membership}", ["ref", "title", "due"], [[v.ref, v.title, v.due_on] for v in views])


@app.command("obligations")
def obligations_command(
    within: Annotated[int | None, typer.Option(help="Only those due within this many days.")] = None,
    as_of: AsOfOption = None,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Upcoming membership obligations, soonest first (overdue ones at the top)."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        views = svc.upcoming_obligations(engine, slug, cli_actor(), as_of=_date(as_of, "--as-of"), within_days=within)
    if fmt == "json":
        print_json([v.model_dump(mode="json") for v in views])
        return
    rows = [
        [
            v.due_on,
            "OVERDUE" if v.overdue else f"in {v.days_until_due} days",
            v.network_name or v.network,
            v.title,
            "date to confirm" if v.due_is_assumed else "",
            v.ref,
        ]
        for v in views
    ]
    print_table("Upcoming obligations", ["due", "when", "network", "obligation", "", "ref"], rows)


@app.command("obligation-done")
def obligation_done_command(
    ref: str,
    on: Annotated[str | None, typer.Option("--on", help="Date done (default today).")] = None,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Mark an obligation done (an annual one moves to next year's date)."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        view = svc.complete_obligation(engine, slug, ref, cli_actor(), done_on=_date(on, "--on"))
    console.print(f"{view.title}: {'done' if view.done else f'next due {view.due_on}'}")


# -- SDGs -------------------------------------------------------------------------------------


@app.command("sdg")
def sdg_command(code: Annotated[str, typer.Argument(help="Goal, target or indicator code: 11, 11.6, 11.6.1.")]) -> None:
    """Look up an SDG code."""
    from ..commitments import sdg

    if not sdg.is_sdg_code(code):
        console.print(
            f"[red]'{code}' is not an SDG code[/] (goals 1-17, targets like 11.6 or 11.a, indicators like 11.6.1)"
        )
        raise typer.Exit(2)
    console.print(sdg.describe(code))
    found = sdg.framework().lookup(sdg.normalise_sdg_code(code))
    for child in getattr(found, "targets", ()) or getattr(found, "indicators", ()):
        console.print(f"  {child.code} {child.title}")


@app.command("tag")
def tag_command(
    record_type: Annotated[str, typer.Argument(metavar="TYPE", help="engagements, agreements, practices, …")],
    ref: str,
    codes: Annotated[list[str], typer.Argument(help="SDG codes; none to clear.")] | None = None,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Tag a record (or a practice slug) with SDG codes, replacing its tags."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        cleaned = svc.set_sdg_tags(engine, slug, record_type, ref, codes or [], cli_actor())
    console.print(f"{record_type}/{ref}: {', '.join(cleaned) or 'no SDG tags'}")


@app.command("dashboard")
def dashboard_command(
    as_of: AsOfOption = None,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The SDG dashboard: per goal, commitments, target statuses, engagements, agreements and practices."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        board = svc.sdg_dashboard(engine, slug, cli_actor(), as_of=_date(as_of, "--as-of"))
    if fmt == "json":
        print_json(board.model_dump(mode="json"))
        return
    rows = [
        [
            g.number,
            g.name,
            len(g.commitments),
            ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in g.target_status_counts.items() if v),
            g.engagements,
            g.agreements,
            len(g.practices),
        ]
        for g in board.goals
    ]
    print_table(
        f"SDG dashboard (as of {board.as_of})",
        ["SDG", "goal", "commitments", "targets", "engagements", "agreements", "practices"],
        rows,
    )


@app.command("demo")
def demo_command(database: DatabaseOption = None, workspace: WorkspaceOption = None) -> None:
    """Add the Los Angeles demo commitments (illustrative measurements) to a workspace."""
    with friendly_errors():
        engine, slug = _open(database, workspace)
        summary = svc.seed_demo_commitments(engine, slug, cli_actor())
    console.print(f"Demo commitments: {', '.join(summary['commitments'])}; obligations: {len(summary['obligations'])}")


# -- reports ----------------------------------------------------------------------------------


def _format_of(out: Path) -> str:
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in ("pdf", "html", "htm"):
        raise typer.BadParameter(f"'{out.name}' must end in .pdf or .html", param_hint="--out")
    return "html" if suffix in ("html", "htm") else "pdf"


@report_app.command("vlr")
def vlr_command(
    year: Annotated[int, typer.Option(help="The year the review covers.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .pdf or .html.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Build a Voluntary Local Review draft: per SDG, targets, indicators with charts, actions and partners."""
    fmt = _format_of(out)
    with friendly_errors():
        engine, slug = _open(database, workspace)
        content = svc.vlr_document(engine, slug, year, cli_actor(), fmt=fmt)
    out.write_bytes(content)
    console.print(f"Wrote {out} ({len(content):,} bytes)")


@report_app.command("commitment")
def commitment_report_command(
    ref: Annotated[str, typer.Argument(help="The commitment's ref.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .pdf or .html.")],
    as_of: AsOfOption = None,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """A one-page progress summary of one commitment."""
    fmt = _format_of(out)
    with friendly_errors():
        engine, slug = _open(database, workspace)
        content = svc.commitment_document(engine, slug, ref, cli_actor(), fmt=fmt, as_of=_date(as_of, "--as-of"))
    out.write_bytes(content)
    console.print(f"Wrote {out} ({len(content):,} bytes)")
