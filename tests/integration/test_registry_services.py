"""Staff record their international work; the registry keeps it whole, scoped and audited."""

import pytest
from sqlalchemy import func, select

from citydiplomacy.adapters.db import audit
from citydiplomacy.adapters.db import tables as t
from citydiplomacy.adapters.db.repository import ListQuery
from citydiplomacy.domain import Conflict, InvalidInput, NotFound, PermissionDenied
from citydiplomacy.services import registry as r
from citydiplomacy.services.registry import Actor
from tests.fixtures.database import unique


def seed_vietnam(engine, ws, actor):
    r.save_record(engine, ws, "places", {"kind": "country", "name": "Viet Nam", "country_code": "VN"}, actor)
    r.save_record(
        engine, ws, "places", {"kind": "city", "name": "Hanoi", "country_code": "VN", "geonames_id": 1581130}, actor
    )
    r.save_record(
        engine,
        ws,
        "partners",
        {
            "name": "Government of Viet Nam",
            "kind": "national_government",
            "country_code": "VN",
            "place": "geonames:1581130",
        },
        actor,
    )
    r.save_record(
        engine, ws, "people", {"name": "Nguyễn Xuân Phúc", "ref": "nguyen-xuan-phuc", "country_code": "VN"}, actor
    )
    r.save_record(
        engine,
        ws,
        "posts",
        {
            "person": "nguyen-xuan-phuc",
            "title": "Prime Minister of Viet Nam",
            "partner": "government-of-viet-nam",
            "seniority": "head_of_state_or_government",
            "level": "national",
            "start_date": "2016-04-07",
            "end_date": "2021-04-05",
        },
        actor,
    )
    return r.save_record(
        engine,
        ws,
        "engagements",
        {
            "title": "Meeting with Prime Minister Nguyen Xuan Phuc",
            "kind": "meeting",
            "status": "held",
            "start": "2018-04-10T10:00",
            "timezone": "Asia/Ho_Chi_Minh",
            "venue_place": "geonames:1581130",
            "partners": ["government-of-viet-nam"],
            "participants": [{"person": "nguyen-xuan-phuc", "side": "theirs"}],
            "topics": ["trade", "aviation", "human-rights"],
            "sdgs": [8, 16],
            "follow_ups": [
                {"description": "Letter to Vietnam Airlines on a nonstop LAX route", "due_on": "2018-05-01"}
            ],
            "confidentiality": "public",
        },
        actor,
    )


def test_a_logged_engagement_reads_back_exactly(engine, workspace, actor):
    saved = seed_vietnam(engine, workspace, actor)
    assert saved.action == "inserted"
    again = r.get_record(engine, workspace, "engagements", saved.record.ref, actor)
    assert again == saved.record
    assert again.start.isoformat() == "2018-04-10T10:00:00+07:00"
    assert again.follow_ups[0].description.startswith("Letter to Vietnam Airlines")


def test_saving_the_same_record_twice_changes_nothing_and_is_not_audited_twice(engine, workspace, actor):
    saved = seed_vietnam(engine, workspace, actor)
    before = len(r.audit_history(engine, workspace))
    again = r.save_record(engine, workspace, "engagements", saved.record.model_dump(mode="json"), actor)
    assert again.action == "unchanged"
    assert len(r.audit_history(engine, workspace)) == before


def test_an_update_is_audited_with_before_and_after(engine, workspace, actor):
    saved = seed_vietnam(engine, workspace, actor)
    r.update_record(engine, workspace, "engagements", saved.record.ref, {"outcomes": "Airlines invited"}, actor)
    entry = r.audit_history(engine, workspace, ref=saved.record.ref)[0]
    assert entry.action == "update"
    assert entry.actor == actor.name and entry.interface == "python"
    assert entry.before["outcomes"] is None and entry.after["outcomes"] == "Airlines invited"
    assert entry.changed == ["outcomes"]


def test_filters_find_engagements_by_country_person_topic_and_local_dates(engine, workspace, actor):
    seed_vietnam(engine, workspace, actor)

    def count(**filters):
        return r.list_records(engine, workspace, "engagements", ListQuery(**filters), actor).total

    assert count(country="VN") == 1
    assert count(country="JP") == 0
    assert count(person="nguyen-xuan-phuc", topic="aviation", sdg=16) == 1
    assert count(topic="olympics") == 0
    # 10:00 in Hanoi is 19:00 the day before in Los Angeles, the workspace's zone.
    assert count(date_from="2018-04-09", date_to="2018-04-09") == 1
    assert count(date_from="2018-04-10") == 0


def test_filters_that_do_not_apply_are_refused_with_the_field_named(engine, workspace, actor):
    with pytest.raises(InvalidInput) as error:
        r.list_records(engine, workspace, "places", ListQuery(topic="trade"), actor)
    assert error.value.problems[0].field == "topic"
    with pytest.raises(InvalidInput, match="unknown sort"):
        r.list_records(engine, workspace, "partners", ListQuery(sort="-colour"), actor)


