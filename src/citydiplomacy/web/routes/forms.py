"""Forms that create and change records, the inline quick-add, autocomplete and agreement status.

Each POST parses the form into a record (``web/views/*_form*.py``), calls one service, and
either redirects to the record's page (303) or shows the form again with the user's input
and every problem beside its field (422). Permissions are the services' (PermissionDenied
-> 403 page); the forms only hide what the actor cannot use.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import FormData

from ...domain import Conflict, InvalidInput, NotFound, Problem
from ...services import registry
from ...services.agreements import change_status, update_agreement
from ...services.people import save_person_with_posts
from ...services.places import ensure_place, suggest_places
from ...services.refs import unknown_refs
from ...services.registry import Actor, ListQuery
from ..deps import ActorDep, EngineDep
from ..rendering import render
from ..views.common import labelled, record_path
from ..views.engagement_form import (
    LIST_FIELDS,
    engagement_data,
    engagement_form,
    engagement_refs,
    engagement_values,
    new_engagement_values,
)
from ..views.forms import FormValues
from ..views.record_forms import FORMS, person_data, person_form, person_values

__all__ = ["build_forms_router"]

SUGGEST_TYPES = ("partners", "people", "places")
QUICK_ADD_FIELDS = {"partners": ("name", "kind", "country_code"), "people": ("name", "honorific", "country_code")}


async def posted_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(posted_form)]


def _conflict_problem(error: Conflict) -> list[Problem]:
    return [Problem(str(error), field="ref")]


def with_unknown_refs(engine, ws: str, actor: Actor, problems: list[Problem], wanted) -> list[Problem]:
    """The save's problems, plus unknown refs it did not get to check (it stops at invalid fields)."""
    named = {p.field.replace("[", ".").replace("]", "") for p in problems if p.field}
    extra = [p for p in unknown_refs(engine, ws, actor, wanted) if p.field not in named]
    return list(problems) + extra


def _clean_ref(ref: str) -> str:
    return ref.strip().lower()


def build_forms_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    _engagement_routes(router)
    _person_routes(router)
    for plural in FORMS:
        _record_routes(router, plural)
    _agreement_status_route(router)
    _quick_add_routes(router)
    _autocomplete_routes(router)
    return router


# -- engagements ---------------------------------------------------------------------------


