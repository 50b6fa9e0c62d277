"""Networks from the reference list, membership obligations, SDG tags and the SDG dashboard."""

from datetime import date

import pytest

from citydiplomacy.domain import InvalidInput, NotFound
from citydiplomacy.services import commitments as svc
from citydiplomacy.services.registry import audit_history, get_record, save_record


def test_seeding_networks_is_idempotent_and_keeps_the_workspaces_own_records(engine, workspace, actor):
    save_record(engine, workspace, "networks", {"ref": "c40", "name": "C40 (our wording)"}, actor)
    first = svc.seed_networks(engine, workspace, actor, ["c40", "iclei", "mayors-for-peace"])
    assert first == {"c40": "kept", "iclei": "inserted", "mayors-for-peace": "inserted"}
    iclei = get_record(engine, workspace, "networks", "iclei", actor)
    assert iclei.founded_year == 1990 and "World Congress" in iclei.source
    assert get_record(engine, workspace, "networks", "c40", actor).name == "C40 (our wording)"
    again = svc.seed_networks(engine, workspace, actor, ["c40", "iclei", "mayors-for-peace"])
    assert set(again.values()) == {"kept"}
    updated = svc.seed_networks(engine, workspace, actor, ["c40"], update_existing=True)
    assert updated == {"c40": "updated"}
    with pytest.raises(InvalidInput, match="not in the reference list"):
        svc.seed_networks(engine, workspace, actor, ["no-such-network"])


def test_membership_obligations_feed_the_upcoming_list_sorted_by_due_date(engine, workspace, actor):
    svc.seed_networks(engine, workspace, actor, ["c40", "gcom"])
    save_record(
        engine, workspace, "memberships", {"ref": "c40/us", "network": "c40", "start_date": "2024-03-01"}, actor
    )
    save_record(
        engine, workspace, "memberships", {"ref": "gcom/us", "network": "gcom", "start_date": "2023-01-15"}, actor
    )
    as_of = date(2025, 2, 1)
    created = svc.add_membership_obligations(engine, workspace, "c40/us", actor, as_of=as_of)
    created += svc.add_membership_obligations(engine, workspace, "gcom/us", actor, as_of=as_of)
    assert {o.ref for o in created} >= {
        "c40/us/climate-action-plan",
        "c40/us/annual-reporting",
        "gcom/us/emissions-inventory",
    }
    assert svc.add_membership_obligations(engine, workspace, "c40/us", actor, as_of=as_of)  # again: no duplicates

    upcoming = svc.upcoming_obligations(engine, workspace, actor, as_of=as_of)
    assert [o.due_on for o in upcoming] == sorted(o.due_on for o in upcoming)
    assert len(upcoming) == len({o.ref for o in created})
    first = upcoming[0]
    assert first.ref in ("gcom/us/emissions-inventory", "gcom/us/risk-assessment")
    assert first.due_on == date(2025, 1, 15) and first.overdue and first.days_until_due == -17
    assert first.network == "gcom" and first.network_name == "Global Covenant of Mayors for Climate & Energy"
    soon = svc.upcoming_obligations(engine, workspace, actor, as_of=as_of, within_days=200)
    assert all(o.due_on <= date(2025, 8, 20) for o in soon) and len(soon) < len(upcoming)

    reporting = svc.complete_obligation(
        engine, workspace, "c40/us/annual-reporting", actor, done_on=date(2025, 7, 20), as_of=as_of
    )
    assert reporting.due_on == date(2026, 7, 31) and reporting.last_done_on == date(2025, 7, 20) and not reporting.done
    plan = svc.complete_obligation(engine, workspace, "c40/us/climate-action-plan", actor, done_on=date(2025, 6, 1))
    assert plan.done
    assert "c40/us/climate-action-plan" not in {
        o.ref for o in svc.upcoming_obligations(engine, workspace, actor, as_of=as_of)
    }
    assert audit_history(engine, workspace, record_type_name="obligation")[0].action == "update"


def test_an_obligation_needs_an_existing_membership(engine, workspace, actor):
    with pytest.raises(InvalidInput) as caught:
        svc.save_obligation(
            engine,
            workspace,
            {"membership": "nowhere/us", "kind": "dues", "title": "Dues", "due_on": "2025-01-31"},
            actor,
        )
    assert caught.value.problems[0].field == "membership"
    with pytest.raises(NotFound):
        svc.add_membership_obligations(engine, workspace, "nowhere/us", actor)


