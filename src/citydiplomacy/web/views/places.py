"""Place and country pages: what happened there, who is based there, which ties it has."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from ...domain import NotFound, Place, Workspace
from ...services import history, registry
from ...services.dashboard import today_in
from ...services.places import gazetteer_place
from ...services.registry import Actor
from .common import Cell, Fact, labelled, record_path
from .timeline import FollowUpRow, TimelineEntry, open_follow_ups, timeline

__all__ = [
    "CountryView",
    "PlaceView",
    "country_name",
    "country_path",
    "country_view",
    "place_view",
    "reference_tie_rows",
]


def country_path(ws: str, code: str | None) -> str | None:
    return f"/w/{ws}/countries/{code.upper()}" if code else None


def country_name(code: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 and code.isalpha() else None
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


@dataclass
class PlaceView:
    workspace: Workspace
    place: Place = field(
        metadata={"help": "The record; for a gazetteer place not yet in the registry, what it would be."}
    )
    in_registry: bool = field(metadata={"help": "False for a gazetteer place the workspace does not hold yet."})
    can_edit: bool
    facts: list[Fact]
    partners: list[list[Cell]] = field(metadata={"help": "Partners based here: name, kind."})
    timeline: list[TimelineEntry] = field(
        metadata={"help": "Engagements here and agreements it is party to, newest first."}
    )
    engagements_total: int
    agreements_total: int
    follow_ups: list[FollowUpRow]
    reference_ties: list[list[Cell]] = field(
        default_factory=list,
        metadata={"help": "Twin towns on the world's list (reference, not our record): town, country, line."},
    )


def reference_tie_rows(engine: Engine, workspace: Workspace, geonames_id: int | None) -> list[list[Cell]]:
    """The world twin list's ties of a place, as table rows (a placed town links to its page)."""
    from ...services import atlas

    ws, ours = workspace.slug, workspace.place_geonames_id
    return [
        [
            Cell(
                f"{tie.name} (our own city)" if ours and tie.geonames_id == ours else tie.name,
                record_path(ws, "places", f"geonames:{tie.geonames_id}") if tie.geonames_id else None,
            ),
            Cell(country_name(tie.country_code) or tie.country_code if tie.country_code else (tie.country or "")),
            Cell(str(tie.line)),
        ]
        for tie in atlas.reference_ties(engine, geonames_id)
    ]


def _place_facts(ws: str, p: Place) -> list[Fact]:
    facts = [
        Fact("Kind", labelled(p.kind)),
        Fact(
            "Country",
            f"{country_name(p.country_code) or p.country_code} ({p.country_code})",
            country_path(ws, p.country_code),
        ),
        Fact("State or province", p.admin1 or ""),
        Fact("Subdivision code", p.subdivision_code or ""),
        Fact("Population", f"{p.population:,}" if p.population else ""),
        Fact("Time zone", p.timezone or ""),
        Fact(
            "Coordinates",
            f"{p.latitude:.4f}, {p.longitude:.4f}" if p.latitude is not None and p.longitude is not None else "",
        ),
        Fact("GeoNames id", str(p.geonames_id) if p.geonames_id else ""),
        Fact("Confidentiality", labelled(p.confidentiality)),
        Fact("Source", p.source or ""),
        Fact("Ref", p.ref or ""),
    ]
    return [f for f in facts if f.text]


def place_view(engine: Engine, ws: str, ref: str, actor: Actor) -> PlaceView:
    workspace = registry.get_workspace(engine, ws, actor)
    today = today_in(workspace.timezone)
    try:
        place: Place = registry.get_record(engine, ws, "places", ref, actor)
        in_registry = True
    except NotFound:
        data = gazetteer_place(ref)
        if data is None:
            raise
        place, in_registry = Place.model_validate(data), False
    found = history.place_history(engine, ws, ref, actor) if in_registry else history.History()
    return PlaceView(
        workspace=workspace,
        place=place,
        in_registry=in_registry,
        can_edit=actor.can_write,
        facts=_place_facts(ws, place),
        partners=[[Cell(p.name, record_path(ws, "partners", p.ref)), Cell(labelled(p.kind))] for p in found.partners],
        timeline=timeline(ws, today, engagements=found.engagements, agreements=found.agreements),
        engagements_total=found.engagements_total,
        agreements_total=found.agreements_total,
        follow_ups=open_follow_ups(ws, found.engagements, today),
        reference_ties=reference_tie_rows(engine, workspace, place.geonames_id) if place.kind == "city" else [],
    )


@dataclass
class CountryView:
    workspace: Workspace
    code: str = field(metadata={"help": "ISO 3166-1 alpha-2."})
    name: str
    partners: list[list[Cell]] = field(metadata={"help": "Partners of this country: name, kind, based in."})
    partners_total: int
    places: list[list[Cell]] = field(metadata={"help": "Places in this country the registry holds."})
    places_total: int
    timeline: list[TimelineEntry] = field(metadata={"help": "Engagements and agreements with its partners or places."})
    engagements_total: int
    agreements_total: int
    follow_ups: list[FollowUpRow]
    engagements_url: str
    agreements_url: str


def country_view(engine: Engine, ws: str, code: str, actor: Actor) -> CountryView:
    workspace = registry.get_workspace(engine, ws, actor)
    code = code.strip().upper()
    name = country_name(code)
    if name is None:
        raise NotFound("country", code)
    today = today_in(workspace.timezone)
    found = history.country_history(engine, ws, code, actor)
    return CountryView(
        workspace=workspace,
        code=code,
        name=name,
        partners=[
            [
                Cell(p.name, record_path(ws, "partners", p.ref)),
                Cell(labelled(p.kind)),
                Cell(p.place or "", record_path(ws, "places", p.place) if p.place else None),
            ]
            for p in found.partners
        ],
        partners_total=found.partners_total,
        places=[
            [
                Cell(p.name, record_path(ws, "places", p.ref)),
                Cell(labelled(p.kind)),
                Cell(f"{p.population:,}" if p.population else ""),
            ]
            for p in found.places
        ],
        places_total=found.places_total,
        timeline=timeline(ws, today, engagements=found.engagements, agreements=found.agreements),
        engagements_total=found.engagements_total,
        agreements_total=found.agreements_total,
        follow_ups=open_follow_ups(ws, found.engagements, today),
        engagements_url=f"/w/{ws}/engagements?country={code}",
        agreements_url=f"/w/{ws}/agreements?country={code}",
    )
