"""Accounts: users, per-workspace roles, login with rate limiting, sessions, API tokens.

Passwords are stored as argon2id hashes; session cookies and API tokens are random
secrets stored only as sha256 digests, so a stolen database does not yield a login.
Every change to accounts and roles is audited (users in the site-wide chain, roles in
the workspace's chain).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import ValidationError
from sqlalchemy import Engine, and_, func, select

from ..adapters.db import tables as t
from ..domain import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from ..domain.accounts import NewUser, Role, password_problem
from ..domain.errors import CityDiplomacyError
from .registry import Actor, problems_from_validation
from .unit_of_work import UnitOfWork

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("not a real password, used to keep timing uniform")

SESSION_IDLE = timedelta(hours=8)
SESSION_ABSOLUTE = timedelta(days=7)
#: Login rate limits: failures allowed in the window, per user name and per client address.
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20


class LoginFailed(CityDiplomacyError):
    title = "Login failed"
    status = 401

    def __init__(self) -> None:
        super().__init__("Wrong user name or password.")


class TooManyAttempts(CityDiplomacyError):
    title = "Too many attempts"
    status = 429

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Too many failed logins; try again in {max(1, retry_after // 60)} minute(s).")


class NotAuthenticated(CityDiplomacyError):
    title = "Not signed in"
    status = 401

    def __init__(self, message: str = "Sign in to continue.") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    email: str | None
    is_admin: bool
    active: bool


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenGrant:
    user: User
    workspace: str
    role: Role
    token_id: int


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _user(row) -> User:
    return User(row.id, row.username, row.display_name, row.email, row.is_admin, row.active)


def _public(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "is_admin": user.is_admin,
        "active": user.active,
    }


# -- users --------------------------------------------------------------------------


def create_user(engine: Engine, data: dict, actor: Actor) -> User:
    try:
        new = NewUser.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None
    problem = password_problem(new.password, new.username)
    if problem:
        raise InvalidInput([Problem(problem, field="password")])
    now = _now()
    with UnitOfWork(engine) as uow:
        if uow.conn.execute(select(t.users.c.id).where(t.users.c.username == new.username)).first():
            raise Conflict(f"A user called '{new.username}' already exists.")
        user_id = uow.conn.execute(
            t.users.insert()
            .values(
                username=new.username,
                display_name=new.display_name,
                email=new.email,
                password_hash=_hasher.hash(new.password),
                is_admin=new.is_admin,
                active=True,
                created_at=now,
                password_changed_at=now,
            )
            .returning(t.users.c.id)
        ).scalar_one()
        user = User(user_id, new.username, new.display_name, new.email, new.is_admin, True)
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="create",
            record_type="user",
            record_ref=new.username,
            after=_public(user),
        )
        uow.commit()
    return user


def get_user(engine: Engine, username: str) -> User:
    with UnitOfWork(engine, write=False) as uow:
        row = uow.conn.execute(select(t.users).where(t.users.c.username == username.lower())).one_or_none()
    if row is None:
        raise NotFound("user", username)
    return _user(row)


def list_users(engine: Engine, workspace: str | None = None) -> list[tuple[User, Role | None]]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        if workspace is None:
            rows = uow.conn.execute(select(t.users).order_by(t.users.c.username))
            return [(_user(r), None) for r in rows]
        query = (
            select(t.users, t.workspace_roles.c.role)
            .join(t.workspace_roles, t.workspace_roles.c.user_id == t.users.c.id)
            .where(t.workspace_roles.c.workspace_id == uow.workspace_id)
            .order_by(t.users.c.username)
        )
        return [(_user(r), Role(r.role)) for r in uow.conn.execute(query)]


def grant_role(engine: Engine, username: str, workspace: str, role: str, actor: Actor) -> None:
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(
            [Problem(f"'{role}' is not a role; use viewer, staff, counsel or admin", field="role")]
        ) from None
    with UnitOfWork(engine, workspace) as uow:
        user_id = uow.conn.execute(
            select(t.users.c.id).where(t.users.c.username == username.lower())
        ).scalar_one_or_none()
        if user_id is None:
            raise NotFound("user", username)
        table = t.workspace_roles
        current = uow.conn.execute(
            select(table.c.role).where(table.c.workspace_id == uow.workspace_id, table.c.user_id == user_id)
        ).scalar_one_or_none()
        if current == role.value:
            return
        if current is None:
            uow.conn.execute(table.insert().values(workspace_id=uow.workspace_id, user_id=user_id, role=role.value))
        else:
            uow.conn.execute(
                table.update()
                .where(table.c.workspace_id == uow.workspace_id, table.c.user_id == user_id)
                .values(role=role.value)
            )
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="create" if current is None else "update",
            record_type="role",
            record_ref=username,
            before={"role": current} if current else None,
            after={"role": role.value},
        )
        uow.commit()


def revoke_role(engine: Engine, username: str, workspace: str, actor: Actor) -> None:
    with UnitOfWork(engine, workspace) as uow:
        user_id = uow.conn.execute(
            select(t.users.c.id).where(t.users.c.username == username.lower())
        ).scalar_one_or_none()
        table = t.workspace_roles
        current = uow.conn.execute(
            select(table.c.role).where(table.c.workspace_id == uow.workspace_id, table.c.user_id == user_id)
        ).scalar_one_or_none()
        if current is None:
            raise NotFound("member", username)
        uow.conn.execute(table.delete().where(table.c.workspace_id == uow.workspace_id, table.c.user_id == user_id))
        uow.conn.execute(
            t.api_tokens.update()
            .where(
                t.api_tokens.c.workspace_id == uow.workspace_id,
                t.api_tokens.c.user_id == user_id,
                t.api_tokens.c.revoked_at.is_(None),
            )
            .values(revoked_at=_now())
        )
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="delete",
            record_type="role",
            record_ref=username,
            before={"role": current},
            after=None,
        )
        uow.commit()


def role_in(engine: Engine, user: User, workspace: str) -> Role | None:
    """The user's role in a workspace (site administrators are admins everywhere), or None."""
    with UnitOfWork(engine, workspace, write=False) as uow:
        if user.is_admin:
            return Role.admin
        role = uow.conn.execute(
            select(t.workspace_roles.c.role).where(
                t.workspace_roles.c.workspace_id == uow.workspace_id, t.workspace_roles.c.user_id == user.id
            )
        ).scalar_one_or_none()
    return Role(role) if role else None


