"""Import records from CSV and JSON files: validate everything, then write all or nothing.

An import reads the whole file, validates every row (fields with pydantic, references
to other records, duplicate refs), and only if nothing is wrong writes every row in
one transaction, each write audited with interface "import", and saves an
``import_runs`` row with the report. Re-importing the same file changes nothing and
reports every row as "unchanged". A dry run returns the same report and writes
nothing: the web app shows it as a preview.

Calendar files (.ics) go through the same steps (:func:`import_ics`): each VEVENT
becomes a planned engagement, attendees are matched to known people, and those that
match nobody are listed for review.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select

from ..adapters.db import tables as t
from ..adapters.db.mapping import MAPPERS
from ..adapters.db.repository import ALL_LEVELS, Repository
from ..adapters.files import RawRow, decode_text, infer_format, infer_record_type
from ..adapters.files.csv_format import read_csv
from ..adapters.files.ics_format import (
    UID_SUFFIX,
    CalendarEvent,
    CalendarPerson,
    guess_channel,
    guess_kind,
    is_url,
    read_calendar,
)
from ..adapters.files.json_format import read_json
from ..domain import (
    RECORD_TYPES,
    RECORD_TYPES_BY_PLURAL,
    Engagement,
    InvalidInput,
    Person,
    Post,
    Problem,
    Record,
    slugify,
)
from ..domain.base import REF_PATTERN
from ..domain.dates import check_timezone
from ..domain.vocab import Channel, Confidentiality
from .registry import Actor, _require_write, audit_entry, problems_from_validation
from .unit_of_work import UnitOfWork

__all__ = [
    "IcsImportReport",
    "ImportReport",
    "ImportRun",
    "Progress",
    "RowAction",
    "TypeCounts",
    "UnmatchedPerson",
    "import_data",
    "import_file",
    "import_ics",
    "import_runs",
]

#: progress(stage, done, total): stage is "validating", "checking" or "writing".
Progress = Callable[[str, int, int], None]

ORDER = {t.plural: position for position, t in enumerate(RECORD_TYPES)}


@dataclass
class RowAction:
    """What happened (or, in a dry run, would happen) to one row."""

    record_type: str
    ref: str | None
    action: str  # inserted, updated, unchanged, rejected
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"record_type": self.record_type, "ref": self.ref, "action": self.action, "line": self.line}


@dataclass
class TypeCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclass
class ImportReport:
    file: str
    format: str
    dry_run: bool = False
    counts: dict[str, TypeCounts] = field(default_factory=dict)
    rows: list[RowAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: id of the saved import_runs row (None for a dry run or a refused import).
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def total(self, action: str) -> int:
        return sum(getattr(c, action) for c in self.counts.values())

    def add(self, record_type: str, ref: str | None, action: str, line: int | None) -> None:
        self.rows.append(RowAction(record_type, ref, action, line))
        counts = self.counts.setdefault(record_type, TypeCounts())
        setattr(counts, action, getattr(counts, action) + 1)

    def summary(self) -> str:
        head = "Dry run: would have " if self.dry_run else ""
        parts = [
            f"{self.total(a)} {'inserted' if a == 'inserted' else a}" for a in ("inserted", "updated", "unchanged")
        ]
        text = f"{head}{', '.join(parts)}"
        if self.problems:
            text += f"; {self.total('rejected')} rejected, {len(self.problems)} problem(s)"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "counts": {k: v.as_dict() for k, v in self.counts.items()},
            "rows": [r.as_dict() for r in self.rows],
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass
class _Item:
    row: RawRow
    record: Record
    action: str = ""
    existing_id: int | None = None
    before: Record | None = None
    bad: bool = False


# -- entry points ----------------------------------------------------------------------


def import_file(
    engine: Engine,
    workspace: str,
    path: str | Path,
    actor: Actor,
    *,
    record_type: str | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a CSV, JSON or iCalendar file. See :func:`import_data`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput([Problem(f"the file cannot be read: {error.strerror}", file=str(path))]) from None
    return import_data(
        engine, workspace, data, path.name, actor, record_type=record_type, fmt=fmt, dry_run=dry_run, progress=progress
    )


def import_data(
    engine: Engine,
    workspace: str,
    data: bytes | str,
    file_name: str,
    actor: Actor,
    *,
    record_type: str | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import already-read file content (a web upload). ``file_name`` names the file in
    messages and, unless given, tells the format and record type.

    Raises InvalidInput listing every problem (file, line, field) and writes nothing if
    any row is wrong. With ``dry_run`` nothing is written and problems are returned in
    the report instead of raised."""
    _require_write(actor)
    fmt = infer_format(file_name, fmt)
    if fmt == "ics":
        if record_type not in (None, "engagements", "engagement"):
            raise InvalidInput([Problem("a calendar file holds engagements only", file=file_name)])
        return import_ics(engine, workspace, data, actor, dry_run=dry_run, file_name=file_name, progress=progress)
    report = ImportReport(file=file_name, format=fmt, dry_run=dry_run)
    try:
        rows, problems = read_rows(data, file_name, fmt, record_type)
    except InvalidInput as error:
        if not dry_run:
            raise
        report.problems = list(error.problems)
        return report
    with _gc_paused():
        items, problems = validate_rows(rows, file_name, actor, problems, report, progress)
        with UnitOfWork(engine, workspace) as uow:
            return apply(uow, items, problems, report, actor, progress=progress)


