"""The rules REST API: browse rules, check records, pre-check a plan, answer questions,
interpretations, staged packs with their impact, activation, and obligations as tasks."""

import pytest

from tests.e2e.test_rules_web import CONSULATE, EMAIL, changed_federal_pack

READING = {
    "term": "official_meeting",
    "statement": "An email or messaging-app exchange that does not arrange a meeting is not an official meeting.",
    "when": [
        {"fact": "engagement.channel", "in": ["email", "messaging_app"]},
        {"fact": "engagement.arranges_meeting", "is": False},
    ],
    "value": False,
}
PLAN = {
    "title": "Consul General calls on the Mayor",
    "kind": "meeting",
    "channel": "in_person",
    "start": "2031-03-04T10:00:00",
    "timezone": "America/Los_Angeles",
    "partners": ["prc-consulate-la"],
    "official_capacity": True,
}


@pytest.fixture
def api(client_as, workspace):
    """(base URL, viewer, staff, counsel) of a workspace holding a PRC consulate and an email with it."""
    staff = client_as("staff", workspace)
    assert staff.post(f"/api/workspaces/{workspace}/partners", json=CONSULATE).status_code == 201
    assert staff.post(f"/api/workspaces/{workspace}/engagements", json=EMAIL).status_code == 201
    return f"/api/workspaces/{workspace}/rules", client_as("viewer", workspace), staff, client_as("counsel", workspace)


def test_rules_are_listed_with_citations_confidence_dates_and_the_illustrative_label(api):
    base, viewer, _staff, _counsel = api
    rules = viewer.get(base).json()
    assert rules["total"] == len(rules["items"]) > 10
    first = rules["items"][0]
    assert first["illustrative"] is True and "not legal advice" in first["disclaimer"]
    assert first["citations"] and first["confidence"] and first["effective_from"]
    engagements = viewer.get(base, params={"record": "engagement"}).json()["items"]
    assert {r["applies_to"] for r in engagements} == {"engagement"}
    shown = viewer.get(f"{base}/us-prc-notice-official-meetings").json()
    assert shown["items"][0]["effective_to"] == "2020-07-05"
    missing = viewer.get(f"{base}/no-such-rule")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")


def test_a_record_is_checked_as_on_its_date_and_as_if_today(api):
    base, viewer, _staff, _counsel = api
    check = viewer.get(f"{base}/check/engagements/{EMAIL['ref']}", params={"as_of": "2026-11-01"}).json()
    assert check["check_date"] == "2026-11-01" and check["badge"]["unclear"] == 1
    (unclear,) = [f for f in check["findings"] if f["verdict"] == "unclear"]
    assert unclear["rule_id"] == "us-prc-notice-official-meetings" and unclear["about_counterpart"] is True
    assert (
        unclear["unclear"][0]["name"] == "official_meeting"
        and unclear["trace"]["facts"]["engagement.channel"] == "email"
    )
    assert all(f["evaluated_on"] == "2026-11-01" for f in check["findings_today"])
    assert viewer.get(f"{base}/check/partners/{CONSULATE['ref']}").status_code == 422
    assert viewer.get(f"{base}/check/engagements/nothing-here").status_code == 404


def test_a_planned_engagement_is_prechecked_without_being_saved(api):
    base, viewer, _staff, _counsel = api
    ws_base = base.removesuffix("/rules")
    before = viewer.get(f"{ws_base}/engagements").json()["total"]
    check = viewer.post(f"{base}/precheck", json=PLAN, params={"as_of": "2030-12-01"}).json()
    verdicts = {f["rule_id"]: f["verdict"] for f in check["findings"]}
    assert verdicts["us-prc-notice-engagements"] == "applies"
    wrapped = viewer.post(
        f"{base}/precheck",
        json={
            "engagement": {**PLAN, "kind": "message_exchange", "channel": "email"},
            "answers": {"engagement.arranges_meeting": False},
        },
    )
    assert wrapped.status_code == 200
    assert viewer.get(f"{ws_base}/engagements").json()["total"] == before
    bad = viewer.post(f"{base}/precheck", json={**PLAN, "kind": "picnic"})
    assert bad.status_code == 422 and any(e.get("field") == "kind" for e in bad.json()["errors"])


