"""Import (upload -> preview -> commit) and export (every list, as CSV, JSON or .ics).

The preview is a dry run of the same import: every row validated, references checked,
problems listed by line and field, nothing written. The file stays on the server (see
:mod:`web.uploads`) and the commit imports exactly that content.
"""

from __future__ import annotations

import io
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ...domain import InvalidInput, NotFound, Problem
from ...services import registry
from ...services.exports import described, export_ics, export_records
from ...services.imports import import_data
from ...services.registry import Actor
from ..deps import ActorDep, EngineDep, parse_list_query
from ..rendering import render
from ..uploads import UploadStore, owner_key
from ..views.common import PAGE_TYPES
from ..views.imports import IMPORT_TYPES, import_form_view, report_view
from .forms import FormDep

__all__ = ["build_imports_router"]

EXPORT_TYPES = PAGE_TYPES
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "ics": "text/calendar; charset=utf-8"}


def _store(request: Request) -> UploadStore:
    store = getattr(request.app.state, "uploads", None)
    if store is None:
        store = request.app.state.uploads = UploadStore()
    return store


def _owner(request: Request, actor: Actor) -> str:
    identity = getattr(request.state, "identity", None)
    return owner_key(actor.name, getattr(identity, "session_token", None))


def _record_type(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if value not in IMPORT_TYPES:
        raise InvalidInput(
            [Problem(f"unknown record type; use one of: {', '.join(IMPORT_TYPES)}", field="record_type", value=value)]
        )
    return value


def build_imports_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def upload_page(request, engine, ws, actor, problems=None):
        view = import_form_view(engine, ws, actor, problems)
        return render(
            request, "import.html", view, title=f"Import · {view.workspace.name}", status_code=422 if problems else 200
        )

    @router.get("/w/{ws}/import")
    @router.get("/w/{ws}/import.json")
    def import_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        return upload_page(request, engine, ws, actor)

    @router.post("/w/{ws}/import")
    def preview(ws: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        """Store the upload and show what importing it would do (a dry run)."""
        import_form_view(engine, ws, actor)  # 404 / 403 before reading anything
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return upload_page(request, engine, ws, actor, [Problem("choose a file to import", field="file")])
        try:
            record_type = _record_type(form.get("record_type"))
        except InvalidInput as error:
            return upload_page(request, engine, ws, actor, error.problems)
        data = upload.file.read()
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
        try:
            report = import_data(engine, ws, data, name, actor, record_type=record_type, dry_run=True)
            upload_id = _store(request).put(_owner(request, actor), ws, name, data) if report.ok else None
        except InvalidInput as error:  # not a file we can read at all (unknown format or type)
            return upload_page(request, engine, ws, actor, error.problems)
        view = report_view(engine, ws, actor, report, upload_id=upload_id, record_type=record_type)
        return render(
            request,
            "import_report.html",
            view,
            title=f"Import preview · {view.workspace.name}",
            status_code=200 if report.ok else 422,
        )

    @router.post("/w/{ws}/import/{upload_id}/commit")
    def commit(ws: str, upload_id: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        """Import the stored file for real: all rows or none."""
        registry.get_workspace(engine, ws, actor)
        store = _store(request)
        try:
            name, data = store.get(upload_id, _owner(request, actor), ws)
        except NotFound:
            return upload_page(
                request,
                engine,
                ws,
                actor,
                [
                    Problem(
                        "this preview has expired or belongs to another session; upload the file again", field="file"
                    )
                ],
            )
        record_type = _record_type(form.get("record_type"))
        try:
            report = import_data(engine, ws, data, name, actor, record_type=record_type)
        except InvalidInput:
            # The registry changed since the preview: show the new preview, keep the file.
            report = import_data(engine, ws, data, name, actor, record_type=record_type, dry_run=True)
            view = report_view(engine, ws, actor, report, upload_id=upload_id, record_type=record_type)
            return render(
                request, "import_report.html", view, title=f"Import preview · {view.workspace.name}", status_code=422
            )
        store.discard(upload_id)
        view = report_view(engine, ws, actor, report, upload_id=None, record_type=record_type)
        return render(request, "import_report.html", view, title=f"Imported · {view.workspace.name}")

    @router.get("/w/{ws}/export/{file_name}")
    def export(ws: str, file_name: str, request: Request, engine: EngineDep, actor: ActorDep):
        """'/w/la/export/engagements.csv': every record of a type the actor may see;
        '…/agreements.csv?kind=sister_city&country=KR': those the list's filters select. The
        file name says which ('la-agreements-kind-sister_city-country-KR-2026-12-08.csv')."""
        plural, _, fmt = file_name.partition(".")
        if plural not in EXPORT_TYPES or fmt not in MEDIA_TYPES or (fmt == "ics" and plural != "engagements"):
            raise NotFound("export", file_name)
        registry.get_workspace(engine, ws, actor)
        query = parse_list_query(request.query_params) if request.query_params else None
        if fmt == "ics":
            out = io.BytesIO()
            export_ics(engine, ws, out, actor, query=query)
            body: bytes = out.getvalue()
        else:
            text = io.StringIO()
            export_records(engine, ws, plural, fmt, text, actor, query=query)
            body = text.getvalue().encode("utf-8")
        download = f"{ws}-{described(plural, query)}-{date.today().isoformat()}.{fmt}"
        return Response(
            body, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{download}"'}
        )

    return router
