"""Composition root: builds the engine from settings and migrates the database.

Nothing is built at import time; callers (CLI, web app, tests, Python users) ask.
"""

from __future__ import annotations

from sqlalchemy import Engine

from . import migrations
from .adapters.db.engine import make_engine
from .config import Settings


def open_database(url: str | None = None, *, migrate: bool = True, settings: Settings | None = None) -> Engine:
    """An engine for ``url`` (or the configured/default database), upgraded to the latest schema."""
    settings = settings or Settings()
    engine = make_engine(url or settings.resolved_database_url())
    if migrate:
        migrations.upgrade(engine)
    return engine