def test_an_interpretation_settles_an_unclear_finding_once_counsel_activates_it(api):
    base, viewer, staff, counsel = api
    assert (
        viewer.put(
            f"{base}/answers/engagements/{EMAIL['ref']}", json={"fact": "engagement.arranges_meeting", "value": False}
        ).status_code
        == 403
    )
    answered = staff.put(
        f"{base}/answers/engagements/{EMAIL['ref']}", json={"fact": "engagement.arranges_meeting", "value": False}
    )
    assert answered.status_code == 200
    assert (
        staff.put(
            f"{base}/answers/engagements/{EMAIL['ref']}", json={"fact": "engagement.colour", "value": True}
        ).status_code
        == 422
    )

    assert viewer.post(f"{base}/interpretations", json=READING).status_code == 403
    assert staff.post(f"{base}/interpretations", json=READING).status_code == 403
    created = counsel.post(f"{base}/interpretations", json=READING)
    assert created.status_code == 201
    staged = created.json()
    assert staged["status"] == "staged" and staged["by"].startswith("counsel")
    assert counsel.post(f"{base}/interpretations", json={**READING, "term": "meeting"}).status_code == 422
    assert [i["id"] for i in viewer.get(f"{base}/interpretations", params={"status": "staged"}).json()] == [
        staged["id"]
    ]

    impact = viewer.get(f"{base}/impact", params={"interpretation": staged["id"]}).json()
    (row,) = impact["rows"]
    assert (row["record_ref"], row["before"], row["after"]) == (EMAIL["ref"], "unclear", "does_not_apply")
    assert staff.post(f"{base}/activate", json={"interpretations": [staged["id"]]}).status_code == 403
    assert viewer.get(f"{base}/check/engagements/{EMAIL['ref']}").json()["badge"]["unclear"] == 1
    done = counsel.post(f"{base}/activate", json={"interpretations": [staged["id"]]})
    assert done.status_code == 200 and done.json()["interpretations"][0]["status"] == "active"
    check = viewer.get(f"{base}/check/engagements/{EMAIL['ref']}").json()
    (finding,) = [f for f in check["findings"] if f["rule_id"] == "us-prc-notice-official-meetings"]
    assert finding["verdict"] == "does_not_apply" and finding["trace"]["interpretations"][0]["id"] == staged["id"]


def test_a_changed_pack_is_staged_its_impact_read_then_activated_and_its_obligations_tracked(api):
    base, viewer, staff, counsel = api
    body = {"content": changed_federal_pack(), "file_name": "us_federal_prc_missions.yaml"}
    assert staff.post(f"{base}/packs", json=body).status_code == 403
    bad = counsel.post(
        f"{base}/packs", json={**body, "content": body["content"].replace("kind: review_by_counsel", "kind: pray")}
    )
    assert bad.status_code == 422
    assert any(e.get("file") == "us_federal_prc_missions.yaml" and e.get("line") for e in bad.json()["errors"])
    staged = counsel.post(f"{base}/packs", json=body)
    assert staged.status_code == 201 and staged.json()["status"] == "staged"
    version = staged.json()["id"]
    impact = viewer.get(f"{base}/impact", params={"version": version, "as_of": "2026-01-10"}).json()
    assert impact["summary"]["new_obligations"] == 1
    (row,) = impact["rows"]
    assert (row["rule_id"], row["due_on"], row["planned"]) == (
        "la-counsel-review-mission-contacts",
        "2019-11-04",
        False,
    )
    assert viewer.get(f"{base}/la-counsel-review-mission-contacts").status_code == 404
    assert counsel.post(f"{base}/activate", json={"versions": [version]}).status_code == 200
    assert [v["id"] for v in viewer.get(f"{base}/packs", params={"status": "active"}).json()] == [version]

    assert viewer.post(f"{base}/obligations/sync").status_code == 403
    assert staff.post(f"{base}/obligations/sync").json()["inserted"] == 1
    (task,) = viewer.get(f"{base}/obligations", params={"status": "open"}).json()
    assert (task["record_ref"], task["due_on"], task["kind"]) == (EMAIL["ref"], "2019-11-04", "review_by_counsel")
    assert viewer.patch(f"{base}/obligations/{task['id']}", json={"owner": "City Attorney"}).status_code == 403
    assert staff.patch(f"{base}/obligations/{task['id']}", json={"status": "done"}).status_code == 422
    done = staff.patch(
        f"{base}/obligations/{task['id']}",
        json={"status": "done", "owner": "City Attorney", "evidence": "counsel reviewed on 2019-11-01"},
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert staff.patch(f"{base}/obligations/999999", json={"owner": "x"}).status_code == 404


def test_the_rules_api_is_documented_and_closed_to_other_workspaces(api, client_as, web_app):
    base, _viewer, _staff, _counsel = api
    paths = web_app.openapi()["paths"]
    assert {
        "/api/workspaces/{ws}/rules",
        "/api/workspaces/{ws}/rules/impact",
        "/api/workspaces/{ws}/rules/precheck",
        "/api/workspaces/{ws}/rules/obligations/{obligation_id}",
    } <= set(paths)
    assert "InterpretationIn" in str(paths["/api/workspaces/{ws}/rules/interpretations"]["post"])
    from citydiplomacy.services.registry import Actor, create_workspace
    from tests.fixtures.database import unique

    other = unique("other")
    create_workspace(web_app.state.engine, {"slug": other, "name": "Other", "country_code": "US"}, Actor.system())
    outsider = client_as("admin", other)
    assert outsider.get(base).status_code == 404
    assert outsider.post(f"{base}/interpretations", json=READING).status_code == 404
    assert outsider.post(f"{base}/packs/install-shipped").status_code == 404
