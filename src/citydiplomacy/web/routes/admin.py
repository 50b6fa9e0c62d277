"""A workspace's members and API tokens: pages under /w/{ws}/admin/ and the same under
/api/workspaces/{ws}/. Permission checks live in :mod:`services.workspace_access`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ...domain import InvalidInput
from ...services import workspace_access
from ..deps import ActorDep, EngineDep
from ..rendering import render
from ..schemas import ProblemDetails
from ..views.admin import members_view, tokens_view

__all__ = ["build_admin_api_router", "build_admin_router"]


# -- pages ------------------------------------------------------------------------------------


def build_admin_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/w/{ws}/admin/members")
    @router.get("/w/{ws}/admin/members.json")
    def members_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = members_view(engine, ws, actor)
        return render(request, "admin/members.html", view, title=f"Members · {view.workspace.name}")

    @router.post("/w/{ws}/admin/members")
    def set_member_role(
        ws: str,
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        username: Annotated[str, Form(max_length=200)] = "",
        role: Annotated[str, Form(max_length=40)] = "",
    ):
        try:
            workspace_access.set_member_role(engine, ws, username, role, actor)
        except InvalidInput as error:
            view = members_view(engine, ws, actor, problems=error.problems)
            response = render(request, "admin/members.html", view, title=f"Members · {view.workspace.name}")
            response.status_code = 422
            return response
        return RedirectResponse(f"/w/{ws}/admin/members", status_code=303)

    @router.post("/w/{ws}/admin/members/{username}/remove")
    def remove_member(ws: str, username: str, engine: EngineDep, actor: ActorDep):
        workspace_access.remove_member(engine, ws, username, actor)
        return RedirectResponse(f"/w/{ws}/admin/members", status_code=303)

    @router.get("/w/{ws}/admin/tokens")
    @router.get("/w/{ws}/admin/tokens.json")
    def tokens_page(ws: str, request: Request, engine: EngineDep, actor: ActorDep):
        view = tokens_view(engine, ws, actor)
        return render(request, "admin/tokens.html", view, title=f"API tokens · {view.workspace.name}")

    @router.post("/w/{ws}/admin/tokens")
    def create_token(
        ws: str,
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        name: Annotated[str, Form(max_length=200)] = "",
        role: Annotated[str, Form(max_length=40)] = "viewer",
        days: Annotated[int, Form(ge=1, le=3650)] = 365,
    ):
        try:
            secret, _info = workspace_access.issue_token(engine, ws, actor, name=name, role=role, expires_in_days=days)
        except InvalidInput as error:
            view = tokens_view(engine, ws, actor, problems=error.problems)
            status = 422
        else:
            # Shown in this response only (never in an address, never again): no redirect.
            view = tokens_view(engine, ws, actor, new_token=secret)
            status = 201
        response = render(request, "admin/tokens.html", view, title=f"API tokens · {view.workspace.name}")
        response.status_code = status
        return response

    @router.post("/w/{ws}/admin/tokens/{token_id}/revoke")
    def revoke_token(ws: str, token_id: int, engine: EngineDep, actor: ActorDep):
        workspace_access.revoke_token(engine, ws, token_id, actor)
        return RedirectResponse(f"/w/{ws}/admin/tokens", status_code=303)

    return router


# -- API --------------------------------------------------------------------------------------


class MemberOut(BaseModel):
    username: str
    display_name: str
    role: str = Field(description="viewer, staff, counsel or admin.")
    site_admin: bool = Field(description="A site administrator is admin in every workspace.")


class MemberList(BaseModel):
    items: list[MemberOut]


class RoleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str = Field(description="viewer, staff, counsel or admin.", max_length=40)


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    username: str
    role: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class TokenList(BaseModel):
    items: list[TokenOut]


class NewToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="What the token is for, e.g. 'nightly export'.")
    role: str = Field(default="viewer", max_length=40, description="At most your own role here.")
    expires_in_days: int | None = Field(default=365, ge=1, le=3650, description="Days until it expires; null: never.")


class IssuedToken(TokenOut):
    token: str = Field(description="The secret, shown this once: send it as 'Authorization: Bearer …'.")


def _token_out(t) -> dict:
    return {
        "id": t.id,
        "name": t.name,
        "prefix": t.prefix,
        "username": t.username,
        "role": t.role.value,
        "created_at": t.created_at,
        "expires_at": t.expires_at,
        "revoked_at": t.revoked_at,
        "last_used_at": t.last_used_at,
    }


def _json(model: BaseModel, status_code: int = 200) -> Response:
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


def build_admin_api_router() -> APIRouter:
    denied = {
        403: {"model": ProblemDetails, "description": "Your role here does not allow this."},
        404: {"model": ProblemDetails, "description": "No such workspace, member or token."},
        422: {"model": ProblemDetails, "description": "Invalid input; `errors` names each field."},
    }
    router = APIRouter(prefix="/api/workspaces/{ws}", responses=denied)

    @router.get("/members", response_model=MemberList, tags=["members"], summary="Members and their roles")
    def list_members(ws: str, engine: EngineDep, actor: ActorDep):
        members = workspace_access.list_members(engine, ws, actor)
        return _json(
            MemberList(
                items=[
                    MemberOut(
                        username=m.username, display_name=m.display_name, role=m.role.value, site_admin=m.site_admin
                    )
                    for m in members
                ]
            )
        )

    @router.put(
        "/members/{username}",
        response_model=MemberOut,
        tags=["members"],
        summary="Give a user a role here (add or change a member)",
    )
    def put_member(ws: str, username: str, change: RoleChange, engine: EngineDep, actor: ActorDep):
        workspace_access.set_member_role(engine, ws, username, change.role, actor)
        member = next(m for m in workspace_access.list_members(engine, ws, actor) if m.username == username.lower())
        return _json(
            MemberOut(
                username=member.username,
                display_name=member.display_name,
                role=member.role.value,
                site_admin=member.site_admin,
            )
        )

    @router.delete(
        "/members/{username}",
        status_code=204,
        response_class=Response,
        tags=["members"],
        summary="Remove a member (their tokens here are revoked)",
    )
    def delete_member(ws: str, username: str, engine: EngineDep, actor: ActorDep):
        workspace_access.remove_member(engine, ws, username, actor)
        return Response(status_code=204)

    @router.get(
        "/tokens",
        response_model=TokenList,
        tags=["tokens"],
        summary="API tokens (administrators: all; others: their own)",
    )
    def list_tokens(ws: str, engine: EngineDep, actor: ActorDep):
        tokens = workspace_access.list_tokens(engine, ws, actor)
        return _json(TokenList.model_validate({"items": [_token_out(t) for t in tokens]}))

    @router.post(
        "/tokens",
        response_model=IssuedToken,
        status_code=201,
        tags=["tokens"],
        summary="Issue an API token for yourself (the secret is in this response only)",
    )
    def create_token(ws: str, body: Annotated[NewToken, Body()], engine: EngineDep, actor: ActorDep):
        secret, info = workspace_access.issue_token(
            engine, ws, actor, name=body.name, role=body.role, expires_in_days=body.expires_in_days
        )
        return _json(IssuedToken.model_validate(_token_out(info) | {"token": secret}), status_code=201)

    @router.delete(
        "/tokens/{token_id}",
        status_code=204,
        response_class=Response,
        tags=["tokens"],
        summary="Revoke an API token at once",
    )
    def delete_token(ws: str, token_id: int, engine: EngineDep, actor: ActorDep):
        workspace_access.revoke_token(engine, ws, token_id, actor)
        return Response(status_code=204)

    return router
