"""Partner, person, place and country pages with their history; the agreement lifecycle."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

MOU = "2018-memorandum-on-climate-cooperation"


def today():
    return datetime.now(ZoneInfo("America/Los_Angeles")).date()


def csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def test_a_partners_page_shows_its_history_newest_first_and_its_current_posts(client, registry_ws):
    client.post(
        f"/api/workspaces/{registry_ws}/engagements",
        json={
            "title": "Follow-up call",
            "kind": "call",
            "start": "2024-02-01T08:00:00",
            "timezone": "Asia/Ho_Chi_Minh",
            "partners": ["government-of-viet-nam"],
            "follow_ups": [
                {"description": "Draft the trade memo", "owner": "Ana", "due_on": "2024-03-01"},
                {"description": "Thank-you letter", "done": True},
            ],
        },
    )
    twin = client.get(f"/w/{registry_ws}/partners/government-of-viet-nam.json").json()
    assert [e["title"]["text"] for e in twin["timeline"]] == [
        "Follow-up call",
        "Reception for the President",
        "Call with the Prime Minister",
    ]
    assert twin["timeline"][0]["when"] == "1 Feb 2024, 08:00 (Asia/Ho_Chi_Minh, UTC+07:00)"
    assert [[c["text"] for c in row[:2]] for row in twin["current_posts"]] == [["Nguyen Xuan Phuc", "President"]]
    assert [f["description"] for f in twin["follow_ups"]] == ["Draft the trade memo"]
    assert twin["follow_ups"][0]["overdue"] is True
    assert {"label": "Country", "text": "Vietnam (VN)", "url": f"/w/{registry_ws}/countries/VN"} in twin["facts"]
    text = client.get(f"/w/{registry_ws}/partners/government-of-viet-nam").text
    assert "History: engagements and agreements, newest first" in text and "overdue" in text
    hcmc = client.get(f"/w/{registry_ws}/partners/hcmc.json").json()
    assert [e["what"] for e in hcmc["timeline"]] == ["Meeting", "Reception", "Agreement signed"]


def test_a_persons_page_shows_posts_held_today_and_the_posts_in_the_timeline(client, registry_ws):
    twin = client.get(f"/w/{registry_ws}/people/nguyen-xuan-phuc.json").json()
    assert [row[0]["text"] for row in twin["current_posts"]] == ["President"]
    assert [(e["what"], e["title"]["text"]) for e in twin["timeline"]][:3] == [
        ("Reception", "Reception for the President"),
        ("Post began", "President"),
        ("Post ended", "Prime Minister"),
    ]
    garcetti = client.get(f"/w/{registry_ws}/people/eric-garcetti.json").json()
    assert garcetti["current_posts"] == [], "his term ended in 2022"
    assert "No post held today is recorded." in client.get(f"/w/{registry_ws}/people/eric-garcetti").text


def test_a_place_page_lists_what_happened_there(client, registry_ws):
    twin = client.get(f"/w/{registry_ws}/places/geonames:5368361.json").json()
    assert twin["in_registry"] is True
    assert [e["title"]["text"] for e in twin["timeline"]] == ["Reception for the President"]
    hcmc = client.get(f"/w/{registry_ws}/places/geonames:1566083.json").json()
    assert [row[0]["text"] for row in hcmc["partners"]] == ["Ho Chi Minh City People's Committee"]
    assert {"label": "Country", "text": "Vietnam (VN)", "url": f"/w/{registry_ws}/countries/VN"} in hcmc["facts"]


def test_a_gazetteer_place_has_a_page_and_can_be_added(client, client_as, registry_ws):
    page = client.get(f"/w/{registry_ws}/places/geonames:1850147")
    assert page.status_code == 200 and "Tokyo" in page.text and "does not hold it yet" in page.text
    assert client.get(f"/w/{registry_ws}/places/geonames:1850147.json").json()["in_registry"] is False
    viewer = client_as("viewer", registry_ws)
    assert "Add Tokyo to the registry" not in viewer.get(f"/w/{registry_ws}/places/geonames:1850147").text
    assert viewer.post(f"/w/{registry_ws}/places/from-gazetteer", data={"ref": "geonames:1850147"}).status_code == 403
    added = client.post(
        f"/w/{registry_ws}/places/from-gazetteer", data={"ref": "geonames:1850147"}, follow_redirects=False
    )
    assert added.status_code == 303
    assert client.get(f"/api/workspaces/{registry_ws}/places/geonames:1850147").json()["name"] == "Tokyo"
    assert client.get(f"/w/{registry_ws}/places/geonames:999999999999").status_code == 404


def test_a_country_page_gathers_partners_engagements_agreements_and_places(client, registry_ws):
    twin = client.get(f"/w/{registry_ws}/countries/VN.json").json()
    assert twin["name"] == "Vietnam"
    assert sorted(row[0]["text"] for row in twin["partners"]) == [
        "Government of Viet Nam",
        "Ho Chi Minh City People's Committee",
    ]
    assert sorted(row[0]["text"] for row in twin["places"]) == ["Ho Chi Minh City", "Viet Nam"]
    assert [e["title"]["text"] for e in twin["timeline"]] == [
        "Climate week meeting",
        "Reception for the President",
        "Call with the Prime Minister",
        "Memorandum on climate cooperation",
    ]  # the call and the signing were on the same day
    assert client.get(f"/w/{registry_ws}/countries/vn").status_code == 200
    assert client.get(f"/w/{registry_ws}/countries/XX").status_code == 404


def test_the_agreement_lifecycle_offers_only_allowed_steps(client, registry_ws):
    twin = client.get(f"/w/{registry_ws}/agreements/{MOU}.json").json()
    assert [s["url"] for s in twin["next_statuses"]] == ["dormant", "lapsed", "terminated"]
    url = f"/w/{registry_ws}/agreements/{MOU}/status"
    assert client.post(url, data={"status": "dormant"}, follow_redirects=False).status_code == 303
    assert client.get(f"/api/workspaces/{registry_ws}/agreements/{MOU}").json()["status"] == "dormant"
    refused = client.post(url, data={"status": "proposed"})
    assert refused.status_code == 422 and "cannot become proposed" in refused.text
    assert client.post(url, data={"status": "terminated"}, follow_redirects=False).status_code == 303
    twin = client.get(f"/w/{registry_ws}/agreements/{MOU}.json").json()
    assert twin["next_statuses"] == []
    assert "Terminated is final" in client.get(f"/w/{registry_ws}/agreements/{MOU}").text
    edit = client.get(f"/w/{registry_ws}/agreements/{MOU}/edit").text
    assert '<option value="in_force"' not in edit, "the edit form offers only allowed statuses"
    forced = client.post(
        f"/w/{registry_ws}/agreements/{MOU}/edit",
        data={
            "csrf_token": csrf(client, f"/w/{registry_ws}/agreements/{MOU}/edit"),
            "title": "Memorandum on climate cooperation",
            "kind": "memorandum_of_understanding",
            "status": "in_force",
            "signed_on": "2018-04-10",
            "parties-0-partner": "hcmc",
            "parties-1-us": "on",
        },
    )
    assert forced.status_code == 422 and 'aria-invalid="true"' in forced.text


def test_a_viewer_cannot_change_an_agreements_status(client_as, registry_ws):
    viewer = client_as("viewer", registry_ws)
    assert viewer.get(f"/w/{registry_ws}/agreements/{MOU}.json").json()["next_statuses"] == []
    assert viewer.post(f"/w/{registry_ws}/agreements/{MOU}/status", data={"status": "dormant"}).status_code == 403


def test_expiry_warnings_on_the_list_and_the_page(client, registry_ws):
    soon, past = today() + timedelta(days=30), today() - timedelta(days=5)
    client.post(
        f"/api/workspaces/{registry_ws}/agreements",
        json={
            "ref": "expiring",
            "title": "Expiring tie",
            "kind": "friendship_city",
            "status": "in_force",
            "signed_on": "2020-01-01",
            "expires_on": str(soon),
        },
    )
    client.post(
        f"/api/workspaces/{registry_ws}/agreements",
        json={
            "ref": "expired",
            "title": "Expired tie",
            "kind": "friendship_city",
            "status": "in_force",
            "signed_on": "2020-01-01",
            "expires_on": str(past),
        },
    )
    listing = client.get(f"/w/{registry_ws}/agreements.json").json()
    warnings = {item["ref"]: row[-1]["text"] for item, row in zip(listing["items"], listing["rows"])}
    assert warnings["expiring"] == f"Expires on {soon.day} {soon:%b %Y} (in 30 days)"
    assert warnings["expired"].startswith("Expired on") and warnings[MOU] == ""
    page = client.get(f"/w/{registry_ws}/agreements/expired")
    assert "Expired:" in page.text
    assert client.get(f"/w/{registry_ws}/agreements/expiring.json").json()["warning_level"] == "expiring"


def test_lists_offer_exports_and_a_button_to_add(client, client_as, registry_ws):
    text = client.get(f"/w/{registry_ws}/engagements").text
    for href in ("/export/engagements.csv", "/export/engagements.json", "/export/engagements.ics"):
        assert f'href="/w/{registry_ws}{href}"' in text
    assert f'href="/w/{registry_ws}/engagements/new"' in text
    viewer_text = client_as("viewer", registry_ws).get(f"/w/{registry_ws}/partners").text
    assert "/export/partners.csv" in viewer_text and "/partners/new" not in viewer_text
    places = client.get(f"/w/{registry_ws}/places.json").json()
    assert places["total"] == 3


def test_a_record_shows_on_every_page_it_concerns_whichever_way_it_was_linked(client, registry_ws):
    """A sister-city agreement hung on the place, and a call linked only to the President,
    still show on the partner's, the place's and the country's pages."""
    api = f"/api/workspaces/{registry_ws}"
    sister = {
        "ref": "sister-city-hcmc",
        "title": "Sister cities: Los Angeles – Ho Chi Minh City",
        "kind": "sister_city",
        "status": "in_force",
        "signed_on": "2009-06-01",
        "parties": [{"us": True}, {"place": "geonames:1566083"}],
    }
    assert client.post(f"{api}/agreements", json=sister).status_code == 201
    call = {
        "ref": "call-with-the-president",
        "title": "Call with the President",
        "kind": "call",
        "status": "held",
        "start": "2023-03-01T09:00:00",
        "timezone": "Asia/Ho_Chi_Minh",
        "participants": [{"person": "nguyen-xuan-phuc", "side": "theirs"}],
    }
    assert client.post(f"{api}/engagements", json=call).status_code == 201

    def titles(page, key):
        return {row[0 if key == "agreements" else 1]["text"] for row in page[key]["rows"]}

    hcmc = client.get(f"/w/{registry_ws}/partners/hcmc.json").json()
    assert "Sister cities: Los Angeles – Ho Chi Minh City" in titles(hcmc, "agreements")
    assert hcmc["agreements"]["total"] == 2
    government = client.get(f"/w/{registry_ws}/partners/government-of-viet-nam.json").json()
    assert "Call with the President" in titles(government, "engagements")
    assert "Call with the President" in {e["title"]["text"] for e in government["timeline"]}
    assert "Sister cities: Los Angeles – Ho Chi Minh City" not in titles(government, "agreements")

    place = client.get(f"/w/{registry_ws}/places/geonames:1566083.json").json()
    on_place = {e["title"]["text"] for e in place["timeline"]}
    # the agreement hangs on the place; the memorandum and the meetings name the city's government
    assert {"Sister cities: Los Angeles – Ho Chi Minh City", "Memorandum on climate cooperation"} <= on_place
    assert "Climate week meeting" in on_place and "Call with the President" not in on_place
    country = client.get(f"/w/{registry_ws}/countries/VN.json").json()
    assert {"Call with the President", "Sister cities: Los Angeles – Ho Chi Minh City"} <= {
        e["title"]["text"] for e in country["timeline"]
    }
    listed = client.get(f"{api}/engagements", params={"partner": "government-of-viet-nam"}).json()
    assert "call-with-the-president" in {e["ref"] for e in listed["items"]}


