"""The atlas in the web app and the REST API: the map of a workspace's ties (world and regions,
SVG and PNG export), introduction paths, network metrics, partner suggestions, and the
review of the world's twin-town list (site-wide: the list is shared by every workspace).

Routes parse the input, call one service or view builder and render. Permissions are the
services': any member reads a workspace's atlas; any signed-in user reads the twin-town
report; only site administrators pick places for its names (``services.atlas.pick_place``).

No ``from __future__ import annotations``: FastAPI must see the real models in signatures.
"""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from ...atlas.models import (
    CountryAggregate,
    IntroductionAnswer,
    MapLayers,
    NetworkMetrics,
    PickResult,
    ReportPage,
    SuggestionAnswer,
    YearRow,
)
from ...domain import InvalidInput, Problem
from ...services import atlas
from ..deps import ActorDep, EngineDep
from ..pagination import link_header, page_links
from ..rendering import render
from ..schemas import ProblemDetails
from ..views.atlas import (
    TWINS_PATH,
    TargetOption,
    map_view,
    metrics_view,
    paths_view,
    suggestions_view,
    target_options,
    twin_report_view,
    view_name,
)
from .forms import FormDep

__all__ = ["build_atlas_api_router", "build_atlas_router"]

PROBLEMS = {
    401: {"model": ProblemDetails, "description": "Not signed in (application/problem+json)."},
    403: {"model": ProblemDetails, "description": "Your role may not do this (application/problem+json)."},
    404: {
        "model": ProblemDetails,
        "description": "No such workspace, or nothing by that name (application/problem+json).",
    },
    422: {
        "model": ProblemDetails,
        "description": "Invalid input; `errors` names each field (application/problem+json).",
    },
}
TAGS = ["atlas"]
ViewParam = Annotated[
    str, Query(max_length=80, description="'world', a continent or a region: 'Europe', 'West Africa'.")
]
Status = Literal["resolved", "ambiguous", "unresolved"]


def _json(model: BaseModel | list, status_code: int = 200) -> Response:
    if isinstance(model, list):
        body = "[" + ",".join(m.model_dump_json() for m in model) + "]"
    else:
        body = model.model_dump_json()
    return Response(body, status_code=status_code, media_type="application/json")


def _map_file(body: bytes | str, media_type: str, name: str, download: bool) -> Response:
    headers = {"Content-Disposition": f'{"attachment" if download else "inline"}; filename="{name}"'}
    return Response(body, media_type=media_type, headers=headers)


def _file_name(ws: str, view: str, ext: str) -> str:
    return f"{ws}-atlas-{view.lower().replace(' ', '-')}.{ext}"


# -- pages ----------------------------------------------------------------------------------------


def build_atlas_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/w/{ws}/atlas")
    @router.get("/w/{ws}/atlas.json")
    def map_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep, view: str = "world"):
        page = map_view(engine, ws, view, actor)
        return render(request, "atlas/map.html", page, title=f"Atlas: map · {page.workspace.name}")

    @router.get("/w/{ws}/atlas/paths")
    @router.get("/w/{ws}/atlas/paths.json")
    def paths_page(
        ws: str,
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        target: str = "",
        k: Annotated[int, Query(ge=1, le=10)] = 3,
    ):
        page = paths_view(engine, ws, target, actor, k=k)
        title = f"Who can introduce us to {page.target}?" if page.target else "Introduction paths"
        return render(
            request,
            "atlas/paths.html",
            page,
            title=f"{title} · {page.workspace.name}",
            status_code=422 if page.problems else 200,
        )

    @router.get("/w/{ws}/atlas/network")
    @router.get("/w/{ws}/atlas/network.json")
    def network_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        page = metrics_view(engine, ws, actor)
        return render(request, "atlas/network.html", page, title=f"Atlas: network · {page.workspace.name}")

    @router.get("/w/{ws}/atlas/suggestions")
    @router.get("/w/{ws}/atlas/suggestions.json")
    def suggestions_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep, goal: str = ""):
        page = suggestions_view(engine, ws, goal, actor)
        return render(
            request,
            "atlas/suggestions.html",
            page,
            title=f"Partner suggestions · {page.workspace.name}",
            status_code=422 if page.problems else 200,
        )

    @router.get(TWINS_PATH)
    @router.get(TWINS_PATH + ".json")
    def twins_page(
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        status: str = "",
        country: str = "",
        q: str = "",
        page: Annotated[int, Query(ge=1)] = 1,
        picked: str = "",
    ):
        view = twin_report_view(
            engine,
            actor,
            status=status,
            country=country,
            q=q,
            page=page,
            message=f"Pick saved: {picked}" if picked else None,
        )
        return render(request, "atlas/twins.html", view, title="The world's twin towns: resolution report")

    @router.post(TWINS_PATH + "/picks")
    def pick(engine: EngineDep, actor: ActorDep, form: FormDep):
        values = {k: form.get(k) for k in ("input_name", "input_country", "geonames_id", "note", "back")}
        values = {k: v.strip() if isinstance(v, str) else "" for k, v in values.items()}
        if not values["input_name"] or not values["geonames_id"].isdigit():
            raise InvalidInput(
                [
                    Problem(
                        "choose a candidate: the form needs the name and a GeoNames id",
                        field="geonames_id",
                        value=values["geonames_id"] or None,
                    )
                ]
            )
        result = atlas.pick_place(
            engine,
            values["input_name"],
            values["input_country"],
            int(values["geonames_id"]),
            actor,
            note=values["note"] or None,
        )
        back = values["back"] if values["back"].startswith(TWINS_PATH) else TWINS_PATH
        separator = "&" if "?" in back else "?"
        return RedirectResponse(
            f"{back}{separator}picked={quote(result.input_name + ' → ' + result.place)}", status_code=303
        )

    return router


