"""Rules in the web app: counsel loads the shipped packs, reads every demo engagement and
agreement checked with explanations, settles an unclear finding with an interpretation, and
stages a changed rule, reading its impact before activating it. Plus who may do what."""

import re

import pytest

from citydiplomacy.demo import build_demo
from citydiplomacy.rules.loader import PACKS_DIR
from citydiplomacy.services import registry
from citydiplomacy.services.registry import Actor
from tests.fixtures.database import unique
from tests.security.helpers import form_token

CONSULATE = {
    "ref": "prc-consulate-la",
    "name": "Consulate General of the People's Republic of China in Los Angeles",
    "kind": "consulate",
    "country_code": "CN",
}
EMAIL = {
    "ref": "2019-11-04-email-on-a-port-visit",
    "title": "Email on a port visit",
    "kind": "message_exchange",
    "channel": "email",
    "start": "2019-11-04T10:00:00",
    "timezone": "America/Los_Angeles",
    "partners": ["prc-consulate-la"],
}
READING = "- fact: engagement.channel\n  in: [email, messaging_app]\n- fact: engagement.arranges_meeting\n  is: false\n"
NEW_RULE = """
  - id: la-counsel-review-mission-contacts
    title: Counsel reviews contacts with foreign missions before they take place
    jurisdiction: US (federal)
    duty_bearer: our_government
    applies_to: engagement
    when:
      - {fact: counterpart.is_mission, is: true}
    obligation:
      kind: review_by_counsel
      text: Counsel reviews the contact before it takes place.
      deadline: {before: engagement.date}
    effective_from: 2015-01-01
    citations:
      - {document: "Office practice memo (test data)", date: 2026-01-01}
    confidence: {level: high, reason: An office practice written for this test.}
"""


def changed_federal_pack() -> str:
    text = (PACKS_DIR / "us_federal_prc_missions.yaml").read_text(encoding="utf-8")
    return text.replace('version: "2026.1"', 'version: "2026.2-la"', 1).rstrip("\n") + "\n" + NEW_RULE


@pytest.fixture
def demo(engine) -> str:
    slug = unique("la")
    build_demo(engine, slug=slug)
    return slug


def refs(client, ws, plural):
    return [
        item["ref"] for item in client.get(f"/api/workspaces/{ws}/{plural}", params={"per_page": 500}).json()["items"]
    ]


