"""View data of the atlas pages: the map, introduction paths, network metrics, partner
suggestions and the twin-town report. Each builder calls the atlas services and returns a
dataclass that the template renders and the JSON twin serialises as it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import Engine

from ...atlas import maps
from ...atlas.models import (
    CountryAggregate,
    IntroductionAnswer,
    NetworkMetrics,
    ReportPage,
    SuggestionAnswer,
    YearRow,
)
from ...atlas.regions import CONTINENTS, SUBREGIONS
from ...domain import InvalidInput, Problem, Workspace
from ...services import atlas, registry
from ...services.registry import Actor, ListQuery
from .common import Link, record_path
from .places import country_name, country_path

__all__ = [
    "MAP_VIEWS",
    "MapView",
    "MetricsView",
    "PathsView",
    "SuggestionsView",
    "TwinReportView",
    "chart_svg",
    "map_view",
    "metrics_view",
    "node_url",
    "paths_view",
    "suggestions_view",
    "target_options",
    "twin_report_view",
]

#: The region picker: the world, continents, everyday groupings, then UN sub-regions.
MAP_VIEWS: tuple[str, ...] = (
    "world",
    *[c for c in CONTINENTS if c != "Antarctica"],
    "Middle East",
    "Latin America",
    "Nordic countries",
    *sorted(s for s in SUBREGIONS if s not in CONTINENTS and s != "Antarctica"),
)
TWINS_PATH = "/atlas/twins"


@dataclass
class AtlasLinks:
    """The atlas sub-pages of a workspace."""

    map: str
    paths: str
    network: str
    suggestions: str
    twins: str = TWINS_PATH


def atlas_links(ws: str) -> AtlasLinks:
    base = f"/w/{ws}/atlas"
    return AtlasLinks(map=base, paths=f"{base}/paths", network=f"{base}/network", suggestions=f"{base}/suggestions")


def _api(ws: str, tail: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"/api/workspaces/{ws}/atlas/{tail}" + (f"?{query}" if query else "")


def view_name(view: str | None) -> str:
    """The canonical name of a map view ("west africa" -> "Western Africa"); 422 if unknown."""
    try:
        return maps.resolve_view(view)[0]
    except KeyError:
        raise InvalidInput(
            [
                Problem(
                    f"unknown map view '{view}'; choose 'world', a continent or a region such as "
                    "'Europe' or 'West Africa'",
                    field="view",
                    value=view,
                )
            ]
        ) from None


def node_url(ws: str, key: str | None) -> str | None:
    """The page of a graph node: a partner, a person, a place (gazetteer places have pages too)."""
    if not key or ":" not in key:
        return None
    kind, _, ref = key.partition(":")
    if kind == "partner":
        return record_path(ws, "partners", ref)
    if kind == "person":
        return record_path(ws, "people", ref)
    if kind == "place":
        return record_path(ws, "places", f"geonames:{ref}")
    if kind == "network":
        return record_path(ws, "networks", ref)
    return None


def evidence_link(ws: str, evidence: str | None, label: str) -> Link | None:
    """The record behind a tie ("agreements/sister-city-busan"), or the twin-town list's entry."""
    if not evidence:
        return None
    plural, _, ref = evidence.partition("/")
    if ref and plural in {
        "agreements",
        "partners",
        "people",
        "places",
        "engagements",
        "posts",
        "networks",
        "memberships",
    }:
        return Link(evidence, record_path(ws, plural, ref))
    if evidence.startswith("twin-towns"):
        return Link(
            f"Wikipedia's twin-town list ({evidence.removeprefix('twin-towns ')})",
            f"{TWINS_PATH}?{urlencode({'q': label})}",
        )
    return Link(evidence)


# -- the map ------------------------------------------------------------------------------------


@dataclass
class CountryRow:
    code: str
    name: str
    url: str | None
    engagements: int
    partners: int
    agreements: int
    sister_cities: int


@dataclass
class TieRow:
    text: str
    url: str | None


