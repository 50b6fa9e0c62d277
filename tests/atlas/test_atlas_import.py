"""The twin-town import into the shared reference layer (SQLite and PostgreSQL): validated,
all or nothing, idempotent, and picks are remembered by later imports.

The reference layer is shared by the whole database, so each test imports the sample itself.
"""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from citydiplomacy.adapters.db import tables as t
from citydiplomacy.atlas import store
from citydiplomacy.domain import InvalidInput
from citydiplomacy.services import atlas
from citydiplomacy.services.registry import Actor


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(t.atlas_twin_names)).scalar_one(),
            conn.execute(select(func.count()).select_from(t.atlas_twin_pairs)).scalar_one(),
        )


def test_importing_the_sample_stores_every_name_and_pair_and_writes_the_report(engine, actor, twin_sample, tmp_path):
    report = tmp_path / "report.csv"
    result = atlas.import_twins(engine, twin_sample, actor, report_path=report)
    with twin_sample.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {(r["city1"], r["country1"]) for r in rows} | {(r["city2"], r["country2"]) for r in rows}
    assert result.rows == len(rows) and result.names == len(names)
    assert _counts(engine) == (len(names), len(rows))
    assert sum(result.statuses.values()) == result.names
    assert 0.6 < result.resolved_share < 1.0
    with report.open(encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == len(names)
    page = atlas.twin_report(engine, status="ambiguous", per_page=500)
    assert page.total == result.statuses["ambiguous"] and page.items[0].candidates
    assert page.last_import["counts"]["rows"] == len(rows)


def test_importing_the_same_file_again_changes_nothing(engine, actor, twin_sample):
    atlas.import_twins(engine, twin_sample, actor)
    before = _counts(engine)
    again = atlas.import_twins(engine, twin_sample, actor)
    assert again.changed is False
    assert again.counts["names_inserted"] == again.counts["names_updated"] == again.counts["pairs_inserted"] == 0
    assert again.counts["names_unchanged"] == again.names
    assert _counts(engine) == before


def test_a_smaller_list_replaces_the_layer(engine, actor, twin_sample, tmp_path):
    atlas.import_twins(engine, twin_sample, actor)
    small = tmp_path / "small.csv"
    small.write_text("city1,country1,city2,country2\nBerat,Albania,Fermo,Italy\n", encoding="utf-8")
    result = atlas.import_twins(engine, small, actor)
    assert result.counts["pairs_removed"] > 0 and result.counts["names_removed"] > 0
    assert _counts(engine) == (2, 1)


def test_a_file_with_problems_writes_nothing(engine, actor, twin_sample, tmp_path):
    atlas.import_twins(engine, twin_sample, actor)
    before = _counts(engine)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "city1,country1,city2,country2\nBerat,Albania,Fermo,Italy\nDurrës,Albania,,Italy\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as error:
        atlas.import_twins(engine, bad, actor)
    assert error.value.problems[0].line == 3 and error.value.problems[0].field == "city2"
    assert _counts(engine) == before


def test_a_failure_while_storing_rolls_everything_back(engine, actor, twin_sample, tmp_path, monkeypatch):
    small = tmp_path / "small.csv"
    small.write_text("city1,country1,city2,country2\nBerat,Albania,Fermo,Italy\n", encoding="utf-8")
    atlas.import_twins(engine, small, actor)
    real = store.sync_import

    def half_then_crash(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "sync_import", half_then_crash)
    with pytest.raises(RuntimeError):
        atlas.import_twins(engine, twin_sample, actor)
    assert _counts(engine) == (2, 1)


def test_a_pick_is_stored_audited_and_remembered_by_the_next_import(engine, twin_sample):
    reviewer = Actor(name="ana@city", interface="cli")
    atlas.import_twins(engine, twin_sample, reviewer)
    [row] = atlas.twin_report(engine, q="Nerekhtsky District").items
    assert row.status == "ambiguous" and 522594 in [c["geonames_id"] for c in row.candidates]

    picked = atlas.pick_place(engine, "Nerekhtsky District", "Russia", 522594, reviewer, note="the district's seat")
    assert picked.previous_status == "ambiguous" and picked.place.startswith("Nerekhta")
    [row] = atlas.twin_report(engine, q="Nerekhtsky District").items
    assert row.status == "resolved" and row.geonames_ids == [522594] and row.picked_by == "ana@city"

    again = atlas.import_twins(engine, twin_sample, Actor(name="someone-else", interface="cli"))
    [row] = atlas.twin_report(engine, q="Nerekhtsky District").items
    assert row.status == "resolved" and row.picked_by == "ana@city"
    assert row.reason.startswith("picked by ana@city")
    assert again.counts["names_updated"] == 0  # the pick was already applied: nothing to change

    with engine.connect() as conn:
        entries = list(
            conn.execute(
                select(t.audit_log).where(
                    t.audit_log.c.record_type == "twin_name_pick",
                    t.audit_log.c.record_ref == "Nerekhtsky District | Russia",
                )
            )
        )
    assert entries and entries[-1].actor == "ana@city" and entries[-1].after["geonames_id"] == 522594


def test_a_pick_must_name_a_known_place_and_a_listed_name(engine, actor, twin_sample):
    atlas.import_twins(engine, twin_sample, actor)
    with pytest.raises(InvalidInput):
        atlas.pick_place(engine, "Nerekhtsky District", "Russia", 999999999, actor)
    from citydiplomacy.domain import NotFound

    with pytest.raises(NotFound):
        atlas.pick_place(engine, "Atlantis", "Greece", 264371, actor)


def test_a_reader_cannot_import_or_pick(engine, twin_sample):
    from citydiplomacy.domain import PermissionDenied

    reader = Actor(name="viewer", interface="web", can_write=False)
    with pytest.raises(PermissionDenied):
        atlas.import_twins(engine, twin_sample, reader)
