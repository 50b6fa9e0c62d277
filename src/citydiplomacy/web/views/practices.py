"""View data of the Exchange pages: practice search, the practice page with its "we are
borrowing this" form, peers, and the diffusion view (a map of who learned from whom, drawn
here as an inline SVG on the Atlas's projection, and a year-by-year timeline).

Each builder calls the exchange services (``services.practices``) and returns a dataclass
that the template renders and the JSON twin serialises as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import Engine

from ...atlas.geo import countries, great_circle, project, split_antimeridian
from ...domain import Problem, Workspace
from ...exchange.models import (
    POPULATION_BANDS,
    PracticeStatus,
    Region,
    TransferOutcome,
    TransferStatus,
)
from ...exchange.results import (
    DiffusionGraph,
    Facet,
    PeerCity,
    PracticeDetail,
    SearchHit,
    TimelineYear,
    TransferView,
)
from ...services import practices as svc
from ...services import registry
from ...services.registry import Actor
from .common import Link, external_url, record_path
from .places import country_name

__all__ = [
    "BORROW_FIELDS",
    "FILTER_LISTS",
    "DiffusionView",
    "PeersView",
    "PracticeView",
    "SearchView",
    "borrow_data",
    "diffusion_svg",
    "diffusion_view",
    "peers_view",
    "practice_view",
    "search_view",
]

#: Filters that take several values (repeat the parameter: ?topic=a&topic=b).
FILTER_LISTS = ("topic", "sdg", "region", "country", "population_band", "status")
FILTER_SCALARS = ("year_from", "year_to")
PER_PAGE = 10
EXAMPLES = (
    "how did other cities warn people before earthquakes?",
    "cash for poor families",
    "get people out of cars",
    "cut emissions from buildings",
)
#: The fields of the "we are borrowing this" form.
BORROW_FIELDS = ("from_city", "from_country", "year", "adaptation", "status", "outcome", "outcome_notes")
FACET_LABELS = {
    "topic": "Topic",
    "sdg": "SDG",
    "region": "Region",
    "country": "Country",
    "status": "Status",
    "population_band": "City size",
}
BAND_LABELS = {
    "small": "small (under 250,000)",
    "medium": "medium (250,000–1 million)",
    "large": "large (1–5 million)",
    "mega": "mega (5 million and more)",
}


@dataclass
class PracticeLinks:
    search: str
    peers: str
    diffusion: str
    api: str


def practice_links(ws: str) -> PracticeLinks:
    base = f"/w/{ws}/practices"
    return PracticeLinks(
        search=base, peers=f"{base}/peers", diffusion=f"{base}/diffusion", api=f"/api/workspaces/{ws}/practices"
    )


def practice_url(ws: str, slug: str) -> str:
    return f"/w/{ws}/practices/{slug}"


def topic_label(topic: str) -> str:
    return topic.replace("-", " ")


def value_label(name: str, value: str) -> str:
    if name == "topic":
        return topic_label(value)
    if name == "sdg":
        return f"SDG {value}"
    if name == "country":
        return country_name(value) or value
    if name == "population_band":
        return BAND_LABELS.get(value, value)
    return value.replace("-", " ")


# -- search -------------------------------------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    selected: bool = False


@dataclass
class FacetLink:
    value: str
    label: str
    count: int
    url: str
    selected: bool


@dataclass
class FacetView:
    name: str
    label: str
    values: list[FacetLink]


@dataclass
class ResultItem:
    """One practice in a result list, with why it is there (for search and "more like this")."""

    rank: int
    score: float | None
    slug: str
    title: str
    url: str
    place: str
    year_started: int | None
    status: str
    topics: list[str]
    title_segments: list[dict] = field(default_factory=list)
    snippet_segments: list[dict] = field(default_factory=list)
    matched_terms: list[str] = field(default_factory=list)
    shared_topics: list[str] = field(default_factory=list)
    semantic_neighbour: bool = False
    semantic_similarity: float | None = None
    reasons: list[str] = field(default_factory=list)


def _place(city: str | None, country: str) -> str:
    return ", ".join(p for p in (city, country) if p)


def result_item(ws: str, hit: SearchHit) -> ResultItem:
    p, why = hit.practice, hit.why
    segments = {h.field: [s.model_dump() for s in h.segments] for h in why.highlights}
    return ResultItem(
        rank=hit.rank,
        score=round(hit.score, 4),
        slug=p.slug,
        title=p.title,
        url=practice_url(ws, p.slug),
        place=_place(p.city, p.country_name),
        year_started=p.year_started,
        status=p.status,
        topics=p.topics,
        title_segments=segments.get("title", []),
        snippet_segments=segments.get("body", []),
        matched_terms=why.matched_terms,
        shared_topics=why.shared_topics,
        semantic_neighbour=why.semantic_neighbour,
        semantic_similarity=why.semantic_similarity,
        reasons=why.explanation,
    )


@dataclass
class SearchView:
    workspace: Workspace
    links: PracticeLinks
    question: str
    mode: str
    modes: list[Option]
    ran: str | None = field(metadata={"help": "What was actually run: lexical, semantic or hybrid (None: browsing)."})
    filters: dict[str, list[str]]
    filter_options: dict[str, list[Option]]
    results: list[ResultItem]
    facets: list[FacetView]
    notices: list[str]
    total: int | None = field(metadata={"help": "Practices in the library with these filters (browsing only)."})
    page: int
    prev_url: str | None
    next_url: str | None
    examples: list[Link]
    api_url: str


def _query_string(question: str, mode: str, filters: dict[str, list[str]], page: int = 1) -> str:
    items: list[tuple[str, str]] = []
    if question:
        items.append(("q", question))
    if mode and mode != "auto":
        items.append(("mode", mode))
    for name in (*FILTER_LISTS, *FILTER_SCALARS):
        items.extend((name, v) for v in filters.get(name, []))
    if page > 1:
        items.append(("page", str(page)))
    return urlencode(items)


def _filter_options(filters: dict[str, list[str]], facets: list[Facet]) -> dict[str, list[Option]]:
    chosen = {name: set(values) for name, values in filters.items()}
    topics = sorted({v.value for f in facets if f.name == "topic" for v in f.values} | chosen.get("topic", set()))
    countries_ = sorted(
        {v.value for f in facets if f.name == "country" for v in f.values} | chosen.get("country", set()),
        key=lambda c: value_label("country", c),
    )

    def options(name: str, values) -> list[Option]:
        return [Option(str(v), value_label(name, str(v)), str(v) in chosen.get(name, set())) for v in values]

    return {
        "topic": options("topic", topics),
        "sdg": options("sdg", range(1, 18)),
        "region": options("region", [r.value for r in Region if r is not Region.other]),
        "country": options("country", countries_),
        "population_band": options("population_band", [b.value for b in POPULATION_BANDS]),
        "status": options("status", [s.value for s in PracticeStatus]),
    }


def search_view(
    engine: Engine,
    ws: str,
    question: str,
    actor: Actor,
    *,
    mode: str = "auto",
    filters: dict[str, list[str]] | None = None,
    page: int = 1,
) -> SearchView:
    """The library narrowed by filters; with a question, ranked results with why each matched."""
    workspace = registry.get_workspace(engine, ws, actor)
    filters = {k: [v for v in vs if v.strip()] for k, vs in (filters or {}).items()}
    filters = {k: vs for k, vs in filters.items() if vs}
    service_filters = {k: (vs[0] if k in FILTER_SCALARS else vs) for k, vs in filters.items()}
    question, page = question.strip(), max(1, page)
    facets = svc.practice_facets(engine, ws, actor, service_filters)
    links = practice_links(ws)
    notices: list[str] = []
    total = None
    ran = None
    if question:
        found = svc.search_practices(
            engine,
            ws,
            question,
            actor,
            mode=mode,
            filters=service_filters,
            limit=PER_PAGE + 1,
            offset=(page - 1) * PER_PAGE,
        )
        results = [result_item(ws, hit) for hit in found.hits[:PER_PAGE]]
        has_next, ran, notices = len(found.hits) > PER_PAGE, found.mode, found.notices
    else:
        listing = svc.list_practices(engine, ws, actor, service_filters, page=page, per_page=PER_PAGE)
        results = [
            ResultItem(
                rank=(page - 1) * PER_PAGE + i + 1,
                score=None,
                slug=p.slug,
                title=p.title,
                url=practice_url(ws, p.slug),
                place=_place(p.city, p.country_name),
                year_started=p.year_started,
                status=p.status,
                topics=p.topics,
            )
            for i, p in enumerate(listing.items)
        ]
        has_next, total = page * PER_PAGE < listing.total, listing.total

    def url(changed: dict[str, list[str]], to_page: int = 1) -> str:
        query = _query_string(question, mode, changed, to_page)
        return links.search + (f"?{query}" if query else "")

    facet_views = []
    for facet in facets:
        values = []
        for v in facet.values[:12]:
            current = filters.get(facet.name, [])
            selected = v.value in current
            changed = dict(filters)
            changed[facet.name] = [c for c in current if c != v.value] if selected else [*current, v.value]
            values.append(FacetLink(v.value, value_label(facet.name, v.value), v.count, url(changed), selected))
        if values:
            facet_views.append(FacetView(facet.name, FACET_LABELS.get(facet.name, facet.name), values))
    query = _query_string(question, mode, filters)
    return SearchView(
        workspace=workspace,
        links=links,
        question=question,
        mode=mode,
        modes=[
            Option(value, text, value == mode)
            for value, text in (
                ("auto", "Words and meaning (best available)"),
                ("hybrid", "Words and meaning"),
                ("lexical", "Words only"),
                ("semantic", "Meaning only"),
            )
        ],
        ran=ran,
        filters=filters,
        filter_options=_filter_options(filters, facets),
        results=results,
        facets=facet_views,
        notices=notices,
        total=total,
        page=page,
        prev_url=url(filters, page - 1) if page > 1 else None,
        next_url=url(filters, page + 1) if has_next else None,
        examples=[Link(text, f"{links.search}?{urlencode({'q': text})}") for text in EXAMPLES],
        api_url=(
            f"{links.api}/search?{query}"
            if question
            else links.api + (f"?{_query_string('', 'auto', filters)}" if filters else "")
        ),
    )


# -- the practice page ------------------------------------------------------------------------------


@dataclass
class TransferRow:
    ref: str
    borrower: str
    is_us: bool
    learned_from: str
    year: int | None
    status: str
    outcome: str
    adaptation: str | None
    outcome_notes: str | None
    evidence: str | None
    sources: list[Link]
    origin: str
    practice: Link | None = None


def _city_text(city: str | None, country: str | None) -> str:
    name = country_name(country) if country else None
    return ", ".join(p for p in (city, name or country) if p) or "unknown"


def _links(urls: list[str]) -> list[Link]:
    return [Link(url, external_url(url)) for url in urls]


def transfer_row(view: TransferView, ws: str | None = None) -> TransferRow:
    tr = view.transfer
    return TransferRow(
        ref=tr.ref or "",
        borrower=_city_text(tr.adopter_city, tr.adopter_country),
        is_us=tr.adopter_is_us,
        learned_from=_city_text(tr.from_city, tr.from_country),
        year=tr.year,
        status=str(tr.status),
        outcome=str(tr.outcome),
        adaptation=tr.adaptation,
        outcome_notes=tr.outcome_notes,
        evidence=tr.evidence,
        sources=_links(tr.sources),
        origin=tr.origin,
        practice=Link(view.practice_title, practice_url(ws, tr.practice)) if ws else None,
    )


@dataclass
class ContactRow:
    name: str
    role: str | None
    email: str | None
    links: list[Link]


@dataclass
class BorrowForm:
    action: str
    values: dict[str, str]
    problems: list[Problem]
    statuses: list[Option]
    outcomes: list[Option]
    our_city: str

    def errors_for(self, name: str) -> list[str]:
        return [p.message for p in self.problems if (p.field or "").split(".")[0] == name]


@dataclass
class PracticeView:
    workspace: Workspace
    links: PracticeLinks
    detail: PracticeDetail
    place: str
    sources: list[Link]
    contacts: list[ContactRow]
    borrowed_by_others: list[TransferRow]
    our_borrowings: list[TransferRow]
    more_like_this: list[ResultItem]
    more_like_notices: list[str]
    borrow: BorrowForm | None = field(metadata={"help": "The 'we are borrowing this' form (staff and above)."})
    message: str | None
    diffusion_url: str
    api_url: str


def workspace_year(workspace: Workspace) -> int:
    return datetime.now(ZoneInfo(workspace.timezone)).year


def borrow_data(values: dict[str, str], practice_city: str | None, practice_country: str) -> dict:
    """The form's values as a transfer for ``record_transfer`` (our city is the borrower)."""
    data = {k: (values.get(k) or "").strip() for k in BORROW_FIELDS}
    data = {k: v for k, v in data.items() if v}
    if "from_country" in data:
        data["from_country"] = data["from_country"].upper()
    elif data.get("from_city", "").casefold() == (practice_city or "").casefold():
        data["from_country"] = practice_country
    return data


