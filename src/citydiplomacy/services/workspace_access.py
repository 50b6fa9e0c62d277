"""Who may use a workspace, managed from the web and API: members, their roles, API tokens.

These wrap :mod:`services.accounts` with the permission checks for a signed-in actor:
administrators of a workspace manage its members and every token; any member issues
tokens for themselves up to their own role (the *acting* role: a viewer token cannot
mint an admin token) and revokes their own. The CLI holds the database and uses
:mod:`services.accounts` directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from ..domain import InvalidInput, NotFound, PermissionDenied, Problem
from ..domain.accounts import Role
from . import accounts
from .accounts import TokenInfo
from .registry import Actor, get_workspace

__all__ = [
    "Member",
    "issue_token",
    "list_members",
    "list_tokens",
    "remove_member",
    "require_role",
    "revoke_token",
    "set_member_role",
    "token_state",
]


@dataclass(frozen=True)
class Member:
    username: str
    display_name: str
    role: Role
    site_admin: bool


def _role(value: str, field: str = "role") -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            [Problem(f"'{value}' is not a role; use viewer, staff, counsel or admin", field=field, value=value)]
        ) from None


def require_role(actor: Actor, role: Role, doing: str) -> None:
    """Refuse (403) unless the actor holds at least ``role`` here. The CLI (role None) may."""
    if actor.role is not None and not actor.role.at_least(role):
        raise PermissionDenied(f"Only a workspace {role.value} may {doing}; you are {actor.role.value} here.")


def _member_actor(engine: Engine, workspace: str, actor: Actor) -> None:
    get_workspace(engine, workspace, actor)  # 404 for a workspace the actor may not open


def list_members(engine: Engine, workspace: str, actor: Actor) -> list[Member]:
    _member_actor(engine, workspace, actor)
    require_role(actor, Role.admin, "see the members of this workspace")
    return [Member(u.username, u.display_name, role, u.is_admin) for u, role in accounts.list_users(engine, workspace)]


def set_member_role(engine: Engine, workspace: str, username: str, role: str, actor: Actor) -> None:
    """Give a user a role here (adding them as a member, or changing their role)."""
    _member_actor(engine, workspace, actor)
    require_role(actor, Role.admin, "change who may use this workspace")
    wanted = _role(role)
    username = (username or "").strip().lower()
    if not username:
        raise InvalidInput([Problem("give the user name of an existing account", field="username")])
    if username == actor.name:
        raise PermissionDenied("You cannot change your own role; ask another administrator.")
    accounts.grant_role(engine, username, workspace, wanted.value, actor)


def remove_member(engine: Engine, workspace: str, username: str, actor: Actor) -> None:
    """Take a user out of the workspace; their API tokens here are revoked too."""
    _member_actor(engine, workspace, actor)
    require_role(actor, Role.admin, "change who may use this workspace")
    username = (username or "").strip().lower()
    if username == actor.name:
        raise PermissionDenied("You cannot remove yourself; ask another administrator.")
    accounts.revoke_role(engine, username, workspace, actor)


def list_tokens(engine: Engine, workspace: str, actor: Actor) -> list[TokenInfo]:
    """Administrators see every token of the workspace; other members their own."""
    _member_actor(engine, workspace, actor)
    tokens = accounts.list_api_tokens(engine, workspace)
    if actor.role is None or actor.role.at_least(Role.admin):
        return tokens
    return [t for t in tokens if t.username == actor.name]


def issue_token(
    engine: Engine, workspace: str, actor: Actor, *, name: str, role: str, expires_in_days: int | None = 365
) -> tuple[str, TokenInfo]:
    """A token for the acting user, at most at the acting role. The secret is returned once."""
    _member_actor(engine, workspace, actor)
    wanted = _role(role)
    if actor.role is not None and not actor.role.at_least(wanted):
        raise PermissionDenied(f"You act as {actor.role.value} here and cannot issue a {wanted.value} token.")
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise InvalidInput(
            [Problem("a token lasts between 1 and 3650 days", field="expires_in_days", value=expires_in_days)]
        )
    user = accounts.get_user(engine, actor.name)
    return accounts.create_api_token(
        engine, user, workspace, (name or "").strip(), wanted.value, expires_in_days=expires_in_days, actor=actor
    )


def revoke_token(engine: Engine, workspace: str, token_id: int, actor: Actor) -> None:
    """Revoke a token at once. A token someone else owns is "not found" unless you are an administrator."""
    _member_actor(engine, workspace, actor)
    if not any(t.id == token_id for t in list_tokens(engine, workspace, actor)):
        raise NotFound("API token", token_id)
    accounts.revoke_api_token(engine, workspace, token_id, actor)


def token_state(token: TokenInfo, now: datetime) -> str:
    """'active', 'revoked' or 'expired'."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at < now:
        return "expired"
    return "active"
