"""Lexical search on each database's own full-text engine (SQLite FTS5, PostgreSQL tsvector).

These run with or without the semantic extra: they ask for lexical mode explicitly.
"""

from __future__ import annotations

import pytest

from citydiplomacy.domain import InvalidInput
from citydiplomacy.services import practices as svc
from citydiplomacy.services.registry import Actor

from .conftest import jsonl, library_lines

EARTHQUAKES = "how did other cities warn people before earthquakes?"


def slugs(results) -> list[str]:
    return [hit.practice.slug for hit in results.hits]


def test_a_staff_question_about_earthquake_warnings_finds_the_seismic_early_warning_practices(engine, library, actor):
    results = svc.search_practices(engine, library, EARTHQUAKES, actor, mode="lexical")
    assert results.mode == "lexical"
    assert set(slugs(results)[:2]) == {"mexico-city-sasmex", "los-angeles-shakealertla"}
    why = results.hits[0].why
    assert "earthquake" in why.matched_terms
    assert any(segment.match for highlight in why.highlights for segment in highlight.segments)
    assert "earthquake" in why.shared_topics
    assert why.explanation and why.lexical_rank == 1


def test_words_are_stemmed_and_ranked_by_relevance(engine, library, actor):
    results = svc.search_practices(engine, library, "congestion charges for drivers", actor, mode="lexical", limit=5)
    assert {"singapore-congestion-pricing", "stockholm-congestion-tax"} <= set(slugs(results)[:3])


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"country": ["US"]}, lambda p: p.country_code == "US"),
        ({"region": ["Latin America and the Caribbean"]}, lambda p: p.region == "Latin America and the Caribbean"),
        ({"topic": ["transport"]}, lambda p: "transport" in p.topics),
        ({"sdg": [13]}, lambda p: 13 in p.sdgs),
        ({"year_from": 2010, "year_to": 2019}, lambda p: 2010 <= p.year_started <= 2019),
        ({"population_band": ["mega"]}, lambda p: p.population >= 5_000_000),
        ({"status": ["unknown"]}, lambda p: p.status == "unknown"),
    ],
)
def test_filters_narrow_the_results(engine, library, actor, filters, check):
    results = svc.search_practices(
        engine,
        library,
        "reduce traffic and pollution in the city centre",
        actor,
        mode="lexical",
        filters=filters,
        limit=50,
    )
    assert results.hits, filters
    assert all(check(hit.practice) for hit in results.hits)


def test_filters_that_exclude_everything_return_nothing(engine, library, actor):
    results = svc.search_practices(engine, library, EARTHQUAKES, actor, mode="lexical", filters={"country": ["FI"]})
    assert results.hits == []


def test_an_earthquake_search_filtered_to_north_america_keeps_only_los_angeles(engine, library, actor):
    results = svc.search_practices(
        engine, library, EARTHQUAKES, actor, mode="lexical", filters={"region": "North America", "topic": "earthquake"}
    )
    assert slugs(results) == ["los-angeles-shakealertla"]


def test_bad_filters_and_empty_questions_are_explained(engine, library, actor):
    with pytest.raises(InvalidInput) as caught:
        svc.search_practices(engine, library, EARTHQUAKES, actor, filters={"sdg": [18]})
    assert caught.value.problems[0].field == "sdg.0"
    with pytest.raises(InvalidInput):
        svc.search_practices(engine, library, "   ", actor)
    with pytest.raises(InvalidInput):
        svc.search_practices(engine, library, EARTHQUAKES, actor, mode="psychic")


def test_confidential_practices_are_hidden_from_readers_who_may_not_see_them(engine, la_workspace, actor):
    record = dict(library_lines("mexico-city-sasmex")[0], confidentiality="confidential")
    svc.import_practices(engine, la_workspace, jsonl([record, library_lines("los-angeles-shakealertla")[0]]), actor)
    reader = Actor(name="reader", visible=("public", "internal"))
    assert slugs(svc.search_practices(engine, la_workspace, EARTHQUAKES, reader, mode="lexical")) == [
        "los-angeles-shakealertla"
    ]
    assert len(svc.search_practices(engine, la_workspace, EARTHQUAKES, actor, mode="lexical").hits) == 2


def test_search_index_follows_edits_and_deletions(engine, la_workspace, actor):
    svc.import_practices(engine, la_workspace, jsonl(library_lines("london-ulez")), actor)
    assert slugs(svc.search_practices(engine, la_workspace, "diesel charge", actor, mode="lexical")) == ["london-ulez"]
    data = svc.get_practice(engine, la_workspace, "london-ulez", actor).practice.model_dump(mode="json")
    data["summary"] = "A zone where old vehicles pay to enter; renamed to test reindexing of zebras."
    svc.save_practice(engine, la_workspace, data, actor)
    assert slugs(svc.search_practices(engine, la_workspace, "zebras", actor, mode="lexical")) == ["london-ulez"]
    svc.delete_practice(engine, la_workspace, "london-ulez", actor)
    assert svc.search_practices(engine, la_workspace, "zebras", actor, mode="lexical").hits == []


def test_without_the_semantic_extra_auto_mode_falls_back_to_words_and_says_so(engine, library, actor, monkeypatch):
    from citydiplomacy.exchange.embeddings import SemanticSearchUnavailable

    monkeypatch.setattr(svc, "semantic_available", lambda: False)
    results = svc.search_practices(engine, library, EARTHQUAKES, actor)
    assert results.mode == "lexical"
    assert "not installed" in results.notices[0]
    assert set(slugs(results)[:2]) == {"mexico-city-sasmex", "los-angeles-shakealertla"}
    with pytest.raises(SemanticSearchUnavailable) as caught:
        svc.search_practices(engine, library, EARTHQUAKES, actor, mode="semantic")
    assert "citydiplomacy[semantic]" in str(caught.value)


def test_facets_count_the_filtered_library(engine, library, actor):
    facets = {f.name: {v.value: v.count for v in f.values} for f in svc.practice_facets(engine, library, actor)}
    assert facets["topic"]["transport"] >= 20
    assert facets["region"]["Africa"] >= 5
    assert sum(facets["region"].values()) == 81
    narrowed = {
        f.name: {v.value: v.count for v in f.values}
        for f in svc.practice_facets(engine, library, actor, {"country": ["CO"]})
    }
    assert narrowed["country"] == {"CO": sum(narrowed["country"].values())}
