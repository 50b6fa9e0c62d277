"""The atlas of a workspace (SQLite and PostgreSQL): twin towns copied in, introduction paths,
suggestions with reasons, metrics, and the map.

Scenario 1 builds a small city by hand; scenario 2 uses the Los Angeles demo content.
"""

from __future__ import annotations

import pytest

from citydiplomacy.adapters.db.repository import ListQuery
from citydiplomacy.domain import InvalidInput
from citydiplomacy.services import atlas, registry
from tests.fixtures.database import unique


@pytest.fixture
def small_city(engine, actor, twin_sample):
    """Los Angeles with a sister city (Busan), a Korean consulate and its consul, and a network."""
    atlas.import_twins(engine, twin_sample, actor)
    slug = unique("la")
    registry.create_workspace(
        engine,
        {
            "slug": slug,
            "name": "City of Los Angeles",
            "country_code": "US",
            "subdivision_code": "US-CA",
            "place_geonames_id": 5368361,
            "timezone": "America/Los_Angeles",
        },
        actor,
    )

    def save(plural, data):
        return registry.save_record(engine, slug, plural, data, actor)

    save(
        "places",
        {
            "kind": "city",
            "name": "Los Angeles",
            "country_code": "US",
            "geonames_id": 5368361,
            "latitude": 34.05,
            "longitude": -118.24,
            "population": 3820914,
        },
    )
    save(
        "places",
        {
            "kind": "city",
            "name": "Busan",
            "country_code": "KR",
            "geonames_id": 1838524,
            "latitude": 35.10,
            "longitude": 129.04,
            "population": 3678555,
        },
    )
    save(
        "partners",
        {
            "ref": "consulate-korea-la",
            "name": "Consulate General of Korea in Los Angeles",
            "kind": "consulate",
            "country_code": "KR",
            "place": "geonames:5368361",
        },
    )
    save(
        "partners",
        {
            "ref": "busan-city",
            "name": "Busan Metropolitan City",
            "kind": "city",
            "country_code": "KR",
            "place": "geonames:1838524",
        },
    )
    save("people", {"ref": "kim", "name": "Kim Min-jun", "country_code": "KR"})
    save(
        "posts",
        {"person": "kim", "title": "Consul General", "partner": "consulate-korea-la", "start_date": "2021-01-01"},
    )
    save("networks", {"ref": "c40", "name": "C40 Cities", "acronym": "C40"})
    save("memberships", {"network": "c40", "role": "member"})
    save("memberships", {"network": "c40", "member": "busan-city", "role": "member"})
    save(
        "agreements",
        {
            "ref": "sister-city-busan",
            "title": "Sister city: Busan",
            "kind": "sister_city",
            "status": "in_force",
            "signed_on": "1971-06-01",
            "parties": [{"us": True}, {"place": "geonames:1838524"}],
        },
    )
    save(
        "engagements",
        {
            "title": "Courtesy call by the Consul General",
            "kind": "meeting",
            "status": "held",
            "start": "2021-05-03T10:00",
            "timezone": "America/Los_Angeles",
            "partners": ["consulate-korea-la"],
            "topics": ["trade", "diaspora"],
            "participants": [{"person": "kim", "side": "theirs"}],
        },
    )
    return slug


def test_the_twin_list_is_read_beside_our_record_never_copied_into_it(engine, actor, small_city):
    before = registry.list_records(engine, small_city, "agreements", ListQuery(per_page=100), actor).total
    places = registry.list_records(engine, small_city, "places", ListQuery(per_page=100), actor).total
    # Busan's other ties come from the list, as reference: Kaohsiung among them
    busan = atlas.reference_ties(engine, 1838524)
    assert "Kaohsiung" in {tie.name for tie in busan}
    kaohsiung = next(tie for tie in busan if tie.name == "Kaohsiung")
    assert kaohsiung.placed and kaohsiung.geonames_id == 1673820 and kaohsiung.line > 0
    # ... and reading them writes nothing into the workspace
    assert registry.list_records(engine, small_city, "agreements", ListQuery(per_page=100), actor).total == before
    assert registry.list_records(engine, small_city, "places", ListQuery(per_page=100), actor).total == places
    assert atlas.reference_ties(engine, None) == []


def test_an_introduction_path_to_a_city_we_have_no_tie_with(engine, actor, small_city):
    answer = atlas.introduction_paths(engine, small_city, "Kaohsiung", actor)
    assert answer.target_key == "place:1673820"
    best = answer.paths[0]
    assert best.text == "Los Angeles — sister city (since 1971) — Busan — sister city of (Wikipedia's list) — Kaohsiung"
    assert [s.source for s in best.steps] == ["workspace", "reference"]
    assert best.steps[0].evidence == "agreements/sister-city-busan"
    assert "1 of its steps are ties we recorded ourselves" in answer.explanation


