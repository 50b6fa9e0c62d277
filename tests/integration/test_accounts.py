"""Accounts: people sign in, hold a role per workspace, and scripts use revocable tokens."""

import pytest

from citydiplomacy.domain import InvalidInput, NotFound, PermissionDenied
from citydiplomacy.domain.accounts import Role
from citydiplomacy.services import accounts as acc
from citydiplomacy.services import registry as r
from tests.fixtures.database import unique

PASSWORD = "correct horse battery staple"


def new_user(engine, actor, **extra):
    name = unique("user").replace("-", ".")
    return acc.create_user(
        engine, {"username": name, "display_name": "Maria Lopez", "password": PASSWORD, **extra}, actor
    )


def test_a_user_signs_in_with_the_right_password_only(engine, actor):
    user = new_user(engine, actor)
    assert acc.authenticate(engine, user.username, PASSWORD, "10.0.0.1").id == user.id
    with pytest.raises(acc.LoginFailed):
        acc.authenticate(engine, user.username, "wrong password entirely", "10.0.0.1")
    with pytest.raises(acc.LoginFailed):
        acc.authenticate(engine, "nobody-" + user.username, PASSWORD, "10.0.0.1")


def test_passwords_are_stored_as_argon2_hashes(engine, actor):
    from sqlalchemy import select

    from citydiplomacy.adapters.db import tables as t

    user = new_user(engine, actor)
    with engine.connect() as conn:
        stored = conn.execute(select(t.users.c.password_hash).where(t.users.c.id == user.id)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_weak_passwords_are_refused_with_the_reason(engine, actor):
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        acc.create_user(engine, {"username": unique("u"), "display_name": "X", "password": "short"}, actor)


def test_repeated_failures_lock_the_user_name_for_a_while(engine, actor):
    user = new_user(engine, actor)
    for _ in range(acc.MAX_FAILURES_PER_USER):
        with pytest.raises(acc.LoginFailed):
            acc.authenticate(engine, user.username, "not the password at all", unique("client"))
    with pytest.raises(acc.TooManyAttempts):
        acc.authenticate(engine, user.username, PASSWORD, unique("client"))


def test_sessions_resolve_and_end_and_are_new_on_every_login(engine, actor):
    user = new_user(engine, actor)
    token1, session1 = acc.start_session(engine, user)
    token2, session2 = acc.start_session(engine, user)
    assert token1 != token2 and session1.csrf_token != session2.csrf_token
    assert acc.session_for(engine, token1).user.username == user.username
    acc.end_session(engine, token1)
    with pytest.raises(acc.NotAuthenticated):
        acc.session_for(engine, token1)
    assert acc.session_for(engine, token2).user.id == user.id


def test_changing_the_password_signs_out_other_sessions(engine, actor):
    user = new_user(engine, actor)
    keep, _ = acc.start_session(engine, user)
    other, _ = acc.start_session(engine, user)
    with pytest.raises(InvalidInput, match="current password"):
        acc.change_password(engine, user, "not it at all, sorry", "a brand new passphrase")
    acc.change_password(engine, user, PASSWORD, "a brand new passphrase", keep_session=keep)
    assert acc.session_for(engine, keep).user.id == user.id
    with pytest.raises(acc.NotAuthenticated):
        acc.session_for(engine, other)
    acc.authenticate(engine, user.username, "a brand new passphrase", "c")


def test_roles_are_per_workspace_and_decide_what_an_actor_sees(engine, workspace, actor):
    user = new_user(engine, actor)
    with pytest.raises(NotFound):
        acc.actor_for(engine, user, workspace, "web")
    acc.grant_role(engine, user.username, workspace, "viewer", actor)
    viewer = acc.actor_for(engine, user, workspace, "web")
    assert viewer.role == Role.viewer and not viewer.can_write
    assert "confidential" not in viewer.visible
    # the actor opens its own workspace only: any other is "not found"
    assert viewer.workspaces == (workspace,) and not viewer.may_open("another-workspace")
    acc.grant_role(engine, user.username, workspace, "staff", actor)
    staff = acc.actor_for(engine, user, workspace, "web")
    assert staff.can_write and "confidential" in staff.visible
    assert [e.record_type for e in r.audit_history(engine, workspace)[:2]] == ["role", "role"]


def test_api_tokens_are_scoped_revocable_and_never_above_the_users_role(engine, workspace, actor):
    user = new_user(engine, actor)
    acc.grant_role(engine, user.username, workspace, "staff", actor)
    with pytest.raises(PermissionDenied):
        acc.create_api_token(engine, user, workspace, "too strong", "admin")
    token, info = acc.create_api_token(engine, user, workspace, "nightly export", "viewer")
    assert token.startswith("cdp_") and info.prefix == token[:12]
    grant = acc.resolve_api_token(engine, token)
    assert grant.workspace == workspace and grant.role == Role.viewer
    acc.revoke_api_token(engine, workspace, info.id, actor)
    with pytest.raises(acc.NotAuthenticated, match="revoked"):
        acc.resolve_api_token(engine, token)


def test_a_token_loses_power_when_its_user_is_demoted(engine, workspace, actor):
    user = new_user(engine, actor)
    acc.grant_role(engine, user.username, workspace, "staff", actor)
    token, _ = acc.create_api_token(engine, user, workspace, "sync", "staff")
    acc.grant_role(engine, user.username, workspace, "viewer", actor)
    assert acc.resolve_api_token(engine, token).role == Role.viewer
    acc.revoke_role(engine, user.username, workspace, actor)
    with pytest.raises(acc.NotAuthenticated):
        acc.resolve_api_token(engine, token)