@contextlib.contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector while tens of thousands of records are
    alive: its full passes grow with the heap and made a 50,000-row import ~40% slower.
    Records hold no reference cycles; reference counting still frees memory."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_rows(
    data: bytes | str, file_name: str, fmt: str, record_type: str | None
) -> tuple[list[RawRow], list[Problem]]:
    text = decode_text(data, file_name)
    if fmt == "csv":
        plural = infer_record_type(file_name, record_type)
        return read_csv(text, file_name, plural, RECORD_TYPES_BY_PLURAL[plural])
    plural = infer_record_type(file_name, record_type) if record_type else None
    if plural is None and text.lstrip().startswith("["):
        plural = infer_record_type(file_name)  # a bare list: the file name says the type
    return read_json(text, file_name, plural)


# -- validation (no database) -----------------------------------------------------------


def validate_rows(
    rows: list[RawRow],
    file_name: str,
    actor: Actor,
    problems: list[Problem],
    report: ImportReport,
    progress: Progress | None = None,
) -> tuple[list[_Item], list[Problem]]:
    """Validate every row with its record model; rows that fail are reported as rejected."""
    problems = list(problems)
    items: list[_Item] = []
    rows = sorted(rows, key=lambda r: ORDER[r.plural])  # stable: file order within a type
    for done, row in enumerate(rows, start=1):
        if progress:
            progress("validating", done, len(rows))
        model = RECORD_TYPES_BY_PLURAL[row.plural]
        try:
            record = model.model_validate(row.data).with_ref()
        except ValidationError as error:
            for problem in problems_from_validation(error, file=file_name):
                problems.append(_at(problem, row))
            report.add(row.plural, _raw_ref(row), "rejected", row.line)
            continue
        if Confidentiality(record.confidentiality) not in actor.visible:
            problems.append(
                _at(
                    Problem(
                        f"you cannot import a record marked '{record.confidentiality.value}': you may not read such records",
                        field="confidentiality",
                    ),
                    row,
                )
            )
            report.add(row.plural, record.ref, "rejected", row.line)
            continue
        items.append(_Item(row, record))
    problems.extend(_duplicates(items, file_name, report))
    return items, problems


def _raw_ref(row: RawRow) -> str | None:
    ref = row.data.get("ref")
    return str(ref) if ref else None


