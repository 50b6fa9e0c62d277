"""50,000 engagements import in well under a minute on SQLite (batched refs, writes and audit)."""

from __future__ import annotations

import csv
import json
import time

import pytest

from citydiplomacy.bootstrap import open_database
from citydiplomacy.services.imports import import_file
from citydiplomacy.services.registry import Actor, create_workspace

from .import_helpers import SAMPLE_WORKSPACE

ROWS = 50_000


@pytest.mark.slow
def test_fifty_thousand_engagements_import_in_well_under_a_minute(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'big.sqlite3'}")
    actor = Actor(name="bulk", interface="cli")
    create_workspace(engine, {"slug": "big-city", "name": "Big City", "country_code": "US",
                              "timezone": "America/Los_Angeles"}, actor)
    import_file(engine, "big-city", SAMPLE_WORKSPACE, actor)
    path = tmp_path / "engagements.csv"
    participants = json.dumps([{"person": "yuki-tanaka", "side": "theirs"}, {"person": "maria-lopez", "side": "ours"}])
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["ref", "title", "kind", "start", "timezone", "partners", "participants", "topics", "sdgs"])
        for i in range(ROWS):
            writer.writerow([f"bulk-{i:05d}", f"Generated meeting {i}", "meeting",
                             f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00", "America/Los_Angeles",
                             "consulate-japan-la; sao-paulo-city", participants, "trade; climate", "11"])

    started = time.perf_counter()
    report = import_file(engine, "big-city", path, actor)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = import_file(engine, "big-city", path, actor)
    second = time.perf_counter() - started
    engine.dispose()

    print(f"\n50,000 engagements: first import {first:.1f}s, re-import (all unchanged) {second:.1f}s")
    assert report.counts["engagements"].inserted == ROWS
    assert again.counts["engagements"].unchanged == ROWS
    assert first < 60 and second < 60
