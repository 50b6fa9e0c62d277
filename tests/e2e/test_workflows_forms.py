"""Log an engagement in under a minute, and create or change partners, people, agreements and places,
through the forms: errors beside the field, the user's input kept, suggestions, quick-add."""

from __future__ import annotations

import re
from html.parser import HTMLParser

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Inputs(HTMLParser):
    """The form controls of a page, by id: their attributes, and which labels point at them."""

    def __init__(self, html: str):
        super().__init__()
        self.controls: dict[str, dict] = {}
        self.labels: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden" and attrs.get("id"):
            self.controls[attrs["id"]] = attrs | {"tag": tag}
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])


def form_token(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    found = CSRF.search(page.text)
    assert found, "every form carries its CSRF token"
    return found.group(1)


def post_form(client, url: str, data: dict, **kw):
    token = form_token(client, url)
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=False, **kw)


ENGAGEMENT = {
    "title": "Call with the Consul General",
    "kind": "call",
    "channel": "phone",
    "status": "held",
    "start": "2026-03-04T15:30",
    "timezone": "Asia/Tokyo",
    "partners-0": "",
    "participants-0-person": "",
    "participants-0-side": "theirs",
    "topics": ["trade", "climate"],
    "sdgs": ["13"],
    "confidentiality": "internal",
    "official_capacity": "on",
    "initiated_by": "them",
}


def test_the_engagement_form_defaults_to_the_workspace_time_zone_and_labels_every_input(client, workspace):
    page = client.get(f"/w/{workspace}/engagements/new")
    assert page.status_code == 200
    assert '<option value="America/Los_Angeles" selected>' in page.text
    inputs = Inputs(page.text)
    assert all(control in inputs.labels for control in inputs.controls), "every control has a label"
    assert inputs.controls["f-partners-0"]["data-suggest"] == f"/w/{workspace}/autocomplete/partners"
    assert '<script src="/static/forms.js" defer></script>' in page.text
    twin = client.get(f"/w/{workspace}/engagements/new.json").json()
    assert twin["title"] == "Log an engagement"
    assert [g["legend"] for g in twin["groups"]][:4] == ["What and when", "Where", "Partners", "Participants"]


def test_logging_an_engagement_with_a_gazetteer_place_creates_the_place(client, workspace):
    client.post(
        f"/api/workspaces/{workspace}/partners",
        json={"ref": "cg-japan", "name": "Consulate General of Japan", "kind": "consulate", "country_code": "JP"},
    )
    client.post(f"/api/workspaces/{workspace}/people", json={"name": "Kenji Sato", "country_code": "JP"})
    response = post_form(
        client,
        f"/w/{workspace}/engagements/new",
        ENGAGEMENT
        | {
            "partners-0": "cg-japan",
            "participants-0-person": "kenji-sato",
            "participants-0-role": "lead",
            "venue_place": "geonames:1850147",  # Tokyo, from the gazetteer
            "follow_ups-0-description": "Send the climate plan",
            "follow_ups-0-due_on": "2026-03-20",
        },
    )
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    assert url == f"/w/{workspace}/engagements/2026-03-04-call-with-the-consul-general"
    record = client.get(f"/api/workspaces/{workspace}/engagements/2026-03-04-call-with-the-consul-general").json()
    assert record["start"] == "2026-03-04T15:30:00+09:00" and record["timezone"] == "Asia/Tokyo"
    assert record["partners"] == ["cg-japan"] and record["topics"] == ["trade", "climate"] and record["sdgs"] == [13]
    assert record["participants"] == [{"person": "kenji-sato", "side": "theirs", "post": None, "role": "lead"}]
    assert record["follow_ups"][0]["description"] == "Send the climate plan"
    assert record["entered_by"] and record["venue_place"] == "geonames:1850147"
    place = client.get(f"/api/workspaces/{workspace}/places/geonames:1850147").json()
    assert (place["name"], place["country_code"], place["kind"]) == ("Tokyo", "JP", "city")
    audit = client.get(f"/api/workspaces/{workspace}/audit", params={"record_type": "engagement"}).json()["items"]
    assert audit[0]["interface"] == "web" and audit[0]["action"] == "create"