def workspaces_of(engine: Engine, user: User) -> list[tuple[str, str, Role]]:
    """(slug, name, role) of every workspace the user may open."""
    with UnitOfWork(engine, write=False) as uow:
        if user.is_admin:
            rows = uow.conn.execute(select(t.workspaces.c.slug, t.workspaces.c.name).order_by(t.workspaces.c.name))
            return [(r.slug, r.name, Role.admin) for r in rows]
        rows = uow.conn.execute(
            select(t.workspaces.c.slug, t.workspaces.c.name, t.workspace_roles.c.role)
            .join(t.workspace_roles, t.workspace_roles.c.workspace_id == t.workspaces.c.id)
            .where(t.workspace_roles.c.user_id == user.id)
            .order_by(t.workspaces.c.name)
        )
        return [(r.slug, r.name, Role(r.role)) for r in rows]


def actor_for(engine: Engine, user: User, workspace: str, interface: str) -> Actor:
    """The Actor for a user in a workspace. A workspace the user has no role in is
    "not found", so its existence is not revealed."""
    role = role_in(engine, user, workspace)
    if role is None:
        raise NotFound("workspace", workspace)
    return Actor(
        name=user.username,
        interface=interface,
        visible=role.visible,
        can_write=role.can_write,
        role=role,
        workspaces=(workspace,),
        site_admin=user.is_admin,
    )


# -- login and sessions ---------------------------------------------------------------


def _check_rate(conn, username: str, client: str, now: datetime) -> None:
    since = now - LOGIN_WINDOW
    la = t.login_attempts
    by_user = conn.execute(
        select(func.count()).where(la.c.username == username, la.c.at >= since, la.c.succeeded.is_(False))
    ).scalar_one()
    by_client = conn.execute(
        select(func.count()).where(la.c.client == client, la.c.at >= since, la.c.succeeded.is_(False))
    ).scalar_one()
    if by_user >= MAX_FAILURES_PER_USER or by_client >= MAX_FAILURES_PER_CLIENT:
        raise TooManyAttempts(int(LOGIN_WINDOW.total_seconds()))


