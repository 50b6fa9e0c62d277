"""Pages around the records: search, countries, and adding a gazetteer place to the registry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from ...domain import InvalidInput, Problem
from ...services.places import ensure_place, gazetteer_place
from ..deps import ActorDep, EngineDep
from ..rendering import render
from ..views.common import record_path
from ..views.places import country_view
from ..views.search import search_view
from .forms import FormDep

__all__ = ["build_pages_router"]


def build_pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/w/{ws}/search")
    @router.get("/w/{ws}/search.json")
    def search_page(
        ws: str,
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        q: str = "",
        type: Annotated[str | None, Query(description="One record type (plural).")] = None,
        page: int = 1,
        format: str | None = None,
    ):
        view = search_view(engine, ws, q, actor, only=type or None, page=page)
        title = f"Search: {view.query}" if view.query else "Search"
        return render(request, "search.html", view, title=f"{title} · {view.workspace.name}")

    @router.get("/w/{ws}/countries/{code}")
    def country_page(ws: str, code: str, request: Request, engine: EngineDep, actor: ActorDep):
        code = code.removesuffix(".json")
        view = country_view(engine, ws, code, actor)
        return render(request, "country.html", view, title=f"{view.name} · {view.workspace.name}")

    @router.post("/w/{ws}/places/from-gazetteer")
    def add_gazetteer_place(ws: str, engine: EngineDep, actor: ActorDep, form: FormDep):
        ref = form.get("ref")
        if not isinstance(ref, str) or gazetteer_place(ref.strip().lower()) is None:
            raise InvalidInput(
                [
                    Problem(
                        "not a gazetteer place; use geonames:<id> or country:<code>",
                        field="ref",
                        value=ref if isinstance(ref, str) else None,
                    )
                ]
            )
        ref = ensure_place(engine, ws, ref, actor)
        return RedirectResponse(record_path(ws, "places", ref), status_code=303)

    return router
