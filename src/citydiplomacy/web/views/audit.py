"""View data of the audit trail: a workspace's (filterable, paged, exportable) and one record's.

What an actor may read is decided by :func:`services.registry.audit_history`; this module
only shapes it: local times with their zone, and a readable before/after of changed fields.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine

from ...domain import RECORD_TYPES, InvalidInput, NotFound, Problem, Workspace
from ...services import registry
from ...services.registry import (
    Actor,
    AuditEntry,
    AuditFilter,
    problems_from_validation,
)
from .common import format_moment, record_path

__all__ = [
    "AuditParams",
    "AuditView",
    "RecordHistoryView",
    "audit_csv",
    "audit_json",
    "audit_view",
    "history_path",
    "parse_audit_params",
    "record_history_view",
]

KINDS = {m.kind_name: m.plural for m in RECORD_TYPES}
OTHER_TYPES = ("workspace", "role", "api_token")
EXPORT_BATCH = 1000
#: Longest value shown in a before/after cell; the JSON twin and the exports keep everything.
SHOWN_CHARACTERS = 300


class AuditParams(BaseModel):
    """Filters of the audit pages (query string). Empty values mean "any"."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    record_type: str | None = Field(default=None, max_length=40)
    ref: str | None = Field(default=None, max_length=160)
    user: str | None = Field(default=None, max_length=200)
    interface: Literal["web", "api", "cli", "python", "import"] | None = None
    action: Literal["create", "update", "delete"] | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=500)


def parse_audit_params(params: Mapping[str, str]) -> AuditParams:
    values = {k: v for k, v in params.items() if k != "format" and v.strip() != ""}
    try:
        parsed = AuditParams.model_validate(values)
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None
    if parsed.record_type and parsed.record_type not in KINDS and parsed.record_type not in OTHER_TYPES:
        choices = ", ".join(sorted(KINDS) + list(OTHER_TYPES))
        raise InvalidInput(
            [Problem(f"unknown record type; use one of: {choices}", field="record_type", value=parsed.record_type)]
        )
    if parsed.date_from and parsed.date_to and parsed.date_to < parsed.date_from:
        raise InvalidInput([Problem("the end day is before the start day", field="date_to", value=str(parsed.date_to))])
    return parsed


def _filter(params: AuditParams, tz: str) -> AuditFilter:
    """Days are the workspace's local days."""
    zone = ZoneInfo(tz)
    since = datetime.combine(params.date_from, time(0), zone) if params.date_from else None
    until = datetime.combine(params.date_to + timedelta(days=1), time(0), zone) if params.date_to else None
    return AuditFilter(
        record_type=params.record_type,
        ref=params.ref.lower() if params.ref else None,
        user=params.user.lower() if params.user else None,
        interface=params.interface,
        action=params.action,
        since=since,
        until=until,
    )


def history_path(ws: str, kind: str, ref: str) -> str | None:
    plural = KINDS.get(kind)
    return f"/w/{ws}/history/{plural}/{ref}" if plural else None