def practice_view(
    engine: Engine,
    ws: str,
    slug: str,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    borrowed: str | None = None,
) -> PracticeView:
    workspace = registry.get_workspace(engine, ws, actor)
    detail = svc.get_practice(engine, ws, slug, actor)
    practice = detail.practice
    similar = svc.more_like_this(engine, ws, slug, actor, limit=5)
    contacts = []
    for c in practice.contacts:
        links = []
        if c.person_ref:
            links.append(Link("in our records", record_path(ws, "people", c.person_ref)))
        if c.partner_ref:
            links.append(Link("in our records", record_path(ws, "partners", c.partner_ref)))
        contacts.append(ContactRow(c.name, c.role, c.email, links))
    rows = [transfer_row(t) for t in detail.transfers]
    borrow = None
    if actor.can_write:
        defaults = {
            "from_city": practice.city or "",
            "from_country": "",
            "year": str(workspace_year(workspace)),
            "adaptation": "",
            "status": "intended",
            "outcome": "unknown",
            "outcome_notes": "",
        }
        current = {**defaults, **(values or {})}
        borrow = BorrowForm(
            action=f"{practice_url(ws, slug)}/borrow",
            values=current,
            problems=list(problems or []),
            statuses=[Option(s.value, s.value.replace("-", " "), s.value == current["status"]) for s in TransferStatus],
            outcomes=[Option(o.value, o.value, o.value == current["outcome"]) for o in TransferOutcome],
            our_city=workspace.name,
        )
    message = None
    if borrowed:
        match = next((r for r in rows if r.ref == borrowed), None)
        if match is not None:
            message = (
                f"Recorded: {match.borrower} is borrowing this practice"
                f"{f' ({match.year})' if match.year else ''}, status {match.status}."
            )
    return PracticeView(
        workspace=workspace,
        links=practice_links(ws),
        detail=detail,
        place=_place(practice.city, detail.summary.country_name),
        sources=_links(practice.sources),
        contacts=contacts,
        borrowed_by_others=[r for r in rows if not r.is_us],
        our_borrowings=[r for r in rows if r.is_us],
        more_like_this=[result_item(ws, hit) for hit in similar.hits],
        more_like_notices=similar.notices,
        borrow=borrow,
        message=message,
        diffusion_url=f"{practice_url(ws, slug)}/diffusion",
        api_url=f"/api/workspaces/{ws}/practices/{slug}",
    )


