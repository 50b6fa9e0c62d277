"""Places in forms and pages: suggestions from the workspace and the offline gazetteer, and
turning a chosen gazetteer place into a Place record when the form is saved.

A gazetteer place is named by the ref its Place record would have (``geonames:<id>``), so
a form can carry it before the record exists; :func:`ensure_place` creates it on save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from ..domain import NotFound, PermissionDenied, Place
from ..domain.vocab import Confidentiality, PlaceKind
from . import registry
from .registry import Actor, ListQuery

__all__ = [
    "PlaceSuggestion",
    "ensure_place",
    "gazetteer",
    "gazetteer_place",
    "suggest_places",
]

GEONAMES_REF = re.compile(r"^geonames:([1-9][0-9]{0,11})$")
COUNTRY_REF = re.compile(r"^country:([a-z]{2})$")


def gazetteer():
    """The shared offline gazetteer (loaded on first use: it takes a few seconds)."""
    from ..gazetteer import Gazetteer

    return Gazetteer.default()


@dataclass
class PlaceSuggestion:
    ref: str
    label: str
    detail: str
    #: True when the place is not yet a record of the workspace (saving the form creates it).
    new: bool = False


def _describe(place: Place) -> str:
    parts = [place.admin1 or place.subdivision_code or "", place.country_code]
    return ", ".join(p for p in parts if p)


def _country_data(code: str) -> dict[str, Any] | None:
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return None
    return {
        "ref": f"country:{code.lower()}",
        "kind": PlaceKind.country.value,
        "name": getattr(country, "common_name", None) or country.name,
        "country_code": code.upper(),
        "confidentiality": Confidentiality.public.value,
        "source": "ISO 3166-1 (pycountry)",
    }


def gazetteer_place(ref: str) -> dict[str, Any] | None:
    """The Place record (as data) that a gazetteer ref stands for, or None if it is not one."""
    match = GEONAMES_REF.match(ref or "")
    if match:
        found = gazetteer().get(int(match.group(1)))
        if found is None:
            return None
        subdivision = (
            found.subdivision_code
            if found.subdivision_code and found.subdivision_code.startswith(found.country_code + "-")
            else None
        )
        return {
            "ref": ref,
            "kind": PlaceKind.city.value,
            "name": found.name,
            "country_code": found.country_code,
            "subdivision_code": subdivision,
            "admin1": found.subdivision_name,
            "geonames_id": found.geonames_id,
            "latitude": found.latitude,
            "longitude": found.longitude,
            "population": found.population,
            "timezone": found.timezone,
            "confidentiality": Confidentiality.public.value,
            "source": "GeoNames (offline gazetteer)",
        }
    match = COUNTRY_REF.match(ref or "")
    if match:
        return _country_data(match.group(1))
    return None


def suggest_places(engine: Engine, ws: str, q: str, actor: Actor, limit: int = 10) -> list[PlaceSuggestion]:
    """Places whose name starts with or contains ``q``: the workspace's own first, then the
    gazetteer's (largest first) that the workspace does not hold yet, then a matching country."""
    q = (q or "").strip()
    if not q:
        return []
    own = registry.list_records(engine, ws, "places", ListQuery(q=q, per_page=limit, sort="-population"), actor).items
    out = [PlaceSuggestion(p.ref, p.name, _describe(p)) for p in own]
    seen = {s.ref for s in out}
    for candidate in gazetteer().suggest(q, limit=limit):
        ref = f"geonames:{candidate.geonames_id}"
        if ref in seen or len(out) >= limit:
            continue
        region = candidate.subdivision_name or ""
        out.append(
            PlaceSuggestion(ref, candidate.name, ", ".join(x for x in (region, candidate.country_code) if x), new=True)
        )
        seen.add(ref)
    country = gazetteer().country(q) if len(q) >= 3 else None
    if country and f"country:{country.alpha2.lower()}" not in seen and not country.approximate:
        out.append(PlaceSuggestion(f"country:{country.alpha2.lower()}", country.name, "country", new=True))
    return out[: limit + 1]


def ensure_place(engine: Engine, ws: str, ref: str | None, actor: Actor) -> str | None:
    """Make sure the place ``ref`` exists in the workspace, creating it from the gazetteer
    (``geonames:<id>``, ``country:<cc>``) if needed. Returns the ref; an unknown ref is left
    for the record's own validation to report."""
    if not ref:
        return ref
    ref = ref.strip().lower()
    try:
        registry.get_record(engine, ws, "places", ref, actor)
        return ref
    except (NotFound, PermissionDenied):
        pass
    data = gazetteer_place(ref)
    if data is None:
        return ref
    registry.save_record(engine, ws, "places", data, actor)
    return ref
