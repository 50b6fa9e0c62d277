"""Every route of the app, called by a viewer of a workspace that holds confidential records of
several kinds and visible records that point at them: no answer contains a confidential record's
ref, name or text.

The routes come from the application itself. A route whose address this walk cannot build fails
here until :data:`ADDRESS` (or :data:`NOT_WALKED`, with the reason) says how, so a new route is
never left unchecked; who may call it at all is the route matrix's business (routes.py).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from citydiplomacy.services import accounts, commitments, registry, rules
from citydiplomacy.services.registry import Actor, save_record
from citydiplomacy.web.security import SESSION_COOKIE
from tests.security.conftest import SECRET_ENGAGEMENT
from tests.security.routes import Context, expectation, simple
from tests.security.test_route_matrix import ROUTES

SYSTEM = Actor.system("python")

#: Words that only the confidential records hold.
SECRETS = (
    "secret-intermediary",
    "Discreet Intermediary",
    "Back-channel",
    SECRET_ENGAGEMENT,
    "quiet-envoy",
    "Quiet Envoy",
    "whispered-accord",
    "Whispered accord",
)

#: A public reception the confidential intermediary and envoy attended, and a public
#: memorandum naming the intermediary as a party: visible records that point at hidden ones.
RECEPTION = "2023-06-01-harbour-reception-for-the-walk"
MEMORANDUM = "memorandum-with-a-quiet-party"

#: Routes not walked, and why (everything else is).
NOT_WALKED = {
    ("GET", "/static"): "the stylesheet and scripts hold no records",
}

#: Query strings that make a route show records (searches need words to find).
QUERY = {
    "/w/{ws}/search": "?q=reception",
    "/w/{ws}/search.json": "?q=reception",
    "/w/{ws}/autocomplete/{plural}": "?q=dis",
}


@pytest.fixture(scope="module")
def walk_world(engine, world):
    """The security world, plus visible records pointing at confidential ones, and side data
    (SDG tags, an answer) hung on the confidential engagement."""
    ws = world.own
    save_record(
        engine,
        ws,
        "people",
        {"ref": "quiet-envoy", "name": "Quiet Envoy", "country_code": "VN", "confidentiality": "confidential"},
        SYSTEM,
    )
    save_record(
        engine,
        ws,
        "engagements",
        {
            "ref": RECEPTION,
            "title": "Harbour reception",
            "kind": "reception",
            "start": "2023-06-01T18:00:00",
            "timezone": "America/Los_Angeles",
            "partners": ["hcmc", "secret-intermediary"],
            "participants": [{"person": "quiet-envoy", "side": "theirs"}],
            "sdgs": [16],
            "confidentiality": "public",
        },
        SYSTEM,
    )
    save_record(
        engine,
        ws,
        "agreements",
        {
            "ref": MEMORANDUM,
            "title": "Memorandum on harbour trade",
            "kind": "memorandum_of_understanding",
            "parties": [{"us": True}, {"partner": "secret-intermediary"}],
            "confidentiality": "public",
        },
        SYSTEM,
    )
    save_record(
        engine,
        ws,
        "agreements",
        {
            "ref": "whispered-accord",
            "title": "Whispered accord",
            "kind": "memorandum_of_understanding",
            "parties": [{"us": True}, {"partner": "hcmc"}],
            "confidentiality": "confidential",
        },
        SYSTEM,
    )
    commitments.set_sdg_tags(engine, ws, "engagements", SECRET_ENGAGEMENT, ["16.6"], SYSTEM)
    rules.answer_fact(engine, ws, "engagements", SECRET_ENGAGEMENT, "engagement.arranges_meeting", True, SYSTEM)
    yield world
    for plural, ref in (("agreements", MEMORANDUM), ("agreements", "whispered-accord"), ("engagements", RECEPTION)):
        registry.delete_record(engine, ws, plural, ref, SYSTEM)
    registry.delete_record(engine, ws, "people", "quiet-envoy", SYSTEM)


def address(ctx: Context, method: str, path: str):
    """The request a viewer makes: for reads, addresses of the records that point at hidden ones."""
    if method != "GET":
        rule = expectation(method, path)
        return (rule.build if rule and rule.build else simple)(ctx, method, path)
    url = path
    for template, concrete in (
        ("{plural}/{ref:path}", f"engagements/{RECEPTION}"),
        ("engagements/{ref:path}", f"engagements/{RECEPTION}"),
        ("agreements/{ref:path}", f"agreements/{MEMORANDUM}"),
        ("partners/{ref:path}", "partners/hcmc"),
        ("people/{ref:path}", "people/nguyen-xuan-phuc"),
        ("places/{ref:path}", "places/geonames:1566083"),
        ("{code}", "VN"),
        ("{plural}", "partners"),
    ):
        url = url.replace(template, concrete)
    rule = expectation(method, path)
    if "{" in url and rule is not None and rule.build is not None:
        request = rule.build(ctx, method, path)  # the matrix knows how to make its records
    else:
        request = simple(ctx, method, url)  # whatever is left: fresh records, tokens, uploads
    request.url += QUERY.get(path, "")
    return request


WALKED = [(m, p) for m, p in ROUTES if (m, p) not in NOT_WALKED]


@pytest.mark.parametrize("method, path", WALKED, ids=[f"{m} {p}" for m, p in WALKED])
def test_a_viewer_reads_no_confidential_ref_name_or_text_on_this_route(
    method, path, engine, web_app, walk_world, test_users
):
    assert expectation(method, path) is not None, f"{method} {path} is not in tests/security/routes.py"
    viewer = test_users["viewer"]
    ctx = Context(engine, walk_world, walk_world.own, viewer, test_users)
    request = address(ctx, method, path)
    with TestClient(web_app, raise_server_exceptions=False, follow_redirects=False) as client:
        token, session = accounts.start_session(engine, viewer)
        client.cookies.set(SESSION_COOKIE, token)
        response = client.request(
            request.method,
            request.url,
            json=request.json,
            data=request.data,
            headers={"X-CSRF-Token": session.csrf_token},
        )
    assert response.status_code < 500, (request.url, response.status_code, response.text[:300])
    kind = response.headers.get("content-type", "")
    if not any(t in kind for t in ("text", "json", "csv", "calendar", "xml", "javascript")):
        return  # images and PDFs: their text is checked where it is made (views, reports)
    text = response.text.lower()
    for word in SECRETS:
        assert word.lower() not in text, (request.url, word)


def test_the_walk_sees_the_secrets_when_staff_read(engine, web_app, walk_world, test_users):
    """The same addresses do show the hidden records to staff: the walk looks where they are."""
    staff = test_users["staff"]
    seen = ""
    ctx = Context(engine, walk_world, walk_world.own, staff, test_users)
    with TestClient(web_app, raise_server_exceptions=False, follow_redirects=False) as client:
        token, _session = accounts.start_session(engine, staff)
        client.cookies.set(SESSION_COOKIE, token)
        for path in (
            "/api/workspaces/{ws}/engagements/{ref:path}",
            "/w/{ws}/engagements/{ref:path}",
            "/api/workspaces/{ws}/audit",
            "/w/{ws}/search.json",
        ):
            seen += client.get(address(ctx, "GET", path).url).text.lower()
    assert "secret-intermediary" in seen and "quiet-envoy" in seen
