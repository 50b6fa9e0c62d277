"""Calendar files: Outlook and Google exports become planned engagements; our export reads back."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from citydiplomacy.adapters.files.ics_format import read_calendar
from citydiplomacy.domain import InvalidInput
from citydiplomacy.services.exports import export_ics
from citydiplomacy.services.imports import import_data, import_file, import_ics
from citydiplomacy.services.registry import ListQuery, create_workspace, get_record, list_records, update_record

from ..fixtures.database import unique
from .import_helpers import DATA, SAMPLE_WORKSPACE, audit_rows, counts

WINDOW = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
LA, TOKYO = ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Tokyo")


@pytest.fixture
def stocked(engine, workspace, actor):
    """The sample people (María López holds a post in our own government)."""
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    return workspace


def engagements(engine, workspace, actor) -> dict:
    page = list_records(engine, workspace, "engagements", ListQuery(per_page=500), actor)
    return {e.ref: e for e in page.items}


def by_title(found: dict, title: str) -> list:
    return sorted((e for e in found.values() if e.title == title), key=lambda e: e.start)


def test_an_outlook_calendar_becomes_planned_engagements(engine, stocked, actor):
    before = engagements(engine, stocked, actor)

    report = import_ics(engine, stocked, DATA / "outlook.ics", actor, window=WINDOW)

    assert report.ok and report.events == 8 and report.counts["engagements"].inserted == 8
    found = {ref: e for ref, e in engagements(engine, stocked, actor).items() if ref not in before}
    (call,) = by_title(found, "Courtesy call: Consul General of Japan")
    assert (call.kind.value, call.channel.value, call.status.value) == ("meeting", "in_person", "planned")
    assert call.timezone == "America/Los_Angeles"  # Windows "Pacific Standard Time"
    assert call.start == datetime(2025, 2, 10, 10, 0, tzinfo=LA) and call.end == datetime(2025, 2, 10, 11, 0, tzinfo=LA)
    assert call.venue_name == "City Hall, Room 303"
    assert call.summary == "Courtesy call on the Deputy Mayor.\nTopics: LA28, trade."
    assert [(p.person, p.side.value, p.role) for p in call.participants] == [
        ("yuki-tanaka", "theirs", None),
        ("maria-lopez", "ours", "organiser"),
    ]
    assert call.ref.startswith("040000008200e00074c5b7101a82e008") and len(call.ref) <= 120
    assert "outlook.ics" in call.source

    tokyo = by_title(found, "Tokyo coordination call")  # monthly, six times, one exception
    assert [e.start for e in tokyo] == [datetime(2025, m, 5, 9, 0, tzinfo=TOKYO) for m in (2, 3, 5, 6, 7)]
    assert {(e.kind.value, e.channel.value, e.venue_kind.value, e.timezone) for e in tokyo} == {
        ("call", "video", "online", "Asia/Tokyo")
    }  # Windows "Tokyo Standard Time"; a Teams link
    assert tokyo[0].summary == "Monthly check-in with Tokyo and São Paulo."  # Teams joining text left out
    assert tokyo[0].ref.endswith("/20250205t0900")
    # matched by name, ignoring accents and case ("Joao Silva", "yuki  tanaka"); the organiser too
    assert [p.person for p in tokyo[0].participants] == ["joao-silva", "yuki-tanaka", "maria-lopez"]

    (reception,) = by_title(found, "Sister city anniversary reception - São Paulo")
    assert reception.kind.value == "reception"
    assert reception.start == datetime(2025, 3, 12, 0, 0, tzinfo=LA) and reception.end is None  # all day
    assert reception.date_precision.value == "day"

    (visit,) = by_title(found, "Delegation visit from Seoul Metropolitan Government")  # "Canceled: " dropped
    assert (visit.kind.value, visit.status.value, visit.confidentiality.value) == (
        "inbound_visit",
        "cancelled",
        "confidential",
    )  # CLASS:PRIVATE

    assert [(u.name, u.email, u.roles, len(u.events)) for u in report.unmatched] == [
        ("Kenji Watanabe", "kenji.watanabe@la.mofa.go.jp", ["attendee"], 1)
    ]
    assert "no person" in report.unmatched[0].reason
    assert any("5 occurrence(s)" in note for note in report.notes)
    assert {e.interface for e in audit_rows(engine, stocked)[-8:]} == {"import"}


def test_a_google_calendar_with_utc_times_meet_links_and_a_cancelled_occurrence(engine, stocked, actor):
    report = import_ics(engine, stocked, DATA / "google.ics", actor, window=WINDOW)

    assert report.ok and report.counts["engagements"].inserted == 7
    found = engagements(engine, stocked, actor)
    berlin = found["1a2b3c4d5e6f7g8h9i0jklmnop-google-com"]
    assert berlin.start == datetime(2025, 3, 3, 9, 0, tzinfo=LA)  # 17:00 UTC shown in X-WR-TIMEZONE
    assert berlin.timezone == "America/Los_Angeles"
    assert (berlin.kind.value, berlin.channel.value) == ("meeting", "video")
    assert berlin.summary == "Intro with Berlin on the climate partnership."
    assert [(p.person, p.side.value) for p in berlin.participants] == [("maria-lopez", "ours")]
    paris = found["5q6r7s8t9u0v1w2x3y4z-google-com"]
    assert paris.timezone == "Europe/Paris" and paris.start.hour == 10 and paris.kind.value == "conference"
    vietnam = found["tradevn2025-google-com"]
    assert vietnam.kind.value == "trade_mission"
    assert (vietnam.start, vietnam.end) == (datetime(2025, 6, 10, tzinfo=LA), datetime(2025, 6, 14, tzinfo=LA))
    weekly = by_title(found, "Consular corps phone call")
    assert [(e.start.day, e.status.value) for e in weekly] == [
        (6, "planned"),
        (13, "planned"),
        (20, "cancelled"),
        (27, "planned"),
    ]
    assert {(e.kind.value, e.channel.value) for e in weekly} == {("call", "phone")}
    assert [(u.name, u.email) for u in report.unmatched] == [("Anna Schmidt", "anna.schmidt@berlin.de")]


def test_reimporting_a_calendar_changes_nothing_and_keeps_what_staff_added(engine, stocked, actor):
    first = import_ics(engine, stocked, DATA / "outlook.ics", actor, window=WINDOW)
    call_ref = next(r.ref for r in first.rows if r.ref.startswith("040000008200e00074c5b7101a82e00800000000d0a5"))
    before = counts(engine, stocked)

    again = import_ics(engine, stocked, DATA / "outlook.ics", actor, window=WINDOW)

    assert again.counts["engagements"].unchanged == 8 and again.total("inserted") == again.total("updated") == 0
    assert counts(engine, stocked)["audit_log"] == before["audit_log"]

    update_record(
        engine,
        stocked,
        "engagements",
        call_ref,
        {
            "status": "held",
            "kind": "signing",
            "topics": ["trade"],
            "outcomes": "Signed the LOI.",
            "partners": ["consulate-japan-la"],
        },
        actor,
    )
    moved = (DATA / "outlook.ics").read_bytes().replace(b"20250210T100000", b"20250210T093000")

    third = import_ics(engine, stocked, moved, actor, window=WINDOW, file_name="outlook.ics")

    assert third.counts["engagements"].updated == 1 and third.counts["engagements"].unchanged == 7
    call = get_record(engine, stocked, "engagements", call_ref, actor)
    assert call.start == datetime(2025, 2, 10, 9, 30, tzinfo=LA)  # the calendar knows the time
    assert (call.status.value, call.kind.value, call.topics, call.outcomes, call.partners) == (
        "held",
        "signing",
        ["trade"],
        "Signed the LOI.",
        ["consulate-japan-la"],
    )  # staff know the rest


def test_a_dry_run_previews_a_calendar_and_writes_nothing(engine, stocked, actor):
    before = counts(engine, stocked)

    report = import_data(engine, stocked, (DATA / "google.ics").read_bytes(), "google.ics", actor, dry_run=True)

    # the 2025 weekly call is outside the default window (the past and next 365 days), and says so
    assert report.dry_run and report.counts["engagements"].inserted == 3 and report.unmatched
    assert any("0 occurrence(s)" in note for note in report.notes)
    assert counts(engine, stocked) == before


def test_attendees_are_matched_only_when_exactly_one_person_fits(engine, stocked, actor):
    import_data(engine, stocked, '[{"ref": "yuki-tanaka-2", "name": "Yuki TANAKA"}]', "people.json", actor)
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:ambiguous-1\r\nSUMMARY:Lunch\r\n"
        "DTSTART:20250301T200000Z\r\n"
        'ATTENDEE;CN="Yuki Tanaka":mailto:someone@else.example\r\n'
        'ATTENDEE;CN="Yuki Tanak":mailto:other@else.example\r\n'
        'ATTENDEE;CN="Yuki Tanaka":mailto:yuki.tanaka@la.mofa.go.jp\r\n'
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    people_before = counts(engine, stocked)["people"]

    report = import_ics(engine, stocked, calendar.encode(), actor, file_name="lunch.ics", window=WINDOW)

    lunch = get_record(engine, stocked, "engagements", "ambiguous-1", actor)
    assert [p.person for p in lunch.participants] == ["yuki-tanaka"]  # the e-mail decides
    reasons = {u.email: u.reason for u in report.unmatched}
    assert "2 people have this name" in reasons["someone@else.example"]  # never guessed
    assert "no person" in reasons["other@else.example"]  # no fuzzy matching
    assert counts(engine, stocked)["people"] == people_before  # never created
    assert lunch.start == datetime(2025, 3, 1, 12, 0, tzinfo=LA)  # UTC shown in the workspace's zone


def test_recurring_events_are_expanded_over_the_past_and_next_year_by_default(engine, stocked, actor):
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:standing-call\r\nSUMMARY:Standing call\r\n"
        "DTSTART;TZID=America/Los_Angeles:20200106T080000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    report = import_ics(engine, stocked, calendar.encode(), actor, file_name="standing.ics")

    today = datetime.now(UTC).date()
    assert report.window == ((today - timedelta(days=365)).isoformat(), (today + timedelta(days=365)).isoformat())
    starts = sorted(e.start.date() for e in engagements(engine, stocked, actor).values() if e.title == "Standing call")
    assert 103 <= len(starts) <= 106 and all(d.weekday() == 0 for d in starts)
    assert today - timedelta(days=366) <= starts[0] and starts[-1] <= today + timedelta(days=366)


def test_exported_calendar_reads_back_as_the_same_engagements(engine, stocked, actor):
    import_ics(engine, stocked, DATA / "outlook.ics", actor, window=WINDOW)
    import_ics(engine, stocked, DATA / "google.ics", actor, window=WINDOW)
    out = io.BytesIO()

    written = export_ics(engine, stocked, out, actor, include=("planned", "cancelled"))

    original = {r: e for r, e in engagements(engine, stocked, actor).items() if e.status.value != "held"}
    assert written == len(original) == 17  # 15 from the calendars, 2 planned in the sample workspace
    text = out.getvalue().decode()
    assert "UID:2031-06-01-planned-call@citydiplomacy" in text
    assert "DTSTART;TZID=America/Sao_Paulo:20310601T083000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Asia/Tokyo" in text

    copy = unique("ws")
    create_workspace(
        engine, {"slug": copy, "name": copy, "country_code": "US", "timezone": "America/Los_Angeles"}, actor
    )
    import_data(
        engine,
        copy,
        SAMPLE_WORKSPACE.read_text().split('"engagements"')[0].rstrip().rstrip(",") + "}",
        "people.json",
        actor,
    )
    report = import_ics(engine, copy, out.getvalue(), actor, file_name="export.ics")
    assert report.counts["engagements"].inserted == 17 and not report.unmatched

    copied = engagements(engine, copy, actor)
    assert set(copied) == set(original)
    fields = (
        "title",
        "kind",
        "channel",
        "status",
        "start",
        "end",
        "timezone",
        "venue_name",
        "summary",
        "confidentiality",
    )
    for ref, engagement in original.items():
        back = copied[ref]
        assert {f: getattr(back, f) for f in fields} == {f: getattr(engagement, f) for f in fields}, ref
        with_email = [p for p in engagement.participants if p.person != "joao-silva"]  # João has no e-mail
        assert [(p.person, p.side, p.role) for p in back.participants] == [
            (p.person, p.side, p.role) for p in with_email
        ]


def test_an_ics_event_in_a_zone_nobody_knows_is_converted_with_its_vtimezone(engine, stocked, actor):
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\n"
        "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:custom-zone\r\nSUMMARY:Call with Mumbai\r\n"
        'DTSTART;TZID="Customized Time Zone":20250303T193000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'
    )

    report = import_ics(engine, stocked, calendar.encode(), actor, file_name="custom.ics", window=WINDOW)

    event = get_record(engine, stocked, "engagements", "custom-zone", actor)
    assert event.start == datetime(2025, 3, 3, 6, 0, tzinfo=LA)  # 19:30 +05:30 = 14:00 UTC
    assert any("Customized Time Zone" in note for note in report.notes)


def test_reading_a_calendar_needs_no_database():
    read = read_calendar((DATA / "outlook.ics").read_bytes(), "outlook.ics", default_timezone="UTC", window=WINDOW)

    assert len(read.events) == 8 and not read.problems
    assert {e.start.date() for e in read.events if e.all_day} == {date(2025, 3, 12)}


SECONDLY = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
BEGIN:VEVENT\r
UID:boom@example\r
DTSTART:20250101T000000Z\r
RRULE:FREQ=SECONDLY\r
SUMMARY:boom\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_an_event_repeating_every_second_is_refused_before_any_expansion(engine, workspace, actor):
    """176 bytes that ask for 31 million occurrences a year: refused, naming the event and its
    line, without expanding it (so the refusal is immediate and memory stays flat)."""
    from citydiplomacy.adapters.files import ics_format

    expanded = []
    original = ics_format.recurring_ical_events.of

    def spy(calendar):
        expanded.append(calendar)
        return original(calendar)

    ics_format.recurring_ical_events.of = spy
    try:
        preview = import_ics(engine, workspace, SECONDLY, actor, dry_run=True, file_name="boom.ics")
        with pytest.raises(InvalidInput) as refused:
            import_ics(engine, workspace, SECONDLY, actor, file_name="boom.ics")
    finally:
        ics_format.recurring_ical_events.of = original
    (problem,) = refused.value.problems
    assert preview.problems == [problem]
    assert "repeats secondly" in problem.message and problem.line == 3 and problem.file == "boom.ics"
    assert expanded == [], "nothing was expanded"


def test_a_daily_event_beyond_the_occurrence_limit_is_refused_with_the_window_and_the_count(engine, workspace, actor):
    from citydiplomacy.adapters.files.ics_format import MAX_OCCURRENCES

    daily = SECONDLY.replace(b"FREQ=SECONDLY", b"FREQ=DAILY").replace(b"boom", b"stand-up")
    window = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    (problem,) = import_ics(
        engine, workspace, daily, actor, dry_run=True, window=window, file_name="daily.ics"
    ).problems
    assert f"more than {MAX_OCCURRENCES} occurrences between 2025-01-01 and 2028-01-01" in problem.message
    short = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 31, tzinfo=UTC))
    report = import_ics(engine, workspace, daily, actor, dry_run=True, window=short, file_name="daily.ics")
    assert report.events == 31
