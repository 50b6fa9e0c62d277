"""Hybrid practice search: lexical and semantic candidates, fused by a weighted sum.

Fusion (docs/exchange.md, "Fusion"): each method's scores are divided by that
method's best score for the query (bm25 or ts_rank_cd, and cosine similarity, live on
unrelated scales; dividing by the best keeps "how close to the best answer"), then
summed with weight :data:`SEMANTIC_WEIGHT` on meaning and ``1 - SEMANTIC_WEIGHT`` on
words. Reciprocal rank fusion (k=60) was measured first: with 100 candidates per list
it did not beat semantic search alone on nDCG@10 (in a small library every practice
sits somewhere in both lists, and RRF lets many middling ranks outvote one strong one);
with 30 it does, but less than this weighted sum. The weight was chosen on half of the
evaluation queries and checked on the other half (bench/bench_search.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import Connection

from ..adapters.db import tables as t
from . import lexical
from .geography import country_name
from .models import PracticeFilters, population_band
from .results import HighlightedText, HighlightSegment, PracticeSummary, SearchHit, WhyItMatched
from .store import StoredPractice, filter_conditions, read_practices
from .text import query_terms
from .vector_index import EXACT_LIMIT, VectorIndexes, exact_search

__all__ = [
    "CANDIDATES",
    "SEMANTIC_WEIGHT",
    "Candidates",
    "build_hits",
    "fuse",
    "lexical_candidates",
    "semantic_candidates",
    "summary_of",
]

SEMANTIC_WEIGHT = 0.6
#: How many candidates each method contributes to the fusion.
CANDIDATES = 30


@dataclass
class Candidates:
    """Ranked (practice id, score) lists from each method."""

    lexical: list[tuple[int, float]] = field(default_factory=list)
    semantic: list[tuple[int, float]] = field(default_factory=list)


def lexical_candidates(
    conn: Connection, workspace_id: int, query: str, filters: PracticeFilters | None, visible, limit: int = CANDIDATES
) -> list[tuple[int, float]]:
    return lexical.search(conn, query_terms(query), filter_conditions(workspace_id, filters, visible), limit)


def semantic_candidates(
    conn: Connection,
    indexes: VectorIndexes,
    workspace_id: int,
    vector,
    filters: PracticeFilters | None,
    visible,
    limit: int = CANDIDATES,
    exclude: int | None = None,
) -> list[tuple[int, float]]:
    """Nearest practices by meaning that pass the filters and visibility."""
    from ..domain.vocab import Confidentiality

    p = t.practices
    conditions = filter_conditions(workspace_id, filters, visible)
    restricted = (filters is not None and not filters.is_empty()) or set(visible) != set(Confidentiality)
    if not restricted:
        found = indexes.search(conn, workspace_id, vector, limit + 1)
        return [(i, s) for i, s in found if i != exclude][:limit]
    # Filters: over-fetch from the HNSW graph and keep what passes the filters in SQL...
    found = indexes.search(conn, workspace_id, vector, max(limit * 20, 1000))
    ids = [i for i, _ in found]
    allowed: set[int] = set()
    for start in range(0, len(ids), 5000):
        allowed.update(
            r[0] for r in conn.execute(sa.select(p.c.id).where(p.c.id.in_(ids[start : start + 5000]), *conditions))
        )
    kept = [(i, s) for i, s in found if i in allowed and i != exclude]
    if len(kept) >= limit:
        return kept[:limit]
    # ...and when the filters are so narrow that too few of the nearest pass, compare
    # exactly with the vectors of the practices they leave (then few by definition).
    narrowed = [r[0] for r in conn.execute(sa.select(p.c.id).where(*conditions).limit(EXACT_LIMIT + 1))]
    if len(narrowed) > EXACT_LIMIT:
        return kept
    return [(i, s) for i, s in exact_search(conn, narrowed, vector, limit + 1) if i != exclude][:limit]


def fuse(candidates: Candidates, *, semantic_weight: float = SEMANTIC_WEIGHT) -> list[tuple[int, float]]:
    """Weighted sum of best-normalised lexical and semantic scores, best first."""
    scores: dict[int, float] = {}
    for weight, ranked in ((1.0 - semantic_weight, candidates.lexical), (semantic_weight, candidates.semantic)):
        if not ranked:
            continue
        best = ranked[0][1]
        if best <= 0:
            continue
        for practice_id, score in ranked:
            scores[practice_id] = scores.get(practice_id, 0.0) + weight * max(0.0, score) / best
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def summary_of(stored: StoredPractice) -> PracticeSummary:
    p = stored.practice
    band = population_band(stored.population)
    return PracticeSummary(
        slug=p.slug,
        title=p.title,
        city=p.city,
        country_code=p.country_code,
        country_name=country_name(p.country_code),
        region=stored.region,
        year_started=p.year_started,
        status=str(p.status),
        topics=p.topics,
        sdgs=p.sdgs,
        population=stored.population,
        population_band=str(band) if band else None,
        latitude=stored.latitude,
        longitude=stored.longitude,
        confidentiality=str(p.confidentiality),
    )


def _stem(word: str) -> str:
    word = word.lower()
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)] + replacement
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def _topics_matching(topics: list[str], terms: list[str]) -> list[str]:
    stems = {_stem(term) for term in terms}
    return [topic for topic in topics if any(_stem(part) in stems for part in re.split(r"[-\s]+", topic))]


def build_hits(
    conn: Connection,
    ranked: list[tuple[int, float]],
    candidates: Candidates,
    *,
    query: str,
    limit: int,
    offset: int = 0,
    shared_with: list[str] | None = None,
    filter_topics: list[str] | None = None,
    semantic_label: str = "your question",
) -> list[SearchHit]:
    """The page of hits with their reasons: highlighted terms, shared topics, semantic neighbour."""
    page = ranked[offset : offset + limit]
    ids = [i for i, _ in page]
    practices = read_practices(conn, ids)
    lexical_rank = {i: (r, s) for r, (i, s) in enumerate(candidates.lexical, start=1)}
    semantic_rank = {i: (r, s) for r, (i, s) in enumerate(candidates.semantic, start=1)}
    terms = query_terms(query)
    marked = lexical.highlights(conn, [i for i in ids if i in lexical_rank], terms)
    hits = []
    for position, (practice_id, score) in enumerate(page, start=offset + 1):
        stored = practices.get(practice_id)
        if stored is None:
            continue
        why = WhyItMatched()
        if practice_id in lexical_rank:
            why.lexical_rank, why.lexical_score = lexical_rank[practice_id][0], round(lexical_rank[practice_id][1], 4)
            for item in marked.get(practice_id, []):
                why.highlights.append(
                    HighlightedText(
                        field=item.field,
                        segments=[HighlightSegment(text=text, match=match) for text, match in item.segments],
                    )
                )
            words = [w.lower() for item in marked.get(practice_id, []) for w in item.matched_words]
            why.matched_terms = list(dict.fromkeys(words))
            if why.matched_terms:
                why.explanation.append("contains " + ", ".join(f"'{w}'" for w in why.matched_terms[:6]))
        if practice_id in semantic_rank:
            why.semantic_rank = semantic_rank[practice_id][0]
            why.semantic_similarity = round(semantic_rank[practice_id][1], 4)
            why.semantic_neighbour = True
            why.explanation.append(
                f"close in meaning to {semantic_label} (similarity {why.semantic_similarity:.2f}, "
                f"#{why.semantic_rank} by meaning)"
            )
        topics = stored.practice.topics
        if shared_with is not None:
            why.shared_topics = [topic for topic in topics if topic in shared_with]
        else:
            why.shared_topics = list(
                dict.fromkeys(
                    _topics_matching(topics, terms) + [topic for topic in topics if topic in (filter_topics or [])]
                )
            )
        if why.shared_topics:
            why.explanation.append("shares the topics " + ", ".join(why.shared_topics))
        hits.append(SearchHit(rank=position, score=round(score, 6), practice=summary_of(stored), why=why))
    return hits
