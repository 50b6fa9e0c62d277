"""Metrics over an :class:`AtlasGraph` and a workspace's records: who is central, which
communities form, which places bridge regions, country aggregates and change over time."""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict

import pycountry

from ..domain.vocab import AgreementStatus, EngagementStatus
from .graph import AtlasGraph
from .models import (
    CommunitySummary,
    CountryAggregate,
    NetworkMetrics,
    NodeScore,
    RegionBroker,
    RegionLink,
    YearRow,
)
from .sources import WorkspaceRecords, place_key

__all__ = ["BETWEENNESS_SAMPLES", "country_name", "network_metrics", "timeline", "workspace_countries"]

#: Betweenness is estimated from this many sampled sources (Brandes & Pich 2007) on large graphs:
#: exact betweenness of the 17,000-place twin-town network takes ~40 s here, the estimate ~0.5 s.
#: Against the exact values, 7 of the estimate's top 10 (12 of its top 20) are in the exact top 10
#: (20); pass ``samples=0`` for exact values.
BETWEENNESS_SAMPLES = 256


def country_name(code: str | None) -> str:
    if not code:
        return "unknown"
    if code.upper() == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code.upper())
    return getattr(country, "common_name", None) or (country.name if country else code)


def _scores(graph: AtlasGraph, values, degrees, top: int, kinds: set[str] | None = None) -> list[NodeScore]:
    order = sorted(range(len(values)), key=lambda i: (-values[i], graph.nodes[i].label))
    out = []
    for i in order:
        node = graph.nodes[i]
        if kinds and node.kind not in kinds:
            continue
        out.append(
            NodeScore(
                key=node.key,
                label=node.label,
                kind=node.kind,
                country_code=node.country_code,
                ref=node.ref,
                value=round(float(values[i]), 6),
                degree=degrees[i],
            )
        )
        if len(out) >= top:
            break
    return out


def _betweenness(graph: AtlasGraph, samples: int, seed: int) -> tuple[list[float], str]:
    n = graph.graph.vcount()
    if n <= 2:
        return [0.0] * n, "exact"
    scale = 2.0 / ((n - 1) * (n - 2))
    if samples <= 0 or n <= samples * 2:
        raw = graph.graph.betweenness(directed=False)
        return [v * scale for v in raw], "exact (unweighted shortest paths)"
    sources = random.Random(seed).sample(range(n), samples)
    raw = graph.graph.betweenness(directed=False, sources=sources)
    factor = n / samples
    # pairs (s, t) are counted once per sampled source s: scale up and normalise as for exact values
    return [v * factor * scale / 2 for v in raw], f"estimated from {samples} sampled sources (seed {seed})"