def test_any_record_can_carry_sdg_tags(engine, workspace, actor):
    save_record(
        engine,
        workspace,
        "agreements",
        {"ref": "mou-water", "title": "Water MOU", "kind": "memorandum_of_understanding"},
        actor,
    )
    assert svc.set_sdg_tags(engine, workspace, "agreements", "mou-water", ["6.3", "SDG 6.4.1", 17], actor) == [
        "6.3",
        "6.4.1",
        "17",
    ]
    assert svc.sdg_tags(engine, workspace, "agreements", "mou-water") == ["6.3", "6.4.1", "17"]
    assert svc.set_sdg_tags(engine, workspace, "practices", "cool-roofs", ["11.6"], actor) == ["11.6"]
    with pytest.raises(InvalidInput) as caught:
        svc.set_sdg_tags(engine, workspace, "agreements", "mou-water", ["6.3", "6.12"], actor)
    assert caught.value.problems[0].field == "codes[1]"
    with pytest.raises(NotFound):
        svc.set_sdg_tags(engine, workspace, "agreements", "no-such-mou", ["6"], actor)
    with pytest.raises(InvalidInput, match="cannot be tagged"):
        svc.set_sdg_tags(engine, workspace, "gifts-and-things", "x", ["6"], actor)


def test_sdg_dashboard_counts_commitments_statuses_engagements_agreements_and_practices(engine, workspace, actor):
    svc.save_commitment(
        engine,
        workspace,
        {
            "ref": "water-plan",
            "title": "Water plan",
            "sdgs": ["6"],
            "practices": ["stormwater-capture"],
            "targets": [
                {
                    "key": "reuse",
                    "indicator": "Wastewater reused",
                    "unit": "%",
                    "baseline_year": 2017,
                    "baseline_value": 27,
                    "target_year": 2035,
                    "target_value": 100,
                    "indicator_code": "6.3.1",
                }
            ],
        },
        actor,
    )
    svc.add_measurements(
        engine,
        workspace,
        "water-plan",
        "reuse",
        [{"year": 2020, "value": 30, "source": "x"}],
        actor,
        today=date(2025, 1, 1),
    )
    save_record(
        engine,
        workspace,
        "engagements",
        {"title": "Water exchange", "kind": "meeting", "start": "2024-05-01T10:00", "sdgs": [6, 17]},
        actor,
    )
    save_record(
        engine,
        workspace,
        "agreements",
        {"ref": "mou-water", "title": "Water MOU", "kind": "memorandum_of_understanding"},
        actor,
    )
    svc.set_sdg_tags(engine, workspace, "agreements", "mou-water", ["6.a"], actor)

    board = svc.sdg_dashboard(engine, workspace, actor, as_of=date(2025, 1, 1))
    assert [g.number for g in board.goals] == list(range(1, 18))
    water = board.goals[5]
    assert water.name == "Clean water and sanitation"
    assert [c.ref for c in water.commitments] == ["water-plan"]
    assert water.target_status_counts["off_track"] == 1
    assert water.engagements == 1 and water.agreements == 1
    assert water.practices == ["stormwater-capture"]
    assert [c.code for c in water.codes_used] == ["6.3.1", "6.a"]
    assert board.goals[16].engagements == 1 and board.goals[16].commitments == []
    assert "A/RES/71/313" in board.provenance


def test_the_demo_commitments_seed_on_a_bare_workspace_and_again_without_change(engine, workspace, actor):
    today = date(2026, 6, 30)
    summary = svc.seed_demo_commitments(engine, workspace, actor, today=today)
    assert summary["commitments"] == ["2019-la-green-new-deal-five-zeroes", "2017-paris-pledge-climate-mayors"]
    assert summary["memberships"] == {"c40": "c40/us", "u20": "u20/us"}
    entries = len(audit_history(engine, workspace, limit=10000))
    svc.seed_demo_commitments(engine, workspace, actor, today=today)
    assert len(audit_history(engine, workspace, limit=10000)) == entries

    five = svc.get_commitment(engine, workspace, "2019-la-green-new-deal-five-zeroes", actor, as_of=today)
    assert [t.key for t in five.targets] == [
        "zero-carbon-grid",
        "zero-carbon-transportation",
        "zero-carbon-buildings",
        "zero-waste",
        "zero-wasted-water",
    ]
    assert five.uses_illustrative_data
    assert all(m.illustrative and "not a real measurement" in m.source for t in five.targets for m in t.measurements)
    assert {t.status.status for t in five.targets} >= {"on_track", "off_track", "at_risk"}
    assert five.networks[0].ref == "c40"
    paris = svc.get_commitment(engine, workspace, "2017-paris-pledge-climate-mayors", actor, as_of=today)
    assert paris.networks[0].ref == "climate-mayors" and paris.frameworks == ["Paris Agreement"]

    upcoming = svc.upcoming_obligations(engine, workspace, actor, as_of=today)
    assert {o.network for o in upcoming} == {"c40", "u20"}
    assert "c40/us/climate-action-plan" not in {o.ref for o in upcoming}  # met by the 2019 Green New Deal
