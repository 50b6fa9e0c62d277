"""The atlas in the web app, on the real demo: a person opens the atlas, sees Los Angeles's ties
on the map, asks who can introduce them to a city they have no tie with and gets an explained
answer; the network, suggestions and the twin-town report are pages with JSON twins."""

from __future__ import annotations

import re

import pytest

from citydiplomacy.demo import build_demo
from citydiplomacy.services import atlas
from tests.fixtures.database import unique

#: names the atlas tests check by hand; the review test never picks for them
ATLAS_TEST_NAMES = {"Nerekhtsky District", "Dębica (rural gmina)", "County Kildare"}


@pytest.fixture(scope="module")
def demo(engine) -> str:
    """The Los Angeles demo (with its twin-town pairs), built once per backend."""
    slug = unique("la-atlas")
    build_demo(engine, slug=slug)
    return slug


def svg_of(html: str) -> str:
    return html[html.index("<svg xmlns") : html.index("</svg>", html.index("<svg xmlns")) + 6]


def test_a_person_opens_the_atlas_and_sees_los_angeles_ties_on_the_map(client_as, demo):
    viewer = client_as("viewer", demo)
    page = viewer.get(f"/w/{demo}/atlas")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/w/' + demo + '/atlas" aria-current="page">Map</a>' in html
    svg = svg_of(html)
    # our sister-city ties are arcs that link to their agreements, with a tooltip
    assert "Los Angeles — Busan: sister city (since 1971)" in svg
    assert f'<a href="/w/{demo}/agreements/sister-city-busan">' in svg
    # engagements by country: Viet Nam is shaded and links to its country page
    vietnam = re.search(r'<path class="country"[^>]*data-country="VN"[^>]*>', svg).group(0)
    assert 'data-value="0"' not in vietnam and f'data-href="/w/{demo}/countries/VN"' in vietnam
    assert "<title>Vietnam: " in svg
    # partners are markers; us too
    assert 'class="partner"' in svg and "<title>Los Angeles (us)</title>" in svg
    # CSP: no inline styles and no scripts in the inlined map
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    # the legend, the region picker, the exports and the data as a table
    assert "our sister cities" in html and '<option value="Europe">Europe</option>' in html
    assert f"/api/workspaces/{demo}/atlas/map.svg?view=world&amp;download=true" in html
    assert f"/api/workspaces/{demo}/atlas/map.png?view=world&amp;download=true" in html
    assert re.search(r'<th scope="row"><a href="/w/[^"]+/countries/VN">Vietnam</a></th>', html)


def test_a_regional_map_and_an_unknown_region(client_as, demo):
    viewer = client_as("viewer", demo)
    europe = viewer.get(f"/w/{demo}/atlas", params={"view": "west europe"})
    assert europe.status_code == 200
    assert 'data-view="Western Europe"' in europe.text
    assert '<option value="Western Europe" selected>' in europe.text
    atlantis = viewer.get(f"/w/{demo}/atlas", params={"view": "Atlantis"})
    assert atlantis.status_code == 422 and "unknown map view" in atlantis.text


def test_a_person_asks_who_can_introduce_us_to_a_city_we_have_no_tie_with(client_as, demo):
    viewer = client_as("viewer", demo)
    page = viewer.get(f"/w/{demo}/atlas/paths", params={"target": "Kaohsiung"})
    assert page.status_code == 200
    html = page.text
    assert "Read “Kaohsiung” as the city Kaohsiung (TW" in html
    assert (
        "Best chain (2 steps): Los Angeles — sister city (since 1971) — Busan — sister city of "
        "(Wikipedia&#39;s list) — Kaohsiung."
    ) in html
    # each step in words, with its source and a link to the record behind it
    assert "Source: our records" in html and "Source: Wikipedia&#39;s twin-town list" in html
    assert f'<a href="/w/{demo}/agreements/sister-city-busan">agreements/sister-city-busan</a>' in html
    assert 'href="/w/' + demo + '/places/geonames:1838524">Busan</a>' in html
    assert html.count('class="atlas-path"') == 3
    twin = viewer.get(f"/w/{demo}/atlas/paths.json", params={"target": "Kaohsiung", "k": 1}).json()
    assert twin["answer"]["target_label"] == "Kaohsiung" and len(twin["paths"]) == 1
    first = twin["paths"][0]
    assert first["hops"] == 2 and first["ours"] == 1
    assert first["steps"][0]["evidence"] == {
        "text": "agreements/sister-city-busan",
        "url": f"/w/{demo}/agreements/sister-city-busan",
    }


