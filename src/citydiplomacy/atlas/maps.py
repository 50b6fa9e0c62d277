"""Offline maps of a workspace's ties: a choropleth of engagements by country, sister-city
links as great-circle arcs and partners as markers, as self-contained SVG (and PNG via
CairoSVG), plus the same layers as GeoJSON-like dicts for the web map.

Every shape carries ``data-ref`` (and ``data-href`` when a link base is given) and a
``<title>`` tooltip, so the web app can add hover and click-through with a little JS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from .geo import Country, countries, great_circle, project, split_antimeridian
from .models import MapLayers
from .regions import REGIONS, frame_for

__all__ = ["MapData", "MapLink", "MapMarker", "href_for", "map_layers", "render_png", "render_svg", "resolve_view"]

#: sequential blues, light to dark (ColorBrewer "Blues", 5 classes)
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
EMPTY_FILL = "#e6e6e6"
SEA_FILL = "#f7fbff"

#: Presentation attributes, not a <style> element or style="" attributes: the SVG is inlined in
#: pages whose Content-Security-Policy allows only same-origin style sheets, and it must look the
#: same when exported (SVG file, PNG through CairoSVG). Hover and focus styles live in the web
#: app's style sheet, keyed on the classes.
STYLE = {
    "country": 'stroke="#ffffff" stroke-width="0.5"',
    "link-own": 'fill="none" stroke-linecap="round" stroke="#c0392b" stroke-width="1.6" stroke-opacity="0.85"',
    "link-network": 'fill="none" stroke-linecap="round" stroke="#e67e22" stroke-width="0.7" stroke-opacity="0.45"',
    "partner": 'fill="#2c3e50" fill-opacity="0.85" stroke="#ffffff" stroke-width="0.6"',
    "us": 'fill="#c0392b" stroke="#ffffff" stroke-width="1"',
    "legend": 'font-family="sans-serif" font-size="11" fill="#333333"',
}
#: Record types whose refs the map may link to ("agreements/sister-city-busan").
_LINKABLE = ("agreements", "partners", "places", "engagements", "people")


@dataclass
class MapLink:
    a_label: str
    a: tuple[float, float]  # lon, lat
    b_label: str
    b: tuple[float, float]
    text: str
    kind: str = "own"  # own (our agreements) or network (ties among our partners' cities)
    ref: str | None = None


@dataclass
class MapMarker:
    label: str
    at: tuple[float, float]
    items: list[tuple[str, str]] = field(default_factory=list)  # (name, "partners/<ref>")
    kind: str = "partner"  # partner or us
    ref: str | None = None  # "places/<ref>": where a marker of several partners links


@dataclass
class MapData:
    title: str
    #: country code -> value shown as colour (engagements)
    values: dict[str, int] = field(default_factory=dict)
    #: country code -> tooltip text
    notes: dict[str, str] = field(default_factory=dict)
    value_label: str = "engagements"
    links: list[MapLink] = field(default_factory=list)
    markers: list[MapMarker] = field(default_factory=list)


def resolve_view(view: str | None) -> tuple[str, tuple[float, float, float, float]]:
    """A view name ("world", "Europe", "West Africa", …) -> (name, lon/lat frame)."""
    name, frame = frame_for(view or "world")
    if frame:
        return name, frame
    codes = set(REGIONS[name].countries)
    boxes = []
    for country in countries("110m"):
        if country.code in codes:
            # the largest polygon only: overseas territories would stretch the frame
            main = max(country.polygons, key=lambda poly: len(poly[0]))
            lons = [p[0] for p in main[0]]
            lats = [p[1] for p in main[0]]
            boxes.append((min(lons), min(lats), max(lons), max(lats)))
    if not boxes:
        raise KeyError(view)
    lo = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    pad_x, pad_y = max(2.0, (lo[2] - lo[0]) * 0.06), max(2.0, (lo[3] - lo[1]) * 0.06)
    return name, (max(-180, lo[0] - pad_x), max(-85, lo[1] - pad_y), min(180, lo[2] + pad_x), min(85, lo[3] + pad_y))


def _bins(values: dict[str, int]) -> list[int]:
    """Upper bounds of the colour classes (quantiles of the non-zero values)."""
    data = sorted(v for v in values.values() if v > 0)
    if not data:
        return []
    bounds = []
    for k in range(1, len(PALETTE) + 1):
        bound = data[min(len(data) - 1, math.ceil(k * len(data) / len(PALETTE)) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _fill(value: int, bounds: list[int]) -> str:
    if value <= 0 or not bounds:
        return EMPTY_FILL
    for i, bound in enumerate(bounds):
        if value <= bound:
            return PALETTE[min(len(PALETTE) - 1, round(i * (len(PALETTE) - 1) / max(1, len(bounds) - 1)))]
    return PALETTE[-1]


class _Frame:
    def __init__(self, frame: tuple[float, float, float, float], width: int):
        lon0, lat0, lon1, lat1 = frame
        xs, ys = [], []
        for i in range(21):
            for lon, lat in (
                (lon0 + (lon1 - lon0) * i / 20, lat0),
                (lon0 + (lon1 - lon0) * i / 20, lat1),
                (lon0, lat0 + (lat1 - lat0) * i / 20),
                (lon1, lat0 + (lat1 - lat0) * i / 20),
            ):
                x, y = project(lon, lat)
                xs.append(x)
                ys.append(y)
        self.x0, self.x1, self.y0, self.y1 = min(xs), max(xs), min(ys), max(ys)
        self.scale = width / (self.x1 - self.x0)
        self.width = width
        self.height = max(1, round((self.y1 - self.y0) * self.scale))
        self.frame = frame

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = project(lon, lat)
        return round((x - self.x0) * self.scale, 1), round((self.y1 - y) * self.scale, 1)

    def sees(self, bbox: tuple[float, float, float, float]) -> bool:
        lon0, lat0, lon1, lat1 = self.frame
        return not (bbox[2] < lon0 or bbox[0] > lon1 or bbox[3] < lat0 or bbox[1] > lat1)


def _path(frame: _Frame, country: Country) -> str:
    parts = []
    for polygon in country.polygons:
        for ring in polygon:
            points = [frame.xy(lon, lat) for lon, lat in ring]
            simplified = [points[0]]
            for p in points[1:]:
                if abs(p[0] - simplified[-1][0]) + abs(p[1] - simplified[-1][1]) >= 0.4:
                    simplified.append(p)
            if len(simplified) < 3:
                continue
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in simplified) + "Z")
    return "".join(parts)


def href_for(ref: str | None, link_base: str | None) -> str | None:
    """The page of what a shape stands for: a country page, or a record of the workspace."""
    if not ref or not link_base:
        return None
    base = link_base.rstrip("/")
    if ref.startswith("country:"):
        return f"{base}/countries/{ref.split(':', 1)[1].upper()}"
    plural, _, rest = ref.partition("/")
    return f"{base}/{ref}" if plural in _LINKABLE and rest else None


def _attr_ref(ref: str | None, link_base: str | None) -> str:
    if not ref:
        return ""
    out = f" data-ref={quoteattr(ref)}"
    href = href_for(ref, link_base)
    if href:
        out += f" data-href={quoteattr(href)}"
    return out


def _linked(shape: str, ref: str | None, link_base: str | None, *, link: bool = True) -> str:
    """Wrap a shape in an SVG <a> so it is a link without JavaScript too."""
    href = href_for(ref, link_base) if link else None
    return f"<a href={quoteattr(href)}>{shape}</a>" if href else shape


def render_svg(data: MapData, view: str | None = "world", *, width: int = 1000, link_base: str | None = None) -> str:
    """The map as one self-contained SVG document (no external fonts, images or scripts)."""
    name, box = resolve_view(view)
    frame = _Frame(box, width)
    shapes = countries("110m" if name == "world" else "50m")
    bounds = _bins(data.values)
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}" '
            f'height="{frame.height}" role="{"group" if link_base else "img"}" aria-labelledby="atlas-title" data-view={quoteattr(name)}>'
        ),
        f'<title id="atlas-title">{escape(data.title)} ({escape(name)})</title>',
        f'<rect class="sea" x="0" y="0" width="{frame.width}" height="{frame.height}" fill="{SEA_FILL}"/>',
        '<g id="countries">',
    ]
    for country in shapes:
        if not frame.sees(country.bbox):
            continue
        d = _path(frame, country)
        if not d:
            continue
        value = data.values.get(country.code, 0)
        note = data.notes.get(country.code) or f"{value} {data.value_label}"
        ref = f"country:{country.code.lower()}"
        # only countries we deal with are links (keyboard users are not made to tab through 170 countries)
        out.append(
            _linked(
                f'<path class="country" d="{d}" fill="{_fill(value, bounds)}" {STYLE["country"]} data-kind="country" '
                f'data-country="{country.code}" data-value="{value}"{_attr_ref(ref, link_base)}>'
                f"<title>{escape(country.name)}: {escape(note)}</title></path>",
                ref,
                link_base,
                link=value > 0,
            )
        )
    out.append("</g>")
    out.append('<g id="links">')
    for link in sorted(data.links, key=lambda link: link.kind != "network"):
        points = great_circle(link.a[0], link.a[1], link.b[0], link.b[1])
        segments = []
        for part in split_antimeridian(points):
            xy = [frame.xy(lon, lat) for lon, lat in part]
            segments.append("M" + "L".join(f"{x:g},{y:g}" for x, y in xy))
        cls = "link-own" if link.kind == "own" else "link-network"
        out.append(
            _linked(
                f'<path class="link {cls}" d="{"".join(segments)}" {STYLE[cls]} data-kind="link"'
                f"{_attr_ref(link.ref, link_base)}>"
                f"<title>{escape(link.a_label)} — {escape(link.b_label)}: {escape(link.text)}</title></path>",
                link.ref,
                link_base,
            )
        )
    out.append("</g>")
    out.append('<g id="markers">')
    for marker in data.markers:
        x, y = frame.xy(*marker.at)
        if not (0 <= x <= frame.width and 0 <= y <= frame.height):
            continue
        if marker.kind == "us":
            out.append(
                f'<circle class="us" cx="{x:g}" cy="{y:g}" r="5" {STYLE["us"]} data-kind="us">'
                f"<title>{escape(marker.label)}</title></circle>"
            )
            continue
        radius = round(2.5 + 1.6 * math.sqrt(len(marker.items)), 1)
        names = "; ".join(n for n, _ in marker.items[:12]) + ("; …" if len(marker.items) > 12 else "")
        refs = " ".join(r for _, r in marker.items)
        # a city with one partner links to it; with several, to the city's page (the tooltip names them all)
        ref = marker.items[0][1] if len(marker.items) == 1 else marker.ref
        out.append(
            _linked(
                f'<circle class="partner" cx="{x:g}" cy="{y:g}" r="{radius:g}" {STYLE["partner"]} data-kind="partner" '
                f"data-refs={quoteattr(refs)}{_attr_ref(ref, link_base)}>"
                f"<title>{escape(marker.label)}: {len(marker.items)} partner(s): {escape(names)}</title></circle>",
                ref,
                link_base,
            )
        )
    out.append("</g>")
    out.append(_legend(frame, bounds, data))
    out.append("</svg>")
    return "\n".join(out)


def _legend(frame: _Frame, bounds: list[int], data: MapData) -> str:
    y = frame.height - 16
    parts = [f'<g id="legend" class="legend" {STYLE["legend"]}>']
    x = 10
    parts.append(f'<text x="{x}" y="{y - 10}">{escape(data.value_label.capitalize())} by country</text>')
    low = 1
    for bound in bounds:
        colour = _fill(bound, bounds)
        text = f"{low}" if low == bound else f"{low}–{bound}"
        parts.append(
            f'<rect x="{x}" y="{y - 4}" width="12" height="10" fill="{colour}" stroke="#999" stroke-width="0.3"/>'
            f'<text x="{x + 15}" y="{y + 5}">{text}</text>'
        )
        x += 22 + 7 * len(text)
        low = bound + 1
    parts.append(
        f'<path class="link link-own" {STYLE["link-own"]} d="M{x + 6},{y + 1}L{x + 30},{y + 1}"/><text x="{x + 34}" y="{y + 5}">'
        "our sister cities</text>"
    )
    x += 140
    parts.append(
        f'<path class="link link-network" {STYLE["link-network"]} d="M{x},{y + 1}L{x + 24},{y + 1}"/><text x="{x + 28}" y="{y + 5}">'
        "ties among partner cities</text>"
    )
    x += 185
    parts.append(
        f'<circle class="partner" {STYLE["partner"]} cx="{x + 4}" cy="{y + 1}" r="4"/><text x="{x + 12}" y="{y + 5}">partners</text>'
    )
    parts.append("</g>")
    return "".join(parts)


def render_png(svg: str, *, width: int | None = None) -> bytes:
    """Rasterise a map SVG with CairoSVG (needs the system's libcairo2)."""
    try:
        import cairosvg
    except (ImportError, OSError) as error:  # OSError: the cairo library itself is missing
        raise RuntimeError(
            "PNG export needs the 'cairosvg' package and the cairo library "
            "(pip install cairosvg; apt-get install libcairo2); SVG export works without them"
        ) from error
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)


