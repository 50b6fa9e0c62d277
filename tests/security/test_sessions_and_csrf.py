"""Signing in and out: secure cookies, no session fixation, server-side logout, rate limits,
safe redirects, CSRF on every change made with a session cookie, and bearer tokens."""

from __future__ import annotations

import logging
import re
from importlib.resources import files

import pytest

from citydiplomacy.config import Settings
from citydiplomacy.services import accounts
from citydiplomacy.services.registry import Actor
from citydiplomacy.web import create_app
from citydiplomacy.web.security import CONTENT_SECURITY_POLICY, SESSION_COOKIE
from tests.fixtures.database import unique
from tests.security.helpers import browser, form_token, meta_token, sign_in

SYSTEM = Actor.system("python")


def set_cookie_header(response, name: str) -> str:
    headers = [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie" and v.startswith(name + "=")]
    assert headers, f"no {name} cookie set"
    return headers[0]


def test_signing_in_sets_an_httponly_samesite_session_cookie(web_app, test_users, engine):
    with browser(web_app) as client:
        response = sign_in(client, test_users["staff"].username, next_url="/account")
        assert response.status_code == 303 and response.headers["location"] == "/account"
        cookie = set_cookie_header(response, SESSION_COOKIE)
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # plain http (tests); see the https case below
        assert client.get("/account").status_code == 200
        token = client.cookies[SESSION_COOKIE]
        assert accounts.session_for(engine, token).user.username == test_users["staff"].username


def test_over_https_the_cookie_is_secure_and_host_prefixed(web_app, test_users):
    with browser(web_app, base_url="https://testserver") as client:
        response = sign_in(client, test_users["viewer"].username)
        cookie = set_cookie_header(response, "__Host-" + SESSION_COOKIE)
        assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie and "Domain" not in cookie
        assert client.get("/account").status_code == 200
        assert response.headers["strict-transport-security"].startswith("max-age=")


def test_a_setting_makes_cookies_secure_behind_a_tls_proxy(engine, test_users):
    app = create_app(engine, settings=Settings(secure_cookies=True))
    with browser(app) as client:
        page = client.get("/login")
        assert "Secure" in set_cookie_header(page, "__Host-cdp_login")


def test_no_session_fixation_a_cookie_set_before_sign_in_is_not_the_session_after(web_app, engine, test_users):
    user = test_users["counsel"]
    # An attacker signs in to their own account and plants that session id in the victim's browser.
    planted, _ = accounts.start_session(engine, test_users["viewer"])
    with browser(web_app, cookies={SESSION_COOKIE: planted}) as client:
        response = sign_in(client, user.username)
        assert response.status_code == 303
        after = set_cookie_header(response, SESSION_COOKIE).split(";")[0].split("=", 1)[1]
    assert after != planted
    with pytest.raises(accounts.NotAuthenticated):
        accounts.session_for(engine, planted)  # the planted id was ended on the server
    assert accounts.session_for(engine, after).user.id == user.id


def test_a_made_up_cookie_is_not_a_session(web_app):
    with browser(web_app, cookies={SESSION_COOKIE: "made-up-value"}) as client:
        response = client.get("/account")
        assert response.status_code == 303 and response.headers["location"] == "/login?next=/account"
        assert client.get("/api/workspaces").status_code == 401


def test_signing_out_ends_the_session_on_the_server(web_app, engine, test_users):
    user = test_users["viewer"]
    with browser(web_app) as client:
        sign_in(client, user.username)
        token = client.cookies[SESSION_COOKIE]
        page = client.get("/account")
        response = client.post("/logout", data={"csrf_token": form_token(page.text)})
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    with pytest.raises(accounts.NotAuthenticated):
        accounts.session_for(engine, token)
    with browser(web_app, cookies={SESSION_COOKIE: token}) as replay:  # a copied cookie is dead too
        assert replay.get("/account").status_code == 303


def test_signing_out_needs_the_csrf_token(client_as, engine, workspace):
    client = client_as("viewer", workspace, csrf=False)
    token = client.cookies[SESSION_COOKIE]
    response = client.post("/logout", follow_redirects=False)
    assert response.status_code == 403
    assert accounts.session_for(engine, token)  # still signed in: a cross-site form cannot sign you out


def test_wrong_passwords_are_refused_then_rate_limited_with_retry_after(web_app, engine):
    name = unique("locked").replace("-", ".")
    accounts.create_user(
        engine, {"username": name, "display_name": "Locked", "password": "the right passphrase"}, SYSTEM
    )
    with browser(web_app) as client:
        for _ in range(accounts.MAX_FAILURES_PER_USER):
            response = sign_in(client, name, "not the passphrase")
            assert response.status_code == 401
            assert "Wrong user name or password." in response.text
        response = sign_in(client, name, "the right passphrase")
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Too many failed logins; try again in" in response.text
    assert SESSION_COOKIE not in response.cookies


def test_the_sign_in_form_has_its_own_csrf_token(web_app, test_users):
    with browser(web_app) as client:
        client.get("/login")
        response = client.post(
            "/login", data={"username": test_users["staff"].username, "password": "x" * 20, "csrf_token": "forged"}
        )
        assert response.status_code == 403
        assert SESSION_COOKIE not in client.cookies


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        " //evil.example",
        "/%0d%0aLocation: x",
    ],
)
def test_after_sign_in_only_paths_of_this_site_are_followed(web_app, test_users, next_url):
    with browser(web_app) as client:
        response = sign_in(client, test_users["admin"].username, next_url=next_url)
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location.split("?")[0][:2]
    assert "\n" not in location and "\r" not in location
    if next_url.strip().startswith(("http", "//", "javascript", "/\\")):
        assert location == "/"


