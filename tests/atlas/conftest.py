"""Fixtures for the atlas tests: a sample of the real twin-town list, and the gazetteer.

The full 26,114-pair import is measured in bench/bench_atlas.py; tests use a few hundred
real rows so the suite stays fast.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from citydiplomacy.demo.build import TWIN_TOWNS_FILE

TWIN_FILE = TWIN_TOWNS_FILE  # the copy the package ships

#: rows touching these names are always in the sample (the demo's city, paths, hard cases)
KEEP = (
    "Los Angeles",
    "Busan",
    "Kaohsiung",
    "Hanoi",
    "Jakarta",
    "Nerekhtsky District",
    "Dębica (rural gmina)",
    "County Kildare",
    "Fort-de-France",
    "Akhmeta",
    "Varna, Bulgaria",
    "Falkland Islands",
    "Whitby",
    "Belgrade – New Belgrade",
)


def real_rows() -> list[dict]:
    with TWIN_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def twin_rows() -> list[dict]:
    if not TWIN_FILE.exists():
        pytest.fail(f"the twin-town list is missing: {TWIN_FILE} (it ships inside the package)")
    return real_rows()


@pytest.fixture(scope="session")
def twin_sample(twin_rows, tmp_path_factory) -> Path:
    """~400 real pairs: the first 250 rows plus every row touching a KEEP name."""
    chosen = [r for i, r in enumerate(twin_rows) if i < 250 or r["city1"] in KEEP or r["city2"] in KEEP]
    path = tmp_path_factory.mktemp("twins") / "twin_sample.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["city1", "country1", "city2", "country2"])
        writer.writeheader()
        writer.writerows(chosen)
    return path


@pytest.fixture(scope="session")
def gz():
    from citydiplomacy.gazetteer import Gazetteer

    return Gazetteer.default()