# -- peers --------------------------------------------------------------------------------------------


@dataclass
class PeerRow:
    city: str
    country: str
    region: str
    population: int | None
    climate: str | None
    similarity: float
    reasons: list[str]
    tackled: str = field(metadata={"help": "How the city tackled the problem (started or borrowed practices)."})
    shared_networks: list[str]
    roles: list[str]
    practices: list[Link]


@dataclass
class PeersView:
    workspace: Workspace
    links: PracticeLinks
    problem: str
    peers: list[PeerRow]
    borrowed_from_us: list[TransferRow]
    our_borrowings: list[TransferRow]
    examples: list[Link]


def _peer_row(ws: str, peer: PeerCity, titles: dict[str, str]) -> PeerRow:
    roles = {"origin": "started", "adopter": "borrowed"}
    did = " and ".join(roles.get(r, r) for r in peer.roles) or "worked on"
    count = len(peer.practices)
    return PeerRow(
        city=peer.city,
        country=country_name(peer.country_code) or peer.country_code,
        region=peer.region,
        population=peer.population,
        climate=peer.climate,
        similarity=round(peer.similarity, 2),
        reasons=peer.reasons,
        tackled=f"{did} {count} matching practice{'' if count == 1 else 's'}",
        shared_networks=peer.shared_networks,
        roles=peer.roles,
        practices=[Link(titles.get(slug, slug), practice_url(ws, slug)) for slug in peer.practices],
    )


