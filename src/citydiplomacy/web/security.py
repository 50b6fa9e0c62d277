"""Who is asking, and the protections around it: sessions, API tokens, CSRF, security headers.

- Browsers sign in at /login and carry a random session id in an HttpOnly, SameSite=Lax
  cookie (``__Host-`` prefixed and Secure over https); the server keeps only its digest.
- Scripts send ``Authorization: Bearer cdp_…`` (a token scoped to one workspace and role).
- Every unsafe request (POST, PUT, PATCH, DELETE) authenticated by the session cookie must
  carry the session's CSRF token, as the form field ``csrf_token`` or the header
  ``X-CSRF-Token``; bearer-token calls need none (a browser never adds that header itself).
- Every response carries a strict Content-Security-Policy and related headers.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import pass_context
from markupsafe import Markup, escape
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..adapters.db.repository import ALL_LEVELS
from ..domain import NotFound, PermissionDenied
from ..domain.accounts import Role
from ..services import accounts, registry
from ..services.accounts import NotAuthenticated, TokenGrant, TooManyAttempts, User
from ..services.registry import Actor
from .problems import problem_body, render_problem, wants_json

__all__ = [
    "SECURITY_HEADERS",
    "SESSION_COOKIE",
    "CsrfFailed",
    "Identity",
    "actor_for_request",
    "check_csrf",
    "clear_cookie",
    "identify",
    "install_security",
    "read_cookie",
    "safe_next",
    "set_cookie",
]

SESSION_COOKIE = "cdp_session"
#: Double-submit token of the sign-in form (there is no session yet to hold one).
LOGIN_COOKIE = "cdp_login"
SECURE_PREFIX = "__Host-"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class CsrfFailed(PermissionDenied):
    title = "Forbidden"

    def __init__(
        self, message: str = "This form has expired or did not come from this site; reload the page and try again."
    ) -> None:
        super().__init__(message)


@dataclass
class Identity:
    """A signed-in user, and how they proved it."""

    user: User
    via: str  # "session" or "token"
    session_token: str | None = None
    csrf_token: str | None = None
    grant: TokenGrant | None = None
    #: (slug, name, role) of every workspace the user may open (a token: only its own).
    workspaces: list[tuple[str, str, Role]] = field(default_factory=list)


# -- cookies ------------------------------------------------------------------------------


def is_secure(request: Request) -> bool:
    return request.url.scheme == "https" or bool(getattr(request.app.state.settings, "secure_cookies", False))


def cookie_name(request: Request, base: str) -> str:
    """``__Host-cdp_session`` over https: the browser then refuses it from a sibling domain or over http."""
    return SECURE_PREFIX + base if is_secure(request) else base


def read_cookie(request: Request, base: str) -> str | None:
    return request.cookies.get(cookie_name(request, base)) or None


def set_cookie(response: Response, request: Request, base: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(
        cookie_name(request, base),
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
    )


def clear_cookie(response: Response, request: Request, base: str) -> None:
    response.delete_cookie(
        cookie_name(request, base), path="/", httponly=True, samesite="lax", secure=is_secure(request)
    )


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only a path on this site ('/w/la/'), never another site."""
    if not value:
        return "/"
    value = value.strip()
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(c) < 32 or ord(c) == 127 for c in value)
    ):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


# -- who is asking --------------------------------------------------------------------------


def identify(request: Request) -> Identity:
    """The user behind a request: an API token in the Authorization header, else the session
    cookie. Raises NotAuthenticated when there is neither (or it is not valid)."""
    engine: Engine = request.app.state.engine
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise NotAuthenticated(
                "Send an API token as 'Authorization: Bearer cdp_…' "
                "(create one with `citydip token create` or on the workspace's token page)."
            )
        grant = accounts.resolve_api_token(engine, credentials.strip())
        name = registry.get_workspace(engine, grant.workspace).name
        return Identity(grant.user, "token", grant=grant, workspaces=[(grant.workspace, name, grant.role)])
    token = read_cookie(request, SESSION_COOKIE)
    session = accounts.session_for(engine, token)
    return Identity(
        session.user,
        "session",
        session_token=token,
        csrf_token=session.csrf_token,
        workspaces=accounts.workspaces_of(engine, session.user),
    )


async def check_csrf(request: Request, expected: str | None) -> None:
    """Refuse an unsafe, cookie-authenticated request without the session's CSRF token.

    The token comes from the ``X-CSRF-Token`` header (JavaScript) or the ``csrf_token``
    form field (plain forms). A request announcing another origin is refused too."""
    if request.method not in UNSAFE_METHODS:
        return
    origin = request.headers.get("origin")
    # Hosts only: behind a proxy that ends TLS the app sees http while the browser says https.
    if origin and origin != "null" and urlsplit(origin).netloc.lower() != request.url.netloc.lower():
        raise CsrfFailed("This request came from another site; it was refused.")
    sent = request.headers.get("x-csrf-token")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not sent or not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed()


def actor_for_request(request: Request, identity: Identity) -> Actor:
    """The Actor for this request: in the workspace named by the ``ws`` path parameter, or
    site-wide. A workspace the user is not a member of is "not found" (never "forbidden")."""
    interface = "api" if request.url.path.startswith("/api/") else "web"
    ws = request.path_params.get("ws")
    user = identity.user
    slugs = tuple(slug for slug, _name, _role in identity.workspaces)
    if ws is not None:
        role = next((r for slug, _name, r in identity.workspaces if slug == ws), None)
        if role is None:
            raise NotFound("workspace", ws)
        return Actor(
            name=user.username,
            interface=interface,
            visible=role.visible,
            can_write=role.can_write,
            role=role,
            workspaces=slugs,
            site_admin=user.is_admin and identity.via == "session",
        )
    if user.is_admin and identity.via == "session":
        return Actor(
            name=user.username,
            interface=interface,
            visible=ALL_LEVELS,
            can_write=True,
            role=Role.admin,
            workspaces=slugs,
            site_admin=True,
        )
    # Site-wide requests of everyone else read nothing from any workspace by themselves.
    return Actor(
        name=user.username, interface=interface, visible=(), can_write=False, role=Role.viewer, workspaces=slugs
    )


