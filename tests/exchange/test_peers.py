"""Peer matching: cities like ours (population, region, climate, networks) that tackled a problem."""

from __future__ import annotations

from citydiplomacy.services import practices as svc
from citydiplomacy.services.registry import save_record

from .conftest import jsonl, library_lines


def test_peers_for_a_problem_are_cities_that_tackled_it_most_similar_first(engine, library, actor):
    peers = svc.find_peers(engine, library, actor, problem="protect residents from extreme heat", limit=20)
    cities = [peer.city for peer in peers]
    assert "Miami" in cities and "Ahmedabad" in cities
    assert cities.index("Miami") < cities.index("Ahmedabad")  # same region and climate band as Los Angeles
    miami = next(peer for peer in peers if peer.city == "Miami")
    assert "miami-dade-chief-heat-officer" in miami.practices
    assert any("same region" in reason for reason in miami.reasons)
    assert [p.similarity for p in peers] == sorted((p.similarity for p in peers), reverse=True)
    assert "Los Angeles" not in cities  # we are not our own peer


def test_shared_networks_make_cities_closer(engine, la_workspace, actor):
    svc.import_practices(
        engine, la_workspace, jsonl(library_lines("copenhagen-cycle-superhighways", "paris-velib-bike-share")), actor
    )
    before = {p.city: p.similarity for p in svc.find_peers(engine, la_workspace, actor)}
    save_record(engine, la_workspace, "networks", {"name": "C40 Cities", "acronym": "C40"}, actor)
    save_record(
        engine,
        la_workspace,
        "partners",
        {"ref": "copenhagen", "name": "City of Copenhagen", "kind": "city", "country_code": "DK"},
        actor,
    )
    save_record(engine, la_workspace, "memberships", {"network": "c40"}, actor)  # us
    save_record(engine, la_workspace, "memberships", {"network": "c40", "member": "copenhagen"}, actor)
    after = {p.city: p for p in svc.find_peers(engine, la_workspace, actor)}
    assert after["Copenhagen"].shared_networks == ["C40 Cities"]
    assert after["Copenhagen"].similarity > before["Copenhagen"]
    assert after["Paris"].similarity == before["Paris"]
