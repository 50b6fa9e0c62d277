"""The REST API: workspaces, and the same CRUD routes for every record type.

Routes parse the input, call one service and render the result; they decide nothing
about permissions (the Actor from :func:`deps.get_actor` travels to the services).

No ``from __future__ import annotations`` here: the record routes are built in a loop
and FastAPI must see the real model classes in their signatures.
"""

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel

from ...domain import RECORD_TYPES, InvalidInput, NotFound, Problem, Record, Workspace
from ...services import registry
from ..deps import ActorDep, EngineDep, ListQueryDep
from ..pagination import link_header, page_links
from ..schemas import AuditList, ProblemDetails, WorkspaceList, page_model

__all__ = ["build_api_router"]

PROBLEM_RESPONSES = {
    404: {"model": ProblemDetails, "description": "No such workspace or record (application/problem+json)."},
    422: {
        "model": ProblemDetails,
        "description": "Invalid input; `errors` names each field (application/problem+json).",
    },
}


def _json(model: BaseModel, *, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialise once, in pydantic's core: no per-row Python work beyond the models themselves."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json", headers=headers)


def _clean_ref(ref: str) -> str:
    return ref.strip().lower()


def _audit_list(entries) -> AuditList:
    return AuditList.model_validate({"items": [dataclasses.asdict(e) for e in entries]})


def build_api_router() -> APIRouter:
    router = APIRouter(prefix="/api", responses=PROBLEM_RESPONSES)
    _workspace_routes(router)
    for model in RECORD_TYPES:
        _record_routes(router, model)
    return router


def _workspace_routes(router: APIRouter) -> None:
    @router.get("/workspaces", response_model=WorkspaceList, tags=["workspaces"], summary="List workspaces")
    def list_workspaces(engine: EngineDep, actor: ActorDep):
        items = registry.list_workspaces(engine, actor)
        return _json(WorkspaceList(items=items, total=len(items)))

    @router.post(
        "/workspaces",
        response_model=Workspace,
        status_code=201,
        tags=["workspaces"],
        summary="Create a workspace",
        responses={409: {"model": ProblemDetails, "description": "The slug is taken."}},
    )
    def create_workspace(workspace: Workspace, request: Request, engine: EngineDep, actor: ActorDep):
        created = registry.create_workspace(engine, workspace.model_dump(mode="json"), actor)
        location = str(request.url_for("get_workspace", ws=created.slug))
        return _json(created, status_code=201, headers={"Location": location})

    @router.get("/workspaces/{ws}", response_model=Workspace, tags=["workspaces"], summary="Get a workspace")
    def get_workspace(ws: str, engine: EngineDep, actor: ActorDep):
        return _json(registry.get_workspace(engine, ws, actor))

    @router.get(
        "/workspaces/{ws}/audit",
        response_model=AuditList,
        tags=["audit"],
        summary="Audit trail of a workspace, newest first",
    )
    def workspace_audit(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        record_type: Annotated[str | None, Query(description="Record type, singular: engagement, partner…")] = None,
        ref: Annotated[str | None, Query(description="Ref of one record.")] = None,
        limit: Annotated[int, Query(ge=1, le=1000, description="At most this many entries.")] = 200,
    ):
        kinds = {m.kind_name for m in RECORD_TYPES}
        if record_type is not None and record_type not in kinds:
            raise InvalidInput(
                [
                    Problem(
                        f"unknown record type; use one of: {', '.join(sorted(kinds))}",
                        field="record_type",
                        value=record_type,
                    )
                ]
            )
        entries = registry.audit_history(
            engine, ws, actor, record_type_name=record_type, ref=_clean_ref(ref) if ref else None, limit=limit
        )
        return _json(_audit_list(entries))


def _record_routes(router: APIRouter, model: type[Record]) -> None:
    plural, kind = model.plural, model.kind_name
    base = f"/workspaces/{{ws}}/{plural}"
    tags = [plural]
    Page = page_model(model)

    def location(request: Request, ws: str, ref: str) -> str:
        return str(request.url_for(f"get_{kind}", ws=ws, ref=ref))

    @router.get(
        base,
        response_model=Page,
        tags=tags,
        summary=f"List {plural}",
        name=f"list_{plural}",
        description=f"Filters that do not apply to {plural} are refused with 422. "
        "The `Link` header points at the first, previous, next and last pages.",
    )
    def list_records(ws: str, query: ListQueryDep, request: Request, engine: EngineDep, actor: ActorDep):
        page = registry.list_records(engine, ws, plural, query, actor)
        body = Page(items=page.items, total=page.total, page=page.page, per_page=page.per_page, pages=page.pages)
        return _json(body, headers={"Link": link_header(page_links(request.url, page.page, page.pages))})

    @router.post(
        base,
        response_model=model,
        status_code=201,
        tags=tags,
        summary=f"Create a {kind}",
        name=f"create_{kind}",
        responses={409: {"model": ProblemDetails, "description": f"A {kind} with this ref exists."}},
    )
    def create_record(ws: str, record: model, request: Request, engine: EngineDep, actor: ActorDep):
        result = registry.save_record(
            engine, ws, plural, record.model_dump(mode="json", exclude_unset=True), actor, must_be_new=True
        )
        return _json(result.record, status_code=201, headers={"Location": location(request, ws, result.record.ref)})

    @router.get(
        base + "/{ref:path}/history",
        response_model=AuditList,
        tags=tags,
        summary=f"Audit trail of one {kind}, newest first",
        name=f"history_{kind}",
    )
    def record_history(
        ws: str, ref: str, engine: EngineDep, actor: ActorDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
    ):
        ref = _clean_ref(ref)
        entries = registry.audit_history(engine, ws, actor, record_type_name=kind, ref=ref, limit=limit)
        if not entries:
            raise NotFound(kind, ref)
        return _json(_audit_list(entries))

    @router.get(base + "/{ref:path}", response_model=model, tags=tags, summary=f"Get a {kind}", name=f"get_{kind}")
    def get_record(ws: str, ref: str, engine: EngineDep, actor: ActorDep):
        return _json(registry.get_record(engine, ws, plural, _clean_ref(ref), actor))

    @router.put(
        base + "/{ref:path}",
        response_model=model,
        tags=tags,
        name=f"put_{kind}",
        summary=f"Create or replace a {kind}",
        description="The body replaces the whole record (omitted fields take their defaults). "
        "201 when the record was created, 200 when it was replaced or already equal.",
        responses={
            201: {"model": model, "description": f"The {kind} was created."},
            409: {"model": ProblemDetails, "description": "The ref cannot be used."},
        },
    )
    def put_record(
        ws: str, ref: str, record: model, request: Request, response: Response, engine: EngineDep, actor: ActorDep
    ):
        ref = _clean_ref(ref)
        if record.ref is not None and record.ref != ref:
            raise InvalidInput(
                [
                    Problem(
                        f"the body's ref differs from the ref in the address ('{ref}'); "
                        "a record's ref cannot be changed",
                        field="ref",
                        value=record.ref,
                    )
                ]
            )
        data = record.model_dump(mode="json", exclude_unset=True) | {"ref": ref}
        result = registry.save_record(engine, ws, plural, data, actor)
        created = result.action == "inserted"
        return _json(
            result.record,
            status_code=201 if created else 200,
            headers={"Location": location(request, ws, ref)} if created else None,
        )

    @router.patch(
        base + "/{ref:path}",
        response_model=model,
        tags=tags,
        name=f"patch_{kind}",
        summary=f"Change some fields of a {kind}",
        description="A merge: fields in the body replace those of the record; others keep their value. "
        f"The result is validated as a whole {kind}.",
    )
    def patch_record(
        ws: str,
        ref: str,
        engine: EngineDep,
        actor: ActorDep,
        changes: Annotated[dict[str, Any], Body(description=f"Fields of the {kind} to change.")],
    ):
        result = registry.update_record(engine, ws, plural, _clean_ref(ref), changes, actor)
        return _json(result.record)

    @router.delete(
        base + "/{ref:path}",
        status_code=204,
        tags=tags,
        summary=f"Delete a {kind}",
        name=f"delete_{kind}",
        response_class=Response,
        responses={409: {"model": ProblemDetails, "description": f"Other records still refer to this {kind}."}},
    )
    def delete_record(ws: str, ref: str, engine: EngineDep, actor: ActorDep):
        registry.delete_record(engine, ws, plural, _clean_ref(ref), actor)
        return Response(status_code=204)
