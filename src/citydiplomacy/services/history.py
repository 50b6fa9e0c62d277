"""The records around a partner, person, place or country: what their pages show as a history.

Everything is read as ``actor`` (hidden records stay hidden) and capped at ``limit`` per
type, newest first; the total says when there are more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, literal, select

from ..adapters.db import tables as t
from ..adapters.db.repository import visible_to
from ..domain import Agreement, Engagement, Partner, Place, Post, Record
from . import registry
from .registry import Actor, ListQuery, _open
from .unit_of_work import UnitOfWork

__all__ = ["History", "country_history", "partner_history", "person_history", "place_history"]

LIMIT = 200


@dataclass
class History:
    engagements: list[Engagement] = field(default_factory=list)
    engagements_total: int = 0
    agreements: list[Agreement] = field(default_factory=list)
    agreements_total: int = 0
    partners: list[Partner] = field(default_factory=list)
    partners_total: int = 0
    places: list[Place] = field(default_factory=list)
    places_total: int = 0
    posts: list[Post] = field(default_factory=list)


def _listed(engine: Engine, ws: str, plural: str, actor: Actor, limit: int, **filters) -> tuple[list[Record], int]:
    page = registry.list_records(engine, ws, plural, ListQuery(per_page=limit, **filters), actor)
    return page.items, page.total


def partner_history(engine: Engine, ws: str, ref: str, actor: Actor, limit: int = LIMIT) -> History:
    engagements, e_total = _listed(engine, ws, "engagements", actor, limit, partner=ref, sort="-start")
    agreements, a_total = _listed(engine, ws, "agreements", actor, limit, partner=ref, sort="-signed")
    posts, _ = _listed(engine, ws, "posts", actor, 500, partner=ref, sort="-start")
    return History(engagements, e_total, agreements, a_total, posts=posts)


def person_history(engine: Engine, ws: str, ref: str, actor: Actor, limit: int = LIMIT) -> History:
    engagements, e_total = _listed(engine, ws, "engagements", actor, limit, person=ref, sort="-start")
    posts, _ = _listed(engine, ws, "posts", actor, 500, person=ref, sort="-start")
    return History(engagements, e_total, posts=posts)


def country_history(engine: Engine, ws: str, code: str, actor: Actor, limit: int = LIMIT) -> History:
    """Partners of a country, engagements and agreements with its partners or places, and its places."""
    code = code.upper()
    engagements, e_total = _listed(engine, ws, "engagements", actor, limit, country=code, sort="-start")
    agreements, a_total = _listed(engine, ws, "agreements", actor, limit, country=code, sort="-signed")
    partners, p_total = _listed(engine, ws, "partners", actor, limit, country=code, sort="name")
    places, pl_total = _listed(engine, ws, "places", actor, limit, country=code, sort="-population")
    return History(engagements, e_total, agreements, a_total, partners, p_total, places, pl_total)


def place_history(engine: Engine, ws: str, ref: str, actor: Actor, limit: int = LIMIT) -> History:
    """Engagements and agreements concerning a place (held there, the place a party, or linked to
    a partner based there or a person of one), and the partners based there."""
    _open(actor, ws)
    visible = actor.visible
    with UnitOfWork(engine, ws, write=False) as uow:
        place_id = uow.records.id_of("places", ref)
        if place_id is None:
            return History()
        repo, ws_id = uow.records, uow.workspace_id

        def ids(table, condition, order):
            query = select(table.c.id).where(table.c.workspace_id == ws_id, visible_to(table, visible), condition)
            found = uow.conn.execute(query.order_by(*order).limit(limit + 1)).scalars().all()
            return found[:limit], len(found)

        eng, ag, pa = t.engagements, t.agreements, t.partners
        # what happened here, with a partner based here, or with a person holding a post at one
        based_here = select(pa.c.id).where(
            pa.c.workspace_id == ws_id, pa.c.place_id == place_id, visible_to(pa, visible)
        )
        here = select(literal(place_id))
        e_ids, e_count = ids(
            eng,
            repo.concerning("engagements", eng, based_here, here, visible=visible),
            (eng.c.start_utc.desc(), eng.c.id),
        )
        a_ids, a_count = ids(
            ag, repo.concerning("agreements", ag, based_here, here, visible=visible), (ag.c.signed_on.desc(), ag.c.id)
        )
        p_ids, p_count = ids(pa, pa.c.place_id == place_id, (pa.c.name, pa.c.id))
        engagements, agreements, partners = (
            repo.load_many("engagements", e_ids, visible),
            repo.load_many("agreements", a_ids, visible),
            repo.load_many("partners", p_ids, visible),
        )
    return History(
        [engagements[i] for i in e_ids],
        e_count,
        [agreements[i] for i in a_ids],
        a_count,
        [partners[i] for i in p_ids],
        p_count,
    )
