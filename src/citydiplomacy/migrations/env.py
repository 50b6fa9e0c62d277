"""Alembic environment: runs against the engine handed over by citydiplomacy.migrations."""

from __future__ import annotations

from alembic import context

from citydiplomacy.adapters.db.tables import include_in_schema_comparison, metadata

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # plain `alembic` command line use
        from citydiplomacy.adapters.db.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect().execution_options(citydiplomacy_write=True) as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
            compare_type=True,
            include_object=include_in_schema_comparison,  # full-text objects are hand-written (0004_exchange)
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():  # pragma: no cover
    raise SystemExit("Offline (SQL script) migrations are not supported; run against a database.")
run_migrations_online()