def test_lists_and_their_filters_read_in_names_not_refs(client, registry_ws):
    """People read 'Ho Chi Minh City People's Committee, City of …', not 'hcmc, us'."""
    listed = client.get(f"/w/{registry_ws}/agreements.json").json()
    parties = listed["rows"][0][listed["headers"].index("Parties")]
    assert parties["text"] == f"Ho Chi Minh City People's Committee, {listed['workspace']['name']}"
    assert [link["url"] for link in parties["links"]] == [f"/w/{registry_ws}/partners/hcmc", None]
    engagements = client.get(f"/w/{registry_ws}/engagements.json").json()
    column = engagements["headers"].index("Partners")
    assert "Government of Viet Nam, Ho Chi Minh City People's Committee" in {
        row[column]["text"] for row in engagements["rows"]
    }
    filters = {f["name"]: f for f in engagements["filters"]}
    assert filters["partner"]["label"] == "Partner" and filters["partner"]["input"] == "select"
    assert {"value": "hcmc", "label": "Ho Chi Minh City People's Committee"} in filters["partner"]["options"]
    assert {"value": "VN", "label": "Vietnam"} in filters["country"]["options"]
    partners = client.get(f"/w/{registry_ws}/partners.json").json()
    country = partners["headers"].index("Country")
    assert "Vietnam" in {row[country]["text"] for row in partners["rows"]}
    page = client.get(f"/w/{registry_ws}/agreements").text
    assert "geonames:" not in page.split("<main", 1)[1].split("Export", 1)[0].replace('href="', "")
