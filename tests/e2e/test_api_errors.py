"""When something is wrong, the API says what and where, as RFC 9457 problem details."""

from __future__ import annotations

import pytest

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "errors"}

ENGAGEMENT = {
    "title": "Courtesy call",
    "kind": "meeting",
    "start": "2024-05-01T10:00:00",
    "timezone": "America/Los_Angeles",
}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    return body


def fields(body: dict) -> list[str | None]:
    return [error.get("field") for error in body["errors"]]


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"kind": "luncheon"}, "kind", "'meeting'"),
        ({"colour": "blue"}, "colour", "unknown field"),
        (
            {"participants": [{"person": "eric-garcetti", "side": "ours", "seat": 3}]},
            "participants[0].seat",
            "unknown field",
        ),
        ({"participants": [{"person": "eric-garcetti", "side": "both"}]}, "participants[0].side", "'ours'"),
        ({"timezone": "Pacific/Atlantis"}, "timezone", "not an IANA time zone"),
        ({"sdgs": [18]}, "sdgs", "1 to 17"),
        ({"topics": ["gastronomy"]}, "topics", "not a known topic"),
        ({"partners": ["Not A Ref!"]}, "partners[0]", "should match pattern"),
    ],
)
def test_invalid_engagements_are_refused_naming_the_field(client, registry_ws, change, field, words):
    response = client.post(f"/api/workspaces/{registry_ws}/engagements", json=ENGAGEMENT | change)
    body = problem(response, 422)
    assert fields(body) == [field]
    assert words in body["errors"][0]["message"]
    assert body["instance"] == f"/api/workspaces/{registry_ws}/engagements"


def test_a_missing_required_field_is_named(client, registry_ws):
    body = problem(client.post(f"/api/workspaces/{registry_ws}/engagements", json={"kind": "meeting"}), 422)
    assert sorted(fields(body)) == ["start", "title"]
    assert all("required" in e["message"] for e in body["errors"])
    assert all("value" not in e for e in body["errors"])


def test_the_bad_value_is_echoed(client, registry_ws):
    body = problem(
        client.post(f"/api/workspaces/{registry_ws}/engagements", json=ENGAGEMENT | {"kind": "luncheon"}), 422
    )
    assert body["errors"][0]["value"] == "luncheon"


def test_an_end_before_the_start_is_refused(client, registry_ws):
    response = client.post(
        f"/api/workspaces/{registry_ws}/engagements", json=ENGAGEMENT | {"end": "2024-05-01T09:00:00"}
    )
    body = problem(response, 422)
    assert "is before start" in body["errors"][0]["message"]


def test_a_ref_to_a_record_that_does_not_exist_is_named(client, registry_ws):
    response = client.post(
        f"/api/workspaces/{registry_ws}/engagements",
        json=ENGAGEMENT
        | {"partners": ["hcmc", "embassy-of-atlantis"], "participants": [{"person": "nobody", "side": "theirs"}]},
    )
    body = problem(response, 422)
    assert fields(body) == ["partners[1]", "participants[0].person"]
    assert body["errors"][0]["value"] == "embassy-of-atlantis"
    assert "no partner with ref 'embassy-of-atlantis'" in body["errors"][0]["message"]
    assert client.get(f"/api/workspaces/{registry_ws}/engagements", params={"q": "courtesy"}).json()["total"] == 0


def test_a_patch_that_breaks_the_record_is_refused_and_changes_nothing(client, registry_ws):
    url = f"/api/workspaces/{registry_ws}/posts/eric-garcetti/mayor-of-los-angeles/2013"
    body = problem(client.patch(url, json={"end_date": "2001-01-01"}), 422)
    assert "before start_date" in body["errors"][0]["message"]
    assert client.get(url).json()["end_date"] == "2022-12-12"


def test_a_body_that_is_not_json_is_refused(client, registry_ws):
    response = client.post(
        f"/api/workspaces/{registry_ws}/people", content=b"{name: Bob", headers={"content-type": "application/json"}
    )
    body = problem(response, 422)
    assert "not valid JSON" in body["errors"][0]["message"]


def test_a_body_that_is_not_an_object_is_refused(client, registry_ws):
    body = problem(client.post(f"/api/workspaces/{registry_ws}/people", json=["Bob"]), 422)
    assert body["errors"][0]["field"] is None


def test_creating_a_record_whose_ref_exists_is_a_conflict(client, registry_ws):
    response = client.post(f"/api/workspaces/{registry_ws}/people", json={"name": "Eric Garcetti"})
    body = problem(response, 409)
    assert "eric-garcetti" in body["detail"] and "already exists" in body["detail"]


def test_deleting_a_partner_still_referred_to_is_a_conflict_that_names_the_referrers(client, registry_ws):
    body = problem(client.delete(f"/api/workspaces/{registry_ws}/partners/hcmc"), 409)
    assert "agreement '2018-memorandum-on-climate-cooperation'" in body["detail"]
    assert "engagement '2025-06-02-climate-week-meeting'" in body["detail"]
    assert client.get(f"/api/workspaces/{registry_ws}/partners/hcmc").status_code == 200


def test_another_workspaces_record_is_not_found(client, registry_ws, engine, actor):
    from citydiplomacy.services.registry import create_workspace
    from tests.fixtures.database import unique

    other = unique("ws")
    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "VN"}, actor)
    for url in (f"/api/workspaces/{other}/partners/hcmc", f"/api/workspaces/{other}/places/geonames:5368361"):
        body = problem(client.get(url), 404)
        assert "No " in body["detail"]
    problem(client.patch(f"/api/workspaces/{other}/partners/hcmc", json={"website": None}), 404)
    problem(client.delete(f"/api/workspaces/{other}/partners/hcmc"), 404)
    assert (
        client.get(f"/api/workspaces/{registry_ws}/partners/hcmc").json()["website"] == "https://hochiminhcity.gov.vn"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/workspaces/{ws}/people/nobody",
        "/api/workspaces/{ws}/posts/nobody/mayor/2020",
        "/api/workspaces/{ws}/posts/nobody/mayor/2020/history",
        "/api/workspaces/no-such-workspace",
        "/api/workspaces/no-such-workspace/people",
        "/api/workspaces/{ws}/treaties",
        "/api/nothing-here",
    ],
)
def test_unknown_addresses_are_not_found(client, registry_ws, path):
    body = problem(client.get(path.format(ws=registry_ws)), 404)
    assert body["instance"] == path.format(ws=registry_ws)


def test_a_method_that_is_not_allowed_says_which_are(client, registry_ws):
    response = client.delete(f"/api/workspaces/{registry_ws}/people")
    body = problem(response, 405)
    assert "GET" in response.headers["allow"]
    assert "GET" in body["detail"]


def test_an_unexpected_error_reveals_nothing(engine):
    from fastapi.testclient import TestClient

    from citydiplomacy.web import create_app

    app = create_app(engine)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("password=hunter2 at /srv/secret.py")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
    body = problem(response, 500)
    assert "hunter2" not in response.text and "secret" not in response.text
    assert body["title"] == "Internal server error"
