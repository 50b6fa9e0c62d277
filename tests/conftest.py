"""Shared fixtures live in tests/fixtures/ as pytest plugins.

The quick lane (``./scripts/test.sh --quick``, i.e. ``pytest -m quick`` on SQLite) is the
domain, service and CLI tests: the folders and files named below, less anything marked
``slow``. Web, API, security and browser tests run only in the full suite.

The suite runs on two workers (pytest-xdist, ``--dist loadgroup``). Tests are handed out
one by one, except where an expensive fixture is built once per worker: those tests go
together to one worker, so the fixture is built once (see :data:`SHARED_FIXTURES`).
"""

from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures.database", "tests.fixtures.web"]

TESTS = Path(__file__).resolve().parent
QUICK_FOLDERS = {"unit", "integration", "rules", "commitments", "exchange", "gazetteer", "atlas"}
QUICK_FILES = {"e2e/test_cli_registry.py"}

#: Tests that share a fixture built once per worker, and so run on one worker together:
#: a folder or a file (relative to tests/) -> why.
SHARED_FIXTURES = {
    "gazetteer": "the gazetteer index, built into a fresh cache for the session",
    "exchange": "the practice library, imported once per database",
    "browser": "Chromium, the live server and the module's demo workspace",
    "integration/test_demo.py": "the demo workspace",
    "integration/test_synthetic.py": "the synthetic workspace",
    "e2e/test_practices_api.py": "the practice library",
    "e2e/test_practices_web.py": "the demo workspace",
    "e2e/test_atlas_web.py": "the demo workspace",
    "e2e/test_atlas_api.py": "the demo workspace",
    "e2e/test_commitments_web.py": "the demo workspace",
}


def _shared_fixture_group(relative: Path) -> str | None:
    for key in (relative.as_posix(), relative.parts[0]):
        if key in SHARED_FIXTURES:
            return key
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        try:
            relative = Path(item.path).resolve().relative_to(TESTS)
        except ValueError:
            continue
        in_lane = relative.parts[0] in QUICK_FOLDERS or relative.as_posix() in QUICK_FILES
        if in_lane and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.quick)
        group = _shared_fixture_group(relative)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