def test_an_ambiguous_or_empty_target_is_explained_not_guessed(client_as, demo):
    viewer = client_as("viewer", demo)
    ambiguous = viewer.get(f"/w/{demo}/atlas/paths", params={"target": "Springfield"})
    assert ambiguous.status_code == 422
    assert "could mean several places" in ambiguous.text and 'role="alert"' in ambiguous.text
    empty = viewer.get(f"/w/{demo}/atlas/paths")
    assert empty.status_code == 200 and "Who can introduce us to …" in empty.text
    assert 'list="atlas-target-options"' in empty.text


def test_the_network_page_has_centrality_communities_bridges_countries_and_time(client_as, demo):
    viewer = client_as("viewer", demo)
    page = viewer.get(f"/w/{demo}/atlas/network")
    assert page.status_code == 200
    html = page.text
    for heading in (
        "Most ties (degree)",
        "Communities",
        "Bridges between regions",
        "Our ties by country",
        "Change over time",
    ):
        assert heading in html, heading
    chart = html[html.index('class="atlas-chart"') - 80 :]
    assert "<rect" in chart and "style=" not in chart[: chart.index("</svg>")]
    twin = viewer.get(f"/w/{demo}/atlas/network.json").json()
    assert twin["metrics"]["scope"] == "workspace" and twin["metrics"]["degree_top"]
    years = {row["year"]: row for row in twin["timeline"]}
    assert years[2018]["engagements"] >= 1


def test_partner_suggestions_come_with_their_reasons(client_as, demo):
    viewer = client_as("viewer", demo)
    page = viewer.get(f"/w/{demo}/atlas/suggestions", params={"goal": "trade with Vietnam"})
    assert page.status_code == 200
    twin = viewer.get(f"/w/{demo}/atlas/suggestions.json", params={"goal": "trade with Vietnam"}).json()
    assert twin["answer"]["reading"]["countries"] == ["VN"]
    assert twin["suggestions"] and all(s["reasons"] for s in twin["suggestions"])
    first = twin["suggestions"][0]
    assert first["label"] in page.text and first["reasons"][0]["text"] in page.text.replace("&#39;", "'")
    empty = viewer.get(f"/w/{demo}/atlas/suggestions", params={"goal": " "})
    assert empty.status_code == 200 and "Suggestions (" not in empty.text


def test_the_twin_town_report_is_reviewable_and_only_site_admins_pick(client_as, demo, engine):
    staff = client_as("staff", demo)
    page = staff.get("/atlas/twins", params={"status": "ambiguous"})
    assert page.status_code == 200
    assert "Candidates for" in page.text and ">Pick</button>" not in page.text
    report = atlas.twin_report(engine, status="ambiguous", per_page=200)
    row = next(r for r in report.items if r.candidates and r.input_name not in ATLAS_TEST_NAMES)
    choice = row.candidates[0]
    form = {
        "input_name": row.input_name,
        "input_country": row.input_country,
        "geonames_id": str(choice["geonames_id"]),
        "back": "/atlas/twins?status=ambiguous",
    }
    assert staff.post("/atlas/twins/picks", data=form).status_code == 403

    admin = client_as("site_admin")
    listed = admin.get("/atlas/twins", params={"q": row.input_name})
    assert ">Pick</button>" in listed.text and 'name="csrf_token"' in listed.text
    picked = admin.post("/atlas/twins/picks", data=form, follow_redirects=False)
    assert picked.status_code == 303 and picked.headers["location"].startswith("/atlas/twins?status=ambiguous&picked=")
    after = admin.get("/atlas/twins.json", params={"q": row.input_name}).json()
    mine = next(
        r
        for r in after["report"]["items"]
        if r["input_name"] == row.input_name and r["input_country"] == row.input_country
    )
    assert mine["status"] == "resolved" and mine["geonames_ids"] == [choice["geonames_id"]]
    assert mine["picked_by"] == admin_name(admin)
    shown = admin.get("/atlas/twins", params={"q": row.input_name}).text
    assert f"Picked by {mine['picked_by']}." in shown


def admin_name(client) -> str:
    return client.get("/account.json").json()["username"]


def test_the_atlas_is_for_members_only(client_as, anonymous_client, demo, workspace):
    outsider = client_as("counsel", workspace)  # counsel is never made a member of the demo here
    assert outsider.get(f"/w/{demo}/atlas").status_code == 404
    assert anonymous_client.get(f"/w/{demo}/atlas", follow_redirects=False).status_code == 303
    assert anonymous_client.get("/atlas/twins", follow_redirects=False).status_code == 303