@dataclass
class MapView:
    workspace: Workspace
    links: AtlasLinks
    view: str = field(metadata={"help": "The region shown ('world', 'Europe', 'Western Africa', …)."})
    views: list[str]
    svg: Markup = field(metadata={"help": "The map as inline SVG (presentation attributes only; no scripts)."})
    svg_url: str
    png_url: str
    layers_url: str
    legend: list[dict]
    countries: list[CountryRow] = field(metadata={"help": "The map's data as a table: countries we deal with."})
    ties: list[TieRow] = field(metadata={"help": "Our sister-city ties drawn on the map."})
    partners_shown: int


def map_view(engine: Engine, ws: str, view: str | None, actor: Actor) -> MapView:
    name = view_name(view)
    workspace = registry.get_workspace(engine, ws, actor)
    data = atlas.map_data(engine, ws, actor)
    svg = maps.render_svg(data, name, width=1000, link_base=f"/w/{ws}")
    layers = maps.map_layers(data, name)
    countries = [
        CountryRow(
            c.country_code,
            c.country,
            country_path(ws, c.country_code),
            c.engagements,
            c.partners,
            c.agreements,
            c.sister_cities,
        )
        for c in atlas.workspace_countries(engine, ws, actor)
        if c.engagements or c.partners or c.agreements or c.sister_cities
    ]
    countries.sort(key=lambda c: (-c.engagements, -c.partners, c.name))
    ties = [
        TieRow(f"{link.a_label} — {link.b_label}: {link.text}", maps.href_for(link.ref, f"/w/{ws}"))
        for link in data.links
        if link.kind == "own"
    ]
    return MapView(
        workspace=workspace,
        links=atlas_links(ws),
        view=name,
        views=list(MAP_VIEWS),
        svg=Markup(svg),
        svg_url=_api(ws, "map.svg", view=name),
        png_url=_api(ws, "map.png", view=name),
        layers_url=_api(ws, "map", view=name),
        legend=layers.legend,
        countries=countries,
        ties=ties,
        partners_shown=sum(len(m.items) for m in data.markers),
    )


# -- introduction paths ------------------------------------------------------------------------------


@dataclass
class StepRow:
    from_label: str
    from_url: str | None
    relation: str
    to_label: str
    to_url: str | None
    source: str = field(metadata={"help": "'our records' or \"Wikipedia's twin-town list\"."})
    evidence: Link | None
    year: int | None
    sentence: str = field(metadata={"help": "The step in words."})


@dataclass
class PathRow:
    number: int
    text: str
    hops: int
    cost: float
    ours: int = field(metadata={"help": "Steps that are ties we recorded ourselves."})
    steps: list[StepRow]


@dataclass
class PathsView:
    workspace: Workspace
    links: AtlasLinks
    target: str
    k: int
    answer: IntroductionAnswer | None
    paths: list[PathRow]
    target_url: str | None
    problems: list[Problem]
    suggest_url: str = field(metadata={"help": "Autocomplete for the target box (cities, partners, people)."})


def _sentence(step) -> str:
    where = "our records" if step.source == "workspace" else "Wikipedia's twin-town list"
    year = f" ({step.year})" if step.year and str(step.year) not in step.relation else ""
    return f"{step.from_label} — {step.relation}{year} — {step.to_label}, according to {where}."


def paths_view(engine: Engine, ws: str, target: str | None, actor: Actor, *, k: int = 3) -> PathsView:
    workspace = registry.get_workspace(engine, ws, actor)
    target = " ".join((target or "").split())
    answer, problems = None, []
    if target:
        try:
            answer = atlas.introduction_paths(engine, ws, target, actor, k=k)
        except InvalidInput as error:
            problems = error.problems
    paths = []
    for number, path in enumerate(answer.paths if answer else [], start=1):
        steps = [
            StepRow(
                s.from_label,
                node_url(ws, s.from_key),
                s.relation,
                s.to_label,
                node_url(ws, s.to_key),
                "our records" if s.source == "workspace" else "Wikipedia's twin-town list",
                evidence_link(ws, s.evidence, s.to_label if s.source != "workspace" else s.from_label),
                s.year,
                _sentence(s),
            )
            for s in path.steps
        ]
        paths.append(
            PathRow(
                number, path.text, path.hops, path.cost, sum(1 for s in path.steps if s.source == "workspace"), steps
            )
        )
    return PathsView(
        workspace=workspace,
        links=atlas_links(ws),
        target=target,
        k=k,
        answer=answer,
        paths=paths,
        target_url=node_url(ws, answer.target_key) if answer else None,
        problems=problems,
        suggest_url=_api(ws, "targets"),
    )