def _at(problem: Problem, row: RawRow) -> Problem:
    """Put the row's line (or the line of the field, in JSON) on a problem."""
    line = row.line_of(problem.field)
    message = problem.message
    if line is None:
        message += f" ({row.plural} item {row.index + 1})"
    return dataclasses.replace(problem, line=line, file=problem.file, message=message)


def _duplicates(items: list[_Item], file_name: str, report: ImportReport) -> list[Problem]:
    first: dict[tuple[str, str], _Item] = {}
    problems = []
    for item in items:
        key = (item.row.plural, item.record.ref)
        if key not in first:
            first[key] = item
            continue
        original = first[key]
        where = f"line {original.row.line}" if original.row.line else f"item {original.row.index + 1}"
        message = (
            f"ref '{item.record.ref}' is used twice in this file (first at {where}); each "
            f"{item.record.kind_name} needs its own ref"
        )
        if not item.row.data.get("ref"):
            message += "; this row has no ref, so it was derived from its fields - give the rows distinct refs"
        problems.append(_at(Problem(message, field="ref", file=file_name, value=item.record.ref), item.row))
        item.bad = True
    return problems


# -- checking against the database and writing ------------------------------------------


def apply(
    uow: UnitOfWork,
    items: list[_Item],
    problems: list[Problem],
    report: ImportReport,
    actor: Actor,
    *,
    progress: Progress | None = None,
) -> ImportReport:
    """Check refs, decide each row's action, and (unless anything is wrong or it is a dry
    run) write everything and record the run. The caller's unit of work is committed here."""
    repo = uow.records
    index = _Indexes(repo)
    problems = list(problems) + _check_refs(items, index, report.file, actor, progress)
    items = _dependency_order(items, report.file, problems)
    _decide(items, index, repo)
    for item in items:
        report.add(item.row.plural, item.record.ref, "rejected" if item.bad else item.action, item.row.line)
    report.rows.sort(key=lambda r: (ORDER[r.record_type], r.line or 0))
    if problems:
        report.problems = problems
        if report.dry_run:
            return report
        raise InvalidInput(problems)
    if report.dry_run:
        return report  # the unit of work rolls back: nothing was written
    _write(uow, items, index, actor, progress)
    report.run_id = _record_run(uow, report, actor)
    uow.commit()
    return report


class _Indexes:
    """ref -> (id, confidentiality) per record type, each loaded once."""

    def __init__(self, repo: Repository):
        self.repo = repo
        self._by_type: dict[str, dict[str, tuple[int, str]]] = {}

    def __call__(self, plural: str) -> dict[str, tuple[int, str]]:
        if plural not in self._by_type:
            self._by_type[plural] = self.repo.ref_index(plural)
        return self._by_type[plural]


def _check_refs(
    items: list[_Item], index: _Indexes, file_name: str, actor: Actor, progress: Progress | None
) -> list[Problem]:
    problems: list[Problem] = []
    pending: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if not item.bad:
            pending[item.row.plural].add(item.record.ref)
    for done, item in enumerate(items, start=1):
        if item.bad:
            continue
        found: list[Problem] = []

        def resolve(plural: str, ref: str, field_name: str, _item=item, _found=found) -> int | None:
            known = index(plural).get(ref)
            if known is not None:
                return known[0]
            if ref in pending[plural]:
                return -1
            kind = RECORD_TYPES_BY_PLURAL[plural].kind_name
            _found.append(
                _at(
                    Problem(
                        f"no {kind} with ref '{ref}' in this workspace or in this file; import the {plural} first or fix the ref",
                        field=field_name,
                        file=file_name,
                        value=ref,
                    ),
                    _item.row,
                )
            )
            return None

        mapper = MAPPERS[item.row.plural]
        mapper.to_row(item.record, resolve)
        mapper.check_children(item.record, resolve)
        existing = index(item.row.plural).get(item.record.ref)
        if existing is not None and Confidentiality(existing[1]) not in actor.visible:
            # The same words as a single save: never reveal that a hidden record exists.
            found.append(
                _at(
                    Problem(
                        f"the ref '{item.record.ref}' cannot be used; choose another ref", field="ref", file=file_name
                    ),
                    item.row,
                )
            )
        if found:
            item.bad = True
            problems.extend(found)
        if progress:
            progress("checking", done, len(items))
    return problems