def map_layers(data: MapData, view: str | None = "world") -> MapLayers:
    """The map's layers as GeoJSON FeatureCollections (lon/lat), for a client-side map."""
    name, box = resolve_view(view)
    bounds = _bins(data.values)
    frame = _Frame(box, 1000)
    shapes = countries("110m")
    country_features = [
        {
            "type": "Feature",
            "id": c.code,
            "properties": {
                "code": c.code,
                "name": c.name,
                "value": data.values.get(c.code, 0),
                "fill": _fill(data.values.get(c.code, 0), bounds),
                "note": data.notes.get(c.code),
                "ref": f"country:{c.code.lower()}",
            },
            "geometry": c.geojson(),
        }
        for c in shapes
        if frame.sees(c.bbox)
    ]
    link_features = []
    for link in data.links:
        parts = split_antimeridian(great_circle(link.a[0], link.a[1], link.b[0], link.b[1]))
        link_features.append(
            {
                "type": "Feature",
                "properties": {
                    "from": link.a_label,
                    "to": link.b_label,
                    "text": link.text,
                    "kind": link.kind,
                    "ref": link.ref,
                },
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [[[round(x, 4), round(y, 4)] for x, y in p] for p in parts],
                },
            }
        )
    marker_features = [
        {
            "type": "Feature",
            "properties": {
                "label": m.label,
                "kind": m.kind,
                "ref": m.ref,
                "partners": [{"name": n, "ref": r} for n, r in m.items],
            },
            "geometry": {"type": "Point", "coordinates": [m.at[0], m.at[1]]},
        }
        for m in data.markers
    ]
    legend = []
    low = 1
    for bound in bounds:
        legend.append({"from": low, "to": bound, "fill": _fill(bound, bounds)})
        low = bound + 1
    return MapLayers(
        view=name,
        frame=box,
        countries={"type": "FeatureCollection", "features": country_features},
        links={"type": "FeatureCollection", "features": link_features},
        partners={"type": "FeatureCollection", "features": marker_features},
        legend=legend,
    )