def _engagement_routes(router: APIRouter) -> None:
    def show(
        request: Request,
        engine,
        ws: str,
        actor: Actor,
        values: FormValues,
        ref: str | None = None,
        problems=None,
        maps=None,
    ):
        view = engagement_form(engine, ws, actor, values, ref=ref, problems=problems, index_maps=maps)
        return render(
            request,
            "form.html",
            view,
            title=f"{view.title} · {view.workspace.name}",
            status_code=422 if problems else 200,
        )

    def save(request, engine, ws, actor, form, ref: str | None):
        values = FormValues.from_form(form, LIST_FIELDS)
        data, maps = engagement_data(values)
        try:
            data["venue_place"] = ensure_place(engine, ws, data.get("venue_place"), actor)
            if ref is None:
                data["entered_by"] = actor.name
                result = registry.save_record(engine, ws, "engagements", data, actor, must_be_new=True)
            else:
                result = registry.update_record(engine, ws, "engagements", ref, data, actor)
        except InvalidInput as error:
            problems = with_unknown_refs(engine, ws, actor, error.problems, engagement_refs(data))
            return show(request, engine, ws, actor, values, ref, problems, maps)
        except Conflict as error:
            return show(request, engine, ws, actor, values, ref, _conflict_problem(error), maps)
        return RedirectResponse(record_path(ws, "engagements", result.record.ref), status_code=303)

    @router.get("/w/{ws}/engagements/new")
    @router.get("/w/{ws}/engagements/new.json")
    def new_engagement(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        workspace = registry.get_workspace(engine, ws, actor)
        return show(request, engine, ws, actor, new_engagement_values(workspace.timezone))

    @router.post("/w/{ws}/engagements/new")
    def create_engagement(ws: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        return save(request, engine, ws, actor, form, None)

    @router.get("/w/{ws}/engagements/{ref:path}/edit")
    def edit_engagement(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep):
        ref = _clean_ref(ref)
        record = registry.get_record(engine, ws, "engagements", ref, actor)
        return show(request, engine, ws, actor, engagement_values(record), ref)

    @router.post("/w/{ws}/engagements/{ref:path}/edit")
    def change_engagement(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        ref = _clean_ref(ref)
        registry.get_record(engine, ws, "engagements", ref, actor)  # 404 before anything else
        return save(request, engine, ws, actor, form, ref)


# -- people with their posts ------------------------------------------------------------------


def _person_routes(router: APIRouter) -> None:
    def show(request, engine, ws, actor, values, ref=None, problems=None, maps=None):
        view = person_form(engine, ws, actor, values, ref=ref, problems=problems, index_maps=maps)
        return render(
            request,
            "form.html",
            view,
            title=f"{view.title} · {view.workspace.name}",
            status_code=422 if problems else 200,
        )

    def save(request, engine, ws, actor, form, ref):
        values = FormValues.from_form(form)
        person, posts, remove, maps = person_data(values)
        try:
            result = save_person_with_posts(engine, ws, person, posts, actor, ref=ref, remove_posts=remove)
        except InvalidInput as error:
            return show(request, engine, ws, actor, values, ref, error.problems, maps)
        except Conflict as error:
            return show(request, engine, ws, actor, values, ref, [Problem(str(error))], maps)
        return RedirectResponse(record_path(ws, "people", result.record.ref), status_code=303)

    @router.get("/w/{ws}/people/new")
    @router.get("/w/{ws}/people/new.json")
    def new_person(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        return show(request, engine, ws, actor, person_values())

    @router.post("/w/{ws}/people/new")
    def create_person(ws: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        return save(request, engine, ws, actor, form, None)

    @router.get("/w/{ws}/people/{ref:path}/edit")
    def edit_person(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep):
        ref = _clean_ref(ref)
        person = registry.get_record(engine, ws, "people", ref, actor)
        posts = registry.list_records(engine, ws, "posts", ListQuery(person=ref, per_page=500, sort="-start"), actor)
        return show(request, engine, ws, actor, person_values(person, posts.items), ref)

    @router.post("/w/{ws}/people/{ref:path}/edit")
    def change_person(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        ref = _clean_ref(ref)
        registry.get_record(engine, ws, "people", ref, actor)
        return save(request, engine, ws, actor, form, ref)


# -- partners, places, agreements -------------------------------------------------------------


def _record_routes(router: APIRouter, plural: str) -> None:
    make_values, parse, build = FORMS[plural]

    def show(request, engine, ws, actor, values, ref=None, problems=None, maps=None, current_status=None):
        extra = {"current_status": current_status} if plural == "agreements" else {}
        view = build(engine, ws, actor, values, ref=ref, problems=problems, index_maps=maps, **extra)
        return render(
            request,
            "form.html",
            view,
            title=f"{view.title} · {view.workspace.name}",
            status_code=422 if problems else 200,
        )

    def save(request, engine, ws, actor, form, ref, current=None):
        values = FormValues.from_form(form)
        data, maps = parse(values)
        current_status = current.status.value if current is not None and plural == "agreements" else None
        try:
            if plural == "partners":
                data["place"] = ensure_place(engine, ws, data.get("place"), actor)
            if plural == "agreements":
                for party in data.get("parties", []):
                    party["place"] = ensure_place(engine, ws, party.get("place"), actor)
            if ref is None:
                result = registry.save_record(engine, ws, plural, data, actor, must_be_new=True)
            elif plural == "agreements":
                result = update_agreement(engine, ws, ref, data, actor)
            else:
                result = registry.update_record(engine, ws, plural, ref, data, actor)
        except InvalidInput as error:
            return show(request, engine, ws, actor, values, ref, error.problems, maps, current_status)
        except Conflict as error:
            return show(request, engine, ws, actor, values, ref, _conflict_problem(error), maps, current_status)
        return RedirectResponse(record_path(ws, plural, result.record.ref), status_code=303)

    def new_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        registry.get_workspace(engine, ws, actor)
        return show(request, engine, ws, actor, make_values())

    def create(ws: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        return save(request, engine, ws, actor, form, None)

    def edit_page(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep):
        ref = _clean_ref(ref)
        record = registry.get_record(engine, ws, plural, ref, actor)
        status = record.status.value if plural == "agreements" else None
        return show(request, engine, ws, actor, make_values(record), ref, current_status=status)

    def change(ws: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        ref = _clean_ref(ref)
        current = registry.get_record(engine, ws, plural, ref, actor)
        return save(request, engine, ws, actor, form, ref, current)

    router.add_api_route(f"/w/{{ws}}/{plural}/new", new_page, methods=["GET"], name=f"new_{plural}")
    router.add_api_route(f"/w/{{ws}}/{plural}/new.json", new_page, methods=["GET"], name=f"new_{plural}_json")
    router.add_api_route(f"/w/{{ws}}/{plural}/new", create, methods=["POST"], name=f"create_{plural}")
    router.add_api_route(f"/w/{{ws}}/{plural}/{{ref:path}}/edit", edit_page, methods=["GET"], name=f"edit_{plural}")
    router.add_api_route(f"/w/{{ws}}/{plural}/{{ref:path}}/edit", change, methods=["POST"], name=f"change_{plural}")


def _agreement_status_route(router: APIRouter) -> None:
    @router.post("/w/{ws}/agreements/{ref:path}/status")
    def set_status(ws: str, ref: str, engine: EngineDep, actor: ActorDep, form: FormDep):
        """The lifecycle buttons on an agreement's page."""
        ref = _clean_ref(ref)
        status = form.get("status")
        if not isinstance(status, str) or not status:
            raise InvalidInput([Problem("choose the new status", field="status")])
        change_status(engine, ws, ref, status, actor)
        return RedirectResponse(record_path(ws, "agreements", ref), status_code=303)


# -- quick add and autocomplete (JSON, for the forms' script) -----------------------------------


def _quick_add_routes(router: APIRouter) -> None:
    @router.post("/w/{ws}/quick/{plural}")
    def quick_add(ws: str, plural: str, engine: EngineDep, actor: ActorDep, form: FormDep):
        """Create a partner or person from the inline form; answers its ref and name (201)."""
        if plural not in QUICK_ADD_FIELDS:
            raise NotFound("quick-add form", plural)
        data = {}
        for name in QUICK_ADD_FIELDS[plural]:
            value = form.get(name)
            if isinstance(value, str) and value.strip():
                data[name] = value.strip()
        try:
            result = registry.save_record(engine, ws, plural, data, actor, must_be_new=True)
        except Conflict as error:
            raise InvalidInput([Problem(str(error), field="name")]) from None
        record = result.record
        return JSONResponse(
            {
                "ref": record.ref,
                "name": record.name,
                "url": record_path(ws, plural, record.ref),
                "detail": labelled(getattr(record, "kind", None)) or (record.country_code or ""),
            },
            status_code=201,
        )


def _autocomplete_routes(router: APIRouter) -> None:
    @router.get("/w/{ws}/autocomplete/{plural}")
    def autocomplete(ws: str, plural: str, engine: EngineDep, actor: ActorDep, q: str = ""):
        """Suggestions for a form input: ``{"items": [{"ref", "label", "detail", "new"}]}``."""
        if plural not in SUGGEST_TYPES:
            raise NotFound("suggestion list", plural)
        q = q.strip()[:100]
        if not q:
            return {"items": []}
        if plural == "places":
            return {"items": [s.__dict__ for s in suggest_places(engine, ws, q, actor)]}
        page = registry.list_records(engine, ws, plural, ListQuery(q=q, per_page=10, sort="name"), actor)
        items = []
        for record in page.items:
            if plural == "partners":
                detail = ", ".join(x for x in (labelled(record.kind), record.country_code or "") if x)
            else:
                detail = ", ".join(x for x in (record.honorific or "", record.country_code or "") if x)
            items.append({"ref": record.ref, "label": record.name, "detail": detail, "new": False})
        return {"items": items}
