"""The dashboard: what is coming up, what is overdue, what expires, what changed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

LA = ZoneInfo("America/Los_Angeles")


def today():
    return datetime.now(LA).date()


def add(client, ws, plural, body):
    response = client.post(f"/api/workspaces/{ws}/{plural}", json=body)
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_dashboard_shows_the_next_30_days_overdue_follow_ups_and_expiring_agreements(client, workspace):
    soon = today() + timedelta(days=3)
    later = today() + timedelta(days=45)
    add(
        client,
        workspace,
        "partners",
        {"ref": "consulate-japan", "name": "Consulate General of Japan", "kind": "consulate", "country_code": "JP"},
    )
    add(
        client,
        workspace,
        "engagements",
        {
            "title": "Courtesy call",
            "kind": "meeting",
            "start": f"{soon}T10:00:00",
            "timezone": "America/Los_Angeles",
            "partners": ["consulate-japan"],
        },
    )
    add(
        client,
        workspace,
        "engagements",
        {
            "title": "Far away visit",
            "kind": "inbound_visit",
            "start": f"{later}T10:00:00",
            "timezone": "America/Los_Angeles",
        },
    )
    add(
        client,
        workspace,
        "engagements",
        {
            "title": "Trade lunch",
            "kind": "meeting",
            "status": "held",
            "start": "2026-01-15T12:00:00",
            "timezone": "America/Los_Angeles",
            "follow_ups": [
                {"description": "Send the port study", "owner": "Ana", "due_on": str(today() - timedelta(days=4))},
                {"description": "Already done", "due_on": "2026-01-20", "done": True},
                {"description": "Not yet due", "due_on": str(today() + timedelta(days=4))},
            ],
        },
    )
    add(
        client,
        workspace,
        "agreements",
        {
            "title": "Sister city tie with Nagoya",
            "kind": "sister_city",
            "status": "in_force",
            "signed_on": "2016-05-01",
            "expires_on": str(today() + timedelta(days=40)),
        },
    )
    add(
        client,
        workspace,
        "agreements",
        {
            "title": "Old memorandum",
            "kind": "memorandum_of_understanding",
            "status": "terminated",
            "signed_on": "2010-05-01",
            "expires_on": str(today() + timedelta(days=10)),
        },
    )

    page = client.get(f"/w/{workspace}/")
    assert page.status_code == 200
    assert "Courtesy call" in page.text and "Far away visit" not in page.text.split("Recent activity")[0]
    assert "(America/Los_Angeles, UTC" in page.text, "times show their zone"
    assert 'href="/w/' + workspace + '/engagements/new"' in page.text, "staff can log an engagement from here"

    twin = client.get(f"/w/{workspace}/.json").json()
    assert [row[1]["text"] for row in twin["upcoming"]] == ["Courtesy call"]
    assert twin["upcoming_total"] == 1
    assert [row[1]["text"] for row in twin["overdue"]] == ["Send the port study"]
    assert "4 days late" in twin["overdue"][0][0]["text"]
    assert [row[1]["text"] for row in twin["expiring"]] == ["Sister city tie with Nagoya"], "terminated ones are done"
    assert "in 40 days" in twin["expiring"][0][0]["text"]
    assert twin["activity"][0][3]["text"] == "Old memorandum", "newest change first"
    assert "created agreement (api)" in twin["activity"][0][2]["text"]
    counts = {c["plural"]: c["total"] for c in twin["counts"]}
    assert counts["engagements"] == 3 and counts["agreements"] == 2


def test_a_viewer_sees_no_confidential_record_on_the_dashboard(client, client_as, workspace):
    soon = today() + timedelta(days=2)
    add(
        client,
        workspace,
        "engagements",
        {
            "title": "Secret talks",
            "kind": "meeting",
            "start": f"{soon}T09:00:00",
            "timezone": "America/Los_Angeles",
            "confidentiality": "confidential",
            "follow_ups": [{"description": "Hidden task", "due_on": str(today() - timedelta(days=1))}],
        },
    )
    add(
        client,
        workspace,
        "engagements",
        {"title": "Open talks", "kind": "meeting", "start": f"{soon}T11:00:00", "timezone": "America/Los_Angeles"},
    )
    viewer = client_as("viewer", workspace)
    page = viewer.get(f"/w/{workspace}/")
    assert page.status_code == 200
    assert "Open talks" in page.text
    assert "Secret talks" not in page.text and "Hidden task" not in page.text
    assert f"/w/{workspace}/engagements/new" not in page.text, "a viewer is not offered to log engagements"
    assert "Secret talks" in client.get(f"/w/{workspace}/").text, "staff see it"


def test_an_empty_workspace_says_so(client, workspace):
    twin = client.get(f"/w/{workspace}/.json").json()
    assert twin["upcoming"] == [] and twin["overdue"] == [] and twin["expiring"] == []
    text = client.get(f"/w/{workspace}/").text
    assert "No engagements in the next 30 days." in text and "Nothing overdue." in text


def test_the_dashboard_lists_membership_obligations_due_soon(client, workspace):
    from datetime import date, timedelta

    from citydiplomacy.services import commitments, registry
    from citydiplomacy.services.registry import Actor

    engine = client.app.state.engine
    staff = Actor(name="test-staff", interface="python")
    commitments.seed_networks(engine, workspace, staff, refs=["c40"])
    registry.save_record(engine, workspace, "memberships", {"network": "c40"}, staff)
    commitments.save_obligation(
        engine,
        workspace,
        {
            "ref": "c40-annual-report",
            "membership": "c40/us",
            "kind": "annual_reporting",
            "title": "Annual climate progress report to C40",
            "due_on": (date.today() + timedelta(days=20)).isoformat(),
        },
        staff,
    )
    page = client.get(f"/w/{workspace}/.json").json()
    assert any("Annual climate progress report to C40" in str(row) for row in page["obligations"])


def test_recent_activity_shows_the_latest_changes_of_every_kind(client, engine, workspace):
    """After the Exchange's 81 shared practices are loaded, the latest changes are theirs: the
    dashboard lists them instead of saying that nothing was recorded."""
    from citydiplomacy.services.practices import import_shared_library
    from citydiplomacy.services.registry import Actor

    add(client, workspace, "agreements", {"title": "Old memorandum", "kind": "memorandum_of_understanding"})
    import_shared_library(engine, workspace, Actor("loader", "python"))
    twin = client.get(f"/w/{workspace}/.json").json()
    assert len(twin["activity"]) == 10
    assert all("created practice" in row[2]["text"] for row in twin["activity"])
    assert all(row[1]["text"] == "loader" and row[3]["text"] for row in twin["activity"])
    assert "No changes recorded yet." not in client.get(f"/w/{workspace}/").text
