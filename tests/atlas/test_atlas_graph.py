"""Graph queries on a small constructed network: degree, communities, bridges, explained paths."""

from __future__ import annotations

from itertools import combinations

from citydiplomacy.atlas.analytics import network_metrics
from citydiplomacy.atlas.graph import AtlasGraph, Edge, Node
from citydiplomacy.atlas.sources import TWIN_SOURCE_LABEL


def _town(key: str, label: str, cc: str) -> Node:
    return Node(f"place:{key}", "place", label, cc)


def _twin(a: str, b: str) -> Edge:
    return Edge(f"place:{a}", f"place:{b}", "twin_reference", TWIN_SOURCE_LABEL, weight=2.0, source="reference")


def small_world() -> AtlasGraph:
    """Two tight clusters (Europe, East Asia) joined by one tie, plus us with our own records."""
    nodes = [
        Node("place:1", "us", "Los Angeles", "US"),
        _town("2", "Busan", "KR"),
        _town("3", "Kaohsiung", "TW"),
        _town("4", "Osaka", "JP"),
        _town("5", "Shanghai", "CN"),
        _town("6", "Lyon", "FR"),
        _town("7", "Turin", "IT"),
        _town("8", "Frankfurt", "DE"),
        _town("9", "Barcelona", "ES"),
        Node("partner:consulate-kr", "partner", "Consulate General of Korea", "KR"),
        Node("person:kim", "person", "Kim Min-jun", "KR"),
        Node("network:c40", "network", "C40"),
    ]
    edges = [
        Edge(
            "place:1",
            "place:2",
            "sister_city",
            "sister city (since 1971)",
            weight=1.0,
            year=1971,
            ref="agreements/sister-city-busan",
        )
    ]
    edges += [_twin(a, b) for a, b in combinations("2345", 2)]
    edges += [_twin(a, b) for a, b in combinations("6789", 2)]
    edges.append(_twin("5", "6"))  # the only tie between the clusters
    edges.append(
        Edge(
            "person:kim",
            "partner:consulate-kr",
            "post",
            "Consul General (2020–) at",
            "whose Consul General (2020–) is",
            ref="posts/kim/consul-general/2020",
        )
    )
    edges.append(
        Edge(
            "place:1",
            "person:kim",
            "engagement",
            "meeting 'Courtesy call' (2021-05) with",
            weight=1.0,
            ref="engagements/2021-05-01-courtesy-call",
        )
    )
    edges.append(Edge("place:1", "network:c40", "membership", "member of", "has as member", weight=1.5))
    edges.append(Edge("place:9", "network:c40", "membership", "member of", "has as member", weight=1.5))
    return AtlasGraph(nodes, edges)


def test_degree_counts_distinct_neighbours():
    graph = small_world()
    assert graph.degree("place:2") == 4  # Los Angeles + three Asian twins
    assert graph.degree("place:5") == 4  # three Asian twins + Lyon
    assert graph.degree("person:kim") == 2


def test_communities_follow_the_clusters_and_the_bridge_is_found():
    graph = small_world()
    membership, modularity = graph.communities()
    asia = {membership[graph.index[f"place:{k}"]] for k in "2345"}
    europe = {membership[graph.index[f"place:{k}"]] for k in "6789"}
    assert len(asia) == 1 and len(europe) == 1 and asia != europe
    assert modularity > 0.2
    bridges = {
        tuple(sorted((graph.nodes[a].label, graph.nodes[b].label)))
        for a, b in (graph._pairs[e] for e in graph.bridge_edges())
    }
    assert ("Lyon", "Shanghai") not in bridges  # Barcelona–C40–LA–Busan closes a cycle around it
    assert ("Consulate General of Korea", "Kim Min-jun") in bridges


def test_an_introduction_path_is_explained_step_by_step():
    graph = small_world()
    paths = graph.paths("place:1", "place:3", k=2)
    best = paths[0]
    assert best.text == (
        "Los Angeles — sister city (since 1971) — Busan — sister city of (Wikipedia's list) — Kaohsiung"
    )
    assert [(s.from_label, s.to_label, s.source) for s in best.steps] == [
        ("Los Angeles", "Busan", "workspace"),
        ("Busan", "Kaohsiung", "reference"),
    ]
    assert best.steps[0].evidence == "agreements/sister-city-busan" and best.steps[0].year == 1971
    assert best.cost == 3.0
    assert paths[1].cost > best.cost


def test_a_tie_reads_differently_in_each_direction():
    graph = small_world()
    [path] = graph.paths("place:1", "partner:consulate-kr", k=1)
    assert path.text == (
        "Los Angeles — meeting 'Courtesy call' (2021-05) with — Kim Min-jun — Consul General "
        "(2020–) at — Consulate General of Korea"
    )
    [back] = graph.paths("partner:consulate-kr", "person:kim", k=1)
    assert back.steps[0].relation == "whose Consul General (2020–) is"


def test_a_network_shortcut_is_used_when_it_is_more_trusted():
    graph = small_world()
    best = graph.paths("place:1", "place:9", k=1)[0]
    assert [s.to_label for s in best.steps] == ["C40", "Barcelona"]
    assert "member of" in best.text


def test_no_path_to_an_unconnected_place():
    graph = AtlasGraph([Node("place:1", "us", "Los Angeles", "US"), _town("2", "Nowhere", "FR")], [])
    assert graph.paths("place:1", "place:2") == []


def test_metrics_name_the_regions_bridged():
    metrics = network_metrics(small_world(), scope="test", top=5)
    assert metrics.nodes == 12 and metrics.components == 1
    assert metrics.degree_top[0].degree == 4
    assert metrics.betweenness_method.startswith("exact")
    assert metrics.betweenness_top[0].label in ("Shanghai", "Lyon", "Los Angeles", "Busan")
    pairs = {(link.region_a, link.region_b) for link in metrics.region_links}
    assert ("Eastern Asia", "Western Europe") in pairs
    kr = next(c for c in metrics.countries if c.country_code == "KR")
    assert kr.international_ties >= 3