def _dependency_order(items: list[_Item], file_name: str, problems: list[Problem]) -> list[_Item]:
    """Within a type, put a record after the records of the same type it points at
    (a consulate after its foreign ministry), so every ref exists when it is written."""
    by_key = {(i.row.plural, i.record.ref): i for i in items}
    ordered: list[_Item] = []
    state: dict[int, str] = {}

    def visit(item: _Item, chain: list[_Item]) -> None:
        mark = state.get(id(item))
        if mark == "done":
            return
        if mark == "visiting":
            names = " -> ".join(f"'{i.record.ref}'" for i in chain[chain.index(item) :] + [item])
            problems.append(
                _at(
                    Problem(f"these {item.row.plural} point at each other in a circle: {names}", file=file_name),
                    item.row,
                )
            )
            item.bad = True
            return
        state[id(item)] = "visiting"
        for ref in item.record.references().get(item.row.plural, []):
            target = by_key.get((item.row.plural, ref))
            if target is not None:
                visit(target, chain + [item])
        state[id(item)] = "done"
        ordered.append(item)

    for item in items:
        visit(item, [])
    return ordered


def _decide(items: list[_Item], index: _Indexes, repo: Repository) -> None:
    """inserted / updated / unchanged for each row, comparing with the stored records in batches."""
    by_type: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        by_type[item.row.plural].append(item)
    for plural, group in by_type.items():
        ids = index(plural)
        for item in group:
            known = ids.get(item.record.ref)
            item.existing_id = known[0] if known else None
        # every level on purpose: rows naming a hidden record were refused before this point
        stored = repo.load_many(plural, [i.existing_id for i in group if i.existing_id is not None], ALL_LEVELS)
        for item in group:
            if item.existing_id is None:
                item.action = "inserted"
                continue
            item.before = stored[item.existing_id]
            same = item.before.model_dump(mode="json") == item.record.model_dump(mode="json")
            item.action = "unchanged" if same else "updated"


#: Rows written per multi-row INSERT.
BATCH = 500


def _write(uow: UnitOfWork, items: list[_Item], index: _Indexes, actor: Actor, progress: Progress | None) -> None:
    """Write in batches of one type; a batch ends before a record that points at a new
    record of the same batch (so its id exists when it is needed)."""
    ids: dict[str, dict[str, int]] = {}

    def ids_of(plural: str) -> dict[str, int]:
        if plural not in ids:
            ids[plural] = {ref: known[0] for ref, known in index(plural).items()}
        return ids[plural]

    def resolve(plural: str, ref: str, _field: str) -> int:
        return ids_of(plural)[ref]

    importer = dataclasses.replace(actor, interface="import")
    changes = [i for i in items if i.action in ("inserted", "updated")]
    done = 0
    batch: list[_Item] = []
    in_batch: set[str] = set()

    def flush() -> None:
        nonlocal done, batch, in_batch
        if not batch:
            return
        plural = batch[0].row.plural
        new_ids = uow.records.write_many(plural, [(i.record, i.existing_id) for i in batch], uow.now, resolve)
        for item, new_id in zip(batch, new_ids):
            ids_of(item.row.plural)[item.record.ref] = new_id
        uow.audit_many([audit_entry(importer, i.action, i.before, i.record) for i in batch])
        done += len(batch)
        if progress:
            progress("writing", done, len(changes))
        batch, in_batch = [], set()

    for item in changes:
        plural = item.row.plural
        if batch and (
            batch[0].row.plural != plural
            or len(batch) >= BATCH
            or in_batch.intersection(item.record.references().get(plural, []))
        ):
            flush()
        batch.append(item)
        in_batch.add(item.record.ref)
    flush()


