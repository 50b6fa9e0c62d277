"""Every route × every kind of caller × own and foreign workspace: allowed or refused as the
roles say, and another workspace is never more than "not found".

- anonymous: API calls and JSON twins answer 401 (problem+json); pages redirect to /login;
- a member with too low a role: 403 on what their role may not do;
- anyone asking for a workspace they are not a member of: 404, exactly as for a workspace
  that does not exist;
- allowed: a success (2xx or a redirect that is not to /login).

The list of routes comes from the application itself, so a new route fails here until
``tests/security/routes.py`` says who may call it.
"""

from __future__ import annotations

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from starlette.routing import Mount

from citydiplomacy.services import accounts
from citydiplomacy.web import create_app
from citydiplomacy.web.security import SESSION_COOKIE
from tests.security.routes import ROLE_RANK, Context, Request, Rule, expectation, simple


def app_routes() -> list[tuple[str, str]]:
    """(method, path) of every route the application serves (built without a database)."""
    app = create_app(create_engine("sqlite://"))
    out = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount) or route.methods is None:
            out.append(("GET", route.path))
            continue
        out.extend((method, route.path) for method in sorted(route.methods - {"HEAD"}))
    return out


ROUTES = app_routes()
CALLERS = ("anonymous", "viewer", "staff", "counsel", "admin", "outsider", "site_admin")


def test_the_matrix_sees_the_whole_app():
    paths = {path for _method, path in ROUTES}
    assert {"/login", "/api/workspaces/{ws}/partners/{ref:path}", "/w/{ws}/audit"} <= paths
    assert len(ROUTES) > 100


@pytest.mark.parametrize("method, path", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_who_may_call_this_route(method, path, engine, matrix_client, world, test_users):
    rule = expectation(method, path)
    assert rule is not None, (
        f"{method} {path} has no expectation: add it to tests/security/routes.py (who may call it, and for "
        "writes how to build a request that succeeds)"
    )
    if path == "/static":
        path = "/static/style.css"
    mismatches = []
    for ws in [world.own, world.foreign] if "{ws}" in path else [None]:
        for caller in CALLERS:
            if ws == world.foreign and caller in ("staff", "counsel"):
                continue  # viewer and admin already show that members of one workspace get 404 in another
            status, location = call(
                engine, matrix_client, world, test_users, caller, ws or world.own, method, path, rule
            )
            verdict = judge(rule, caller, ws, world, path, status, location)
            if verdict is not None:
                mismatches.append(
                    f"{caller:>10} in {'own' if ws == world.own else 'foreign' if ws else '-'}: "
                    f"got {status}{' → ' + location if location else ''}; {verdict}"
                )
    assert not mismatches, f"{method} {path}\n" + "\n".join(mismatches)


def user_of(caller: str, world, test_users) -> accounts.User | None:
    if caller == "anonymous":
        return None
    if caller == "outsider":
        return world.outsider
    return test_users[caller]


@pytest.fixture(scope="session")
def matrix_client(web_app):
    """One client for the whole matrix; each call brings its own caller's fresh session."""
    with TestClient(web_app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


def call(engine, client: TestClient, world, test_users, caller, ws, method, path, rule: Rule) -> tuple[int, str]:
    user = user_of(caller, world, test_users)
    ctx = Context(engine, world, ws, user, test_users)
    request: Request = (rule.build or simple)(ctx, method, path)
    client.cookies.clear()  # nothing a previous call was given (a new session, a sign-out) carries over
    headers = {}
    if user is not None:
        token, session = accounts.start_session(engine, user)
        client.cookies.set(SESSION_COOKIE, token)
        headers["X-CSRF-Token"] = session.csrf_token
    response = client.request(request.method, request.url, json=request.json, data=request.data, headers=headers)
    return response.status_code, response.headers.get("location", "")


def wants_json(path: str) -> bool:
    return path.startswith("/api/") or path.endswith(".json")


def judge(rule: Rule, caller: str, ws: str | None, world, path: str, status: int, location: str) -> str | None:
    """None when the answer is the expected one, else what was expected."""
    if status >= 500:
        return "a server error"
    if rule.access == "public":
        return None
    if rule.access == "same":
        return None if status == judge.same.setdefault((path, ws), status) else "the same answer for everyone"
    if caller == "anonymous":
        if wants_json(path):
            return None if status == 401 else "401 for an anonymous API call"
        return None if status == 303 and location.startswith("/login?next=") else "a redirect to /login"
    if rule.access == "signed_in":
        allowed = True
    elif rule.access == "site_admin":
        allowed = caller == "site_admin"
        if not allowed:
            return None if status == 403 else "403 (site administrators only)"
    else:  # member
        if caller == "site_admin":
            role = "admin"
        elif caller == "outsider":
            role = "staff" if ws == world.foreign else None
        else:
            role = caller if ws == world.own else None
        if role is None:
            return None if status == 404 else "404 (not a member of this workspace)"
        allowed = ROLE_RANK[role] >= ROLE_RANK[rule.min_role]
        if not allowed:
            return None if status == 403 else f"403 (needs {rule.min_role})"
    if location.startswith("/login?next="):
        return "allowed, not sent to sign in"
    if rule.not_found_ok and status == 404:
        return None
    if rule.loose:
        return None if status not in (401, 403, 404) else "allowed (not refused)"
    return None if status < 400 else "allowed (a success)"


judge.same = {}
