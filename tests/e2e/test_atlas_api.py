"""The atlas through the REST API: metrics, countries, timeline, introduction paths,
suggestions, map layers and images of a workspace; the twin-town report and picks (site
administrators only, since the list is shared by every workspace)."""

from __future__ import annotations

import pytest

from citydiplomacy.demo import build_demo
from citydiplomacy.services import atlas
from tests.fixtures.database import unique


@pytest.fixture(scope="module")
def demo(engine) -> str:
    slug = unique("la-atlas-api")
    build_demo(engine, slug=slug)
    return slug


def test_paths_metrics_countries_and_timeline(client_as, demo):
    api = client_as("viewer", demo)
    base = f"/api/workspaces/{demo}/atlas"
    answer = api.get(f"{base}/paths", params={"target": "Kaohsiung", "k": 2}).json()
    assert answer["source_label"] == "Los Angeles" and answer["target_label"] == "Kaohsiung"
    assert len(answer["paths"]) == 2
    first = answer["paths"][0]
    assert [s["to_label"] for s in first["steps"]] == ["Busan", "Kaohsiung"]
    assert [s["source"] for s in first["steps"]] == ["workspace", "reference"]
    assert first["steps"][0]["evidence"] == "agreements/sister-city-busan"
    metrics = api.get(f"{base}/metrics", params={"top": 5}).json()
    assert metrics["scope"] == "workspace" and len(metrics["degree_top"]) == 5
    countries = {c["country_code"]: c for c in api.get(f"{base}/countries").json()}
    assert countries["VN"]["engagements"] >= 2 and countries["KR"]["sister_cities"] >= 1
    years = [row["year"] for row in api.get(f"{base}/timeline").json()]
    assert years == sorted(years) and 2018 in years


def test_a_path_to_nowhere_and_an_ambiguous_target_are_problems(client_as, demo):
    api = client_as("viewer", demo)
    ambiguous = api.get(f"/api/workspaces/{demo}/atlas/paths", params={"target": "Springfield"})
    assert ambiguous.status_code == 422
    assert ambiguous.headers["content-type"].startswith("application/problem+json")
    assert ambiguous.json()["errors"][0]["field"] == "target"
    missing = api.get(f"/api/workspaces/{demo}/atlas/paths")
    assert missing.status_code == 422


def test_suggestions_and_target_autocomplete(client_as, demo):
    api = client_as("viewer", demo)
    answer = api.get(
        f"/api/workspaces/{demo}/atlas/suggestions", params={"goal": "a sister city in West Africa"}
    ).json()
    assert answer["reading"]["region"] == "Western Africa" and answer["reading"]["wants"] == "sister city"
    assert answer["suggestions"] and all(s["reasons"] for s in answer["suggestions"])
    items = api.get(f"/api/workspaces/{demo}/atlas/targets", params={"q": "Kaohs"}).json()["items"]
    assert items[0] == {"value": "Kaohsiung, Taiwan", "label": "Kaohsiung (Taiwan)", "kind": "city"}
    partners = api.get(f"/api/workspaces/{demo}/atlas/targets", params={"q": "Busan"}).json()["items"]
    assert any(i["kind"] == "partner" for i in partners)


def test_map_layers_svg_and_png(client_as, demo):
    api = client_as("viewer", demo)
    base = f"/api/workspaces/{demo}/atlas"
    layers = api.get(f"{base}/map", params={"view": "Asia"}).json()
    assert layers["view"] == "Asia" and layers["countries"]["type"] == "FeatureCollection"
    korea = next(f for f in layers["countries"]["features"] if f["id"] == "KR")
    assert korea["properties"]["value"] >= 1
    assert any(f["properties"]["to"] == "Busan" for f in layers["links"]["features"])
    svg = api.get(f"{base}/map.svg", params={"view": "Europe", "download": True})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-disposition"] == f'attachment; filename="{demo}-atlas-europe.svg"'
    assert svg.text.startswith("<svg") and "<a href" not in svg.text and "style=" not in svg.text
    png = api.get(f"{base}/map.png", params={"width": 400})
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    bad = api.get(f"{base}/map.svg", params={"view": "Atlantis"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "view"


def test_the_twin_report_pages_and_filters(client_as, demo, engine):
    api = client_as("viewer", demo)
    page = api.get("/api/atlas/twins/report", params={"status": "ambiguous", "per_page": 3})
    body = page.json()
    assert page.status_code == 200 and len(body["items"]) <= 3
    assert all(item["status"] == "ambiguous" and item["candidates"] for item in body["items"])
    assert body["statuses"]["ambiguous"] == body["total"]
    assert 'rel="next"' in page.headers["link"]
    country = api.get("/api/atlas/twins/report", params={"q": "Busan"}).json()
    assert any(item["resolved_name"] == "Busan" for item in country["items"])
    assert api.get("/api/atlas/twins/report", params={"status": "maybe"}).status_code == 422


def test_only_site_administrators_pick(client_as, demo, engine):
    row = next(
        r
        for r in atlas.twin_report(engine, status="unresolved", per_page=200).items
        if r.input_name not in {"Falkland Islands"}
    )
    body = {"input_name": row.input_name, "input_country": row.input_country, "geonames_id": 5368361}
    for role in ("viewer", "staff", "admin"):
        refused = client_as(role, demo).post("/api/atlas/twins/picks", json=body)
        assert refused.status_code == 403, role
        assert "site administrators" in refused.json()["detail"]
    admin = client_as("site_admin")
    unknown = admin.post("/api/atlas/twins/picks", json=body | {"input_name": "Nowhere at all"})
    assert unknown.status_code == 404
    not_a_place = admin.post("/api/atlas/twins/picks", json=body | {"geonames_id": 999999999})
    assert not_a_place.status_code == 422 and not_a_place.json()["errors"][0]["field"] == "geonames_id"
