"""Persistence of the rules capability (SQLAlchemy Core): pack versions and their activation,
interpretations, obligations and answers to rule questions. Called by services inside a
unit of work; never commits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from ..adapters.db import tables as t
from ..adapters.db.mapping import as_utc
from ..domain import NotFound
from .conditions import Interpretation


@dataclass
class PackVersion:
    id: int
    pack_id: str
    version: str
    status: str
    origin: str
    sha256: str
    staged_at: datetime
    staged_by: str
    activated_at: datetime | None
    activated_by: str | None
    content: str
    cases: str | None

    def as_dict(self, *, content: bool = False) -> dict:
        out = {
            k: getattr(self, k)
            for k in ("id", "pack_id", "version", "status", "origin", "sha256", "staged_by", "activated_by")
        }
        out["staged_at"] = self.staged_at.isoformat()
        out["activated_at"] = self.activated_at.isoformat() if self.activated_at else None
        if content:
            out["content"], out["cases"] = self.content, self.cases
        return out


def _version(row) -> PackVersion:
    return PackVersion(
        row.id,
        row.pack_id,
        row.version,
        row.status,
        row.origin,
        row.sha256,
        as_utc(row.staged_at),
        row.staged_by,
        as_utc(row.activated_at),
        row.activated_by,
        row.content,
        row.cases,
    )


def stage_version(
    conn: Connection,
    workspace_id: int,
    *,
    pack_id: str,
    version: str,
    content: str,
    cases: str | None,
    origin: str,
    actor: str,
    now: datetime,
) -> int:
    digest = hashlib.sha256((content + "\0" + (cases or "")).encode()).hexdigest()
    return conn.execute(
        t.rule_pack_versions.insert()
        .values(
            workspace_id=workspace_id,
            pack_id=pack_id,
            version=version,
            content=content,
            cases=cases,
            sha256=digest,
            origin=origin,
            status="staged",
            staged_at=now,
            staged_by=actor,
        )
        .returning(t.rule_pack_versions.c.id)
    ).scalar_one()


def versions(conn: Connection, workspace_id: int, *, status: str | None = None, ids=None) -> list[PackVersion]:
    v = t.rule_pack_versions
    query = select(v).where(v.c.workspace_id == workspace_id)
    if status:
        query = query.where(v.c.status == status)
    if ids is not None:
        query = query.where(v.c.id.in_(list(ids)))
    return [_version(r) for r in conn.execute(query.order_by(v.c.pack_id, v.c.id))]


def version(conn: Connection, workspace_id: int, version_id: int) -> PackVersion:
    found = versions(conn, workspace_id, ids=[version_id])
    if not found:
        raise NotFound("rule pack version", version_id)
    return found[0]


def activate_version(conn: Connection, workspace_id: int, version_id: int, actor: str, now: datetime) -> PackVersion:
    target = version(conn, workspace_id, version_id)
    v = t.rule_pack_versions
    conn.execute(
        v.update()
        .where(v.c.workspace_id == workspace_id, v.c.pack_id == target.pack_id, v.c.status == "active")
        .values(status="retired")
    )
    conn.execute(v.update().where(v.c.id == version_id).values(status="active", activated_at=now, activated_by=actor))
    return version(conn, workspace_id, version_id)


# -- interpretations --------------------------------------------------------------------


def _interpretation(row) -> Interpretation:
    return Interpretation(
        term=row.term,
        statement=row.statement,
        value=row.value,
        when=row.when_condition,
        by=row.recorded_by,
        on=row.recorded_on,
        id=row.id,
        status=row.status,
    )


def add_interpretation(
    conn: Connection, workspace_id: int, interpretation: Interpretation, *, status: str, now: datetime
) -> int:
    return conn.execute(
        t.rule_interpretations.insert()
        .values(
            workspace_id=workspace_id,
            term=interpretation.term,
            statement=interpretation.statement,
            when_condition=interpretation.when,
            value=interpretation.value,
            status=status,
            recorded_by=interpretation.by,
            recorded_on=interpretation.on or now.date(),
            recorded_at=now,
            activated_at=now if status == "active" else None,
            activated_by=interpretation.by if status == "active" else None,
        )
        .returning(t.rule_interpretations.c.id)
    ).scalar_one()


def interpretations(
    conn: Connection, workspace_id: int, *, status: str | None = None, ids=None
) -> list[Interpretation]:
    i = t.rule_interpretations
    query = select(i).where(i.c.workspace_id == workspace_id)
    if status:
        query = query.where(i.c.status == status)
    if ids is not None:
        query = query.where(i.c.id.in_(list(ids)))
    return [_interpretation(r) for r in conn.execute(query.order_by(i.c.id))]


def set_interpretation_status(
    conn: Connection, workspace_id: int, interpretation_id: int, status: str, actor: str, now: datetime
) -> Interpretation:
    i = t.rule_interpretations
    values: dict[str, Any] = {"status": status}
    if status == "active":
        values.update(activated_at=now, activated_by=actor)
    if status == "withdrawn":
        values.update(withdrawn_at=now)
    done = conn.execute(
        i.update().where(i.c.workspace_id == workspace_id, i.c.id == interpretation_id).values(**values)
    )
    if done.rowcount == 0:
        raise NotFound("interpretation", interpretation_id)
    return interpretations(conn, workspace_id, ids=[interpretation_id])[0]


# -- answers to rule questions ----------------------------------------------------------


def answers(conn: Connection, workspace_id: int, record_type: str) -> dict[str, dict[str, Any]]:
    a = t.rule_fact_answers
    out: dict[str, dict[str, Any]] = {}
    for row in conn.execute(select(a).where(a.c.workspace_id == workspace_id, a.c.record_type == record_type)):
        out.setdefault(row.record_ref, {})[row.fact] = row.value
    return out


def set_answer(
    conn: Connection, workspace_id: int, record_type: str, ref: str, fact: str, value: Any, actor: str, now: datetime
) -> None:
    a = t.rule_fact_answers
    where = (a.c.workspace_id == workspace_id, a.c.record_type == record_type, a.c.record_ref == ref, a.c.fact == fact)
    conn.execute(a.delete().where(*where))
    if value is not None:
        conn.execute(
            a.insert().values(
                workspace_id=workspace_id,
                record_type=record_type,
                record_ref=ref,
                fact=fact,
                value=value,
                answered_by=actor,
                answered_at=now,
            )
        )


# -- obligations ------------------------------------------------------------------------


@dataclass
class ObligationTask:
    """One of our obligations, as a task with an owner, a status and evidence."""

    id: int
    record_type: str
    record_ref: str
    rule_id: str
    pack_id: str
    pack_version: str
    kind: str
    description: str
    due_on: date | None
    due_note: str | None
    owner: str | None
    status: str
    evidence: str | None
    updated_at: datetime
    updated_by: str

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["due_on"] = self.due_on.isoformat() if self.due_on else None
        out["updated_at"] = self.updated_at.isoformat()
        return out


OBLIGATION_STATUSES = ("open", "done", "waived", "superseded")


def _task(row) -> ObligationTask:
    return ObligationTask(
        row.id,
        row.record_type,
        row.record_ref,
        row.rule_id,
        row.pack_id,
        row.pack_version,
        row.kind,
        row.description,
        row.due_on,
        row.due_note,
        row.owner,
        row.status,
        row.evidence,
        as_utc(row.updated_at),
        row.updated_by,
    )


def obligations(
    conn: Connection, workspace_id: int, *, status: str | None = None, record_ref: str | None = None, ids=None
) -> list[ObligationTask]:
    o = t.rule_obligations
    query = select(o).where(o.c.workspace_id == workspace_id)
    if status:
        query = query.where(o.c.status == status)
    if record_ref:
        query = query.where(o.c.record_ref == record_ref)
    if ids is not None:
        query = query.where(o.c.id.in_(list(ids)))
    return [_task(r) for r in conn.execute(query.order_by(o.c.due_on.is_(None), o.c.due_on, o.c.id))]


def upsert_obligation(conn: Connection, workspace_id: int, values: dict, actor: str, now: datetime) -> tuple[str, int]:
    """Insert a new obligation or refresh an existing one's due date and wording (keeping owner,
    status and evidence). Returns ('inserted'|'updated'|'unchanged', id)."""
    o = t.rule_obligations
    row = conn.execute(
        select(o).where(
            o.c.workspace_id == workspace_id,
            o.c.record_type == values["record_type"],
            o.c.record_ref == values["record_ref"],
            o.c.rule_id == values["rule_id"],
        )
    ).one_or_none()
    if row is None:
        new_id = conn.execute(
            o.insert()
            .values(
                workspace_id=workspace_id, status="open", created_at=now, updated_at=now, updated_by=actor, **values
            )
            .returning(o.c.id)
        ).scalar_one()
        return "inserted", new_id
    changes = {k: v for k, v in values.items() if getattr(row, k) != v}
    if row.status == "superseded":
        changes["status"] = "open"
    if not changes:
        return "unchanged", row.id
    conn.execute(o.update().where(o.c.id == row.id).values(updated_at=now, updated_by=actor, **changes))
    return "updated", row.id


def supersede_missing(
    conn: Connection, workspace_id: int, keep: set[tuple[str, str, str]], actor: str, now: datetime
) -> int:
    """Open obligations whose finding no longer applies become 'superseded'."""
    o = t.rule_obligations
    count = 0
    for row in conn.execute(select(o).where(o.c.workspace_id == workspace_id, o.c.status == "open")).all():
        if (row.record_type, row.record_ref, row.rule_id) not in keep:
            conn.execute(
                o.update().where(o.c.id == row.id).values(status="superseded", updated_at=now, updated_by=actor)
            )
            count += 1
    return count


def update_obligation(
    conn: Connection, workspace_id: int, obligation_id: int, changes: dict, actor: str, now: datetime
) -> ObligationTask:
    o = t.rule_obligations
    done = conn.execute(
        o.update()
        .where(o.c.workspace_id == workspace_id, o.c.id == obligation_id)
        .values(updated_at=now, updated_by=actor, **changes)
    )
    if done.rowcount == 0:
        raise NotFound("obligation", obligation_id)
    return obligations(conn, workspace_id, ids=[obligation_id])[0]


def fingerprint(conn: Connection, workspace_id: int, tables: list) -> tuple:
    """Changes whenever a row of these tables is added, changed or removed (for caching facts)."""
    parts = []
    for table in tables:
        stamp = (
            table.c.updated_at
            if "updated_at" in table.c
            else (table.c.answered_at if "answered_at" in table.c else None)
        )
        columns = [func.count(), func.max(table.c.id)] + ([func.max(stamp)] if stamp is not None else [])
        parts.append(tuple(conn.execute(select(*columns).where(table.c.workspace_id == workspace_id)).one()))
    return tuple(parts)
