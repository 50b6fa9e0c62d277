"""Unit of work: one transaction; rolls back unless committed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select

from ..adapters.db import audit
from ..adapters.db import tables as t
from ..adapters.db.repository import Repository
from ..domain import NotFound, Workspace


class UnitOfWork:
    """``with UnitOfWork(engine, "los-angeles") as uow: ...; uow.commit()``.

    Leaving the block without ``commit()`` - normally or by an exception - rolls
    everything back, so a failed import or a killed process leaves nothing behind.
    """

    def __init__(self, engine: Engine, workspace: str | None = None, *, write: bool = True):
        self.engine = engine
        self.workspace_slug = workspace
        self.write = write
        self.now = datetime.now(UTC)
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.conn = self.engine.connect().execution_options(citydiplomacy_write=self.write)
        self._trans = self.conn.begin()
        self.workspace_id: int | None = None
        self.workspace: Workspace | None = None
        if self.workspace_slug is not None:
            row = self.conn.execute(
                select(t.workspaces).where(t.workspaces.c.slug == self.workspace_slug)
            ).one_or_none()
            if row is None:
                self.__exit__(None, None, None)
                raise NotFound("workspace", self.workspace_slug)
            self.workspace_id = row.id
            self.workspace = Workspace.model_validate({k: getattr(row, k) for k in Workspace.model_fields})
            self.records = Repository(self.conn, row.id, row.timezone)
        return self

    def commit(self) -> None:
        self._trans.commit()
        self._committed = True

    def rollback(self) -> None:
        if self._trans.is_active:
            self._trans.rollback()

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if not self._committed:
                self.rollback()
        finally:
            self.conn.close()

    def audit(
        self, *, actor: str, interface: str, action: str, record_type: str, record_ref: str, before=None, after=None
    ) -> None:
        audit.append(
            self.conn,
            workspace_id=self.workspace_id,
            at=self.now,
            actor=actor,
            interface=interface,
            action=action,
            record_type=record_type,
            record_ref=record_ref,
            before=before,
            after=after,
        )

    def audit_many(self, entries: list[dict]) -> None:
        """Audit several writes at once, in order (imports); entries as for :meth:`audit`."""
        audit.append_many(self.conn, workspace_id=self.workspace_id, at=self.now, entries=entries)
