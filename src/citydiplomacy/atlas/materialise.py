"""Which twin-town pairs of the reference layer a workspace gets as its own records.

A workspace receives the pairs that touch its own city and its partners' cities (its sister
cities, and the cities of partners that are city or regional governments), as sister-city
agreements between places. The list gives neither a date nor whether a tie is still active,
so copied agreements are *dormant* until someone confirms them; ties the workspace already
records itself are left alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..domain import Agreement, Place
from ..domain.vocab import PartnerKind, PlaceKind
from .sources import WorkspaceRecords
from .store import ReferenceLayer, ReferenceName

__all__ = ["TWIN_SOURCE", "TwinCopies", "is_copied", "plan_copies"]

TWIN_SOURCE = (
    "Wikipedia contributors, 'List of twin towns and sister cities' pages (CC BY-SA 4.0), "
    "as collected by the Hekman/twincities project (MIT)"
)
_SUMMARY = (
    "Listed as twin towns on Wikipedia. The list gives no date and does not say whether the tie is "
    "active, so it is recorded as dormant until someone confirms it."
)


@dataclass
class TwinCopies:
    places: list[Place] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    already_recorded: int = 0
    not_placed: int = 0


def is_copied(agreement: Agreement) -> bool:
    """An agreement copied from the list and not yet confirmed by anyone (still dormant, source unchanged)."""
    return (
        (agreement.ref or "").startswith("twin:")
        and agreement.status == "dormant"
        and (agreement.source or "").startswith(TWIN_SOURCE)
    )


def _place(name: ReferenceName, gid: int) -> Place:
    return Place(
        ref=f"geonames:{gid}",
        kind=PlaceKind.city,
        name=(name.resolved_name or name.input_name).split("; ")[0],
        country_code=name.country_code,
        admin1=name.admin1,
        geonames_id=gid,
        latitude=name.latitude,
        longitude=name.longitude,
        population=name.population,
        source=TWIN_SOURCE,
    )


def plan_copies(records: WorkspaceRecords, layer: ReferenceLayer) -> TwinCopies:
    """The places and agreements to save so the workspace holds its twin-town pairs."""
    out = TwinCopies()
    our_gid = records.workspace.place_geonames_id
    if not our_gid:
        return out
    by_ref = {p.ref: p for p in records.places}
    existing_places = set(by_ref)
    # places already tied to us by our own agreements (any kind of tie between us and the place)
    our_ties: set[int] = set()
    for agreement in records.agreements:
        if is_copied(agreement) or not any(p.us for p in agreement.parties):
            continue
        for party in agreement.parties:
            place = by_ref.get(party.place or "")
            if place is not None and place.geonames_id:
                our_ties.add(place.geonames_id)
    hubs: set[int] = set(our_ties)
    for partner in records.partners:
        if partner.kind in (PartnerKind.city, PartnerKind.subnational_government):
            place = by_ref.get(partner.place or "")
            if place is not None and place.kind == PlaceKind.city and place.geonames_id:
                hubs.add(place.geonames_id)
    hubs.discard(our_gid)

    names_of: dict[int, list[ReferenceName]] = defaultdict(list)
    for name in layer.names.values():
        if name.status == "resolved" and len(name.geonames_ids) == 1:
            names_of[name.geonames_ids[0]].append(name)
    adjacency: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in layer.pairs:
        adjacency[pair.a].append((pair.b, pair.line))
        adjacency[pair.b].append((pair.a, pair.line))

    planned: dict[str, Agreement] = {}
    seen: set[str] = set()
    place_rows: dict[int, ReferenceName] = {}

    def ties_of(gid: int):
        for name in names_of.get(gid, ()):
            place_rows.setdefault(gid, name)
            yield from adjacency.get(name.id, ())

    for gid in [our_gid, *sorted(hubs)]:
        for other_id, line in ties_of(gid):
            other = layer.names[other_id]
            if other.status != "resolved" or len(other.geonames_ids) != 1:
                out.not_placed += 1
                continue
            other_gid = other.geonames_ids[0]
            if other_gid == gid:
                continue
            place_rows.setdefault(other_gid, other)
            low, high = sorted((gid, other_gid))
            ref = f"twin:{low}-{high}"
            if ref in planned or ref in seen:
                continue
            seen.add(ref)
            touches_us = our_gid in (gid, other_gid)
            far = other_gid if gid == our_gid else gid
            if touches_us and far in our_ties:
                out.already_recorded += 1
                continue
            a_name = place_rows[gid].resolved_name or place_rows[gid].input_name
            b_name = other.resolved_name or other.input_name
            if touches_us:
                parties = [{"us": True}, {"place": f"geonames:{far}"}]
            else:
                parties = [{"place": f"geonames:{low}"}, {"place": f"geonames:{high}"}]
            planned[ref] = Agreement.model_validate(
                {
                    "ref": ref,
                    "title": f"Sister cities: {a_name} – {b_name}",
                    "kind": "sister_city",
                    "status": "dormant",
                    "parties": parties,
                    "summary": _SUMMARY,
                    "confidentiality": "public",
                    "source": f"{TWIN_SOURCE}; line {line} of the imported list",
                }
            )
    needed = {
        int(p["place"].split(":", 1)[1])
        for a in planned.values()
        for p in (party.model_dump() for party in a.parties)
        if p.get("place")
    }
    for gid in sorted(needed):
        if f"geonames:{gid}" not in existing_places:
            out.places.append(_place(place_rows[gid], gid))
    out.agreements = list(planned.values())
    return out
