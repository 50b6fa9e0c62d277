"""The public transparency page: no sign-in, only public engagements and agreements of a
workspace that opted in; any other slug answers 404."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ..deps import EngineDep
from ..rendering import render
from ..views.public import public_view

__all__ = ["build_public_router"]


def build_public_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/public/{ws}")
    def public_page(ws: str, request: Request, engine: EngineDep, page: int = 1):
        json_twin = ws.endswith(".json")
        if json_twin:
            ws = ws[: -len(".json")]
        view = public_view(engine, ws, str(request.url), page=max(1, page))
        return render(request, "public.html", view, title=f"International engagements of {view.public_workspace.name}")

    return router