def test_errors_appear_beside_their_field_and_the_input_is_kept(client, workspace):
    response = post_form(
        client,
        f"/w/{workspace}/engagements/new",
        ENGAGEMENT
        | {
            "title": "Visit of the delegation",
            "start": "",
            "partners-0": "nobody-we-know",
            "participants-0-person": "",
            "participants-0-role": "interpreter",
            "summary": "Keep <this> text",
        },
    )
    assert response.status_code == 422
    text = response.text
    inputs = Inputs(text)
    assert inputs.controls["f-start"].get("aria-invalid") == "true"
    assert "f-start-error" in inputs.controls["f-start"]["aria-describedby"]
    assert inputs.controls["f-partners-0"].get("aria-invalid") == "true"
    assert inputs.controls["f-participants-0-person"].get("aria-invalid") == "true"
    assert "no partner with ref &#39;nobody-we-know&#39;" in text or "no partner with ref" in text
    assert 'id="error-summary" role="alert"' in text and 'href="#f-start"' in text
    assert 'value="Visit of the delegation"' in text and "Keep &lt;this&gt; text" in text, "the input is kept"
    assert 'value="trade" checked' in text, "checked topics stay checked"
    twin = client.post(f"/w/{workspace}/engagements/new?format=json", data=ENGAGEMENT | {"start": ""})
    assert twin.status_code == 422
    twin_errors = {e["target"] for e in twin.json()["errors"]}
    assert "f-start" in twin_errors
    assert client.get(f"/api/workspaces/{workspace}/engagements").json()["total"] == 0, "nothing was written"


def test_an_error_in_a_later_row_points_at_that_row(client, workspace):
    client.post(f"/api/workspaces/{workspace}/people", json={"name": "Ana Lima"})
    response = post_form(
        client,
        f"/w/{workspace}/engagements/new",
        ENGAGEMENT
        | {
            "participants-0-person": "",
            "participants-1-person": "ana-lima",
            "participants-2-person": "ghost",
            "participants-2-side": "ours",
        },
    )
    assert response.status_code == 422
    inputs = Inputs(response.text)
    assert inputs.controls["f-participants-2-person"].get("aria-invalid") == "true"
    assert inputs.controls["f-participants-1-person"].get("aria-invalid") is None


def test_editing_an_engagement_shows_its_local_time_and_keeps_what_the_form_does_not_show(client, registry_ws):
    ref = "2018-04-10-call-with-the-prime-minister"
    page = client.get(f"/w/{registry_ws}/engagements/{ref}/edit")
    assert page.status_code == 200
    assert 'value="2018-04-10T10:00"' in page.text and '<option value="Asia/Ho_Chi_Minh" selected>' in page.text
    assert 'value="nguyen-xuan-phuc"' in page.text
    form = {
        "title": "Call with the Prime Minister (video)",
        "kind": "call",
        "channel": "video",
        "status": "held",
        "start": "2018-04-10T10:00",
        "timezone": "Asia/Ho_Chi_Minh",
        "partners-0": "government-of-viet-nam",
        "participants-0-person": "nguyen-xuan-phuc",
        "participants-0-side": "theirs",
        "participants-1-person": "eric-garcetti",
        "participants-1-side": "ours",
        "participants-1-role": "lead",
        "topics": ["trade", "climate"],
        "sdgs": ["11", "13"],
        "confidentiality": "internal",
        "official_capacity": "on",
        "initiated_by": "unknown",
        "notes": "Illustrative test data.",
    }
    response = post_form(client, f"/w/{registry_ws}/engagements/{ref}/edit", form)
    assert response.status_code == 303
    record = client.get(f"/api/workspaces/{registry_ws}/engagements/{ref}").json()
    assert record["title"] == "Call with the Prime Minister (video)"
    assert record["start"] == "2018-04-10T10:00:00+07:00"
    assert record["date_precision"] == "day", "fields not on the form keep their value"


def test_autocomplete_suggests_partners_people_and_gazetteer_places(client, registry_ws):
    partners = client.get(f"/w/{registry_ws}/autocomplete/partners", params={"q": "chi minh"}).json()["items"]
    assert [p["ref"] for p in partners] == ["hcmc"]
    assert partners[0]["label"] == "Ho Chi Minh City People's Committee" and "City" in partners[0]["detail"]
    people = client.get(f"/w/{registry_ws}/autocomplete/people", params={"q": "garc"}).json()["items"]
    assert [p["ref"] for p in people] == ["eric-garcetti"]
    places = client.get(f"/w/{registry_ws}/autocomplete/places", params={"q": "Ho Chi"}).json()["items"]
    assert places[0] == {"ref": "geonames:1566083", "label": "Ho Chi Minh City", "detail": "VN", "new": False}
    osaka = client.get(f"/w/{registry_ws}/autocomplete/places", params={"q": "osak"}).json()["items"]
    assert osaka[0]["label"] == "Osaka" and osaka[0]["new"] is True and osaka[0]["ref"].startswith("geonames:")
    assert client.get(f"/w/{registry_ws}/autocomplete/partners", params={"q": ""}).json() == {"items": []}
    assert client.get(f"/w/{registry_ws}/autocomplete/engagements", params={"q": "x"}).status_code == 404


