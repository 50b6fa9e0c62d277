"""Database access for the commitment ledger, obligations and SDG tags.

Like the registry repository it works on one connection and never commits: the
service's unit of work owns the transaction. Every query filters on the workspace.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, delete, select

from ..adapters.db import tables as t
from ..adapters.db.repository import ALL_LEVELS, NARROWEST, visible_to
from ..domain import NotFound
from .models import Commitment, Measurement, Obligation, Target

__all__ = ["CommitmentStore"]


def _levels(visible) -> list[str]:
    return [str(v) for v in visible]


class CommitmentStore:
    def __init__(self, conn: Connection, workspace_id: int):
        self.conn = conn
        self.workspace_id = workspace_id

    # -- commitments ----------------------------------------------------------------
    def id_of(self, ref: str) -> int | None:
        c = t.commitments
        return self.conn.execute(
            select(c.c.id).where(c.c.workspace_id == self.workspace_id, c.c.ref == ref)
        ).scalar_one_or_none()

    def get(self, ref: str, visible=NARROWEST) -> tuple[int, Commitment]:
        c = t.commitments
        row = self.conn.execute(select(c).where(c.c.workspace_id == self.workspace_id, c.c.ref == ref)).one_or_none()
        if row is None or row.confidentiality not in _levels(visible):
            raise NotFound("commitment", ref)
        return row.id, self._load([row])[0]

    def list(self, visible=NARROWEST) -> list[tuple[int, Commitment]]:
        c = t.commitments
        rows = list(
            self.conn.execute(
                select(c)
                .where(c.c.workspace_id == self.workspace_id, visible_to(c, visible))
                .order_by(c.c.made_on.desc(), c.c.title, c.c.id)
            )
        )
        return list(zip([r.id for r in rows], self._load(rows)))

    def _load(self, rows) -> list[Commitment]:
        ids = [r.id for r in rows]
        targets: dict[int, list[dict]] = {i: [] for i in ids}
        if ids:
            ct = t.commitment_targets
            for row in self.conn.execute(select(ct).where(ct.c.commitment_id.in_(ids)).order_by(ct.c.position)):
                targets[row.commitment_id].append(self._target_data(row))
        out = []
        for row in rows:
            data = {
                "ref": row.ref,
                "confidentiality": row.confidentiality,
                "source": row.source,
                "notes": row.notes,
                "title": row.title,
                "kind": row.kind,
                "status": row.status,
                "made_on": row.made_on,
                "made_by": row.made_by,
                "description": row.description,
                "frameworks": row.frameworks or [],
                "networks": row.networks or [],
                "agreements": row.agreements or [],
                "engagement": row.engagement,
                "practices": row.practices or [],
                "sdgs": row.sdgs or [],
                "targets": targets[row.id],
            }
            out.append(Commitment.model_validate({k: v for k, v in data.items() if v is not None}))
        return out

    @staticmethod
    def _target_data(row) -> dict:
        data = {
            "key": row.key,
            "indicator": row.indicator,
            "unit": row.unit,
            "direction": row.direction,
            "baseline_year": row.baseline_year,
            "baseline_value": row.baseline_value,
            "target_year": row.target_year,
            "target_value": row.target_value,
            "milestones": row.milestones or [],
            "sdgs": row.sdgs or [],
            "indicator_code": row.indicator_code,
            "notes": row.notes,
        }
        return {k: v for k, v in data.items() if v is not None}

    @staticmethod
    def _row(commitment: Commitment) -> dict:
        data = commitment.model_dump(mode="json", exclude={"targets"})
        for key in ("made_on",):
            data[key] = getattr(commitment, key)
        return data

    @staticmethod
    def _target_row(target: Target, position: int) -> dict:
        data = target.model_dump(mode="json")
        data["position"] = position
        return data

    def save(self, commitment: Commitment, now: datetime) -> tuple[str, Commitment | None, Commitment, int]:
        """Insert or replace by ref. Targets are matched by key, so their measurements stay attached."""
        c, ct = t.commitments, t.commitment_targets
        existing = self.id_of(commitment.ref)
        if existing is None:
            row = self._row(commitment) | {"workspace_id": self.workspace_id, "created_at": now, "updated_at": now}
            new_id = self.conn.execute(c.insert().values(**row).returning(c.c.id)).scalar_one()
            for position, target in enumerate(commitment.targets):
                self.conn.execute(
                    ct.insert().values(
                        workspace_id=self.workspace_id, commitment_id=new_id, **self._target_row(target, position)
                    )
                )
            return "inserted", None, self.get(commitment.ref, ALL_LEVELS)[1], new_id
        before = self.get(commitment.ref, ALL_LEVELS)[1]
        if before.model_dump(mode="json") == commitment.model_dump(mode="json"):
            return "unchanged", before, before, existing
        self.conn.execute(c.update().where(c.c.id == existing).values(**self._row(commitment), updated_at=now))
        current = self.target_ids(existing)
        wanted = {target.key for target in commitment.targets}
        for key, target_id in current.items():
            if key not in wanted:
                self.conn.execute(ct.delete().where(ct.c.id == target_id))
        for position, target in enumerate(commitment.targets):
            values = self._target_row(target, position)
            if target.key in current:
                self.conn.execute(ct.update().where(ct.c.id == current[target.key]).values(**values))
            else:
                self.conn.execute(ct.insert().values(workspace_id=self.workspace_id, commitment_id=existing, **values))
        return "updated", before, self.get(commitment.ref, ALL_LEVELS)[1], existing

    def delete(self, commitment_id: int) -> None:
        c = t.commitments
        self.conn.execute(c.delete().where(c.c.id == commitment_id, c.c.workspace_id == self.workspace_id))

    # -- targets and measurements ---------------------------------------------------------
    def target_ids(self, commitment_id: int) -> dict[str, int]:
        ct = t.commitment_targets
        rows = self.conn.execute(
            select(ct.c.key, ct.c.id).where(ct.c.commitment_id == commitment_id, ct.c.workspace_id == self.workspace_id)
        )
        return {r.key: r.id for r in rows}

    def measurements(self, target_ids) -> dict[int, list[Measurement]]:
        ids = list(target_ids)
        out: dict[int, list[Measurement]] = {i: [] for i in ids}
        if not ids:
            return out
        cm = t.commitment_measurements
        rows = self.conn.execute(
            select(cm).where(cm.c.workspace_id == self.workspace_id, cm.c.target_id.in_(ids)).order_by(cm.c.measured_on)
        )
        for r in rows:
            data = {
                "on": r.measured_on,
                "value": r.value,
                "unit": r.unit,
                "source": r.source,
                "illustrative": r.illustrative,
                "note": r.note,
            }
            out[r.target_id].append(Measurement.model_validate({k: v for k, v in data.items() if v is not None}))
        return out

    def put_measurement(self, target_id: int, measurement: Measurement, unit: str, now: datetime) -> Measurement | None:
        """Insert, or replace the value on the same date; returns the value replaced, if any."""
        cm = t.commitment_measurements
        where = and_(
            cm.c.target_id == target_id, cm.c.measured_on == measurement.on, cm.c.workspace_id == self.workspace_id
        )
        previous = self.measurements([target_id])[target_id]
        before = next((m for m in previous if m.on == measurement.on), None)
        values = {
            "value": measurement.value,
            "unit": unit,
            "source": measurement.source,
            "illustrative": measurement.illustrative,
            "note": measurement.note,
        }
        if before is None:
            self.conn.execute(
                cm.insert().values(
                    workspace_id=self.workspace_id,
                    target_id=target_id,
                    measured_on=measurement.on,
                    created_at=now,
                    **values,
                )
            )
        else:
            self.conn.execute(cm.update().where(where).values(**values))
        return before

    def delete_measurement(self, target_id: int, on) -> bool:
        cm = t.commitment_measurements
        result = self.conn.execute(
            delete(cm).where(
                cm.c.target_id == target_id, cm.c.measured_on == on, cm.c.workspace_id == self.workspace_id
            )
        )
        return result.rowcount > 0

    # -- obligations ------------------------------------------------------------------
    def obligation_id(self, ref: str) -> int | None:
        o = t.obligations
        return self.conn.execute(
            select(o.c.id).where(o.c.workspace_id == self.workspace_id, o.c.ref == ref)
        ).scalar_one_or_none()

    def get_obligation(self, ref: str, visible=NARROWEST) -> Obligation:
        o = t.obligations
        row = self.conn.execute(select(o).where(o.c.workspace_id == self.workspace_id, o.c.ref == ref)).one_or_none()
        if row is None or row.confidentiality not in _levels(visible):
            raise NotFound("obligation", ref)
        return self._obligation(row)

    def list_obligations(self, visible=NARROWEST, include_done: bool = False) -> list[Obligation]:
        o = t.obligations
        query = select(o).where(o.c.workspace_id == self.workspace_id, visible_to(o, visible))
        if not include_done:
            query = query.where(o.c.done.is_(False))
        return [self._obligation(r) for r in self.conn.execute(query.order_by(o.c.due_on, o.c.ref))]

    @staticmethod
    def _obligation(row) -> Obligation:
        fields = (
            "ref",
            "confidentiality",
            "source",
            "notes",
            "membership",
            "kind",
            "title",
            "due_on",
            "recurrence",
            "done",
            "last_done_on",
            "due_is_assumed",
        )
        return Obligation.model_validate({f: getattr(row, f) for f in fields if getattr(row, f) is not None})

    def save_obligation(self, obligation: Obligation, now: datetime) -> tuple[str, Obligation | None, Obligation]:
        o = t.obligations
        values = obligation.model_dump(mode="json")
        for key in ("due_on", "last_done_on"):
            values[key] = getattr(obligation, key)
        existing = self.obligation_id(obligation.ref)
        if existing is None:
            self.conn.execute(
                o.insert().values(workspace_id=self.workspace_id, created_at=now, updated_at=now, **values)
            )
            return "inserted", None, self.get_obligation(obligation.ref, ALL_LEVELS)
        before = self.get_obligation(obligation.ref, ALL_LEVELS)
        if before.model_dump(mode="json") == obligation.model_dump(mode="json"):
            return "unchanged", before, before
        self.conn.execute(o.update().where(o.c.id == existing).values(updated_at=now, **values))
        return "updated", before, self.get_obligation(obligation.ref, ALL_LEVELS)

    def delete_obligation(self, ref: str) -> None:
        o = t.obligations
        self.conn.execute(o.delete().where(o.c.workspace_id == self.workspace_id, o.c.ref == ref))

    # -- SDG tags ---------------------------------------------------------------------
    def tags(self, record_type: str | None = None) -> list[tuple[str, str, str]]:
        """(record_type, record_ref, code) for every tag of the workspace (optionally of one type)."""
        s = t.sdg_tags
        query = select(s.c.record_type, s.c.record_ref, s.c.code).where(s.c.workspace_id == self.workspace_id)
        if record_type:
            query = query.where(s.c.record_type == record_type)
        return [(r.record_type, r.record_ref, r.code) for r in self.conn.execute(query.order_by(s.c.id))]

    def tags_of(self, record_type: str, ref: str) -> list[str]:
        return [code for kind, r, code in self.tags(record_type) if r == ref]

    def set_tags(self, record_type: str, ref: str, codes: list[str]) -> None:
        s = t.sdg_tags
        self.conn.execute(
            s.delete().where(
                s.c.workspace_id == self.workspace_id, s.c.record_type == record_type, s.c.record_ref == ref
            )
        )
        for code in codes:
            self.conn.execute(
                s.insert().values(workspace_id=self.workspace_id, record_type=record_type, record_ref=ref, code=code)
            )