def test_counsel_loads_the_packs_checks_the_demo_interprets_a_term_and_stages_a_changed_rule(demo, client_as):
    ws = demo
    counsel, staff = client_as("counsel", ws), client_as("staff", ws)

    # Load the shipped packs (stage and activate).
    page = counsel.get(f"/w/{ws}/rules/impact")
    assert page.status_code == 200 and "Load the shipped packs" in page.text
    loaded = counsel.post(f"/w/{ws}/rules/packs/install-shipped", follow_redirects=False)
    assert loaded.status_code == 303
    versions = counsel.get(f"/api/workspaces/{ws}/rules/packs", params={"status": "active"}).json()
    assert {v["pack_id"] for v in versions} >= {"us-federal-prc-missions", "us-ca-gifts", "us-compact-clause"}
    browser = counsel.get(f"/w/{ws}/rules")
    assert (
        "not legal advice" in browser.text
        and "Confidence" in browser.text
        and 'href="https://www.state.gov/' in browser.text
    )

    # Every demo engagement and agreement is checked, with a badge on the list and its explanation one click away.
    for plural in ("engagements", "agreements"):
        listed = counsel.get(f"/w/{ws}/{plural}.json", params={"per_page": 500}).json()
        column = listed["headers"].index("Rules")
        badges = [row[column] for row in listed["rows"]]
        assert len(badges) == listed["total"] > 0
        assert all(
            b["text"].startswith("Rules: ") and b["url"].startswith(f"/w/{ws}/rules/check/{plural}/") for b in badges
        )
        for ref in refs(counsel, ws, plural):
            explained = counsel.get(f"/w/{ws}/rules/check/{plural}/{ref}.json")
            assert explained.status_code == 200, ref
            data = explained.json()
            for finding in data["ours"] + data["unclear"] + data["counterpart"] + data["not_applying"]:
                assert finding["trace"]["citations"] and finding["trace"]["record"]["ref"] == ref
    first = refs(counsel, ws, "agreements")[0]
    detail = counsel.get(f"/w/{ws}/agreements/{first}")
    assert re.search(rf'class="rules-badge rules-badge-\w+" href="/w/{ws}/rules/check/agreements/{first}#', detail.text)

    # Staff log an email with the PRC consulate: whether it is an 'official meeting' is unclear.
    assert staff.post(f"/api/workspaces/{ws}/partners", json=CONSULATE).status_code == 201
    assert staff.post(f"/api/workspaces/{ws}/engagements", json=EMAIL).status_code == 201
    findings_url = f"/w/{ws}/rules/check/engagements/{EMAIL['ref']}"
    page = counsel.get(findings_url)
    assert page.status_code == 200 and "Unclear (1)" in page.text and "official meeting" in page.text
    assert "Information about the counterpart" not in page.text
    badge = counsel.get(f"/w/{ws}/engagements/{EMAIL['ref']}")
    assert "Rules: 1 unclear" in badge.text

    # Staff answer the question the registry does not record; counsel records a reading of the term.
    answered = staff.post(
        findings_url + "/answers", data={"fact": "engagement.arranges_meeting", "answer": "no"}, follow_redirects=False
    )
    assert answered.status_code == 303
    editor = counsel.get(f"/w/{ws}/rules/interpretations")
    assert "Record an interpretation" in editor.text
    staged = counsel.post(
        f"/w/{ws}/rules/interpretations",
        data={
            "term": "official_meeting",
            "value": "does_not_cover",
            "when": READING,
            "on": "2026-03-02",
            "statement": "An email or messaging-app exchange that does not arrange a meeting is not an official meeting.",
        },
        follow_redirects=False,
    )
    assert staged.status_code == 303
    impact = counsel.get(staged.headers["location"])
    assert "Email on a port visit" in impact.text and "Unclear" in impact.text and "Does not apply" in impact.text
    assert "Unclear (1)" in counsel.get(findings_url).text, "nothing changes until it is activated"
    interpretation_id = re.search(r'name="interpretation" value="(\d+)"', impact.text).group(1)
    activated = counsel.post(
        f"/w/{ws}/rules/activate", data={"interpretation": interpretation_id}, follow_redirects=False
    )
    assert activated.status_code == 303
    settled = counsel.get(findings_url + ".json").json()
    assert settled["unclear"] == []
    (answer,) = [f for f in settled["not_applying"] if f["rule_id"] == "us-prc-notice-official-meetings"]
    (used,) = answer["trace"]["interpretations"]
    assert used["on"] == "2026-03-02" and used["statement"].startswith("An email")
    assert "counsel&#39;s interpretation by" in counsel.get(findings_url).text

    # Counsel stages a changed pack (a new rule) and reads its impact before activating it.
    staged = counsel.post(
        f"/w/{ws}/rules/packs",
        files={"pack": ("us_federal_prc_missions.yaml", changed_federal_pack(), "application/yaml")},
        follow_redirects=False,
    )
    assert staged.status_code == 303, staged.text
    impact = counsel.get(staged.headers["location"])
    assert "New obligations" in impact.text and "Counsel reviews contacts with foreign missions" in impact.text
    summary = counsel.get(staged.headers["location"].replace("/impact?", "/impact.json?")).json()["summary"]
    assert summary["new_obligations"] >= 1
    assert counsel.get(f"/w/{ws}/rules/la-counsel-review-mission-contacts").status_code == 404, "not in force yet"
    version_id = re.search(r'name="version" value="(\d+)"', impact.text).group(1)
    assert (
        counsel.post(f"/w/{ws}/rules/activate", data={"version": version_id}, follow_redirects=False).status_code == 303
    )
    assert counsel.get(f"/w/{ws}/rules/la-counsel-review-mission-contacts").status_code == 200
    after = counsel.get(findings_url + ".json").json()
    assert [f["rule_id"] for f in after["ours"]] == ["la-counsel-review-mission-contacts"]
    assert after["ours"][0]["due_on"] == "2019-11-04"

    # Our new obligations become tasks that staff can own and close with evidence.
    assert staff.post(f"/w/{ws}/obligations/sync", follow_redirects=False).status_code == 303
    tasks = staff.get(f"/w/{ws}/obligations.json").json()
    (task,) = [t for t in tasks["items"] if t["record_ref"] == EMAIL["ref"]]
    assert task["overdue"] and tasks["overdue"] >= 1
    refused = staff.post(task["update_url"], data={"owner": "City Attorney", "status": "done", "evidence": ""})
    assert refused.status_code == 422 and "evidence" in refused.text
    done = staff.post(
        task["update_url"],
        data={"owner": "City Attorney", "status": "done", "evidence": "counsel reviewed on 2019-11-01"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    (task,) = [
        t for t in staff.get(f"/w/{ws}/obligations.json?status=done").json()["items"] if t["record_ref"] == EMAIL["ref"]
    ]
    assert (task["owner"], task["evidence"]) == ("City Attorney", "counsel reviewed on 2019-11-01")


def test_a_planned_engagement_is_checked_from_the_form_before_it_is_saved(demo, client_as):
    ws = demo
    staff = client_as("staff", ws)
    assert staff.post(f"/api/workspaces/{ws}/partners", json=CONSULATE).status_code == 201
    form = staff.get(f"/w/{ws}/engagements/new")
    assert f'formaction="/w/{ws}/rules/precheck"' in form.text and "Check against rules" in form.text
    before = staff.get(f"/api/workspaces/{ws}/engagements").json()["total"]
    plan = {
        "title": "Lunch with the consul",
        "kind": "meeting",
        "channel": "in_person",
        "start": "2031-02-03T12:00",
        "timezone": "America/Los_Angeles",
        "partners-0": "prc-consulate-la",
        "official_capacity": "on",
    }
    checked = staff.post(f"/w/{ws}/rules/precheck", data=plan)
    assert checked.status_code == 200
    assert "Nothing has been saved" in checked.text and "About the counterpart (1)" in checked.text
    assert "Information about the counterpart — not our obligation" in checked.text
    assert 'value="Lunch with the consul"' in checked.text, "the plan comes back in the form, ready to save"
    assert staff.get(f"/api/workspaces/{ws}/engagements").json()["total"] == before
    broken = staff.post(f"/w/{ws}/rules/precheck", data={**plan, "title": ""})
    assert broken.status_code == 422 and "error-summary" in broken.text


def test_a_bad_pack_is_refused_with_its_line_and_the_rules_in_force_stay(demo, client_as):
    ws = demo
    counsel = client_as("counsel", ws)
    bad = changed_federal_pack().replace("duty_bearer: our_government", "duty_bearer: our_government\n    colour: red")
    refused = counsel.post(f"/w/{ws}/rules/packs", files={"pack": ("bad.yaml", bad, "application/yaml")})
    assert refused.status_code == 422
    assert "bad.yaml" in refused.text and re.search(r"line \d+", refused.text) and "colour" in refused.text
    assert counsel.get(f"/api/workspaces/{ws}/rules/packs").json() == []


def test_viewers_read_but_cannot_interpret_stage_or_activate_and_staff_cannot_activate(demo, client_as):
    ws = demo
    viewer, staff, counsel = client_as("viewer", ws), client_as("staff", ws), client_as("counsel", ws)
    for url in (
        f"/w/{ws}/rules",
        f"/w/{ws}/rules/interpretations",
        f"/w/{ws}/rules/impact",
        f"/w/{ws}/obligations",
        f"/w/{ws}/rules/us-prc-senior-approval",
    ):
        assert viewer.get(url).status_code == 200, url
    editor = viewer.get(f"/w/{ws}/rules/interpretations")
    assert "Only counsel records interpretations" in editor.text and "Stage the interpretation" not in editor.text
    reading = {"term": "official_meeting", "value": "does_not_cover", "when": READING, "statement": "Not a meeting."}
    assert viewer.post(f"/w/{ws}/rules/interpretations", data=reading).status_code == 403
    assert staff.post(f"/w/{ws}/rules/interpretations", data=reading).status_code == 403
    staged = counsel.post(f"/w/{ws}/rules/interpretations", data=reading, follow_redirects=False)
    interpretation = re.search(r"interpretation=(\d+)", staged.headers["location"]).group(1)
    for who in (viewer, staff):
        assert who.post(f"/w/{ws}/rules/activate", data={"interpretation": interpretation}).status_code == 403
        assert who.post(f"/w/{ws}/rules/packs", data={"shipped": "us-ca-gifts"}).status_code == 403
        assert who.post(f"/w/{ws}/rules/packs/install-shipped").status_code == 403
    assert "Activate these changes" not in staff.get(f"/w/{ws}/rules/impact").text
    assert "Activate these changes" in counsel.get(f"/w/{ws}/rules/impact").text
    assert viewer.post(f"/w/{ws}/obligations/sync").status_code == 403
    ref = refs(viewer, ws, "engagements")[0]
    assert (
        viewer.post(
            f"/w/{ws}/rules/check/engagements/{ref}/answers",
            data={"fact": "engagement.arranges_meeting", "answer": "no"},
        ).status_code
        == 403
    )


def test_another_workspace_is_not_found(demo, client_as, workspace):
    outsider = client_as("counsel", workspace)  # counsel elsewhere, not a member of the demo
    for url in (
        f"/w/{demo}/rules",
        f"/w/{demo}/rules/impact",
        f"/w/{demo}/obligations",
        f"/w/{demo}/rules/interpretations",
        f"/w/{demo}/rules/us-prc-senior-approval",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/w/{demo}/rules/packs/install-shipped").status_code == 404


def test_every_rules_form_needs_the_csrf_token(demo, client_as):
    ws = demo
    counsel = client_as("counsel", ws, csrf=False)
    ref = refs(counsel, ws, "engagements")[0]
    forms = {
        f"/w/{ws}/rules/packs/install-shipped": {},
        f"/w/{ws}/rules/packs": {"shipped": "us-ca-gifts"},
        f"/w/{ws}/rules/activate": {"interpretation": "1"},
        f"/w/{ws}/rules/interpretations": {
            "term": "official_meeting",
            "value": "covers",
            "when": READING,
            "statement": "x",
        },
        f"/w/{ws}/rules/precheck": {"title": "Plan", "kind": "meeting", "start": "2031-01-01T10:00"},
        f"/w/{ws}/rules/check/engagements/{ref}/answers": {"fact": "engagement.arranges_meeting", "answer": "no"},
        f"/w/{ws}/obligations/sync": {},
        f"/w/{ws}/obligations/1": {"owner": "x"},
    }
    for url, data in forms.items():
        assert counsel.post(url, data=data).status_code == 403, url
        assert counsel.post(url, data={**data, "csrf_token": "forged"}).status_code == 403, url
    token = form_token(counsel.get(f"/w/{ws}/rules/impact").text)
    assert (
        counsel.post(
            f"/w/{ws}/rules/packs/install-shipped", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    page = counsel.get(f"/w/{ws}/rules/check/engagements/{ref}")
    assert page.text.count('name="csrf_token"') >= 1
    for template_form in re.findall(r'<form method="post".*?</form>', page.text, flags=re.S):
        assert 'name="csrf_token"' in template_form


def test_the_rules_pages_show_the_packs_that_can_bind_us_and_other_jurisdictions_apart(engine, client_as):
    """Los Angeles is bound by federal, California and its own rules; Arkansas's, Florida's,
    Indiana's and Texas's packs are listed apart, and their terms are not offered to counsel."""
    slug = unique("la-rules")
    registry.create_workspace(
        engine,
        {
            "slug": slug,
            "name": "City of Los Angeles",
            "country_code": "US",
            "subdivision_code": "US-CA",
            "place_geonames_id": 5368361,
            "timezone": "America/Los_Angeles",
        },
        Actor.system("python"),
    )
    counsel = client_as("counsel", slug)
    view = counsel.get(f"/w/{slug}/rules.json").json()
    ours = {p["jurisdiction"] for p in view["packs"]}
    others = {p["jurisdiction"] for p in view["other_packs"]}
    assert ours == {
        "United States (federal)",
        "United States (constitutional)",
        "California",
        "City of Los Angeles",
    }
    assert others == {"Arkansas", "Florida", "Indiana", "Texas"}
    page = counsel.get(f"/w/{slug}/rules").text
    assert page.index("Other jurisdictions") > max(page.index(j) for j in ours)

    terms = counsel.get(f"/w/{slug}/rules/interpretations.json").json()
    assert "ar_sister_city" not in {t["id"] for t in terms["terms"]}
    assert "ar_sister_city" in {t["id"] for t in terms["other_terms"]}
    assert {"official_meeting", "reportable_source", "restricted_source"} <= {t["id"] for t in terms["terms"]}
    form = counsel.get(f"/w/{slug}/rules/interpretations").text
    assert 'value="ar_sister_city"' not in form
