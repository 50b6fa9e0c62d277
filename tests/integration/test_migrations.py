"""Migrations build exactly the tables the code uses, and go down and up again, on both backends."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from citydiplomacy import migrations
from citydiplomacy.adapters.db.engine import make_engine
from citydiplomacy.adapters.db.tables import include_in_schema_comparison, metadata
from tests.fixtures.database import BACKENDS, PostgresDatabase


@pytest.fixture(params=BACKENDS)
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
        yield engine
        engine.dispose()
    else:
        database = PostgresDatabase()
        engine = make_engine(database.create())
        yield engine
        engine.dispose()
        database.drop()


def test_upgrade_matches_the_tables_in_code(empty_engine):
    migrations.upgrade(empty_engine)
    assert migrations.current(empty_engine) == migrations.head()
    with empty_engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_in_schema_comparison}
            ),
            metadata,
        )
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(empty_engine):
    migrations.upgrade(empty_engine)
    migrations.downgrade(empty_engine, "base")
    remaining = set(inspect(empty_engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    migrations.upgrade(empty_engine)
    assert "engagements" in inspect(empty_engine).get_table_names()


def test_the_migration_history_is_one_line():
    """Parallel work must be re-chained before it lands: one head, no branches."""
    assert "," not in migrations.head()
