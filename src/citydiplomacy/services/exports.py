"""Export records to CSV, JSON and iCalendar.

Exports stream: records are read in batches (``Repository.iter_all``) and written as
they come, so a large workspace never sits in memory. They show only what the actor
may see: a confidential record is never exported to someone who cannot read it.
CSV and JSON use the import conventions, so an export imports back unchanged.
A path is written to a temporary file first and renamed at the end, so a failed
export never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import Engine

from ..adapters.files.csv_format import write_csv
from ..adapters.files.ics_format import write_calendar
from ..adapters.files.json_format import JsonSectionsWriter, write_json_list
from ..domain import RECORD_TYPES, InvalidInput, Problem
from ..domain.vocab import EngagementStatus
from .registry import Actor, ListQuery, record_type
from .unit_of_work import UnitOfWork

__all__ = ["EXPORT_FORMATS", "described", "export_ics", "export_records", "export_workspace"]

EXPORT_FORMATS = ("csv", "json")
Output = str | Path | IO


def export_records(
    engine: Engine,
    workspace: str,
    plural: str,
    fmt: str,
    out: Output,
    actor: Actor,
    query: ListQuery | None = None,
    *,
    raw: bool = False,
) -> int:
    """Write every record of one type that ``actor`` may see (and that matches the list filters
    of ``query``, if given) as CSV or a JSON list; returns the count. CSV cells a spreadsheet
    would run as formulas are written as text unless ``raw``."""
    model = record_type(plural)
    fmt = fmt.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(
            [
                Problem(
                    f"unknown export format '{fmt}'; use one of: {', '.join(EXPORT_FORMATS)}", field="format", value=fmt
                )
            ]
        )
    with UnitOfWork(engine, workspace, write=False) as uow, _text_output(out) as stream:
        records = uow.records.iter_all(plural, visible=actor.visible, query=query)
        if fmt == "csv":
            return write_csv(records, model, stream, raw=raw)
        return write_json_list(records, stream)


def export_workspace(
    engine: Engine, workspace: str, out: Output, actor: Actor, *, types: tuple[str, ...] | None = None
) -> dict[str, int]:
    """Write ``{"places": [...], ..., "engagements": [...]}`` (dependency order, so it
    imports back in one go); returns the count per type."""
    wanted = types or tuple(t.plural for t in RECORD_TYPES)
    for plural in wanted:
        record_type(plural)
    counts: dict[str, int] = {}
    with UnitOfWork(engine, workspace, write=False) as uow, _text_output(out) as stream:
        writer = JsonSectionsWriter(stream)
        for model in RECORD_TYPES:
            if model.plural in wanted:
                counts[model.plural] = writer.section(
                    model.plural, uow.records.iter_all(model.plural, visible=actor.visible)
                )
        writer.close()
    return counts


def export_ics(
    engine: Engine,
    workspace: str,
    out: Output,
    actor: Actor,
    *,
    include: tuple[str, ...] = ("planned",),
    query: ListQuery | None = None,
) -> int:
    """Write engagements with a status in ``include`` as iCalendar VEVENTs (UID
    "<ref>@citydiplomacy", DTSTART with its TZID, attendees for participants with an
    e-mail address); returns the number of events."""
    statuses = {s.value for s in EngagementStatus}
    unknown = [s for s in include if s not in statuses]
    if unknown:
        raise InvalidInput(
            [Problem(f"unknown status {', '.join(unknown)}; use: {', '.join(sorted(statuses))}", field="include")]
        )
    with UnitOfWork(engine, workspace, write=False) as uow:
        contacts = {p.ref: (p.name, p.email) for p in uow.records.iter_all("people", visible=actor.visible) if p.email}
        engagements = (
            e
            for e in uow.records.iter_all("engagements", visible=actor.visible, query=query)
            if e.status.value in include
        )
        with _binary_output(out) as stream:
            return write_calendar(engagements, contacts, stream, now=uow.now)


@contextlib.contextmanager
def _text_output(out: Output) -> Iterator[IO[str]]:
    if isinstance(out, (str, Path)):
        with _atomic(Path(out), "w") as stream:
            yield stream
    elif isinstance(out, io.TextIOBase):
        yield out
    else:  # a binary stream (an HTTP response body, a BytesIO)
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()


@contextlib.contextmanager
def _binary_output(out: Output) -> Iterator[IO[bytes]]:
    if isinstance(out, (str, Path)):
        with _atomic(Path(out), "wb") as stream:
            yield stream
    elif isinstance(out, io.TextIOBase):
        buffer = io.BytesIO()
        yield buffer
        out.write(buffer.getvalue().decode("utf-8"))
    else:
        yield out


@contextlib.contextmanager
def _atomic(path: Path, mode: str) -> Iterator[IO]:
    partial = path.with_name(f".{path.name}.part")
    kwargs = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
    try:
        with open(partial, mode, **kwargs) as stream:
            yield stream
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def described(plural: str, query: ListQuery | None) -> str:
    """What an export holds, for its file name: 'agreements' or
    'agreements-kind-sister_city-country-KR' (the filters in use, in a fixed order)."""
    if query is None:
        return plural
    used = query.model_dump(mode="json", exclude_defaults=True, exclude={"visible", "sort", "page", "per_page"})
    parts = [plural]
    for key in ("q", "kind", "status", "topic", "sdg", "country", "partner", "person", "date_from", "date_to"):
        if used.get(key) not in (None, ""):
            value = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(used[key])).strip("_")[:40]
            parts.append(f"{key.replace('_', '')}-{value}")
    return "-".join(parts)
