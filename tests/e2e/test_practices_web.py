"""The Exchange in the web app, on the real demo: a person asks "how did other cities warn people
before earthquakes?", finds the right practices with the reasons they matched, opens one, records
that Los Angeles is borrowing it, and sees the transfer on the diffusion view. Viewers cannot
borrow, other workspaces are not found, the borrow form needs its CSRF token, and every page has
a JSON twin."""

from __future__ import annotations

import re

import pytest

from citydiplomacy.demo import build_demo
from citydiplomacy.exchange.embeddings import semantic_available
from citydiplomacy.services import accounts
from citydiplomacy.services import practices as svc
from citydiplomacy.services.registry import Actor
from tests.fixtures.database import unique
from tests.fixtures.web import TEST_PASSWORD, signed_in

QUESTION = "how did other cities warn people before earthquakes?"
SASMEX = "mexico-city-sasmex"


@pytest.fixture(scope="module")
def demo(engine) -> str:
    """The Los Angeles demo with the shared practice library, built once per backend."""
    slug = unique("la")
    build_demo(engine, slug=slug)
    return slug


def svg_of(html: str) -> str:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="diffusion-map"')
    return html[start : html.index("</svg>", start) + 6]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def result_titles(html: str) -> list[str]:
    items = re.findall(r'<h3 class="practice-result-title"><a href="[^"]+/practices/([^"]+)">', html)
    return items


def test_a_person_finds_earthquake_warnings_borrows_one_and_sees_it_on_the_diffusion_view(client_as, demo):
    staff = client_as("staff", demo)

    # 1. ask the question: the right practices come first, each with why it matched
    page = staff.get(f"/w/{demo}/practices", params={"q": QUESTION})
    assert page.status_code == 200
    html = page.text
    found = result_titles(html)
    assert found[:2] == [SASMEX, "los-angeles-shakealertla"] or set(found[:2]) == {SASMEX, "los-angeles-shakealertla"}
    assert "<mark>earthquake</mark>" in html and "<mark>warning</mark>" in html
    assert "topic: early warning" in html
    if semantic_available():
        assert "semantic neighbour" in html and "words and meaning" in html
    assert 'aria-labelledby="facets-h"' in html and "Narrow down" in html

    # 2. open the practice: its fields, caveats, sources and "more like this"
    page = staff.get(f"/w/{demo}/practices/{SASMEX}")
    assert page.status_code == 200
    html = page.text
    detail = svc.get_practice(staff.app.state.engine, demo, SASMEX, Actor.system())
    assert f"<h1>{detail.practice.title}</h1>" in html
    assert "Read before relying on this record" in html if detail.practice.uncertain else True
    for source in detail.practice.sources:
        assert f'href="{source}"' in html.replace("&amp;", "&")
    assert "More like this" in html and "los-angeles-shakealertla" in html
    assert "We are borrowing this" in html

    # 3. record that Los Angeles is borrowing it (the form posts with its own CSRF token)
    form = {
        "csrf_token": csrf_of(html),
        "from_city": "Mexico City",
        "from_country": "",
        "year": "2026",
        "adaptation": "Sirens in Metro stations as well as phone alerts",
        "status": "intended",
        "outcome": "unknown",
        "outcome_notes": "",
    }
    posted = staff.post(f"/w/{demo}/practices/{SASMEX}/borrow", data=form, follow_redirects=False)
    assert posted.status_code == 303
    location = posted.headers["location"]
    assert location.startswith(f"/w/{demo}/practices/{SASMEX}?borrowed=")
    page = staff.get(location)
    assert page.status_code == 200
    assert "Recorded: Los Angeles, United States is borrowing this practice (2026), status intended." in page.text
    ours = page.text[page.text.index('id="our-borrowing-h"') : page.text.index('id="more-h"')]
    assert "Sirens in Metro stations as well as phone alerts" in ours and "Mexico City" in ours

    # 4. the diffusion view (the practice's and the library's) shows the new borrowing
    for url in (f"/w/{demo}/practices/{SASMEX}/diffusion", f"/w/{demo}/practices/diffusion"):
        page = staff.get(url)
        assert page.status_code == 200, url
        svg = svg_of(page.text)
        assert re.search(
            r'<path class="diffusion-edge diffusion-edge-us"[^>]*data-practice="mexico-city-sasmex" '
            r'data-year="2026">',
            svg,
        ), url
        assert "Mexico City → Los Angeles, 2026" in svg
        assert "style=" not in svg and "<script" not in svg
        timeline = page.text[page.text.index('id="timeline-h"') : page.text.index('id="edges-h"')]
        year = timeline[timeline.index('<h3 class="timeline-year">2026</h3>') :]
        assert "Los Angeles is borrowing" in year and "SASMEX" in year
    # and it is among "what we borrowed" on the peers page
    peers = staff.get(f"/w/{demo}/practices/peers", params={"problem": "earthquakes"})
    assert peers.status_code == 200
    assert "Sirens in Metro stations" in peers.text[peers.text.index('id="by-us-h"') :]


def test_search_results_have_reasons_facets_filters_and_pages(client_as, demo):
    viewer = client_as("viewer", demo)
    html = viewer.get(f"/w/{demo}/practices", params={"q": "cash for poor families", "mode": "lexical"}).text
    assert "Matched by words only" in html and "semantic neighbour" not in html
    # a filter narrows the results and shows in the form, and the facet links keep the question
    narrowed = viewer.get(f"/w/{demo}/practices", params={"q": QUESTION, "region": "Asia"})
    assert narrowed.status_code == 200
    assert SASMEX not in result_titles(narrowed.text)
    assert '<option value="Asia" selected>Asia</option>' in narrowed.text
    assert re.search(r'href="/w/[^"]+/practices\?q=how\+did[^"]*topic=[^"]*region=Asia"', narrowed.text)
    # browsing without a question: the whole library, paginated
    library = viewer.get(f"/w/{demo}/practices")
    assert "The library (81 practices)" in library.text
    assert 'rel="next"' in library.text
    page9 = viewer.get(f"/w/{demo}/practices", params={"page": "9"})
    assert 'rel="prev"' in page9.text and 'rel="next"' not in page9.text
    assert len(result_titles(page9.text)) == 1


