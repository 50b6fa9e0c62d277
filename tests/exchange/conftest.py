"""Exchange fixtures: the shared practice library, imported once per database backend."""

from __future__ import annotations

import json

import pytest

from citydiplomacy.services import practices as svc
from citydiplomacy.services.registry import Actor, create_workspace
from tests.fixtures.database import unique


def make_city_workspace(engine, actor, name: str = "City of Los Angeles", country: str = "US") -> str:
    slug = unique("ex")
    create_workspace(
        engine, {"slug": slug, "name": name, "country_code": country, "timezone": "America/Los_Angeles"}, actor
    )
    return slug


@pytest.fixture(scope="session")
def library(engine) -> str:
    """A Los Angeles workspace holding the 81-practice shared library (read-only for tests)."""
    actor = Actor(name="library-loader", interface="python")
    slug = make_city_workspace(engine, actor)
    svc.import_shared_library(engine, slug, actor)
    return slug


@pytest.fixture
def la_workspace(engine, actor) -> str:
    """A fresh, empty workspace for the City of Los Angeles."""
    return make_city_workspace(engine, actor)


def library_lines(*slugs: str) -> list[dict]:
    """Records of the shared library, by slug, as dicts (to build small import files)."""
    records = {}
    for line in svc.shared_library_path().read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            records[record["id"]] = record
    return [records[slug] for slug in slugs]


def jsonl(records: list[dict]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