def test_autocomplete_never_suggests_what_the_actor_may_not_see(client, client_as, workspace):
    client.post(
        f"/api/workspaces/{workspace}/partners",
        json={"ref": "quiet-partner", "name": "Quiet partner", "kind": "company", "confidentiality": "confidential"},
    )
    viewer = client_as("viewer", workspace)
    assert viewer.get(f"/w/{workspace}/autocomplete/partners", params={"q": "quiet"}).json() == {"items": []}
    assert [
        p["ref"] for p in client.get(f"/w/{workspace}/autocomplete/partners", params={"q": "quiet"}).json()["items"]
    ] == ["quiet-partner"]


def test_quick_add_creates_a_counterpart_and_answers_its_ref(client, workspace):
    response = client.post(
        f"/w/{workspace}/quick/partners",
        data={"name": "Consulate General of Korea", "kind": "consulate", "country_code": "kr"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201
    assert response.json() == {
        "ref": "consulate-general-of-korea",
        "name": "Consulate General of Korea",
        "url": f"/w/{workspace}/partners/consulate-general-of-korea",
        "detail": "Consulate",
    }
    again = client.post(
        f"/w/{workspace}/quick/partners",
        data={"name": "Consulate General of Korea", "kind": "consulate"},
        headers={"Accept": "application/json"},
    )
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "name"
    person = client.post(
        f"/w/{workspace}/quick/people", data={"name": "Min-jun Park"}, headers={"Accept": "application/json"}
    )
    assert person.status_code == 201 and person.json()["ref"] == "min-jun-park"
    bad = client.post(f"/w/{workspace}/quick/people", data={"name": ""}, headers={"Accept": "application/json"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "name"


def test_a_viewer_gets_no_form_and_cannot_post_one(client, client_as, registry_ws):
    viewer = client_as("viewer", registry_ws)
    assert viewer.get(f"/w/{registry_ws}/engagements/new").status_code == 403
    assert viewer.get(f"/w/{registry_ws}/partners/hcmc/edit").status_code == 403
    response = viewer.post(f"/w/{registry_ws}/engagements/new", data=ENGAGEMENT)
    assert response.status_code == 403
    quick = viewer.post(
        f"/w/{registry_ws}/quick/partners",
        data={"name": "X", "kind": "company"},
        headers={"Accept": "application/json"},
    )
    assert quick.status_code == 403
    page = viewer.get(f"/w/{registry_ws}/partners/hcmc")
    assert 'href="/w/' + registry_ws + '/partners/hcmc/edit"' not in page.text, "no edit button for a viewer"
    assert f"/w/{registry_ws}/partners/hcmc/edit" in client.get(f"/w/{registry_ws}/partners/hcmc").text


def test_a_form_posted_without_its_csrf_token_is_refused(client_as, workspace):
    bare = client_as("staff", workspace, csrf=False)
    response = bare.post(f"/w/{workspace}/engagements/new", data=ENGAGEMENT, follow_redirects=False)
    assert response.status_code == 403
    assert post_form(bare, f"/w/{workspace}/engagements/new", ENGAGEMENT).status_code == 303


def test_a_partner_is_added_and_changed_through_its_form(client, workspace):
    response = post_form(
        client,
        f"/w/{workspace}/partners/new",
        {
            "name": "Consulate General of Mexico",
            "kind": "consulate",
            "country_code": "mx",
            "place": "geonames:5368361",
            "other_names": "Consulado General de México\nConsulmex",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 303 and response.headers["location"].endswith(
        "/partners/consulate-general-of-mexico"
    )
    partner = client.get(f"/api/workspaces/{workspace}/partners/consulate-general-of-mexico").json()
    assert partner["other_names"] == ["Consulado General de México", "Consulmex"] and partner["country_code"] == "MX"
    assert partner["place"] == "geonames:5368361", "Los Angeles came from the gazetteer"
    bad = post_form(
        client,
        f"/w/{workspace}/partners/consulate-general-of-mexico/edit",
        {"name": "Consulate General of Mexico", "kind": "consulate", "country_code": "Mexico"},
    )
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text and "alpha-2" in bad.text
    ok = post_form(
        client,
        f"/w/{workspace}/partners/consulate-general-of-mexico/edit",
        {
            "name": "Consulate General of Mexico in Los Angeles",
            "kind": "consulate",
            "country_code": "MX",
            "place": "geonames:5368361",
            "confidentiality": "internal",
        },
    )
    assert ok.status_code == 303
    assert (
        client.get(f"/api/workspaces/{workspace}/partners/consulate-general-of-mexico")
        .json()["name"]
        .endswith("Angeles")
    )
    duplicate = post_form(
        client, f"/w/{workspace}/partners/new", {"name": "Consulate General of Mexico", "kind": "consulate"}
    )
    assert duplicate.status_code == 422 and "already exists" in duplicate.text


def test_a_person_is_saved_with_posts_and_a_post_can_be_removed(client, registry_ws):
    response = post_form(
        client,
        f"/w/{registry_ws}/people/new",
        {
            "name": "Tran Thi Mai",
            "country_code": "VN",
            "confidentiality": "internal",
            "posts-0-title": "Consul General of Viet Nam in San Francisco",
            "posts-0-partner": "government-of-viet-nam",
            "posts-0-start_date": "2023-01-01",
            "posts-0-seniority": "consul_general",
            "posts-1-title": "Deputy Consul",
            "posts-1-partner": "government-of-viet-nam",
            "posts-1-start_date": "2019-01-01",
            "posts-1-end_date": "2022-12-31",
        },
    )
    assert response.status_code == 303, response.text
    posts = client.get(f"/api/workspaces/{registry_ws}/posts", params={"person": "tran-thi-mai"}).json()["items"]
    assert sorted(p["title"] for p in posts) == ["Consul General of Viet Nam in San Francisco", "Deputy Consul"]
    page = client.get(f"/w/{registry_ws}/people/tran-thi-mai/edit")
    deputy = next(p["ref"] for p in posts if p["title"] == "Deputy Consul")
    general = next(p["ref"] for p in posts if p["title"] != "Deputy Consul")
    assert f'value="{deputy}"' in page.text
    rows = {
        "posts-0-ref": general,
        "posts-0-title": "Consul General of Viet Nam in San Francisco",
        "posts-0-partner": "government-of-viet-nam",
        "posts-0-start_date": "2023-01-01",
        "posts-1-ref": deputy,
        "posts-1-title": "Deputy Consul",
        "posts-1-partner": "government-of-viet-nam",
        "posts-1-remove": "on",
    }
    assert (
        post_form(
            client,
            f"/w/{registry_ws}/people/tran-thi-mai/edit",
            {"name": "Tran Thi Mai", "confidentiality": "internal", **rows},
        ).status_code
        == 303
    )
    posts = client.get(f"/api/workspaces/{registry_ws}/posts", params={"person": "tran-thi-mai"}).json()["items"]
    assert [p["title"] for p in posts] == ["Consul General of Viet Nam in San Francisco"]
    bad = post_form(client, f"/w/{registry_ws}/people/new", {"name": "Nobody Special", "posts-0-title": "Envoy"})
    assert bad.status_code == 422
    assert Inputs(bad.text).controls["f-posts-0-title"].get("aria-invalid") == "true", "the post's row is marked"
    assert client.get(f"/api/workspaces/{registry_ws}/people/nobody-special").status_code == 404


def test_an_agreement_and_a_place_are_added_through_their_forms(client, registry_ws):
    response = post_form(
        client,
        f"/w/{registry_ws}/agreements/new",
        {
            "title": "Sister city agreement with Da Nang",
            "kind": "sister_city",
            "status": "proposed",
            "parties-0-us": "on",
            "parties-1-place": "geonames:1583992",
            "confidentiality": "public",
        },
    )
    assert response.status_code == 303, response.text
    agreement = client.get(f"/api/workspaces/{registry_ws}/agreements/sister-city-agreement-with-da-nang").json()
    assert agreement["parties"] == [
        {"partner": None, "place": None, "us": True},
        {"partner": None, "place": "geonames:1583992", "us": False},
    ]
    bad = post_form(
        client,
        f"/w/{registry_ws}/agreements/new",
        {"title": "Broken", "kind": "pledge", "parties-0-us": "on", "parties-0-partner": "hcmc"},
    )
    assert bad.status_code == 422 and Inputs(bad.text).controls["f-parties-0-partner"].get("aria-invalid") == "true"
    place = post_form(
        client,
        f"/w/{registry_ws}/places/new",
        {"kind": "city", "name": "Hue", "country_code": "VN", "confidentiality": "public"},
    )
    assert place.status_code == 303 and place.headers["location"] == f"/w/{registry_ws}/places/place:vn-hue"
