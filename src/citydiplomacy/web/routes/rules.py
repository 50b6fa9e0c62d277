"""Rules in the web app and the REST API.

Pages (``build_rules_router``): a record's findings (``/w/{ws}/rules/check/{plural}/{ref}``),
the pre-check of a planned engagement, the rule browser, interpretations, staged changes
and their impact, and obligations as tasks (``/w/{ws}/obligations``). Passing the app's
templates to the builder registers the ``rules_badge`` template helper (the badge on an
engagement's or agreement's page) and the "Rules" column of the engagement and agreement
lists.

API (``build_rules_api_router``): the same under ``/api/workspaces/{ws}/rules/…``.

Routes parse the input, call one service and render; the services decide who may do what
(counsel stages, interprets and activates; staff answer questions and update obligations).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Body, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile

from ...domain import InvalidInput, NotFound, Problem
from ...services import rules as service
from ..deps import ActorDep, EngineDep
from ..rendering import render
from ..schemas import ProblemDetails
from ..security import actor_for_request
from ..views import lists as list_views
from ..views.engagement_form import LIST_FIELDS, engagement_data, engagement_form
from ..views.forms import FormValues
from ..views.rules import (
    CHECKED_TYPES,
    PrecheckView,
    findings_path,
    findings_view,
    impact_view,
    interpretations_view,
    obligations_view,
    precheck_view,
    record_badge,
    rule_browser_view,
    rule_view,
    rules_list_column,
)
from .forms import FormDep

__all__ = ["build_rules_api_router", "build_rules_router"]

MESSAGES = {
    "installed": "The shipped packs were loaded and activated.",
    "activated": "Activated: the rules now in force include these changes.",
    "staged": "Staged. Nothing changes until it is activated.",
    "synced": "Obligations refreshed from the rules in force.",
    "updated": "Obligation updated.",
}


def _strip_json(value: str) -> str:
    return value[: -len(".json")] if value.endswith(".json") else value


def _as_of(value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput([Problem("give the date as YYYY-MM-DD", field="as_of", value=value)]) from None


#: Ids are database integers: anything larger is no id (and must not reach the database).
MAX_ID = 2**31 - 1


def _ids(values: list[str], name: str) -> list[int]:
    out = []
    for value in values:
        if value.strip():
            try:
                number = int(value)
            except ValueError:
                number = 0
            if not 1 <= number <= MAX_ID:
                raise InvalidInput([Problem("an id is a whole number from 1", field=name, value=value)])
            out.append(number)
    return out


def _text(form, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


# -- template helpers: the badge on records -----------------------------------------------------


@pass_context
def rules_badge(context, view=None):
    """The rules badge of the engagement or agreement a detail page shows (None elsewhere)."""
    request: Request | None = context.get("request")
    view = view if view is not None else context.get("view")
    identity = getattr(request.state, "identity", None) if request is not None else None
    if identity is None or view is None:
        return None
    for plural, attribute in (("engagements", "engagement"), ("agreements", "agreement")):
        record = getattr(view, attribute, None)
        if record is not None and getattr(record, "ref", None):
            actor = actor_for_request(request, identity)
            return record_badge(request.app.state.engine, view.workspace.slug, plural, record.ref, actor)
    return None


def install_rules_templates(templates: Jinja2Templates) -> None:
    """Register the badge helper for templates and the Rules column of list pages (idempotent)."""
    templates.env.globals["rules_badge"] = rules_badge
    if rules_list_column not in list_views.EXTRA_COLUMNS:
        list_views.EXTRA_COLUMNS.append(rules_list_column)


# -- pages ------------------------------------------------------------------------------------


def build_rules_router(templates: Jinja2Templates | None = None) -> APIRouter:
    if templates is not None:
        install_rules_templates(templates)
    router = APIRouter(include_in_schema=False)
    _findings_pages(router)
    _interpretation_pages(router)
    _impact_pages(router)
    _obligation_pages(router)
    _browser_pages(router)  # last: '/w/{ws}/rules/{rule_id}' would match the addresses above
    return router


def _findings_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/rules/check/{plural}/{ref:path}")
    def findings_page(
        ws: str, plural: str, ref: str, request: Request, engine: EngineDep, actor: ActorDep, as_of: str | None = None
    ):
        if plural not in CHECKED_TYPES:
            raise NotFound("rules page", plural)
        view = findings_view(engine, ws, plural, _strip_json(ref).strip().lower(), actor, check_date=_as_of(as_of))
        return render(request, "rules/findings.html", view, title=f"Rules: {view.title} · {view.workspace.name}")

    @router.post("/w/{ws}/rules/check/{plural}/{ref:path}/answers")
    def answer(ws: str, plural: str, ref: str, engine: EngineDep, actor: ActorDep, form: FormDep):
        """Answer a question the registry does not record (yes, no, or unknown to clear it)."""
        if plural not in CHECKED_TYPES:
            raise NotFound("rules page", plural)
        ref = ref.strip().lower()
        choice = _text(form, "answer")
        values = {"yes": True, "no": False, "unknown": None}
        if choice not in values:
            raise InvalidInput([Problem("answer yes, no or unknown", field="answer", value=choice)])
        service.answer_fact(engine, ws, plural, ref, _text(form, "fact"), values[choice], actor)
        return RedirectResponse(findings_path(ws, plural, ref) + "#questions", status_code=303)

    @router.post("/w/{ws}/rules/precheck")
    def precheck(ws: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        """The engagement form's "Check against rules": findings for the plan, nothing saved."""
        values = FormValues.from_form(form, LIST_FIELDS)
        data, maps = engagement_data(values)
        data.pop("venue_place", None)  # no rule reads it; a gazetteer place would be added only on save
        if "official_capacity" not in form:
            data.pop("official_capacity", None)  # left unticked: unknown, not assumed
        try:
            view = precheck_view(engine, ws, data, actor, engagement_form(engine, ws, actor, values))
        except InvalidInput as error:
            shown = engagement_form(engine, ws, actor, values, problems=error.problems, index_maps=maps)
            return render(
                request,
                "rules/precheck.html",
                PrecheckView(shown.workspace, shown, None),
                title=f"Pre-check · {shown.workspace.name}",
                status_code=422,
            )
        return render(request, "rules/precheck.html", view, title=f"Pre-check · {view.workspace.name}")


