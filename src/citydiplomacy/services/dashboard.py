"""The office's dashboard: what is coming up, what is overdue, what is about to expire, what changed.

Each function answers one question for one workspace, shows only what the actor may
see, and reads in its own unit of work. "Today" is the workspace's calendar day unless
the caller passes one (tests, reports as of a date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, false, select

from ..adapters.db import tables as t
from ..adapters.db.repository import visible_to
from ..domain import Agreement, Engagement, FollowUp
from ..domain.agreements import EXPIRY_WARNING_DAYS
from ..domain.vocab import AgreementStatus, EngagementStatus
from . import registry
from .registry import Actor, AuditEntry, ListQuery, _open
from .unit_of_work import UnitOfWork

__all__ = [
    "Dashboard",
    "OverdueFollowUp",
    "dashboard",
    "expiring_agreements",
    "overdue_follow_ups",
    "recent_activity",
    "today_in",
    "upcoming_engagements",
]

#: Agreement statuses whose expiry still matters (a lapsed or terminated tie has run its course).
LIVE_STATUSES = (AgreementStatus.proposed, AgreementStatus.in_force, AgreementStatus.dormant)


def today_in(timezone: str) -> date:
    """The calendar day it is now in ``timezone``."""
    return datetime.now(ZoneInfo(timezone)).date()


def upcoming_engagements(
    engine: Engine, ws: str, actor: Actor, today: date, days: int = 30, limit: int = 50
) -> tuple[list[Engagement], int]:
    """Planned or held engagements starting from ``today`` to ``today + days`` (workspace days), soonest
    first; returns (the first ``limit``, how many in all). Cancelled ones are left out."""
    shown: list[Engagement] = []
    total = 0
    for status in (EngagementStatus.planned, EngagementStatus.held):
        query = ListQuery(
            date_from=today, date_to=today + timedelta(days=days), status=status.value, sort="start", per_page=limit
        )
        page = registry.list_records(engine, ws, "engagements", query, actor)
        shown.extend(page.items)
        total += page.total
    shown.sort(key=lambda e: e.start)
    return shown[:limit], total


@dataclass
class OverdueFollowUp:
    engagement: Engagement
    follow_up: FollowUp
    days_overdue: int


def overdue_follow_ups(engine: Engine, ws: str, actor: Actor, today: date, limit: int = 100) -> list[OverdueFollowUp]:
    """Open follow-ups due before ``today``, oldest due date first, of engagements the actor may see."""
    _open(actor, ws)
    fu, eng = t.follow_ups, t.engagements
    with UnitOfWork(engine, ws, write=False) as uow:
        rows = uow.conn.execute(
            select(fu.c.engagement_id, fu.c.position, fu.c.due_on)
            .join(eng, eng.c.id == fu.c.engagement_id)
            .where(
                fu.c.workspace_id == uow.workspace_id,
                eng.c.workspace_id == uow.workspace_id,
                fu.c.done == false(),
                fu.c.due_on.is_not(None),
                fu.c.due_on < today,
                visible_to(eng, actor.visible),
                eng.c.status != EngagementStatus.cancelled.value,
            )
            .order_by(fu.c.due_on, fu.c.engagement_id, fu.c.position)
            .limit(limit)
        ).all()
        engagements = uow.records.load_many("engagements", {r.engagement_id for r in rows}, actor.visible)
    out = []
    for row in rows:
        engagement = engagements[row.engagement_id]
        follow_up = engagement.follow_ups[row.position] if row.position < len(engagement.follow_ups) else None
        if follow_up is None or follow_up.done:
            continue
        out.append(OverdueFollowUp(engagement, follow_up, (today - follow_up.due_on).days))
    return out


def expiring_agreements(
    engine: Engine, ws: str, actor: Actor, today: date, days: int = EXPIRY_WARNING_DAYS, limit: int = 100
) -> list[Agreement]:
    """Agreements still alive (proposed, in force, dormant) whose expiry date has passed or falls
    within ``days``: the ones someone should renew, let lapse or mark as lapsed. Soonest first."""
    _open(actor, ws)
    ag = t.agreements
    with UnitOfWork(engine, ws, write=False) as uow:
        ids = (
            uow.conn.execute(
                select(ag.c.id)
                .where(
                    and_(
                        ag.c.workspace_id == uow.workspace_id,
                        visible_to(ag, actor.visible),
                        ag.c.expires_on.is_not(None),
                        ag.c.expires_on <= today + timedelta(days=days),
                        ag.c.status.in_([s.value for s in LIVE_STATUSES]),
                    )
                )
                .order_by(ag.c.expires_on, ag.c.id)
                .limit(limit)
            )
            .scalars()
            .all()
        )
        found = uow.records.load_many("agreements", ids, actor.visible)
    return [found[i] for i in ids]


def recent_activity(engine: Engine, ws: str, actor: Actor, limit: int = 10) -> list[AuditEntry]:
    """The latest changes (newest first) to anything the actor may read: registry records,
    commitments, practices, obligations. Entries with a side the actor may not read (a record
    moved to or from a confidential level) are left out: the dashboard names what changed, and
    a redacted entry has no name. Who may use the workspace (roles, tokens) is not activity."""
    out: list[AuditEntry] = []
    offset, batch = 0, max(limit * 5, 50)
    while len(out) < limit:
        entries = registry.audit_history(engine, ws, actor, limit=batch, offset=offset)
        for entry in entries:
            if entry.redacted or entry.record_type in registry.ADMIN_AUDIT_TYPES:
                continue
            out.append(entry)
            if len(out) >= limit:
                break
        if len(entries) < batch:
            break
        offset += batch
    return out


@dataclass
class Dashboard:
    today: date
    upcoming: list[Engagement]
    upcoming_total: int
    overdue: list[OverdueFollowUp]
    expiring: list[Agreement]
    activity: list[AuditEntry]


def dashboard(engine: Engine, ws: str, actor: Actor, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows, as of ``today`` (default: today in the workspace's time zone)."""
    workspace = registry.get_workspace(engine, ws, actor)
    today = today or today_in(workspace.timezone)
    upcoming, total = upcoming_engagements(engine, ws, actor, today)
    return Dashboard(
        today=today,
        upcoming=upcoming,
        upcoming_total=total,
        overdue=overdue_follow_ups(engine, ws, actor, today),
        expiring=expiring_agreements(engine, ws, actor, today),
        activity=recent_activity(engine, ws, actor),
    )