def peers_view(engine: Engine, ws: str, problem: str, actor: Actor, *, limit: int = 15) -> PeersView:
    workspace = registry.get_workspace(engine, ws, actor)
    problem = problem.strip()
    peers = svc.find_peers(engine, ws, actor, problem=problem or None, limit=limit)
    titles = {p.slug: p.title for p in svc.list_practices(engine, ws, actor, per_page=500).items}
    links = practice_links(ws)
    return PeersView(
        workspace=workspace,
        links=links,
        problem=problem,
        peers=[_peer_row(ws, p, titles) for p in peers],
        borrowed_from_us=[transfer_row(t, ws) for t in svc.borrowed_from_us(engine, ws, actor)],
        our_borrowings=[transfer_row(t, ws) for t in svc.our_borrowings(engine, ws, actor)],
        examples=[
            Link(text, f"{links.peers}?{urlencode({'problem': text})}")
            for text in ("extreme heat", "earthquakes", "homelessness", "traffic deaths")
        ],
    )


# -- diffusion ----------------------------------------------------------------------------------------


@dataclass
class EdgeRow:
    practice: Link
    learned_from: str
    borrower: str
    is_us: bool
    year: int | None
    status: str
    outcome: str
    drawn: bool


@dataclass
class DiffusionView:
    workspace: Workspace
    links: PracticeLinks
    practice: Link | None = field(metadata={"help": "The practice shown, or None for the whole library."})
    graph: DiffusionGraph
    timeline: list[TimelineYear]
    svg: Markup
    edges: list[EdgeRow]
    undrawn: int = field(metadata={"help": "Transfers whose places have no coordinates (listed, not drawn)."})
    api_url: str


