"""atlas: the world's twin list stays a reference layer; copies of it leave the record

Earlier versions copied the twin-town pairs touching a workspace's city and its partners'
cities into the workspace, as dormant sister-city agreements between places (and the places
they needed). Those copies are the list's, not the office's: they inflated the register,
its counts and its exports. This revision removes, per workspace and with an audit entry
each, the copies nobody has touched since they were made:

- an agreement whose ref starts with ``twin:``, still dormant, with the list's source and no
  notes, audited only at its creation, with no fact answers, SDG tags, obligations someone
  acted on, or commitment pointing at it;
- then a place made for such a copy (``geonames:`` ref, the list's source, no notes, audited
  only at its creation) that no remaining record points at.

Anything a person changed or linked stays, as the office's own record. The downgrade does not
put copies back: the atlas reads the list beside the record.

Revision ID: 0007_atlas_reference
Revises: 0006_atlas
Create Date: 2026-12-08 01:20:00
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007_atlas_reference"
down_revision = "0006_atlas"
branch_labels = None
depends_on = None

# The provenance the copies carried (frozen here: the code that wrote it is gone).
_TWIN_SOURCE = (
    "Wikipedia contributors, 'List of twin towns and sister cities' pages (CC BY-SA 4.0), "
    "as collected by the Hekman/twincities project (MIT)"
)
_ACTOR = "migration 0007 (twin list kept as a reference layer)"
_GENESIS = "0" * 64


def _digest(prev_hash, workspace_id, at, actor, interface, action, record_type, record_ref, before, after) -> str:
    """The audit chain's hash, exactly as adapters/db/audit.py computes it (frozen copy)."""
    payload = json.dumps(
        [
            prev_hash,
            workspace_id,
            at.isoformat(timespec="microseconds"),
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


def _json(value):
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _audited_once(conn, ws: int, record_type: str, ref: str) -> bool:
    actions = conn.execute(
        sa.text("SELECT action FROM audit_log WHERE workspace_id = :ws AND record_type = :t AND record_ref = :r"),
        {"ws": ws, "t": record_type, "r": ref},
    ).scalars()
    return list(actions) == ["create"]


def _referenced(conn, ws: int, record_type: str, plural: str, ref: str) -> bool:
    """Whether a person attached anything to the record (answers, tags, obligations acted on)."""
    checks = [
        ("SELECT 1 FROM rule_fact_answers WHERE workspace_id = :ws AND record_type IN (:t, :p) AND record_ref = :r"),
        ("SELECT 1 FROM sdg_tags WHERE workspace_id = :ws AND record_type IN (:t, :p) AND record_ref = :r"),
        (
            "SELECT 1 FROM rule_obligations WHERE workspace_id = :ws AND record_type IN (:t, :p) "
            "AND record_ref = :r AND status <> 'open'"
        ),
    ]
    params = {"ws": ws, "t": record_type, "p": plural, "r": ref}
    return any(conn.execute(sa.text(q), params).first() for q in checks)


def _row_dict(row) -> dict:
    out = {}
    for key, value in row._mapping.items():
        if key in ("id", "workspace_id"):
            continue
        out[key] = _json(value) if key in ("documents", "alternate_names") else value
    return json.loads(json.dumps(out, default=str))


def _remove_copies(conn, ws: int) -> list[dict]:
    entries: list[dict] = []
    commitment_refs: set[str] = set()
    for (agreements,) in conn.execute(
        sa.text("SELECT agreements FROM commitments WHERE workspace_id = :ws"), {"ws": ws}
    ):
        commitment_refs.update(_json(agreements) or [])

    rows = conn.execute(
        sa.text(
            "SELECT * FROM agreements WHERE workspace_id = :ws AND ref LIKE 'twin:%' AND status = 'dormant' "
            "AND source LIKE :src AND notes IS NULL ORDER BY id"
        ),
        {"ws": ws, "src": _TWIN_SOURCE + "%"},
    ).all()
    for row in rows:
        ref = row._mapping["ref"]
        if ref in commitment_refs or not _audited_once(conn, ws, "agreement", ref):
            continue
        if _referenced(conn, ws, "agreement", "agreements", ref):
            continue
        parties = conn.execute(
            sa.text(
                "SELECT ap.us, pl.ref AS place, pa.ref AS partner FROM agreement_parties ap "
                "LEFT JOIN places pl ON pl.id = ap.place_id LEFT JOIN partners pa ON pa.id = ap.partner_id "
                "WHERE ap.agreement_id = :id ORDER BY ap.position"
            ),
            {"id": row._mapping["id"]},
        ).all()
        before = _row_dict(row)
        before["parties"] = [
            {k: v for k, v in (("us", bool(p.us)), ("place", p.place), ("partner", p.partner)) if v} for p in parties
        ]
        params = {"ws": ws, "r": ref}
        conn.execute(
            sa.text(
                "DELETE FROM rule_obligations WHERE workspace_id = :ws "
                "AND record_type IN ('agreement', 'agreements') AND record_ref = :r"
            ),
            params,
        )
        conn.execute(
            sa.text("DELETE FROM agreement_parties WHERE agreement_id = :id"),
            {"id": row._mapping["id"]},
        )
        conn.execute(sa.text("DELETE FROM agreements WHERE id = :id"), {"id": row._mapping["id"]})
        entries.append({"record_type": "agreement", "record_ref": ref, "before": before})

    places = conn.execute(
        sa.text(
            "SELECT * FROM places p WHERE workspace_id = :ws AND ref LIKE 'geonames:%' AND source = :src "
            "AND notes IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM agreement_parties ap WHERE ap.place_id = p.id) "
            "AND NOT EXISTS (SELECT 1 FROM partners pa WHERE pa.place_id = p.id) "
            "AND NOT EXISTS (SELECT 1 FROM engagements e WHERE e.venue_place_id = p.id) ORDER BY id"
        ),
        {"ws": ws, "src": _TWIN_SOURCE},
    ).all()
    for row in places:
        ref = row._mapping["ref"]
        if not _audited_once(conn, ws, "place", ref) or _referenced(conn, ws, "place", "places", ref):
            continue
        conn.execute(sa.text("DELETE FROM places WHERE id = :id"), {"id": row._mapping["id"]})
        entries.append({"record_type": "place", "record_ref": ref, "before": _row_dict(row)})
    return entries


def _audit(conn, ws: int, entries: list[dict]) -> None:
    if not entries:
        return
    prev = conn.execute(
        sa.text("SELECT hash FROM audit_log WHERE workspace_id = :ws ORDER BY id DESC LIMIT 1"), {"ws": ws}
    ).scalar_one_or_none()
    prev = prev or _GENESIS
    at = datetime.now(UTC)
    rows = []
    for e in entries:
        digest = _digest(
            prev, ws, at, _ACTOR, "migration", "delete", e["record_type"], e["record_ref"], e["before"], None
        )
        rows.append(
            {
                "workspace_id": ws,
                "at": at,
                "actor": _ACTOR,
                "interface": "migration",
                "action": "delete",
                "record_type": e["record_type"],
                "record_ref": e["record_ref"],
                "before": e["before"],
                "after": None,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    log = sa.table(
        "audit_log",
        sa.column("workspace_id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        *(sa.column(c, sa.String) for c in ("actor", "interface", "action", "record_type", "record_ref")),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    conn.execute(log.insert(), rows)


def upgrade() -> None:
    conn = op.get_bind()
    for (ws,) in conn.execute(sa.text("SELECT id FROM workspaces ORDER BY id")).all():
        _audit(conn, ws, _remove_copies(conn, ws))


def downgrade() -> None:
    """Nothing to undo in the schema; removed copies are in the audit trail, and the list itself
    is still in the reference layer."""
