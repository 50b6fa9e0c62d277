"""The relationship graph: nodes and explained edges, metrics and introduction paths.

Built on python-igraph (C core): betweenness, Louvain communities, bridges and k-shortest
weighted paths on the whole twin-town network run well inside the 2-second budget
(see docs/atlas.md and bench/bench_atlas.py for the comparison with networkx).

Pure functions: the graph is made from plain :class:`Node` and :class:`Edge` values, so it can
be tested on a small constructed graph and fed from a workspace plus the reference layer.
"""

from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import igraph as ig

from .regions import continent_of, region_of

__all__ = ["AtlasGraph", "Edge", "IntroductionPath", "Node", "Step"]


@dataclass(frozen=True)
class Node:
    key: str  # "place:5368361", "partner:consulate-japan-la", "person:…", "network:c40", "name:17"
    kind: str  # us, place, partner, person, network, name
    label: str
    country_code: str | None = None
    ref: str | None = None  # record ref in the workspace, for click-through
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None

    @property
    def region(self) -> str | None:
        return region_of(self.country_code)

    @property
    def continent(self) -> str | None:
        return continent_of(self.country_code)


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str  # sister_city, twin_reference, engagement, post, membership, based_in, agreement, part_of, runs
    label_ab: str  # how the tie reads from a to b ("sister city (since 1971)")
    label_ba: str | None = None  # from b to a, when it reads differently ("post held by")
    weight: float = 1.0  # lower is more trusted; paths minimise the sum
    year: int | None = None
    ref: str | None = None  # the record behind the tie ("agreements/sister-city-busan")
    source: str = "workspace"  # workspace or reference

    def reads(self, forward: bool) -> str:
        return self.label_ab if forward or not self.label_ba else self.label_ba


@dataclass
class Step:
    from_key: str
    from_label: str
    relation: str
    to_key: str
    to_label: str
    kind: str
    source: str
    evidence: str | None = None
    year: int | None = None


@dataclass
class IntroductionPath:
    steps: list[Step]
    cost: float

    @property
    def text(self) -> str:
        if not self.steps:
            return ""
        parts = [self.steps[0].from_label]
        for step in self.steps:
            parts += [step.relation, step.to_label]
        return " — ".join(parts)

    @property
    def hops(self) -> int:
        return len(self.steps)


@dataclass
class AtlasGraph:
    nodes: list[Node]
    edges: list[Edge]
    index: dict[str, int] = field(init=False)
    graph: ig.Graph = field(init=False)
    #: one edge per node pair (the most trusted); metrics and paths use this simple graph
    best: list[Edge] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {}
        unique_nodes: list[Node] = []
        for node in self.nodes:
            if node.key not in self.index:
                self.index[node.key] = len(unique_nodes)
                unique_nodes.append(node)
        self.nodes = unique_nodes
        chosen: dict[tuple[int, int], Edge] = {}
        for edge in self.edges:
            ia, ib = self.index.get(edge.a), self.index.get(edge.b)
            if ia is None or ib is None or ia == ib:
                continue
            pair = (ia, ib) if ia < ib else (ib, ia)
            current = chosen.get(pair)
            if current is None or edge.weight < current.weight:
                chosen[pair] = edge
        self.best = list(chosen.values())
        self._pairs = list(chosen)
        self.graph = ig.Graph(n=len(self.nodes), edges=self._pairs, directed=False)
        self.graph.es["weight"] = [e.weight for e in self.best]

    # -- lookups -------------------------------------------------------------------
    def node(self, key: str) -> Node | None:
        i = self.index.get(key)
        return self.nodes[i] if i is not None else None

    def neighbours(self, key: str) -> list[tuple[Node, Edge]]:
        i = self.index.get(key)
        if i is None:
            return []
        out = []
        for eid in self.graph.incident(i):
            a, b = self._pairs[eid]
            other = b if a == i else a
            out.append((self.nodes[other], self.best[eid]))
        return out

    def degree(self, key: str) -> int:
        i = self.index.get(key)
        return self.graph.degree(i) if i is not None else 0

    # -- metrics -------------------------------------------------------------------
    def degrees(self) -> list[int]:
        return self.graph.degree()

    def betweenness(self) -> list[float]:
        """Normalised betweenness (share of shortest paths through a node), unweighted."""
        n = self.graph.vcount()
        raw = self.graph.betweenness(directed=False)
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        return [v * scale for v in raw]

    def pagerank(self) -> list[float]:
        return self.graph.pagerank(directed=False, implementation="arpack")  # PRPACK is ~3x slower here

    def communities(self, seed: int = 7) -> tuple[list[int], float]:
        """Louvain (multilevel) communities: membership per node and the modularity."""
        import random

        # igraph's Louvain visits nodes in random order: a seeded generator makes results repeatable
        ig.set_random_number_generator(random.Random(seed))
        try:
            clustering = self.graph.community_multilevel(weights=None)
        finally:
            ig.set_random_number_generator(random)
        return clustering.membership, clustering.modularity

    def bridge_edges(self) -> list[int]:
        """Edges whose removal disconnects part of the network (graph-theoretic bridges)."""
        return self.graph.bridges()

    def components(self) -> list[list[int]]:
        return [list(c) for c in self.graph.connected_components()]

    def region_links(self) -> tuple[Counter, dict[int, set[str]]]:
        """Counts of ties between sub-regions, and for each node the other regions it ties to."""
        matrix: Counter = Counter()
        reach: dict[int, set[str]] = defaultdict(set)
        regions = [n.region for n in self.nodes]
        for ia, ib in self._pairs:
            ra, rb = regions[ia], regions[ib]
            if not ra or not rb or ra == rb:
                continue
            matrix[tuple(sorted((ra, rb)))] += 1
            reach[ia].add(rb)
            reach[ib].add(ra)
        return matrix, reach

    # -- paths ---------------------------------------------------------------------
    def paths(self, source: str, target: str, k: int = 3) -> list[IntroductionPath]:
        """Up to ``k`` most trusted chains from source to target (Yen's k-shortest paths)."""
        s, t = self.index.get(source), self.index.get(target)
        if s is None or t is None or s == t:
            return []
        weights = [e.weight for e in self.best]
        with warnings.catch_warnings():  # "couldn't reach some vertices" is an answer here, not a problem
            warnings.simplefilter("ignore", RuntimeWarning)
            found = self.graph.get_k_shortest_paths(s, to=t, k=k, weights=weights, mode="all", output="epath")
        out = []
        for epath in found:
            if not epath:
                continue
            out.append(self._explain(s, epath))
        return out

    def _explain(self, start: int, epath: list[int]) -> IntroductionPath:
        steps: list[Step] = []
        here = start
        cost = 0.0
        for eid in epath:
            a, b = self._pairs[eid]
            edge = self.best[eid]
            there = b if a == here else a
            forward = self.nodes[here].key == edge.a
            steps.append(
                Step(
                    self.nodes[here].key,
                    self.nodes[here].label,
                    edge.reads(forward),
                    self.nodes[there].key,
                    self.nodes[there].label,
                    edge.kind,
                    edge.source,
                    edge.ref,
                    edge.year,
                )
            )
            cost += edge.weight
            here = there
        return IntroductionPath(steps, round(cost, 3))
