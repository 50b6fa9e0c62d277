"""Checking the refs a form names before the record itself is valid.

Saving a record checks its references only once its own fields are valid; a form shows
every problem at once, so the refs it names are checked here too, with the same wording
as the repository's own check."""

from __future__ import annotations

from sqlalchemy import Engine

from ..domain import RECORD_TYPES_BY_PLURAL, Problem
from ..domain.base import is_hidden_ref
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


#: What a person reads where a record they may not see is referenced.
NOT_VISIBLE = "a confidential record"


def display_names(engine: Engine, ws: str, actor: Actor, wanted: dict[str, set[str]]) -> dict[str, dict[str, str]]:
    """The names people read for refs (``{"partners": {"busan-metropolitan-city", …}}``): one
    query per record type. A record the actor may not see reads as :data:`NOT_VISIBLE`; an
    unknown ref stays as it is."""
    from sqlalchemy import select

    from ..adapters.db import tables as t
    from ..adapters.db.repository import name_column
    from ..domain.vocab import Confidentiality

    _open(actor, ws)
    visible = {str(Confidentiality(v)) for v in actor.visible}
    out: dict[str, dict[str, str]] = {}
    with UnitOfWork(engine, ws, write=False) as uow:
        for plural, refs in wanted.items():
            refs = {r for r in refs if r}
            if not refs:
                continue
            table = t.RECORD_TABLES[plural]
            column = name_column(table)
            rows = uow.conn.execute(
                select(table.c.ref, column, table.c.confidentiality).where(
                    table.c.workspace_id == uow.workspace_id, table.c.ref.in_(sorted(refs))
                )
            ).all()
            names = {ref: (name if level in visible else NOT_VISIBLE) for ref, name, level in rows}
            out[plural] = {ref: NOT_VISIBLE if is_hidden_ref(ref) else names.get(ref, ref) for ref in refs}
    return out


def our_name(engine: Engine, ws: str, actor: Actor) -> str:
    """How the workspace itself reads as a party: its city's name ('Los Angeles') when the
    registry holds its place, else the workspace's name."""
    from sqlalchemy import select

    from ..adapters.db import tables as t

    _open(actor, ws)
    with UnitOfWork(engine, ws, write=False) as uow:
        workspace = uow.workspace
        if workspace.place_geonames_id:
            name = uow.conn.execute(
                select(t.places.c.name).where(
                    t.places.c.workspace_id == uow.workspace_id,
                    t.places.c.geonames_id == workspace.place_geonames_id,
                )
            ).scalar()
            if name:
                return name
        return workspace.name


def choices(engine: Engine, ws: str, actor: Actor, plural: str, *, limit: int = 500) -> list[tuple[str, str]] | None:
    """(ref, name) of every record of a type the actor may see, by name, for a filter's menu;
    None when there are more than ``limit`` (a menu that long helps nobody)."""
    from sqlalchemy import func, select

    from ..adapters.db import tables as t
    from ..adapters.db.repository import name_column, visible_to

    _open(actor, ws)
    table = t.RECORD_TABLES[plural]
    column = name_column(table)
    with UnitOfWork(engine, ws, write=False) as uow:
        rows = uow.conn.execute(
            select(table.c.ref, column)
            .where(table.c.workspace_id == uow.workspace_id, visible_to(table, actor.visible))
            .order_by(func.lower(column), table.c.ref)
            .limit(limit + 1)
        ).all()
    if len(rows) > limit:
        return None
    return [(ref, name) for ref, name in rows]
