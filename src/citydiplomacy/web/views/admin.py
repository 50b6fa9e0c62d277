"""View data of the account pages (sign in, password) and a workspace's admin pages
(members and API tokens). The HTML pages and their JSON twins are built from these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from ...domain import Problem, Workspace
from ...domain.accounts import ROLE_ORDER, Role
from ...services import registry, workspace_access
from ...services.accounts import TokenInfo
from ...services.registry import Actor

__all__ = [
    "AccountView",
    "LoginView",
    "MembersView",
    "PasswordView",
    "TokensView",
    "account_view",
    "login_view",
    "members_view",
    "password_view",
    "tokens_view",
]

ROLE_HELP = {
    Role.viewer: "reads public and internal records",
    Role.staff: "also creates and edits records, and reads confidential ones",
    Role.counsel: "also manages rules and records interpretations",
    Role.admin: "also manages members, tokens and settings",
}


@dataclass
class RoleOption:
    value: str
    label: str


def role_options(up_to: Role | None = None) -> list[RoleOption]:
    return [
        RoleOption(r.value, f"{r.value} ({ROLE_HELP[r]})") for r in ROLE_ORDER if up_to is None or up_to.at_least(r)
    ]


@dataclass
class FieldProblem:
    field: str | None
    message: str


def _problems(problems: list[Problem] | None) -> list[FieldProblem]:
    return [FieldProblem(p.field, p.message) for p in problems or []]


@dataclass
class LoginView:
    """The sign-in form."""

    next: str = field(metadata={"help": "Where the browser goes after signing in (a path on this site)."})
    username: str = ""
    error: str | None = field(default=None, metadata={"help": "Why the last attempt failed."})
    notice: str | None = None


def login_view(next_url: str, username: str = "", error: str | None = None, notice: str | None = None) -> LoginView:
    return LoginView(next=next_url, username=username, error=error, notice=notice)


@dataclass
class PasswordView:
    """The password change form."""

    changed: bool = field(default=False, metadata={"help": "The password was just changed."})
    problems: list[FieldProblem] = field(default_factory=list)


def password_view(*, changed: bool = False, problems: list[Problem] | None = None) -> PasswordView:
    return PasswordView(changed=changed, problems=_problems(problems))


@dataclass
class AccountView:
    """The signed-in user and the workspaces they may open."""

    username: str
    display_name: str
    site_admin: bool
    signed_in_with: str = field(metadata={"help": "'session' (password) or 'token' (API token)."})
    workspaces: list[dict] = field(default_factory=list)


def account_view(identity) -> AccountView:
    return AccountView(
        username=identity.user.username,
        display_name=identity.user.display_name,
        site_admin=identity.user.is_admin,
        signed_in_with=identity.via,
        workspaces=[
            {
                "slug": s,
                "name": n,
                "role": r.value,
                "url": f"/w/{s}/",
                "tokens_url": f"/w/{s}/admin/tokens",
                "members_url": f"/w/{s}/admin/members" if r is Role.admin else None,
            }
            for s, n, r in identity.workspaces
        ],
    )


@dataclass
class MemberRow:
    username: str
    display_name: str
    role: str
    site_admin: bool
    is_you: bool


@dataclass
class MembersView:
    """A workspace's members and their roles (administrators only)."""

    workspace: Workspace
    members: list[MemberRow]
    roles: list[RoleOption]
    api_url: str
    problems: list[FieldProblem] = field(default_factory=list)
    notice: str | None = None


def members_view(
    engine: Engine, ws: str, actor: Actor, *, problems: list[Problem] | None = None, notice: str | None = None
) -> MembersView:
    members = workspace_access.list_members(engine, ws, actor)
    return MembersView(
        workspace=registry.get_workspace(engine, ws, actor),
        members=[
            MemberRow(m.username, m.display_name, m.role.value, m.site_admin, m.username == actor.name) for m in members
        ],
        roles=role_options(),
        api_url=f"/api/workspaces/{ws}/members",
        problems=_problems(problems),
        notice=notice,
    )


@dataclass
class TokenRow:
    id: int
    name: str
    prefix: str = field(metadata={"help": "The first characters of the token, to recognise it."})
    username: str
    role: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    state: str = field(metadata={"help": "active, revoked or expired."})
    revoke_url: str | None


def token_row(ws: str, t: TokenInfo, now: datetime) -> TokenRow:
    state = workspace_access.token_state(t, now)
    return TokenRow(
        t.id,
        t.name,
        t.prefix,
        t.username,
        t.role.value,
        t.created_at,
        t.expires_at,
        t.last_used_at,
        state,
        f"/w/{ws}/admin/tokens/{t.id}/revoke" if state == "active" else None,
    )


@dataclass
class TokensView:
    """API tokens of a workspace: all of them for administrators, one's own for others."""

    workspace: Workspace
    tokens: list[TokenRow]
    roles: list[RoleOption] = field(metadata={"help": "Roles a new token may have (up to your own)."})
    api_url: str
    new_token: str | None = field(default=None, metadata={"help": "A token just created: shown this once only."})
    problems: list[FieldProblem] = field(default_factory=list)


def tokens_view(
    engine: Engine, ws: str, actor: Actor, *, new_token: str | None = None, problems: list[Problem] | None = None
) -> TokensView:
    now = datetime.now(UTC)
    tokens = workspace_access.list_tokens(engine, ws, actor)
    return TokensView(
        workspace=registry.get_workspace(engine, ws, actor),
        tokens=[token_row(ws, t, now) for t in reversed(tokens)],
        roles=role_options(actor.role),
        api_url=f"/api/workspaces/{ws}/tokens",
        new_token=new_token,
        problems=_problems(problems),
    )
