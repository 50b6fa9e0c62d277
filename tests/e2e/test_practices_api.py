"""The Exchange's REST API: a script searches the library with filters and gets scores and
reasons, reads a practice, borrows it, asks for peers and the diffusion graph; staff write
practices, viewers cannot; semantic search without the extra answers 501 with the command."""

from __future__ import annotations

import pytest

from citydiplomacy.exchange import embeddings
from citydiplomacy.exchange.embeddings import semantic_available
from citydiplomacy.services import practices as svc
from citydiplomacy.services.registry import Actor
from tests.fixtures.database import unique

QUESTION = "how did other cities warn people before earthquakes?"
SASMEX = "mexico-city-sasmex"


@pytest.fixture(scope="module")
def library(engine) -> str:
    """A Los Angeles workspace holding the shared library (written through the service, once per backend)."""
    from citydiplomacy.services.registry import create_workspace

    slug = unique("la-api")
    actor = Actor.system()
    create_workspace(
        engine,
        {
            "slug": slug,
            "name": "City of Los Angeles",
            "country_code": "US",
            "timezone": "America/Los_Angeles",
            "place_geonames_id": 5368361,
        },
        actor,
    )
    svc.import_shared_library(engine, slug, actor)
    return slug


def practice_body(slug: str) -> dict:
    return {
        "slug": slug,
        "title": "Cooling centres in libraries",
        "city": "Phoenix",
        "country_code": "US",
        "year_started": 2021,
        "status": "active",
        "topics": ["extreme-heat", "public-health"],
        "sdgs": [3, 11],
        "summary": "Public libraries open as cooling centres during heat warnings, with water and seating.",
        "sources": ["https://example.org/phoenix-cooling"],
    }


def test_a_script_searches_with_filters_and_gets_scores_and_reasons(client_as, library):
    api = client_as("viewer", library)
    found = api.get(f"/api/workspaces/{library}/practices/search", params={"q": QUESTION, "limit": 5})
    assert found.status_code == 200
    body = found.json()
    assert body["hits"][0]["practice"]["slug"] in (SASMEX, "los-angeles-shakealertla")
    top = body["hits"][0]
    assert top["score"] > 0 and top["why"]["matched_terms"] and top["why"]["explanation"]
    assert body["mode"] == ("hybrid" if semantic_available() else "lexical")
    # filters (repeated for several values) and paging
    latin = api.get(
        f"/api/workspaces/{library}/practices/search",
        params=[
            ("q", QUESTION),
            ("region", "Latin America and the Caribbean"),
            ("region", "Europe"),
            ("year_from", "1990"),
            ("limit", "3"),
        ],
    ).json()
    assert latin["hits"][0]["practice"]["slug"] == SASMEX
    assert all(h["practice"]["region"] in ("Latin America and the Caribbean", "Europe") for h in latin["hits"])
    second = api.get(
        f"/api/workspaces/{library}/practices/search", params={"q": QUESTION, "limit": 3, "offset": 3}
    ).json()
    assert [h["rank"] for h in second["hits"]] == [4, 5, 6]
    lexical = api.get(f"/api/workspaces/{library}/practices/search", params={"q": QUESTION, "mode": "lexical"}).json()
    assert lexical["mode"] == "lexical" and not lexical["hits"][0]["why"]["semantic_neighbour"]


def test_bad_search_input_is_a_problem_naming_the_field(client_as, library):
    api = client_as("viewer", library)
    for params, field in (
        ({"q": "heat", "mode": "psychic"}, "mode"),
        ({"q": "heat", "sdg": "18"}, "sdg[0]"),
        ({"q": "heat", "region": "Atlantis"}, "region[0]"),
        ({"q": " "}, "q"),
        ({"q": "heat", "limit": "0"}, "limit"),
    ):
        answer = api.get(f"/api/workspaces/{library}/practices/search", params=params)
        assert answer.status_code == 422, params
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert field in [e["field"] for e in answer.json()["errors"]], (params, answer.json())


def test_semantic_search_without_the_extra_is_501_with_the_install_command(client_as, library, monkeypatch):
    monkeypatch.setattr(svc, "semantic_available", lambda: False)
    api = client_as("viewer", library)
    answer = api.get(f"/api/workspaces/{library}/practices/search", params={"q": QUESTION, "mode": "semantic"})
    assert answer.status_code == 501
    problem = answer.json()
    assert problem["title"] == "Semantic search not installed"
    assert "pip install 'citydiplomacy[semantic]'" in problem["detail"]
    # auto mode still answers, by words, and says why
    auto = api.get(f"/api/workspaces/{library}/practices/search", params={"q": QUESTION}).json()
    assert auto["mode"] == "lexical" and auto["notices"]
    assert embeddings.INSTALL_HINT  # the hint the 501 quotes is the module's


def test_list_get_facets_and_more_like_this(client_as, library):
    api = client_as("viewer", library)
    listing = api.get(f"/api/workspaces/{library}/practices", params={"topic": "earthquake", "per_page": 5}).json()
    assert listing["total"] >= 2 and all("earthquake" in p["topics"] for p in listing["items"])
    topics = next(f for f in listing["facets"] if f["name"] == "topic")
    assert {"value": "earthquake", "count": listing["total"]} in topics["values"]
    detail = api.get(f"/api/workspaces/{library}/practices/{SASMEX}").json()
    assert detail["practice"]["slug"] == SASMEX and detail["practice"]["sources"]
    assert any(t["transfer"]["year"] == 2003 and t["transfer"]["adopter_country"] == "MX" for t in detail["transfers"])
    similar = api.get(f"/api/workspaces/{library}/practices/{SASMEX}/more-like-this", params={"limit": 3}).json()
    assert similar["more_like"] == SASMEX and similar["hits"][0]["practice"]["slug"] == "los-angeles-shakealertla"
    assert SASMEX not in [h["practice"]["slug"] for h in similar["hits"]]
    assert api.get(f"/api/workspaces/{library}/practices/no-such-thing").status_code == 404


