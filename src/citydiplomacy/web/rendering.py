"""One view, two renderings: an HTML page, or its JSON twin (``.json`` or ``?format=json``)."""

from __future__ import annotations

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

__all__ = ["is_json_twin", "json_twin_url", "render"]


def is_json_twin(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.query_params.get("format") == "json"


def json_twin_url(request: Request) -> str:
    """'/w/la/engagements?page=2' -> '/w/la/engagements.json?page=2'; '/w/la/' -> '/w/la/.json'."""
    query = request.url.query
    return request.url.path + ".json" + (f"?{query}" if query else "")


def render(request: Request, template: str, view, *, title: str, status_code: int = 200) -> Response:
    if is_json_twin(request):
        return JSONResponse(jsonable_encoder(view), status_code=status_code)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        template,
        {"view": view, "page_title": title, "json_url": json_twin_url(request)},
        status_code=status_code,
    )
