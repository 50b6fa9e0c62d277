"""Storage of the shared twin-town reference layer (tables ``atlas_*``).

Functions take an open connection inside the caller's transaction; the service
(``services.atlas``) owns the transaction, so an import is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, or_, select

from ..adapters.db import tables as t
from ..adapters.db.mapping import as_utc
from .twins import NameResult, Pick, TwinRow

__all__ = [
    "ReferenceLayer",
    "ReferenceName",
    "ReferencePair",
    "latest_import",
    "load_picks",
    "load_reference",
    "name_rows",
    "reference_version",
    "save_pick",
    "sync_import",
]

_COMPARED = (
    "input_country_code",
    "status",
    "geonames_ids",
    "resolved_name",
    "admin1",
    "country_code",
    "latitude",
    "longitude",
    "population",
    "score",
    "reason",
    "candidates",
    "picked_by",
)


@dataclass(frozen=True)
class ReferenceName:
    id: int
    input_name: str
    input_country: str
    input_country_code: str | None
    status: str
    geonames_ids: tuple[int, ...]
    resolved_name: str | None
    admin1: str | None
    country_code: str | None
    latitude: float | None
    longitude: float | None
    population: int | None
    reason: str
    candidates: tuple[dict, ...] = ()


@dataclass(frozen=True)
class ReferencePair:
    a: int
    b: int
    line: int


@dataclass
class ReferenceLayer:
    names: dict[int, ReferenceName] = field(default_factory=dict)
    pairs: list[ReferencePair] = field(default_factory=list)
    version: str = "empty"


def load_picks(conn: Connection) -> dict[tuple[str, str], Pick]:
    rows = conn.execute(select(t.atlas_name_picks))
    return {
        (r.input_name, r.input_country): Pick(
            r.input_name, r.input_country, r.geonames_id, r.picked_by, as_utc(r.picked_at), r.note
        )
        for r in rows
    }


def save_pick(conn: Connection, pick: Pick) -> str:
    """Insert or replace the pick for one (name, country); returns 'inserted' or 'updated'."""
    table = t.atlas_name_picks
    where = (table.c.input_name == pick.input_name) & (table.c.input_country == pick.input_country)
    exists = conn.execute(select(table.c.id).where(where)).scalar_one_or_none()
    values = {
        "geonames_id": pick.geonames_id,
        "picked_by": pick.picked_by,
        "picked_at": pick.picked_at,
        "note": pick.note,
    }
    if exists is None:
        conn.execute(table.insert().values(input_name=pick.input_name, input_country=pick.input_country, **values))
        return "inserted"
    conn.execute(table.update().where(table.c.id == exists).values(**values))
    return "updated"


def name_row(conn: Connection, input_name: str, input_country: str):
    table = t.atlas_twin_names
    return conn.execute(
        select(table).where(table.c.input_name == input_name, table.c.input_country == input_country)
    ).one_or_none()


def update_name(conn: Connection, row_id: int, result: NameResult, now: datetime) -> None:
    conn.execute(
        t.atlas_twin_names.update().where(t.atlas_twin_names.c.id == row_id).values(**result.stored(), updated_at=now)
    )


def sync_import(
    conn: Connection, rows: list[TwinRow], results: dict[tuple[str, str], NameResult], now: datetime
) -> dict[str, int]:
    """Make the stored layer equal to this list: insert, update and remove names and pairs.

    Importing the same file twice changes nothing the second time (all counts 'unchanged')."""
    names = t.atlas_twin_names
    existing = {(r.input_name, r.input_country): r for r in conn.execute(select(names))}
    counts = {
        "names_inserted": 0,
        "names_updated": 0,
        "names_unchanged": 0,
        "names_removed": 0,
        "pairs_inserted": 0,
        "pairs_updated": 0,
        "pairs_unchanged": 0,
        "pairs_removed": 0,
    }
    ids: dict[tuple[str, str], int] = {}
    new_keys, changed = [], []
    for key, result in results.items():
        row = existing.get(key)
        if row is None:
            new_keys.append(key)
            continue
        ids[key] = row.id
        stored = result.stored()
        if any(_differs(getattr(row, c), stored[c]) for c in _COMPARED):
            changed.append(dict(stored, row_id=row.id, updated_at=now))
        else:
            counts["names_unchanged"] += 1
    if new_keys:
        inserted = conn.execute(
            names.insert().returning(names.c.id, sort_by_parameter_order=True),
            [dict(results[k].stored(), updated_at=now) for k in new_keys],
        )
        for key, row in zip(new_keys, inserted):
            ids[key] = row.id
        counts["names_inserted"] = len(new_keys)
    if changed:
        columns = {c: bindparam(c) for c in changed[0] if c != "row_id"}
        conn.execute(names.update().where(names.c.id == bindparam("row_id")).values(**columns), changed)
        counts["names_updated"] = len(changed)

    pairs = t.atlas_twin_pairs
    stored_pairs = {(r.name_a_id, r.name_b_id): (r.id, r.line) for r in conn.execute(select(pairs))}
    wanted: dict[tuple[int, int], int] = {}
    for row in rows:
        a, b = ids[row.keys[0]], ids[row.keys[1]]
        key = (min(a, b), max(a, b))
        wanted.setdefault(key, row.line)
    fresh = [
        {"name_a_id": a, "name_b_id": b, "line": line} for (a, b), line in wanted.items() if (a, b) not in stored_pairs
    ]
    moved = [
        {"pair_id": stored_pairs[k][0], "line": line}
        for k, line in wanted.items()
        if k in stored_pairs and stored_pairs[k][1] != line
    ]
    gone = [pid for k, (pid, _line) in stored_pairs.items() if k not in wanted]
    if fresh:
        conn.execute(pairs.insert(), fresh)
    if moved:
        conn.execute(pairs.update().where(pairs.c.id == bindparam("pair_id")).values(line=bindparam("line")), moved)
    for start in range(0, len(gone), 900):
        conn.execute(pairs.delete().where(pairs.c.id.in_(gone[start : start + 900])))
    counts.update(
        pairs_inserted=len(fresh),
        pairs_updated=len(moved),
        pairs_removed=len(gone),
        pairs_unchanged=len(wanted) - len(fresh) - len(moved),
    )
    stale = [r.id for k, r in existing.items() if k not in results]
    for start in range(0, len(stale), 900):
        conn.execute(names.delete().where(names.c.id.in_(stale[start : start + 900])))
    counts["names_removed"] = len(stale)
    return counts


def _differs(old, new) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        if old is None or new is None:
            return old is not new
        return abs(float(old) - float(new)) > 1e-9
    if isinstance(new, list):
        return list(old or []) != new
    return old != new


def reference_version(conn: Connection) -> str:
    """Changes whenever the layer changes (an import or a pick): used to cache graphs."""
    last_import = conn.execute(select(func.max(t.atlas_twin_imports.c.id))).scalar_one_or_none()
    last_change = conn.execute(select(func.max(t.atlas_twin_names.c.updated_at))).scalar_one_or_none()
    count = conn.execute(select(func.count()).select_from(t.atlas_twin_pairs)).scalar_one()
    stamp = as_utc(last_change).isoformat() if last_change else "-"
    return f"{last_import or 0}:{count}:{stamp}"


def load_reference(conn: Connection, *, with_candidates: bool = False) -> ReferenceLayer:
    names = t.atlas_twin_names
    columns = [
        names.c.id,
        names.c.input_name,
        names.c.input_country,
        names.c.input_country_code,
        names.c.status,
        names.c.geonames_ids,
        names.c.resolved_name,
        names.c.admin1,
        names.c.country_code,
        names.c.latitude,
        names.c.longitude,
        names.c.population,
        names.c.reason,
    ]
    if with_candidates:
        columns.append(names.c.candidates)
    layer = ReferenceLayer(version=reference_version(conn))
    for r in conn.execute(select(*columns)):
        layer.names[r.id] = ReferenceName(
            r.id,
            r.input_name,
            r.input_country,
            r.input_country_code,
            r.status,
            tuple(r.geonames_ids or ()),
            r.resolved_name,
            r.admin1,
            r.country_code,
            r.latitude,
            r.longitude,
            r.population,
            r.reason,
            tuple(r.candidates or ()) if with_candidates else (),
        )
    pairs = t.atlas_twin_pairs
    layer.pairs = [
        ReferencePair(r.name_a_id, r.name_b_id, r.line)
        for r in conn.execute(select(pairs.c.name_a_id, pairs.c.name_b_id, pairs.c.line))
    ]
    return layer


def name_rows(
    conn: Connection,
    *,
    status: str | None = None,
    q: str | None = None,
    country: str | None = None,
    page: int = 1,
    per_page: int = 50,
):
    """A page of the stored resolution report, with the number of pairs each name appears in."""
    names, pairs = t.atlas_twin_names, t.atlas_twin_pairs
    conditions = []
    if status:
        conditions.append(names.c.status == status)
    if q:
        needle = f"%{q.strip().lower()}%"
        as_written = f"%{q.strip()}%"  # SQLite's lower() folds ASCII only: "Çorovodë" must match as typed
        conditions.append(
            or_(
                func.lower(names.c.input_name).like(needle),
                func.lower(names.c.resolved_name).like(needle),
                names.c.input_name.like(as_written),
                names.c.resolved_name.like(as_written),
            )
        )
    if country:
        code = country.strip().upper()
        conditions.append(or_(names.c.country_code == code, names.c.input_country_code == code))
    total = conn.execute(select(func.count()).select_from(names).where(*conditions)).scalar_one()
    ties = (
        select(func.count())
        .select_from(pairs)
        .where(or_(pairs.c.name_a_id == names.c.id, pairs.c.name_b_id == names.c.id))
        .scalar_subquery()
    )
    rows = list(
        conn.execute(
            select(names, ties.label("ties"))
            .where(*conditions)
            .order_by(names.c.input_country, names.c.input_name)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return total, rows


def latest_import(conn: Connection):
    table = t.atlas_twin_imports
    return conn.execute(select(table).order_by(table.c.id.desc()).limit(1)).one_or_none()


def status_counts(conn: Connection) -> dict[str, int]:
    names = t.atlas_twin_names
    rows = conn.execute(select(names.c.status, func.count()).group_by(names.c.status))
    return dict(rows.all())