def test_after_sign_in_the_page_asked_for_is_shown(web_app, test_users, workspace, engine):
    accounts.grant_role(engine, test_users["viewer"].username, workspace, "viewer", SYSTEM)
    with browser(web_app) as client:
        first = client.get(f"/w/{workspace}/audit?action=create")
        assert first.status_code == 303
        next_url = first.headers["location"].split("next=", 1)[1]
        from urllib.parse import unquote

        response = sign_in(client, test_users["viewer"].username, next_url=unquote(next_url))
        assert response.headers["location"] == f"/w/{workspace}/audit?action=create"


def test_anonymous_api_calls_get_401_problem_details(anonymous_client, workspace):
    response = anonymous_client.get(f"/api/workspaces/{workspace}/partners")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["title"] == "Not signed in"


def test_a_form_post_without_or_with_a_wrong_csrf_token_is_refused(client_as, workspace):
    client = client_as("admin", workspace, csrf=False)
    page = client.get(f"/w/{workspace}/admin/tokens")
    token = form_token(page.text)
    assert meta_token(page.text) == token
    url = f"/w/{workspace}/admin/tokens"
    assert client.post(url, data={"name": "no token", "role": "viewer"}).status_code == 403
    assert client.post(url, data={"name": "wrong", "role": "viewer", "csrf_token": token[::-1]}).status_code == 403
    assert client.post(url, data={"name": "wrong", "role": "viewer"}, headers={"X-CSRF-Token": "x"}).status_code == 403
    ok = client.post(url, data={"name": "right", "role": "viewer", "csrf_token": token})
    assert ok.status_code == 201
    assert [t["name"] for t in client.get(url + ".json").json()["tokens"]] == ["right"]


def test_a_cookie_authenticated_api_change_needs_the_header(client_as, workspace):
    client = client_as("staff", workspace, csrf=False)
    url = f"/api/workspaces/{workspace}/partners"
    body = {"name": "Consulate of Japan", "kind": "consulate", "country_code": "JP"}
    refused = client.post(url, json=body)
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert client.get(url).json()["total"] == 0
    token = meta_token(client.get(f"/w/{workspace}/").text)
    assert client.post(url, json=body, headers={"X-CSRF-Token": token}).status_code == 201


def test_a_request_announcing_another_origin_is_refused(client, workspace):
    response = client.post(
        f"/api/workspaces/{workspace}/partners",
        headers={"Origin": "https://evil.example"},
        json={"name": "X", "kind": "city", "country_code": "JP"},
    )
    assert response.status_code == 403


def test_bearer_token_calls_need_no_csrf_token(web_app, engine, test_users, workspace):
    accounts.grant_role(engine, test_users["staff"].username, workspace, "staff", SYSTEM)
    secret, _ = accounts.create_api_token(engine, test_users["staff"], workspace, "script", "staff", actor=SYSTEM)
    with browser(web_app, headers={"Authorization": f"Bearer {secret}"}) as script:
        created = script.post(
            f"/api/workspaces/{workspace}/partners",
            json={"name": "Consulate of Japan", "kind": "consulate", "country_code": "JP"},
        )
        assert created.status_code == 201
        entry = script.get(f"/api/workspaces/{workspace}/audit", params={"record_type": "partner"}).json()["items"][0]
    assert (entry["actor"], entry["interface"]) == (test_users["staff"].username, "api")


def test_a_token_acts_only_in_its_workspace_and_never_above_its_role(web_app, engine, test_users, workspace):
    admin = test_users["admin"]
    other = unique("ws")
    from citydiplomacy.services.registry import create_workspace

    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "VN"}, SYSTEM)
    for slug in (workspace, other):
        accounts.grant_role(engine, admin.username, slug, "admin", SYSTEM)
    secret, _ = accounts.create_api_token(engine, admin, workspace, "read only", "viewer", actor=SYSTEM)
    with browser(web_app, headers={"Authorization": f"Bearer {secret}"}) as script:
        assert script.get(f"/api/workspaces/{workspace}/partners").status_code == 200
        assert script.get(f"/api/workspaces/{other}/partners").status_code == 404  # the user may; the token not
        assert (
            script.post(
                f"/api/workspaces/{workspace}/partners", json={"name": "X", "kind": "city", "country_code": "JP"}
            ).status_code
            == 403
        )
        minted = script.post(f"/api/workspaces/{workspace}/tokens", json={"name": "escalate", "role": "admin"})
        assert minted.status_code == 403
        assert script.get(f"/api/workspaces/{workspace}/members").status_code == 403
        assert (
            script.post("/api/workspaces", json={"slug": unique("ws"), "name": "X", "country_code": "US"}).status_code
            == 403
        )


