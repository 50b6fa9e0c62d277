"""Bulk import throughput: 50,000 engagements from CSV into SQLite (and PostgreSQL).

    python bench/bench_import.py [--rows 50000] [--backends sqlite,postgresql]

Times a first import (all inserted) and a re-import of the same file (all unchanged),
each one validated, all-or-nothing and audited. Prints the figures and writes
bench/results/import.json. A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from citydiplomacy.bootstrap import open_database
from citydiplomacy.services.imports import import_file
from citydiplomacy.services.registry import Actor, create_workspace

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_WORKSPACE = ROOT / "tests" / "data" / "import" / "workspace.json"
RESULTS = Path(__file__).parent / "results"


def write_csv(path: Path, rows: int) -> None:
    participants = json.dumps([{"person": "yuki-tanaka", "side": "theirs"}, {"person": "maria-lopez", "side": "ours"}])
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["ref", "title", "kind", "start", "timezone", "partners", "participants", "topics", "sdgs"])
        for i in range(rows):
            writer.writerow(
                [
                    f"bulk-{i:05d}",
                    f"Generated meeting {i}",
                    "meeting",
                    f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00",
                    "America/Los_Angeles",
                    "consulate-japan-la; sao-paulo-city",
                    participants,
                    "trade; climate",
                    "11",
                ]
            )


def database(backend: str, folder: Path):
    if backend == "sqlite":
        return f"sqlite:///{folder / 'import.sqlite3'}", None
    name = "citydiplomacy_bench_import_" + uuid.uuid4().hex[:8]
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", (admin, name)


def run(backend: str, rows: int, folder: Path) -> dict:
    url, cleanup = database(backend, folder)
    engine = open_database(url)
    try:
        actor = Actor(name="bench", interface="cli")
        create_workspace(
            engine,
            {"slug": "big-city", "name": "Big City", "country_code": "US", "timezone": "America/Los_Angeles"},
            actor,
        )
        import_file(engine, "big-city", SAMPLE_WORKSPACE, actor)
        path = folder / "engagements.csv"
        write_csv(path, rows)
        started = time.perf_counter()
        first = import_file(engine, "big-city", path, actor)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        again = import_file(engine, "big-city", path, actor)
        again_s = time.perf_counter() - started
        assert first.counts["engagements"].inserted == rows and again.counts["engagements"].unchanged == rows
    finally:
        engine.dispose()
        if cleanup:
            admin, name = cleanup
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print(
        f"{backend:10} {rows} engagements: first import {first_s:.1f} s ({rows / first_s:,.0f} rows/s), "
        f"re-import (unchanged) {again_s:.1f} s"
    )
    return {"first_s": round(first_s, 2), "reimport_s": round(again_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    results = {"rows": args.rows}
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as folder:
            results[backend] = run(backend, args.rows, Path(folder))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
