"""Agreement use cases that know the lifecycle: changes of status follow the allowed transitions.

The generic :func:`registry.update_record` accepts any valid status (imports and the API
replace whole records); the web forms and the status buttons come through here, so a
terminated tie cannot quietly come back into force.
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import Engine

from ..domain import Agreement, InvalidInput, Problem
from ..domain.agreements import check_transition
from . import registry
from .registry import Actor, SaveResult, _check_visibility, _open, _require_write, _save
from .unit_of_work import UnitOfWork

__all__ = ["change_status", "update_agreement"]


def update_agreement(engine: Engine, ws: str, ref: str, changes: dict[str, Any], actor: Actor) -> SaveResult:
    """Change fields of an agreement (a merge, like :func:`registry.update_record`); a new
    ``status`` must be an allowed next step from the current one."""
    _open(actor, ws)
    _require_write(actor)
    with UnitOfWork(engine, ws) as uow:
        _id, current = uow.records.get("agreements", ref, visible=actor.visible)
        if "ref" in changes and changes["ref"] not in (None, ref):
            raise InvalidInput([Problem("a record's ref cannot be changed; create a new record instead", field="ref")])
        merged = current.model_dump(mode="json") | {k: v for k, v in changes.items() if k != "ref"}
        merged["ref"] = ref
        if changes.get("status"):
            # not a status at all (ValueError): let the record's validation name it
            with contextlib.suppress(ValueError):
                check_transition(current.status, changes["status"])
        record: Agreement = registry.parse_record("agreements", merged)
        _check_visibility(actor, record)
        result = _save(uow, record, actor)
        uow.commit()
    return result


def change_status(engine: Engine, ws: str, ref: str, status: str, actor: Actor) -> SaveResult:
    """Move an agreement to ``status`` (proposed -> in force -> dormant/lapsed -> terminated)."""
    return update_agreement(engine, ws, ref, {"status": status}, actor)