def test_revoked_and_malformed_tokens_are_refused(web_app, engine, test_users, workspace):
    viewer = test_users["viewer"]
    accounts.grant_role(engine, viewer.username, workspace, "viewer", SYSTEM)
    secret, info = accounts.create_api_token(engine, viewer, workspace, "soon revoked", "viewer", actor=SYSTEM)
    accounts.revoke_api_token(engine, workspace, info.id, SYSTEM)
    for header in (f"Bearer {secret}", "Bearer ", "Basic dXNlcjpwYXNz", f"Bearer {secret}x"):
        with browser(web_app, headers={"Authorization": header}) as script:
            response = script.get(f"/api/workspaces/{workspace}/partners")
            assert response.status_code == 401, header


def test_changing_the_password_checks_the_current_one_and_signs_out_other_sessions(web_app, engine):
    name = unique("pw").replace("-", ".")
    user = accounts.create_user(
        engine, {"username": name, "display_name": "Pat", "password": "first long passphrase"}, SYSTEM
    )
    elsewhere, _ = accounts.start_session(engine, user)
    with browser(web_app) as client:
        sign_in(client, name, "first long passphrase")
        page = client.get("/account/password")
        token = form_token(page.text)
        wrong = client.post(
            "/account/password",
            data={
                "csrf_token": token,
                "current_password": "not it at all",
                "new_password": "second long passphrase",
                "confirm_password": "second long passphrase",
            },
        )
        assert wrong.status_code == 422 and "the current password is not right" in wrong.text
        differ = client.post(
            "/account/password",
            data={
                "csrf_token": token,
                "current_password": "first long passphrase",
                "new_password": "second long passphrase",
                "confirm_password": "second long passphrasE",
            },
        )
        assert differ.status_code == 422 and "the two new passwords differ" in differ.text
        done = client.post(
            "/account/password",
            data={
                "csrf_token": token,
                "current_password": "first long passphrase",
                "new_password": "second long passphrase",
                "confirm_password": "second long passphrase",
            },
        )
        assert done.status_code == 303
        assert "Your password was changed" in client.get(done.headers["location"]).text
    with pytest.raises(accounts.NotAuthenticated):
        accounts.session_for(engine, elsewhere)
    assert accounts.authenticate(engine, name, "second long passphrase", "10.9.9.9").id == user.id


def test_every_response_carries_the_security_headers(client, anonymous_client, workspace, engine):
    from fastapi.testclient import TestClient

    app = create_app(engine)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as bare:
        server_error = bare.get("/api/boom")
    responses = [
        client.get(f"/w/{workspace}/"),
        client.get(f"/api/workspaces/{workspace}/partners"),
        client.get("/static/style.css"),
        client.get("/nowhere"),
        anonymous_client.get("/login"),
        anonymous_client.get("/account", follow_redirects=False),
        server_error,
    ]
    assert server_error.status_code == 500
    for response in responses:
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, response.url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["x-frame-options"] == "DENY"
    assert client.get(f"/w/{workspace}/").headers["cache-control"] == "no-store"


def test_templates_have_no_inline_scripts_styles_or_event_handlers():
    root = files("citydiplomacy.web") / "templates"
    offenders = []
    for path in _walk(root):
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style\b",
            r"\sstyle\s*=",
            r"\son[a-z]+\s*=",
            r"javascript:",
        ):
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{path.name}: {pattern}")
    assert not offenders


def _walk(folder):
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.name.endswith(".html"):
            yield entry


def test_the_session_cookie_value_is_never_logged(web_app, test_users, caplog):
    caplog.set_level(logging.DEBUG)
    with browser(web_app) as client:
        sign_in(client, test_users["staff"].username)
        token = client.cookies[SESSION_COOKIE]
        client.get("/account")
        client.get("/nowhere")
    assert token not in caplog.text


def test_nul_characters_are_refused_before_they_reach_the_database(client, workspace):
    """Found by fuzzing: PostgreSQL cannot store NUL in text, and such input ended in a server error."""
    base = f"/api/workspaces/{workspace}/partners"
    refused = client.post(base, json={"name": "Bad\u0000Name", "kind": "ngo"})
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert "NUL character" in refused.json()["detail"]
    assert refused.headers["x-frame-options"] == "DENY"
    assert client.get(base, params={"kind": "\u0000"}).status_code == 422
    assert client.get(base).json()["total"] == 0
    kept = client.post(base, json={"name": "Backslash \\u0000 written out", "kind": "ngo"})
    assert kept.status_code == 201 and kept.json()["name"] == "Backslash \\u0000 written out"
