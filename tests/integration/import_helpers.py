"""Helpers shared by the import, export and calendar tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from citydiplomacy.adapters.db import tables as t
from citydiplomacy.domain import RECORD_TYPES

DATA = Path(__file__).resolve().parent.parent / "data" / "import"
SAMPLE_WORKSPACE = DATA / "workspace.json"


def workspace_id(engine, slug: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(t.workspaces.c.id).where(t.workspaces.c.slug == slug)).scalar_one()


def counts(engine, slug: str) -> dict[str, int]:
    """Rows per record table, audit entries and import runs of a workspace."""
    ws = workspace_id(engine, slug)
    out = {}
    with engine.connect() as conn:
        tables = [t.RECORD_TABLES[m.plural] for m in RECORD_TYPES] + [t.audit_log, t.import_runs]
        for table in tables:
            out[table.name] = conn.execute(
                select(func.count()).select_from(table).where(table.c.workspace_id == ws)
            ).scalar_one()
    return out


def audit_rows(engine, slug: str):
    ws = workspace_id(engine, slug)
    with engine.connect() as conn:
        return list(
            conn.execute(select(t.audit_log).where(t.audit_log.c.workspace_id == ws).order_by(t.audit_log.c.id))
        )
