"""One search box over every record type, showing only what the reader may see."""

from __future__ import annotations


def test_one_query_finds_matches_of_every_type(client, registry_ws):
    twin = client.get(f"/w/{registry_ws}/search.json", params={"q": "climate"}).json()
    found = {s["plural"]: [row[0]["text"] for row in s["rows"]] for s in twin["sections"] if s["total"]}
    assert found == {
        "engagements": ["Climate week meeting"],
        "partners": ["C40 Cities Climate Leadership Group"],
        "agreements": ["Memorandum on climate cooperation"],
    }
    text = client.get(f"/w/{registry_ws}/search", params={"q": "climate"}).text
    assert 'role="search"' in text and 'value="climate"' in text, "the header box keeps the query"
    assert "3 matches across every record type" in text


def test_names_and_refs_of_people_and_places_are_searched(client, registry_ws):
    twin = client.get(f"/w/{registry_ws}/search.json", params={"q": "ho chi minh"}).json()
    found = {s["plural"]: s["total"] for s in twin["sections"] if s["total"]}
    assert found == {"partners": 1, "places": 1}
    people = client.get(f"/w/{registry_ws}/search.json", params={"q": "garcetti"}).json()
    assert {s["plural"] for s in people["sections"] if s["total"]} == {"people", "posts"}


def test_results_of_one_type_page_through(client, registry_ws):
    for n in range(30):
        client.post(
            f"/api/workspaces/{registry_ws}/partners", json={"name": f"Trade office {n:02d}", "kind": "trade_office"}
        )
    overview = client.get(f"/w/{registry_ws}/search.json", params={"q": "trade office"}).json()
    partners = next(s for s in overview["sections"] if s["plural"] == "partners")
    assert partners["total"] == 30 and len(partners["rows"]) == 5 and "type=partners" in partners["more_url"]
    second = client.get(
        f"/w/{registry_ws}/search.json", params={"q": "trade office", "type": "partners", "page": 2}
    ).json()
    (only,) = second["sections"]
    assert only["page"] == 2 and only["pages"] == 2 and len(only["rows"]) == 5 and only["prev_url"]
    assert client.get(f"/w/{registry_ws}/search", params={"q": "x", "type": "secrets"}).status_code == 422


def test_a_viewer_never_finds_a_confidential_record(client, client_as, registry_ws):
    client.post(
        f"/api/workspaces/{registry_ws}/engagements",
        json={
            "title": "Confidential climate talks",
            "kind": "meeting",
            "start": "2024-05-05T10:00:00",
            "confidentiality": "confidential",
        },
    )
    viewer = client_as("viewer", registry_ws)
    seen = viewer.get(f"/w/{registry_ws}/search.json", params={"q": "confidential climate"}).json()
    assert seen["total"] == 0
    assert "Confidential climate talks" not in viewer.get(f"/w/{registry_ws}/search", params={"q": "climate"}).text
    assert client.get(f"/w/{registry_ws}/search.json", params={"q": "confidential climate"}).json()["total"] == 1


def test_an_empty_query_explains_what_is_searched(client, registry_ws):
    text = client.get(f"/w/{registry_ws}/search").text
    assert "every engagement, partner, person" in text
    assert client.get(f"/w/{registry_ws}/search.json").json()["sections"] == []


def test_another_workspace_cannot_be_searched(client, registry_ws, engine, actor):
    from citydiplomacy.services.registry import create_workspace
    from tests.fixtures.database import unique

    other = unique("ws")
    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "VN"}, actor)
    assert client.get(f"/w/{other}/search", params={"q": "climate"}).status_code == 404
    assert client.get(f"/w/{other}/autocomplete/partners", params={"q": "h"}).status_code == 404
