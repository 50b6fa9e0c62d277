"""Errors as RFC 9457 problem details (``application/problem+json``).

Our own errors (:class:`CityDiplomacyError`) carry their wording and status; request
validation errors are translated into the same shape, naming each field as a client
writes it (``participants[0].person``). HTML pages get the same content as a page.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..domain import CityDiplomacyError, InvalidInput, Problem

__all__ = ["PROBLEM_JSON", "field_path", "install_problem_handlers", "problem_body"]

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem_type(title: str) -> str:
    """A stable identifier for the kind of problem, e.g. ``urn:citydiplomacy:problem:invalid-input``."""
    return "urn:citydiplomacy:problem:" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def field_path(location: tuple | list) -> str | None:
    """('participants', 0, 'person') -> 'participants[0].person'."""
    out = ""
    for part in location:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or None


def problem_body(
    request: Request, *, status: int, title: str, detail: str, errors: list[dict] | None = None
) -> dict[str, Any]:
    return {
        "type": problem_type(title),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "errors": errors or [],
    }


def _validation_problems(error: RequestValidationError) -> list[dict]:
    out = []
    for item in error.errors():
        location = list(item.get("loc", ()))
        source = location.pop(0) if location and location[0] in ("body", "query", "path", "header", "cookie") else None
        message = item.get("msg", "invalid value")
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        kind = item.get("type")
        if kind == "extra_forbidden":
            message = "unknown field (check the spelling; see /openapi.json for the fields of this record type)"
        elif kind == "missing":
            message = "required field is missing"
        elif kind == "json_invalid":
            reason = (item.get("ctx") or {}).get("error", "")
            message = (
                f"the request body is not valid JSON ({reason})" if reason else "the request body is not valid JSON"
            )
            location = []
        entry: dict[str, Any] = {"field": field_path(location), "message": message}
        if source == "body" and kind == "model_attributes_type" and not location:
            entry["message"] = "the request body must be a JSON object"
        value = item.get("input")
        if kind not in ("missing", "json_invalid") and isinstance(value, (str, int, float, bool)):
            entry["value"] = value
        out.append(entry)
    return out


def wants_json(request: Request) -> bool:
    """API calls and JSON twins get problem+json; browsers asking for a page get HTML."""
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or path == "/api" or path.endswith(".json"):
        return True
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def render_problem(request: Request, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"problem": body, "page_title": body["title"]},
        status_code=body["status"],
        headers=headers,
    )


async def _our_error(request: Request, exc: CityDiplomacyError) -> Response:
    if isinstance(exc, InvalidInput):
        problems: list[Problem] = exc.problems
        detail = f"{len(problems)} problem(s) with the input; nothing was written."
        errors = [p.as_dict() for p in problems]
    else:
        detail, errors = str(exc), []
    return render_problem(
        request, problem_body(request, status=exc.status, title=exc.title, detail=detail, errors=errors)
    )


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = _validation_problems(exc)
    detail = f"{len(errors)} problem(s) with the request; nothing was written."
    return render_problem(
        request, problem_body(request, status=422, title="Invalid input", detail=detail, errors=errors)
    )


def _allowed_methods(request: Request) -> str:
    """Every method some route of the app serves at this path, e.g. 'GET, POST'."""
    from fastapi.routing import iter_route_contexts
    from starlette.routing import compile_path

    patterns = getattr(request.app.state, "route_patterns", None)
    if patterns is None:
        patterns = [
            (compile_path(r.path)[0], r.methods)
            for r in iter_route_contexts(request.app.routes)
            if r.path and r.methods
        ]
        request.app.state.route_patterns = patterns
    methods = set()
    for pattern, route_methods in patterns:
        if pattern.match(request.url.path):
            methods |= set(route_methods)
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    status = exc.status_code
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    if status == 404:
        detail = f"Nothing at {request.url.path}. Check the address; /openapi.json lists every API path."
    elif status == 405:
        # Starlette names only the methods of the first route matching the path; list them all.
        allowed = _allowed_methods(request) or {k.lower(): v for k, v in (exc.headers or {}).items()}.get("allow", "")
        if allowed:
            exc.headers = {**(exc.headers or {}), "Allow": allowed}
        detail = f"{request.method} is not allowed here; allowed: {allowed or 'see /openapi.json'}."
    else:
        detail = exc.detail if isinstance(exc.detail, str) else title
    if status == 204 or status == 304:  # pragma: no cover - no body allowed
        return Response(status_code=status, headers=exc.headers)
    return render_problem(
        request, problem_body(request, status=status, title=title, detail=detail), headers=exc.headers
    )


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    # Log everything, reveal nothing: the message may contain SQL, paths or data.
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    body = problem_body(
        request,
        status=500,
        title="Internal server error",
        detail="Something went wrong on the server; nothing was written. The error has been logged.",
    )
    return render_problem(request, body)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CityDiplomacyError, _our_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