@dataclass
class TargetOption:
    value: str = field(metadata={"help": "What to put in the target box."})
    label: str
    kind: str = field(metadata={"help": "partner, person or city"})


def target_options(engine: Engine, ws: str, q: str, actor: Actor, *, limit: int = 12) -> list[TargetOption]:
    """Autocomplete for "who can introduce us to …": our partners and people, then gazetteer cities."""
    q = " ".join((q or "").split())
    if len(q) < 2:
        return []
    out: list[TargetOption] = []
    for plural, kind in (("partners", "partner"), ("people", "person")):
        found = registry.list_records(engine, ws, plural, ListQuery(q=q, per_page=5), actor).items
        out.extend(TargetOption(r.name, f"{r.name} ({kind})", kind) for r in found)
    from ...gazetteer import Gazetteer

    for c in Gazetteer.default().suggest(q, limit=max(1, limit - len(out))):
        country = country_name(c.country_code) or c.country_code
        admin = f"{c.subdivision_name}, " if getattr(c, "subdivision_name", None) else ""
        out.append(TargetOption(f"{c.name}, {country}", f"{c.name} ({admin}{country})", "city"))
    seen, unique = set(), []
    for option in out:
        if option.value.lower() not in seen:
            seen.add(option.value.lower())
            unique.append(option)
    return unique[:limit]


# -- network metrics ------------------------------------------------------------------------------


@dataclass
class MetricsView:
    workspace: Workspace
    links: AtlasLinks
    metrics: NetworkMetrics
    node_urls: dict[str, str] = field(metadata={"help": "Graph key -> page, for the nodes in the tables."})
    countries: list[CountryAggregate]
    country_urls: dict[str, str]
    timeline: list[YearRow]
    chart: Markup = field(metadata={"help": "Engagements per year as an inline SVG bar chart."})


