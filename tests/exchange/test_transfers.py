"""Transfers: 'city X adopted it from city Y in year Z, adapted how, with what outcome', both ways."""

from __future__ import annotations

import pytest

from citydiplomacy.domain import InvalidInput, NotFound
from citydiplomacy.services import practices as svc
from citydiplomacy.services.registry import audit_history

from .conftest import jsonl, library_lines


@pytest.fixture
def stocked(engine, la_workspace, actor) -> str:
    svc.import_practices(
        engine,
        la_workspace,
        jsonl(
            library_lines(
                "mexico-city-sasmex", "los-angeles-shakealertla", "bogota-ciclovia", "ahmedabad-heat-action-plan"
            )
        ),
        actor,
    )
    return la_workspace


def test_our_city_borrows_a_practice_and_sees_it_listed(engine, stocked, actor):
    view = svc.record_transfer(
        engine,
        stocked,
        "ahmedabad-heat-action-plan",
        {"year": 2026, "adaptation": "Alerts in English and Spanish; cooling centres in libraries"},
        actor,
    )
    transfer = view.transfer
    assert transfer.adopter_is_us and transfer.adopter_city == "Los Angeles" and transfer.adopter_country == "US"
    assert (transfer.from_city, transfer.from_country, transfer.status) == ("Ahmedabad", "IN", "intended")
    assert view.adopter_latitude is not None and view.from_latitude is not None
    ours = {v.transfer.practice: v.transfer for v in svc.our_borrowings(engine, stocked, actor)}
    assert ours["ahmedabad-heat-action-plan"].adopter_is_us
    # The library already records that Los Angeles borrowed the Ciclovía (CicLAvia, 2010).
    assert ours["bogota-ciclovia"].year == 2010 and not ours["bogota-ciclovia"].adopter_is_us
    on_page = svc.get_practice(engine, stocked, "ahmedabad-heat-action-plan", actor).transfers
    assert transfer.ref in {v.transfer.ref for v in on_page}
    entry = audit_history(engine, stocked, record_type_name="practice-transfer", ref=transfer.ref)[0]
    assert entry.action == "create" and entry.after["adaptation"].startswith("Alerts")


def test_a_failed_transfer_is_recorded_with_its_outcome(engine, stocked, actor):
    view = svc.record_transfer(
        engine,
        stocked,
        "bogota-ciclovia",
        {
            "adopter_city": "Lagos",
            "adopter_country": "NG",
            "year": 2015,
            "status": "abandoned",
            "outcome": "failure",
            "outcome_notes": "Stopped after two editions: no police cover for road closures.",
        },
        actor,
    )
    listed = {
        v.transfer.ref: v.transfer for v in svc.list_transfers(engine, stocked, actor, practice="bogota-ciclovia")
    }
    assert listed[view.transfer.ref].outcome == "failure"
    assert listed[view.transfer.ref].status == "abandoned"


def test_recording_the_same_transfer_twice_updates_it(engine, stocked, actor):
    first = svc.record_transfer(engine, stocked, "mexico-city-sasmex", {"year": 2026}, actor)
    second = svc.record_transfer(
        engine, stocked, "mexico-city-sasmex", {"year": 2026, "status": "adopted", "outcome": "success"}, actor
    )
    assert first.transfer.ref == second.transfer.ref
    ours = [v for v in svc.our_borrowings(engine, stocked, actor) if v.transfer.practice == "mexico-city-sasmex"]
    assert len(ours) == 1 and ours[0].transfer.outcome == "success"


def test_who_borrowed_from_us_is_the_reverse_view(engine, stocked, actor):
    svc.record_transfer(
        engine,
        stocked,
        "los-angeles-shakealertla",
        {"adopter_city": "Portland", "adopter_country": "US", "year": 2024},
        actor,
    )
    svc.record_transfer(engine, stocked, "bogota-ciclovia", {"year": 2026}, actor)  # we borrow: not "from us"
    from_us = svc.borrowed_from_us(engine, stocked, actor)
    assert {v.transfer.adopter_city for v in from_us} >= {"Portland"}
    assert all(v.transfer.from_city == "Los Angeles" for v in from_us)
    assert all(not v.transfer.adopter_is_us for v in from_us)


def test_transfers_are_validated_and_need_a_known_practice(engine, stocked, actor):
    with pytest.raises(InvalidInput) as caught:
        svc.record_transfer(engine, stocked, "bogota-ciclovia", {"year": 1500}, actor)
    assert caught.value.problems[0].field == "year"
    with pytest.raises(InvalidInput):
        svc.record_transfer(engine, stocked, "bogota-ciclovia", {"outcome": "brilliant"}, actor)
    with pytest.raises(NotFound):
        svc.record_transfer(engine, stocked, "no-such-practice", {}, actor)


def test_reimporting_the_library_keeps_transfers_recorded_by_staff(engine, stocked, actor):
    view = svc.record_transfer(engine, stocked, "bogota-ciclovia", {"year": 2026}, actor)
    svc.import_practices(engine, stocked, jsonl(library_lines("bogota-ciclovia")), actor)
    refs = {v.transfer.ref for v in svc.list_transfers(engine, stocked, actor, practice="bogota-ciclovia")}
    assert view.transfer.ref in refs
