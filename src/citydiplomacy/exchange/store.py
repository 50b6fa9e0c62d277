"""Reading and writing practices and transfers (SQLAlchemy Core), within a caller's transaction.

The service layer (services/practices.py) owns the transaction and the audit; this
module only maps between rows and models and keeps the search index in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from ..adapters.db import tables as t
from ..adapters.db.repository import visible_to
from ..domain.vocab import Confidentiality
from . import lexical
from .geography import find_city, region_of
from .models import POPULATION_BANDS, Practice, PracticeFilters, Transfer
from .text import document_for

__all__ = [
    "StoredPractice",
    "delete_practice",
    "delete_transfer",
    "filter_conditions",
    "practice_from_row",
    "read_practice",
    "read_practices",
    "read_transfers",
    "write_practice",
    "write_transfer",
]

_PRACTICE_FIELDS = [name for name in Practice.model_fields if name != "slug"]


@dataclass
class StoredPractice:
    """A practice as stored, with the facts derived when it was written."""

    id: int
    practice: Practice
    region: str
    geonames_id: int | None
    latitude: float | None
    longitude: float | None
    population: int | None
    created_at: datetime
    updated_at: datetime


def practice_from_row(row) -> StoredPractice:
    data = {name: getattr(row, name) for name in _PRACTICE_FIELDS}
    data["slug"] = row.ref
    practice = Practice.model_validate(data)
    return StoredPractice(
        row.id,
        practice,
        row.region,
        row.geonames_id,
        row.latitude,
        row.longitude,
        row.population,
        row.created_at,
        row.updated_at,
    )


def filter_conditions(workspace_id: int, filters: PracticeFilters | None, visible: tuple[Confidentiality, ...]) -> list:
    """SQL conditions on ``practices`` for a workspace, what the actor may see, and the filters."""
    p = t.practices
    conditions = [p.c.workspace_id == workspace_id, visible_to(p, visible)]
    if filters is None:
        return conditions
    if filters.topic:
        pt = t.practice_topics
        conditions.append(
            p.c.id.in_(
                sa.select(pt.c.practice_id).where(pt.c.workspace_id == workspace_id, pt.c.topic.in_(filters.topic))
            )
        )
    if filters.sdg:
        ps = t.practice_sdgs
        conditions.append(
            p.c.id.in_(sa.select(ps.c.practice_id).where(ps.c.workspace_id == workspace_id, ps.c.goal.in_(filters.sdg)))
        )
    if filters.region:
        conditions.append(p.c.region.in_([str(r) for r in filters.region]))
    if filters.country:
        conditions.append(p.c.country_code.in_(filters.country))
    if filters.population_band:
        bands = []
        for band in filters.population_band:
            low, high = POPULATION_BANDS[band]
            bands.append(sa.and_(p.c.population >= low, *([p.c.population < high] if high else [])))
        conditions.append(sa.or_(*bands))
    if filters.year_from:
        conditions.append(p.c.year_started >= filters.year_from)
    if filters.year_to:
        conditions.append(p.c.year_started <= filters.year_to)
    if filters.status:
        conditions.append(p.c.status.in_([str(s) for s in filters.status]))
    return conditions


def practice_id(conn: Connection, workspace_id: int, slug: str) -> int | None:
    p = t.practices
    return conn.execute(sa.select(p.c.id).where(p.c.workspace_id == workspace_id, p.c.ref == slug)).scalar_one_or_none()


def read_practice(conn: Connection, workspace_id: int, slug: str) -> StoredPractice | None:
    p = t.practices
    row = conn.execute(sa.select(p).where(p.c.workspace_id == workspace_id, p.c.ref == slug)).one_or_none()
    return practice_from_row(row) if row else None


def read_practices(conn: Connection, ids: list[int]) -> dict[int, StoredPractice]:
    p = t.practices
    out: dict[int, StoredPractice] = {}
    for start in range(0, len(ids), 5000):
        for row in conn.execute(sa.select(p).where(p.c.id.in_(ids[start : start + 5000]))):
            out[row.id] = practice_from_row(row)
    return out


def _row_values(practice: Practice) -> dict:
    data = practice.model_dump(mode="json")
    values = {name: data[name] for name in _PRACTICE_FIELDS}
    values["ref"] = practice.slug
    facts = find_city(practice.city, practice.country_code)
    values.update(
        region=str(region_of(practice.country_code)),
        geonames_id=facts.geonames_id if facts else None,
        latitude=facts.latitude if facts else None,
        longitude=facts.longitude if facts else None,
        population=facts.population if facts else None,
    )
    return values


def write_practice(
    conn: Connection, workspace_id: int, practice: Practice, now: datetime, existing_id: int | None
) -> int:
    """Insert or replace a practice, its topic and goal rows and its full-text entry; returns its id."""
    p = t.practices
    values = _row_values(practice)
    if existing_id is None:
        existing_id = conn.execute(
            p.insert().values(workspace_id=workspace_id, created_at=now, updated_at=now, **values).returning(p.c.id)
        ).scalar_one()
    else:
        conn.execute(p.update().where(p.c.id == existing_id).values(updated_at=now, **values))
        conn.execute(t.practice_topics.delete().where(t.practice_topics.c.practice_id == existing_id))
        conn.execute(t.practice_sdgs.delete().where(t.practice_sdgs.c.practice_id == existing_id))
    if practice.topics:
        conn.execute(
            t.practice_topics.insert(),
            [{"workspace_id": workspace_id, "practice_id": existing_id, "topic": topic} for topic in practice.topics],
        )
    if practice.sdgs:
        conn.execute(
            t.practice_sdgs.insert(),
            [{"workspace_id": workspace_id, "practice_id": existing_id, "goal": goal} for goal in practice.sdgs],
        )
    lexical.write(conn, existing_id, document_for(practice, values["region"]))
    return existing_id


def delete_practice(conn: Connection, practice_id_: int) -> None:
    lexical.delete(conn, practice_id_)
    # Topics, goals, transfers and the embedding go with it (ON DELETE CASCADE); SQLite
    # enforces that because the engine turns foreign keys on.
    conn.execute(t.practices.delete().where(t.practices.c.id == practice_id_))


# -- transfers ----------------------------------------------------------------------------

_TRANSFER_FIELDS = [name for name in Transfer.model_fields if name != "practice"]


def transfer_from_row(row, practice_slug: str) -> Transfer:
    data = {name: getattr(row, name) for name in _TRANSFER_FIELDS}
    data["practice"] = practice_slug
    return Transfer.model_validate(data)


def read_transfers(
    conn: Connection, workspace_id: int, *, practice_ids: list[int] | None = None
) -> list[tuple[int, Transfer, int]]:
    """(transfer row id, transfer, practice id) for a workspace, oldest year first."""
    tr, p = t.practice_transfers, t.practices
    query = (
        sa.select(tr, p.c.ref.label("practice_slug"))
        .join(p, p.c.id == tr.c.practice_id)
        .where(tr.c.workspace_id == workspace_id)
        .order_by(sa.func.coalesce(tr.c.year, 9999), tr.c.ref)
    )
    if practice_ids is not None:
        query = query.where(tr.c.practice_id.in_(practice_ids))
    return [(row.id, transfer_from_row(row, row.practice_slug), row.practice_id) for row in conn.execute(query)]


def read_transfer(conn: Connection, workspace_id: int, ref: str) -> tuple[int, Transfer] | None:
    tr, p = t.practice_transfers, t.practices
    row = conn.execute(
        sa.select(tr, p.c.ref.label("practice_slug"))
        .join(p, p.c.id == tr.c.practice_id)
        .where(tr.c.workspace_id == workspace_id, tr.c.ref == ref)
    ).one_or_none()
    return (row.id, transfer_from_row(row, row.practice_slug)) if row else None


def write_transfer(
    conn: Connection,
    workspace_id: int,
    practice_id_: int,
    transfer: Transfer,
    now: datetime,
    existing_id: int | None,
    recorded_by: str,
) -> int:
    tr = t.practice_transfers
    values = {name: value for name, value in transfer.model_dump(mode="json").items() if name != "practice"}
    if existing_id is None:
        return conn.execute(
            tr.insert()
            .values(
                workspace_id=workspace_id,
                practice_id=practice_id_,
                created_at=now,
                updated_at=now,
                recorded_by=recorded_by,
                **values,
            )
            .returning(tr.c.id)
        ).scalar_one()
    conn.execute(tr.update().where(tr.c.id == existing_id).values(updated_at=now, practice_id=practice_id_, **values))
    return existing_id


def delete_transfer(conn: Connection, transfer_id: int) -> None:
    conn.execute(t.practice_transfers.delete().where(t.practice_transfers.c.id == transfer_id))
