"""Shared fixtures live in tests/fixtures/ as pytest plugins.

The quick lane (``./scripts/test.sh --quick``, i.e. ``pytest -m quick`` on SQLite) is the
domain, service and CLI tests: the folders and files named below, less anything marked
``slow``. Web, API, security and browser tests run only in the full suite.
"""

from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures.database", "tests.fixtures.web"]

TESTS = Path(__file__).resolve().parent
QUICK_FOLDERS = {"unit", "integration", "rules", "commitments", "exchange", "gazetteer", "atlas"}
QUICK_FILES = {"e2e/test_cli_registry.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        try:
            relative = Path(item.path).resolve().relative_to(TESTS)
        except ValueError:
            continue
        in_lane = relative.parts[0] in QUICK_FOLDERS or relative.as_posix() in QUICK_FILES
        if in_lane and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.quick)
