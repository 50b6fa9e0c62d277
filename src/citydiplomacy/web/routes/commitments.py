"""Commitments in the web app and the REST API: networks and membership obligations, the
commitment ledger (targets, measurements, charts), SDG tags and dashboard, and reports
(Voluntary Local Review drafts, one-page summaries).

Routes parse the input, call one service (or one view builder) and render; the services
decide permissions from the Actor (viewers get 403 on every write).

No ``from __future__ import annotations``: FastAPI must see the real models in signatures.
"""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from ...commitments.charts import render_chart
from ...commitments.models import Commitment, Measurement, Target
from ...commitments.network_reference import ReferenceList
from ...commitments.views import (
    CommitmentSummary,
    CommitmentView,
    ObligationView,
    SdgDashboard,
    TargetView,
)
from ...domain import Conflict, InvalidInput, NotFound, Problem
from ...services import commitments as svc
from ...services import registry
from ..deps import ActorDep, EngineDep
from ..rendering import render
from ..schemas import ProblemDetails
from ..views.commitments import (
    commitment_data,
    commitment_form_view,
    commitment_page,
    ledger_view,
    measurement_rows,
    networks_view,
    reports_view,
    sdg_goal_view,
    sdgs_view,
    target_data,
    workspace_today,
)
from ..views.forms import FormValues
from .forms import FormDep

__all__ = ["build_commitments_api_router", "build_commitments_router"]

MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
Format = Literal["pdf", "html"]


def _clean(ref: str) -> str:
    return ref.strip().lower()


def _download(body: bytes, fmt: str, name: str) -> Response:
    return Response(
        body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    )


def _vlr(engine, ws: str, year: int, fmt: str, actor) -> Response:
    return _download(svc.vlr_document(engine, ws, year, actor, fmt=fmt), fmt, f"{ws}-vlr-{year}-draft")


def _summary(engine, ws: str, ref: str, fmt: str, actor) -> Response:
    workspace = registry.get_workspace(engine, ws, actor)
    body = svc.commitment_document(engine, ws, ref, actor, fmt=fmt, as_of=workspace_today(workspace))
    return _download(body, fmt, f"{ws}-{ref.replace('/', '-')}-summary")


# -- pages ----------------------------------------------------------------------------------


def build_commitments_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    _network_pages(router)
    _ledger_pages(router)
    _sdg_pages(router)
    _report_pages(router)
    return router


def _network_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/networks")
    @router.get("/w/{ws}/networks.json")
    def networks_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = networks_view(engine, ws, actor)
        return render(
            request, "commitments/networks.html", view, title=f"Networks and obligations · {view.workspace.name}"
        )

    @router.post("/w/{ws}/networks/seed")
    def seed(ws: str, engine: EngineDep, actor: ActorDep, form: FormDep):
        refs = [r for r in form.getlist("refs") if isinstance(r, str) and r.strip()]
        if not refs:
            raise InvalidInput([Problem("choose at least one network of the reference list", field="refs")])
        svc.seed_networks(engine, ws, actor, refs)
        return RedirectResponse(f"/w/{ws}/networks", status_code=303)

    @router.post("/w/{ws}/networks/memberships/{ref:path}/obligations")
    def add_obligations(ws: str, ref: str, engine: EngineDep, actor: ActorDep, form: FormDep):
        workspace = registry.get_workspace(engine, ws, actor)
        svc.add_membership_obligations(engine, ws, _clean(ref), actor, as_of=workspace_today(workspace))
        return RedirectResponse(f"/w/{ws}/networks#obligations-h", status_code=303)

    @router.post("/w/{ws}/networks/obligations/{ref:path}/done")
    def obligation_done(ws: str, ref: str, engine: EngineDep, actor: ActorDep, form: FormDep):
        workspace = registry.get_workspace(engine, ws, actor)
        today = workspace_today(workspace)
        svc.complete_obligation(engine, ws, _clean(ref), actor, done_on=today, as_of=today)
        return RedirectResponse(f"/w/{ws}/networks#obligations-h", status_code=303)