def network_metrics(
    graph: AtlasGraph,
    *,
    scope: str,
    top: int = 15,
    samples: int = BETWEENNESS_SAMPLES,
    seed: int = 7,
    node_kinds: set[str] | None = None,
) -> NetworkMetrics:
    """All metrics of the network page; ``seconds`` says what each took."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 4)
        clock = now

    degrees = graph.degrees()
    degree_top = _scores(graph, degrees, degrees, top, node_kinds)
    lap("degree")
    between, method = _betweenness(graph, samples, seed)
    between_top = _scores(graph, between, degrees, top, node_kinds)
    lap("betweenness")
    rank = graph.pagerank()
    rank_top = _scores(graph, rank, degrees, top, node_kinds)
    lap("pagerank")
    membership, modularity = graph.communities(seed)
    lap("communities")
    groups: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(membership):
        groups[c].append(i)
    biggest = sorted(groups.items(), key=lambda kv: -len(kv[1]))[:top]
    communities_top = []
    for cid, members in biggest:
        members.sort(key=lambda i: -degrees[i])
        countries = Counter(graph.nodes[i].country_code for i in members if graph.nodes[i].country_code)
        regions = Counter(graph.nodes[i].region for i in members if graph.nodes[i].region)
        communities_top.append(
            CommunitySummary(
                id=cid,
                size=len(members),
                members=[graph.nodes[i].label for i in members[:8]],
                countries=countries.most_common(5),
                regions=regions.most_common(3),
            )
        )
    components = graph.components()
    bridges = graph.bridge_edges()
    lap("components_and_bridges")
    matrix, reach = graph.region_links()
    links = [RegionLink(region_a=a, region_b=b, ties=n) for (a, b), n in matrix.most_common(top)]
    brokers = sorted(reach.items(), key=lambda kv: (-len(kv[1]), -degrees[kv[0]]))[:top]
    region_brokers = [
        RegionBroker(
            key=graph.nodes[i].key,
            label=graph.nodes[i].label,
            country_code=graph.nodes[i].country_code,
            region=graph.nodes[i].region,
            other_regions=sorted(regs),
            ties=degrees[i],
        )
        for i, regs in brokers
    ]
    lap("regions")
    countries = _graph_countries(graph, top)
    lap("countries")
    return NetworkMetrics(
        scope=scope,
        nodes=graph.graph.vcount(),
        edges=graph.graph.ecount(),
        components=len(components),
        largest_component=max((len(c) for c in components), default=0),
        degree_top=degree_top,
        betweenness_top=between_top,
        betweenness_method=method,
        pagerank_top=rank_top,
        communities=len(groups),
        modularity=round(modularity, 4),
        communities_top=communities_top,
        bridge_edges=len(bridges),
        region_links=links,
        region_brokers=region_brokers,
        countries=countries,
        seconds=seconds,
    )


def _graph_countries(graph: AtlasGraph, top: int) -> list[CountryAggregate]:
    places: Counter = Counter()
    ties: Counter = Counter()
    abroad: Counter = Counter()
    partners: dict[str, Counter] = defaultdict(Counter)
    for node in graph.nodes:
        if node.country_code and node.kind in ("place", "name", "us"):
            places[node.country_code] += 1
    for ia, ib in graph._pairs:
        ca, cb = graph.nodes[ia].country_code, graph.nodes[ib].country_code
        if not ca or not cb:
            continue
        ties[ca] += 1
        if ca != cb:
            ties[cb] += 1
            abroad[ca] += 1
            abroad[cb] += 1
            partners[ca][cb] += 1
            partners[cb][ca] += 1
    out = []
    for code, count in ties.most_common(top * 4):
        out.append(
            CountryAggregate(
                country_code=code,
                country=country_name(code),
                places=places[code],
                ties=count,
                international_ties=abroad[code],
                top_partner_countries=partners[code].most_common(5),
            )
        )
    return out


# -- a workspace's own records ---------------------------------------------------------


def _partner_countries(records: WorkspaceRecords) -> dict[str, str | None]:
    place_country = {p.ref: p.country_code for p in records.places}
    return {p.ref: p.country_code or place_country.get(p.place or "") for p in records.partners}


def workspace_countries(records: WorkspaceRecords) -> list[CountryAggregate]:
    """Per country: engagements, agreements, partners, people and sister cities of the workspace."""
    partner_country = _partner_countries(records)
    place_country = {p.ref: p.country_code for p in records.places}
    home = records.workspace.country_code
    rows: dict[str, CountryAggregate] = {}

    def row(code: str) -> CountryAggregate:
        if code not in rows:
            rows[code] = CountryAggregate(country_code=code, country=country_name(code))
        return rows[code]

    for code in partner_country.values():
        if code:
            row(code).partners += 1
    for person in records.people:
        if person.country_code and person.country_code != home:
            row(person.country_code).people += 1
    for engagement in records.engagements:
        if engagement.status == EngagementStatus.cancelled:
            continue
        codes = {partner_country.get(p) for p in engagement.partners} - {None}
        if not codes and engagement.venue_place:
            codes = {place_country.get(engagement.venue_place)} - {None}
        for code in codes:
            row(code).engagements += 1
    for agreement in records.agreements:
        codes = set()
        for party in agreement.parties:
            if party.place:
                codes.add(place_country.get(party.place))
            if party.partner:
                codes.add(partner_country.get(party.partner))
        codes -= {None}
        for code in codes:
            row(code).agreements += 1
            if agreement.kind == "sister_city" and any(p.us for p in agreement.parties):
                row(code).sister_cities += 1
    return sorted(rows.values(), key=lambda r: (-(r.engagements + r.agreements), r.country))


def timeline(records: WorkspaceRecords) -> list[YearRow]:
    """Change over time: per year, engagements held, agreements signed, the running count of
    sister cities, memberships started, partners met for the first time, countries engaged."""
    years: dict[int, YearRow] = {}
    partner_country = _partner_countries(records)

    def year(y: int) -> YearRow:
        if y not in years:
            years[y] = YearRow(year=y)
        return years[y]

    first_met: dict[str, int] = {}
    countries: dict[int, set[str]] = defaultdict(set)
    for engagement in records.engagements:
        if engagement.status != EngagementStatus.held:
            continue
        y = engagement.on.year
        year(y).engagements += 1
        for partner in engagement.partners:
            first_met[partner] = min(first_met.get(partner, y), y)
            if partner_country.get(partner):
                countries[y].add(partner_country[partner])
    for y in first_met.values():
        year(y).new_partners += 1
    sister_years = []
    for agreement in records.agreements:
        signed = agreement.signed_on or agreement.effective_on
        if signed is None:
            continue
        year(signed.year).agreements_signed += 1
        if agreement.kind == "sister_city" and agreement.status not in (
            AgreementStatus.terminated,
            AgreementStatus.lapsed,
        ):
            sister_years.append(signed.year)
    for membership in records.memberships:
        if membership.start_date:
            year(membership.start_date.year).memberships_started += 1
    for y, members in countries.items():
        year(y).countries = len(members)
    for row in years.values():
        row.sister_cities_total = sum(1 for s in sister_years if s <= row.year)
    return [years[y] for y in sorted(years)]


def our_places(records: WorkspaceRecords) -> set[str]:
    """Graph keys of the places tied to us by our own agreements (our sister and partner cities)."""
    by_ref = {p.ref: p for p in records.places}
    out = set()
    for agreement in records.agreements:
        if not any(p.us for p in agreement.parties):
            continue
        for party in agreement.parties:
            if party.place and party.place in by_ref:
                key = place_key(by_ref[party.place])
                if key:
                    out.add(key)
    return out