def test_a_path_to_a_person_goes_through_our_engagements(engine, actor, small_city):
    answer = atlas.introduction_paths(engine, small_city, "Kim Min-jun", actor)
    assert answer.paths[0].text == (
        "Los Angeles — meeting 'Courtesy call by the Consul General' (2021-05-03) with — Kim Min-jun"
    )


def test_an_ambiguous_target_asks_for_the_country(engine, actor, small_city):
    with pytest.raises(InvalidInput) as error:
        atlas.introduction_paths(engine, small_city, "Springfield", actor)
    assert "could mean several places" in error.value.problems[0].message


def test_suggestions_carry_their_reasons(engine, actor, small_city):
    answer = atlas.suggest_partners(engine, small_city, "trade with South Korea", actor)
    assert answer.reading.countries == ["KR"] and answer.reading.topics == ["trade"]
    assert answer.suggestions
    for suggestion in answer.suggestions:
        assert suggestion.reasons and all(r.text for r in suggestion.reasons)
    consulate = next(s for s in answer.suggestions if s.ref == "consulate-korea-la")
    kinds = {r.kind for r in consulate.reasons}
    assert {"existing_tie", "topic"} <= kinds
    busan = next(s for s in answer.suggestions if s.key == "place:1838524")
    assert any(r.kind == "shared_network" and "C40" in r.text for r in busan.reasons)


def test_a_sister_city_goal_skips_our_own_and_explains_the_rest(engine, actor, small_city):
    answer = atlas.suggest_partners(engine, small_city, "a sister city in East Asia", actor)
    assert answer.reading.region == "Eastern Asia" and answer.reading.wants == "sister city"
    assert all(s.key != "place:1838524" for s in answer.suggestions)
    assert any("already our sister cities there: Busan" in n for n in answer.reading.notes)
    kaohsiung = next(s for s in answer.suggestions if s.key == "place:1673820")
    assert any(r.kind == "sister_of_sister" and "Busan" in r.text for r in kaohsiung.reasons)


def test_the_map_shows_countries_links_and_partners(engine, actor, small_city):
    svg = atlas.map_svg(engine, small_city, actor, link_base="/w/x")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert 'data-country="KR"' in svg and "<title>South Korea: 1 engagement(s)" in svg
    assert 'class="link link-own"' in svg and "Los Angeles — Busan: sister city (since 1971)" in svg
    assert 'data-ref="agreements/sister-city-busan"' in svg and 'data-href="/w/x/agreements/sister-city-busan"' in svg
    assert 'class="partner"' in svg and "Consulate General of Korea in Los Angeles" in svg
    assert "http://" not in svg.replace("http://www.w3.org/2000/svg", "")  # self-contained
    layers = atlas.map_layers(engine, small_city, actor, view="East Asia")
    assert layers.view == "Eastern Asia"
    assert any(f["id"] == "KR" and f["properties"]["value"] == 1 for f in layers.countries["features"])
    assert layers.links["features"][0]["geometry"]["type"] == "MultiLineString"
    png = atlas.map_png(engine, small_city, actor, view="Europe", width=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InvalidInput):
        atlas.map_svg(engine, small_city, actor, view="Atlantis")


def test_metrics_countries_and_timeline_of_the_workspace(engine, actor, small_city):
    metrics = atlas.workspace_metrics(engine, small_city, actor, top=5)
    assert metrics.scope == "workspace" and metrics.nodes > 100
    countries = {c.country_code: c for c in atlas.workspace_countries(engine, small_city, actor)}
    assert countries["KR"].engagements == 1 and countries["KR"].sister_cities == 1
    years = {y.year: y for y in atlas.workspace_timeline(engine, small_city, actor)}
    assert years[1971].agreements_signed == 1 and years[2021].engagements == 1
    assert years[2021].sister_cities_total == 1


def test_the_demo_city_reaches_hanoi_and_kaohsiung_with_explained_chains(engine, actor, twin_sample):
    from citydiplomacy.demo import build_demo

    atlas.import_twins(engine, twin_sample, actor)
    slug = unique("demo")
    build_demo(engine, slug=slug, actor=actor)
    answer = atlas.introduction_paths(engine, slug, "Kaohsiung", actor)
    assert answer.paths[0].text == (
        "Los Angeles — sister city (since 1971) — Busan — sister city of (Wikipedia's list) — Kaohsiung"
    )
    hanoi = atlas.introduction_paths(engine, slug, "Hanoi", actor)
    first = hanoi.paths[0]
    assert first.steps[0].source == "workspace" and first.steps[-1].to_label == "Hanoi"
    assert first.hops == 2 and first.steps[0].kind == "engagement"
