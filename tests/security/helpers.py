"""Small helpers for the security tests: signing in through the form, reading tokens from pages."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from tests.fixtures.web import TEST_PASSWORD


def new_address() -> str:
    """A client address of its own, so rate limits of one test do not touch another."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def meta_token(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "the page has no csrf-token meta tag"
    return match.group(1)


def browser(web_app, **kwargs) -> TestClient:
    """A client like a browser: no default headers, its own address, redirects not followed."""
    return TestClient(
        web_app, raise_server_exceptions=False, follow_redirects=False, client=(new_address(), 50000), **kwargs
    )


def sign_in(client: TestClient, username: str, password: str = TEST_PASSWORD, next_url: str = "/"):
    """Fill in and send the sign-in form; returns the response to the POST."""
    page = client.get("/login", params={"next": next_url})
    assert page.status_code == 200, page.text
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": form_token(page.text), "next": next_url},
    )