def _record_run(uow: UnitOfWork, report: ImportReport, actor: Actor) -> int:
    types = sorted(report.counts, key=ORDER.get)
    return uow.conn.execute(
        t.import_runs.insert()
        .values(
            workspace_id=uow.workspace_id,
            at=uow.now,
            actor=actor.name,
            file_name=report.file[:500],
            format=report.format,
            record_type=types[0] if len(types) == 1 else "several",
            inserted=report.total("inserted"),
            updated=report.total("updated"),
            unchanged=report.total("unchanged"),
            report=report.as_dict(),
        )
        .returning(t.import_runs.c.id)
    ).scalar_one()


# -- history -----------------------------------------------------------------------------


@dataclass
class ImportRun:
    id: int
    at: Any
    actor: str
    file_name: str
    format: str
    record_type: str
    inserted: int
    updated: int
    unchanged: int
    report: dict


def import_runs(engine: Engine, workspace: str, *, limit: int = 50) -> list[ImportRun]:
    """The latest imports of a workspace, newest first, with their saved reports."""
    with UnitOfWork(engine, workspace, write=False) as uow:
        runs = t.import_runs
        rows = uow.conn.execute(
            select(runs).where(runs.c.workspace_id == uow.workspace_id).order_by(runs.c.id.desc()).limit(limit)
        )
        return [
            ImportRun(
                r.id, r.at, r.actor, r.file_name, r.format, r.record_type, r.inserted, r.updated, r.unchanged, r.report
            )
            for r in rows
        ]


# -- calendars (.ics) --------------------------------------------------------------------


@dataclass
class UnmatchedPerson:
    """An attendee or organiser who matched no known person: listed for review, never created."""

    name: str | None
    email: str | None
    reason: str
    roles: list[str] = field(default_factory=list)  # attendee, organizer
    events: list[str] = field(default_factory=list)  # refs (or titles) of the events they are in

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class IcsImportReport(ImportReport):
    #: Events read from the file (occurrences of recurring events counted one by one).
    events: int = 0
    window: tuple[str, str] | None = None
    unmatched: list[UnmatchedPerson] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {
            "events": self.events,
            "window": list(self.window) if self.window else None,
            "unmatched": [u.as_dict() for u in self.unmatched],
            "notes": list(self.notes),
        }


