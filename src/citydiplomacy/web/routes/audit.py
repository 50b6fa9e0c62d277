"""Audit trail pages: a workspace's trail (filterable, paged, exportable as CSV and JSON)
and the history of one record. Every page has its JSON twin."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from ..deps import ActorDep, EngineDep
from ..rendering import render
from ..views.audit import (
    audit_csv,
    audit_json,
    audit_view,
    parse_audit_params,
    record_history_view,
)

__all__ = ["build_audit_router"]


def build_audit_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/w/{ws}/audit")
    @router.get("/w/{ws}/audit.json")
    def workspace_audit(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = audit_view(engine, ws, actor, parse_audit_params(request.query_params))
        return render(request, "audit/workspace.html", view, title=f"Audit trail · {view.workspace.name}")

    @router.get("/w/{ws}/audit/export.csv")
    def export_csv(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        rows = audit_csv(engine, ws, actor, parse_audit_params(request.query_params))
        return StreamingResponse(
            rows,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="audit-{ws}.csv"'},
        )

    @router.get("/w/{ws}/audit/export.json")
    def export_json(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        parts = audit_json(engine, ws, actor, parse_audit_params(request.query_params))
        return StreamingResponse(
            parts,
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="audit-{ws}.json"'},
        )

    @router.get("/w/{ws}/history/{plural}/{ref:path}")
    def record_history(ws: str, plural: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep):
        # '/w/la/history/partners/hcmc.json' is the JSON twin of the partner's history.
        ref = ref.removesuffix(".json")
        view = record_history_view(engine, ws, plural, ref.strip().lower(), actor)
        return render(request, "audit/record.html", view, title=f"History of {view.record_type} {view.ref}")

    return router
