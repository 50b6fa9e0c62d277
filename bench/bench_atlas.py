"""Atlas benchmark: the full twin-town import, graph metrics with python-igraph side by side
with networkx, and the sample for the hand precision check.

    python bench/bench_atlas.py                  # import + graph benchmark -> bench/results/atlas.json
    python bench/bench_atlas.py --database postgresql://postgres@127.0.0.1:5432/citydiplomacy_bench
                                                 # -> bench/results/atlas_postgresql.json
    python bench/bench_atlas.py --precision-sample   # (re)draw the 200 names to check by hand

Budgets (issue 5): full import with resolution < 60 s; graph metrics over the whole
twin-town network < 2 s. Runs on the 2-core dev machine; other work on the machine shows in
the timings, so each graph measurement is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TWIN_FILE = ROOT.parent / "shared" / "data" / "twin_towns_wikipedia.csv"
RESULTS = HERE / "results" / "atlas.json"
SAMPLE = HERE / "atlas_precision_sample.csv"
SAMPLE_SEED = 20261122


def best_of(repeat: int, fn):
    best, value = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return round(best, 4), value


def bench_import(database: str | None) -> tuple[dict, object]:
    from citydiplomacy.bootstrap import open_database
    from citydiplomacy.services import atlas
    from citydiplomacy.services.registry import Actor

    tmp = tempfile.mkdtemp(prefix="atlas-bench-")
    url = database or f"sqlite:///{tmp}/bench.sqlite3"
    engine = open_database(url)
    actor = Actor(name="bench", interface="cli")
    report = Path(tmp) / "report.csv"
    start = time.perf_counter()
    first = atlas.import_twins(engine, TWIN_FILE, actor, report_path=report)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    second = atlas.import_twins(engine, TWIN_FILE, actor)
    second_s = time.perf_counter() - start
    out = {
        "database": engine.dialect.name,
        "pairs": first.rows,
        "skipped_pairs": len(first.skipped),
        "names": first.names,
        "statuses": first.statuses,
        "resolved_share": first.resolved_share,
        "first_import_s": round(first_s, 2),
        "first_import_phases_s": first.seconds,
        "second_import_s": round(second_s, 2),
        "second_import_changed": second.changed,
        "budget_s": 60,
        "within_budget": first_s < 60,
    }
    return out, engine


def bench_graph(engine, repeat: int) -> dict:
    import igraph
    import networkx as nx

    from citydiplomacy.atlas.analytics import BETWEENNESS_SAMPLES, network_metrics
    from citydiplomacy.atlas.graph import AtlasGraph
    from citydiplomacy.atlas.sources import reference_elements
    from citydiplomacy.atlas.store import load_reference

    with engine.connect() as conn:
        load_s, layer = best_of(1, lambda: load_reference(conn))
    elements_s, (nodes, edges) = best_of(repeat, lambda: reference_elements(layer))
    ig_build_s, graph = best_of(repeat, lambda: AtlasGraph(nodes, edges))
    metrics_s, metrics = best_of(repeat, lambda: network_metrics(graph, scope="reference"))

    # the same computations, one by one, in igraph and networkx on the same simple graph
    n = graph.graph.vcount()
    pairs = graph._pairs
    nx_build_s, G = best_of(repeat, lambda: _nx_graph(n, pairs))
    rng_sources = random.Random(7).sample(range(n), BETWEENNESS_SAMPLES)
    us, target = graph.index["place:5368361"], graph.index["place:1673820"]  # Los Angeles -> Kaohsiung
    weights = [e.weight for e in graph.best]
    for (a, b), w in zip(pairs, weights):
        G[a][b]["weight"] = w
    g = graph.graph
    side = {}
    side["degree"] = (best_of(repeat, g.degree)[0], best_of(repeat, lambda: dict(G.degree()))[0])
    side["pagerank"] = (
        best_of(repeat, lambda: g.pagerank(directed=False, implementation="arpack"))[0],
        best_of(repeat, lambda: nx.pagerank(G, weight=None))[0],
    )
    side["louvain_communities"] = (
        best_of(repeat, lambda: g.community_multilevel())[0],
        best_of(1, lambda: nx.community.louvain_communities(G, weight=None, seed=7))[0],
    )
    side["connected_components"] = (
        best_of(repeat, g.connected_components)[0],
        best_of(repeat, lambda: list(nx.connected_components(G)))[0],
    )
    side["bridges"] = (best_of(repeat, g.bridges)[0], best_of(repeat, lambda: list(nx.bridges(G)))[0])
    side[f"betweenness_{BETWEENNESS_SAMPLES}_sources"] = (
        best_of(repeat, lambda: g.betweenness(directed=False, sources=rng_sources))[0],
        best_of(1, lambda: nx.betweenness_centrality(G, k=BETWEENNESS_SAMPLES, seed=7))[0],
    )
    side["3_shortest_weighted_paths"] = (
        best_of(repeat, lambda: g.get_k_shortest_paths(us, to=target, k=3, weights=weights, mode="all"))[0],
        best_of(1, lambda: _nx_k_paths(nx, G, us, target, 3))[0],
    )
    comparison = {
        name: {"igraph_s": a, "networkx_s": b, "networkx_over_igraph": round(b / a, 1) if a else None}
        for name, (a, b) in side.items()
    }
    ig_total = sum(a for a, _b in side.values())
    nx_total = sum(b for _a, b in side.values())
    return {
        "libraries": {"igraph": igraph.__version__, "networkx": nx.__version__},
        "nodes": metrics.nodes,
        "edges": metrics.edges,
        "components": metrics.components,
        "largest_component": metrics.largest_component,
        "communities": metrics.communities,
        "modularity": metrics.modularity,
        "betweenness_method": metrics.betweenness_method,
        "load_reference_from_db_s": load_s,
        "graph_elements_s": elements_s,
        "igraph_build_s": ig_build_s,
        "networkx_build_s": nx_build_s,
        "all_metrics_s": metrics_s,
        "all_metrics_phases_s": metrics.seconds,
        "metrics_budget_s": 2,
        "within_budget": metrics_s < 2,
        "side_by_side": comparison,
        "side_by_side_totals": {
            "igraph_s": round(ig_total, 3),
            "networkx_s": round(nx_total, 3),
            "networkx_over_igraph": round(nx_total / ig_total, 1),
        },
        "top_degree": [(s.label, s.country_code, s.degree) for s in metrics.degree_top[:5]],
        "top_betweenness": [(s.label, s.country_code, s.value) for s in metrics.betweenness_top[:5]],
    }


def _nx_graph(n, pairs):
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(pairs)
    return G


def _nx_k_paths(nx, G, s, t, k):
    out = []
    for path in nx.shortest_simple_paths(G, s, t, weight="weight"):
        out.append(path)
        if len(out) == k:
            break
    return out


def draw_precision_sample(engine, n: int = 200) -> int:
    """200 resolved names drawn with a fixed seed, with the pair they came from, to judge by hand.

    Judgments already written in the file are kept (matched on input name and country)."""
    from sqlalchemy import select

    from citydiplomacy.adapters.db import tables as t

    kept: dict[tuple[str, str], dict] = {}
    if SAMPLE.exists():
        with SAMPLE.open(encoding="utf-8") as handle:
            kept = {(r["input_name"], r["input_country"]): r for r in csv.DictReader(handle)}
    with engine.connect() as conn:
        names = {r.id: r for r in conn.execute(select(t.atlas_twin_names))}
        partners: dict[int, list[str]] = {}
        for p in conn.execute(select(t.atlas_twin_pairs)):
            a, b = names[p.name_a_id], names[p.name_b_id]
            partners.setdefault(a.id, []).append(f"{b.input_name} ({b.input_country})")
            partners.setdefault(b.id, []).append(f"{a.input_name} ({a.input_country})")
    resolved = sorted(
        (r for r in names.values() if r.status == "resolved"), key=lambda r: (r.input_name, r.input_country)
    )
    chosen = random.Random(SAMPLE_SEED).sample(resolved, n)
    columns = ["input_name", "input_country", "partner", "resolved", "judgment", "note"]
    with SAMPLE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for r in chosen:
            old = kept.get((r.input_name, r.input_country), {})
            place = (
                f"{r.resolved_name} | {r.admin1 or '-'} | {r.country_code} | {r.latitude:.3f},{r.longitude:.3f} | "
                f"pop {r.population:,} | geonames {';'.join(map(str, r.geonames_ids))}"
            )
            writer.writerow(
                {
                    "input_name": r.input_name,
                    "input_country": r.input_country,
                    "partner": "; ".join(partners.get(r.id, [])[:2]),
                    "resolved": place,
                    "judgment": old.get("judgment", ""),
                    "note": old.get("note", ""),
                }
            )
    return n


def precision_summary() -> dict | None:
    if not SAMPLE.exists():
        return None
    with SAMPLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = {k: sum(1 for r in rows if r["judgment"] == k) for k in ("correct", "wrong", "unsure")}
    judged = counts["correct"] + counts["wrong"]
    return {
        "sample": len(rows),
        "seed": SAMPLE_SEED,
        **counts,
        "precision": round(counts["correct"] / judged, 4) if judged else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="Database URL (default: a fresh SQLite file in a temp dir).")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--precision-sample", action="store_true", help="(Re)draw the hand-check sample.")
    args = parser.parse_args()
    if not TWIN_FILE.exists():
        print(f"missing {TWIN_FILE}", file=sys.stderr)
        return 2
    imported, engine = bench_import(args.database)
    print(json.dumps(imported, indent=2))
    if args.precision_sample:
        draw_precision_sample(engine)
        print(f"wrote {SAMPLE}")
    graph = bench_graph(engine, args.repeat)
    print(json.dumps(graph, indent=2))
    result = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "import": imported,
        "graph": graph,
        "precision": precision_summary(),
    }
    target = RESULTS if imported["database"] == "sqlite" else RESULTS.with_name(f"atlas_{imported['database']}.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
