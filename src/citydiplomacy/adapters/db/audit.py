"""The audit trail: every create, update and delete, hash-chained per workspace.

Each entry's hash covers its content and the previous entry's hash, so editing,
deleting or reordering stored history breaks the chain, and :func:`verify` names the
first entry where it breaks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, text

from . import tables as t
from .mapping import as_utc

GENESIS = "0" * 64


def _digest(
    prev_hash: str,
    workspace_id,
    at: datetime,
    actor: str,
    interface: str,
    action: str,
    record_type: str,
    record_ref: str,
    before,
    after,
) -> str:
    payload = json.dumps(
        [
            prev_hash,
            workspace_id,
            as_utc(at).isoformat(timespec="microseconds"),
            actor,
            interface,
            action,
            record_type,
            record_ref,
            before,
            after,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _lock_chain(conn: Connection, workspace_id: int | None) -> None:
    """Serialise writers of one chain (SQLite already holds the write lock at BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": 7_000_000 + (workspace_id or 0)})


def append(
    conn: Connection,
    *,
    workspace_id: int | None,
    at: datetime,
    actor: str,
    interface: str,
    action: str,
    record_type: str,
    record_ref: str,
    before,
    after,
) -> str:
    entry = {
        "actor": actor,
        "interface": interface,
        "action": action,
        "record_type": record_type,
        "record_ref": record_ref,
        "before": before,
        "after": after,
    }
    return append_many(conn, workspace_id=workspace_id, at=at, entries=[entry])


def append_many(conn: Connection, *, workspace_id: int | None, at: datetime, entries: list[dict]) -> str:
    """Append entries (dicts with actor, interface, action, record_type, record_ref, before,
    after) in order, each chained to the one before, with one INSERT: imports audit
    thousands of writes. Returns the last hash."""
    _lock_chain(conn, workspace_id)
    log = t.audit_log
    condition = log.c.workspace_id.is_(None) if workspace_id is None else log.c.workspace_id == workspace_id
    prev = conn.execute(select(log.c.hash).where(condition).order_by(log.c.id.desc()).limit(1)).scalar_one_or_none()
    prev = prev or GENESIS
    at = as_utc(at)
    rows = []
    for e in entries:
        digest = _digest(
            prev,
            workspace_id,
            at,
            e["actor"],
            e["interface"],
            e["action"],
            e["record_type"],
            e["record_ref"],
            e["before"],
            e["after"],
        )
        rows.append(dict(e, workspace_id=workspace_id, at=at, prev_hash=prev, hash=digest))
        prev = digest
    if rows:
        conn.execute(log.insert(), rows)
    return prev


@dataclass(frozen=True)
class ChainBreak:
    workspace_id: int | None
    entry_id: int
    reason: str


def verify(conn: Connection) -> tuple[int, list[ChainBreak]]:
    """Check every chain. Returns (entries checked, breaks found)."""
    log = t.audit_log
    last: dict[int | None, str] = {}
    breaks: list[ChainBreak] = []
    count = 0
    for row in conn.execute(select(log).order_by(log.c.id)):
        count += 1
        expected_prev = last.get(row.workspace_id, GENESIS)
        if row.prev_hash != expected_prev:
            breaks.append(
                ChainBreak(
                    row.workspace_id,
                    row.id,
                    "previous-hash link does not match: an entry before it was removed, inserted or altered",
                )
            )
        digest = _digest(
            row.prev_hash,
            row.workspace_id,
            row.at,
            row.actor,
            row.interface,
            row.action,
            row.record_type,
            row.record_ref,
            row.before,
            row.after,
        )
        if digest != row.hash:
            breaks.append(
                ChainBreak(row.workspace_id, row.id, "content does not match its hash: the entry was altered")
            )
        last[row.workspace_id] = row.hash
    return count, breaks