def test_staff_borrow_a_practice_and_it_shows_in_transfers_borrowings_and_the_graph(client_as, library):
    staff = client_as("staff", library)
    made = staff.post(
        f"/api/workspaces/{library}/practices/bogota-ciclovia/transfers",
        json={"year": 2025, "adaptation": "CicLAvia: a different route each month"},
    )
    assert made.status_code == 201, made.text
    transfer = made.json()["transfer"]
    assert transfer["adopter_is_us"] and transfer["status"] == "intended" and transfer["from_city"] == "Bogotá"
    ref = transfer["ref"]
    assert ref in [
        t["transfer"]["ref"] for t in staff.get(f"/api/workspaces/{library}/practices/bogota-ciclovia/transfers").json()
    ]
    assert ref in [t["transfer"]["ref"] for t in staff.get(f"/api/workspaces/{library}/practices/transfers").json()]
    assert ref in [
        t["transfer"]["ref"] for t in staff.get(f"/api/workspaces/{library}/practices/our-borrowings").json()
    ]
    graph = staff.get(f"/api/workspaces/{library}/practices/bogota-ciclovia/diffusion").json()
    assert any(e["transfer_ref"] == ref and e["year"] == 2025 for e in graph["edges"])
    assert any(n["is_us"] for n in graph["nodes"])
    timeline = staff.get(f"/api/workspaces/{library}/practices/bogota-ciclovia/timeline").json()
    year = next(y for y in timeline if y["year"] == 2025)
    assert any(e["transfer_ref"] == ref for e in year["events"])
    whole = staff.get(f"/api/workspaces/{library}/practices/diffusion").json()
    assert any(e["transfer_ref"] == ref for e in whole["edges"])
    assert staff.get(f"/api/workspaces/{library}/practices/timeline").json()
    assert isinstance(staff.get(f"/api/workspaces/{library}/practices/borrowed-from-us").json(), list)
    # a transfer that says nothing valid is refused, naming the field
    bad = staff.post(f"/api/workspaces/{library}/practices/bogota-ciclovia/transfers", json={"year": 1200})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "year"
    unknown = staff.post(f"/api/workspaces/{library}/practices/bogota-ciclovia/transfers", json={"when": 2020})
    assert unknown.status_code == 422


def test_peers_for_a_problem_come_with_reasons(client_as, library):
    api = client_as("viewer", library)
    peers = api.get(f"/api/workspaces/{library}/practices/peers", params={"problem": "extreme heat"}).json()
    assert peers and peers[0]["reasons"] and peers[0]["practices"]
    assert [p["similarity"] for p in peers] == sorted((p["similarity"] for p in peers), reverse=True)


def test_staff_create_replace_and_delete_a_practice_and_viewers_cannot(client_as, library):
    staff, viewer = client_as("staff", library), client_as("viewer", library)
    slug = unique("cooling")
    assert viewer.post(f"/api/workspaces/{library}/practices", json=practice_body(slug)).status_code == 403
    assert (
        viewer.post(f"/api/workspaces/{library}/practices/{SASMEX}/transfers", json={"year": 2025}).status_code == 403
    )
    created = staff.post(f"/api/workspaces/{library}/practices", json=practice_body(slug))
    assert created.status_code == 201 and created.json()["practice"]["slug"] == slug
    assert staff.post(f"/api/workspaces/{library}/practices", json=practice_body(slug)).status_code == 409
    found = staff.get(
        f"/api/workspaces/{library}/practices/search", params={"q": "libraries as cooling centres", "mode": "lexical"}
    ).json()
    assert found["hits"][0]["practice"]["slug"] == slug
    replaced = staff.put(f"/api/workspaces/{library}/practices/{slug}", json=practice_body(slug) | {"status": "ended"})
    assert replaced.status_code == 200 and replaced.json()["practice"]["status"] == "ended"
    mismatch = staff.put(f"/api/workspaces/{library}/practices/{slug}", json=practice_body("other-slug"))
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["field"] == "slug"
    assert viewer.delete(f"/api/workspaces/{library}/practices/{slug}").status_code == 403
    assert staff.delete(f"/api/workspaces/{library}/practices/{slug}").status_code == 204
    assert staff.get(f"/api/workspaces/{library}/practices/{slug}").status_code == 404
    invalid = staff.post(
        f"/api/workspaces/{library}/practices",
        json={"slug": unique("x"), "title": "Nothing said", "country_code": "US"},
    )
    assert invalid.status_code == 422


def test_the_api_is_documented_and_closed_to_others(client_as, library, anonymous_client):
    api = client_as("viewer", library)
    paths = api.get("/openapi.json").json()["paths"]
    for path in (
        "/api/workspaces/{ws}/practices",
        "/api/workspaces/{ws}/practices/search",
        "/api/workspaces/{ws}/practices/{slug}/transfers",
        "/api/workspaces/{ws}/practices/peers",
        "/api/workspaces/{ws}/practices/diffusion",
        "/api/workspaces/{ws}/practices/timeline",
    ):
        assert path in paths, path
    search = paths["/api/workspaces/{ws}/practices/search"]["get"]
    assert "501" in search["responses"]
    assert anonymous_client.get(f"/api/workspaces/{library}/practices").status_code == 401
    other = unique("nowhere")
    assert api.get(f"/api/workspaces/{other}/practices/search", params={"q": "heat"}).status_code == 404
