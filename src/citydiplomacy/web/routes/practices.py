"""The Exchange in the web app and the REST API: practice search with reasons, the practice page
with "we are borrowing this", peers, and the diffusion view (map and timeline).

Routes parse the input, call one service or view builder and render. Permissions are the
services': any member reads the library; staff and above write practices and record transfers
(``PermissionDenied`` -> 403); another workspace is "not found". Asking for semantic search
without the optional extra answers 501 with the install command
(``exchange.embeddings.SemanticSearchUnavailable``).

No ``from __future__ import annotations``: FastAPI must see the real models in signatures.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ...domain import Conflict, InvalidInput, NotFound, Problem
from ...exchange.models import (
    PopulationBand,
    Practice,
    PracticeStatus,
    Region,
    TransferOutcome,
    TransferStatus,
)
from ...exchange.results import (
    DiffusionGraph,
    Facet,
    PeerCity,
    PracticeDetail,
    PracticeSummary,
    SearchResults,
    TimelineYear,
    TransferView,
)
from ...services import practices as svc
from ..deps import ActorDep, EngineDep
from ..rendering import render
from ..schemas import ProblemDetails
from ..views.practices import (
    BORROW_FIELDS,
    FILTER_LISTS,
    borrow_data,
    diffusion_view,
    peers_view,
    practice_url,
    practice_view,
    search_view,
)
from .forms import FormDep

__all__ = ["build_practices_api_router", "build_practices_router"]

PROBLEMS = {
    401: {"model": ProblemDetails, "description": "Not signed in (application/problem+json)."},
    403: {"model": ProblemDetails, "description": "Your role may not do this (application/problem+json)."},
    404: {"model": ProblemDetails, "description": "No such workspace or practice (application/problem+json)."},
    422: {
        "model": ProblemDetails,
        "description": "Invalid input; `errors` names each field (application/problem+json).",
    },
}
SEMANTIC_PROBLEM = {
    501: {
        "model": ProblemDetails,
        "description": "Semantic or hybrid search was asked for but the "
        "optional extra is not installed; `detail` gives the "
        "install command (application/problem+json).",
    }
}
TAGS = ["practices"]


def _json(model: BaseModel | list, status_code: int = 200) -> Response:
    if isinstance(model, list):
        body = "[" + ",".join(m.model_dump_json() for m in model) + "]"
    else:
        body = model.model_dump_json()
    return Response(body, status_code=status_code, media_type="application/json")


def _slug(value: str) -> str:
    return value.removesuffix(".json").strip().lower()


def _filters_from(request: Request) -> dict[str, list[str]]:
    """The filter fields of the search form (GET): lists for facets, one value for years."""
    params = request.query_params
    out = {name: params.getlist(name) for name in FILTER_LISTS}
    out.update({name: params.getlist(name)[:1] for name in ("year_from", "year_to")})
    return out


def _page_number(value: str | None) -> int:
    if not value:
        return 1
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput([Problem("the page must be a whole number from 1", field="page", value=value)])
    return int(value)


# -- pages ----------------------------------------------------------------------------------------


def build_practices_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/w/{ws}/practices")
    @router.get("/w/{ws}/practices.json")
    def search_page(
        ws: str,
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        q: str = "",
        mode: str = "auto",
        page: str | None = None,
    ):
        view = search_view(engine, ws, q, actor, mode=mode, filters=_filters_from(request), page=_page_number(page))
        title = f"Practices: {view.question}" if view.question else "Practice library"
        return render(request, "practices/search.html", view, title=f"{title} · {view.workspace.name}")

    @router.get("/w/{ws}/practices/peers")
    @router.get("/w/{ws}/practices/peers.json")
    def peers_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep, problem: str = ""):
        view = peers_view(engine, ws, problem, actor)
        return render(request, "practices/peers.html", view, title=f"Peer cities · {view.workspace.name}")

    @router.get("/w/{ws}/practices/diffusion")
    @router.get("/w/{ws}/practices/diffusion.json")
    def diffusion_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = diffusion_view(engine, ws, actor)
        return render(request, "practices/diffusion.html", view, title=f"Diffusion · {view.workspace.name}")

    @router.get("/w/{ws}/practices/{slug}/diffusion")
    @router.get("/w/{ws}/practices/{slug}/diffusion.json")
    def practice_diffusion_page(ws: str, slug: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = diffusion_view(engine, ws, actor, practice=_slug(slug))
        return render(
            request, "practices/diffusion.html", view, title=f"Diffusion: {view.practice.text} · {view.workspace.name}"
        )

    @router.post("/w/{ws}/practices/{slug}/borrow")
    def borrow(ws: str, slug: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        slug = _slug(slug)
        values = {name: str(form.get(name) or "") for name in BORROW_FIELDS}
        detail = svc.get_practice(engine, ws, slug, actor)
        try:
            transfer = svc.record_transfer(
                engine, ws, slug, borrow_data(values, detail.practice.city, detail.practice.country_code), actor
            )
        except InvalidInput as error:
            view = practice_view(engine, ws, slug, actor, values=values, problems=error.problems)
            return render(request, "practices/practice.html", view, title=view.detail.practice.title, status_code=422)
        return RedirectResponse(
            f"{practice_url(ws, slug)}?borrowed={transfer.transfer.ref}#our-borrowing-h", status_code=303
        )

    @router.get("/w/{ws}/practices/{slug}")
    def practice_page(
        ws: str, slug: str, request: Request, engine: EngineDep, actor: ActorDep, borrowed: str | None = None
    ):
        view = practice_view(engine, ws, _slug(slug), actor, borrowed=borrowed)
        return render(request, "practices/practice.html", view, title=view.detail.practice.title)

    return router


# -- REST API ---------------------------------------------------------------------------------------


class PracticeList(BaseModel):
    items: list[PracticeSummary]
    total: int
    page: int
    per_page: int
    facets: list[Facet] = Field(
        description="Counts per topic, SDG, region, country, status and city size of the filtered library."
    )


class NewTransfer(BaseModel):
    """A city borrowing the practice. Without an adopter, the borrower is our own city."""

    model_config = ConfigDict(extra="forbid")

    adopter_city: str | None = Field(default=None, description="The borrowing city (default: ours).")
    adopter_country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code of the borrower.")
    from_city: str | None = Field(default=None, description="Learned from (default: the practice's city).")
    from_country: str | None = None
    year: int | None = None
    status: TransferStatus | None = Field(default=None, description="Default: intended for our own borrowing.")
    outcome: TransferOutcome | None = None
    adaptation: str | None = Field(default=None, description="How the borrower adapts it.")
    outcome_notes: str | None = None
    evidence: str | None = None
    sources: list[str] = Field(default_factory=list)


Mode = Literal["auto", "lexical", "semantic", "hybrid"]
Many = Annotated[list[str] | None, Query(description="Repeat for several values (any of them).")]
Goals = Annotated[list[Annotated[int, Field(ge=1, le=17)]] | None, Query(description="SDG goal numbers, 1-17.")]
Regions = Annotated[list[Region] | None, Query(description="World regions (any of them).")]
Bands = Annotated[
    list[PopulationBand] | None, Query(description="City size: small < 250k <= medium < 1M <= large < 5M <= mega.")
]
Statuses = Annotated[list[PracticeStatus] | None, Query(description="Status of the practice in its city.")]
Year = Annotated[int | None, Query(ge=1800, le=2100, description="Year the practice started.")]


def _filters(topic, sdg, region, country, population_band, year_from, year_to, status) -> dict:
    values = {
        "topic": topic,
        "sdg": sdg,
        "region": region,
        "country": country,
        "population_band": population_band,
        "year_from": year_from,
        "year_to": year_to,
        "status": status,
    }
    return {k: v for k, v in values.items() if v not in (None, [], "")}


def build_practices_api_router() -> APIRouter:
    router = APIRouter(responses=PROBLEMS, tags=TAGS)
    base = "/api/workspaces/{ws}/practices"

    @router.get(base, response_model=PracticeList, summary="The practice library, newest first, with facets")
    def list_(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        topic: Many = None,
        sdg: Goals = None,
        region: Regions = None,
        country: Many = None,
        population_band: Bands = None,
        year_from: Year = None,
        year_to: Year = None,
        status: Statuses = None,
        page: Annotated[int, Query(ge=1)] = 1,
        per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    ):
        filters = _filters(topic, sdg, region, country, population_band, year_from, year_to, status)
        found = svc.list_practices(engine, ws, actor, filters, page=page, per_page=per_page)
        facets = svc.practice_facets(engine, ws, actor, filters)
        return _json(PracticeList(**found.model_dump(), facets=facets))

    @router.post(
        base,
        response_model=PracticeDetail,
        status_code=201,
        summary="Add a practice to the library (staff and above); 409 if the slug is taken",
        responses={409: {"model": ProblemDetails, "description": "A practice with this slug exists."}},
    )
    def create(ws: str, practice: Practice, engine: EngineDep, actor: ActorDep):
        try:
            svc.get_practice(engine, ws, practice.slug, actor)
        except NotFound:
            pass
        else:
            raise Conflict(
                f"A practice with the slug '{practice.slug}' exists; change it with PUT {base}/"
                f"{practice.slug} or choose another slug.".replace("{ws}", ws)
            )
        return _json(svc.save_practice(engine, ws, practice.model_dump(mode="json"), actor), 201)

    @router.get(
        base + "/search",
        response_model=SearchResults,
        responses=SEMANTIC_PROBLEM,
        summary="Search by words and meaning; each result says why it matched",
    )
    def search(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        q: Annotated[str, Query(max_length=500, description="A question or some words.")],
        mode: Mode = "auto",
        topic: Many = None,
        sdg: Goals = None,
        region: Regions = None,
        country: Many = None,
        population_band: Bands = None,
        year_from: Year = None,
        year_to: Year = None,
        status: Statuses = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        offset: Annotated[int, Query(ge=0)] = 0,
    ):
        filters = _filters(topic, sdg, region, country, population_band, year_from, year_to, status)
        return _json(svc.search_practices(engine, ws, q, actor, mode=mode, filters=filters, limit=limit, offset=offset))

    @router.get(
        base + "/peers",
        response_model=list[PeerCity],
        summary="Cities like ours that tackled a problem, most similar first, with reasons",
    )
    def peers(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        problem: Annotated[str | None, Query(max_length=500, description="E.g. 'extreme heat'.")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
    ):
        return _json(svc.find_peers(engine, ws, actor, problem=problem, limit=limit))

    @router.get(
        base + "/borrowed-from-us",
        response_model=list[TransferView],
        summary="Transfers in which another city learned from ours",
    )
    def borrowed_from_us(ws: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.borrowed_from_us(engine, ws, actor))

    @router.get(
        base + "/our-borrowings",
        response_model=list[TransferView],
        summary="Transfers in which our city is the borrower",
    )
    def our_borrowings(ws: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.our_borrowings(engine, ws, actor))

    @router.get(base + "/transfers", response_model=list[TransferView], summary="Every transfer in the library")
    def transfers(ws: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.list_transfers(engine, ws, actor))

    @router.get(
        base + "/diffusion",
        response_model=DiffusionGraph,
        summary="Who learned from whom: cities and transfers of the practices that travelled",
    )
    def diffusion(ws: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.diffusion_graph(engine, ws, actor))

    @router.get(
        base + "/timeline",
        response_model=list[TimelineYear],
        summary="When: practices started and transfers made, by year",
    )
    def timeline(ws: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.diffusion_timeline(engine, ws, actor))

    @router.get(base + "/{slug}", response_model=PracticeDetail, summary="A practice with its transfers")
    def get(ws: str, slug: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.get_practice(engine, ws, _slug(slug), actor))

    @router.put(
        base + "/{slug}", response_model=PracticeDetail, summary="Create or replace a practice (staff and above)"
    )
    def put(ws: str, slug: str, practice: Practice, engine: EngineDep, actor: ActorDep):
        if practice.slug != _slug(slug):
            raise InvalidInput(
                [
                    Problem(
                        f"the body's slug must be the one in the address ('{_slug(slug)}')",
                        field="slug",
                        value=practice.slug,
                    )
                ]
            )
        return _json(svc.save_practice(engine, ws, practice.model_dump(mode="json"), actor))

    @router.delete(base + "/{slug}", status_code=204, summary="Delete a practice and its transfers (staff and above)")
    def delete(ws: str, slug: str, engine: EngineDep, actor: ActorDep):
        svc.delete_practice(engine, ws, _slug(slug), actor)
        return Response(status_code=204)

    @router.get(
        base + "/{slug}/more-like-this",
        response_model=SearchResults,
        summary="Practices like this one (by meaning, words and topics), each with why",
    )
    def more_like(
        ws: str, slug: str, engine: EngineDep, actor: ActorDep, limit: Annotated[int, Query(ge=1, le=100)] = 10
    ):
        return _json(svc.more_like_this(engine, ws, _slug(slug), actor, limit=limit))

    @router.get(base + "/{slug}/transfers", response_model=list[TransferView], summary="Who borrowed this practice")
    def practice_transfers(ws: str, slug: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.list_transfers(engine, ws, actor, practice=_slug(slug)))

    @router.post(
        base + "/{slug}/transfers",
        response_model=TransferView,
        status_code=201,
        summary="Borrow this: record that a city (ours by default) is adopting the practice",
    )
    def borrow(ws: str, slug: str, body: NewTransfer, engine: EngineDep, actor: ActorDep):
        data = body.model_dump(mode="json", exclude_none=True)
        if not data.get("sources"):
            data.pop("sources", None)
        return _json(svc.record_transfer(engine, ws, _slug(slug), data, actor), 201)

    @router.get(base + "/{slug}/diffusion", response_model=DiffusionGraph, summary="The spread of one practice")
    def practice_diffusion(ws: str, slug: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.diffusion_graph(engine, ws, actor, practice=_slug(slug)))

    @router.get(
        base + "/{slug}/timeline",
        response_model=list[TimelineYear],
        summary="One practice's start and transfers, by year",
    )
    def practice_timeline(ws: str, slug: str, engine: EngineDep, actor: ActorDep):
        return _json(svc.diffusion_timeline(engine, ws, actor, practice=_slug(slug)))

    return router
