"""atlas: the world's twin towns, the relationship graph, introduction paths, suggestions, maps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..services import atlas as service
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
    help="The atlas: twin towns, network metrics, introduction paths, partner suggestions and maps.",
    no_args_is_help=True,
)


@app.command("import-twins")
def import_twins(
    file: Annotated[Path, typer.Argument(help="Twin-town CSV with columns city1,country1,city2,country2.")],
    report: Annotated[
        Path, typer.Option("--report", help="Where to write the resolution report (CSV, one row per name).")
    ],
    database: DatabaseOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Load the twin-town list as the shared reference layer, resolving every name offline."""
    with friendly_errors():
        engine = engine_for(database)
        actor = cli_actor()
        result = service.import_twins(engine, file, actor, report_path=report)
    if fmt == "json":
        print_json({"import": result.model_dump()})
        return
    s = result.statuses
    console.print(
        f"{result.rows:,} pairs, {result.names:,} distinct names: {s['resolved']:,} resolved "
        f"({result.resolved_share:.1%}), {s['ambiguous']:,} ambiguous, {s['unresolved']:,} unresolved."
    )
    c = result.counts
    console.print(
        f"names: {c['names_inserted']} new, {c['names_updated']} updated, {c['names_removed']} removed; "
        f"pairs: {c['pairs_inserted']} new, {c['pairs_updated']} moved, {c['pairs_removed']} removed"
        + ("" if result.changed else " (nothing changed)")
        + f"; {result.seconds['total']:.1f} s."
    )
    for skipped in result.skipped:
        console.print(f"  skipped: {skipped}", markup=False, highlight=False)
    console.print(f"Report: {report}")


@app.command("pick")
def pick(
    input_name: Annotated[str, typer.Argument(help="The name exactly as in the list (see the report).")],
    country: Annotated[str, typer.Argument(help="The country exactly as in the list ('' when empty).")],
    geonames_id: Annotated[int, typer.Argument(help="The GeoNames id of the place meant.")],
    note: Annotated[str | None, typer.Option(help="Why (shown in the report).")] = None,
    database: DatabaseOption = None,
) -> None:
    """Say which place a name of the list means; later imports remember it."""
    with friendly_errors():
        result = service.pick_place(engine_for(database), input_name, country, geonames_id, cli_actor(), note=note)
    console.print(
        f"'{result.input_name}' ({result.input_country or 'no country'}) -> {result.place} "
        f"[geonames {result.geonames_id}], was {result.previous_status}.",
        markup=False,
        highlight=False,
    )