# -- REST API ----------------------------------------------------------------------------------


class TargetList(BaseModel):
    items: list[TargetOption]


class NewPick(BaseModel):
    input_name: str = Field(min_length=1, max_length=300, description="The name as written in the list.")
    input_country: str = Field(default="", max_length=200, description="The country as written in the list.")
    geonames_id: int = Field(description="The place the name means (GeoNames id; see the row's candidates).")
    note: str | None = Field(default=None, max_length=1000, description="Why (kept with the pick).")


def build_atlas_api_router() -> APIRouter:
    router = APIRouter(responses=PROBLEMS, tags=TAGS)
    base = "/api/workspaces/{ws}/atlas"

    @router.get(
        base + "/metrics",
        response_model=NetworkMetrics,
        summary="Network metrics of the workspace joined to the twin-town list (degree, centrality, "
        "communities, bridges, region ties, countries)",
    )
    def metrics(ws: str, engine: EngineDep, actor: ActorDep, top: Annotated[int, Query(ge=1, le=100)] = 15):
        return _json(atlas.workspace_metrics(engine, ws, actor, top=top))

    @router.get(
        base + "/countries",
        response_model=list[CountryAggregate],
        summary="Per country: engagements, agreements, partners, people, sister cities",
    )
    def countries(ws: str, engine: EngineDep, actor: ActorDep):
        return _json(atlas.workspace_countries(engine, ws, actor))

    @router.get(base + "/timeline", response_model=list[YearRow], summary="Change over time, by year")
    def timeline(ws: str, engine: EngineDep, actor: ActorDep):
        return _json(atlas.workspace_timeline(engine, ws, actor))

    @router.get(
        base + "/paths",
        response_model=IntroductionAnswer,
        summary="Who can introduce us: the k most trusted chains to a city, partner or person, each step explained",
    )
    def paths(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        target: Annotated[
            str,
            Query(
                max_length=300,
                description="A city ('Hanoi' or 'Hanoi, Vietnam'), a "
                "partner or person (name or ref), or geonames:<id>.",
            ),
        ],
        k: Annotated[int, Query(ge=1, le=10)] = 3,
    ):
        return _json(atlas.introduction_paths(engine, ws, target, actor, k=k))

    @router.get(
        base + "/suggestions",
        response_model=SuggestionAnswer,
        summary="Partner suggestions for a goal, each with its reasons",
    )
    def suggestions(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        goal: Annotated[
            str, Query(max_length=300, description="'trade with Vietnam', 'a sister city in West Africa'.")
        ],
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ):
        return _json(atlas.suggest_partners(engine, ws, goal, actor, limit=limit))

    @router.get(
        base + "/targets",
        response_model=TargetList,
        summary="Autocomplete for introduction paths: partners, people and gazetteer cities",
    )
    def targets(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        q: Annotated[str, Query(max_length=100, description="The first letters.")] = "",
    ):
        return _json(TargetList(items=target_options(engine, ws, q, actor)))

    @router.get(
        base + "/map",
        response_model=MapLayers,
        summary="The map's layers as GeoJSON FeatureCollections (countries with values, links, partners)",
    )
    def layers(ws: str, engine: EngineDep, actor: ActorDep, view: ViewParam = "world"):
        return _json(atlas.map_layers(engine, ws, actor, view=view_name(view)))

    @router.get(
        base + "/map.svg",
        response_class=Response,
        responses={200: {"content": {"image/svg+xml": {}}, "description": "The map (self-contained SVG)."}},
        summary="The map as SVG (for reports)",
    )
    def map_svg(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        view: ViewParam = "world",
        width: Annotated[int, Query(ge=200, le=4000)] = 1200,
        download: bool = False,
    ):
        name = view_name(view)
        svg = atlas.map_svg(engine, ws, actor, view=name, width=width)
        return _map_file(svg, "image/svg+xml", _file_name(ws, name, "svg"), download)

    @router.get(
        base + "/map.png",
        response_class=Response,
        responses={200: {"content": {"image/png": {}}, "description": "The map (PNG)."}},
        summary="The map as PNG (for reports)",
    )
    def map_png(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        view: ViewParam = "world",
        width: Annotated[int, Query(ge=200, le=4000)] = 1600,
        download: bool = False,
    ):
        name = view_name(view)
        png = atlas.map_png(engine, ws, actor, view=name, width=width)
        return _map_file(png, "image/png", _file_name(ws, name, "png"), download)

    @router.get(
        "/api/atlas/twins/report",
        response_model=ReportPage,
        summary="The twin-town list's resolution report (one row per distinct name), with candidates",
    )
    def report(
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        status: Status | None = None,
        country: Annotated[str | None, Query(max_length=200, description="Country as written, or ISO code.")] = None,
        q: Annotated[str | None, Query(max_length=200, description="Words of the name.")] = None,
        page: Annotated[int, Query(ge=1)] = 1,
        per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    ):
        found = atlas.twin_report(engine, status=status, country=country, q=q, page=page, per_page=per_page)
        pages = max(1, -(-found.total // found.per_page))
        response = _json(found)
        response.headers["Link"] = link_header(page_links(request.url, found.page, pages))
        return response

    @router.post(
        "/api/atlas/twins/picks",
        response_model=PickResult,
        status_code=200,
        summary="Decide which place a name of the list means (site administrators; remembered by later imports)",
    )
    def new_pick(body: NewPick, engine: EngineDep, actor: ActorDep):
        return _json(
            atlas.pick_place(engine, body.input_name, body.input_country, body.geonames_id, actor, note=body.note)
        )

    return router