def _ledger_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/commitments")
    @router.get("/w/{ws}/commitments.json")
    def ledger_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = ledger_view(engine, ws, actor)
        return render(request, "commitments/ledger.html", view, title=f"Commitments · {view.workspace.name}")

    def show_form(request, engine, ws, actor, values=None, problems=None):
        view = commitment_form_view(engine, ws, actor, values, problems)
        return render(
            request,
            "commitments/new.html",
            view,
            title=f"New commitment · {view.workspace.name}",
            status_code=422 if problems else 200,
        )

    @router.get("/w/{ws}/commitments/new")
    @router.get("/w/{ws}/commitments/new.json")
    def new_commitment(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        return show_form(request, engine, ws, actor)

    @router.post("/w/{ws}/commitments/new")
    def create_commitment(ws: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        values = FormValues.from_form(form)
        workspace = registry.get_workspace(engine, ws, actor)
        try:
            view = svc.save_commitment(
                engine, ws, commitment_data(values), actor, as_of=workspace_today(workspace), must_be_new=True
            )
        except InvalidInput as error:
            return show_form(request, engine, ws, actor, values, error.problems)
        except Conflict as error:
            return show_form(request, engine, ws, actor, values, [Problem(str(error), field="ref")])
        return RedirectResponse(f"/w/{ws}/commitments/{view.ref}", status_code=303)

    @router.get("/w/{ws}/commitments/{ref:path}/targets/{key}/chart.svg")
    def chart(ws: str, ref: str, key: str, engine: EngineDep, actor: ActorDep):
        workspace = registry.get_workspace(engine, ws, actor)
        view = svc.get_commitment(engine, ws, _clean(ref), actor, as_of=workspace_today(workspace))
        target = next((t for t in view.targets if t.key == key), None)
        if target is None:
            raise NotFound("target", f"{view.ref}/{key}")
        svg = render_chart(target.series, status=str(target.status.status), fmt="svg")
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, no-cache"})

    def page_after_error(request, engine, ws, ref, actor, form_for, values, problems):
        view = commitment_page(engine, ws, ref, actor, problems=problems, form_for=form_for, values=values)
        return render(request, "commitments/commitment.html", view, title=view.card.commitment.title, status_code=422)

    @router.post("/w/{ws}/commitments/{ref:path}/targets/{key}/measurements")
    def add_measurement(
        ws: str, ref: str, key: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep
    ):
        ref = _clean(ref)
        values = FormValues.from_form(form)
        rows, replace = measurement_rows(values)
        workspace = registry.get_workspace(engine, ws, actor)
        try:
            svc.add_measurements(engine, ws, ref, key, rows, actor, replace=replace, today=workspace_today(workspace))
        except InvalidInput as error:
            return page_after_error(request, engine, ws, ref, actor, key, values, error.problems)
        return RedirectResponse(f"/w/{ws}/commitments/{ref}#target-{key}", status_code=303)

    @router.post("/w/{ws}/commitments/{ref:path}/targets")
    def add_target(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        ref = _clean(ref)
        values = FormValues.from_form(form)
        workspace = registry.get_workspace(engine, ws, actor)
        data = target_data(values)
        try:
            svc.add_target(engine, ws, ref, data, actor, as_of=workspace_today(workspace))
        except InvalidInput as error:
            return page_after_error(request, engine, ws, ref, actor, "+target", values, error.problems)
        return RedirectResponse(f"/w/{ws}/commitments/{ref}#target-{data['key'] or ''}", status_code=303)

    @router.get("/w/{ws}/commitments/{ref:path}/summary.pdf")
    def summary_pdf(ws: str, ref: str, engine: EngineDep, actor: ActorDep):
        return _summary(engine, ws, _clean(ref), "pdf", actor)

    @router.get("/w/{ws}/commitments/{ref:path}/summary.html")
    def summary_html(ws: str, ref: str, engine: EngineDep, actor: ActorDep):
        return _summary(engine, ws, _clean(ref), "html", actor)

    @router.get("/w/{ws}/commitments/{ref:path}")
    def commitment_detail(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = commitment_page(engine, ws, _clean(ref.removesuffix(".json")), actor)
        return render(request, "commitments/commitment.html", view, title=view.card.commitment.title)


def _sdg_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/sdgs")
    @router.get("/w/{ws}/sdgs.json")
    def sdgs_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = sdgs_view(engine, ws, actor)
        return render(
            request, "commitments/sdgs.html", view, title=f"Sustainable Development Goals · {view.workspace.name}"
        )

    @router.get("/w/{ws}/sdgs/{goal}")
    def sdg_goal_page(ws: str, goal: str, request: Request, engine: EngineDep, actor: ActorDep):
        number = goal.removesuffix(".json")
        if not number.isdigit():
            raise NotFound("SDG goal", number)
        view = sdg_goal_view(engine, ws, int(number), actor)
        return render(
            request,
            "commitments/sdg_goal.html",
            view,
            title=f"SDG {view.goal.number}: {view.goal.name} · {view.workspace.name}",
        )


def _report_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/reports")
    @router.get("/w/{ws}/reports.json")
    def reports_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = reports_view(engine, ws, actor)
        return render(request, "commitments/reports.html", view, title=f"Reports · {view.workspace.name}")

    @router.get("/w/{ws}/reports/vlr")
    def vlr_download(ws: str, engine: EngineDep, actor: ActorDep, year: int, format: Format = "pdf"):
        return _vlr(engine, ws, year, format, actor)


# -- REST API -------------------------------------------------------------------------------


PROBLEMS = {
    403: {"model": ProblemDetails, "description": "Your role may read but not change (application/problem+json)."},
    404: {"model": ProblemDetails, "description": "No such workspace or record (application/problem+json)."},
    422: {
        "model": ProblemDetails,
        "description": "Invalid input; `errors` names each field (application/problem+json).",
    },
}
FILE_RESPONSES = {
    200: {"content": {"application/pdf": {}, "text/html": {}}, "description": "The document, as an attachment."}
}


class SeedNetworks(BaseModel):
    refs: list[str] | None = Field(default=None, description="Refs from the reference list; all when omitted.")
    update_existing: bool = Field(default=False, description="Overwrite networks the workspace already holds.")


class SeedResult(BaseModel):
    results: dict[str, str] = Field(description="ref -> inserted, updated, unchanged or kept.")


class ObligationList(BaseModel):
    items: list[ObligationView]


class FromMembership(BaseModel):
    membership: str = Field(description="Ref of our membership, e.g. 'c40/us'.")


class ObligationDone(BaseModel):
    done_on: date | None = Field(default=None, description="When it was done (default: today).")


class CommitmentList(BaseModel):
    items: list[CommitmentSummary]
    total: int


class NewMeasurements(BaseModel):
    measurements: list[Measurement] = Field(
        description="Rows of a target's series: on (YYYY-MM-DD) or year (an annual figure, stored as 31 December), "
        "value, unit (optional; must be the target's), source, illustrative, note. All rows or none are written."
    )
    replace: bool = Field(default=False, description="Overwrite values already stored for the same dates.")


class SdgTags(BaseModel):
    codes: list[str] = Field(description="SDG goal, target or indicator codes: '11', '11.6', '11.6.1'.")


def build_commitments_api_router() -> APIRouter:
    router = APIRouter(prefix="/api/workspaces/{ws}", responses=PROBLEMS)
    _network_api(router)
    _commitment_api(router)
    _sdg_api(router)
    return router


def _json(model: BaseModel, status_code: int = 200) -> Response:
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


def _network_api(router: APIRouter) -> None:
    tags = ["networks and obligations"]

    @router.get(
        "/network-reference",
        response_model=ReferenceList,
        tags=tags,
        summary="The reference list of city networks (cited founding years, requirements, obligations)",
    )
    def network_reference(ws: str, engine: EngineDep, actor: ActorDep):
        registry.get_workspace(engine, ws, actor)
        return _json(svc.network_reference())

    @router.post(
        "/network-reference/seed",
        response_model=SeedResult,
        tags=tags,
        summary="Create the workspace's network records from the reference list (idempotent)",
    )
    def seed_networks(ws: str, body: SeedNetworks, engine: EngineDep, actor: ActorDep):
        return _json(
            SeedResult(results=svc.seed_networks(engine, ws, actor, body.refs, update_existing=body.update_existing))
        )

    @router.get(
        "/obligations",
        response_model=ObligationList,
        tags=tags,
        summary="Open membership obligations, earliest due first (overdue first)",
    )
    def obligations(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        within_days: Annotated[int | None, Query(ge=0, le=3660, description="Only those due within N days.")] = None,
        include_done: bool = False,
        as_of: Annotated[date | None, Query(description="Count days from this date (default today).")] = None,
    ):
        workspace = registry.get_workspace(engine, ws, actor)
        items = svc.upcoming_obligations(
            engine,
            ws,
            actor,
            as_of=as_of or workspace_today(workspace),
            within_days=within_days,
            include_done=include_done,
        )
        return _json(ObligationList(items=items))

    @router.post(
        "/obligations/from-membership",
        response_model=ObligationList,
        tags=tags,
        summary="Create the obligations the reference list gives for a membership (idempotent)",
    )
    def from_membership(ws: str, body: FromMembership, engine: EngineDep, actor: ActorDep):
        workspace = registry.get_workspace(engine, ws, actor)
        items = svc.add_membership_obligations(
            engine, ws, _clean(body.membership), actor, as_of=workspace_today(workspace)
        )
        return _json(ObligationList(items=items))

    @router.post(
        "/obligations/{ref:path}/done",
        response_model=ObligationView,
        tags=tags,
        summary="Mark an obligation done (an annual one moves a year on)",
    )
    def done(
        ws: str, ref: str, engine: EngineDep, actor: ActorDep, body: Annotated[ObligationDone | None, Body()] = None
    ):
        workspace = registry.get_workspace(engine, ws, actor)
        today = workspace_today(workspace)
        return _json(
            svc.complete_obligation(
                engine, ws, _clean(ref), actor, done_on=(body.done_on if body else None) or today, as_of=today
            )
        )


def _commitment_api(router: APIRouter) -> None:
    tags = ["commitments"]

    @router.get(
        "/commitments",
        response_model=CommitmentList,
        tags=tags,
        summary="List commitments with their targets' status counts",
    )
    def list_commitments(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        network: Annotated[str | None, Query(description="Only pledges to this network (ref).")] = None,
        sdg: Annotated[str | None, Query(description="Only commitments serving this SDG code.")] = None,
        as_of: Annotated[date | None, Query(description="Statuses as of this date.")] = None,
    ):
        workspace = registry.get_workspace(engine, ws, actor)
        items = svc.list_commitments(
            engine, ws, actor, as_of=as_of or workspace_today(workspace), network=network, sdg=sdg
        )
        return _json(CommitmentList(items=items, total=len(items)))

    @router.post(
        "/commitments",
        response_model=CommitmentView,
        status_code=201,
        tags=tags,
        summary="Create a commitment (with its targets)",
        responses={409: {"model": ProblemDetails, "description": "A commitment with this ref exists."}},
    )
    def create_commitment(ws: str, commitment: Commitment, engine: EngineDep, actor: ActorDep):
        view = svc.save_commitment(
            engine, ws, commitment.model_dump(mode="json", exclude_unset=True), actor, must_be_new=True
        )
        return Response(
            view.model_dump_json(),
            status_code=201,
            media_type="application/json",
            headers={"Location": f"/api/workspaces/{ws}/commitments/{view.ref}"},
        )

    @router.post(
        "/commitments/{ref:path}/targets/{key}/measurements",
        response_model=TargetView,
        tags=tags,
        summary="Add measurements to a target's series (all rows or none)",
    )
    def add_measurements(ws: str, ref: str, key: str, body: NewMeasurements, engine: EngineDep, actor: ActorDep):
        workspace = registry.get_workspace(engine, ws, actor)
        return _json(
            svc.add_measurements(
                engine,
                ws,
                _clean(ref),
                key,
                [m.model_dump(mode="json", exclude_unset=True) for m in body.measurements],
                actor,
                replace=body.replace,
                today=workspace_today(workspace),
            )
        )

    @router.delete(
        "/commitments/{ref:path}/targets/{key}/measurements/{on}",
        status_code=204,
        tags=tags,
        response_class=Response,
        summary="Delete one measurement",
    )
    def delete_measurement(ws: str, ref: str, key: str, on: date, engine: EngineDep, actor: ActorDep):
        svc.delete_measurement(engine, ws, _clean(ref), key, on, actor)
        return Response(status_code=204)

    @router.post(
        "/commitments/{ref:path}/targets",
        response_model=CommitmentView,
        tags=tags,
        summary="Add a target to a commitment",
    )
    def add_target(ws: str, ref: str, target: Target, engine: EngineDep, actor: ActorDep):
        workspace = registry.get_workspace(engine, ws, actor)
        return _json(
            svc.add_target(
                engine,
                ws,
                _clean(ref),
                target.model_dump(mode="json", exclude_unset=True),
                actor,
                as_of=workspace_today(workspace),
            )
        )

    @router.get(
        "/commitments/{ref:path}/summary",
        tags=tags,
        responses=FILE_RESPONSES,
        response_class=Response,
        summary="One-page progress summary of a commitment (PDF or HTML)",
    )
    def summary(ws: str, ref: str, engine: EngineDep, actor: ActorDep, format: Format = "pdf"):
        return _summary(engine, ws, _clean(ref), format, actor)

    @router.get(
        "/commitments/{ref:path}",
        response_model=CommitmentView,
        tags=tags,
        summary="A commitment: every target's status with its method and numbers, measurements, chart series",
    )
    def get_commitment(
        ws: str,
        ref: str,
        engine: EngineDep,
        actor: ActorDep,
        as_of: Annotated[date | None, Query(description="Statuses as of this date.")] = None,
    ):
        workspace = registry.get_workspace(engine, ws, actor)
        return _json(svc.get_commitment(engine, ws, _clean(ref), actor, as_of=as_of or workspace_today(workspace)))

    @router.put(
        "/commitments/{ref:path}",
        response_model=CommitmentView,
        tags=tags,
        summary="Create or replace a commitment",
        description="Targets matched by key keep their measurements; dropping a measured target, changing "
        "its unit or narrowing its span so measurements fall outside is refused (422).",
    )
    def put_commitment(ws: str, ref: str, commitment: Commitment, engine: EngineDep, actor: ActorDep):
        ref = _clean(ref)
        if commitment.ref is not None and commitment.ref != ref:
            raise InvalidInput(
                [
                    Problem(
                        f"the body's ref differs from the ref in the address ('{ref}')",
                        field="ref",
                        value=commitment.ref,
                    )
                ]
            )
        workspace = registry.get_workspace(engine, ws, actor)
        data = commitment.model_dump(mode="json", exclude_unset=True) | {"ref": ref}
        return _json(svc.save_commitment(engine, ws, data, actor, as_of=workspace_today(workspace)))

    @router.delete(
        "/commitments/{ref:path}",
        status_code=204,
        tags=tags,
        response_class=Response,
        summary="Delete a commitment with its targets and measurements",
    )
    def delete_commitment(ws: str, ref: str, engine: EngineDep, actor: ActorDep):
        svc.delete_commitment(engine, ws, _clean(ref), actor)
        return Response(status_code=204)


def _sdg_api(router: APIRouter) -> None:
    tags = ["sdgs and reports"]

    @router.get(
        "/sdg-dashboard",
        response_model=SdgDashboard,
        tags=tags,
        summary="Per SDG goal: tagged engagements, agreements, practices, commitments and target statuses",
    )
    def dashboard(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        as_of: Annotated[date | None, Query(description="Statuses as of this date.")] = None,
    ):
        workspace = registry.get_workspace(engine, ws, actor)
        return _json(svc.sdg_dashboard(engine, ws, actor, as_of=as_of or workspace_today(workspace)))

    @router.get(
        "/sdg-tags/{record_type}/{ref:path}",
        response_model=SdgTags,
        tags=tags,
        summary="The SDG codes a record is tagged with",
    )
    def get_tags(ws: str, record_type: str, ref: str, engine: EngineDep, actor: ActorDep):
        registry.get_workspace(engine, ws, actor)
        return _json(SdgTags(codes=svc.sdg_tags(engine, ws, record_type, _clean(ref), actor)))

    @router.put(
        "/sdg-tags/{record_type}/{ref:path}",
        response_model=SdgTags,
        tags=tags,
        summary="Replace the SDG codes of a record (any record type, or a practice slug)",
    )
    def set_tags(ws: str, record_type: str, ref: str, body: SdgTags, engine: EngineDep, actor: ActorDep):
        return _json(SdgTags(codes=svc.set_sdg_tags(engine, ws, record_type, _clean(ref), body.codes, actor)))

    @router.get(
        "/reports/vlr",
        tags=tags,
        responses=FILE_RESPONSES,
        response_class=Response,
        summary="Voluntary Local Review draft for a year (PDF or HTML)",
    )
    def vlr(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        year: Annotated[int, Query(description="Report year; statuses as of 31 December of it.")],
        format: Format = "pdf",
    ):
        return _vlr(engine, ws, year, format, actor)
