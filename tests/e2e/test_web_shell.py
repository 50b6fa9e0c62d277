"""Staff browse the registry in the web shell; every page has a JSON twin with the same data."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

CALL = "2018-04-10-call-with-the-prime-minister"
RECEPTION = "2022-09-20-reception-for-the-president"


class Page(HTMLParser):
    """What an accessibility check needs from a page: inputs, labels, landmarks, links."""

    def __init__(self, html: str):
        super().__init__()
        self.controls: list[str] = []
        self.labels: set[str] = set()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(attrs.get("id"))
        if tag == "label":
            self.labels.add(attrs.get("for"))

    def has(self, tag: str, **attrs) -> bool:
        return any(t == tag and all(a.get(k) == v for k, v in attrs.items()) for t, a in self.tags)


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def assert_accessible(text: str) -> None:
    page = Page(text)
    assert page.has("html", lang="en")
    assert page.has("a", href="#main"), "skip link"
    assert page.has("main", id="main")
    assert page.has("header") and page.has("footer")
    assert page.has("link", rel="stylesheet", href="/static/style.css")
    assert all(control in page.labels for control in page.controls), "every form control has a label"
    assert not page.has("script"), "no JavaScript needed"


def test_home_lists_workspaces(client, registry_ws):
    text = html(client, "/")
    assert_accessible(text)
    assert f'href="/w/{registry_ws}/"' in text
    twin = client.get("/.json").json()
    assert registry_ws in [w["slug"] for w in twin["workspaces"]]
    assert client.get("/?format=json").json() == twin


def test_overview_counts_records_like_the_api(client, registry_ws):
    text = html(client, f"/w/{registry_ws}/")
    assert_accessible(text)
    assert "Call with the Prime Minister" in text
    twin = client.get(f"/w/{registry_ws}/.json").json()
    counts = {c["plural"]: c["total"] for c in twin["counts"]}
    for plural, total in counts.items():
        assert client.get(f"/api/workspaces/{registry_ws}/{plural}").json()["total"] == total
    assert counts["engagements"] == 3 and counts["posts"] == 3
    assert client.get(f"/w/{registry_ws}", follow_redirects=False).headers["location"] == f"/w/{registry_ws}/"


@pytest.mark.parametrize(
    "plural, expected",
    [
        ("engagements", "Reception for the President"),
        ("partners", "Ho Chi Minh City People&#39;s Committee"),
        ("people", "Nguyen Xuan Phuc"),
        ("agreements", "Memorandum on climate cooperation"),
    ],
)
def test_list_pages_render_and_their_twins_hold_the_api_records(client, registry_ws, plural, expected):
    text = html(client, f"/w/{registry_ws}/{plural}")
    assert_accessible(text)
    assert expected in text
    twin = client.get(f"/w/{registry_ws}/{plural}.json").json()
    api = client.get(f"/api/workspaces/{registry_ws}/{plural}").json()
    assert twin["items"] == api["items"]
    assert twin["total"] == api["total"]
    assert len(twin["rows"]) == len(twin["items"])


def test_engagement_list_filters_with_the_same_parameters_as_the_api(client, registry_ws):
    params = {"topic": "climate", "sort": "start", "q": "", "kind": "", "date_from": ""}  # empty fields: no filter
    twin = client.get(f"/w/{registry_ws}/engagements.json", params=params).json()
    assert [i["ref"] for i in twin["items"]] == [CALL, "2025-06-02-climate-week-meeting"]
    assert twin["api_url"] == f"/api/workspaces/{registry_ws}/engagements?topic=climate&sort=start"
    assert [i["ref"] for i in client.get(twin["api_url"]).json()["items"]] == [i["ref"] for i in twin["items"]]
    text = html(client, f"/w/{registry_ws}/engagements")
    assert '<option value="climate">Climate</option>' in text
    chosen = html(client, f"/w/{registry_ws}/engagements?topic=climate")
    assert '<option value="climate" selected>Climate</option>' in chosen
    assert "2 found" in chosen


def test_engagement_list_pages(client, registry_ws):
    first = client.get(f"/w/{registry_ws}/engagements.json", params={"per_page": 2}).json()
    assert (first["page"], first["pages"], first["total"]) == (1, 2, 3)
    assert "next" in first["links"] and "prev" not in first["links"]
    text = html(client, f"/w/{registry_ws}/engagements?per_page=2")
    assert 'rel="next"' in text and "Page 1 of 2" in text
    assert '<input type="hidden" name="per_page" value="2">' in text, "filtering keeps the page size"
    second = client.get(first["links"]["next"].replace("/engagements?", "/engagements.json?")).json()
    assert [i["ref"] for i in second["items"]] == [CALL]


def test_a_bad_filter_on_a_page_is_explained_on_a_page(client, registry_ws):
    text = html(client, f"/w/{registry_ws}/engagements?date_from=yesterday", status=422)
    assert "date_from" in text and "yesterday" in text
    assert_accessible(text)
    twin = client.get(f"/w/{registry_ws}/engagements.json?date_from=yesterday")
    assert twin.status_code == 422
    assert twin.headers["content-type"] == "application/problem+json"
    assert twin.json()["errors"][0]["field"] == "date_from"


def test_engagement_page_shows_each_participants_title_on_the_day_and_the_time_zone(client, registry_ws):
    text = html(client, f"/w/{registry_ws}/engagements/{CALL}")
    assert_accessible(text)
    assert "10 Apr 2018, 10:00 (Asia/Ho_Chi_Minh, UTC+07:00)" in text
    assert "Prime Minister" in text and "Mayor of Los Angeles" in text
    assert "Illustrative test data." in text
    twin = client.get(f"/w/{registry_ws}/engagements/{CALL}.json").json()
    assert twin["engagement"] == client.get(f"/api/workspaces/{registry_ws}/engagements/{CALL}").json()
    assert [(p["name"], p["title"], p["side"]) for p in twin["participants"]] == [
        ("Nguyen Xuan Phuc", "Prime Minister", "theirs"),
        ("Eric Garcetti", "Mayor of Los Angeles", "ours"),
    ]
    assert twin["sdgs"] == ["11. Sustainable cities and communities", "13. Climate action"]


def test_the_same_person_has_the_title_of_the_later_date(client, registry_ws):
    twin = client.get(f"/w/{registry_ws}/engagements/{RECEPTION}?format=json").json()
    assert twin["when"] == "20 Sep 2022, 18:30 (America/Los_Angeles, UTC-07:00)"
    assert [(p["name"], p["title"]) for p in twin["participants"]] == [("Nguyen Xuan Phuc", "President")]
    assert twin["venue"] == {"text": "Los Angeles", "url": f"/w/{registry_ws}/places/geonames:5368361"}


def test_a_pinned_post_wins_over_the_date(client, registry_ws):
    client.patch(
        f"/api/workspaces/{registry_ws}/engagements/{RECEPTION}",
        json={
            "participants": [
                {"person": "nguyen-xuan-phuc", "side": "theirs", "post": "nguyen-xuan-phuc/prime-minister/2016"}
            ],
        },
    )
    twin = client.get(f"/w/{registry_ws}/engagements/{RECEPTION}.json").json()
    assert (twin["participants"][0]["title"], twin["participants"][0]["title_from"]) == (
        "Prime Minister",
        "pinned post",
    )


def test_partner_page_shows_its_people_engagements_and_agreements(client, registry_ws):
    text = html(client, f"/w/{registry_ws}/partners/government-of-viet-nam")
    assert_accessible(text)
    twin = client.get(f"/w/{registry_ws}/partners/government-of-viet-nam.json").json()
    assert [[c["text"] for c in row[:2]] for row in twin["people"]] == [
        ["Nguyen Xuan Phuc", "President"],
        ["Nguyen Xuan Phuc", "Prime Minister"],
    ]
    assert twin["engagements"]["total"] == 2
    hcmc = client.get(f"/w/{registry_ws}/partners/hcmc.json").json()
    assert hcmc["agreements"]["rows"][0][0]["text"] == "Memorandum on climate cooperation"
    assert {"label": "Website", "text": "https://hochiminhcity.gov.vn", "url": "https://hochiminhcity.gov.vn"} in hcmc[
        "facts"
    ]


def test_person_page_lists_posts_latest_first(client, registry_ws):
    text = html(client, f"/w/{registry_ws}/people/eric-garcetti")
    assert "Our government" in text and "1 Jul 2013 – 12 Dec 2022" in text
    twin = client.get(f"/w/{registry_ws}/people/nguyen-xuan-phuc.json").json()
    assert [row[0]["text"] for row in twin["posts"]] == ["President", "Prime Minister"]
    assert twin["engagements"]["total"] == 2


def test_agreement_page_shows_parties_and_source(client, registry_ws):
    text = html(client, f"/w/{registry_ws}/agreements/2018-memorandum-on-climate-cooperation")
    assert_accessible(text)
    assert "illustrative test data" in text
    twin = client.get(f"/w/{registry_ws}/agreements/2018-memorandum-on-climate-cooperation.json").json()
    assert [p["text"] for p in twin["parties"]] == ["Ho Chi Minh City People's Committee", twin["workspace"]["name"]]


def test_user_content_is_escaped(client, registry_ws):
    client.post(
        f"/api/workspaces/{registry_ws}/partners",
        json={
            "ref": "evil",
            "name": "<script>alert('x')</script>",
            "kind": "company",
            "website": "javascript:alert(1)",
            "notes": "<b>bold</b>",
        },
    )
    for url in (f"/w/{registry_ws}/partners/evil", f"/w/{registry_ws}/partners"):
        text = html(client, url)
        assert "<script>" not in text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
    detail = html(client, f"/w/{registry_ws}/partners/evil")
    assert "&lt;b&gt;bold&lt;/b&gt;" in detail
    assert 'href="javascript:' not in detail


def test_unknown_pages_are_not_found(client, registry_ws):
    text = html(client, f"/w/{registry_ws}/people/nobody", status=404)
    assert_accessible(text)
    assert "nobody" in text
    assert client.get(f"/w/{registry_ws}/people/nobody.json").headers["content-type"] == "application/problem+json"
    html(client, "/w/no-such-workspace/", status=404)
    html(client, "/nowhere", status=404)


def test_another_workspaces_record_has_no_page_here(client, registry_ws, engine, actor):
    from citydiplomacy.services.registry import create_workspace
    from tests.fixtures.database import unique

    other = unique("ws")
    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "VN"}, actor)
    html(client, f"/w/{other}/partners/hcmc", status=404)


def test_the_stylesheet_is_served_locally_with_visible_focus(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert ":focus-visible" in response.text
    assert not re.search(r"https?://", response.text), "no external assets"