def _shown(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class EntryRow:
    at: str = field(metadata={"help": "When, in the workspace's time zone (shown with the zone)."})
    at_utc: datetime
    actor: str = field(metadata={"help": "User name of whoever made the change."})
    interface: str = field(metadata={"help": "web, api, cli, python or import."})
    action: str
    record_type: str
    record_ref: str
    record_url: str | None = field(metadata={"help": "The record's page (none for deleted or non-record entries)."})
    history_url: str | None
    changes: list[Change] = field(metadata={"help": "Changed fields with their value before and after."})
    redacted: bool = field(metadata={"help": "One side was at a confidentiality level you may not read."})
    hash: str


def _changes(entry: AuditEntry) -> list[Change]:
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    if entry.action == "create":
        names = [k for k in sorted(after) if after[k] not in (None, [], {}, "")]
    elif entry.action == "delete":
        names = [k for k in sorted(before) if before[k] not in (None, [], {}, "")]
    else:
        names = entry.changed
    return [Change(k, _shown(before.get(k)), _shown(after.get(k))) for k in names]


def _row(ws: str, tz: str, entry: AuditEntry, *, link_record: bool = True) -> EntryRow:
    plural = KINDS.get(entry.record_type)
    record_url = (
        record_path(ws, plural, entry.record_ref) if plural and entry.action != "delete" and link_record else None
    )
    return EntryRow(
        at=format_moment(entry.at, tz),
        at_utc=entry.at,
        actor=entry.actor,
        interface=entry.interface,
        action=entry.action,
        record_type=entry.record_type,
        record_ref=entry.record_ref,
        record_url=record_url,
        history_url=history_path(ws, entry.record_type, entry.record_ref),
        changes=_changes(entry),
        redacted=entry.redacted,
        hash=entry.hash,
    )


@dataclass
class Option:
    value: str
    label: str


@dataclass
class AuditView:
    """A workspace's audit trail, newest first, as the reader may see it."""

    workspace: Workspace
    params: AuditParams
    entries: list[EntryRow]
    total: int
    page: int
    pages: int
    per_page: int
    links: dict[str, str | None] = field(metadata={"help": "prev and next pages, when there are any."})
    record_types: list[Option]
    export_csv_url: str
    export_json_url: str
    api_url: str


def _page_url(ws: str, params: AuditParams, page: int) -> str:
    query = {k: v for k, v in params.model_dump(mode="json").items() if v not in (None, "") and k != "page"}
    if query.get("per_page") == 50:
        del query["per_page"]
    if page > 1:
        query["page"] = page
    return f"/w/{ws}/audit" + (f"?{urlencode(query)}" if query else "")


def _export_url(ws: str, params: AuditParams, suffix: str) -> str:
    query = {
        k: v for k, v in params.model_dump(mode="json").items() if v not in (None, "") and k not in ("page", "per_page")
    }
    return f"/w/{ws}/audit/export.{suffix}" + (f"?{urlencode(query)}" if query else "")


def audit_view(engine: Engine, ws: str, actor: Actor, params: AuditParams) -> AuditView:
    workspace = registry.get_workspace(engine, ws, actor)
    where = _filter(params, workspace.timezone)
    total = registry.count_audit(engine, ws, actor, where)
    pages = max(1, math.ceil(total / params.per_page))
    entries = registry.audit_history(
        engine, ws, actor, where=where, limit=params.per_page, offset=(params.page - 1) * params.per_page
    )
    links = {
        "prev": _page_url(ws, params, params.page - 1) if params.page > 1 else None,
        "next": _page_url(ws, params, params.page + 1) if params.page < pages else None,
    }
    kinds = [Option(k, k.replace("_", " ")) for k in KINDS] + [Option(k, k.replace("_", " ")) for k in OTHER_TYPES]
    return AuditView(
        workspace=workspace,
        params=params,
        entries=[_row(ws, workspace.timezone, e) for e in entries],
        total=total,
        page=params.page,
        pages=pages,
        per_page=params.per_page,
        links=links,
        record_types=kinds,
        export_csv_url=_export_url(ws, params, "csv"),
        export_json_url=_export_url(ws, params, "json"),
        api_url=f"/api/workspaces/{ws}/audit",
    )


@dataclass
class RecordHistoryView:
    """Every change to one record, newest first."""

    workspace: Workspace
    record_type: str
    ref: str
    record_url: str | None = field(metadata={"help": "The record's page, if it still exists."})
    entries: list[EntryRow]
    api_url: str


def record_history_view(engine: Engine, ws: str, plural: str, ref: str, actor: Actor) -> RecordHistoryView:
    """404 when the record has no history the actor may read (unknown, foreign or hidden)."""
    model = registry.record_type(plural)
    workspace = registry.get_workspace(engine, ws, actor)
    entries = registry.audit_history(engine, ws, actor, record_type_name=model.kind_name, ref=ref, limit=1000)
    if not entries:
        raise NotFound(model.kind_name, ref)
    exists = entries[0].action != "delete"
    return RecordHistoryView(
        workspace=workspace,
        record_type=model.kind_name,
        ref=ref,
        record_url=record_path(ws, plural, ref) if exists else None,
        entries=[_row(ws, workspace.timezone, e, link_record=False) for e in entries],
        api_url=f"/api/workspaces/{ws}/{plural}/{ref}/history",
    )


# -- exports --------------------------------------------------------------------------------

CSV_COLUMNS = [
    "at_utc",
    "actor",
    "interface",
    "action",
    "record_type",
    "record_ref",
    "changed",
    "redacted",
    "before",
    "after",
    "hash",
]


def _entries(engine: Engine, ws: str, actor: Actor, params: AuditParams) -> Iterator[AuditEntry]:
    workspace = registry.get_workspace(engine, ws, actor)
    where = _filter(params, workspace.timezone)
    offset = 0
    while True:
        batch = registry.audit_history(engine, ws, actor, where=where, limit=EXPORT_BATCH, offset=offset)
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        offset += EXPORT_BATCH


def _cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _export_record(e: AuditEntry) -> dict:
    return {
        "at_utc": e.at.isoformat(),
        "actor": e.actor,
        "interface": e.interface,
        "action": e.action,
        "record_type": e.record_type,
        "record_ref": e.record_ref,
        "changed": e.changed,
        "redacted": e.redacted,
        "before": e.before,
        "after": e.after,
        "hash": e.hash,
    }


def audit_csv(engine: Engine, ws: str, actor: Actor, params: AuditParams) -> Iterator[str]:
    """The filtered trail as CSV, in batches (it may hold many thousand entries)."""
    entries = _entries(engine, ws, actor, params)
    first = next(entries, None)  # errors (404, 422) surface before the response starts
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)

    def rows() -> Iterator[str]:
        yield buffer.getvalue()
        if first is None:
            return
        for e in _chain(first, entries):
            buffer.seek(0)
            buffer.truncate()
            record = _export_record(e)
            writer.writerow(
                [
                    _cell(
                        json.dumps(record[c], ensure_ascii=False, sort_keys=True)
                        if c in ("before", "after")
                        else ";".join(record[c])
                        if c == "changed"
                        else str(record[c]).lower()
                        if c == "redacted"
                        else str(record[c])
                    )
                    for c in CSV_COLUMNS
                ]
            )
            yield buffer.getvalue()

    return rows()


def audit_json(engine: Engine, ws: str, actor: Actor, params: AuditParams) -> Iterator[str]:
    """The filtered trail as one JSON document: {"workspace": …, "items": [...]}."""
    entries = _entries(engine, ws, actor, params)
    first = next(entries, None)

    def parts() -> Iterator[str]:
        yield json.dumps({"workspace": ws, "filters": params.model_dump(mode="json", exclude={"page", "per_page"})})[
            :-1
        ]
        yield ', "items": ['
        if first is not None:
            for index, e in enumerate(_chain(first, entries)):
                yield ("," if index else "") + json.dumps(_export_record(e), ensure_ascii=False, default=str)
        yield "]}"

    return parts()


def _chain(first: AuditEntry, rest: Iterator[AuditEntry]) -> Iterator[AuditEntry]:
    yield first
    yield from rest