#: Colours (presentation attributes: the page's CSP allows no inline styles).
EDGE_STROKE = {"adopted": "#0b4f9c", "in-progress": "#0b7a75", "intended": "#b35c00", "abandoned": "#767676"}
DASH = {"intended": "6 4", "in-progress": "3 3", "abandoned": "1 4"}
US_STROKE = "#b00020"


def _country_centre(code: str | None) -> tuple[float, float] | None:
    """Where to draw a country-level borrower: the middle of its largest polygon's box."""
    if not code:
        return None
    for country in countries("110m"):
        if country.code == code.upper():
            main = max(country.polygons, key=lambda poly: len(poly[0]))
            lons, lats = [p[0] for p in main[0]], [p[1] for p in main[0]]
            return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    return None


def _node_positions(graph: DiffusionGraph) -> dict[str, tuple[float, float]]:
    out = {}
    for node in graph.nodes:
        if node.latitude is not None and node.longitude is not None:
            out[node.id] = (node.longitude, node.latitude)
        else:
            centre = _country_centre(node.country_code)
            if centre:
                out[node.id] = centre
    return out


class _Frame:
    """A lon/lat box on the Atlas's Equal Earth projection, scaled to ``width`` pixels."""

    def __init__(self, box: tuple[float, float, float, float], width: int):
        lon0, lat0, lon1, lat1 = box
        points = [project(lon0 + (lon1 - lon0) * i / 20, lat) for i in range(21) for lat in (lat0, lat1)]
        points += [project(lon, lat0 + (lat1 - lat0) * i / 20) for i in range(21) for lon in (lon0, lon1)]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        self.x0, self.y1 = min(xs), max(ys)
        self.scale = width / (max(xs) - self.x0)
        self.width, self.height = width, max(1, round((self.y1 - min(ys)) * self.scale))
        self.box = box

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = project(lon, lat)
        return round((x - self.x0) * self.scale, 1), round((self.y1 - y) * self.scale, 1)


def _box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    if not points:
        return -180.0, -60.0, 180.0, 85.0
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
    if lon1 - lon0 > 120:  # arcs between continents bend towards the poles: show the whole world
        return -180.0, -58.0, 180.0, 85.0
    pad_lon, pad_lat = max(12.0, (lon1 - lon0) * 0.15), max(8.0, (lat1 - lat0) * 0.2)
    lon0, lon1, lat0, lat1 = lon0 - pad_lon, lon1 + pad_lon, lat0 - pad_lat, lat1 + pad_lat
    if lon1 - lon0 < 60:  # a close-up would lose every landmark; keep a region in view
        extra = (60 - (lon1 - lon0)) / 2
        lon0, lon1 = lon0 - extra, lon1 + extra
    if lat1 - lat0 < 35:
        extra = (35 - (lat1 - lat0)) / 2
        lat0, lat1 = lat0 - extra, lat1 + extra
    return max(-180.0, lon0), max(-60.0, lat0), min(180.0, lon1), min(85.0, lat1)