def test_an_empty_search_says_what_to_try(client_as, demo):
    viewer = client_as("viewer", demo)
    html = viewer.get(f"/w/{demo}/practices", params={"q": "zzzqqq", "mode": "lexical"}).text
    assert "No practice matches “zzzqqq”" in html
    html = viewer.get(
        f"/w/{demo}/practices", params={"q": "earthquake", "mode": "lexical", "region": "Oceania", "status": "planned"}
    ).text
    assert "with these filters" in html and "search without filters" in html


def test_every_practice_page_has_a_json_twin(client_as, demo):
    viewer = client_as("viewer", demo)
    body = viewer.get(f"/w/{demo}/practices.json", params={"q": QUESTION}).json()
    assert body["results"][0]["slug"] in (SASMEX, "los-angeles-shakealertla")
    assert body["results"][0]["reasons"]
    assert {f["name"] for f in body["facets"]} >= {"topic", "region", "country"}
    detail = viewer.get(f"/w/{demo}/practices/{SASMEX}.json").json()
    assert detail["detail"]["practice"]["slug"] == SASMEX and detail["borrow"] is None  # viewers get no form
    peers = viewer.get(f"/w/{demo}/practices/peers.json", params={"problem": "extreme heat"}).json()
    assert peers["peers"][0]["reasons"] and all(p["tackled"] for p in peers["peers"])
    graph = viewer.get(f"/w/{demo}/practices/diffusion.json").json()
    assert graph["graph"]["edges"] and graph["timeline"]
    one = viewer.get(f"/w/{demo}/practices/{SASMEX}/diffusion?format=json").json()
    assert one["practice"]["text"] and all(e["practice"]["url"].endswith(SASMEX) for e in one["edges"])


def test_a_viewer_cannot_borrow_and_sees_no_form(client_as, demo):
    viewer = client_as("viewer", demo)
    page = viewer.get(f"/w/{demo}/practices/{SASMEX}")
    assert page.status_code == 200 and "We are borrowing this" not in page.text
    refused = viewer.post(f"/w/{demo}/practices/{SASMEX}/borrow", data={"year": "2026"}, follow_redirects=False)
    assert refused.status_code == 403


@pytest.fixture
def outsider(web_app, engine, workspace):
    """Staff of another workspace only (the shared test users are members of every test workspace)."""
    user = accounts.create_user(
        engine,
        {"username": f"outsider-{unique('u')}", "display_name": "Elsewhere", "password": TEST_PASSWORD},
        Actor.system(),
    )
    accounts.grant_role(engine, user.username, workspace, "staff", Actor.system())
    with signed_in(web_app, engine, user) as client:
        yield client


def test_another_workspace_practices_are_not_found(outsider, demo, workspace):
    for url in (
        f"/w/{demo}/practices",
        f"/w/{demo}/practices/{SASMEX}",
        f"/w/{demo}/practices/diffusion",
        f"/w/{demo}/practices/peers",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/w/{demo}/practices/{SASMEX}/borrow", data={"year": "2026"}).status_code == 404
    # in their own workspace the library is empty, and says so
    html = outsider.get(f"/w/{workspace}/practices").text
    assert "No practice in the library." in html


def test_the_borrow_form_needs_its_csrf_token(client_as, demo):
    staff = client_as("staff", demo, csrf=False)
    page = staff.get(f"/w/{demo}/practices/{SASMEX}")
    without = staff.post(f"/w/{demo}/practices/{SASMEX}/borrow", data={"year": "2027"}, follow_redirects=False)
    assert without.status_code == 403
    forged = staff.post(
        f"/w/{demo}/practices/{SASMEX}/borrow", data={"year": "2027", "csrf_token": "forged"}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert "(2027)" not in staff.get(f"/w/{demo}/practices/{SASMEX}").text
    good = staff.post(
        f"/w/{demo}/practices/{SASMEX}/borrow",
        data={"year": "2027", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert good.status_code == 303


def test_a_mistake_in_the_borrow_form_is_shown_beside_its_field_and_nothing_is_written(client_as, demo):
    staff = client_as("staff", demo)
    before = len(svc.list_transfers(staff.app.state.engine, demo, Actor.system(), practice="bogota-ciclovia"))
    page = staff.post(
        f"/w/{demo}/practices/bogota-ciclovia/borrow",
        data={"year": "1492", "status": "intended", "adaptation": "Sundays on Sunset"},
    )
    assert page.status_code == 422
    assert 'id="borrow-year-error"' in page.text and 'aria-invalid="true"' in page.text
    assert "Sundays on Sunset" in page.text  # what was typed is kept
    after = len(svc.list_transfers(staff.app.state.engine, demo, Actor.system(), practice="bogota-ciclovia"))
    assert after == before


def test_an_unknown_practice_is_not_found(client_as, demo):
    viewer = client_as("viewer", demo)
    assert viewer.get(f"/w/{demo}/practices/no-such-practice").status_code == 404
    assert viewer.get(f"/w/{demo}/practices/no-such-practice/diffusion").status_code == 404
