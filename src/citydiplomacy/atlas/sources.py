"""Where the graph's nodes and edges come from: a workspace's records and the reference layer.

Trust weights (lower = more trusted; an introduction path minimises their sum):

=====================================  ======
tie                                     weight
=====================================  ======
the government of a city (partner)      0.5
agreement in force / held engagement    1.0
post held now, parent organisation      1.0
dormant agreement (e.g. copied ties)    1.3
former post, "based in" our city        1.5
shared network membership (each half)   1.5
planned engagement, proposed agreement  2.0
twin towns on Wikipedia's list          2.0
=====================================  ======

A tie we recorded ourselves beats one only the public list knows about; a network
membership is a loose tie, so a path through a shared network costs 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from ..domain import (
    Agreement,
    Engagement,
    Membership,
    Network,
    Partner,
    Person,
    Place,
    Post,
    Workspace,
)
from ..domain.vocab import (
    AgreementStatus,
    DatePrecision,
    EngagementStatus,
    PartnerKind,
    PlaceKind,
    label,
)
from .graph import Edge, Node
from .store import ReferenceLayer

__all__ = ["TWIN_SOURCE_LABEL", "WorkspaceRecords", "place_key", "reference_elements", "workspace_elements"]

TWIN_SOURCE_LABEL = "sister city of (Wikipedia's list)"
_GOVERNMENT_KINDS = {PartnerKind.city, PartnerKind.subnational_government}
_SKIP_AGREEMENT = {AgreementStatus.terminated, AgreementStatus.lapsed}
_AGREEMENT_WEIGHT = {AgreementStatus.in_force: 1.0, AgreementStatus.dormant: 1.3, AgreementStatus.proposed: 2.0}


@dataclass
class WorkspaceRecords:
    """The records of one workspace the actor may see (loaded by the service)."""

    workspace: Workspace
    us_label: str
    places: list[Place] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)

    @property
    def us_key(self) -> str:
        gid = self.workspace.place_geonames_id
        return f"place:{gid}" if gid else "us"


def place_key(place: Place) -> str | None:
    """Graph key of a city-level place; countries and subdivisions are not nodes (they would
    make everyone in a country one hop apart)."""
    if place.kind != PlaceKind.city:
        return None
    return f"place:{place.geonames_id}" if place.geonames_id else f"placeref:{place.ref}"


def reference_elements(layer: ReferenceLayer, place_lookup=None) -> tuple[list[Node], list[Edge]]:
    """Nodes and edges of the twin-town list. Unplaced names become ``name:<id>`` nodes so that
    their ties still count; ``place_lookup(gid)`` supplies data for extra parts of joint entries."""
    nodes: list[Node] = []
    keys: dict[int, list[str]] = {}
    for name in layer.names.values():
        if name.geonames_ids:
            keys[name.id] = []
            for i, gid in enumerate(name.geonames_ids):
                key = f"place:{gid}"
                keys[name.id].append(key)
                if i == 0:
                    nodes.append(
                        Node(
                            key,
                            "place",
                            name.resolved_name.split("; ")[0] if name.resolved_name else name.input_name,
                            name.country_code,
                            f"geonames:{gid}",
                            name.latitude,
                            name.longitude,
                            name.population,
                        )
                    )
                else:
                    extra = place_lookup(gid) if place_lookup else None
                    if extra is not None:
                        nodes.append(
                            Node(
                                key,
                                "place",
                                extra.name,
                                extra.country_code,
                                f"geonames:{gid}",
                                extra.latitude,
                                extra.longitude,
                                extra.population,
                            )
                        )
                    else:
                        nodes.append(Node(key, "place", name.input_name, name.country_code, f"geonames:{gid}"))
        else:
            key = f"name:{name.id}"
            keys[name.id] = [key]
            where = name.input_country or "country not given"
            nodes.append(Node(key, "name", f"{name.input_name} ({where}; not placed)", name.input_country_code))
    edges: list[Edge] = []
    for pair in layer.pairs:
        for a in keys.get(pair.a, ()):
            for b in keys.get(pair.b, ()):
                edges.append(
                    Edge(
                        a,
                        b,
                        "twin_reference",
                        TWIN_SOURCE_LABEL,
                        weight=2.0,
                        ref=f"twin-towns line {pair.line}",
                        source="reference",
                    )
                )
    return nodes, edges


def _when(engagement: Engagement) -> str:
    day = engagement.on
    if engagement.date_precision == DatePrecision.year:
        return f"{day.year}"
    if engagement.date_precision == DatePrecision.month:
        return f"{day:%Y-%m}"
    return day.isoformat()


def _span(post: Post) -> str:
    start = post.start_date.year if post.start_date else "?"
    end = post.end_date.year if post.end_date else ""
    return f"{start}–{end}"


def workspace_elements(records: WorkspaceRecords) -> tuple[list[Node], list[Edge]]:
    ws = records.workspace
    us = records.us_key
    nodes: list[Node] = [Node(us, "us", records.us_label, ws.country_code, ref=None)]
    edges: list[Edge] = []
    place_keys: dict[str, str] = {}
    place_country: dict[str, str] = {}
    for place in records.places:
        place_country[place.ref] = place.country_code
        key = place_key(place)
        if key is None:
            continue
        place_keys[place.ref] = key
        if key != us:
            nodes.append(
                Node(
                    key,
                    "place",
                    place.name,
                    place.country_code,
                    place.ref,
                    place.latitude,
                    place.longitude,
                    place.population,
                )
            )

    partner_keys = {p.ref: f"partner:{p.ref}" for p in records.partners}
    for partner in records.partners:
        country = partner.country_code or place_country.get(partner.place or "")
        nodes.append(Node(partner_keys[partner.ref], "partner", partner.name, country, partner.ref))
        if partner.place and partner.place in place_keys:
            target = place_keys[partner.place]
            if partner.kind in _GOVERNMENT_KINDS:
                edges.append(
                    Edge(
                        partner_keys[partner.ref],
                        target,
                        "based_in",
                        "the government of",
                        "governed by",
                        weight=0.5,
                        ref=f"partners/{partner.ref}",
                    )
                )
            else:
                edges.append(
                    Edge(
                        partner_keys[partner.ref],
                        target,
                        "based_in",
                        "based in",
                        "home of",
                        weight=1.5 if target == us else 1.2,
                        ref=f"partners/{partner.ref}",
                    )
                )
        if partner.parent and partner.parent in partner_keys:
            edges.append(
                Edge(
                    partner_keys[partner.ref],
                    partner_keys[partner.parent],
                    "part_of",
                    "part of",
                    "includes",
                    weight=1.0,
                    ref=f"partners/{partner.ref}",
                )
            )

    person_keys = {p.ref: f"person:{p.ref}" for p in records.people}
    for person in records.people:
        name = f"{person.honorific} {person.name}" if person.honorific else person.name
        nodes.append(Node(person_keys[person.ref], "person", name, person.country_code, person.ref))
    for post in records.posts:
        who = person_keys.get(post.person)
        if who is None:
            continue
        where = us if post.own_government else partner_keys.get(post.partner or "")
        if where is None:
            continue
        current = post.end_date is None
        edges.append(
            Edge(
                who,
                where,
                "post",
                f"{post.title} ({_span(post)}) at",
                f"whose {post.title} ({_span(post)}) is",
                weight=1.0 if current else 1.5,
                year=post.start_date.year if post.start_date else None,
                ref=f"posts/{post.ref}",
            )
        )

    network_keys = {n.ref: f"network:{n.ref}" for n in records.networks}
    for network in records.networks:
        nodes.append(Node(network_keys[network.ref], "network", network.acronym or network.name, None, network.ref))
        if network.secretariat and network.secretariat in partner_keys and partner_keys[network.secretariat]:
            edges.append(
                Edge(
                    partner_keys[network.secretariat],
                    network_keys[network.ref],
                    "runs",
                    "runs",
                    "run by",
                    weight=1.0,
                    ref=f"networks/{network.ref}",
                )
            )
    for membership in records.memberships:
        net = network_keys.get(membership.network)
        member = us if membership.member is None else partner_keys.get(membership.member)
        if net is None or member is None:
            continue
        since = f" since {membership.start_date.year}" if membership.start_date else ""
        role = label(str(membership.role)).lower()
        edges.append(
            Edge(
                member,
                net,
                "membership",
                f"{role}{since} of",
                f"has as {role}{since}",
                weight=1.5,
                year=membership.start_date.year if membership.start_date else None,
                ref=f"memberships/{membership.ref}",
            )
        )

    for agreement in records.agreements:
        if agreement.status in _SKIP_AGREEMENT:
            continue
        parties = []
        for party in agreement.parties:
            key = us if party.us else place_keys.get(party.place or "") or partner_keys.get(party.partner or "")
            if key and key not in parties:
                parties.append(key)
        signed = agreement.signed_on or agreement.effective_on
        year = signed.year if signed else None
        if agreement.kind in ("sister_city", "friendship_city"):
            words = "sister city" if agreement.kind == "sister_city" else "friendship city"
            text = f"{words} (since {year})" if year else f"{words} ({agreement.status.replace('_', ' ')})"
        else:
            text = f"{label(str(agreement.kind)).lower()} '{agreement.title}'" + (f" ({year})" if year else "")
        weight = _AGREEMENT_WEIGHT.get(agreement.status, 2.0)
        source = "workspace"
        for a, b in combinations(parties, 2):
            edges.append(
                Edge(
                    a,
                    b,
                    "sister_city" if agreement.kind == "sister_city" else "agreement",
                    text,
                    weight=weight,
                    year=year,
                    ref=f"agreements/{agreement.ref}",
                    source=source,
                )
            )

    for engagement in records.engagements:
        if engagement.status == EngagementStatus.cancelled:
            continue
        held = engagement.status == EngagementStatus.held
        verb = label(str(engagement.kind)).lower()
        text = f"{verb} '{engagement.title}' ({_when(engagement)}{'' if held else ', planned'}) with"
        back = f"{verb} '{engagement.title}' ({_when(engagement)}{'' if held else ', planned'}) with"
        weight = 1.0 if held else 2.0
        ref = f"engagements/{engagement.ref}"
        for partner_ref in engagement.partners:
            if partner_ref in partner_keys:
                edges.append(
                    Edge(us, partner_keys[partner_ref], "engagement", text, back, weight, engagement.on.year, ref)
                )
        for participant in engagement.participants:
            if participant.side == "theirs" and participant.person in person_keys:
                edges.append(
                    Edge(us, person_keys[participant.person], "engagement", text, back, weight, engagement.on.year, ref)
                )
    return nodes, edges
