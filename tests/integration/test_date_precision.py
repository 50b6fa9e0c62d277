"""Dates keep their precision: a delegation expected "in January 2027" and a sister-city tie
signed "in 1959" are shown and exchanged as "2027-01" and "1959" in the API's JSON, the CLI,
CSV and JSON exports and the calendar feed; no interface invents a day or a time."""

from __future__ import annotations

import io
import json

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from citydiplomacy.cli.main import app
from citydiplomacy.domain import Engagement
from citydiplomacy.services import exports, imports, registry

DELEGATION = {
    "ref": "2027-01-busan-delegation",
    "title": "Busan delegation visit",
    "kind": "inbound_visit",
    "start": "2027-01",
    "timezone": "America/Los_Angeles",
}
NAGOYA = {
    "ref": "sister-city-nagoya",
    "title": "Sister city: Los Angeles – Nagoya",
    "kind": "sister_city",
    "status": "in_force",
    "signed_on": "1959",
    "parties": [{"us": True}],
}


@pytest.fixture
def partly_dated(engine, workspace, actor) -> str:
    registry.save_record(engine, workspace, "engagements", DELEGATION, actor)
    registry.save_record(engine, workspace, "agreements", NAGOYA, actor)
    return workspace


def test_a_month_only_start_is_stored_with_its_precision_and_read_back_as_the_month(engine, partly_dated, actor):
    visit = registry.get_record(engine, partly_dated, "engagements", DELEGATION["ref"], actor)
    assert visit.date_precision == "month"
    assert visit.model_dump(mode="json")["start"] == "2027-01"
    nagoya = registry.get_record(engine, partly_dated, "agreements", NAGOYA["ref"], actor)
    assert nagoya.date_precision == "year" and nagoya.model_dump(mode="json")["signed_on"] == "1959"


def test_a_day_and_time_given_with_month_precision_are_not_kept_as_if_known():
    visit = Engagement.model_validate(DELEGATION | {"start": "2027-01-14T09:00", "date_precision": "month"})
    assert visit.model_dump(mode="json")["start"] == "2027-01"
    assert (visit.start.day, visit.start.hour) == (1, 0)


def test_a_partial_date_that_contradicts_the_precision_is_refused():
    with pytest.raises(ValueError, match="gives only a month, but date_precision is 'day'"):
        Engagement.model_validate(DELEGATION | {"date_precision": "day"})


def test_the_cli_prints_the_month_not_an_invented_day_and_time(database_url, partly_dated):
    result = CliRunner().invoke(
        app, ["list", "engagements", "-w", partly_dated, "--database", database_url], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "2027-01" in result.output
    assert "2027-01-01" not in result.output and "09:00" not in result.output
    shown = CliRunner().invoke(
        app, ["show", "agreements", NAGOYA["ref"], "-w", partly_dated, "--database", database_url, "--format", "json"]
    )
    assert json.loads(shown.output)["signed_on"] == "1959"


def test_exports_carry_the_known_part_and_import_back_unchanged(engine, partly_dated, actor):
    out = io.StringIO()
    exports.export_records(engine, partly_dated, "engagements", "csv", out, actor)
    assert ",2027-01," in out.getvalue() and "2027-01-01" not in out.getvalue()
    whole = io.StringIO()
    exports.export_workspace(engine, partly_dated, whole, actor)
    data = json.loads(whole.getvalue())
    assert [e["start"] for e in data["engagements"]] == ["2027-01"]
    assert [a["signed_on"] for a in data["agreements"]] == ["1959"]
    report = imports.import_data(engine, partly_dated, whole.getvalue(), "export.json", actor)
    assert report.total("updated") == 0 and report.total("unchanged") >= 2


def test_the_calendar_spans_the_known_month_and_says_the_day_is_not_fixed(engine, partly_dated, actor):
    feed = io.BytesIO()
    exports.export_ics(engine, partly_dated, feed, actor)
    (event,) = Calendar.from_ical(feed.getvalue()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Busan delegation visit (date not fixed: January 2027)"
    assert event["DTSTART"].to_ical() == b"20270101" and event["DTEND"].to_ical() == b"20270201"
    report = imports.import_ics(engine, partly_dated, feed.getvalue(), actor)
    assert not report.problems
    visit = registry.get_record(engine, partly_dated, "engagements", DELEGATION["ref"], actor)
    assert visit.title == "Busan delegation visit" and visit.date_precision == "month" and visit.end is None


def test_the_api_answers_with_the_known_part(client, workspace):
    created = client.post(f"/api/workspaces/{workspace}/engagements", json=DELEGATION)
    assert created.status_code == 201, created.json()
    body = client.get(f"/api/workspaces/{workspace}/engagements/{DELEGATION['ref']}").json()
    assert body["start"] == "2027-01" and body["date_precision"] == "month"
    refused = client.post(
        f"/api/workspaces/{workspace}/engagements", json=DELEGATION | {"ref": "x", "date_precision": "year"}
    )
    assert refused.status_code == 422
