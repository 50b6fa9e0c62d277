"""Importing a practice library: validated, all-or-nothing, idempotent, audited."""

from __future__ import annotations

import pytest

from citydiplomacy.domain import InvalidInput
from citydiplomacy.services import practices as svc
from citydiplomacy.services.registry import audit_history

from .conftest import jsonl, library_lines


def test_the_shared_library_imports_with_ids_as_slugs_transfers_sources_and_caveats(engine, library, actor):
    page = svc.list_practices(engine, library, actor, per_page=500)
    assert page.total == 81
    detail = svc.get_practice(engine, library, "mexico-city-sasmex", actor)
    assert detail.practice.title == "SASMEX public earthquake early-warning system"
    assert detail.practice.country_code == "MX" and detail.summary.region == "Latin America and the Caribbean"
    assert detail.practice.sources and all(s.startswith("http") for s in detail.practice.sources)
    ciclovia = svc.get_practice(engine, library, "bogota-ciclovia", actor)
    borrowers = {v.transfer.adopter_city for v in ciclovia.transfers}
    assert "Los Angeles (CicLAvia)" in borrowers
    cicla = next(v.transfer for v in ciclovia.transfers if v.transfer.adopter_city == "Los Angeles (CicLAvia)")
    assert (cicla.from_city, cicla.year, cicla.origin) == ("Bogotá", 2010, "import")
    assert cicla.evidence  # the adopter's note is kept as evidence
    finland = svc.get_practice(engine, library, "finland-basic-income-experiment", actor)
    assert finland.practice.city is None and finland.practice.uncertain


def test_reimporting_the_same_file_changes_nothing(engine, la_workspace, actor):
    text = jsonl(library_lines("mexico-city-sasmex", "los-angeles-shakealertla", "bogota-ciclovia"))
    first = svc.import_practices(engine, la_workspace, text, actor)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert first.transfers_inserted == sum(
        len(r["adopters"]) for r in library_lines("mexico-city-sasmex", "los-angeles-shakealertla", "bogota-ciclovia")
    )
    entries = len(audit_history(engine, la_workspace))
    second = svc.import_practices(engine, la_workspace, text, actor)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)
    assert second.transfers_inserted == second.transfers_updated == second.transfers_removed == 0
    assert len(audit_history(engine, la_workspace)) == entries


def test_a_changed_line_updates_that_practice_and_its_transfers_only(engine, la_workspace, actor):
    records = library_lines("mexico-city-sasmex", "bogota-ciclovia")
    svc.import_practices(engine, la_workspace, jsonl(records), actor)
    records[1]["title"] = "Ciclovía (Sundays and holidays)"
    dropped = records[1]["adopters"].pop()
    report = svc.import_practices(engine, la_workspace, jsonl(records), actor)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    assert report.transfers_removed == 1
    assert [line.action for line in report.lines] == ["unchanged", "updated"]
    history = audit_history(engine, la_workspace, record_type_name="practice", ref="bogota-ciclovia")
    assert history[0].action == "update" and "title" in history[0].changed
    borrowers = {
        v.transfer.adopter_city for v in svc.get_practice(engine, la_workspace, "bogota-ciclovia", actor).transfers
    }
    assert dropped["city"] not in borrowers


def test_a_bad_line_names_file_line_and_field_and_nothing_is_written(engine, la_workspace, actor):
    records = library_lines("mexico-city-sasmex", "london-ulez", "bogota-ciclovia")
    records[1]["year_started"] = "the seventies"
    records[2]["adopters"][0]["year"] = "soon"
    text = jsonl(records) + "{not json\n"
    with pytest.raises(InvalidInput) as caught:
        svc.import_practices(engine, la_workspace, text, actor, file_name="library.jsonl")
    problems = caught.value.problems
    assert any(p.file == "library.jsonl" and p.line == 2 and p.field == "year_started" for p in problems)
    assert any(p.line == 3 and p.field == "adopters.0.year" for p in problems)
    assert any(p.line == 4 and "not valid JSON" in p.message for p in problems)
    assert svc.list_practices(engine, la_workspace, actor).total == 0


def test_duplicate_ids_and_unknown_fields_are_refused(engine, la_workspace, actor):
    sasmex = library_lines("mexico-city-sasmex")[0]
    other = dict(sasmex, title="Another title")
    odd = dict(library_lines("london-ulez")[0], colour="blue")
    with pytest.raises(InvalidInput) as caught:
        svc.import_practices(engine, la_workspace, jsonl([sasmex, other, odd]), actor)
    messages = {(p.line, p.field): p.message for p in caught.value.problems}
    assert "already used on line 1" in messages[(2, "id")]
    assert "unknown field" in messages[(3, "colour")]


def test_a_dry_run_reports_without_writing(engine, la_workspace, actor):
    report = svc.import_practices(engine, la_workspace, jsonl(library_lines("london-ulez")), actor, dry_run=True)
    assert report.inserted == 1 and report.dry_run
    assert svc.list_practices(engine, la_workspace, actor).total == 0


def test_import_is_audited_as_an_import(engine, la_workspace, actor):
    svc.import_practices(engine, la_workspace, jsonl(library_lines("london-ulez")), actor)
    entries = audit_history(engine, la_workspace, record_type_name="practice", ref="london-ulez")
    assert len(entries) == 1
    assert (entries[0].action, entries[0].interface, entries[0].actor) == ("create", "import", actor.name)
    assert entries[0].after["title"] == "Ultra Low Emission Zone (ULEZ)"