def _country_paths(frame: _Frame) -> list[str]:
    lon0, lat0, lon1, lat1 = frame.box
    out = []
    for country in countries("110m"):
        b = country.bbox
        if b[2] < lon0 or b[0] > lon1 or b[3] < lat0 or b[1] > lat1:
            continue
        parts = []
        for polygon in country.polygons:
            for ring in polygon:
                points = [frame.xy(lon, lat) for lon, lat in ring]
                kept = [points[0]]
                for p in points[1:]:
                    if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= 0.6:
                        kept.append(p)
                if len(kept) >= 3:
                    parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
        if parts:
            out.append(
                f'<path class="diffusion-country" d="{"".join(parts)}" fill="#e4e4e4" stroke="#ffffff" '
                f'stroke-width="0.6"><title>{escape(country.name)}</title></path>'
            )
    return out


def diffusion_svg(graph: DiffusionGraph, *, width: int = 960, title: str = "Who learned from whom") -> str:
    """Cities as dots, transfers as arrows from teacher to learner along great circles, labelled with
    their year; our city and our borrowings in red. Presentation attributes only (CSP)."""
    positions = _node_positions(graph)
    frame = _Frame(_box(list(positions.values())), width)
    label_years = len(graph.edges) <= 24
    drawn_edges = [e for e in graph.edges if e.source in positions and e.target in positions and e.source != e.target]
    us = {n.id for n in graph.nodes if n.is_us}
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="diffusion-map" viewBox="0 0 {frame.width} {frame.height}" '
            f'width="{frame.width}" height="{frame.height}" role="img" aria-labelledby="diffusion-title diffusion-desc">'
        ),
        f'<title id="diffusion-title">{escape(title)}</title>',
        (
            f'<desc id="diffusion-desc">{len(positions)} places and {len(drawn_edges)} transfers drawn as arrows from '
            "the city that was learned from to the city that borrowed; the table below lists every transfer.</desc>"
        ),
        "<defs>",
    ]
    for key, colour in (
        ("default", EDGE_STROKE["adopted"]),
        ("us", US_STROKE),
        ("muted", EDGE_STROKE["abandoned"]),
        ("intended", EDGE_STROKE["intended"]),
        ("progress", EDGE_STROKE["in-progress"]),
    ):
        out.append(
            f'<marker id="arrow-{key}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    out.append(f'<rect x="0" y="0" width="{frame.width}" height="{frame.height}" fill="#f4f8fb"/>')
    out.append('<g class="diffusion-countries">')
    out.extend(_country_paths(frame))
    out.append('</g><g class="diffusion-edges">')
    labels = {n.id: n.label for n in graph.nodes}
    for edge in sorted(drawn_edges, key=lambda e: (e.target in us, e.year or 0)):
        (lon1, lat1), (lon2, lat2) = positions[edge.source], positions[edge.target]
        segments = []
        for part in split_antimeridian(great_circle(lon1, lat1, lon2, lat2)):
            xy = [frame.xy(lon, lat) for lon, lat in part]
            segments.append("M" + "L".join(f"{x:g},{y:g}" for x, y in xy))
        ours = edge.target in us
        colour = US_STROKE if ours else EDGE_STROKE.get(edge.status, EDGE_STROKE["adopted"])
        marker = (
            "us"
            if ours
            else {"abandoned": "muted", "intended": "intended", "in-progress": "progress"}.get(edge.status, "default")
        )
        dash = f' stroke-dasharray="{DASH[edge.status]}"' if edge.status in DASH else ""
        when = str(edge.year) if edge.year else "undated"
        out.append(
            f'<path class="diffusion-edge{" diffusion-edge-us" if ours else ""}" d="{"".join(segments)}" fill="none" '
            f'stroke="{colour}" stroke-width="{2.4 if ours else 1.6}" stroke-linecap="round"{dash} '
            f'marker-end="url(#arrow-{marker})" data-practice={quoteattr(edge.practice)} data-year="{edge.year or ""}">'
            f"<title>{escape(labels.get(edge.source, edge.source))} → {escape(labels.get(edge.target, edge.target))}, "
            f"{when}: {escape(edge.practice_title)} ({escape(edge.status)}, outcome {escape(edge.outcome)})</title></path>"
        )
        if label_years and edge.year:
            mid = frame.xy(*great_circle(lon1, lat1, lon2, lat2, steps=2)[1])
            out.append(
                f'<text class="diffusion-year" x="{mid[0]:g}" y="{mid[1] - 4:g}" text-anchor="middle" '
                f'font-family="sans-serif" font-size="12" font-weight="bold" fill="{colour}" stroke="#ffffff" '
                f'stroke-width="3" paint-order="stroke">{edge.year}</text>'
            )
    out.append('</g><g class="diffusion-nodes">')
    degree: dict[str, int] = {}
    for edge in drawn_edges:
        degree[edge.source] = degree.get(edge.source, 0) + 1
        degree[edge.target] = degree.get(edge.target, 0) + 1
    label_all = len(positions) <= 30
    for node in sorted(graph.nodes, key=lambda n: n.is_us):
        if node.id not in positions:
            continue
        x, y = frame.xy(*positions[node.id])
        if not (0 <= x <= frame.width and 0 <= y <= frame.height):
            continue
        fill = US_STROKE if node.is_us else ("#1a1a1a" if node.origin_of else "#0b4f9c")
        radius = 6 if node.is_us else round(3 + 1.2 * math.sqrt(len(node.origin_of) + degree.get(node.id, 0)), 1)
        what = []
        if node.origin_of:
            what.append(f"started {len(node.origin_of)} practice(s)")
        if node.adopted:
            what.append(f"borrowed {len(node.adopted)}")
        out.append(
            f'<circle class="diffusion-node" cx="{x:g}" cy="{y:g}" r="{radius:g}" fill="{fill}" stroke="#ffffff" '
            f'stroke-width="1.2"><title>{escape(node.label)}{": " + ", ".join(what) if what else ""}'
            f"{' (our city)' if node.is_us else ''}</title></circle>"
        )
        if label_all or node.is_us or degree.get(node.id, 0) >= 3:
            out.append(
                f'<text class="diffusion-label" x="{x + radius + 3:g}" y="{y + 4:g}" font-family="sans-serif" '
                f'font-size="12" fill="#1a1a1a" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                f"{escape(node.label)}{' (us)' if node.is_us else ''}</text>"
            )
    out.append("</g></svg>")
    return "\n".join(out)


def diffusion_view(engine: Engine, ws: str, actor: Actor, *, practice: str | None = None) -> DiffusionView:
    workspace = registry.get_workspace(engine, ws, actor)
    graph = svc.diffusion_graph(engine, ws, actor, practice=practice)
    timeline = svc.diffusion_timeline(engine, ws, actor, practice=practice)
    positions = _node_positions(graph)
    labels = {n.id: n.label for n in graph.nodes}
    countries_of = {n.id: n.country_code for n in graph.nodes}
    us = {n.id for n in graph.nodes if n.is_us}

    def place(node_id: str) -> str:
        code = countries_of.get(node_id)
        label = labels.get(node_id, node_id)
        name = country_name(code) if code else None
        return label if not name or label in (code, name) else f"{label}, {name}"

    edges = [
        EdgeRow(
            practice=Link(e.practice_title, practice_url(ws, e.practice)),
            learned_from=place(e.source),
            borrower=place(e.target),
            is_us=e.target in us,
            year=e.year,
            status=e.status,
            outcome=e.outcome,
            drawn=e.source in positions and e.target in positions,
        )
        for e in sorted(graph.edges, key=lambda e: (e.year is None, e.year or 0, e.practice_title))
    ]
    title = "Who learned from whom"
    shown = None
    if practice:
        detail = svc.get_practice(engine, ws, practice, actor)
        shown = Link(detail.practice.title, practice_url(ws, practice))
        title = f"The spread of {detail.practice.title}"
    return DiffusionView(
        workspace=workspace,
        links=practice_links(ws),
        practice=shown,
        graph=graph,
        timeline=timeline,
        svg=Markup(diffusion_svg(graph, title=title)),
        edges=edges,
        undrawn=sum(1 for e in edges if not e.drawn),
        api_url=f"/api/workspaces/{ws}/practices" + (f"/{practice}" if practice else "") + "/diffusion",
    )
