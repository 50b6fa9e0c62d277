"""Diffusion: who learned from whom (graph) and when (timeline)."""

from __future__ import annotations

from citydiplomacy.services import practices as svc


def test_the_ciclovia_spreads_from_bogota_to_its_borrowers(engine, library, actor):
    graph = svc.diffusion_graph(engine, library, actor, practice="bogota-ciclovia")
    nodes = {node.id: node for node in graph.nodes}
    bogota = nodes["bogota|CO"]
    assert bogota.origin_of == ["bogota-ciclovia"] and bogota.latitude is not None
    assert graph.edges and all(edge.source == "bogota|CO" for edge in graph.edges)
    targets = {nodes[edge.target].label for edge in graph.edges}
    assert "Los Angeles (CicLAvia)" in targets
    assert 1974 in graph.years and 2010 in graph.years
    assert graph.years == sorted(graph.years)


def test_the_whole_library_graph_only_shows_practices_that_travelled(engine, library, actor):
    graph = svc.diffusion_graph(engine, library, actor)
    travelled = {edge.practice for edge in graph.edges}
    origins = {slug for node in graph.nodes for slug in node.origin_of}
    assert origins == travelled
    assert len(graph.edges) >= 90


def test_the_timeline_runs_from_the_start_to_the_latest_transfer(engine, library, actor):
    years = svc.diffusion_timeline(engine, library, actor, practice="bogota-ciclovia")
    assert years[0].year == 1974 and years[0].events[0].kind == "started"
    dated = [y.year for y in years if y.year is not None]
    assert dated == sorted(dated)
    transfers = [e for y in years for e in y.events if e.kind == "transfer"]
    assert any(e.city == "Los Angeles (CicLAvia)" and e.from_city == "Bogotá" for e in transfers)


def test_our_own_borrowing_appears_on_the_diffusion_view(engine, la_workspace, actor):
    from .conftest import jsonl, library_lines

    svc.import_practices(engine, la_workspace, jsonl(library_lines("mexico-city-sasmex")), actor)
    svc.record_transfer(engine, la_workspace, "mexico-city-sasmex", {"year": 2026}, actor)
    graph = svc.diffusion_graph(engine, la_workspace, actor, practice="mexico-city-sasmex")
    us = [node for node in graph.nodes if node.is_us]
    assert len(us) == 1 and us[0].label == "Los Angeles"
    assert any(edge.target == us[0].id and edge.year == 2026 and edge.status == "intended" for edge in graph.edges)
