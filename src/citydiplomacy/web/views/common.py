"""Pieces every page uses: links, table cells, addresses and how dates are shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ...domain import NotFound, PermissionDenied, Record
from ...domain.base import is_hidden_ref
from ...domain.vocab import DatePrecision, label
from ...services import registry
from ...services.registry import Actor

__all__ = [
    "Cell",
    "Fact",
    "Link",
    "api_path",
    "external_url",
    "format_day",
    "format_moment",
    "list_path",
    "names_of",
    "record_name",
    "record_path",
    "workspace_path",
]

#: Record types that have pages in the web shell; the others are reachable through the API.
PAGE_TYPES = ("engagements", "partners", "people", "agreements", "places")


@dataclass
class Link:
    text: str = field(metadata={"help": "Text of the link."})
    url: str | None = field(default=None, metadata={"help": "Address; none when the target has no page."})


@dataclass
class Cell:
    """One table cell: text, optionally a link, optionally several links (partners of an engagement)."""

    text: str = ""
    url: str | None = None
    links: list[Link] = field(default_factory=list)


@dataclass
class Fact:
    """A labelled value on a detail page."""

    label: str
    text: str
    url: str | None = None


def workspace_path(ws: str) -> str:
    return f"/w/{ws}/"


def list_path(ws: str, plural: str) -> str | None:
    return f"/w/{ws}/{plural}" if plural in PAGE_TYPES else None


#: What a person reads where a record points at one they may not see.
A_CONFIDENTIAL_RECORD = "a confidential record"


def record_path(ws: str, plural: str, ref: str) -> str | None:
    """The page of a record, or its API address for types without pages (none for a record the
    reader may not see)."""
    if is_hidden_ref(ref):
        return None
    if plural in PAGE_TYPES:
        return f"/w/{ws}/{plural}/{ref}"
    return api_path(ws, plural, ref)


def api_path(ws: str, plural: str, ref: str | None = None) -> str:
    return f"/api/workspaces/{ws}/{plural}" + (f"/{ref}" if ref else "")


def external_url(url: str | None) -> str | None:
    """Only http(s) addresses become links: a stored 'javascript:' URL must never be clickable."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def record_name(record: Record) -> str:
    for attribute in ("name", "title", "description"):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return value
    return record.ref or ""


def names_of(engine: Engine, ws: str, plural: str, refs, actor: Actor) -> dict[str, str]:
    """Display names of a few referenced records (detail pages only; lists show refs).

    A record the actor may not see keeps its ref as its name."""
    names: dict[str, str] = {}
    for ref in dict.fromkeys(r for r in refs if r):
        if is_hidden_ref(ref):
            names[ref] = A_CONFIDENTIAL_RECORD
            continue
        try:
            names[ref] = record_name(registry.get_record(engine, ws, plural, ref, actor))
        except (NotFound, PermissionDenied):
            names[ref] = ref
    return names


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def format_moment(moment: datetime | None, tz_name: str, precision: str = DatePrecision.day) -> str:
    """'10 Apr 2018, 10:00 (Asia/Ho_Chi_Minh, UTC+07:00)': the time zone is always explicit.

    With a month or year precision only that much is shown ('Apr 2018', '2018')."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(tz_name)) if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz_name))
    if precision == DatePrecision.year:
        return f"{local.year} (year only)"
    if precision == DatePrecision.month:
        return f"{local:%b %Y} (month only)"
    return f"{local.day} {local:%b %Y, %H:%M} ({tz_name}, {_offset(local)})"


def format_day(day: date | None, precision: str = DatePrecision.day) -> str:
    if day is None:
        return ""
    if precision == DatePrecision.year:
        return str(day.year)
    if precision == DatePrecision.month:
        return f"{day:%b %Y}"
    return f"{day.day} {day:%b %Y}"


def labelled(value) -> str:
    """Human label of an enum value (or '' for none)."""
    if value is None:
        return ""
    return label(getattr(value, "value", value))
