"""The audit trail: every change through the web and the API names the real user and the
interface; each record has a History page with a readable before/after; the workspace's
trail filters, pages and exports; the hash chain still verifies."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from citydiplomacy.adapters.db.audit import verify
from citydiplomacy.services.registry import Actor, create_workspace
from tests.fixtures.database import unique
from tests.security.helpers import form_token

SYSTEM = Actor.system("python")


def test_changes_through_the_api_and_the_web_name_the_user_and_the_interface(client_as, workspace, test_users):
    staff = client_as("staff", workspace)
    admin = client_as("admin", workspace, csrf=False)
    base = f"/api/workspaces/{workspace}/partners"
    assert (
        staff.post(base, json={"name": "Consulate of Japan", "kind": "consulate", "country_code": "JP"}).status_code
        == 201
    )
    assert (
        staff.patch(f"{base}/consulate-of-japan", json={"website": "https://www.la.us.emb-japan.go.jp"}).status_code
        == 200
    )
    page = admin.get(f"/w/{workspace}/admin/tokens")
    assert (
        admin.post(
            f"/w/{workspace}/admin/tokens",
            data={"name": "exports", "role": "viewer", "csrf_token": form_token(page.text)},
        ).status_code
        == 201
    )
    items = admin.get(f"/api/workspaces/{workspace}/audit").json()["items"]
    who = [(e["actor"], e["interface"], e["action"], e["record_type"]) for e in items[:3]]
    assert who == [
        (test_users["admin"].username, "web", "create", "api_token"),
        (test_users["staff"].username, "api", "update", "partner"),
        (test_users["staff"].username, "api", "create", "partner"),
    ]


def test_a_record_history_page_shows_who_when_how_and_what_changed(client, workspace, test_users):
    base = f"/api/workspaces/{workspace}/partners"
    client.post(base, json={"name": "Consulate of Japan", "kind": "consulate", "country_code": "JP"})
    client.patch(
        f"{base}/consulate-of-japan",
        json={"website": "https://www.la.us.emb-japan.go.jp", "other_names": ["Japanese Consulate"]},
    )
    page = client.get(f"/w/{workspace}/history/partners/consulate-of-japan")
    assert page.status_code == 200
    text = page.text
    assert "History of partner" in text and test_users["staff"].username in text
    assert "through api" in text and "America/Los_Angeles" in text
    assert "<ins>https://www.la.us.emb-japan.go.jp</ins>" in text
    twin = client.get(f"/w/{workspace}/history/partners/consulate-of-japan.json").json()
    change = twin["entries"][0]
    assert change["action"] == "update"
    assert {c["field"]: (c["before"], c["after"]) for c in change["changes"]} == {
        "other_names": ("[]", '["Japanese Consulate"]'),
        "website": ("", "https://www.la.us.emb-japan.go.jp"),
    }
    assert twin["entries"][1]["action"] == "create"
    assert twin["record_url"] == f"/w/{workspace}/partners/consulate-of-japan"


def test_history_of_a_deleted_record_remains_and_a_foreign_one_is_not_found(client, workspace, engine):
    base = f"/api/workspaces/{workspace}/people"
    client.post(base, json={"name": "Ada Example", "country_code": "GB"})
    assert client.delete(f"{base}/ada-example").status_code == 204
    twin = client.get(f"/w/{workspace}/history/people/ada-example.json").json()
    assert [e["action"] for e in twin["entries"]] == ["delete", "create"] and twin["record_url"] is None
    other = unique("ws")
    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "VN"}, SYSTEM)
    assert client.get(f"/w/{other}/history/people/ada-example").status_code == 404
    assert client.get(f"/w/{workspace}/history/people/nobody").status_code == 404
    assert client.get(f"/w/{workspace}/history/treaties/x").status_code == 404


def test_the_workspace_trail_filters_pages_and_exports(registry_ws, client, client_as, test_users):
    ws = registry_ws
    client.patch(f"/api/workspaces/{ws}/partners/hcmc", json={"website": '=HYPERLINK("http://evil")'})
    everything = client.get(f"/w/{ws}/audit.json").json()
    assert everything["total"] >= 18 and everything["pages"] == 1
    updates = client.get(f"/w/{ws}/audit.json", params={"action": "update"}).json()
    assert updates["total"] == 1 and updates["entries"][0]["record_ref"] == "hcmc"
    mine = client.get(f"/w/{ws}/audit.json", params={"user": test_users["staff"].username, "interface": "api"}).json()
    assert mine["total"] == everything["total"] - 1  # all but the workspace's creation
    paged = client.get(f"/w/{ws}/audit.json", params={"per_page": 5, "page": 2}).json()
    assert paged["pages"] == -(-everything["total"] // 5) and len(paged["entries"]) == 5
    assert paged["entries"][0]["hash"] == everything["entries"][5]["hash"]
    assert "page=3" in paged["links"]["next"] and paged["links"]["prev"].endswith("per_page=5")
    html = client.get(f"/w/{ws}/audit", params={"record_type": "partner"})
    assert html.status_code == 200 and "export.csv?record_type=partner" in html.text
    latest = datetime.fromisoformat(everything["entries"][0]["at_utc"])
    today = latest.astimezone(ZoneInfo("America/Los_Angeles")).date().isoformat()  # days are the workspace's
    assert (
        client.get(f"/w/{ws}/audit.json", params={"date_from": "2001-01-01", "date_to": "2001-01-02"}).json()["total"]
        == 0
    )
    assert client.get(f"/w/{ws}/audit.json", params={"date_from": today}).json()["total"] >= 1
    bad = client.get(f"/w/{ws}/audit.json", params={"action": "erase", "nonsense": "1"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} >= {"action"}

    exported = client.get(f"/w/{ws}/audit/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == everything["total"]
    assert all(not r[k].startswith(("=", "+", "@")) for r in rows for k in r)
    document = json.loads(client.get(f"/w/{ws}/audit/export.json", params={"record_type": "partner"}).text)
    assert document["workspace"] == ws and {i["record_type"] for i in document["items"]} == {"partner"}
    assert [i["hash"] for i in document["items"]] == [
        e["hash"] for e in client.get(f"/w/{ws}/audit.json", params={"record_type": "partner"}).json()["entries"]
    ]


def test_the_chain_still_verifies_after_web_changes(client, registry_ws, engine):
    client.patch(f"/api/workspaces/{registry_ws}/partners/hcmc", json={"other_names": ["Saigon"]})
    with engine.connect() as conn:
        checked, breaks = verify(conn)
    assert checked > 0 and breaks == []
