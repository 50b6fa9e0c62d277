"""Geometry for offline maps: country shapes from the shipped Natural Earth TopoJSON,
the Equal Earth projection and great-circle arcs. No network, no tiles.

Equal Earth (Šavrič, Patterson & Jenny 2018) is an equal-area world projection, so a
choropleth does not exaggerate high-latitude countries.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

__all__ = ["DATA_DIR", "Country", "countries", "great_circle", "project", "split_antimeridian"]

DATA_DIR = Path(__file__).parent / "data"
_FILES = {"110m": "countries-110m.json", "50m": "countries-50m.json"}
#: shapes the TopoJSON ships without an ISO numeric id
_NO_ID = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO", "Indian Ocean Ter.": "AU", "Siachen Glacier": "IN"}

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2 ("XK" for Kosovo)
    name: str
    #: polygons, each a list of rings, each a list of (lon, lat)
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max

    def geojson(self) -> dict:
        return {
            "type": "MultiPolygon",
            "coordinates": [[[list(p) for p in ring] for ring in polygon] for polygon in self.polygons],
        }


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * sx + tx, 5), round(y * sy + ty, 5)))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> tuple[tuple[float, float], ...]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return tuple(points)


def _crosses(ring) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in itertools.pairwise(ring))


def _unwrap(ring) -> list[tuple[float, float]]:
    """Make longitudes continuous (170, 179, 181, …) and centred on the ring's start side."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        out.append((lon, lat))
    return out


def _clip_half(ring, side: int) -> tuple[tuple[float, float], ...]:
    """Sutherland–Hodgman clip of an unwrapped ring to the part on one side of the antimeridian,
    shifted back into -180..180 (side 1: the part west of +180; -1: the part east of -180, or beyond)."""
    # express the ring so the cut is at lon = edge
    mean = sum(p[0] for p in ring) / len(ring)
    edge = 180.0 if mean > 0 else -180.0
    keep_low = side == 1

    def inside(p):
        return p[0] <= edge if keep_low else p[0] >= edge

    out: list[tuple[float, float]] = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(_cross(previous, current, edge))
            out.append(current)
        elif inside(previous):
            out.append(_cross(previous, current, edge))
    shifted = []
    for lon, lat in out:
        while lon > 180:
            lon -= 360
        while lon < -180:
            lon += 360
        shifted.append((round(lon, 5), lat))
    # a point exactly on the cut belongs to the side the rest of the piece is on
    if shifted:
        body = [p[0] for p in shifted if abs(abs(p[0]) - 180) > 1e-9]
        sign = 1 if (sum(body) / len(body) if body else 0) >= 0 else -1
        shifted = [((180.0 * sign) if abs(abs(lon) - 180) <= 1e-9 else lon, lat) for lon, lat in shifted]
    return tuple(shifted)


def _cross(a, b, edge: float) -> tuple[float, float]:
    f = (edge - a[0]) / (b[0] - a[0]) if b[0] != a[0] else 0.0
    return edge, a[1] + f * (b[1] - a[1])


@lru_cache(maxsize=2)
def countries(resolution: str = "110m") -> tuple[Country, ...]:
    """Country shapes (Natural Earth admin-0 via world-atlas 2.0.2; see data/PROVENANCE.md)."""
    path = DATA_DIR / _FILES[resolution]
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        numeric = geometry.get("id")
        record = pycountry.countries.get(numeric=numeric) if numeric else None
        code = record.alpha_2 if record else _NO_ID.get(name)
        if code is None or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        if code == "AQ":  # encircles the pole; below every map frame we draw
            continue
        polys = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        polygons = []
        for poly in polys:
            rings = [_ring(ring, arcs) for ring in poly]
            if any(_crosses(r) for r in rings):
                # world-atlas leaves cutting at ±180 to the renderer (Russia, Fiji): cut here
                for side in (1, -1):
                    cut = [c for c in (_clip_half(_unwrap(r), side) for r in rings) if len(c) >= 3]
                    if cut:
                        polygons.append(tuple(cut))
            else:
                polygons.append(tuple(rings))
        polygons = tuple(polygons)
        lons = [p[0] for poly in polygons for p in poly[0]]
        lats = [p[1] for poly in polygons for p in poly[0]]
        out.append(Country(code, name, polygons, (min(lons), min(lats), max(lons), max(lats))))
    return tuple(out)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth: degrees -> plane units (x to the east, y to the north; the world is about
    5.41 wide and 2.63 high)."""
    lam = math.radians(max(-180.0, min(180.0, lon)))
    theta = math.asin(_M * math.sin(math.radians(max(-90.0, min(90.0, lat)))))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x, y


def great_circle(
    lon1: float, lat1: float, lon2: float, lat2: float, steps: int | None = None
) -> list[tuple[float, float]]:
    """Points along the shortest path on the sphere between two places (degrees)."""
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = (math.cos(p1) * math.cos(l1), math.cos(p1) * math.sin(l1), math.sin(p1))
    b = (math.cos(p2) * math.cos(l2), math.cos(p2) * math.sin(l2), math.sin(p2))
    dot = max(-1.0, min(1.0, sum(x * y for x, y in zip(a, b))))
    omega = math.acos(dot)
    if omega < 1e-9:
        return [(lon1, lat1), (lon2, lat2)]
    n = steps or max(2, int(math.degrees(omega) / 2) + 1)
    out = []
    for i in range(n + 1):
        f = i / n
        s1, s2 = math.sin((1 - f) * omega) / math.sin(omega), math.sin(f * omega) / math.sin(omega)
        x, y, z = (s1 * a[k] + s2 * b[k] for k in range(3))
        out.append((math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y)))))
    return out


def split_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Cut a line where it crosses longitude ±180, so it is not drawn across the whole map."""
    parts: list[list[tuple[float, float]]] = [[]]
    for point in points:
        current = parts[-1]
        if current and abs(point[0] - current[-1][0]) > 180:
            lon0, lat0 = current[-1]
            lon1, lat1 = point
            edge = 180.0 if lon0 > 0 else -180.0
            shifted = lon1 + (360 if lon0 > 0 else -360)
            f = (edge - lon0) / (shifted - lon0) if shifted != lon0 else 0.5
            lat = lat0 + f * (lat1 - lat0)
            current.append((edge, lat))
            parts.append([(-edge, lat)])
        parts[-1].append(point)
    return [p for p in parts if len(p) >= 2]