def chart_svg(rows: list[YearRow], *, width: int = 720, height: int = 220) -> str:
    """Engagements per year as a small bar chart (inline SVG, presentation attributes only)."""
    rows = [r for r in rows if r.year]
    if not rows:
        return ""
    top = max(1, max(r.engagements for r in rows))
    left, bottom, right, head = 36, 28, 8, 12
    inner_w, inner_h = width - left - right, height - bottom - head
    step = inner_w / len(rows)
    bar = max(2.0, step * 0.7)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="atlas-chart" role="img" '
        f'aria-labelledby="chart-title"><title id="chart-title">Engagements per year, '
        f"{rows[0].year}–{rows[-1].year}</title>",
        '<g font-family="sans-serif" font-size="11" fill="#333333">',
    ]
    for tick in sorted({0, top // 2, top}):
        y = head + inner_h - inner_h * tick / top
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d0d0d0" '
            f'stroke-width="0.5"/><text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    every = max(1, round(len(rows) / 12))
    for i, r in enumerate(rows):
        h = inner_h * r.engagements / top
        x = left + i * step + (step - bar) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{head + inner_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#3182bd">'
            f"<title>{r.year}: {r.engagements} engagement(s), {r.agreements_signed} agreement(s) signed"
            f"</title></rect>"
        )
        if i % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 10}" text-anchor="middle">{r.year}</text>')
    parts.append("</g></svg>")
    return "".join(parts)


def metrics_view(engine: Engine, ws: str, actor: Actor, *, top: int = 10) -> MetricsView:
    workspace = registry.get_workspace(engine, ws, actor)
    metrics = atlas.workspace_metrics(engine, ws, actor, top=top)
    keys = {n.key for group in (metrics.degree_top, metrics.betweenness_top, metrics.pagerank_top) for n in group}
    keys |= {b.key for b in metrics.region_brokers}
    countries = atlas.workspace_countries(engine, ws, actor)
    timeline = atlas.workspace_timeline(engine, ws, actor)
    return MetricsView(
        workspace=workspace,
        links=atlas_links(ws),
        metrics=metrics,
        node_urls={k: url for k in keys if (url := node_url(ws, k))},
        countries=countries,
        country_urls={c.country_code: country_path(ws, c.country_code) for c in countries},
        timeline=timeline,
        chart=Markup(chart_svg(timeline)),
    )


# -- partner suggestions ---------------------------------------------------------------------------


@dataclass
class SuggestionRow:
    label: str
    url: str | None
    kind: str
    country: str | None
    population: int | None
    reasons: list[dict] = field(metadata={"help": "Each reason in words, with links to the records behind it."})


@dataclass
class SuggestionsView:
    workspace: Workspace
    links: AtlasLinks
    goal: str
    answer: SuggestionAnswer | None
    suggestions: list[SuggestionRow]
    problems: list[Problem]
    examples: list[str]


EXAMPLE_GOALS = ["trade with Vietnam", "a clean-energy partner in Japan", "a sister city in West Africa"]


def suggestions_view(engine: Engine, ws: str, goal: str | None, actor: Actor) -> SuggestionsView:
    workspace = registry.get_workspace(engine, ws, actor)
    goal = " ".join((goal or "").split())
    answer, problems = None, []
    if goal:
        try:
            answer = atlas.suggest_partners(engine, ws, goal, actor)
        except InvalidInput as error:
            problems = error.problems
    rows = []
    for s in answer.suggestions if answer else []:
        url = node_url(ws, s.key)
        reasons = [
            {
                "kind": r.kind,
                "text": r.text,
                "evidence": [link for e in r.evidence if (link := evidence_link(ws, e, s.label))],
            }
            for r in s.reasons
        ]
        rows.append(
            SuggestionRow(
                s.label, url, s.kind, country_name(s.country_code) if s.country_code else None, s.population, reasons
            )
        )
    return SuggestionsView(
        workspace=workspace,
        links=atlas_links(ws),
        goal=goal,
        answer=answer,
        suggestions=rows,
        problems=problems,
        examples=EXAMPLE_GOALS,
    )


# -- the twin-town report ------------------------------------------------------------------------------


@dataclass
class TwinReportView:
    report: ReportPage
    status: str | None
    country: str | None
    q: str | None
    can_pick: bool = field(
        metadata={"help": "Picks are for site administrators: the list is shared by every workspace."}
    )
    pages: list[Link]
    previous_url: str | None
    next_url: str | None
    csv_hint: str
    back_url: str = field(metadata={"help": "This page of the report, where a pick returns to."})
    message: str | None = None
    statuses: tuple[str, ...] = ("ambiguous", "unresolved", "resolved")


def twin_report_view(
    engine: Engine,
    actor: Actor,
    *,
    status: str | None = None,
    country: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 25,
    message: str | None = None,
) -> TwinReportView:
    status, country, q = (status or None), (country or None), (" ".join((q or "").split()) or None)
    report = atlas.twin_report(engine, status=status, q=q, country=country, page=page, per_page=per_page)

    def url(n: int) -> str:
        return (
            TWINS_PATH
            + "?"
            + urlencode({k: v for k, v in {"status": status, "country": country, "q": q, "page": n}.items() if v})
        )

    last = max(1, -(-report.total // report.per_page))
    around = sorted({1, last, *range(max(1, report.page - 2), min(last, report.page + 2) + 1)})
    return TwinReportView(
        report=report,
        status=status,
        country=country,
        q=q,
        can_pick=actor.site_admin,
        pages=[Link(str(n), url(n) if n != report.page else None) for n in around],
        previous_url=url(report.page - 1) if report.page > 1 else None,
        next_url=url(report.page + 1) if report.page < last else None,
        csv_hint="citydip atlas report --out twin_report.csv",
        back_url=url(report.page),
        message=message,
    )
