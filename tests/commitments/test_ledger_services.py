"""The commitment ledger on SQLite and PostgreSQL: save, read, measure, refuse bad input, audit."""

from datetime import date

import pytest

from citydiplomacy.domain import Conflict, InvalidInput, NotFound, PermissionDenied
from citydiplomacy.services import commitments as svc
from citydiplomacy.services.registry import Actor, audit_history, save_record

TODAY = date(2026, 6, 30)


def plan(**changes) -> dict:
    data = {
        "ref": "green-deal",
        "title": "Green Deal",
        "kind": "plan",
        "made_on": "2019-04-29",
        "sdgs": ["13.2"],
        "targets": [
            {
                "key": "grid",
                "indicator": "Renewable share of electricity",
                "unit": "%",
                "baseline_year": 2017,
                "baseline_value": 30,
                "target_year": 2045,
                "target_value": 100,
                "indicator_code": "7.2.1",
            },
            {
                "key": "buildings",
                "indicator": "Building emissions",
                "unit": "MtCO2e",
                "baseline_year": 2017,
                "baseline_value": 12,
                "target_year": 2050,
                "target_value": 0,
                "sdgs": ["11.6"],
            },
        ],
    }
    return data | changes


def rows(values: dict[int, float], **extra) -> list[dict]:
    return [{"year": y, "value": v, "source": "Annual report"} | extra for y, v in values.items()]


def measured(engine, workspace, actor, key="grid"):
    view = svc.get_commitment(engine, workspace, "green-deal", actor, as_of=TODAY)
    return [(m.year, m.value) for m in next(t for t in view.targets if t.key == key).measurements]


def test_save_read_and_measure_a_commitment(engine, workspace, actor):
    created = svc.save_commitment(engine, workspace, plan(), actor, as_of=TODAY)
    assert [t.status.status for t in created.targets] == ["no_data", "no_data"]

    target = svc.add_measurements(
        engine, workspace, "green-deal", "grid", rows({2019: 36, 2021: 42, 2023: 50}), actor, today=TODAY
    )
    assert target.status.status == "on_track"
    assert target.status.method.startswith("Least-squares")

    view = svc.get_commitment(engine, workspace, "green-deal", actor, as_of=TODAY)
    grid = view.targets[0]
    assert [p.value for p in grid.series.measured] == [36, 42, 50]
    assert grid.series.baseline.value == 30 and grid.series.target.value == 100
    assert len(grid.series.trend) == 2
    assert view.status_counts == {"on_track": 1, "at_risk": 0, "off_track": 0, "no_data": 1}
    assert [s.code for s in view.sdgs] == ["13.2"]

    listed = svc.list_commitments(engine, workspace, actor, as_of=TODAY)
    assert [c.ref for c in listed] == ["green-deal"]
    assert svc.list_commitments(engine, workspace, actor, sdg="7") and svc.list_commitments(
        engine, workspace, actor, sdg="11.6"
    )
    assert svc.list_commitments(engine, workspace, actor, sdg="3") == []

    history = audit_history(engine, workspace)
    assert [(h.action, h.record_type) for h in history[:4]] == [
        ("create", "measurement"),
        ("create", "measurement"),
        ("create", "measurement"),
        ("create", "commitment"),
    ]


def test_saving_again_keeps_measurements_and_is_idempotent(engine, workspace, actor):
    svc.save_commitment(engine, workspace, plan(), actor)
    svc.add_measurements(engine, workspace, "green-deal", "grid", rows({2020: 40}), actor, today=TODAY)
    before = len(audit_history(engine, workspace))
    svc.save_commitment(engine, workspace, plan(), actor)
    assert len(audit_history(engine, workspace)) == before  # unchanged: no audit entry
    changed = plan(title="Green Deal (2019)")
    changed["targets"][0]["milestones"] = [{"year": 2025, "value": 55}]
    svc.save_commitment(engine, workspace, changed, actor)
    assert measured(engine, workspace, actor) == [(2020, 40)]


def test_links_to_networks_agreements_and_engagements_must_exist(engine, workspace, actor):
    with pytest.raises(InvalidInput) as caught:
        svc.save_commitment(
            engine, workspace, plan(networks=["c40"], agreements=["no-such-mou"], engagement="no-such-meeting"), actor
        )
    assert {p.field for p in caught.value.problems} == {"networks[0]", "agreements[0]", "engagement"}
    save_record(engine, workspace, "networks", {"ref": "c40", "name": "C40"}, actor)
    view = svc.save_commitment(engine, workspace, plan(networks=["c40"]), actor)
    assert view.networks[0].label == "C40" and view.networks[0].found


def test_invalid_fields_are_named(engine, workspace, actor):
    bad = plan(sdgs=["13.9"])
    bad["targets"][1]["target_year"] = 2010
    with pytest.raises(InvalidInput) as caught:
        svc.save_commitment(engine, workspace, bad, actor)
    fields = {p.field for p in caught.value.problems}
    assert "sdgs" in fields and "targets.1" in fields
    assert svc.list_commitments(engine, workspace, actor) == []


