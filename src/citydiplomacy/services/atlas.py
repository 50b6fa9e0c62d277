"""Atlas use cases: the twin-town import and its review, picks, graph metrics, introduction
paths, partner suggestions and maps (issue 5).

Every function takes primitives and an :class:`Actor`, runs in its own unit of work and
returns plain models (``atlas.models``) that the API, the CLI and the web pages render.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, select

from ..adapters.db import tables as t
from ..atlas import analytics, maps, store
from ..atlas.graph import AtlasGraph, Edge, Node
from ..atlas.models import (
    CountryAggregate,
    IntroductionAnswer,
    IntroPath,
    MapLayers,
    NetworkMetrics,
    PathStep,
    PickResult,
    ReferenceTie,
    ReportPage,
    ReportRow,
    SuggestionAnswer,
    TwinImportResult,
    YearRow,
)
from ..atlas.sources import WorkspaceRecords, reference_elements, workspace_elements
from ..atlas.suggest import read_goal, suggest
from ..atlas.twins import (
    Pick,
    read_twin_file,
    resolve_name,
    resolve_names,
    write_report,
)
from ..domain import InvalidInput, NotFound, PermissionDenied, Problem
from ..domain.vocab import PartnerKind
from .registry import Actor
from .unit_of_work import UnitOfWork

__all__ = [
    "export_twin_report",
    "import_twins",
    "introduction_paths",
    "map_data",
    "map_layers",
    "map_png",
    "map_svg",
    "pick_place",
    "reference_metrics",
    "reference_ties",
    "suggest_partners",
    "twin_report",
    "workspace_countries",
    "workspace_metrics",
    "workspace_timeline",
]

_PLURALS = ("places", "partners", "people", "posts", "networks", "memberships", "agreements", "engagements")


def _gazetteer():
    from ..gazetteer import Gazetteer

    return Gazetteer.default()


def _require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change the atlas.")


# -- the twin-town import -----------------------------------------------------------------


def import_twins(
    engine: Engine, path: str | Path, actor: Actor, *, report_path: str | Path | None = None
) -> TwinImportResult:
    """Load a twin-town list into the shared reference layer, resolving every name offline.

    Validated first (nothing is written if the file has problems), then stored in one
    transaction; importing the same file again changes nothing. Names a person has picked a
    place for keep that pick. The report (one row per distinct name) is written after commit."""
    _require_write(actor)
    seconds: dict[str, float] = {}
    started = clock = time.perf_counter()
    path = Path(path)
    parsed = read_twin_file(path)
    if parsed.problems:
        raise InvalidInput(parsed.problems)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    seconds["read"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()
    gz = _gazetteer()
    seconds["gazetteer_load"] = round(time.perf_counter() - clock, 3)
    with UnitOfWork(engine) as uow:
        picks = store.load_picks(uow.conn)
        clock = time.perf_counter()
        results = resolve_names(gz, parsed.rows, picks)
        seconds["resolve"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        counts = store.sync_import(uow.conn, parsed.rows, results, uow.now)
        statuses = {"resolved": 0, "ambiguous": 0, "unresolved": 0}
        for result in results.values():
            statuses[result.status] += 1
        changed = any(v for k, v in counts.items() if not k.endswith("unchanged"))
        counts_all = dict(counts, rows=len(parsed.rows), skipped=len(parsed.skipped), **statuses)
        seconds["store"] = round(time.perf_counter() - clock, 3)
        total = round(time.perf_counter() - started, 3)
        uow.conn.execute(
            t.atlas_twin_imports.insert().values(
                at=uow.now, actor=actor.name, file_name=path.name, sha256=digest, counts=counts_all, seconds=total
            )
        )
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="import",
            record_type="twin_towns",
            record_ref=path.name,
            before=None,
            after={"sha256": digest, **counts_all},
        )
        uow.commit()
    if report_path is not None:
        clock = time.perf_counter()
        write_report(report_path, results.values())
        seconds["report"] = round(time.perf_counter() - clock, 3)
    seconds["total"] = round(time.perf_counter() - started, 3)
    names = len(results)
    return TwinImportResult(
        file_name=path.name,
        rows=len(parsed.rows),
        skipped=[str(p) for p in parsed.skipped],
        names=names,
        statuses=statuses,
        resolved_share=round(statuses["resolved"] / names, 4) if names else 0.0,
        counts=counts,
        report_path=str(report_path) if report_path else None,
        seconds=seconds,
        changed=changed,
    )


def pick_place(
    engine: Engine, input_name: str, input_country: str, geonames_id: int, actor: Actor, *, note: str | None = None
) -> PickResult:
    """A person decides which place a name of the list means. Stored, attributed and audited;
    applied at once and remembered by every later import.

    The reference layer is shared by every workspace, so a pick made through the web app or
    the API needs a site administrator; the CLI and Python API (which hold the database) may
    pick too."""
    if actor.workspaces is not None and not actor.site_admin:
        raise PermissionDenied(
            f"{actor.name} may not pick places for the twin-town list: it is shared by every "
            "workspace, so only site administrators decide what its names mean."
        )
    _require_write(actor)
    gz = _gazetteer()
    place = gz.get(int(geonames_id))
    if place is None:
        raise InvalidInput(
            [
                Problem(
                    f"GeoNames id {geonames_id} is not in the gazetteer; look the place up with "
                    "'citydip gazetteer resolve NAME --country COUNTRY'",
                    field="geonames_id",
                    value=geonames_id,
                )
            ]
        )
    with UnitOfWork(engine) as uow:
        row = store.name_row(uow.conn, input_name, input_country)
        if row is None:
            raise NotFound("twin-town name", f"{input_name} ({input_country or 'no country'})")
        pick = Pick(input_name, input_country, int(geonames_id), actor.name, uow.now, note)
        action = store.save_pick(uow.conn, pick)
        result = resolve_name(gz, input_name, input_country, pick)
        store.update_name(uow.conn, row.id, result, uow.now)
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="create" if action == "inserted" else "update",
            record_type="twin_name_pick",
            record_ref=f"{input_name} | {input_country}",
            before={"status": row.status, "geonames_ids": row.geonames_ids},
            after={
                "geonames_id": int(geonames_id),
                "place": place.name,
                "country_code": place.country_code,
                "note": note,
            },
        )
        uow.commit()
    return PickResult(
        input_name=input_name,
        input_country=input_country,
        geonames_id=int(geonames_id),
        place=", ".join(x for x in (place.name, place.subdivision_name, place.country_code) if x),
        action=action,
        previous_status=row.status,
        reason=result.reason,
    )


def twin_report(
    engine: Engine,
    *,
    status: str | None = None,
    q: str | None = None,
    country: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> ReportPage:
    """A page of the stored resolution report, for review in the web app."""
    if status and status not in ("resolved", "ambiguous", "unresolved"):
        raise InvalidInput([Problem("status must be resolved, ambiguous or unresolved", field="status", value=status)])
    page, per_page = max(1, page), max(1, min(500, per_page))
    with UnitOfWork(engine, write=False) as uow:
        total, rows = store.name_rows(uow.conn, status=status, q=q, country=country, page=page, per_page=per_page)
        last = store.latest_import(uow.conn)
        statuses = store.status_counts(uow.conn)
    items = [
        ReportRow(
            id=r.id,
            input_name=r.input_name,
            input_country=r.input_country,
            status=r.status,
            geonames_ids=list(r.geonames_ids or []),
            resolved_name=r.resolved_name,
            admin1=r.admin1,
            country_code=r.country_code,
            latitude=r.latitude,
            longitude=r.longitude,
            population=r.population,
            score=r.score,
            reason=r.reason,
            candidates=list(r.candidates or []),
            picked_by=r.picked_by,
            ties=r.ties,
        )
        for r in rows
    ]
    last_import = None
    if last is not None:
        last_import = {
            "at": last.at,
            "actor": last.actor,
            "file_name": last.file_name,
            "sha256": last.sha256,
            "counts": last.counts,
            "seconds": last.seconds,
        }
    return ReportPage(
        items=items, total=total, page=page, per_page=per_page, statuses=statuses, last_import=last_import
    )


def export_twin_report(engine: Engine, path: str | Path) -> int:
    """Write the stored report (same columns as the import's report); returns the row count."""
    from ..atlas.twins import NameResult

    with UnitOfWork(engine, write=False) as uow:
        table = t.atlas_twin_names
        rows = list(uow.conn.execute(select(table).order_by(table.c.id)))
    results = []
    for r in rows:
        result = NameResult(
            r.input_name,
            r.input_country,
            r.input_country_code,
            r.status,
            list(r.geonames_ids or []),
            r.resolved_name,
            r.admin1,
            r.country_code,
            r.latitude,
            r.longitude,
            r.population,
            r.score,
            r.reason,
            list(r.candidates or []),
            r.picked_by,
        )
        result.places = [{"geonames_id": g} for g in result.geonames_ids] if len(result.geonames_ids) > 1 else []
        results.append(result)
    return write_report(path, results)


# -- graph sources (cached per reference version) --------------------------------------------

_REFERENCE_CACHE: dict[str, tuple[str, list[Node], list[Edge], store.ReferenceLayer]] = {}
_CACHE_LOCK = threading.Lock()


def _reference(uow: UnitOfWork) -> tuple[list[Node], list[Edge], store.ReferenceLayer]:
    key = uow.engine.url.render_as_string(hide_password=True)
    version = store.reference_version(uow.conn)
    with _CACHE_LOCK:
        cached = _REFERENCE_CACHE.get(key)
        if cached and cached[0] == version:
            return cached[1], cached[2], cached[3]
    layer = store.load_reference(uow.conn)
    lookup = None
    if any(len(n.geonames_ids) > 1 for n in layer.names.values()):
        lookup = _gazetteer().get
    nodes, edges = reference_elements(layer, lookup)
    with _CACHE_LOCK:
        _REFERENCE_CACHE[key] = (version, nodes, edges, layer)
    return nodes, edges, layer


def _records(uow: UnitOfWork, actor: Actor, layer: store.ReferenceLayer | None = None) -> WorkspaceRecords:
    ws = uow.workspace
    data = {plural: list(uow.records.iter_all(plural, visible=actor.visible)) for plural in _PLURALS}
    label = ws.name
    if ws.place_geonames_id:
        own = next((p for p in data["places"] if p.geonames_id == ws.place_geonames_id), None)
        if own is not None:
            label = own.name
        elif layer is not None:
            name = next((n for n in layer.names.values() if ws.place_geonames_id in n.geonames_ids), None)
            if name is not None and name.resolved_name:
                label = name.resolved_name
    return WorkspaceRecords(workspace=ws, us_label=label, **data)


def _workspace_graph(engine: Engine, workspace: str, actor: Actor) -> tuple[WorkspaceRecords, AtlasGraph]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        ref_nodes, ref_edges, layer = _reference(uow)
        records = _records(uow, actor, layer)
    nodes, edges = workspace_elements(records)
    us = records.us_key
    ref_us = next((n for n in ref_nodes if n.key == us), None)
    if ref_us is not None:  # our own node keeps our label but gains the place's data
        nodes[0] = Node(
            us,
            "us",
            records.us_label,
            records.workspace.country_code,
            None,
            ref_us.latitude,
            ref_us.longitude,
            ref_us.population,
        )
    return records, AtlasGraph(nodes + ref_nodes, edges + ref_edges)


# -- the list's ties of one place, read beside the record -------------------------------------


def reference_ties(engine: Engine, geonames_id: int | None) -> list[ReferenceTie]:
    """The twin towns the world's list gives for a place, as reference (never the office's own
    record): each other town with its country and the list's line."""
    if not geonames_id:
        return []
    with UnitOfWork(engine, None, write=False) as uow:
        _nodes, _edges, layer = _reference(uow)
    mine = {n.id for n in layer.names.values() if geonames_id in n.geonames_ids}
    ties: dict[tuple[str, str], ReferenceTie] = {}
    for pair in layer.pairs:
        if pair.a in mine:
            other = layer.names.get(pair.b)
        elif pair.b in mine:
            other = layer.names.get(pair.a)
        else:
            continue
        if other is None or geonames_id in other.geonames_ids:
            continue
        name = (other.resolved_name or other.input_name).split("; ")[0]
        country = other.country_code or other.input_country or ""
        tie = ReferenceTie(
            name=name,
            country_code=other.country_code or other.input_country_code,
            country=other.input_country or None,
            geonames_id=other.geonames_ids[0] if len(other.geonames_ids) == 1 else None,
            placed=other.status == "resolved" and len(other.geonames_ids) == 1,
            line=pair.line,
        )
        ties.setdefault((name, country), tie)
    return sorted(ties.values(), key=lambda t: (t.name.casefold(), t.country_code or ""))


# -- metrics -----------------------------------------------------------------------------------


def reference_metrics(engine: Engine, *, top: int = 15, exact_betweenness: bool = False) -> NetworkMetrics:
    """Metrics over the whole twin-town network (the shared reference layer).
    ``exact_betweenness`` takes ~40 s on the full list instead of a sub-second estimate."""
    with UnitOfWork(engine, write=False) as uow:
        nodes, edges, _layer = _reference(uow)
    samples = 0 if exact_betweenness else analytics.BETWEENNESS_SAMPLES
    return analytics.network_metrics(AtlasGraph(nodes, edges), scope="reference", top=top, samples=samples)


def workspace_metrics(
    engine: Engine, workspace: str, actor: Actor, *, top: int = 15, exact_betweenness: bool = False
) -> NetworkMetrics:
    """Metrics over the workspace's records joined to the twin-town network."""
    graph = _workspace_graph(engine, workspace, actor)[1]
    samples = 0 if exact_betweenness else analytics.BETWEENNESS_SAMPLES
    return analytics.network_metrics(graph, scope="workspace", top=top, samples=samples)


def workspace_countries(engine: Engine, workspace: str, actor: Actor) -> list[CountryAggregate]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        records = _records(uow, actor)
    return analytics.workspace_countries(records)


def workspace_timeline(engine: Engine, workspace: str, actor: Actor) -> list[YearRow]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        records = _records(uow, actor)
    return analytics.timeline(records)


# -- introduction paths ----------------------------------------------------------------------


def _find_target(graph: AtlasGraph, records: WorkspaceRecords, target: str) -> tuple[str | None, str, str]:
    """(graph key, label, how the text was read)."""
    text = " ".join((target or "").split())
    if not text:
        raise InvalidInput([Problem("say who or where to reach: a city, a partner or a person", field="target")])
    for prefix in ("place:", "partner:", "person:", "network:", "name:"):
        if text.startswith(prefix) and graph.node(text):
            return text, graph.node(text).label, "graph key"
    if text.startswith("geonames:") and graph.node("place:" + text.split(":", 1)[1]):
        key = "place:" + text.split(":", 1)[1]
        return key, graph.node(key).label, "GeoNames id"
    low = text.lower()
    for kind, items in (("partner", records.partners), ("person", records.people)):
        for item in items:
            if item.ref == low or item.name.lower() == low:
                key = f"{kind}:{item.ref}"
                return key, item.name, f"the {kind} '{item.ref}'"
    name, _, country = text.partition(",")
    resolution = _gazetteer().resolve(name.strip(), country.strip() or None)
    if resolution.status == "resolved" and resolution.best is not None:
        best = resolution.best
        return (
            f"place:{best.geonames_id}",
            best.name,
            f"the city {best.name} ({best.country_code}, GeoNames {best.geonames_id})",
        )
    options = "; ".join(
        f"{c.name} ({c.subdivision_name or c.admin1_code}, {c.country_code}, geonames:{c.geonames_id})"
        for c in resolution.candidates[:5]
    )
    if resolution.candidates:
        raise InvalidInput(
            [
                Problem(
                    f"'{text}' could mean several places: {options}. Add the country ('{name.strip()}, "
                    "Country') or give the geonames:<id>",
                    field="target",
                    value=text,
                )
            ]
        )
    raise NotFound("city, partner or person", text)


def introduction_paths(engine: Engine, workspace: str, target: str, actor: Actor, *, k: int = 3) -> IntroductionAnswer:
    """The most trusted chains from us to a city, partner or person, each step explained."""
    records, graph = _workspace_graph(engine, workspace, actor)
    key, label, how = _find_target(graph, records, target)
    us = records.us_key
    source = graph.node(us)
    if key == us:
        return IntroductionAnswer(
            source_key=us,
            source_label=source.label,
            target_key=key,
            target_label=label,
            target_reason=how,
            paths=[],
            explanation=f"{label} is us.",
        )
    if graph.node(key) is None:
        return IntroductionAnswer(
            source_key=us,
            source_label=source.label,
            target_key=key,
            target_label=label,
            target_reason=how,
            paths=[],
            explanation=f"{label} is in none of our records and on no twin-town list, so no "
            "chain of known ties reaches it.",
        )
    found = graph.paths(us, key, k=max(1, min(10, k)))
    paths = [
        IntroPath(text=p.text, hops=p.hops, cost=p.cost, steps=[PathStep(**vars(s)) for s in p.steps]) for p in found
    ]
    if not paths:
        explanation = (
            f"No chain of known ties links {source.label} to {label}: none of our partners, networks, "
            "people or sister cities connects to it, even through the world's twin-town list."
        )
    else:
        best = paths[0]
        direct = [s for s in best.steps if s.source == "workspace"]
        explanation = (
            f"Best chain ({best.hops} step{'s' if best.hops != 1 else ''}): {best.text}. "
            f"{len(direct)} of its steps are ties we recorded ourselves"
            + (", the others come from Wikipedia's twin-town list." if len(direct) < best.hops else ".")
        )
    return IntroductionAnswer(
        source_key=us,
        source_label=source.label,
        target_key=key,
        target_label=label,
        target_reason=how,
        paths=paths,
        explanation=explanation,
    )


# -- suggestions ----------------------------------------------------------------------------------


def _largest_cities(codes: list[str], per_country: int):
    gz = _gazetteer()
    ix = gz.index
    wanted = set(codes)
    best: dict[str, list[tuple[int, int]]] = {c: [] for c in wanted}
    for i, cc in enumerate(ix.countries):
        if cc in wanted:
            best[cc].append((ix.pops[i], i))
    out = []
    for cc in codes:
        for _pop, i in sorted(best[cc], reverse=True)[:per_country]:
            out.append(gz.get(ix.gids[i]))
    return [c for c in out if c is not None]


def suggest_partners(engine: Engine, workspace: str, goal: str, actor: Actor, *, limit: int = 10) -> SuggestionAnswer:
    """Cities and partners for a goal ("trade with Vietnam"), each with its reasons."""
    if not (goal or "").strip():
        raise InvalidInput(
            [Problem("describe the goal, e.g. 'trade with Vietnam' or 'a sister city in West Africa'", field="goal")]
        )
    records, graph = _workspace_graph(engine, workspace, actor)
    reading = read_goal(goal, _gazetteer())
    return suggest(records, graph, reading, limit=max(1, min(50, limit)), largest_cities=_largest_cities)


# -- maps -------------------------------------------------------------------------------------------


def map_data(engine: Engine, workspace: str, actor: Actor, *, include_network_ties: bool = True) -> maps.MapData:
    """What the map shows: engagements by country, our sister-city links (and, faintly, the
    twin-town ties among our partners' cities), partners as markers."""
    records, graph = _workspace_graph(engine, workspace, actor)
    countries = analytics.workspace_countries(records)
    values = {c.country_code: c.engagements for c in countries}
    notes = {
        c.country_code: f"{c.engagements} engagement(s), {c.partners} partner(s), {c.agreements} agreement(s)"
        + (f", {c.sister_cities} sister cit{'y' if c.sister_cities == 1 else 'ies'}" if c.sister_cities else "")
        for c in countries
    }
    us = graph.node(records.us_key)
    data = maps.MapData(title=f"{records.us_label}: international ties", values=values, notes=notes)
    ours = analytics.our_places(records)
    if us is not None and us.longitude is not None:
        data.markers.append(maps.MapMarker(label=f"{us.label} (us)", at=(us.longitude, us.latitude), kind="us"))
        for other, edge in graph.neighbours(us.key):
            if (
                other.kind == "place"
                and other.longitude is not None
                and edge.kind in ("sister_city", "agreement", "twin_reference")
            ):
                if other.key not in ours and edge.source == "reference":
                    continue
                data.links.append(
                    maps.MapLink(
                        us.label,
                        (us.longitude, us.latitude),
                        other.label,
                        (other.longitude, other.latitude),
                        edge.label_ab,
                        "own",
                        edge.ref,
                    )
                )
    places = {p.ref: p for p in records.places}
    if include_network_ties:
        # ties among the cities we know (our sister cities and our partners' cities), from any source
        known = set(ours)
        for partner in records.partners:
            place = places.get(partner.place or "")
            if place is not None and place.geonames_id:
                known.add(f"place:{place.geonames_id}")
        seen = set()
        for key in known:
            node = graph.node(key)
            if node is None or node.longitude is None or key == records.us_key:  # our own ties are drawn above
                continue
            for other, edge in graph.neighbours(key):
                if (
                    other.kind != "place"
                    or other.longitude is None
                    or other.key == records.us_key
                    or other.key not in known
                ):
                    continue
                if edge.kind not in ("twin_reference", "sister_city"):
                    continue
                pair = tuple(sorted((key, other.key)))
                if pair in seen:
                    continue
                seen.add(pair)
                data.links.append(
                    maps.MapLink(
                        node.label,
                        (node.longitude, node.latitude),
                        other.label,
                        (other.longitude, other.latitude),
                        edge.label_ab,
                        "network",
                        edge.ref,
                    )
                )
    grouped: dict[str, maps.MapMarker] = {}
    for partner in records.partners:
        place = places.get(partner.place or "")
        if place is None or place.longitude is None or partner.kind == PartnerKind.city_network:
            continue
        marker = grouped.setdefault(
            place.ref, maps.MapMarker(label=place.name, at=(place.longitude, place.latitude), ref=f"places/{place.ref}")
        )
        marker.items.append((partner.name, f"partners/{partner.ref}"))
    data.markers[:0] = list(grouped.values())
    return data


def map_layers(engine: Engine, workspace: str, actor: Actor, *, view: str = "world") -> MapLayers:
    try:
        return maps.map_layers(map_data(engine, workspace, actor), view)
    except KeyError:
        raise InvalidInput(
            [
                Problem(
                    f"unknown map view '{view}'; use 'world', a continent or a region such as "
                    "'Europe' or 'West Africa'",
                    field="view",
                    value=view,
                )
            ]
        ) from None


def map_svg(
    engine: Engine,
    workspace: str,
    actor: Actor,
    *,
    view: str = "world",
    width: int = 1000,
    link_base: str | None = None,
) -> str:
    try:
        return maps.render_svg(map_data(engine, workspace, actor), view, width=width, link_base=link_base)
    except KeyError:
        raise InvalidInput(
            [
                Problem(
                    f"unknown map view '{view}'; use 'world', a continent or a region such as "
                    "'Europe' or 'West Africa'",
                    field="view",
                    value=view,
                )
            ]
        ) from None


def map_png(engine: Engine, workspace: str, actor: Actor, *, view: str = "world", width: int = 1600) -> bytes:
    svg = map_svg(engine, workspace, actor, view=view, width=width)
    return maps.render_png(svg, width=width)
