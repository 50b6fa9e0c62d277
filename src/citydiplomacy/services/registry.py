"""Registry use cases: create, read, update, delete and list records of a workspace.

Every function takes primitives (dicts, strings), an :class:`Actor` saying who acts
through which interface and what they may see, and runs in its own unit of work.
Every write is audited in the same transaction as the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select

from ..adapters.db import tables as t
from ..adapters.db.repository import ALL_LEVELS, ListQuery, Page
from ..domain import (
    RECORD_TYPES_BY_PLURAL,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
    Record,
    Workspace,
)
from ..domain.accounts import Role
from ..domain.vocab import Confidentiality
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Actor:
    """Who is acting, through which interface, and what they may see and do."""

    name: str
    interface: str = "python"  # web, api, cli, python, import
    visible: tuple[Confidentiality, ...] = ALL_LEVELS
    can_write: bool = True
    #: The account's role in the workspace (None for the CLI and Python API, which hold the database).
    role: Role | None = None
    #: Slugs of the workspaces this actor may open; None for the CLI and Python API (every workspace).
    #: Any other workspace is "not found" to every service, so its existence is not revealed.
    workspaces: tuple[str, ...] | None = None
    #: A site administrator (may create workspaces). The CLI and Python API may too (workspaces None).
    site_admin: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "visible", tuple(Confidentiality(v) for v in self.visible))
        if self.workspaces is not None:
            object.__setattr__(self, "workspaces", tuple(self.workspaces))

    def may_open(self, workspace: str) -> bool:
        return self.workspaces is None or workspace in self.workspaces

    @classmethod
    def system(cls, interface: str = "python") -> Actor:
        return cls(name=f"system:{interface}", interface=interface)


@dataclass
class SaveResult:
    action: str  # inserted, updated, unchanged
    record: Record
    id: int


def record_type(plural: str) -> type[Record]:
    try:
        return RECORD_TYPES_BY_PLURAL[plural]
    except KeyError:
        raise NotFound("record type", plural) from None


def problems_from_validation(
    error: ValidationError, *, line: int | None = None, file: str | None = None, prefix: str = ""
) -> list[Problem]:
    """pydantic errors -> Problems naming the field, in plain words."""
    out = []
    for item in error.errors():
        location = ".".join(str(p) for p in item["loc"])
        message = item["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; see the API schema for the fields of this record type)"
        out.append(
            Problem(
                message,
                field=(prefix + location) or None,
                line=line,
                file=file,
                value=item.get("input")
                if item["type"] != "missing" and not isinstance(item.get("input"), dict)
                else None,
            )
        )
    return out


def parse_record(plural: str, data: dict[str, Any], *, line: int | None = None, file: str | None = None) -> Record:
    model = record_type(plural)
    try:
        return model.model_validate(data).with_ref()
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error, line=line, file=file)) from None


def _open(actor: Actor | None, workspace: str) -> None:
    """A workspace the actor may not open does not exist for them (404, never 403)."""
    if actor is not None and not actor.may_open(workspace):
        raise NotFound("workspace", workspace)


def _require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")


def _check_visibility(actor: Actor, record: Record) -> None:
    if Confidentiality(record.confidentiality) not in actor.visible:
        raise PermissionDenied("You cannot create or edit a record at a confidentiality level you may not read.")


# -- workspaces ------------------------------------------------------------------------


def create_workspace(engine: Engine, data: dict[str, Any], actor: Actor) -> Workspace:
    try:
        workspace = Workspace.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None
    if actor.workspaces is not None and not actor.site_admin:
        raise PermissionDenied("Only a site administrator may create a workspace; ask one to create it for you.")
    with UnitOfWork(engine) as uow:
        exists = uow.conn.execute(select(t.workspaces.c.id).where(t.workspaces.c.slug == workspace.slug)).first()
        if exists:
            raise Conflict(f"A workspace called '{workspace.slug}' already exists.")
        new_id = uow.conn.execute(
            t.workspaces.insert()
            .values(**workspace.model_dump(mode="json"), created_at=datetime.now(UTC))
            .returning(t.workspaces.c.id)
        ).scalar_one()
        uow.workspace_id = new_id
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="create",
            record_type="workspace",
            record_ref=workspace.slug,
            after=workspace.model_dump(mode="json"),
        )
        uow.commit()
    return workspace


def list_workspaces(engine: Engine, actor: Actor | None = None) -> list[Workspace]:
    """Every workspace the actor may open (all of them without an actor: the CLI and Python API)."""
    with UnitOfWork(engine, write=False) as uow:
        query = select(t.workspaces).order_by(t.workspaces.c.name)
        if actor is not None and actor.workspaces is not None:
            query = query.where(t.workspaces.c.slug.in_(actor.workspaces))
        rows = uow.conn.execute(query)
        return [Workspace.model_validate({k: getattr(r, k) for k in Workspace.model_fields}) for r in rows]


def get_workspace(engine: Engine, slug: str, actor: Actor | None = None) -> Workspace:
    _open(actor, slug)
    with UnitOfWork(engine, slug, write=False) as uow:
        return uow.workspace


# -- records ---------------------------------------------------------------------------


def get_record(engine: Engine, workspace: str, plural: str, ref: str, actor: Actor) -> Record:
    _open(actor, workspace)
    record_type(plural)
    with UnitOfWork(engine, workspace, write=False) as uow:
        return uow.records.get(plural, ref, visible=actor.visible)[1]


def list_records(engine: Engine, workspace: str, plural: str, query: ListQuery, actor: Actor) -> Page:
    _open(actor, workspace)
    record_type(plural)
    query.visible = tuple(actor.visible)  # the reader's levels, whatever the caller put there
    with UnitOfWork(engine, workspace, write=False) as uow:
        return uow.records.list(plural, query)


def save_record(
    engine: Engine, workspace: str, plural: str, data: dict[str, Any], actor: Actor, *, must_be_new: bool = False
) -> SaveResult:
    """Create a record, or replace the one with the same ref (natural key)."""
    _open(actor, workspace)
    _require_write(actor)
    record = parse_record(plural, data)
    _check_visibility(actor, record)
    with UnitOfWork(engine, workspace) as uow:
        if must_be_new and uow.records.id_of(plural, record.ref) is not None:
            raise Conflict(
                f"A {record.kind_name} with ref '{record.ref}' already exists; choose another ref or update it."
            )
        result = _save(uow, record, actor)
        uow.commit()
    return result


def _save(uow: UnitOfWork, record: Record, actor: Actor) -> SaveResult:
    existing = uow.records.id_of(record.plural, record.ref)
    if existing is not None:
        # A system read on purpose: a record at any level holds the ref, and the actor learns
        # only that the ref cannot be used.
        current = uow.records.get_by_id(record.plural, existing, visible=ALL_LEVELS)
        if Confidentiality(current.confidentiality) not in actor.visible:
            # Do not reveal that a hidden record exists: it cannot be overwritten by this actor.
            raise Conflict(f"The ref '{record.ref}' cannot be used; choose another ref.")
    action, before, after, record_id = uow.records.save(record, uow.now)
    audit_save(uow, actor, action, before, after)
    return SaveResult(action=action, record=after, id=record_id)


def audit_save(uow: UnitOfWork, actor: Actor, action: str, before: Record | None, after: Record) -> None:
    """Audit one saved record ('inserted' or 'updated'; 'unchanged' leaves no entry)."""
    entry = audit_entry(actor, action, before, after)
    if entry is not None:
        uow.audit(**entry)


def audit_entry(actor: Actor, action: str, before: Record | None, after: Record) -> dict | None:
    """The audit entry for a saved record, or None if it was unchanged. Shared by single
    saves and imports (which append entries in batches), so every write path audits alike."""
    if action == "unchanged":
        return None
    return {
        "actor": actor.name,
        "interface": actor.interface,
        "action": "create" if action == "inserted" else "update",
        "record_type": after.kind_name,
        "record_ref": after.ref,
        "before": before.model_dump(mode="json") if before else None,
        "after": after.model_dump(mode="json"),
    }


def update_record(
    engine: Engine, workspace: str, plural: str, ref: str, changes: dict[str, Any], actor: Actor
) -> SaveResult:
    """Change some fields of an existing record (a merge: fields not given keep their value)."""
    _open(actor, workspace)
    _require_write(actor)
    with UnitOfWork(engine, workspace) as uow:
        _id, current = uow.records.get(plural, ref, visible=actor.visible)
        if "ref" in changes and changes["ref"] not in (None, ref):
            raise InvalidInput([Problem("a record's ref cannot be changed; create a new record instead", field="ref")])
        merged = current.model_dump(mode="json") | {k: v for k, v in changes.items() if k != "ref"}
        merged["ref"] = ref
        record = parse_record(plural, merged)
        _check_visibility(actor, record)
        result = _save(uow, record, actor)
        uow.commit()
    return result


def delete_record(engine: Engine, workspace: str, plural: str, ref: str, actor: Actor) -> Record:
    _open(actor, workspace)
    _require_write(actor)
    record_type(plural)
    with UnitOfWork(engine, workspace) as uow:
        _id, current = uow.records.get(plural, ref, visible=actor.visible)
        before = uow.records.delete(plural, ref)
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="delete",
            record_type=before.kind_name,
            record_ref=ref,
            before=before.model_dump(mode="json"),
            after=None,
        )
        uow.commit()
    del current
    return before


@dataclass
class AuditEntry:
    at: datetime
    actor: str
    interface: str
    action: str
    record_type: str
    record_ref: str
    before: Any = None
    after: Any = None
    hash: str = ""
    changed: list[str] = field(default_factory=list)
    #: True when before or after was at a confidentiality level the reader may not see:
    #: that side then shows only its level, and ``changed`` only says the level changed.
    redacted: bool = False


#: Audit entries about who may use a workspace: only its administrators read them.
ADMIN_AUDIT_TYPES = ("role", "api_token", "user")


@dataclass(frozen=True)
class AuditFilter:
    """Which audit entries to read. Every field is optional; all given must match."""

    record_type: str | None = None
    ref: str | None = None
    user: str | None = None
    interface: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _audit_conditions(uow: UnitOfWork, actor: Actor | None, f: AuditFilter) -> list:
    """SQL conditions for the workspace, the filter, and what the actor may read.

    An entry carrying a confidentiality level (a record's before/after) is readable when
    either side is at a level the actor may see; entries about roles and tokens only by
    administrators. Filtering happens in SQL so that paging and counts stay right."""
    from sqlalchemy import and_, or_

    from ..adapters.db.mapping import as_utc

    log = t.audit_log
    conditions = [log.c.workspace_id == uow.workspace_id]
    if f.record_type:
        conditions.append(log.c.record_type == f.record_type)
    if f.ref:
        conditions.append(log.c.record_ref == f.ref)
    if f.user:
        conditions.append(log.c.actor == f.user)
    if f.interface:
        conditions.append(log.c.interface == f.interface)
    if f.action:
        conditions.append(log.c.action == f.action)

    def stored(moment: datetime) -> datetime:  # SQLite keeps naive UTC times
        moment = as_utc(moment)
        return moment.replace(tzinfo=None) if uow.conn.dialect.name == "sqlite" else moment

    if f.since:
        conditions.append(log.c.at >= stored(f.since))
    if f.until:
        conditions.append(log.c.at < stored(f.until))
    if actor is None:
        return conditions
    if actor.role is not None and not actor.role.at_least(Role.admin):
        conditions.append(log.c.record_type.not_in(ADMIN_AUDIT_TYPES))
    if set(actor.visible) != set(ALL_LEVELS):
        levels = [str(v) for v in actor.visible]
        after_level = log.c.after["confidentiality"].as_string()
        before_level = log.c.before["confidentiality"].as_string()
        conditions.append(
            or_(and_(after_level.is_(None), before_level.is_(None)), after_level.in_(levels), before_level.in_(levels))
        )
        conditions.extend(_side_data_follows_its_record(uow, actor))
    return conditions


def _side_data_follows_its_record(uow: UnitOfWork, actor: Actor) -> list:
    """Entries about data that hangs on a record (its SDG tags, answers to rule facts, the
    obligations the rules found, a commitment's measurements, a practice's transfers) are read
    only by those who may read the record itself."""
    from sqlalchemy import and_, func, literal, or_

    from ..adapters.db.repository import visible_to

    log = t.audit_log

    def hidden(table, prefix: str = ""):
        ref = (literal(prefix) + table.c.ref) if prefix else table.c.ref
        return select(ref).where(table.c.workspace_id == uow.workspace_id, ~visible_to(table, actor.visible))

    def before_separator(column, separator: str):
        if uow.conn.dialect.name == "postgresql":
            return func.split_part(column, separator, 1)
        return func.substr(column, 1, func.instr(column, separator) - 1)

    checked = (t.engagements, t.agreements, t.gifts)
    hidden_checked = hidden(checked[0]).union(*(hidden(table) for table in checked[1:]))
    answers = [f"{kind}_answer" for kind in ("engagement", "agreement", "gift")]
    tagged = (t.engagements, t.agreements, t.networks, t.memberships, t.practices)
    practice = func.coalesce(log.c.after["practice"].as_string(), log.c.before["practice"].as_string())
    return [
        or_(
            log.c.record_type.not_in([*answers, "obligation"]),
            before_separator(log.c.record_ref, ":").not_in(hidden_checked),
        ),
        or_(
            log.c.record_type != "sdg_tags",
            and_(*(log.c.record_ref.not_in(hidden(table, f"{table.name}/")) for table in tagged)),
        ),
        or_(
            log.c.record_type != "measurement",
            before_separator(log.c.record_ref, "/").not_in(hidden(t.commitments)),
        ),
        or_(log.c.record_type != "practice-transfer", practice.is_(None), practice.not_in(hidden(t.practices))),
    ]


def _hidden_refs(uow: UnitOfWork, actor: Actor | None):
    """A function that replaces, inside an audit entry's side, every ref of a record the actor
    may not see by "confidential:<n>" (a visible record's history names no hidden record)."""
    from ..adapters.db.repository import visible_to
    from ..domain.base import HIDDEN_REF_PREFIX

    if actor is None or set(actor.visible) >= set(ALL_LEVELS):
        return None
    hidden: dict[str, str] = {}
    for table in t.RECORD_TABLES.values():
        for ref in uow.conn.execute(
            select(table.c.ref).where(table.c.workspace_id == uow.workspace_id, ~visible_to(table, actor.visible))
        ).scalars():
            hidden.setdefault(ref, f"{HIDDEN_REF_PREFIX}{len(hidden) + 1}")
    if not hidden:
        return None

    def hide(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: hide(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [hide(v, key) for v in value]
        if isinstance(value, str) and key != "ref" and value in hidden:
            return hidden[value]
        return value

    return hide


def _redact(side: Any, actor: Actor | None) -> tuple[Any, bool]:
    if actor is None or not isinstance(side, dict) or "confidentiality" not in side:
        return side, False
    level = side["confidentiality"]
    if level in [str(v) for v in actor.visible]:
        return side, False
    return {"confidentiality": level}, True


def audit_history(
    engine: Engine,
    workspace: str,
    actor: Actor | None = None,
    *,
    record_type_name: str | None = None,
    ref: str | None = None,
    limit: int = 200,
    offset: int = 0,
    where: AuditFilter | None = None,
) -> list[AuditEntry]:
    """Audit entries of a workspace, newest first, as ``actor`` may read them.

    ``actor`` None is whoever holds the database (CLI, Python API): everything. Anyone
    else reads only entries about records they may see (a record reclassified to a level
    they may not see shows that side redacted), and only administrators read entries
    about roles and tokens."""
    from ..adapters.db.mapping import as_utc

    _open(actor, workspace)
    f = where or AuditFilter()
    f = AuditFilter(**{**f.__dict__, "record_type": record_type_name or f.record_type, "ref": ref or f.ref})
    with UnitOfWork(engine, workspace, write=False) as uow:
        log = t.audit_log
        query = select(log).where(*_audit_conditions(uow, actor, f))
        rows = uow.conn.execute(query.order_by(log.c.id.desc()).limit(limit).offset(offset)).all()
        hide = _hidden_refs(uow, actor) if rows else None
        out = []
        for r in rows:
            before, hidden_before = _redact(r.before, actor)
            after, hidden_after = _redact(r.after, actor)
            if hide:
                before, after = hide(before), hide(after)
            old, new = before or {}, after or {}
            if hidden_before or hidden_after:
                changed = ["confidentiality"] if old.get("confidentiality") != new.get("confidentiality") else []
            else:
                changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            out.append(
                AuditEntry(
                    as_utc(r.at),
                    r.actor,
                    r.interface,
                    r.action,
                    r.record_type,
                    r.record_ref,
                    before,
                    after,
                    r.hash,
                    changed,
                    hidden_before or hidden_after,
                )
            )
        return out


def count_audit(engine: Engine, workspace: str, actor: Actor | None = None, where: AuditFilter | None = None) -> int:
    """How many entries :func:`audit_history` would return without a limit."""
    from sqlalchemy import func

    _open(actor, workspace)
    with UnitOfWork(engine, workspace, write=False) as uow:
        query = (
            select(func.count()).select_from(t.audit_log).where(*_audit_conditions(uow, actor, where or AuditFilter()))
        )
        return uow.conn.execute(query).scalar_one()
