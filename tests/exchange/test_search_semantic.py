"""Semantic and hybrid search with the offline MiniLM model (the citydiplomacy[semantic] extra).

Skipped, with the reason, when the extra is not installed; CI installs it.
"""

from __future__ import annotations

import pytest

from citydiplomacy.exchange.embeddings import missing_packages, semantic_available
from citydiplomacy.services import practices as svc

from .conftest import jsonl, library_lines

pytestmark = pytest.mark.skipif(
    not semantic_available(),
    reason=f"semantic extra not installed ({', '.join(missing_packages())} missing): pip install 'citydiplomacy[semantic]'",
)


def slugs(results) -> list[str]:
    return [hit.practice.slug for hit in results.hits]


def test_meaning_finds_earthquake_warnings_without_the_word_earthquake(engine, library, actor):
    results = svc.search_practices(
        engine, library, "alert the public seconds before the ground starts shaking", actor, mode="semantic", limit=5
    )
    assert results.mode == "semantic"
    assert set(slugs(results)[:2]) == {"mexico-city-sasmex", "los-angeles-shakealertla"}
    assert results.hits[0].why.semantic_neighbour and results.hits[0].why.semantic_similarity > 0.3


def test_hybrid_search_answers_the_demo_question_with_reasons(engine, library, actor):
    results = svc.search_practices(engine, library, "how did other cities warn people before earthquakes?", actor)
    assert results.mode == "hybrid"
    assert set(slugs(results)[:2]) == {"mexico-city-sasmex", "los-angeles-shakealertla"}
    why = results.hits[0].why
    assert why.matched_terms and why.semantic_neighbour and why.shared_topics
    assert len(why.explanation) == 3


def test_hybrid_search_respects_filters(engine, library, actor):
    results = svc.search_practices(
        engine, library, "get people out of cars", actor, mode="hybrid", filters={"region": ["Europe"]}, limit=20
    )
    assert results.hits and all(hit.practice.region == "Europe" for hit in results.hits)
    semantic = svc.search_practices(
        engine, library, "get people out of cars", actor, mode="semantic", filters={"country": ["CO"]}, limit=20
    )
    assert semantic.hits and all(hit.practice.country_code == "CO" for hit in semantic.hits)


def test_more_like_this_finds_the_sister_practice_by_meaning_and_topics(engine, library, actor):
    results = svc.more_like_this(engine, library, "mexico-city-sasmex", actor, limit=5)
    assert results.more_like == "mexico-city-sasmex" and results.mode == "hybrid"
    assert "mexico-city-sasmex" not in slugs(results)
    first = results.hits[0]
    assert first.practice.slug == "los-angeles-shakealertla"
    assert first.why.semantic_neighbour and {"earthquake", "early-warning"} <= set(first.why.shared_topics)


def test_practices_are_embedded_when_written_and_re_embedded_when_their_text_changes(engine, la_workspace, actor):
    from sqlalchemy import select

    from citydiplomacy.adapters.db import tables as t

    svc.import_practices(engine, la_workspace, jsonl(library_lines("london-ulez")), actor)
    assert svc.get_practice(engine, la_workspace, "london-ulez", actor).has_embedding

    def stored_hash():
        with engine.connect() as conn:
            return conn.execute(
                select(t.practice_embeddings.c.text_hash)
                .join(t.practices, t.practices.c.id == t.practice_embeddings.c.practice_id)
                .where(
                    t.practices.c.ref == "london-ulez",
                    t.practices.c.workspace_id == t.workspaces.c.id,
                    t.workspaces.c.slug == la_workspace,
                )
            ).scalar_one()

    first = stored_hash()
    data = svc.get_practice(engine, la_workspace, "london-ulez", actor).practice.model_dump(mode="json")
    data["summary"] = "A charge on older vehicles entering a zone, to clean the air children breathe."
    svc.save_practice(engine, la_workspace, data, actor)
    assert stored_hash() != first
    results = svc.search_practices(engine, la_workspace, "healthier air for kids", actor, mode="semantic")
    assert slugs(results) == ["london-ulez"]
    svc.delete_practice(engine, la_workspace, "london-ulez", actor)
    assert svc.search_practices(engine, la_workspace, "healthier air for kids", actor, mode="semantic").hits == []