def authenticate(engine: Engine, username: str, password: str, client: str = "unknown") -> User:
    """Check a password. Failures are counted; too many lock the user name (and the client) for a while."""
    username = (username or "").strip().lower()[:64]
    client = (client or "unknown")[:64]
    now = _now()
    with UnitOfWork(engine) as uow:
        _check_rate(uow.conn, username, client, now)
        row = uow.conn.execute(select(t.users).where(t.users.c.username == username)).one_or_none()
        ok = False
        try:
            ok = _hasher.verify(row.password_hash if row else _DUMMY_HASH, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        ok = ok and row is not None and row.active
        uow.conn.execute(t.login_attempts.insert().values(username=username, client=client, at=now, succeeded=ok))
        if ok and _hasher.check_needs_rehash(row.password_hash):
            uow.conn.execute(
                t.users.update().where(t.users.c.id == row.id).values(password_hash=_hasher.hash(password))
            )
        uow.commit()
    if not ok:
        raise LoginFailed()
    return _user(row)


def start_session(engine: Engine, user: User) -> tuple[str, Session]:
    """A new session with fresh secrets (never reuse an id given before login: no fixation)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    with UnitOfWork(engine) as uow:
        uow.conn.execute(
            t.web_sessions.insert().values(
                token_hash=_digest(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + SESSION_ABSOLUTE,
                last_seen_at=now,
            )
        )
        uow.conn.execute(t.web_sessions.delete().where(t.web_sessions.c.expires_at < now))
        uow.commit()
    return token, Session(user, csrf, now + SESSION_ABSOLUTE)


def session_for(engine: Engine, token: str | None) -> Session:
    if not token:
        raise NotAuthenticated()
    now = _now()
    ws = t.web_sessions
    with UnitOfWork(engine) as uow:
        row = uow.conn.execute(
            select(ws, t.users).join(t.users, t.users.c.id == ws.c.user_id).where(ws.c.token_hash == _digest(token))
        ).one_or_none()
        if row is None:
            raise NotAuthenticated()
        if _aware(row.expires_at) < now or _aware(row.last_seen_at) + SESSION_IDLE < now or not row.active:
            uow.conn.execute(ws.delete().where(ws.c.token_hash == _digest(token)))
            uow.commit()
            raise NotAuthenticated("Your session has expired; sign in again.")
        if now - _aware(row.last_seen_at) > timedelta(minutes=1):
            uow.conn.execute(ws.update().where(ws.c.token_hash == _digest(token)).values(last_seen_at=now))
            uow.commit()
    user = User(row.user_id, row.username, row.display_name, row.email, row.is_admin, row.active)
    return Session(user, row.csrf_token, _aware(row.expires_at))


def end_session(engine: Engine, token: str | None) -> None:
    if not token:
        return
    with UnitOfWork(engine) as uow:
        uow.conn.execute(t.web_sessions.delete().where(t.web_sessions.c.token_hash == _digest(token)))
        uow.commit()


def change_password(engine: Engine, user: User, old: str, new: str, *, keep_session: str | None = None) -> None:
    """Change a password after checking the old one; every other session is signed out."""
    problem = password_problem(new, user.username)
    if problem:
        raise InvalidInput([Problem(problem, field="new_password")])
    with UnitOfWork(engine) as uow:
        row = uow.conn.execute(select(t.users).where(t.users.c.id == user.id)).one()
        try:
            _hasher.verify(row.password_hash, old or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise InvalidInput([Problem("the current password is not right", field="old_password")]) from None
        now = _now()
        uow.conn.execute(
            t.users.update()
            .where(t.users.c.id == user.id)
            .values(password_hash=_hasher.hash(new), password_changed_at=now)
        )
        condition = t.web_sessions.c.user_id == user.id
        if keep_session:
            condition = and_(condition, t.web_sessions.c.token_hash != _digest(keep_session))
        uow.conn.execute(t.web_sessions.delete().where(condition))
        uow.audit(
            actor=user.username,
            interface="web",
            action="update",
            record_type="user",
            record_ref=user.username,
            before={"password": "(changed)"},
            after={"password": "(changed)"},
        )
        uow.commit()


def set_password(engine: Engine, username: str, new: str, actor: Actor) -> None:
    """An administrator (or the CLI) sets a password, e.g. for a locked-out user."""
    problem = password_problem(new, username)
    if problem:
        raise InvalidInput([Problem(problem, field="password")])
    with UnitOfWork(engine) as uow:
        user_id = uow.conn.execute(
            select(t.users.c.id).where(t.users.c.username == username.lower())
        ).scalar_one_or_none()
        if user_id is None:
            raise NotFound("user", username)
        uow.conn.execute(
            t.users.update()
            .where(t.users.c.id == user_id)
            .values(password_hash=_hasher.hash(new), password_changed_at=_now())
        )
        uow.conn.execute(t.web_sessions.delete().where(t.web_sessions.c.user_id == user_id))
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="update",
            record_type="user",
            record_ref=username,
            before={"password": "(reset)"},
            after={"password": "(reset)"},
        )
        uow.commit()


# -- API tokens ----------------------------------------------------------------------

TOKEN_PREFIX = "cdp_"


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    username: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def create_api_token(
    engine: Engine,
    user: User,
    workspace: str,
    name: str,
    role: str,
    *,
    expires_in_days: int | None = 365,
    actor: Actor | None = None,
) -> tuple[str, TokenInfo]:
    """A token for scripts, scoped to one workspace and a role no higher than the user's own.
    The token is returned once; only its digest is stored."""
    try:
        wanted = Role(role)
    except ValueError:
        raise InvalidInput(
            [Problem(f"'{role}' is not a role; use viewer, staff, counsel or admin", field="role")]
        ) from None
    if not name or len(name) > 200:
        raise InvalidInput(
            [Problem("give the token a name (up to 200 characters), e.g. 'nightly export'", field="name")]
        )
    own = role_in(engine, user, workspace)
    if own is None:
        raise NotFound("workspace", workspace)
    if not own.at_least(wanted):
        raise PermissionDenied(f"You are {own.value} in this workspace and cannot issue a {wanted.value} token.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    expires = now + timedelta(days=expires_in_days) if expires_in_days else None
    with UnitOfWork(engine, workspace) as uow:
        token_id = uow.conn.execute(
            t.api_tokens.insert()
            .values(
                workspace_id=uow.workspace_id,
                name=name,
                token_hash=_digest(token),
                prefix=token[:12],
                user_id=user.id,
                role=wanted.value,
                created_at=now,
                expires_at=expires,
            )
            .returning(t.api_tokens.c.id)
        ).scalar_one()
        acting = actor or Actor(name=user.username, interface="web")
        uow.audit(
            actor=acting.name,
            interface=acting.interface,
            action="create",
            record_type="api_token",
            record_ref=f"{token_id}",
            after={
                "name": name,
                "role": wanted.value,
                "user": user.username,
                "expires_at": expires.isoformat() if expires else None,
            },
        )
        uow.commit()
    return token, TokenInfo(token_id, name, token[:12], user.username, wanted, now, expires, None, None)


def list_api_tokens(engine: Engine, workspace: str) -> list[TokenInfo]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        rows = uow.conn.execute(
            select(t.api_tokens, t.users.c.username)
            .join(t.users, t.users.c.id == t.api_tokens.c.user_id)
            .where(t.api_tokens.c.workspace_id == uow.workspace_id)
            .order_by(t.api_tokens.c.id)
        )
        return [
            TokenInfo(
                r.id,
                r.name,
                r.prefix,
                r.username,
                Role(r.role),
                _aware(r.created_at),
                _aware(r.expires_at),
                _aware(r.revoked_at),
                _aware(r.last_used_at),
            )
            for r in rows
        ]


def revoke_api_token(engine: Engine, workspace: str, token_id: int, actor: Actor) -> None:
    with UnitOfWork(engine, workspace) as uow:
        row = uow.conn.execute(
            select(t.api_tokens).where(t.api_tokens.c.workspace_id == uow.workspace_id, t.api_tokens.c.id == token_id)
        ).one_or_none()
        if row is None:
            raise NotFound("API token", token_id)
        if row.revoked_at is None:
            uow.conn.execute(t.api_tokens.update().where(t.api_tokens.c.id == token_id).values(revoked_at=_now()))
            uow.audit(
                actor=actor.name,
                interface=actor.interface,
                action="update",
                record_type="api_token",
                record_ref=str(token_id),
                before={"revoked": False},
                after={"revoked": True},
            )
        uow.commit()


def resolve_api_token(engine: Engine, token: str) -> TokenGrant:
    """Who a bearer token acts as. The role is the lower of the token's and the user's current role."""
    now = _now()
    with UnitOfWork(engine) as uow:
        row = uow.conn.execute(
            select(t.api_tokens, t.users, t.workspaces.c.slug)
            .join(t.users, t.users.c.id == t.api_tokens.c.user_id)
            .join(t.workspaces, t.workspaces.c.id == t.api_tokens.c.workspace_id)
            .where(t.api_tokens.c.token_hash == _digest(token or ""))
        ).one_or_none()
        if row is None or row.revoked_at is not None or not row.active:
            raise NotAuthenticated("The API token is not valid (unknown or revoked).")
        if row.expires_at is not None and _aware(row.expires_at) < now:
            raise NotAuthenticated("The API token has expired.")
        if row.last_used_at is None or now - _aware(row.last_used_at) > timedelta(minutes=1):
            uow.conn.execute(t.api_tokens.update().where(t.api_tokens.c.id == row.id).values(last_used_at=now))
            uow.commit()
    user = User(row.user_id, row.username, row.display_name, row.email, row.is_admin, row.active)
    current = role_in(engine, user, row.slug)
    if current is None:
        raise NotAuthenticated("The API token's user no longer belongs to its workspace.")
    role = Role(row.role) if current.at_least(Role(row.role)) else current
    return TokenGrant(user, row.slug, role, row.id)