def _browser_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/rules")
    @router.get("/w/{ws}/rules.json")
    def browser(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = rule_browser_view(engine, ws, actor)
        return render(request, "rules/index.html", view, title=f"Rules · {view.workspace.name}")

    @router.get("/w/{ws}/rules/{rule_id}")
    def rule_page(ws: str, rule_id: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = rule_view(engine, ws, _strip_json(rule_id), actor)
        return render(request, "rules/rule.html", view, title=f"{view.title} · {view.workspace.name}")


def _interpretation_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/rules/interpretations")
    @router.get("/w/{ws}/rules/interpretations.json")
    def interpretations(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = interpretations_view(engine, ws, actor)
        return render(request, "rules/interpretations.html", view, title=f"Interpretations · {view.workspace.name}")

    @router.post("/w/{ws}/rules/interpretations")
    def record(ws: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        """Counsel stages a reading of an undefined term; the impact page shows what it changes."""
        typed = {k: _text(form, k) for k in ("term", "statement", "value", "when", "on")}
        try:
            data = _interpretation_data(typed)
            saved = service.record_interpretation(engine, ws, data, actor)
        except InvalidInput as error:
            view = interpretations_view(engine, ws, actor, values=typed, problems=error.problems)
            return render(
                request,
                "rules/interpretations.html",
                view,
                title=f"Interpretations · {view.workspace.name}",
                status_code=422,
            )
        return RedirectResponse(f"/w/{ws}/rules/impact?chosen=1&interpretation={saved.id}&done=staged", status_code=303)


def _interpretation_data(typed: dict[str, str]) -> dict[str, Any]:
    problems = []
    if typed["value"] not in ("covers", "does_not_cover"):
        problems.append(Problem("say whether the term covers these cases or not", field="value", value=typed["value"]))
    try:
        when = yaml.safe_load(typed["when"]) if typed["when"] else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(
            Problem(
                f"the cases are not valid YAML: {getattr(error, 'problem', error)}",
                field="when",
                line=mark.line + 1 if mark else None,
            )
        )
        when = None
    if when is None and not any(p.field == "when" for p in problems):
        problems.append(Problem("describe the cases as a condition, e.g. - fact: engagement.channel", field="when"))
    if problems:
        raise InvalidInput(problems)
    data = {"term": typed["term"], "statement": typed["statement"], "when": when, "value": typed["value"] == "covers"}
    if typed["on"]:
        data["on"] = _as_of(typed["on"]).isoformat()
    return data


def _impact_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/rules/impact")
    @router.get("/w/{ws}/rules/impact.json")
    def impact(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        params = request.query_params
        chosen = "chosen" in params
        view = impact_view(
            engine,
            ws,
            actor,
            versions=_ids(params.getlist("version"), "version") if chosen else None,
            interpretations=_ids(params.getlist("interpretation"), "interpretation") if chosen else None,
            withdraw=_ids(params.getlist("withdraw"), "withdraw"),
            check_date=_as_of(params.get("as_of")),
            message=MESSAGES.get(params.get("done", ""), ""),
        )
        return render(
            request, "rules/impact.html", view, title=f"Policy changes and their impact · {view.workspace.name}"
        )

    @router.post("/w/{ws}/rules/packs")
    async def stage(ws: str, request: Request, engine: EngineDep, actor: ActorDep, form: FormDep):
        """Stage a pack version: an uploaded YAML file (with its cases), or a shipped pack."""
        upload, cases = form.get("pack"), form.get("cases")
        shipped = _text(form, "shipped")
        try:
            if isinstance(upload, UploadFile) and upload.filename:
                text = (await upload.read()).decode("utf-8", errors="replace")
                cases_text = (
                    (await cases.read()).decode("utf-8", errors="replace")
                    if isinstance(cases, UploadFile) and cases.filename
                    else None
                )
                name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
                staged = await _threaded(service.stage_pack, engine, ws, text, name, actor, cases_text=cases_text)
            elif shipped:
                staged = await _threaded(service.stage_shipped_pack, engine, ws, shipped, actor)
            else:
                raise InvalidInput([Problem("choose a pack file (YAML) or a shipped pack to stage", field="pack")])
        except InvalidInput as error:
            view = await _threaded(impact_view, engine, ws, actor, problems=error.problems)
            return render(
                request, "rules/impact.html", view, title=f"Policy changes · {view.workspace.name}", status_code=422
            )
        return RedirectResponse(f"/w/{ws}/rules/impact?chosen=1&version={staged.id}&done=staged", status_code=303)

    @router.post("/w/{ws}/rules/packs/install-shipped")
    def install(ws: str, engine: EngineDep, actor: ActorDep):
        service.install_shipped_packs(engine, ws, actor)
        return RedirectResponse(f"/w/{ws}/rules/impact?done=installed", status_code=303)

    @router.post("/w/{ws}/rules/activate")
    def activate(ws: str, engine: EngineDep, actor: ActorDep, form: FormDep):
        chosen = {
            name: _ids([v for v in form.getlist(name) if isinstance(v, str)], name)
            for name in ("version", "interpretation", "withdraw")
        }
        if not any(chosen.values()):
            raise InvalidInput([Problem("choose at least one staged change to activate", field="version")])
        service.activate(
            engine,
            ws,
            actor,
            versions=chosen["version"],
            interpretations=chosen["interpretation"],
            withdraw=chosen["withdraw"],
        )
        return RedirectResponse(f"/w/{ws}/rules/impact?done=activated", status_code=303)


async def _threaded(function, *args, **kwargs):
    return await run_in_threadpool(function, *args, **kwargs)


def _obligation_pages(router: APIRouter) -> None:
    @router.get("/w/{ws}/obligations")
    @router.get("/w/{ws}/obligations.json")
    def obligations(
        ws: str, request: Request, engine: EngineDep, actor: ActorDep, status: str = "open", done: str = ""
    ):
        view = obligations_view(engine, ws, actor, status=status, message=MESSAGES.get(done, ""))
        return render(request, "rules/obligations.html", view, title=f"Obligations · {view.workspace.name}")

    @router.post("/w/{ws}/obligations/sync")
    def sync(ws: str, engine: EngineDep, actor: ActorDep):
        service.sync_obligations(engine, ws, actor)
        return RedirectResponse(f"/w/{ws}/obligations?done=synced", status_code=303)

    @router.post("/w/{ws}/obligations/{obligation_id}")
    def update(
        ws: str,
        obligation_id: Annotated[int, PathParam(ge=1, le=MAX_ID)],
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        form: FormDep,
    ):
        changes = {
            "owner": _text(form, "owner") or None,
            "status": _text(form, "status") or None,
            "evidence": _text(form, "evidence") or None,
        }
        changes = {k: v for k, v in changes.items() if v is not None or k != "status"}
        try:
            service.update_obligation(engine, ws, obligation_id, changes, actor)
        except InvalidInput as error:
            view = obligations_view(engine, ws, actor, status="all", problems=error.problems)
            return render(
                request, "rules/obligations.html", view, title=f"Obligations · {view.workspace.name}", status_code=422
            )
        return RedirectResponse(
            f"/w/{ws}/obligations?status=all&done=updated#obligation-{obligation_id}", status_code=303
        )


# -- the REST API ---------------------------------------------------------------------------------


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class RuleOut(Open):
    id: str
    title: str
    pack: str
    pack_version: str
    pack_origin: str
    jurisdiction: str
    duty_bearer: str = Field(description="our_government, named_official, counterpart or third_party.")
    applies_to: str
    obligation_kind: str
    obligation_text: str
    effective_from: date
    effective_to: date | None
    expected: bool = Field(description="Announced or pending: not confirmed in force.")
    confidence: str
    confidence_reason: str
    illustrative: bool = Field(description="Every shipped rule is illustrative and not legal advice.")
    citations: list[dict[str, Any]]
    condition: Any
    for_us: str | None
    disclaimer: str


class RuleList(BaseModel):
    items: list[RuleOut]
    total: int


class FindingOut(Open):
    rule_id: str
    title: str
    verdict: str = Field(description="applies, does_not_apply or unclear.")
    duty_bearer: str
    about_counterpart: bool = Field(description="A duty of the counterpart: information, not our obligation.")
    obligation: dict[str, Any]
    due_on: date | None
    due_exact: bool
    headline: str
    failed: list[dict[str, Any]] = Field(description="The conditions that made the rule not apply.")
    unclear: list[dict[str, Any]] = Field(description="What is unknown, and what would settle it.")
    trace: dict[str, Any] = Field(
        description="Facts used, conditions, parameters with dates, citations, interpretations."
    )


class BadgeOut(Open):
    our_obligations: int
    counterpart_duties: int
    unclear: int
    next_due: date | None
    label: str
    level: str


class RecordCheckOut(BaseModel):
    record_type: str
    record_ref: str
    record_title: str
    check_date: date
    badge: BadgeOut
    findings: list[FindingOut] = Field(description="Rules in force on the record's own date.")
    findings_today: list[FindingOut] = Field(description="The same rules as if the record were today.")


class PrecheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engagement: dict[str, Any] = Field(description="The planned engagement, as the engagements API takes it.")
    answers: dict[str, Any] | None = Field(
        default=None,
        description='Answers to questions the registry does not record, e.g. {"engagement.arranges_meeting": false}.',
    )


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fact: str = Field(description="An asked fact, e.g. engagement.arranges_meeting.")
    value: bool | None = Field(description="The answer; null clears it.")


class InterpretationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str = Field(description="The undefined term it settles, e.g. official_meeting.")
    statement: str = Field(description="The reading in words.")
    when: Any = Field(description="The cases it covers: a condition over facts (the pack language).")
    value: bool = Field(description="true: the term covers these cases; false: it does not.")
    on: date | None = Field(default=None, description="Date of the reading (default today).")


class InterpretationOut(Open):
    id: int
    term: str
    statement: str
    value: bool
    by: str
    on: date | None
    status: str = Field(description="staged, active or withdrawn.")
    when: Any = None


class PackVersionOut(Open):
    id: int
    pack_id: str
    version: str
    status: str = Field(description="staged, active or retired.")
    origin: str
    sha256: str
    staged_by: str
    staged_at: str
    activated_by: str | None
    activated_at: str | None


class PackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: str | None = Field(default=None, description="The pack's YAML text.")
    file_name: str = Field(default="uploaded.yaml", description="Named in error messages.")
    cases: str | None = Field(default=None, description="The pack's YAML test cases.")
    shipped: str | None = Field(
        default=None, description="Instead of content: stage the shipped version of this pack id."
    )


class ImpactOut(BaseModel):
    summary: dict[str, Any]
    rows: list[dict[str, Any]] = Field(
        description="Each record and rule whose verdict changes: before, after, new obligation, due date, must end by."
    )


#: A stored id: a positive integer column (PostgreSQL INTEGER): a larger number cannot be an id.
StoredId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ActivateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    versions: list[StoredId] = []
    interpretations: list[StoredId] = []
    withdraw: list[StoredId] = []


class ObligationOut(Open):
    id: int
    record_type: str
    record_ref: str
    rule_id: str
    kind: str
    description: str
    due_on: date | None
    owner: str | None
    status: str
    evidence: str | None


class ObligationChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    owner: str | None = None
    status: str | None = Field(default=None, description="open, done, waived or superseded.")
    evidence: str | None = Field(
        default=None, description="Required to mark it done, e.g. 'counsel reviewed on 2025-09-20'."
    )


AsOf = Annotated[
    date | None, Query(description="Check date (default: today); rules in force on each record's own date are used.")
]
COUNSEL = {403: {"model": ProblemDetails, "description": "Only counsel (or an admin) may do this."}}
STAFF = {403: {"model": ProblemDetails, "description": "Viewers may read but not change."}}


def _interpretation_out(item) -> dict:
    return item.as_dict() | {"when": item.when}


def build_rules_api_router() -> APIRouter:
    router = APIRouter(
        prefix="/api/workspaces/{ws}/rules",
        tags=["rules"],
        responses={
            404: {"model": ProblemDetails, "description": "No such workspace, record or rule."},
            422: {
                "model": ProblemDetails,
                "description": "Invalid input; `errors` names each field (and pack file line).",
            },
        },
    )

    @router.get("", response_model=RuleList, summary="List the rules in force here, with citations")
    def list_rules(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        record: Annotated[str | None, Query(description="engagement, agreement or gift")] = None,
    ):
        items = [r.as_dict() for r in service.list_rules(engine, ws, record=record)]
        return {"items": items, "total": len(items)}

    @router.get(
        "/check/{plural}/{ref:path}",
        response_model=RecordCheckOut,
        summary="Check a saved engagement, agreement or gift (findings with trace)",
    )
    def check(ws: str, plural: str, ref: str, engine: EngineDep, actor: ActorDep, as_of: AsOf = None):
        return service.check_record(engine, ws, plural, ref.strip().lower(), actor, check_date=as_of).as_dict()

    @router.post(
        "/precheck",
        response_model=RecordCheckOut,
        summary="Pre-check a planned engagement (nothing is saved)",
        description="The body is the engagement as the engagements API takes it, or "
        '`{"engagement": {...}, "answers": {...}}`.',
    )
    def precheck(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        body: Annotated[dict[str, Any], Body(description="The planned engagement.")],
        as_of: AsOf = None,
    ):
        answers = None
        if "engagement" in body:
            wrapped = PrecheckIn.model_validate(body)
            body, answers = wrapped.engagement, wrapped.answers
        return service.precheck_engagement(engine, ws, body, actor, check_date=as_of, answers=answers).as_dict()

    @router.put(
        "/answers/{plural}/{ref:path}",
        response_model=RecordCheckOut,
        responses=STAFF,
        summary="Answer a question the registry does not record; returns the record checked again",
    )
    def answer(ws: str, plural: str, ref: str, body: AnswerIn, engine: EngineDep, actor: ActorDep):
        ref = ref.strip().lower()
        service.answer_fact(engine, ws, plural, ref, body.fact, body.value, actor)
        return service.check_record(engine, ws, plural, ref, actor).as_dict()

    @router.get("/interpretations", response_model=list[InterpretationOut], summary="Counsel's interpretations")
    def interpretations(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        status: Annotated[str | None, Query(description="staged, active or withdrawn")] = None,
    ):
        return [_interpretation_out(i) for i in service.list_interpretations(engine, ws, status=status)]

    @router.post(
        "/interpretations",
        response_model=InterpretationOut,
        status_code=201,
        responses=COUNSEL,
        summary="Record (stage) an interpretation of an undefined term",
    )
    def interpret(ws: str, body: InterpretationIn, engine: EngineDep, actor: ActorDep):
        data = body.model_dump(mode="json", exclude_none=True)
        return _interpretation_out(service.record_interpretation(engine, ws, data, actor))

    @router.get("/packs", response_model=list[PackVersionOut], summary="Stored pack versions")
    def packs(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        status: Annotated[str | None, Query(description="staged, active or retired")] = None,
    ):
        return [v.as_dict() for v in service.list_pack_versions(engine, ws, status=status)]

    @router.post(
        "/packs",
        response_model=PackVersionOut,
        status_code=201,
        responses=COUNSEL,
        summary="Stage a pack version (validated, its cases run); nothing changes until activated",
    )
    def stage(ws: str, body: PackIn, engine: EngineDep, actor: ActorDep):
        if body.shipped:
            return service.stage_shipped_pack(engine, ws, body.shipped, actor).as_dict()
        if not body.content:
            raise InvalidInput(
                [Problem("give the pack's YAML as 'content', or a shipped pack id as 'shipped'", field="content")]
            )
        return service.stage_pack(engine, ws, body.content, body.file_name, actor, cases_text=body.cases).as_dict()

    @router.post(
        "/packs/install-shipped",
        response_model=list[PackVersionOut],
        responses=COUNSEL,
        summary="Stage and activate the shipped packs (illustrative, not legal advice)",
    )
    def install(ws: str, engine: EngineDep, actor: ActorDep):
        return [v.as_dict() for v in service.install_shipped_packs(engine, ws, actor)]

    @router.get("/impact", response_model=ImpactOut, summary="Impact of staged changes (writes nothing)")
    def impact(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        as_of: AsOf = None,
        version: Annotated[list[StoredId], Query(description="Staged pack version ids")] = [],  # noqa: B006
        interpretation: Annotated[list[StoredId], Query(description="Staged interpretation ids")] = [],  # noqa: B006
        withdraw: Annotated[list[StoredId], Query(description="Active interpretation ids to withdraw")] = [],  # noqa: B006
    ):
        report = service.impact(
            engine, ws, actor, versions=version, interpretations=interpretation, withdraw=withdraw, check_date=as_of
        )
        return report.as_dict()

    @router.post("/activate", responses=COUNSEL, summary="Activate staged pack versions and interpretations")
    def activate(ws: str, body: ActivateIn, engine: EngineDep, actor: ActorDep) -> dict[str, list[dict[str, Any]]]:
        return service.activate(
            engine, ws, actor, versions=body.versions, interpretations=body.interpretations, withdraw=body.withdraw
        )

    @router.get("/obligations", response_model=list[ObligationOut], summary="Our obligations as tasks")
    def obligations(
        ws: str,
        engine: EngineDep,
        actor: ActorDep,
        status: Annotated[str | None, Query(description="open, done, waived or superseded")] = None,
        ref: Annotated[str | None, Query(description="Ref of one record")] = None,
    ):
        return [o.as_dict() for o in service.list_obligations(engine, ws, actor, status=status, ref=ref)]

    @router.post("/obligations/sync", responses=STAFF, summary="Open, refresh and supersede obligations from the rules")
    def sync(ws: str, engine: EngineDep, actor: ActorDep, as_of: AsOf = None) -> dict[str, int]:
        return service.sync_obligations(engine, ws, actor, check_date=as_of)

    @router.patch(
        "/obligations/{obligation_id}",
        response_model=ObligationOut,
        responses=STAFF,
        summary="Change an obligation's owner, status or evidence",
    )
    def update(
        ws: str,
        obligation_id: Annotated[int, PathParam(ge=1, le=MAX_ID)],
        body: ObligationChange,
        engine: EngineDep,
        actor: ActorDep,
    ):
        changes = body.model_dump(exclude_unset=True)
        return service.update_obligation(engine, ws, obligation_id, changes, actor).as_dict()

    @router.get("/{rule_id}", response_model=RuleList, summary="Show a rule (every version)")
    def show(ws: str, rule_id: str, engine: EngineDep, actor: ActorDep):
        items = [r.as_dict() for r in service.get_rule(rule_id, engine, ws)]
        return {"items": items, "total": len(items)}

    return router
