"""atlas: twin-town reference layer (names, pairs, imports) and name picks

Revision ID: 0006_atlas
Revises: 0005_commitments
Create Date: 2026-11-22 00:32:28.682567
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_atlas"
down_revision = "0005_commitments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Generated from adapters/db/tables.py (atlas section) and reviewed by hand.
    op.create_table(
        "atlas_name_picks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("input_name", sa.String(length=300), nullable=False),
        sa.Column("input_country", sa.String(length=200), nullable=False),
        sa.Column("geonames_id", sa.Integer(), nullable=False, comment="The place a person chose for this name."),
        sa.Column("picked_by", sa.String(length=200), nullable=False),
        sa.Column("picked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_atlas_name_picks")),
        sa.UniqueConstraint("input_name", "input_country", name="uq_atlas_name_picks_input"),
    )
    op.create_table(
        "atlas_twin_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "counts",
            sa.JSON(),
            nullable=False,
            comment="Rows, names by status, inserted/updated/removed names and pairs.",
        ),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_atlas_twin_imports")),
    )
    op.create_table(
        "atlas_twin_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "input_name",
            sa.String(length=300),
            nullable=False,
            comment="The name exactly as written in the imported list.",
        ),
        sa.Column(
            "input_country",
            sa.String(length=200),
            nullable=False,
            comment="The country exactly as written ('' when empty).",
        ),
        sa.Column(
            "input_country_code",
            sa.String(length=2),
            nullable=True,
            comment="ISO code the input country was read as, if any.",
        ),
        sa.Column("status", sa.String(length=12), nullable=False, comment="resolved, ambiguous or unresolved."),
        sa.Column(
            "geonames_ids",
            sa.JSON(),
            nullable=False,
            comment="GeoNames ids the name stands for (several for a joint entry).",
        ),
        sa.Column("resolved_name", sa.String(length=500), nullable=True),
        sa.Column("admin1", sa.String(length=300), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True, comment="Country of the resolved place."),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False, comment="Why the gazetteer (or a person) decided so, in words."),
        sa.Column("candidates", sa.JSON(), nullable=False, comment="Ranked candidates kept for a person to pick from."),
        sa.Column(
            "picked_by",
            sa.String(length=200),
            nullable=True,
            comment="Who picked the place by hand, when a person did.",
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_atlas_twin_names")),
        sa.UniqueConstraint("input_name", "input_country", name="uq_atlas_twin_names_input"),
    )
    with op.batch_alter_table("atlas_twin_names", schema=None) as batch_op:
        batch_op.create_index("ix_atlas_twin_names_status", ["status"], unique=False)

    op.create_table(
        "atlas_twin_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_a_id", sa.Integer(), nullable=False),
        sa.Column("name_b_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False, comment="Line of the pair in the last imported file."),
        sa.ForeignKeyConstraint(
            ["name_a_id"],
            ["atlas_twin_names.id"],
            name=op.f("fk_atlas_twin_pairs_name_a_id_atlas_twin_names"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["name_b_id"],
            ["atlas_twin_names.id"],
            name=op.f("fk_atlas_twin_pairs_name_b_id_atlas_twin_names"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_atlas_twin_pairs")),
        sa.UniqueConstraint("name_a_id", "name_b_id", name="uq_atlas_twin_pairs_names"),
    )
    with op.batch_alter_table("atlas_twin_pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_atlas_twin_pairs_name_a_id"), ["name_a_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_atlas_twin_pairs_name_b_id"), ["name_b_id"], unique=False)


def downgrade() -> None:
    # Generated from adapters/db/tables.py (atlas section) and reviewed by hand.
    with op.batch_alter_table("atlas_twin_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_atlas_twin_pairs_name_b_id"))
        batch_op.drop_index(batch_op.f("ix_atlas_twin_pairs_name_a_id"))

    op.drop_table("atlas_twin_pairs")
    with op.batch_alter_table("atlas_twin_names", schema=None) as batch_op:
        batch_op.drop_index("ix_atlas_twin_names_status")

    op.drop_table("atlas_twin_names")
    op.drop_table("atlas_twin_imports")
    op.drop_table("atlas_name_picks")