# -- what templates see ----------------------------------------------------------------------


@pass_context
def csrf_token(context) -> str:
    request: Request | None = context.get("request")
    if request is None:
        return ""
    identity = getattr(request.state, "identity", None)
    if identity is not None and identity.csrf_token:
        return identity.csrf_token
    return getattr(request.state, "login_csrf", "") or ""


@pass_context
def csrf_input(context) -> Markup:
    """``{{ csrf_input() }}`` in every form that changes something."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(escape(csrf_token(context)))


@dataclass
class AccountArea:
    """The signed-in user area of every page's header."""

    username: str
    display_name: str
    site_admin: bool
    workspaces: list[dict]
    current_workspace: str | None
    role: str | None


@pass_context
def current_account(context) -> AccountArea | None:
    request: Request | None = context.get("request")
    identity: Identity | None = getattr(request.state, "identity", None) if request is not None else None
    if identity is None:
        return None
    current = request.path_params.get("ws") if request is not None else None
    role = next((r.value for slug, _n, r in identity.workspaces if slug == current), None)
    return AccountArea(
        username=identity.user.username,
        display_name=identity.user.display_name,
        site_admin=identity.user.is_admin,
        workspaces=[{"slug": s, "name": n, "role": r.value, "url": f"/w/{s}/"} for s, n, r in identity.workspaces],
        current_workspace=current if role else None,
        role=role,
    )


# -- headers, errors, wiring ------------------------------------------------------------------


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every response; pages that may show private data
    are not stored by caches (``Cache-Control: no-store`` unless a route chose otherwise)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith("/static/")
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _v in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                if not static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                if secure:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: A NUL character in a query string, a form, or a JSON string (as a raw byte or a \u0000 escape
#: that is not itself escaped). No field accepts one, and PostgreSQL cannot store it in text.
_NUL_IN_JSON = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000|\x00")
_CHECKED_BODIES = ("application/json", "application/x-www-form-urlencoded")


class RefuseNulMiddleware:
    """Answers 422 to a request carrying a NUL character (found by fuzzing the API: on
    PostgreSQL such text ended in a server error). File uploads are left to their parsers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            await self._refuse(scope, receive, send, "query")
            return
        if not content_type.startswith(_CHECKED_BODIES):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        found = (
            b"%00" in body
            if content_type.startswith("application/x-www-form-urlencoded")
            else bool(_NUL_IN_JSON.search(body))
        )
        if found:
            await self._refuse(scope, receive, send, "body")
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, where: str) -> None:
        request = Request(scope, receive)
        body = problem_body(
            request,
            status=422,
            title="Invalid input",
            detail=f"The request {where} contains a NUL character (\\u0000), which no field "
            "accepts; remove it and send the request again.",
        )
        await render_problem(request, body)(scope, receive, send)


async def _not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
    if wants_json(request):
        body = problem_body(request, status=401, title=exc.title, detail=str(exc))
        return render_problem(request, body, headers={"WWW-Authenticate": 'Bearer realm="citydiplomacy"'})
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    if read_cookie(request, SESSION_COOKIE):  # an expired or ended session: forget it
        clear_cookie(response, request, SESSION_COOKIE)
    return response


async def _too_many_attempts(request: Request, exc: TooManyAttempts) -> Response:
    body = problem_body(request, status=429, title=exc.title, detail=str(exc))
    return render_problem(request, body, headers={"Retry-After": str(exc.retry_after)})


def _describe_security(app: FastAPI) -> None:
    """The OpenAPI document says how to authenticate (a bearer token), that any API call may
    answer 401 or 403, and that errors are served as application/problem+json."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = build()
        components = doc.setdefault("components", {})
        components.setdefault("securitySchemes", {})["bearerToken"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (cdp_…) for one workspace and role: `citydip token create`, or the "
            "workspace's API tokens page. Same-origin scripts may use the session cookie instead, "
            "with the X-CSRF-Token header on changes.",
        }
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
        refusals = {
            "401": "Not signed in: no valid API token or session.",
            "403": "Signed in, but your role here does not allow this.",
        }
        for path, operations in doc.get("paths", {}).items():
            if not path.startswith("/api/"):
                continue
            for operation in operations.values():
                operation["security"] = [{"bearerToken": []}]
                responses = operation.setdefault("responses", {})
                for code, description in refusals.items():
                    responses.setdefault(code, {"description": description})
                for code, response in responses.items():
                    if code.startswith(("4", "5")):
                        response["content"] = problem
        app.openapi_schema = doc
        return doc

    app.openapi = openapi


def install_security(app: FastAPI) -> None:
    """Headers on every response, 401/429 handling, and the template helpers."""
    app.add_middleware(RefuseNulMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # added last: outermost, so refusals get the headers too
    _describe_security(app)
    app.add_exception_handler(NotAuthenticated, _not_authenticated)
    app.add_exception_handler(TooManyAttempts, _too_many_attempts)
    # Server errors are answered outside the middleware stack: give them the headers too.
    unexpected = app.exception_handlers.get(Exception)
    if unexpected is not None:

        async def unexpected_with_headers(request: Request, exc: Exception) -> Response:
            response = await unexpected(request, exc)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        app.add_exception_handler(Exception, unexpected_with_headers)
    env = app.state.templates.env
    env.globals.update(csrf_input=csrf_input, csrf_token=csrf_token, current_account=current_account)
