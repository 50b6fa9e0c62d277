"""citydip practices: import, search, show, borrow, peers, reindex (the practice exchange)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..services import practices as svc
from .common import (
    DatabaseOption,
    WorkspaceOption,
    cli_actor,
    console,
    engine_for,
    friendly_errors,
    pick_workspace,
    print_json,
    print_table,
)

app = typer.Typer(help="The practice library: search, compare and borrow what other cities did.", no_args_is_help=True)

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output: text or json.")]


def _check_format(fmt: str) -> str:
    if fmt not in ("text", "json", "table"):
        raise typer.BadParameter("use text or json", param_hint="--format")
    return fmt


@app.command("import")
def import_command(
    file: Annotated[
        Path | None,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A practices .jsonl file (default: the shared library shipped with citydiplomacy).",
        ),
    ] = None,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
) -> None:
    """Import practices (one JSON object per line): validated first, all or nothing, idempotent."""
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        path = file or svc.shared_library_path()
        report = svc.import_practices(
            engine, slug, path.read_text(encoding="utf-8"), cli_actor(), file_name=path.name, dry_run=dry_run
        )
    console.print(report.summary())


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='A question or some words: "warn people before an earthquake".')],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many results.")] = 10,
    mode: Annotated[str, typer.Option(help="auto, lexical, semantic or hybrid.")] = "auto",
    topic: Annotated[list[str] | None, typer.Option(help="Only these topics (repeatable).")] = None,
    sdg: Annotated[list[int] | None, typer.Option(help="Only these SDG goals (repeatable).")] = None,
    region: Annotated[list[str] | None, typer.Option(help="Only these regions, e.g. 'Europe'.")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Only these ISO country codes.")] = None,
    population_band: Annotated[
        list[str] | None, typer.Option("--population", help="small, medium, large or mega.")
    ] = None,
    year_from: Annotated[int | None, typer.Option(help="Started in or after this year.")] = None,
    year_to: Annotated[int | None, typer.Option(help="Started in or before this year.")] = None,
    status: Annotated[list[str] | None, typer.Option(help="planned, pilot, active, ended or unknown.")] = None,
    fmt: FormatOpt = "text",
) -> None:
    """Search the library; prints ranked slugs with scores and why each matched."""
    _check_format(fmt)
    filters = {
        "topic": topic or [],
        "sdg": sdg or [],
        "region": region or [],
        "country": country or [],
        "population_band": population_band or [],
        "year_from": year_from,
        "year_to": year_to,
        "status": status or [],
    }
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        results = svc.search_practices(engine, slug, query, cli_actor(), mode=mode, filters=filters, limit=limit)
    if fmt == "json":
        print_json(
            {
                "query": results.query,
                "mode": results.mode,
                "notices": results.notices,
                "results": [
                    {
                        "rank": h.rank,
                        "slug": h.practice.slug,
                        "score": h.score,
                        "title": h.practice.title,
                        "why": h.why.explanation,
                    }
                    for h in results.hits
                ],
            }
        )
        return
    for notice in results.notices:
        console.print(f"[yellow]{notice}[/]")
    for hit in results.hits:
        console.print(f"{hit.rank:>3}. {hit.practice.slug}  {hit.score:.4f}", highlight=False)
        console.print(
            f"     {hit.practice.title} ({hit.practice.city or hit.practice.country_name}, "
            f"{hit.practice.year_started or 'n.d.'})",
            markup=False,
            highlight=False,
        )
        if hit.why.explanation:
            console.print("     why: " + "; ".join(hit.why.explanation), markup=False, highlight=False)
    if not results.hits:
        console.print("No practice matched; try other words or fewer filters.")


@app.command("show")
def show_command(
    slug: Annotated[str, typer.Argument(help="The practice's slug.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOpt = "text",
) -> None:
    """Show a practice with its sources, caveats and transfers."""
    _check_format(fmt)
    with friendly_errors():
        engine = engine_for(database)
        detail = svc.get_practice(engine, pick_workspace(engine, workspace), slug, cli_actor())
    if fmt == "json":
        print_json(detail.model_dump(mode="json"))
        return
    p, s = detail.practice, detail.summary
    console.print(f"[bold]{p.title}[/]", highlight=False)
    console.print(
        f"{p.city or '(national)'}, {s.country_name} · {s.region} · since {p.year_started or 'n.d.'} · status {p.status}",
        markup=False,
        highlight=False,
    )
    console.print(f"topics: {', '.join(p.topics)} · SDGs: {', '.join(map(str, p.sdgs))}", markup=False, highlight=False)
    for label, value in (
        ("Summary", p.summary),
        ("Problem", p.problem),
        ("What was done", p.what_was_done),
        ("Results", p.results),
        ("Cost", p.cost),
        ("Conditions for transfer", p.conditions),
    ):
        if value:
            console.print(f"\n[bold]{label}[/]\n{value}", highlight=False)
    if p.uncertain:
        console.print("\n[bold]Caveats[/]")
        for caveat in p.uncertain:
            console.print(f"  - {caveat}", markup=False, highlight=False)
    if p.sources:
        console.print("\n[bold]Sources[/]")
        for source in p.sources:
            console.print(f"  - {source}", markup=False, highlight=False)
    if detail.transfers:
        rows = [
            [
                v.transfer.year,
                v.transfer.adopter_city or v.transfer.adopter_country,
                v.transfer.from_city,
                v.transfer.status,
                v.transfer.outcome,
            ]
            for v in detail.transfers
        ]
        print_table("Transfers", ["year", "borrower", "learned from", "status", "outcome"], rows)


@app.command("borrow")
def borrow_command(
    slug: Annotated[str, typer.Argument(help="The practice being borrowed.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    from_city: Annotated[
        str | None, typer.Option("--from", help="City we learned it from (default: its city of origin).")
    ] = None,
    from_country: Annotated[str | None, typer.Option(help="ISO code of that city's country.")] = None,
    year: Annotated[int | None, typer.Option(help="Year of adoption.")] = None,
    adaptation: Annotated[str | None, typer.Option(help="How it was adapted.")] = None,
    outcome: Annotated[str, typer.Option(help="unknown, success, mixed or failure.")] = "unknown",
    outcome_notes: Annotated[str | None, typer.Option(help="What happened, in words.")] = None,
    status: Annotated[str, typer.Option(help="intended, in-progress, adopted or abandoned.")] = "intended",
    adopter: Annotated[str | None, typer.Option(help="Borrowing city, when it is not ours.")] = None,
    adopter_country: Annotated[str | None, typer.Option(help="ISO code of the borrowing city's country.")] = None,
) -> None:
    """Record that our city (or --adopter) is borrowing a practice."""
    data = {
        "from_city": from_city,
        "from_country": from_country,
        "year": year,
        "adaptation": adaptation,
        "outcome": outcome,
        "outcome_notes": outcome_notes,
        "status": status,
        "adopter_city": adopter,
        "adopter_country": adopter_country,
    }
    with friendly_errors():
        engine = engine_for(database)
        view = svc.record_transfer(
            engine,
            pick_workspace(engine, workspace),
            slug,
            {k: v for k, v in data.items() if v is not None},
            cli_actor(),
        )
    tr = view.transfer
    console.print(
        f"Recorded {tr.ref}: {tr.adopter_city or tr.adopter_country} borrows '{view.practice_title}' "
        f"from {tr.from_city or tr.from_country} ({tr.status}, outcome {tr.outcome}).",
        markup=False,
        highlight=False,
    )


@app.command("peers")
def peers_command(
    problem: Annotated[
        str | None, typer.Argument(help='The problem to tackle, e.g. "extreme heat" (default: every city).')
    ] = None,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 10,
    borrowed_from_us: Annotated[
        bool, typer.Option("--borrowed-from-us", help="Show who borrowed from us instead.")
    ] = False,
    fmt: FormatOpt = "text",
) -> None:
    """Cities like ours that tackled a problem, or (--borrowed-from-us) who learned from us."""
    _check_format(fmt)
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        if borrowed_from_us:
            views = svc.borrowed_from_us(engine, slug, cli_actor())
            if fmt == "json":
                print_json([v.model_dump(mode="json") for v in views])
            else:
                print_table(
                    "Borrowed from us",
                    ["year", "borrower", "practice", "status", "outcome"],
                    [
                        [
                            v.transfer.year,
                            v.transfer.adopter_city or v.transfer.adopter_country,
                            v.transfer.practice,
                            v.transfer.status,
                            v.transfer.outcome,
                        ]
                        for v in views
                    ],
                )
            return
        peers = svc.find_peers(engine, slug, cli_actor(), problem=problem, limit=limit)
    if fmt == "json":
        print_json([p.model_dump(mode="json") for p in peers])
        return
    print_table(
        "Peer cities",
        ["city", "country", "similarity", "why", "practices"],
        [[p.city, p.country_code, f"{p.similarity:.2f}", "; ".join(p.reasons), ", ".join(p.practices)] for p in peers],
    )


@app.command("reindex")
def reindex_command(database: DatabaseOption = None, workspace: WorkspaceOption = None) -> None:
    """Compute missing or stale embeddings (after installing citydiplomacy[semantic])."""
    with friendly_errors():
        engine = engine_for(database)
        done = svc.embed_missing(engine, pick_workspace(engine, workspace), cli_actor())
    console.print(f"{done} practice(s) embedded.")
