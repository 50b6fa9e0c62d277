"""Checking the refs a form names before the record itself is valid.

Saving a record checks its references only once its own fields are valid; a form shows
every problem at once, so the refs it names are checked here too, with the same wording
as the repository's own check."""

from __future__ import annotations

from sqlalchemy import Engine

from ..domain import RECORD_TYPES_BY_PLURAL, Problem
from .registry import Actor, _open
from .unit_of_work import UnitOfWork

__all__ = ["unknown_refs"]


def unknown_refs(engine: Engine, ws: str, actor: Actor, wanted: list[tuple[str, str, str]]) -> list[Problem]:
    """Problems for each (field, record type plural, ref) whose ref names no record of the workspace."""
    _open(actor, ws)
    problems = []
    with UnitOfWork(engine, ws, write=False) as uow:
        for field, plural, ref in wanted:
            if ref and uow.records.id_of(plural, ref.strip().lower()) is None:
                kind = RECORD_TYPES_BY_PLURAL[plural].kind_name
                problems.append(Problem(f"no {kind} with ref '{ref}' in this workspace", field=field, value=ref))
    return problems
