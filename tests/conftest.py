"""Shared fixtures live in tests/fixtures/ as pytest plugins."""

pytest_plugins = ["tests.fixtures.database", "tests.fixtures.web"]
