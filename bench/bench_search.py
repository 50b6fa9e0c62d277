#!/usr/bin/env python
"""Benchmark practice search: quality on the real library, latency at 100,000 practices.

    python bench/bench_search.py [--quality-only | --speed-only] [--backend sqlite|postgresql]
                                 [--n 100000] [--queries 300] [--seed 6]

1. **Quality**: imports the 81-practice library into a fresh database, runs every query
   of ``bench/eval/practice_queries.yaml`` in lexical, semantic and hybrid mode through
   ``services.practices.search_practices`` and reports nDCG@10 (graded, gain 2^rel - 1)
   and recall@10 (practices judged 2 or 3 count as relevant).
2. **Speed**: adds N synthetic practices to another workspace and times the full
   service call (query parsing, SQL, fusion, highlights, result models) for lexical
   and hybrid search; prints p50/p95. The synthetic texts recombine sentences of the
   real summaries with random titles, topics, countries and years. Their vectors are
   NOT computed by the model (that would take hours on 2 CPU cores): each is the
   embedding of a random real practice plus Gaussian noise, renormalised. Query
   embeddings ARE computed by the model, inside the timed hybrid call.

Needs the semantic extra (``pip install 'citydiplomacy[semantic]'``) for semantic and
hybrid numbers. Results are printed and written to ``bench/results/search.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import yaml  # noqa: E402

from citydiplomacy.bootstrap import open_database  # noqa: E402
from citydiplomacy.services import practices as svc  # noqa: E402
from citydiplomacy.services.registry import Actor, create_workspace  # noqa: E402

EVAL = REPO / "bench" / "eval" / "practice_queries.yaml"
ACTOR = Actor(name="bench", interface="python")


def load_eval() -> list[dict]:
    return yaml.safe_load(EVAL.read_text(encoding="utf-8"))["queries"]


def ndcg_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** judgments.get(slug, 0) - 1) / math.log2(i + 2) for i, slug in enumerate(ranked[:k]))
    ideal = sorted(judgments.values(), reverse=True)[:k]
    idcg = sum((2**rel - 1) / math.log2(i + 2) for i, rel in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    relevant = {slug for slug, rel in judgments.items() if rel >= 2}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def database_url(backend: str, tmp: Path) -> tuple[str, object]:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'bench.sqlite3'}", None
    from tests.fixtures.database import PostgresDatabase

    database = PostgresDatabase()
    return database.create(), database


def new_workspace(engine, prefix: str) -> str:
    slug = f"{prefix}-{uuid.uuid4().hex[:8]}"
    create_workspace(
        engine,
        {"slug": slug, "name": "City of Los Angeles", "country_code": "US", "timezone": "America/Los_Angeles"},
        ACTOR,
    )
    return slug


def quality(engine) -> dict:
    workspace = new_workspace(engine, "quality")
    report = svc.import_shared_library(engine, workspace, ACTOR)
    print(f"library: {report.summary()}")
    queries = load_eval()
    out: dict = {"queries": len(queries), "modes": {}}
    per_query: dict[str, dict] = {}
    for mode in ("lexical", "semantic", "hybrid"):
        ndcgs, recalls = [], []
        for item in queries:
            results = svc.search_practices(engine, workspace, item["query"], ACTOR, mode=mode, limit=10)
            ranked = [hit.practice.slug for hit in results.hits]
            ndcgs.append(ndcg_at(ranked, item["judgments"]))
            recalls.append(recall_at(ranked, item["judgments"]))
            per_query.setdefault(item["id"], {})[mode] = round(ndcgs[-1], 3)
        out["modes"][mode] = {
            "ndcg@10": round(statistics.mean(ndcgs), 4),
            "recall@10": round(statistics.mean(recalls), 4),
        }
    rrf = rrf_baseline(engine, workspace, queries)
    out["modes"]["hybrid-rrf60 (baseline, not used)"] = rrf
    out["per_query_ndcg@10"] = per_query
    print(f"\nQuality over {len(queries)} queries (bench/eval/practice_queries.yaml):")
    print(f"  {'mode':<34} {'nDCG@10':>8} {'recall@10':>10}")
    for mode, numbers in out["modes"].items():
        print(f"  {mode:<34} {numbers['ndcg@10']:>8.4f} {numbers['recall@10']:>10.4f}")
    # The fusion weight was chosen on the even-numbered queries; the odd ones are held out.
    for half, name in ((0, "even (weight chosen here)"), (1, "odd (held out)")):
        ids = [q["id"] for q in queries[half::2]]
        row = {m: round(statistics.mean(per_query[i][m] for i in ids), 4) for m in ("lexical", "semantic", "hybrid")}
        out.setdefault("halves_ndcg@10", {})[name] = row
        print(
            f"  nDCG@10 on {name:<26} lexical {row['lexical']:.4f}  semantic {row['semantic']:.4f}  hybrid {row['hybrid']:.4f}"
        )
    return out


def rrf_baseline(engine, workspace: str, queries: list[dict], k: int = 60) -> dict:
    """Reciprocal rank fusion over the same candidate lists, for comparison (docs/exchange.md)."""
    from citydiplomacy.exchange.embeddings import get_embedder
    from citydiplomacy.exchange.search import CANDIDATES, lexical_candidates, semantic_candidates
    from citydiplomacy.exchange.store import read_practices
    from citydiplomacy.exchange.vector_index import indexes_for
    from citydiplomacy.services.unit_of_work import UnitOfWork

    ndcgs, recalls = [], []
    with UnitOfWork(engine, workspace, write=False) as uow:
        for item in queries:
            lexical = lexical_candidates(uow.conn, uow.workspace_id, item["query"], None, ACTOR.visible, CANDIDATES)
            semantic = semantic_candidates(
                uow.conn,
                indexes_for(engine),
                uow.workspace_id,
                get_embedder().encode_one(item["query"]),
                None,
                ACTOR.visible,
                CANDIDATES,
            )
            scores: dict[int, float] = {}
            for ranked in (lexical, semantic):
                for rank, (pid, _) in enumerate(ranked, start=1):
                    scores[pid] = scores.get(pid, 0.0) + 1.0 / (k + rank)
            top = [pid for pid, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:10]]
            slugs = read_practices(uow.conn, top)
            ranked_slugs = [slugs[pid].practice.slug for pid in top]
            ndcgs.append(ndcg_at(ranked_slugs, item["judgments"]))
            recalls.append(recall_at(ranked_slugs, item["judgments"]))
    return {"ndcg@10": round(statistics.mean(ndcgs), 4), "recall@10": round(statistics.mean(recalls), 4)}


# -- speed ----------------------------------------------------------------------------------

WORDS = [
    "programme",
    "pilot",
    "network",
    "scheme",
    "plan",
    "strategy",
    "centre",
    "service",
    "fund",
    "platform",
    "policy",
    "initiative",
    "district",
    "corridor",
    "council",
    "campaign",
]


def synthetic_rows(n: int, seed: int, library: list[dict]):
    """Synthetic practices recombined from the real library (texts) and perturbed real vectors."""
    rng = random.Random(seed)
    sentences = [s.strip() + "." for rec in library for s in rec["summary"].split(". ") if len(s) > 30]
    topics = sorted({t for rec in library for t in rec["topics"]})
    countries = sorted({rec["country"] for rec in library})
    for i in range(n):
        base = rng.choice(library)
        title_words = rng.sample(base["title"].split(), k=min(4, len(base["title"].split())))
        yield (
            i,
            base,
            {
                "slug": f"synthetic-{i:06d}",
                "title": " ".join(title_words + [rng.choice(WORDS), str(i)]),
                "summary": " ".join(rng.sample(sentences, 3)),
                "country_code": rng.choice(countries),
                "year_started": rng.randint(1960, 2025),
                "topics": rng.sample(topics, 3),
                "sdgs": rng.sample(range(1, 18), 2),
                "source": "synthetic (bench/bench_search.py)",
            },
        )


def load_synthetic(engine, workspace: str, n: int, seed: int) -> float:
    """Bulk-load N synthetic practices with their full-text entries and (synthetic) vectors."""
    import numpy as np
    import sqlalchemy as sa

    from citydiplomacy.adapters.db import tables as t
    from citydiplomacy.exchange import lexical
    from citydiplomacy.exchange.embeddings import MODEL_NAME, get_embedder
    from citydiplomacy.exchange.models import Practice
    from citydiplomacy.exchange.store import _row_values
    from citydiplomacy.exchange.text import document_for, embedding_text, text_hash
    from citydiplomacy.exchange.vector_index import bump_generation, vector_to_bytes
    from citydiplomacy.services.unit_of_work import UnitOfWork

    library = [json.loads(line) for line in svc.shared_library_path().read_text(encoding="utf-8").splitlines() if line]
    print(f"embedding the {len(library)} real practices (the synthetic vectors are perturbations of these)...")
    real = get_embedder().encode(
        [
            embedding_text(
                Practice.model_validate(
                    {
                        ("slug" if k == "id" else "country_code" if k == "country" else k): v
                        for k, v in rec.items()
                        if k not in ("adopters",)
                    }
                )
            )
            for rec in library
        ]
    )
    rng = np.random.default_rng(seed)
    by_id = {rec["id"]: i for i, rec in enumerate(library)}
    started = time.perf_counter()
    batch = 2000
    with UnitOfWork(engine, workspace) as uow:
        now = uow.now
        rows = list(synthetic_rows(n, seed, library))
        for start in range(0, n, batch):
            chunk = rows[start : start + batch]
            practices = [Practice.model_validate(data) for _, _, data in chunk]
            values = [
                _row_values(p) | {"workspace_id": uow.workspace_id, "created_at": now, "updated_at": now}
                for p in practices
            ]
            ids = [
                r.id
                for r in uow.conn.execute(
                    t.practices.insert().returning(t.practices.c.id, sort_by_parameter_order=True), values
                )
            ]
            uow.conn.execute(
                t.practice_topics.insert(),
                [
                    {"workspace_id": uow.workspace_id, "practice_id": pid, "topic": topic}
                    for pid, p in zip(ids, practices)
                    for topic in p.topics
                ],
            )
            uow.conn.execute(
                t.practice_sdgs.insert(),
                [
                    {"workspace_id": uow.workspace_id, "practice_id": pid, "goal": goal}
                    for pid, p in zip(ids, practices)
                    for goal in p.sdgs
                ],
            )
            lexical.write_many(
                uow.conn, [(pid, document_for(p, v["region"])) for pid, p, v in zip(ids, practices, values)]
            )
            base = real[[by_id[b["id"]] for _, b, _ in chunk]]
            noisy = base + rng.normal(0, 0.35 / math.sqrt(base.shape[1]), base.shape).astype(np.float32)
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
            uow.conn.execute(
                t.practice_embeddings.insert(),
                [
                    {
                        "workspace_id": uow.workspace_id,
                        "practice_id": pid,
                        "model": MODEL_NAME,
                        "dimensions": 384,
                        "text_hash": text_hash(p.slug),
                        "vector": vector_to_bytes(vec),
                        "embedded_at": now,
                    }
                    for pid, p, vec in zip(ids, practices, noisy)
                ],
            )
            print(f"\r  loaded {start + len(chunk):,}/{n:,}", end="", flush=True)
        bump_generation(uow.conn, uow.workspace_id)
        uow.commit()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE practices"))
    print()
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "p50_ms": round(at(0.50) * 1000, 2),
        "p95_ms": round(at(0.95) * 1000, 2),
        "mean_ms": round(statistics.mean(ordered) * 1000, 2),
        "n": len(ordered),
    }


def speed(engine, n: int, queries: int, seed: int) -> dict:
    from citydiplomacy.exchange.vector_index import indexes_for
    from citydiplomacy.services.unit_of_work import UnitOfWork

    workspace = new_workspace(engine, "speed")
    load_seconds = load_synthetic(engine, workspace, n, seed)
    print(f"loaded {n:,} synthetic practices in {load_seconds:.1f} s")
    started = time.perf_counter()
    with UnitOfWork(engine, workspace, write=False) as uow:
        size = indexes_for(engine).size(uow.conn, uow.workspace_id)
    build = time.perf_counter() - started
    print(f"HNSW index built from the stored vectors in {build:.1f} s ({size:,} vectors)")
    texts = [q["query"] for q in load_eval()]
    rng = random.Random(seed)
    sample = [rng.choice(texts) for _ in range(queries)]
    out = {
        "practices": n,
        "load_s": round(load_seconds, 1),
        "index_build_s": round(build, 1),
        "vectors": "synthetic: real MiniLM embeddings of the 81 practices + Gaussian noise (queries embedded by the model)",
    }
    for mode in ("lexical", "hybrid"):
        for text in sample[:10]:  # warm-up: caches, model, index
            svc.search_practices(engine, workspace, text, ACTOR, mode=mode, limit=10)
        samples = []
        for text in sample:
            t0 = time.perf_counter()
            svc.search_practices(engine, workspace, text, ACTOR, mode=mode, limit=10)
            samples.append(time.perf_counter() - t0)
        out[mode] = percentiles(samples)
        print(
            f"  {mode:<8} p50 {out[mode]['p50_ms']:7.2f} ms   p95 {out[mode]['p95_ms']:7.2f} ms   "
            f"(mean {out[mode]['mean_ms']:.2f} ms, {len(samples)} queries)"
        )
    filtered = []
    for text in sample[:100]:
        t0 = time.perf_counter()
        svc.search_practices(
            engine, workspace, text, ACTOR, mode="hybrid", limit=10, filters={"region": ["Europe"], "year_from": 2000}
        )
        filtered.append(time.perf_counter() - t0)
    out["hybrid_filtered"] = percentiles(filtered)
    print(
        f"  hybrid + filters (region Europe, since 2000): p50 {out['hybrid_filtered']['p50_ms']:.2f} ms   "
        f"p95 {out['hybrid_filtered']['p95_ms']:.2f} ms"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--speed-only", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.path.insert(0, str(REPO))
    results: dict = {
        "backend": args.backend,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    with tempfile.TemporaryDirectory() as tmp:
        url, database = database_url(args.backend, Path(tmp))
        engine = open_database(url)
        try:
            if not args.speed_only:
                results["quality"] = quality(engine)
            if not args.quality_only:
                print(f"\nSpeed at {args.n:,} practices on {args.backend}:")
                print("NOTE: synthetic practices; their vectors are perturbed real embeddings, not model output.")
                results["speed"] = speed(engine, args.n, args.queries, args.seed)
        finally:
            engine.dispose()
            if database is not None:
                database.drop()
    out = REPO / "bench" / "results" / f"search-{args.backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
