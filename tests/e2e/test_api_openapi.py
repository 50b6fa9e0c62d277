"""Integrators read /openapi.json: it must describe every record type, its routes and its vocabularies."""

from __future__ import annotations

from citydiplomacy.domain import RECORD_TYPES
from citydiplomacy.domain.vocab import EngagementKind


def test_openapi_describes_every_record_type(client):
    doc = client.get("/openapi.json").json()
    assert doc["info"]["title"] == "citydiplomacy"
    assert doc["info"]["version"]
    assert "problem details" in doc["info"]["description"]
    paths = doc["paths"]
    tags = {tag["name"] for tag in doc["tags"]}
    for model in RECORD_TYPES:
        collection = f"/api/workspaces/{{ws}}/{model.plural}"
        item = collection + "/{ref}"
        assert set(paths[collection]) == {"get", "post"}, model.plural
        assert set(paths[item]) == {"get", "put", "patch", "delete"}, model.plural
        assert "get" in paths[item + "/history"]
        assert model.plural in tags
        assert paths[collection]["get"]["tags"] == [model.plural]
        assert model.__name__ in doc["components"]["schemas"]
        assert f"{model.__name__}Page" in doc["components"]["schemas"]
    assert {"/api/workspaces", "/api/workspaces/{ws}", "/api/workspaces/{ws}/audit"} <= set(paths)


def test_openapi_lists_enums_and_filters(client):
    doc = client.get("/openapi.json").json()
    assert doc["components"]["schemas"]["EngagementKind"]["enum"] == [k.value for k in EngagementKind]
    parameters = {p["name"] for p in doc["paths"]["/api/workspaces/{ws}/engagements"]["get"]["parameters"]}
    assert {
        "q",
        "date_from",
        "date_to",
        "country",
        "partner",
        "person",
        "kind",
        "topic",
        "status",
        "sdg",
        "sort",
        "page",
        "per_page",
    } <= parameters


def test_web_pages_are_not_in_the_api_description(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if not p.startswith("/api/")]


def test_no_page_loads_scripts_from_a_cdn(client):
    assert client.get("/docs").status_code == 404


def test_errors_are_documented_as_problem_details(client):
    doc = client.get("/openapi.json").json()
    assert "ProblemDetails" in doc["components"]["schemas"]
    delete = doc["paths"]["/api/workspaces/{ws}/partners/{ref}"]["delete"]["responses"]
    assert {"404", "409", "422"} <= set(delete)