def test_sorting_and_paging(engine, workspace, actor):
    for name in ["Consulate General of Japan", "Consulate General of Mexico", "Consulate General of Korea"]:
        r.save_record(engine, workspace, "partners", {"name": name, "kind": "consulate"}, actor)
    page = r.list_records(engine, workspace, "partners", ListQuery(sort="-name", per_page=2), actor)
    assert page.total == 3 and page.pages == 2
    assert [p.name for p in page.items] == ["Consulate General of Mexico", "Consulate General of Korea"]
    second = r.list_records(engine, workspace, "partners", ListQuery(sort="-name", per_page=2, page=2), actor)
    assert [p.name for p in second.items] == ["Consulate General of Japan"]


def test_a_reference_to_an_unknown_record_is_refused_and_nothing_is_written(engine, workspace, actor):
    with pytest.raises(InvalidInput) as error:
        r.save_record(
            engine,
            workspace,
            "engagements",
            {"title": "x", "kind": "meeting", "start": "2020-01-01", "partners": ["no-such-partner"]},
            actor,
        )
    assert error.value.problems[0].field == "partners[0]"
    assert "no partner with ref 'no-such-partner'" in error.value.problems[0].message
    assert r.list_records(engine, workspace, "engagements", ListQuery(), actor).total == 0


def test_a_partner_still_in_use_cannot_be_deleted(engine, workspace, actor):
    seed_vietnam(engine, workspace, actor)
    with pytest.raises(Conflict, match="still referred to by"):
        r.delete_record(engine, workspace, "partners", "government-of-viet-nam", actor)


def test_deleting_is_audited_and_the_record_is_gone(engine, workspace, actor):
    r.save_record(engine, workspace, "partners", {"name": "Sister Cities International", "kind": "ngo"}, actor)
    r.delete_record(engine, workspace, "partners", "sister-cities-international", actor)
    with pytest.raises(NotFound):
        r.get_record(engine, workspace, "partners", "sister-cities-international", actor)
    assert r.audit_history(engine, workspace)[0].action == "delete"


def test_records_of_another_workspace_are_not_found(engine, workspace, actor):
    saved = seed_vietnam(engine, workspace, actor)
    other = unique("other")
    r.create_workspace(engine, {"slug": other, "name": "Other City", "country_code": "US"}, actor)
    with pytest.raises(NotFound):
        r.get_record(engine, other, "engagements", saved.record.ref, actor)
    assert r.list_records(engine, other, "engagements", ListQuery(), actor).total == 0
    # the same ref can exist independently in both workspaces
    r.save_record(engine, other, "partners", {"name": "Government of Viet Nam", "kind": "national_government"}, actor)


def test_confidential_records_are_invisible_to_those_who_may_not_see_them(engine, workspace, actor):
    r.save_record(
        engine,
        workspace,
        "partners",
        {"name": "Quiet Contact", "kind": "company", "confidentiality": "confidential"},
        actor,
    )
    viewer = Actor(name="viewer", visible=("public", "internal"), can_write=False)
    with pytest.raises(NotFound):
        r.get_record(engine, workspace, "partners", "quiet-contact", viewer)
    assert r.list_records(engine, workspace, "partners", ListQuery(), viewer).total == 0
    with pytest.raises(PermissionDenied):
        r.save_record(engine, workspace, "partners", {"name": "Another", "kind": "company"}, viewer)


def test_the_audit_chain_verifies_and_detects_tampering(engine, workspace, actor):
    seed_vietnam(engine, workspace, actor)
    with engine.connect() as conn:
        count, breaks = audit.verify(conn)
        assert count >= 6 and breaks == []
    with engine.begin() as conn:
        ws_id = conn.execute(select(t.workspaces.c.id).where(t.workspaces.c.slug == workspace)).scalar_one()
        victim = conn.execute(
            select(func.min(t.audit_log.c.id)).where(
                t.audit_log.c.workspace_id == ws_id,
                t.audit_log.c.action == "create",
                t.audit_log.c.record_type == "partner",
            )
        ).scalar_one()
        conn.execute(t.audit_log.update().where(t.audit_log.c.id == victim).values(actor="someone-else"))
    try:
        with engine.connect() as conn:
            _count, breaks = audit.verify(conn)
        assert [b.entry_id for b in breaks] == [victim]
        assert "altered" in breaks[0].reason
    finally:
        with engine.begin() as conn:
            conn.execute(t.audit_log.update().where(t.audit_log.c.id == victim).values(actor="test-staff"))


def test_a_failed_unit_of_work_leaves_nothing_behind(engine, workspace, actor):
    from citydiplomacy.domain import Partner
    from citydiplomacy.services.unit_of_work import UnitOfWork

    with pytest.raises(RuntimeError), UnitOfWork(engine, workspace) as uow:
        uow.records.save(Partner(name="Half Written", kind="ngo"), uow.now)
        raise RuntimeError("power cut")
    with pytest.raises(NotFound):
        r.get_record(engine, workspace, "partners", "half-written", actor)


def test_an_uncommitted_unit_of_work_rolls_back_by_default(engine, workspace, actor):
    from citydiplomacy.domain import Partner
    from citydiplomacy.services.unit_of_work import UnitOfWork

    with UnitOfWork(engine, workspace) as uow:
        uow.records.save(Partner(name="Forgotten", kind="ngo"), uow.now)
    with pytest.raises(NotFound):
        r.get_record(engine, workspace, "partners", "forgotten", actor)


def test_an_unknown_workspace_is_not_found(engine, actor):
    with pytest.raises(NotFound, match="workspace"):
        r.list_records(engine, "no-such-city", "partners", ListQuery(), actor)