def test_measurements_in_the_wrong_unit_outside_the_span_or_duplicated_are_refused_all_or_nothing(
    engine, workspace, actor
):
    svc.save_commitment(engine, workspace, plan(), actor)
    batch = [
        {"year": 2019, "value": 35, "source": "ok"},
        {"year": 2020, "value": 0.4, "unit": "fraction", "source": "wrong unit"},
        {"year": 2015, "value": 25, "source": "before the baseline"},
        {"year": 2046, "value": 99, "source": "after the target year"},
        {"on": "2026-12-31", "value": 60, "source": "in the future"},
        {"year": 2019, "value": 36, "source": "same date again"},
        {"year": "twenty", "value": 1, "source": "not a year"},
    ]
    with pytest.raises(InvalidInput) as caught:
        svc.add_measurements(engine, workspace, "green-deal", "grid", batch, actor, today=TODAY)
    by_field = {p.field: p.message for p in caught.value.problems}
    assert "not the target's unit '%'" in by_field["measurements[1].unit"]
    assert "before the baseline year 2017" in by_field["measurements[2].on"]
    assert "after the target year 2045" in by_field["measurements[3].on"]
    assert "in the future" in by_field["measurements[4].on"]
    assert "appears twice" in by_field["measurements[5].on"]
    assert "whole number" in by_field["measurements[6].year"]
    assert measured(engine, workspace, actor) == []  # the good row was not written either


def test_a_stored_date_needs_replace(engine, workspace, actor):
    svc.save_commitment(engine, workspace, plan(), actor)
    svc.add_measurements(engine, workspace, "green-deal", "grid", rows({2020: 40}), actor, today=TODAY)
    with pytest.raises(InvalidInput, match="already has a value for 2020-12-31"):
        svc.add_measurements(engine, workspace, "green-deal", "grid", rows({2020: 41}), actor, today=TODAY)
    svc.add_measurements(
        engine, workspace, "green-deal", "grid", rows({2020: 41}, unit="percent"), actor, replace=True, today=TODAY
    )
    assert measured(engine, workspace, actor) == [(2020, 41)]
    svc.delete_measurement(engine, workspace, "green-deal", "grid", "2020-12-31", actor)
    assert measured(engine, workspace, actor) == []
    with pytest.raises(NotFound):
        svc.delete_measurement(engine, workspace, "green-deal", "grid", "2020-12-31", actor)


def test_unknown_target_is_named(engine, workspace, actor):
    svc.save_commitment(engine, workspace, plan(), actor)
    with pytest.raises(InvalidInput, match="no target 'water'; targets: grid, buildings"):
        svc.add_measurements(engine, workspace, "green-deal", "water", rows({2020: 1}), actor, today=TODAY)


def test_edits_that_would_orphan_or_contradict_measurements_are_refused(engine, workspace, actor):
    svc.save_commitment(engine, workspace, plan(), actor)
    svc.add_measurements(engine, workspace, "green-deal", "grid", rows({2018: 33}), actor, today=TODAY)
    dropped = plan(targets=plan()["targets"][1:])
    with pytest.raises(InvalidInput, match="target 'grid' has 1 measurement"):
        svc.save_commitment(engine, workspace, dropped, actor)
    other_unit = plan()
    other_unit["targets"][0]["unit"] = "GWh"
    other_unit["targets"][0]["indicator"] = "Renewable electricity"
    with pytest.raises(InvalidInput) as caught:
        svc.save_commitment(engine, workspace, other_unit, actor)
    assert caught.value.problems[0].field == "targets[0].unit"
    narrower = plan()
    narrower["targets"][0]["baseline_year"] = 2019
    with pytest.raises(InvalidInput) as caught:
        svc.save_commitment(engine, workspace, narrower, actor)
    assert caught.value.problems[0].field == "targets[0].baseline_year"
    assert measured(engine, workspace, actor) == [(2018, 33)]


def test_delete_removes_targets_and_measurements_and_is_audited(engine, workspace, actor):
    svc.save_commitment(engine, workspace, plan(), actor)
    svc.add_measurements(engine, workspace, "green-deal", "grid", rows({2018: 33}), actor, today=TODAY)
    svc.delete_commitment(engine, workspace, "green-deal", actor)
    with pytest.raises(NotFound):
        svc.get_commitment(engine, workspace, "green-deal", actor)
    last = audit_history(engine, workspace)[0]
    assert (last.action, last.record_type) == ("delete", "commitment")
    assert last.before["measurements"]["grid"][0]["value"] == 33
    svc.save_commitment(engine, workspace, plan(), actor)
    assert measured(engine, workspace, actor) == []


def test_confidential_commitments_are_hidden_from_those_who_may_not_see_them(engine, workspace, actor):
    svc.save_commitment(engine, workspace, plan(confidentiality="confidential"), actor)
    viewer = Actor(name="viewer", visible=("public", "internal"), can_write=False)
    assert svc.list_commitments(engine, workspace, viewer) == []
    with pytest.raises(NotFound):
        svc.get_commitment(engine, workspace, "green-deal", viewer)
    with pytest.raises(PermissionDenied):
        svc.save_commitment(engine, workspace, plan(ref="other"), viewer)
    staff = Actor(name="staff", visible=("public", "internal"))
    with pytest.raises(Conflict):
        svc.save_commitment(engine, workspace, plan(), staff)


def test_workspaces_do_not_see_each_others_commitments(engine, workspace, actor):
    from citydiplomacy.services.registry import create_workspace
    from tests.fixtures.database import unique

    other = unique("ws")
    create_workspace(engine, {"slug": other, "name": "Other", "country_code": "US"}, actor)
    svc.save_commitment(engine, workspace, plan(), actor)
    assert svc.list_commitments(engine, other, actor) == []
    with pytest.raises(NotFound):
        svc.get_commitment(engine, other, "green-deal", actor)
