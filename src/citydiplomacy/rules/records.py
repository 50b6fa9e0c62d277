"""Loading a workspace's records for checking: a fast column loader for engagements (the
large table) and the repository for everything else. Read-only; runs inside a unit of work."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from ..adapters.db import tables as t
from ..adapters.db.mapping import as_utc
from ..adapters.db.repository import Repository, visible_to
from .derive import Context


def context_for(repo: Repository, workspace) -> Context:
    """Everything records point at - partners, places, people and posts of the workspace - as
    light objects with the attributes the derivation reads (one query per table)."""
    conn, ws = repo.conn, repo.workspace_id
    p, pl, pe, po = t.partners, t.places, t.people, t.posts
    partners = [
        SimpleNamespace(ref=r.ref, kind=r.kind, country_code=r.country_code)
        for r in conn.execute(select(p.c.ref, p.c.kind, p.c.country_code).where(p.c.workspace_id == ws))
    ]
    places = [
        SimpleNamespace(ref=r.ref, kind=r.kind, country_code=r.country_code)
        for r in conn.execute(select(pl.c.ref, pl.c.kind, pl.c.country_code).where(pl.c.workspace_id == ws))
    ]
    people = [
        SimpleNamespace(ref=r.ref, country_code=r.country_code)
        for r in conn.execute(select(pe.c.ref, pe.c.country_code).where(pe.c.workspace_id == ws))
    ]
    person_refs = _refs(conn, pe, ws)
    partner_refs = _refs(conn, p, ws)
    posts = [
        SimpleNamespace(
            ref=r.ref,
            person=person_refs.get(r.person_id),
            partner=partner_refs.get(r.partner_id),
            seniority=r.seniority,
            level=r.level,
            start_date=r.start_date,
            end_date=r.end_date,
        )
        for r in conn.execute(
            select(
                po.c.ref, po.c.person_id, po.c.partner_id, po.c.seniority, po.c.level, po.c.start_date, po.c.end_date
            ).where(po.c.workspace_id == ws)
        )
    ]
    return Context.for_workspace(workspace, partners=partners, places=places, people=people, posts=posts)


def _refs(conn: Connection, table, workspace_id: int) -> dict[int, str]:
    return dict(conn.execute(select(table.c.id, table.c.ref).where(table.c.workspace_id == workspace_id)).all())


def fast_engagements(conn: Connection, workspace_id: int, visible) -> list[SimpleNamespace]:
    """Engagements as light objects with the attributes :func:`derive.engagement_facts` reads,
    read with one query per child table (no per-record validation)."""
    e = t.engagements
    query = (
        select(
            e.c.id,
            e.c.ref,
            e.c.title,
            e.c.kind,
            e.c.channel,
            e.c.status,
            e.c.start_utc,
            e.c.timezone,
            e.c.venue_kind,
            e.c.official_capacity,
            e.c.expected_attendance,
            e.c.initiated_by,
            e.c.confidentiality,
        )
        .where(e.c.workspace_id == workspace_id)
        .order_by(e.c.id)
    )
    query = query.where(visible_to(e, visible))
    rows = conn.execute(query).all()
    partners = defaultdict(list)
    partner_refs = _refs(conn, t.partners, workspace_id)
    ep = t.engagement_partners
    for engagement_id, partner_id in conn.execute(
        select(ep.c.engagement_id, ep.c.partner_id)
        .where(ep.c.workspace_id == workspace_id)
        .order_by(ep.c.engagement_id, ep.c.position)
    ):
        partners[engagement_id].append(partner_refs[partner_id])
    participants = defaultdict(list)
    person_refs = _refs(conn, t.people, workspace_id)
    post_refs = _refs(conn, t.posts, workspace_id)
    pp = t.engagement_participants
    for engagement_id, person_id, post_id, side in conn.execute(
        select(pp.c.engagement_id, pp.c.person_id, pp.c.post_id, pp.c.side)
        .where(pp.c.workspace_id == workspace_id)
        .order_by(pp.c.engagement_id, pp.c.position)
    ):
        participants[engagement_id].append(
            SimpleNamespace(person=person_refs[person_id], post=post_refs.get(post_id), side=side)
        )
    topics = defaultdict(list)
    et = t.engagement_topics
    for engagement_id, topic in conn.execute(
        select(et.c.engagement_id, et.c.topic).where(et.c.workspace_id == workspace_id)
    ):
        topics[engagement_id].append(topic)
    zones: dict[str, ZoneInfo] = {}
    out = []
    for r in rows:
        zone = zones.get(r.timezone) or zones.setdefault(r.timezone, ZoneInfo(r.timezone))
        out.append(
            SimpleNamespace(
                ref=r.ref,
                title=r.title,
                kind=r.kind,
                channel=r.channel,
                status=r.status,
                start=as_utc(r.start_utc).astimezone(zone),
                venue_kind=r.venue_kind,
                official_capacity=r.official_capacity,
                expected_attendance=r.expected_attendance,
                initiated_by=r.initiated_by,
                topics=topics.get(r.id, []),
                partners=partners.get(r.id, []),
                participants=participants.get(r.id, []),
            )
        )
    return out


def load_records(repo: Repository, record: str, visible) -> list:
    """Every record of a kind that ``visible`` levels may see (the reader's, or every level for
    the workspace-wide check whose findings are then filtered per reader)."""
    if record == "engagement":
        return fast_engagements(repo.conn, repo.workspace_id, visible)
    plural = {"agreement": "agreements", "gift": "gifts"}[record]
    return list(repo.iter_all(plural, visible=visible))