def import_ics(
    engine: Engine,
    workspace: str,
    path_or_bytes: str | Path | bytes,
    actor: Actor,
    *,
    dry_run: bool = False,
    timezone: str | None = None,
    window: tuple[datetime, datetime] | None = None,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> IcsImportReport:
    """Turn the VEVENTs of an Outlook or Google Calendar export into planned engagements.

    - ref: the UID, slugified (re-importing updates in place); occurrences of a recurring
      event (expanded within ``window``, default the past and next 365 days) get
      "<uid>/<yyyymmddthhmm>"; a UID "<ref>@citydiplomacy" (our own export) gives back the ref;
    - kind from categories or title words (call, visit, reception…), else "meeting";
      channel "video" for Teams/Zoom/Meet links; STATUS:CANCELLED -> status cancelled;
    - times keep their zone (Windows zone names are mapped to IANA); all-day events start
      at 00:00 in ``timezone`` (default: the workspace's);
    - attendees and the organiser are matched to people by e-mail, then by exact name
      (ignoring case and accents). Those who match nobody are listed in ``report.unmatched``.
    - re-importing keeps what was added in the registry (kind, channel, partners, topics,
      outcomes, participants, a "held" status) and refreshes what the calendar knows.
    """
    _require_write(actor)
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data, name = bytes(path_or_bytes), file_name or "calendar.ics"
    else:
        path = Path(path_or_bytes)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InvalidInput([Problem(f"the file cannot be read: {error.strerror}", file=str(path))]) from None
        name = file_name or path.name
    now = datetime.now(UTC)
    window = window or (now - timedelta(days=365), now + timedelta(days=365))
    report = IcsImportReport(
        file=name, format="ics", dry_run=dry_run, window=(window[0].date().isoformat(), window[1].date().isoformat())
    )
    with UnitOfWork(engine, workspace) as uow:
        zone = timezone or uow.workspace.timezone
        try:
            check_timezone(zone)
            read = read_calendar(data, name, default_timezone=zone, window=window)
            problems = read.problems
        except ValueError as error:
            problems = [Problem(str(error), field="timezone")]
        except InvalidInput as error:
            problems = list(error.problems)
        if problems:
            report.problems = problems
            if dry_run:
                return report
            raise InvalidInput(problems)
        report.notes, report.events = list(read.notes), len(read.events)
        with _gc_paused():
            rows = _calendar_rows(uow, read.events, name, actor, report)
            items, problems = validate_rows(rows, name, actor, [], report, progress)
            return apply(uow, items, problems, report, actor, progress=progress)


def _calendar_rows(
    uow: UnitOfWork, events: list[CalendarEvent], file_name: str, actor: Actor, report: IcsImportReport
) -> list[RawRow]:
    repo = uow.records
    matcher = _PeopleMatcher(
        list(repo.iter_all("people", visible=actor.visible)), list(repo.iter_all("posts", visible=actor.visible))
    )
    refs = [_event_ref(event) for event in events]
    index = repo.ref_index("engagements")
    stored = repo.load_many("engagements", [index[r][0] for r in refs if r in index], actor.visible)
    current = {r.ref: r for r in stored.values()}
    unmatched: dict[tuple, UnmatchedPerson] = {}
    rows = []
    for position, (event, ref) in enumerate(zip(events, refs)):
        label = ref or event.summary or f"event on line {event.line}"
        participants = _participants(event, matcher, unmatched, label)
        data = _engagement_data(event, ref, participants, file_name)
        if ref in current:
            data = _merge(current[ref], data, event)
        rows.append(RawRow(plural="engagements", data=data, line=event.line, index=position))
    report.unmatched = list(unmatched.values())
    return rows


def _event_ref(event: CalendarEvent) -> str | None:
    uid = event.uid
    if not uid:
        return None  # derived from date and title, like any record without a ref
    own = uid[: -len(UID_SUFFIX)].lower() if uid.lower().endswith(UID_SUFFIX) else None
    if own and re.fullmatch(REF_PATTERN, own):
        base = own
    else:
        base = slugify(uid, 400)
        if len(base) > 120:  # Outlook UIDs are long hex strings: keep them short and still unique
            base = f"{base[:100].rstrip('-')}-{hashlib.sha1(uid.encode()).hexdigest()[:10]}"
    return f"{base}/{event.occurrence}" if event.occurrence else base


def _engagement_data(event: CalendarEvent, ref: str | None, participants: list[dict], file_name: str) -> dict:
    kind = guess_kind(event)
    channel = guess_channel(event, kind)
    venue = event.location if event.location and not is_url(event.location) else None
    source = f"calendar file {file_name}" + (f", UID {event.uid}" if event.uid else "")
    title = event.summary or "(untitled calendar event)"
    if event.date_precision:  # our own export of a month- or year-only engagement
        title = re.sub(r" \(date not fixed: [^)]*\)$", "", title) or title
    if event.cancelled:  # Outlook prefixes the title of a cancelled meeting
        title = re.sub(r"^(canceled|cancelled)\s*:\s*", "", title, flags=re.IGNORECASE) or title
    data = {
        "ref": ref,
        "title": title[:500],
        "kind": kind.value,
        "channel": channel.value,
        "status": "cancelled" if event.cancelled else "planned",
        "start": event.start,
        "end": None if event.date_precision else event.end,
        "timezone": event.timezone,
        "date_precision": event.date_precision or "day",
        "venue_name": venue[:300] if venue else None,
        "venue_kind": "online" if channel == Channel.video else None,
        "summary": event.description[:20000] if event.description else None,
        "participants": participants,
        "source": source[:2000],
    }
    if event.confidentiality in {c.value for c in Confidentiality}:
        data["confidentiality"] = event.confidentiality
    return {k: v for k, v in data.items() if v is not None}


def _merge(before: Engagement, data: dict, event: CalendarEvent) -> dict:
    """Refresh what the calendar knows; keep what was added in the registry."""
    merged = before.model_dump(mode="json")
    for key in ("title", "start", "end", "timezone", "date_precision"):
        merged[key] = data.get(key)
    for key in ("summary", "venue_name"):
        if data.get(key):
            merged[key] = data[key]
    if event.cancelled:
        merged["status"] = "cancelled"
    elif merged["status"] == "cancelled":
        merged["status"] = "planned"  # the calendar says it is back on
    for key, explicit in (("kind", event.kind), ("channel", event.channel), ("confidentiality", event.confidentiality)):
        if explicit and key in data:
            merged[key] = data[key]
    have = {p["person"] for p in merged["participants"]}
    merged["participants"] += [p for p in data["participants"] if p["person"] not in have]
    return merged


def _norm(name: str) -> str:
    """Case- and accent-insensitive form of a name: 'José  Núñez' -> 'jose nunez'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


class _PeopleMatcher:
    """Finds the one person an attendee is: by e-mail, else by exact name. Never guesses."""

    def __init__(self, people: list[Person], posts: list[Post]):
        self.by_email: dict[str, set[str]] = defaultdict(set)
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for person in people:
            if person.email:
                self.by_email[person.email.strip().lower()].add(person.ref)
            for name in [person.name, *person.other_names]:
                self.by_name[_norm(name)].add(person.ref)
        self.own_posts: dict[str, list[Post]] = defaultdict(list)
        for post in posts:
            if post.own_government:
                self.own_posts[post.person].append(post)

    def match(self, person: CalendarPerson) -> tuple[str | None, str]:
        if person.email:
            hits = self.by_email.get(person.email.lower(), set())
            if len(hits) == 1:
                return next(iter(hits)), ""
            if hits:
                return None, f"{len(hits)} people have this e-mail address; keep it on one person only"
        if person.name:
            hits = self.by_name.get(_norm(person.name), set())
            if len(hits) == 1:
                return next(iter(hits)), ""
            if hits:
                return None, f"{len(hits)} people have this name; add the e-mail address to the right one"
        return None, "no person has this e-mail address or name; add the person (with the e-mail) and import again"

    def side(self, ref: str, on: date) -> str:
        """'ours' if the person holds a post in our own government on that day, else 'theirs'."""
        return "ours" if any(p.held_on(on) for p in self.own_posts.get(ref, [])) else "theirs"


def _participants(
    event: CalendarEvent, matcher: _PeopleMatcher, unmatched: dict[tuple, UnmatchedPerson], label: str
) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    candidates = [(p, "attendee") for p in event.attendees]
    if event.organizer is not None:
        candidates.append((event.organizer, "organizer"))
    for person, role in candidates:
        ref, reason = matcher.match(person)
        if ref is None:
            key = ((person.email or "").lower(), _norm(person.name or ""))
            entry = unmatched.setdefault(key, UnmatchedPerson(person.name, person.email, reason))
            if role not in entry.roles:
                entry.roles.append(role)
            if label not in entry.events:
                entry.events.append(label)
            continue
        if ref in seen:
            continue
        seen.add(ref)
        side = person.side if person.side in ("ours", "theirs") else matcher.side(ref, event.start.date())
        item = {"person": ref, "side": side}
        role_text = person.role or ("organiser" if role == "organizer" else None)
        if role_text:
            item["role"] = role_text[:120]
        out.append(item)
    return out