@app.command("metrics")
def metrics(
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    reference: Annotated[bool, typer.Option("--reference", help="Only the world's twin-town network.")] = False,
    top: int = 10,
    exact: Annotated[bool, typer.Option("--exact", help="Exact betweenness (about 40 s on the full list).")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Degree, centrality, communities, bridges between regions and country aggregates."""
    with friendly_errors():
        engine = engine_for(database)
        if reference:
            result = service.reference_metrics(engine, top=top, exact_betweenness=exact)
        else:
            result = service.workspace_metrics(
                engine, pick_workspace(engine, workspace), cli_actor(), top=top, exact_betweenness=exact
            )
    if fmt == "json":
        print_json(result.model_dump())
        return
    console.print(
        f"{result.scope}: {result.nodes:,} nodes, {result.edges:,} ties, {result.components:,} components "
        f"(largest {result.largest_component:,}), {result.communities:,} communities "
        f"(modularity {result.modularity}), {result.bridge_edges:,} bridge ties; "
        f"{sum(result.seconds.values()):.2f} s"
    )
    print_table(
        "Most ties",
        ["name", "kind", "country", "ties"],
        [[s.label, s.kind, s.country_code, s.degree] for s in result.degree_top],
    )
    print_table(
        f"Betweenness ({result.betweenness_method})",
        ["name", "country", "betweenness", "ties"],
        [[s.label, s.country_code, f"{s.value:.5f}", s.degree] for s in result.betweenness_top],
    )
    print_table(
        "Largest communities",
        ["size", "best connected", "countries"],
        [
            [c.size, ", ".join(c.members[:5]), ", ".join(f"{k} {n}" for k, n in c.countries)]
            for c in result.communities_top
        ],
    )
    print_table(
        "Ties between regions",
        ["region", "region", "ties"],
        [[link.region_a, link.region_b, link.ties] for link in result.region_links],
    )
    print_table(
        "Bridges between regions",
        ["name", "country", "other regions", "ties"],
        [[b.label, b.country_code, len(b.other_regions), b.ties] for b in result.region_brokers],
    )
    print_table(
        "Countries",
        ["country", "places", "ties", "international", "top partners"],
        [
            [
                c.country,
                c.places,
                c.ties,
                c.international_ties,
                ", ".join(f"{k} {n}" for k, n in c.top_partner_countries),
            ]
            for c in result.countries[:top]
        ],
    )


@app.command("path")
def path(
    target: Annotated[str, typer.Argument(help="A city ('Hanoi', 'Lagos, Nigeria'), partner or person (name or ref).")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    k: Annotated[int, typer.Option("-k", help="How many alternative chains.")] = 3,
    fmt: FormatOption = "table",
) -> None:
    """The most trusted chains of ties from us to a target, each step explained."""
    with friendly_errors():
        engine = engine_for(database)
        answer = service.introduction_paths(engine, pick_workspace(engine, workspace), target, cli_actor(), k=k)
    if fmt == "json":
        print_json(answer.model_dump())
        return
    console.print(f"Target: {answer.target_label} ({answer.target_reason})", markup=False, highlight=False)
    console.print(answer.explanation, markup=False, highlight=False)
    for n, p in enumerate(answer.paths, start=1):
        console.print(f"\n{n}. {p.text}  [trust cost {p.cost}]", markup=False, highlight=False)
        for step in p.steps:
            where = "our records" if step.source == "workspace" else "Wikipedia twin-town list"
            console.print(
                f"   {step.from_label} — {step.relation} — {step.to_label}   ({where}"
                + (f": {step.evidence}" if step.evidence else "")
                + ")",
                markup=False,
                highlight=False,
            )


@app.command("suggest")
def suggest(
    goal: Annotated[str, typer.Argument(help="E.g. 'trade with Vietnam', 'a sister city in West Africa'.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    limit: int = 10,
    fmt: FormatOption = "table",
) -> None:
    """Suggest cities and partners for a goal, each with its reasons."""
    with friendly_errors():
        engine = engine_for(database)
        answer = service.suggest_partners(engine, pick_workspace(engine, workspace), goal, cli_actor(), limit=limit)
    if fmt == "json":
        print_json(answer.model_dump())
        return
    r = answer.reading
    console.print(
        f"Reading: countries {', '.join(r.countries) or '-'}; region {r.region or '-'}; topics "
        f"{', '.join(r.topics) or '-'}; looking for a {r.wants}.",
        markup=False,
        highlight=False,
    )
    for note in r.notes:
        console.print(f"  note: {note}", markup=False, highlight=False)
    for n, s in enumerate(answer.suggestions, start=1):
        console.print(f"\n{n}. {s.label} ({s.kind}, {s.country_code})", markup=False, highlight=False)
        for reason in s.reasons:
            console.print(f"   - {reason.text}", markup=False, highlight=False)


@app.command("map")
def map_command(
    out: Annotated[Path, typer.Option("--out", help="Output file: .svg or .png.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    view: Annotated[str, typer.Option(help="'world', a continent or a region ('Europe', 'West Africa').")] = "world",
    width: Annotated[int, typer.Option(help="Width in pixels.")] = 1600,
) -> None:
    """Export the workspace's ties as a map (choropleth, sister-city arcs, partner markers)."""
    suffix = out.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise typer.BadParameter("the file name must end in .svg or .png", param_hint="--out")
    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        if suffix == ".svg":
            out.write_text(service.map_svg(engine, slug, cli_actor(), view=view, width=width), encoding="utf-8")
        else:
            try:
                out.write_bytes(service.map_png(engine, slug, cli_actor(), view=view, width=width))
            except RuntimeError as error:
                raise typer.BadParameter(str(error), param_hint="--out") from None
    console.print(f"Wrote {out}")


@app.command("report")
def report(
    out: Annotated[Path, typer.Option("--out", help="Where to write the stored resolution report (CSV).")],
    database: DatabaseOption = None,
) -> None:
    """Write the stored resolution report again (after picks, for instance)."""
    with friendly_errors():
        count = service.export_twin_report(engine_for(database), out)
    console.print(f"Wrote {count:,} rows to {out}")
