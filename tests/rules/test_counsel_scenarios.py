"""Counsel's scenarios against a real workspace (SQLite and PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest

from citydiplomacy.adapters.db.repository import ALL_LEVELS
from citydiplomacy.domain import InvalidInput, PermissionDenied
from citydiplomacy.domain.accounts import Role
from citydiplomacy.services import registry, rules
from citydiplomacy.services.registry import Actor, create_workspace
from tests.fixtures.database import unique

COUNSEL = Actor(name="maria.counsel", interface="web", role=Role.counsel)
STAFF = Actor(name="sam.staff", interface="web", role=Role.staff)

MESSAGING_READING = {
    "term": "official_meeting",
    "statement": "A messaging-app or email exchange that does not arrange a meeting is not an official meeting.",
    "when": [
        {"fact": "engagement.channel", "in": ["email", "messaging_app"]},
        {"fact": "engagement.arranges_meeting", "is": False},
    ],
    "value": False,
}


def save(engine, workspace, plural, data, actor):
    return registry.save_record(engine, workspace, plural, data, actor).record


@pytest.fixture
def prc_consulate(engine, workspace, actor):
    save(
        engine,
        workspace,
        "partners",
        {
            "ref": "prc-cg-la",
            "name": "Consulate General of the PRC in Los Angeles",
            "kind": "consulate",
            "country_code": "CN",
        },
        actor,
    )
    save(engine, workspace, "people", {"ref": "zhang-ping", "name": "Zhang Ping"}, actor)
    save(
        engine,
        workspace,
        "posts",
        {
            "ref": "zhang-cg",
            "person": "zhang-ping",
            "title": "Consul General",
            "partner": "prc-cg-la",
            "seniority": "consul_general",
            "start_date": "2018-01-01",
        },
        actor,
    )
    save(engine, workspace, "people", {"ref": "li-wei", "name": "Li Wei"}, actor)
    save(
        engine,
        workspace,
        "posts",
        {
            "ref": "li-consul",
            "person": "li-wei",
            "title": "Consul",
            "partner": "prc-cg-la",
            "seniority": "other_diplomat",
            "start_date": "2018-01-01",
        },
        actor,
    )
    return "prc-cg-la"


def verdict(check, rule_id, view="own"):
    findings = check.findings if view == "own" else check.findings_today
    return {f.rule_id: f for f in findings}[rule_id]


def test_an_email_with_a_consular_officer_in_2019_is_unclear_until_counsel_interprets_it(
    engine, workspace, actor, prc_consulate
):
    save(
        engine,
        workspace,
        "engagements",
        {
            "ref": "email-2019",
            "title": "Email on a port visit",
            "kind": "message_exchange",
            "channel": "email",
            "start": "2019-11-04T10:00:00",
            "timezone": "America/Los_Angeles",
            "partners": [prc_consulate],
            "participants": [{"person": "li-wei", "side": "theirs"}],
        },
        actor,
    )
    check = rules.check_record(engine, workspace, "engagements", "email-2019", actor, check_date=date(2026, 11, 1))
    finding = verdict(check, "us-prc-notice-official-meetings")
    assert finding.verdict == "unclear"
    assert [u.name for u in finding.unclear] == ["official_meeting"]
    assert finding.about_counterpart and not finding.is_our_obligation

    # Someone answers the question the registry does not record; counsel stages a reading.
    rules.answer_fact(engine, workspace, "engagements", "email-2019", "engagement.arranges_meeting", False, actor)
    staged = rules.record_interpretation(engine, workspace, MESSAGING_READING, COUNSEL)
    assert staged.status == "staged"
    assert (
        verdict(
            rules.check_record(engine, workspace, "engagements", "email-2019", actor), "us-prc-notice-official-meetings"
        ).verdict
        == "unclear"
    ), "nothing changes until the interpretation is activated"

    report = rules.impact(engine, workspace, COUNSEL, interpretations=[staged.id], check_date=date(2026, 11, 1))
    (row,) = [r for r in report.rows if r.record_ref == "email-2019"]
    assert (row.rule_id, row.before, row.after) == ("us-prc-notice-official-meetings", "unclear", "does_not_apply")
    assert report.summary()["new_obligations"] == 0

    rules.activate(engine, workspace, COUNSEL, interpretations=[staged.id])
    after = verdict(
        rules.check_record(engine, workspace, "engagements", "email-2019", actor), "us-prc-notice-official-meetings"
    )
    assert after.verdict == "does_not_apply"
    (used,) = after.trace["interpretations"]
    assert used["by"] == "maria.counsel" and used["statement"].startswith("A messaging-app")


def test_staff_cannot_record_interpretations_or_activate_rules(engine, workspace):
    with pytest.raises(PermissionDenied):
        rules.record_interpretation(engine, workspace, MESSAGING_READING, STAFF)
    with pytest.raises(PermissionDenied):
        rules.activate(engine, workspace, STAFF, interpretations=[1])


def test_a_consul_general_meeting_shows_the_counterparts_approval_duty_as_information(
    engine, workspace, actor, prc_consulate
):
    save(
        engine,
        workspace,
        "engagements",
        {
            "ref": "cg-mayor-2021",
            "title": "Consul General calls on the Mayor",
            "kind": "meeting",
            "channel": "in_person",
            "start": "2021-03-04T10:00:00",
            "timezone": "America/Los_Angeles",
            "partners": [prc_consulate],
            "participants": [{"person": "zhang-ping", "side": "theirs"}],
        },
        actor,
    )
    check = rules.check_record(engine, workspace, "engagements", "cg-mayor-2021", actor)
    approval = verdict(check, "us-prc-senior-approval")
    assert approval.verdict == "applies" and approval.duty_bearer == "counterpart"
    assert check.our_obligations == [], "federal PRC rules put no duty on the city"
    assert {c["facts"][0] for c in approval.trace["citations"] if c.get("facts")} >= {"F2.6"}
    assert approval.trace["facts"]["counterpart.senior_diplomat_present"] is True
    assert check.badge().level == "info"


def test_a_planned_engagement_is_prechecked_before_it_is_saved(engine, workspace, actor, prc_consulate):
    planned = {
        "title": "Lunch with the consul",
        "kind": "meeting",
        "channel": "in_person",
        "start": "2027-02-01T12:00:00",
        "timezone": "America/Los_Angeles",
        "partners": [prc_consulate],
        "participants": [{"person": "li-wei", "side": "theirs"}],
    }
    check = rules.precheck_engagement(engine, workspace, planned, actor, check_date=date(2026, 12, 1))
    assert verdict(check, "us-prc-notice-engagements").verdict == "applies"
    assert verdict(check, "us-prc-senior-approval").verdict == "does_not_apply"
    assert registry.list_records(engine, workspace, "engagements", registry.ListQuery(), actor).total == 0


def test_a_texas_citys_sister_city_tie_with_a_chinese_city_must_be_withdrawn_by_1_october_2025(engine, actor):
    texas = unique("tx")
    create_workspace(
        engine,
        {
            "slug": texas,
            "name": "Test City, Texas",
            "country_code": "US",
            "subdivision_code": "US-TX",
            "timezone": "America/Chicago",
        },
        actor,
    )
    save(engine, texas, "places", {"ref": "taizhou", "kind": "city", "name": "Taizhou", "country_code": "CN"}, actor)
    save(
        engine,
        texas,
        "agreements",
        {
            "ref": "taizhou-sister-city",
            "title": "Sister city: Taizhou",
            "kind": "sister_city",
            "status": "in_force",
            "signed_on": "1996-05-01",
            "parties": [{"us": True}, {"place": "taizhou"}],
            "recognised_by_national_org": True,
        },
        actor,
    )
    check = rules.check_record(engine, texas, "agreements", "taizhou-sister-city", actor, check_date=date(2025, 9, 15))
    withdraw = verdict(check, "tx-withdraw-existing-sister-city")
    assert withdraw.verdict == "unclear" and withdraw.unclear[0].name == "tx_sister_city_agreement"

    rules.answer_fact(engine, texas, "agreements", "taizhou-sister-city", "agreement.commits_to_exchange", True, actor)
    check = rules.check_record(engine, texas, "agreements", "taizhou-sister-city", actor, check_date=date(2025, 9, 15))
    withdraw = verdict(check, "tx-withdraw-existing-sister-city")
    assert (withdraw.verdict, withdraw.due_on, withdraw.obligation_kind) == (
        "applies",
        date(2025, 10, 1),
        "must_terminate",
    )
    assert withdraw.is_our_obligation

    counts = rules.sync_obligations(engine, texas, actor, check_date=date(2025, 9, 15))
    assert counts["inserted"] == 1
    (task,) = rules.list_obligations(engine, texas, actor, status="open")
    assert (task.rule_id, task.due_on) == ("tx-withdraw-existing-sister-city", date(2025, 10, 1))
    with pytest.raises(InvalidInput):
        rules.update_obligation(engine, texas, task.id, {"status": "done"}, actor)
    done = rules.update_obligation(
        engine,
        texas,
        task.id,
        {"status": "done", "owner": "City Attorney", "evidence": "Council resolution 2025-118 withdrew on 2025-09-24"},
        actor,
    )
    assert done.status == "done" and done.owner == "City Attorney"
    assert rules.sync_obligations(engine, texas, actor, check_date=date(2025, 9, 15))["unchanged"] == 1
    assert rules.list_obligations(engine, texas, actor)[0].status == "done", "a later sync keeps status and evidence"


def test_gifts_are_registry_records_and_florida_requires_disclosure(engine, actor):
    florida = unique("fl")
    create_workspace(
        engine,
        {
            "slug": florida,
            "name": "Test City, Florida",
            "country_code": "US",
            "subdivision_code": "US-FL",
            "timezone": "America/New_York",
        },
        actor,
    )
    save(
        engine,
        florida,
        "partners",
        {"ref": "jp-foundation", "name": "Japan Foundation", "kind": "ngo", "country_code": "JP"},
        actor,
    )
    gift = save(
        engine,
        florida,
        "gifts",
        {
            "ref": "grant-2023",
            "description": "Grant for the youth exchange",
            "donor_partner": "jp-foundation",
            "to_government": True,
            "value": "6500000",
            "currency": "JPY",
            "value_usd": "50000.00",
            "received_on": "2023-03-10",
            "disposition": "kept",
        },
        actor,
    )
    assert gift.value == Decimal("6500000") and gift.currency == "JPY" and gift.usd == Decimal("50000.00")
    listed = registry.list_records(engine, florida, "gifts", registry.ListQuery(partner="jp-foundation"), actor)
    assert [g.ref for g in listed.items] == ["grant-2023"]
    check = rules.check_record(engine, florida, "gifts", "grant-2023", actor)
    disclose = verdict(check, "fl-disclose-foreign-gift")
    assert (disclose.verdict, disclose.due_on) == ("applies", date(2023, 4, 9))


def test_a_gift_needs_a_donor_and_a_recipient():
    with pytest.raises(InvalidInput) as error:
        registry.parse_record("gifts", {"description": "Vase", "received_on": "2024-01-01", "to_government": True})
    assert "needs a donor" in str(error.value)


def test_staging_a_changed_rule_shows_its_impact_and_changes_nothing_until_activated(
    engine, workspace, actor, prc_consulate
):
    save(
        engine,
        workspace,
        "engagements",
        {
            "ref": "lantern-festival",
            "title": "Lantern festival",
            "kind": "event",
            "channel": "in_person",
            "start": "2022-02-05T18:00:00",
            "timezone": "America/Los_Angeles",
            "partners": [prc_consulate],
            "initiated_by": "them",
            "venue_kind": "our_premises",
            "expected_attendance": 80,
            "topics": ["culture"],
        },
        actor,
    )
    before = verdict(
        rules.check_record(engine, workspace, "engagements", "lantern-festival", actor),
        "us-prc-cultural-event-approval",
    )
    assert before.verdict == "applies"

    from citydiplomacy.rules.loader import PACKS_DIR

    text = (
        (PACKS_DIR / "us_federal_prc_missions.yaml").read_text().replace('version: "2026.1"', 'version: "2026.2-test"')
    )
    text = text.replace("        value: 50\n", "        value: 100\n")
    staged = rules.stage_pack(engine, workspace, text, "changed.yaml", COUNSEL)
    assert staged.status == "staged"
    assert (
        verdict(
            rules.check_record(engine, workspace, "engagements", "lantern-festival", actor),
            "us-prc-cultural-event-approval",
        ).verdict
        == "applies"
    )

    report = rules.impact(engine, workspace, COUNSEL, versions=[staged.id])
    (row,) = report.rows
    assert (row.record_ref, row.before, row.after) == ("lantern-festival", "applies", "does_not_apply")

    rules.activate(engine, workspace, COUNSEL, versions=[staged.id])
    after = verdict(
        rules.check_record(engine, workspace, "engagements", "lantern-festival", actor),
        "us-prc-cultural-event-approval",
    )
    assert after.verdict == "does_not_apply" and after.pack_version == "2026.2-test"
    assert after.trace["parameters"][0]["value"] == 100


def test_a_bad_pack_is_rejected_and_the_active_version_stays_active(engine, workspace):
    from citydiplomacy.rules.loader import PACKS_DIR

    good = (PACKS_DIR / "us_compact_clause.yaml").read_text()
    first = rules.stage_pack(engine, workspace, good, "compact.yaml", COUNSEL)
    rules.activate(engine, workspace, COUNSEL, versions=[first.id])
    bad = good.replace("agreement.binding, is: true", "agreement.is_binding, is: true").replace('"2026.1"', '"2026.9"')
    with pytest.raises(InvalidInput) as error:
        rules.stage_pack(engine, workspace, bad, "compact-bad.yaml", COUNSEL)
    (problem,) = error.value.problems
    assert (
        problem.file == "compact-bad.yaml" and problem.line and "us-compact-clause-binding-agreement" in problem.message
    )
    active = rules.list_pack_versions(engine, workspace, status="active")
    assert [(v.pack_id, v.version) for v in active] == [("us-compact-clause", "2026.1")]


def test_the_whole_workspace_is_checked_with_a_badge_per_record(engine, workspace, actor, prc_consulate):
    for day in range(1, 6):
        save(
            engine,
            workspace,
            "engagements",
            {
                "title": f"Meeting {day}",
                "kind": "meeting",
                "channel": "in_person",
                "start": f"2023-05-0{day}T10:00:00",
                "timezone": "America/Los_Angeles",
                "partners": [prc_consulate],
            },
            actor,
        )
    result = rules.check_workspace(engine, workspace, actor, check_date=date(2026, 1, 1))
    badges = result.badges["engagements"]
    # notice applies (the counterpart's duty); approval is unclear: nobody recorded who came from their side
    assert len(badges) == 5
    assert all(
        (b.counterpart_duties, b.unclear, b.our_obligations, b.level) == (1, 1, 0, "unclear") for b in badges.values()
    )
    assert result.counts["engagements"]["applies"] >= 5


def test_rules_list_with_citations_reflects_the_packs_in_force(engine, workspace):
    items = rules.list_rules(engine, workspace)
    ids = {r.id for r in items}
    assert "us-prc-notice-official-meetings" in ids and "tx-withdraw-existing-sister-city" in ids
    assert all(r.citations and r.illustrative for r in items)


def test_the_fast_workspace_loader_derives_the_same_facts_as_the_records_themselves(
    engine, workspace, actor, prc_consulate
):
    from citydiplomacy.rules.derive import facts_for_records
    from citydiplomacy.rules.records import context_for
    from citydiplomacy.services.unit_of_work import UnitOfWork

    save(
        engine,
        workspace,
        "engagements",
        {
            "ref": "mixed",
            "title": "Mixed",
            "kind": "reception",
            "channel": "in_person",
            "start": "2021-07-01T23:30:00",
            "timezone": "America/Los_Angeles",
            "partners": [prc_consulate],
            "topics": ["culture", "trade"],
            "participants": [
                {"person": "zhang-ping", "side": "theirs"},
                {"person": "li-wei", "side": "theirs", "post": "li-consul"},
            ],
            "expected_attendance": 70,
            "initiated_by": "them",
            "venue_kind": "neutral",
        },
        actor,
    )
    save(
        engine,
        workspace,
        "engagements",
        {
            "ref": "bare",
            "title": "Bare",
            "kind": "call",
            "channel": "phone",
            "start": "2020-01-01T08:00:00",
            "timezone": "America/Los_Angeles",
        },
        actor,
    )
    with UnitOfWork(engine, workspace, write=False) as uow:
        fast = rules.workspace_facts(uow, "engagement")
        records = [uow.records.get("engagements", ref, visible=ALL_LEVELS)[1] for ref in fast.refs]
        slow = facts_for_records("engagement", records, context_for(uow.records, uow.workspace))
    assert fast.refs == slow.refs
    for row in range(fast.n):
        assert fast.facts_at(row) == slow.facts_at(row)
    assert fast.facts_at(fast.refs.index("mixed"))["engagement.date"].isoformat() == "2021-07-01"
