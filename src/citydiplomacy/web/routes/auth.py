"""Signing in and out, and the signed-in user's account (password change).

The sign-in form carries a double-submit token (a cookie and a form field) so that no
other site can sign a browser in to an account of its choosing. Every sign-in starts a
new session with a new id; the session cookie that came with the request, if any, is
ended on the server (no session fixation).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from ...domain import InvalidInput, Problem
from ...services import accounts
from ...services.accounts import LoginFailed, TooManyAttempts
from ..deps import EngineDep, IdentityDep
from ..rendering import render
from ..security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    read_cookie,
    safe_next,
    set_cookie,
)
from ..views.admin import account_view, login_view, password_view

__all__ = ["build_auth_router"]


def _login_page(
    request: Request,
    *,
    next_url: str,
    username: str = "",
    error: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    token = read_cookie(request, LOGIN_COOKIE) or secrets.token_urlsafe(32)
    request.state.login_csrf = token
    response = render(request, "auth/login.html", login_view(next_url, username, error, notice), title="Sign in")
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    set_cookie(response, request, LOGIN_COOKIE, token, max_age=3600)
    return response


def build_auth_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/login")
    @router.get("/login.json")
    def login_form(request: Request, engine: EngineDep, next: str | None = None, signed_out: bool = False):
        next_url = safe_next(next)
        notice = "You are signed out." if signed_out else None
        try:
            session = accounts.session_for(engine, read_cookie(request, SESSION_COOKIE))
        except accounts.NotAuthenticated:
            pass
        else:
            notice = f"You are signed in as {session.user.username}; sign in again to switch accounts."
        return _login_page(request, next_url=next_url, notice=notice)

    @router.post("/login")
    def login(
        request: Request,
        engine: EngineDep,
        username: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        csrf_token: Annotated[str, Form(max_length=200)] = "",
        next: Annotated[str, Form(max_length=2000)] = "/",
    ):
        next_url = safe_next(next)
        expected = read_cookie(request, LOGIN_COOKIE)
        if not expected or not secrets.compare_digest(csrf_token.encode(), expected.encode()):
            return _login_page(
                request,
                next_url=next_url,
                username=username,
                status=403,
                error="The sign-in form had expired; please sign in again.",
            )
        client = request.client.host if request.client else "unknown"
        try:
            user = accounts.authenticate(engine, username, password, client)
        except TooManyAttempts as exc:
            return _login_page(
                request,
                next_url=next_url,
                username=username,
                status=429,
                error=str(exc),
                headers={"Retry-After": str(exc.retry_after)},
            )
        except LoginFailed as exc:
            return _login_page(request, next_url=next_url, username=username, status=401, error=str(exc))
        # No fixation: whatever session id came with the request is ended, and a new one is made.
        accounts.end_session(engine, read_cookie(request, SESSION_COOKIE))
        token, _session = accounts.start_session(engine, user)
        response = RedirectResponse(next_url, status_code=303)
        set_cookie(response, request, SESSION_COOKIE, token, max_age=int(accounts.SESSION_ABSOLUTE.total_seconds()))
        clear_cookie(response, request, LOGIN_COOKIE)
        return response

    @router.post("/logout")
    async def logout(request: Request, engine: EngineDep, identity: IdentityDep):
        await run_in_threadpool(accounts.end_session, engine, identity.session_token)
        response = RedirectResponse("/login?signed_out=1", status_code=303)
        clear_cookie(response, request, SESSION_COOKIE)
        return response

    @router.get("/account")
    @router.get("/account.json")
    def account(request: Request, identity: IdentityDep):
        return render(request, "auth/account.html", account_view(identity), title="Your account")

    @router.get("/account/password")
    def password_form(request: Request, identity: IdentityDep, changed: bool = False):
        return render(request, "auth/password.html", password_view(changed=changed), title="Change your password")

    @router.post("/account/password")
    def change_password(
        request: Request,
        engine: EngineDep,
        identity: IdentityDep,
        current_password: Annotated[str, Form(max_length=1024)] = "",
        new_password: Annotated[str, Form(max_length=2048)] = "",
        confirm_password: Annotated[str, Form(max_length=2048)] = "",
    ):
        if identity.via != "session":
            raise InvalidInput([Problem("sign in with your password to change it (API tokens cannot)")])
        try:
            if new_password != confirm_password:
                raise InvalidInput(
                    [Problem("the two new passwords differ; type the same one twice", field="confirm_password")]
                )
            accounts.change_password(
                engine, identity.user, current_password, new_password, keep_session=identity.session_token
            )
        except InvalidInput as error:
            response = render(
                request, "auth/password.html", password_view(problems=error.problems), title="Change your password"
            )
            response.status_code = 422
            return response
        return RedirectResponse("/account/password?changed=1", status_code=303)

    return router
