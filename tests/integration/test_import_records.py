"""Importing records from JSON and CSV: all or nothing, audited, idempotent, previewable."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from citydiplomacy.adapters.db import audit
from citydiplomacy.domain import RECORD_TYPES, InvalidInput
from citydiplomacy.domain.vocab import Confidentiality
from citydiplomacy.services.imports import import_data, import_file, import_runs
from citydiplomacy.services.registry import get_record, save_record

from .import_helpers import SAMPLE_WORKSPACE, audit_rows, counts

EXPECTED = {
    "places": 4,
    "partners": 5,
    "people": 3,
    "posts": 2,
    "networks": 1,
    "memberships": 2,
    "agreements": 1,
    "engagements": 3,
    "gifts": 1,
}


def test_a_whole_workspace_file_is_imported_in_dependency_order(engine, workspace, actor):
    before = counts(engine, workspace)

    report = import_file(engine, workspace, SAMPLE_WORKSPACE, actor)

    assert report.ok
    assert {k: v.inserted for k, v in report.counts.items()} == EXPECTED
    assert report.total("updated") == report.total("unchanged") == 0
    after = counts(engine, workspace)
    for plural, n in EXPECTED.items():
        assert after[plural] == before[plural] + n
    # the consulate is listed before its parent ministry in the file, and still points at it
    consulate = get_record(engine, workspace, "partners", "consulate-japan-la", actor)
    assert consulate.parent == "mofa-japan"
    engagement = get_record(engine, workspace, "engagements", "2024-03-15-courtesy-call", actor)
    assert [p.post for p in engagement.participants] == ["yuki-tanaka/consul-general/2023", None]
    assert [r.action for r in report.rows] == ["inserted"] * sum(EXPECTED.values())


def test_every_import_write_is_audited_as_import_with_the_stored_record(engine, workspace, actor):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)

    entries = [e for e in audit_rows(engine, workspace) if e.record_type != "workspace"]
    assert len(entries) == sum(EXPECTED.values())
    assert {e.interface for e in entries} == {"import"}
    assert {e.action for e in entries} == {"create"}
    assert {e.actor for e in entries} == {actor.name}
    # the audit shows exactly what a later read returns (imports do not re-read after writing)
    for entry in entries:
        plural = next(t.plural for t in RECORD_TYPES if t.kind_name == entry.record_type)
        stored = get_record(engine, workspace, plural, entry.record_ref, actor)
        assert entry.after == stored.model_dump(mode="json")
    with engine.connect() as conn:
        _checked, breaks = audit.verify(conn)
    assert breaks == []


def test_importing_the_same_file_twice_changes_nothing_the_second_time(engine, workspace, actor):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    before = counts(engine, workspace)

    again = import_file(engine, workspace, SAMPLE_WORKSPACE, actor)

    assert {k: v.unchanged for k, v in again.counts.items()} == EXPECTED
    assert again.total("inserted") == again.total("updated") == 0
    after = counts(engine, workspace)
    assert after["audit_log"] == before["audit_log"]  # nothing written, nothing audited
    assert after["import_runs"] == before["import_runs"] + 1  # but the run is on record


def test_a_changed_row_is_updated_and_the_rest_left_alone(engine, workspace, actor):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    data = json.loads(SAMPLE_WORKSPACE.read_text())
    data["engagements"][0]["outcomes"] = "Agreed to a follow-up visit in Tokyo."
    data["engagements"][0]["topics"] = ["trade"]

    report = import_data(engine, workspace, json.dumps(data), "workspace.json", actor)

    assert report.counts["engagements"].updated == 1
    assert report.counts["engagements"].unchanged == 2
    assert report.total("updated") == 1
    updated = [r for r in report.rows if r.action == "updated"]
    assert [(r.record_type, r.ref) for r in updated] == [("engagements", "2024-03-15-courtesy-call")]
    stored = get_record(engine, workspace, "engagements", "2024-03-15-courtesy-call", actor)
    assert stored.topics == ["trade"]
    last = audit_rows(engine, workspace)[-1]
    assert (last.action, last.interface, last.before["topics"], last.after["topics"]) == (
        "update",
        "import",
        ["trade", "olympics"],
        ["trade"],
    )


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(engine, workspace, actor):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    before = counts(engine, workspace)
    data = json.loads(SAMPLE_WORKSPACE.read_text())
    data["people"][2]["email"] = "joao.silva@prefeitura.sp.gov.br"
    data["people"].append({"ref": "new-person", "name": "New Person"})
    data["engagements"].append({"title": "Bad", "kind": "lunch", "start": "2025-01-01T12:00:00"})

    report = import_data(engine, workspace, json.dumps(data, indent=2), "preview.json", actor, dry_run=True)

    assert report.dry_run and not report.ok
    assert report.counts["people"].as_dict() == {"inserted": 1, "updated": 1, "unchanged": 2, "rejected": 0}
    assert report.counts["engagements"].rejected == 1
    assert any(p.field == "kind" and "lunch" in str(p.value) for p in report.problems)
    assert counts(engine, workspace) == before
    assert report.run_id is None

    good = import_data(engine, workspace, json.dumps(data["people"]), "people.json", actor, dry_run=True)
    assert good.ok and good.counts["people"].inserted == 1 and good.counts["people"].updated == 1
    assert counts(engine, workspace) == before


def test_each_import_run_is_saved_with_its_report(engine, workspace, actor):
    report = import_file(engine, workspace, SAMPLE_WORKSPACE, actor)

    runs = import_runs(engine, workspace)

    assert len(runs) == 1
    run = runs[0]
    assert run.id == report.run_id
    assert (run.file_name, run.format, run.record_type, run.inserted, run.updated, run.unchanged) == (
        "workspace.json",
        "json",
        "several",
        sum(EXPECTED.values()),
        0,
        0,
    )
    assert run.report["counts"]["engagements"]["inserted"] == 3
    assert len(run.report["rows"]) == sum(EXPECTED.values())


def test_a_csv_file_named_after_its_type_with_a_byte_order_mark(engine, workspace, actor):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    csv_text = (
        "\ufeffref,title,kind,start,timezone,partners,topics,sdgs,participants\r\n"
        "2025-05-01-trade-talk,Trade talk,meeting,2025-05-01T09:00:00,America/Los_Angeles,"
        "consulate-japan-la; mofa-japan,trade;investment,8; 9,"
        '"[{""person"": ""yuki-tanaka"", ""side"": ""theirs""}]"\r\n'
        '2025-05-02-multi-line,"A title",call,2025-05-02T09:00:00,UTC,,,,\r\n'
    )

    report = import_data(engine, workspace, csv_text.encode("utf-8"), "engagements-2025.csv", actor)

    assert report.counts["engagements"].inserted == 2
    assert [r.line for r in report.rows] == [2, 3]
    talk = get_record(engine, workspace, "engagements", "2025-05-01-trade-talk", actor)
    assert talk.partners == ["consulate-japan-la", "mofa-japan"]
    assert talk.topics == ["trade", "investment"] and talk.sdgs == [8, 9]
    assert talk.participants[0].person == "yuki-tanaka"


def test_a_record_the_importer_may_not_see_cannot_be_imported_or_overwritten(engine, workspace, actor):
    save_record(
        engine,
        workspace,
        "partners",
        {"ref": "secret", "name": "Secret", "kind": "company", "confidentiality": "confidential"},
        actor,
    )
    intern = replace(actor, name="intern", visible=(Confidentiality.public, Confidentiality.internal))
    before = counts(engine, workspace)
    rows = [
        {"ref": "secret", "name": "Overwritten", "kind": "company"},
        {"ref": "hidden-new", "name": "Hidden", "kind": "company", "confidentiality": "confidential"},
    ]

    with pytest.raises(InvalidInput) as caught:
        import_data(engine, workspace, json.dumps(rows), "partners.json", intern)

    messages = [str(p) for p in caught.value.problems]
    assert any("ref 'secret' cannot be used" in m for m in messages)
    assert any("confidential" in m and "line 1" in m for m in messages)
    assert counts(engine, workspace) == before
    assert get_record(engine, workspace, "partners", "secret", actor).name == "Secret"
