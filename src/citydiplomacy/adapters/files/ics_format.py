"""iCalendar (RFC 5545): read VEVENTs exported from Outlook or Google Calendar, write engagements.

Reading turns each VEVENT (and each occurrence of a recurring one, within a window)
into a :class:`CalendarEvent` in plain Python: an aware start in an IANA time zone,
attendees as (e-mail, name) and the words that hint at the kind and channel. Matching
attendees to people and building engagements is the import service's job.

Outlook names its zones the Windows way ("Pacific Standard Time"); they are mapped to
IANA names with the Unicode CLDR table shipped in ``icalendar``. Google writes times in
UTC with an ``X-WR-TIMEZONE``; ``x-wr-timezone`` turns those into local times.
Recurring events are expanded with ``recurring-ical-events``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, available_timezones

import recurring_ical_events
import x_wr_timezone
from icalendar import Calendar, Event, vCalAddress
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from ...domain import Engagement, Problem
from ...domain.vocab import Channel, Confidentiality, EngagementKind, EngagementStatus
from .text import decode_text

__all__ = [
    "UID_SUFFIX",
    "CalendarEvent",
    "CalendarPerson",
    "CalendarRead",
    "guess_channel",
    "guess_kind",
    "iana_zone",
    "read_calendar",
    "write_calendar",
]

#: Exported events get UID "<ref>@citydiplomacy"; importing such a UID gives back the ref.
UID_SUFFIX = "@citydiplomacy"
X_KIND, X_CHANNEL, X_CONFIDENTIALITY = (
    "X-CITYDIPLOMACY-KIND",
    "X-CITYDIPLOMACY-CHANNEL",
    "X-CITYDIPLOMACY-CONFIDENTIALITY",
)
X_SIDE, X_ROLE, X_TIMEZONE = "X-CITYDIPLOMACY-SIDE", "X-CITYDIPLOMACY-ROLE", "X-CITYDIPLOMACY-TIMEZONE"
#: "month" or "year" on an engagement whose day is not known (exported as the whole month or year).
X_PRECISION = "X-CITYDIPLOMACY-DATE-PRECISION"
UTC_NAMES = {"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal"}

VIDEO_HOSTS = (
    "teams.microsoft.com",
    "teams.live.com",
    "zoom.us",
    "zoomgov.com",
    "meet.google.com",
    "webex.com",
    "whereby.com",
    "gotomeeting.com",
    "bluejeans.com",
    "meet.jit.si",
    "chime.aws",
)
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
#: Where Teams and Google Meet start their joining instructions in a description.
_BOILERPLATE = re.compile(r"^(_{20,}|-::~:~::~:~.*)$", re.MULTILINE)


@dataclass
class CalendarPerson:
    email: str | None
    name: str | None
    side: str | None = None
    role: str | None = None

    def label(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email or "(no name)"


@dataclass
class CalendarEvent:
    uid: str | None
    line: int | None
    summary: str | None
    start: datetime
    end: datetime | None
    timezone: str
    all_day: bool
    location: str | None = None
    description: str | None = None
    cancelled: bool = False
    categories: list[str] = field(default_factory=list)
    attendees: list[CalendarPerson] = field(default_factory=list)
    organizer: CalendarPerson | None = None
    urls: list[str] = field(default_factory=list)
    confidentiality: str | None = None
    #: For an occurrence of a recurring event: its original start, e.g. "20250310t1000".
    occurrence: str | None = None
    kind: str | None = None
    channel: str | None = None
    #: "month" or "year" when our own export said only that much of the date is known.
    date_precision: str | None = None


@dataclass
class CalendarRead:
    events: list[CalendarEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------


def read_calendar(
    data: bytes | str, file_name: str, *, default_timezone: str, window: tuple[datetime, datetime]
) -> CalendarRead:
    """Events of an .ics file. Occurrences of recurring events are expanded within ``window``."""
    result = CalendarRead()
    text = decode_text(data, file_name)
    if not text.strip():
        result.problems.append(Problem("the file is empty; export the calendar as an .ics file", file=file_name))
        return result
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        result.problems.append(
            Problem(
                "the file is not iCalendar: it should begin with BEGIN:VCALENDAR (export the calendar as .ics from "
                "Outlook or Google Calendar)",
                file=file_name,
                line=1,
            )
        )
        return result
    try:
        calendar = Calendar.from_ical(text)
        calendar = x_wr_timezone.to_standard(calendar)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        detail = str(error).split("\n")[0][:200]
        result.problems.append(Problem(f"the iCalendar file cannot be read: {detail}", file=file_name))
        return result
    lines = _event_lines(text)
    masters = list(calendar.walk("VEVENT"))
    recurring = {str(e.get("UID", "")) for e in masters if "RRULE" in e or "RDATE" in e}
    for component in masters:
        if str(component.get("UID", "")) in recurring:
            continue
        _add(result, component, file_name, lines, default_timezone, occurrence=_occurrence_key(component))
    if recurring:
        too_often = [
            component
            for component in masters
            if str(component.get("UID", "")) in recurring and _frequency(component) in SUB_DAILY
        ]
        for component in too_often:
            result.problems.append(
                Problem(
                    f"the recurring event '{component.get('SUMMARY', '')}' repeats "
                    f"{_frequency(component).lower()}; events of an office's calendar repeat at most daily, so it "
                    "is not expanded (change its recurrence, or export it without it)",
                    file=file_name,
                    line=lines.get(str(component.get("UID", ""))),
                    field="RRULE",
                )
            )
        if too_often:
            return result
        counts: dict[str, int] = {}
        end = window[1] if window[1].tzinfo else window[1].replace(tzinfo=ZoneInfo("UTC"))
        for component in recurring_ical_events.of(calendar).after(window[0]):
            start = component.get("DTSTART").dt
            if not isinstance(start, datetime):  # an all-day event: its day, at the window's zone
                start = datetime.combine(start, time(), end.tzinfo)
            elif start.tzinfo is None:
                start = start.replace(tzinfo=end.tzinfo)
            if start > end:
                break
            uid = str(component.get("UID", ""))
            if uid in recurring:
                counts[uid] = counts.get(uid, 0) + 1
                if counts[uid] > MAX_OCCURRENCES:
                    result.problems.append(
                        Problem(
                            f"the recurring event '{component.get('SUMMARY', '')}' has more than {MAX_OCCURRENCES} "
                            f"occurrences between {window[0].date()} and {window[1].date()}; at most "
                            f"{MAX_OCCURRENCES} are imported per event: import a shorter window",
                            file=file_name,
                            line=lines.get(uid),
                            field="RRULE",
                        )
                    )
                    return result
                _add(
                    result,
                    component,
                    file_name,
                    lines,
                    default_timezone,
                    occurrence=_occurrence_key(component) or _key(component.get("DTSTART").dt),
                )
        for component in masters:
            uid = str(component.get("UID", ""))
            if uid in recurring and "RECURRENCE-ID" not in component:
                result.notes.append(
                    f"recurring event '{component.get('SUMMARY', '')}' (line {lines.get(uid)}): "
                    f"{counts.get(uid, 0)} occurrence(s) between {window[0].date()} and {window[1].date()} imported"
                )
    return result


#: Recurrences finer than a day are refused before any expansion (a 176-byte file could ask
#: for millions of occurrences); a recurring event yields at most MAX_OCCURRENCES in the window.
SUB_DAILY = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
MAX_OCCURRENCES = 800


def _frequency(component) -> str:
    rules = component.get("RRULE")
    rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
    found = [str(f).upper() for rule in rules for f in (rule.get("FREQ") or [])]
    return next((f for f in found if f in SUB_DAILY), found[0] if found else "")


def _add(result: CalendarRead, component, file_name, lines, default_timezone, occurrence):
    uid = str(component.get("UID", "")).strip() or None
    line = lines.get(uid) if uid else None
    broken = getattr(component, "errors", [])
    if broken:
        for name, message in broken:
            result.problems.append(
                Problem(f"the event's {name} cannot be read: {message}", file=file_name, line=line, field=name)
            )
        return
    try:
        event = _event(component, uid, line, default_timezone, occurrence, result.notes)
    except _Unreadable as error:
        result.problems.append(Problem(str(error), file=file_name, line=line, field=error.field))
        return
    result.events.append(event)


class _Unreadable(ValueError):
    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _event(component, uid, line, default_timezone, occurrence, notes) -> CalendarEvent:
    summary = _text(component.get("SUMMARY"))
    zone_hint = _text(component.get(X_TIMEZONE))  # our own exports say where an all-day event is
    if zone_hint in _zones():
        default_timezone = zone_hint
    if component.get("DTSTART") is None:
        raise _Unreadable(f"the event '{summary or uid}' has no start (DTSTART)", "DTSTART")
    start, zone, all_day = _moment(component.get("DTSTART"), default_timezone, notes, summary)
    end = None
    if component.get("DTEND") is not None:
        end_value = component.get("DTEND").dt
        if all_day:
            if isinstance(end_value, date) and end_value - start.date() > timedelta(days=1):
                end = datetime.combine(end_value, time(), ZoneInfo(zone))
        else:
            end = _moment(component.get("DTEND"), zone, notes, summary)[0]
    elif component.get("DURATION") is not None and not all_day:
        end = start + component.get("DURATION").dt
    description = _text(component.get("DESCRIPTION"))
    location = _text(component.get("LOCATION"))
    url_sources = [
        location,
        description,
        _text(component.get("URL")),
        _text(component.get("CONFERENCE")),
        _text(component.get("X-GOOGLE-CONFERENCE")),
        _text(component.get("X-MICROSOFT-SKYPETEAMSMEETINGURL")),
        _text(component.get("X-MICROSOFT-ONLINEMEETINGCONFLINK")),
    ]
    urls = [u.rstrip(".,;)>") for source in url_sources if source for u in _URL.findall(source)]
    if description:
        description = _BOILERPLATE.split(description, maxsplit=1)[0].strip() or None
    classification = str(component.get("CLASS", "")).upper()
    explicit_confidentiality = _text(component.get(X_CONFIDENTIALITY))
    confidentiality = explicit_confidentiality or (
        Confidentiality.confidential.value if classification in ("PRIVATE", "CONFIDENTIAL") else None
    )
    organizer = component.get("ORGANIZER")
    return CalendarEvent(
        uid=uid,
        line=line,
        summary=summary,
        start=start,
        end=end,
        timezone=zone,
        all_day=all_day,
        location=location,
        description=description,
        cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
        categories=_categories(component),
        attendees=[p for p in map(_person, _many(component.get("ATTENDEE"))) if p],
        organizer=_person(organizer) if organizer is not None else None,
        urls=urls,
        confidentiality=confidentiality,
        occurrence=occurrence,
        kind=_text(component.get(X_KIND)),
        channel=_text(component.get(X_CHANNEL)),
        date_precision=precision if (precision := _text(component.get(X_PRECISION))) in ("month", "year") else None,
    )


def _moment(prop, default_timezone: str, notes: list[str], summary) -> tuple[datetime, str, bool]:
    """(aware start, IANA zone, all day) for a DTSTART/DTEND property."""
    value = prop.dt
    if not isinstance(value, datetime):  # a DATE: an all-day event, midnight where we are
        return datetime.combine(value, time(), ZoneInfo(default_timezone)), default_timezone, True
    tzid = prop.params.get("TZID")
    name = iana_zone(str(tzid) if tzid else None, value)
    if name:
        wall = value.replace(tzinfo=None) if tzid else value.astimezone(ZoneInfo(name)).replace(tzinfo=None)
        return wall.replace(tzinfo=ZoneInfo(name)), name, False
    if value.tzinfo is None:  # a "floating" time: read it where we are
        return value.replace(tzinfo=ZoneInfo(default_timezone)), default_timezone, False
    if tzid and not _is_utc_name(str(tzid)):
        note = (
            f"event '{summary}': time zone '{tzid}' is neither an IANA nor a Windows zone name; its time was "
            f"converted with the file's VTIMEZONE rules and is shown in {default_timezone}"
        )
        if note not in notes:
            notes.append(note)
    return value.astimezone(ZoneInfo(default_timezone)), default_timezone, False


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _is_utc_name(name: str) -> bool:
    return name.strip().strip('"') in UTC_NAMES or WINDOWS_TO_OLSON.get(name.strip().strip('"')) in UTC_NAMES


def iana_zone(tzid: str | None, value: datetime | None = None) -> str | None:
    """The IANA name for a TZID ("Pacific Standard Time" -> "America/Los_Angeles"), or None for UTC or unknown."""
    candidates: list[str | None] = []
    if tzid:
        name = tzid.strip().strip('"')
        parts = name.split("/")
        candidates += [name, WINDOWS_TO_OLSON.get(name), "/".join(parts[-2:]), "/".join(parts[-3:])]
    elif value is not None:
        candidates.append(getattr(value.tzinfo, "key", None))
    for candidate in candidates:
        if candidate and candidate in _zones():
            return None if candidate in UTC_NAMES else candidate
    return None


def _occurrence_key(component) -> str | None:
    recurrence = component.get("RECURRENCE-ID")
    return _key(recurrence.dt) if recurrence is not None else None


def _key(moment: date | datetime) -> str:
    if isinstance(moment, datetime):
        return moment.strftime("%Y%m%dt%H%M")
    return moment.strftime("%Y%m%d")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


def _many(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _categories(component) -> list[str]:
    out: list[str] = []
    for prop in _many(component.get("CATEGORIES")):
        out.extend(str(c).strip() for c in getattr(prop, "cats", [prop]) if str(c).strip())
    return out


def _person(prop) -> CalendarPerson | None:
    if str(prop.params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE"):
        return None  # meeting rooms and equipment are not people
    address = str(prop).strip()
    email = address[7:] if address.lower().startswith("mailto:") else (address if "@" in address else None)
    name = prop.params.get("CN")
    name = str(name).strip().strip('"') if name else None
    if name and email and name.lower() == email.lower():
        name = None  # Google repeats the address as the name
    side = prop.params.get(X_SIDE)
    role = prop.params.get(X_ROLE)
    return CalendarPerson(
        email=email.strip() if email else None,
        name=name or None,
        side=str(side).lower() if side else None,
        role=str(role) if role else None,
    )


def _event_lines(text: str) -> dict[str, int]:
    """UID -> line of its BEGIN:VEVENT (folded lines unfolded)."""
    logical: list[list] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and logical:
            logical[-1][1] += raw[1:]
        else:
            logical.append([number, raw])
    out: dict[str, int] = {}
    begin = None
    for number, content in logical:
        upper = content.upper()
        if upper.strip() == "BEGIN:VEVENT":
            begin = number
        elif begin is not None and upper.startswith(("UID:", "UID;")):
            out.setdefault(content.split(":", 1)[1].strip(), begin)
        elif upper.strip() == "END:VEVENT":
            begin = None
    return out


# -- guessing kind and channel -----------------------------------------------------------

_KIND_RULES: tuple[tuple[re.Pattern, EngagementKind], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"\bcourtesy call\b", EngagementKind.meeting),  # a diplomatic visit in person, not a phone call
        (r"\btrade mission\b", EngagementKind.trade_mission),
        (r"\b(call|phone|teleconference)\b", EngagementKind.call),
        (r"\breception\b", EngagementKind.reception),
        (r"\bsigning\b", EngagementKind.signing),
        (r"\b(conference|summit|forum|symposium)\b", EngagementKind.conference),
        (r"\b(visit|trip|travel|delegation|mission) to\b", EngagementKind.outbound_visit),
        (r"\b(visit|visiting|delegation|study tour)\b", EngagementKind.inbound_visit),
        (r"\b(ceremony|festival|gala|celebration|parade|dinner|luncheon|event)\b", EngagementKind.event),
    )
)


def guess_kind(event: CalendarEvent) -> EngagementKind:
    """An explicit kind, then a category naming a kind, then words in the title; else a meeting."""
    values = {k.value for k in EngagementKind}
    for candidate in [event.kind, *event.categories]:
        normal = (candidate or "").strip().lower().replace(" ", "_").replace("-", "_")
        if normal in values:
            return EngagementKind(normal)
    text = " ".join([event.summary or "", *event.categories])
    for pattern, kind in _KIND_RULES:
        if pattern.search(text):
            return kind
    return EngagementKind.meeting


def guess_channel(event: CalendarEvent, kind: EngagementKind) -> Channel:
    """An explicit channel, then a video-meeting link (Teams, Zoom, Meet…), then the kind."""
    if event.channel and event.channel in {c.value for c in Channel}:
        return Channel(event.channel)
    if any(host in url.lower() for url in event.urls for host in VIDEO_HOSTS):
        return Channel.video
    if kind == EngagementKind.call:
        return Channel.phone
    return Channel.in_person


def is_url(text: str | None) -> bool:
    return bool(text) and bool(_URL.fullmatch(text.strip()))


# -- writing ---------------------------------------------------------------------------


def write_calendar(
    engagements: Iterable[Engagement], contacts: dict[str, tuple[str, str | None]], out: BinaryIO, *, now: datetime
) -> int:
    """Write engagements as VEVENTs; ``contacts`` maps person ref -> (name, e-mail)."""
    calendar = Calendar()
    calendar.add("prodid", "-//citydiplomacy//engagements//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    count = 0
    for engagement in engagements:
        calendar.add_component(_vevent(engagement, contacts, now))
        count += 1
    calendar.add_missing_timezones()
    out.write(calendar.to_ical())
    return count


def _vevent(engagement: Engagement, contacts, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"{engagement.ref}{UID_SUFFIX}")
    event.add("dtstamp", now)
    event.add("summary", engagement.title)
    start, end = engagement.start, engagement.end
    all_day = start.time() == time() and (end is None or end.time() == time())
    precision = str(engagement.date_precision)
    if precision in ("month", "year"):
        # Only the month or year is known: the event spans all of it, and says so; no day is invented.
        first = start.date()
        following = (
            date(first.year + 1, 1, 1)
            if precision == "year" or first.month == 12
            else date(first.year, first.month + 1, 1)
        )
        known = f"{first.year}" if precision == "year" else f"{first:%B %Y}"
        event["summary"] = f"{engagement.title} (date not fixed: {known})"
        event.add("dtstart", first)
        event.add("dtend", following)
        event.add("transp", "TRANSPARENT")  # a span of a month is not busy time
        event.add(X_TIMEZONE, engagement.timezone)
        event.add(X_PRECISION, precision)
    elif all_day:
        event.add("dtstart", start.date())
        event.add(X_TIMEZONE, engagement.timezone)
        event.add("dtend", end.date() if end and end.date() > start.date() else start.date() + timedelta(days=1))
    else:
        event.add("dtstart", start)
        if end is not None:
            event.add("dtend", end)
    if engagement.venue_name:
        event.add("location", engagement.venue_name)
    if engagement.summary:
        event.add("description", engagement.summary)
    event.add("status", "CANCELLED" if engagement.status == EngagementStatus.cancelled else "CONFIRMED")
    if engagement.confidentiality == Confidentiality.confidential:
        event.add("class", "CONFIDENTIAL")
    event.add("categories", [engagement.kind.value])
    event.add(X_KIND, engagement.kind.value)
    event.add(X_CHANNEL, engagement.channel.value)
    event.add(X_CONFIDENTIALITY, engagement.confidentiality.value)
    for participant in engagement.participants:
        name, email = contacts.get(participant.person, (None, None))
        if not email:
            continue
        address = vCalAddress(f"mailto:{email}")
        if name:
            address.params["CN"] = name
        address.params[X_SIDE] = participant.side.value
        if participant.role:
            address.params[X_ROLE] = participant.role
        event.add("attendee", address, encode=0)
    return event
