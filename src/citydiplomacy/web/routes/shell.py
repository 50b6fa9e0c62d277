"""The web shell: server-rendered pages, each with a JSON twin.

Routes parse the address, call one view builder (``web/views``) and render it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ..deps import ActorDep, EngineDep, parse_list_query
from ..rendering import render
from ..views.common import PAGE_TYPES, record_name
from ..views.dashboard import dashboard_view
from ..views.engagements import engagement_view
from ..views.lists import list_view
from ..views.places import place_view
from ..views.records import agreement_view, partner_view, person_view
from ..views.workspaces import index_view

__all__ = ["build_shell_router"]

#: record type -> (view builder, template, attribute of the view holding the record)
DETAIL_PAGES = {
    "engagements": (engagement_view, "engagement.html", "engagement"),
    "partners": (partner_view, "partner.html", "partner"),
    "people": (person_view, "person.html", "person"),
    "agreements": (agreement_view, "agreement.html", "agreement"),
    "places": (place_view, "place.html", "place"),
}


def build_shell_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    @router.get("/.json")
    def home(request: Request, engine: EngineDep, actor: ActorDep):
        return render(request, "index.html", index_view(engine, actor), title="Workspaces")

    @router.get("/w/{ws}")
    def workspace_without_slash(ws: str):
        return RedirectResponse(f"/w/{ws}/", status_code=308)

    @router.get("/w/{ws}/")
    @router.get("/w/{ws}/.json")
    def overview(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = dashboard_view(engine, ws, actor)
        return render(request, "dashboard.html", view, title=view.workspace.name)

    for plural in PAGE_TYPES:
        _list_page(router, plural)
        _detail_page(router, plural)
    return router


def _list_page(router: APIRouter, plural: str) -> None:
    def list_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        query = parse_list_query(request.query_params)
        view = list_view(engine, ws, plural, query, actor, str(request.url))
        return render(request, "list.html", view, title=f"{view.title} · {view.workspace.name}")

    router.add_api_route(f"/w/{{ws}}/{plural}", list_page, methods=["GET"], name=f"page_{plural}")
    router.add_api_route(f"/w/{{ws}}/{plural}.json", list_page, methods=["GET"], name=f"page_{plural}_json")


def _detail_page(router: APIRouter, plural: str) -> None:
    build, template, attribute = DETAIL_PAGES[plural]

    def detail_page(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep):
        # '/w/la/partners/consulate-japan.json' is the JSON twin of the partner's page.
        if ref.endswith(".json"):
            ref = ref[: -len(".json")]
        view = build(engine, ws, ref.strip().lower(), actor)
        return render(request, template, view, title=record_name(getattr(view, attribute)))

    router.add_api_route(f"/w/{{ws}}/{plural}/{{ref:path}}", detail_page, methods=["GET"], name=f"page_{plural[:-1]}")
