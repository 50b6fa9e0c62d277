"""Finding records through the API: filters, sorting, pages and Link headers."""

from __future__ import annotations

import re

import pytest


def refs(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["ref"] for item in response.json()["items"]]


def links(response) -> dict[str, str]:
    """rel -> target of an RFC 8288 Link header."""
    return {rel: target for target, rel in re.findall(r'<([^>]*)>; rel="([^"]+)"', response.headers["link"])}


def test_engagements_are_listed_newest_first_by_default(client, registry_ws):
    assert refs(client.get(f"/api/workspaces/{registry_ws}/engagements")) == [
        "2025-06-02-climate-week-meeting",
        "2022-09-20-reception-for-the-president",
        "2018-04-10-call-with-the-prime-minister",
    ]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"topic": "climate"}, ["2025-06-02-climate-week-meeting", "2018-04-10-call-with-the-prime-minister"]),
        ({"sdg": 11}, ["2018-04-10-call-with-the-prime-minister"]),
        ({"partner": "hcmc"}, ["2025-06-02-climate-week-meeting", "2022-09-20-reception-for-the-president"]),
        ({"person": "eric-garcetti"}, ["2018-04-10-call-with-the-prime-minister"]),
        ({"kind": "reception"}, ["2022-09-20-reception-for-the-president"]),
        ({"status": "planned"}, ["2025-06-02-climate-week-meeting"]),
        (
            {"country": "VN", "date_to": "2022-12-31"},
            ["2022-09-20-reception-for-the-president", "2018-04-10-call-with-the-prime-minister"],
        ),
        ({"date_from": "2022-09-20", "date_to": "2022-09-20"}, ["2022-09-20-reception-for-the-president"]),
        ({"q": "prime"}, ["2018-04-10-call-with-the-prime-minister"]),
        (
            {"sort": "start"},
            [
                "2018-04-10-call-with-the-prime-minister",
                "2022-09-20-reception-for-the-president",
                "2025-06-02-climate-week-meeting",
            ],
        ),
        (
            {"sort": "title"},
            [
                "2018-04-10-call-with-the-prime-minister",
                "2025-06-02-climate-week-meeting",
                "2022-09-20-reception-for-the-president",
            ],
        ),
    ],
)
def test_engagement_filters_and_sorting(client, registry_ws, params, expected):
    assert refs(client.get(f"/api/workspaces/{registry_ws}/engagements", params=params)) == expected


def test_other_record_types_filter_by_what_applies_to_them(client, registry_ws):
    base = f"/api/workspaces/{registry_ws}"
    assert refs(client.get(f"{base}/partners", params={"kind": "city"})) == ["hcmc"]
    assert refs(client.get(f"{base}/people", params={"partner": "government-of-viet-nam"})) == ["nguyen-xuan-phuc"]
    assert refs(client.get(f"{base}/posts", params={"person": "nguyen-xuan-phuc", "date_from": "2022-01-01"})) == [
        "nguyen-xuan-phuc/president/2021"
    ]
    assert refs(client.get(f"{base}/places", params={"country": "vn", "sort": "name"})) == [
        "geonames:1566083",
        "country:vn",
    ]
    assert refs(client.get(f"{base}/agreements", params={"partner": "hcmc", "status": "in_force"})) == [
        "2018-memorandum-on-climate-cooperation"
    ]


def test_pages_and_link_headers(client, registry_ws):
    base = f"/api/workspaces/{registry_ws}/engagements"
    first = client.get(base, params={"per_page": 2, "topic": "climate"})
    assert first.json() | {"items": None} == {"items": None, "total": 2, "page": 1, "per_page": 2, "pages": 1}

    first = client.get(base, params={"per_page": 2, "sort": "start"})
    body = first.json()
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (3, 1, 2, 2)
    assert len(body["items"]) == 2
    rels = links(first)
    assert "prev" not in rels
    assert set(rels) == {"first", "next", "last"}

    second = client.get(rels["next"])
    assert refs(second) == ["2025-06-02-climate-week-meeting"]
    rels2 = links(second)
    assert "next" not in rels2
    assert "sort=start" in rels2["prev"] and "per_page=2" in rels2["prev"], "links keep the filters and sort"
    assert refs(client.get(rels2["prev"])) == refs(first)


def test_a_page_past_the_end_is_empty_but_still_links_back(client, registry_ws):
    response = client.get(f"/api/workspaces/{registry_ws}/engagements", params={"page": 9})
    assert response.json()["items"] == []
    assert "page=1" in links(response)["prev"]


@pytest.mark.parametrize(
    "plural, params, field",
    [
        ("partners", {"topic": "trade"}, "topic"),
        ("networks", {"country": "VN"}, "country"),
        ("people", {"sort": "-start"}, "sort"),
        ("engagements", {"per_page": 1000}, "per_page"),
        ("engagements", {"page": 0}, "page"),
        ("engagements", {"date_from": "2024-02-30"}, "date_from"),
        ("engagements", {"sdg": "climate"}, "sdg"),
        ("engagements", {"sdg": 18}, "sdg"),
        ("engagements", {"sdg": 2**31}, "sdg"),
        ("engagements", {"topics": "trade"}, "topics"),
    ],
)
def test_a_filter_that_does_not_apply_is_refused_not_ignored(client, registry_ws, plural, params, field):
    response = client.get(f"/api/workspaces/{registry_ws}/{plural}", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_lists_only_show_the_workspaces_own_records(client, registry_ws, workspace_factory, client_as):
    other = workspace_factory()
    client_as("staff", other)  # the signed-in staff member belongs to both workspaces
    assert client.get(f"/api/workspaces/{other}/engagements").json()["total"] == 0
    assert client.get(f"/api/workspaces/{registry_ws}/engagements").json()["total"] == 3


@pytest.fixture
def workspace_factory(engine, actor):
    from citydiplomacy.services.registry import create_workspace
    from tests.fixtures.database import unique

    def make() -> str:
        slug = unique("ws")
        create_workspace(engine, {"slug": slug, "name": slug, "country_code": "US"}, actor)
        return slug

    return make


def test_a_longer_page_costs_no_more_queries(client, registry_ws, engine):
    """Lists load a page in a fixed number of queries (no query per row)."""
    from sqlalchemy import event

    for day in range(1, 7):
        response = client.post(
            f"/api/workspaces/{registry_ws}/engagements",
            json={
                "title": f"Weekly call {day}",
                "kind": "call",
                "start": f"2024-01-0{day}T09:00:00",
                "partners": ["hcmc"],
                "participants": [
                    {"person": "eric-garcetti", "side": "ours", "post": "eric-garcetti/mayor-of-los-angeles/2013"}
                ],
                "topics": ["trade"],
                "sdgs": [8],
                "follow_ups": [{"description": "Send minutes"}],
            },
        )
        assert response.status_code == 201
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def queries_for(per_page: int) -> int:
        statements.clear()
        response = client.get(
            f"/api/workspaces/{registry_ws}/engagements", params={"per_page": per_page, "q": "weekly"}
        )
        assert len(response.json()["items"]) == per_page
        return len(statements)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert queries_for(1) == queries_for(6)
    finally:
        event.remove(engine, "before_cursor_execute", count)
