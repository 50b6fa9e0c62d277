"""Import with a preview (rows created, updated or rejected, by line and field) then commit;
export every list as CSV, JSON and, for engagements, a calendar."""

from __future__ import annotations

import csv
import io
import json
import re

GOOD = (
    "ref,title,kind,start,timezone\n"
    "2026-01-10-ok,A good row,meeting,2026-01-10T10:00:00,America/Los_Angeles\n"
    "2026-01-11-lunch,A lunch,lunch,2026-01-11T12:00:00,America/Los_Angeles\n"
    "2026-01-12-visit,A visit,inbound_visit,2026-01-12T09:00:00,America/Los_Angeles\n"
)
FIXED = GOOD.replace(",lunch,", ",meeting,")


def csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def upload(client, ws, name, content, record_type=""):
    return client.post(
        f"/w/{ws}/import",
        data={"csrf_token": csrf(client, f"/w/{ws}/import"), "record_type": record_type},
        files={"file": (name, content.encode(), "text/csv")},
    )


def test_a_bad_row_is_shown_by_line_and_field_and_nothing_is_written(client, workspace):
    response = upload(client, workspace, "engagements.csv", GOOD)
    assert response.status_code == 422
    assert "Line 3" in response.text and "kind" in response.text and "lunch" in response.text
    assert "nothing will be written" in response.text
    assert 'class="commit"' not in response.text, "a preview with problems cannot be committed"
    twin = client.post(f"/w/{workspace}/import?format=json", files={"file": ("engagements.csv", GOOD.encode())}).json()
    assert twin["ok"] is False and twin["committed"] is False and twin["rejected_lines"] == [3]
    assert twin["problems"][0]["field"] == "kind" and twin["problems"][0]["line"] == 3
    assert client.get(f"/api/workspaces/{workspace}/engagements").json()["total"] == 0


def test_the_fixed_file_previews_then_commits_and_is_audited(client, workspace):
    preview = upload(client, workspace, "engagements-2026.csv", FIXED)
    assert preview.status_code == 200
    assert "Nothing has been written yet" in preview.text
    commit_url = re.search(r'action="(/w/[^"]+/commit)"', preview.text).group(1)
    assert client.get(f"/api/workspaces/{workspace}/engagements").json()["total"] == 0, "a preview writes nothing"
    done = client.post(commit_url, data={"csrf_token": csrf(client, f"/w/{workspace}/import")})
    assert done.status_code == 200 and "3 inserted" in done.text
    assert client.get(f"/api/workspaces/{workspace}/engagements").json()["total"] == 3
    audit = client.get(f"/api/workspaces/{workspace}/audit", params={"record_type": "engagement"}).json()["items"]
    assert {e["interface"] for e in audit} == {"import"} and len(audit) == 3
    again = client.post(commit_url, data={"csrf_token": csrf(client, f"/w/{workspace}/import")})
    assert again.status_code == 422 and "expired" in again.text, "the stored file is used once"
    reimport = upload(client, workspace, "engagements.csv", FIXED)
    assert "3 unchanged" in reimport.text


def test_a_preview_cannot_be_committed_from_another_session(client, client_as, workspace):
    preview = upload(client, workspace, "engagements.csv", FIXED)
    commit_url = re.search(r'action="(/w/[^"]+/commit)"', preview.text).group(1)
    other = client_as("admin", workspace)
    response = other.post(commit_url)
    assert response.status_code == 422 and "upload the file again" in response.text
    assert client.get(f"/api/workspaces/{workspace}/engagements").json()["total"] == 0


def test_unreadable_uploads_are_explained_on_the_upload_page(client, workspace):
    response = upload(client, workspace, "notes.txt", "hello")
    assert response.status_code == 422 and "cannot tell the format" in response.text
    missing = client.post(f"/w/{workspace}/import", data={"csrf_token": csrf(client, f"/w/{workspace}/import")})
    assert missing.status_code == 422 and "choose a file" in missing.text
    typed = upload(client, workspace, "contacts.csv", "name,kind\nConsulate of Peru,consulate\n", "partners")
    assert typed.status_code == 200 and "Would create" in typed.text


def test_a_calendar_file_previews_its_events(client, workspace):
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:abc-1@example.org\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART;TZID=America/Los_Angeles:20260210T100000\r\n"
        "DTEND;TZID=America/Los_Angeles:20260210T110000\r\nSUMMARY:Call with the Consul of Chile\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    response = client.post(
        f"/w/{workspace}/import",
        data={"csrf_token": csrf(client, f"/w/{workspace}/import")},
        files={"file": ("calendar.ics", ics.encode(), "text/calendar")},
    )
    assert response.status_code == 200, response.text
    assert "Would create" in response.text and "abc-1" in response.text


def test_a_viewer_cannot_import(client_as, registry_ws):
    viewer = client_as("viewer", registry_ws)
    assert viewer.get(f"/w/{registry_ws}/import").status_code == 403
    assert (
        viewer.post(f"/w/{registry_ws}/import", files={"file": ("engagements.csv", FIXED.encode())}).status_code == 403
    )


def test_exports_hold_what_the_reader_may_see(client, client_as, registry_ws):
    client.post(
        f"/api/workspaces/{registry_ws}/partners",
        json={"ref": "hidden", "name": "Hidden partner", "kind": "company", "confidentiality": "confidential"},
    )
    response = client.get(f"/w/{registry_ws}/export/partners.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    refs = {row["ref"] for row in csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")))}  # BOM for Excel
    assert refs == {"government-of-viet-nam", "hcmc", "c40-secretariat", "hidden"}
    viewer = client_as("viewer", registry_ws)
    seen = {p["ref"] for p in json.loads(viewer.get(f"/w/{registry_ws}/export/partners.json").text)}
    assert "hidden" not in seen and "hcmc" in seen
    calendar = client.get(f"/w/{registry_ws}/export/engagements.ics")
    assert calendar.headers["content-type"].startswith("text/calendar") and "Climate week meeting" in calendar.text
    assert client.get(f"/w/{registry_ws}/export/partners.ics").status_code == 404
    assert client.get(f"/w/{registry_ws}/export/secrets.csv").status_code == 404


def test_an_export_imports_back_unchanged(client, registry_ws):
    exported = client.get(f"/w/{registry_ws}/export/engagements.csv").text
    preview = upload(client, registry_ws, "engagements.csv", exported)
    assert preview.status_code == 200 and "3 unchanged" in preview.text


def test_an_export_holds_what_the_list_shows_and_its_name_says_so(client, registry_ws, database_url):
    """Filtered to Viet Nam's government, the engagements list offers 'Export these 2', and the
    file holds those two; its name says which filters made it. Unfiltered, it exports all."""
    listed = client.get(f"/w/{registry_ws}/engagements.json", params={"partner": "government-of-viet-nam"}).json()
    assert listed["total"] == 2
    csv_link = next(link for link in listed["exports"] if "CSV" in link["text"])
    assert csv_link["text"] == "Export these 2 as CSV"
    assert csv_link["url"] == f"/w/{registry_ws}/export/engagements.csv?partner=government-of-viet-nam"
    response = client.get(csv_link["url"])
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["title"] for r in rows) == ["Call with the Prime Minister", "Reception for the President"]
    assert "engagements-partner-government-of-viet-nam-" in response.headers["content-disposition"]

    everything = client.get(f"/w/{registry_ws}/engagements.json").json()
    assert next(link for link in everything["exports"] if "CSV" in link["text"])["text"] == "Export all as CSV"
    whole = client.get(f"/w/{registry_ws}/export/engagements.json").json()
    assert len(whole) == 3

    refused = client.get(f"/w/{registry_ws}/export/partners.csv", params={"topic": "trade"})
    assert refused.status_code == 422

    from typer.testing import CliRunner

    from citydiplomacy.cli.main import app

    result = CliRunner().invoke(
        app,
        ["export", "engagements", "-w", registry_ws, "--database", database_url, "-f", "json", "--topic", "climate"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert sorted(e["title"] for e in json.loads(result.output)) == [
        "Call with the Prime Minister",
        "Climate week meeting",
    ]
