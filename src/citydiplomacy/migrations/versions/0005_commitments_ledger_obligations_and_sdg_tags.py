"""commitments: the commitment ledger (commitments, targets, measurements), membership
obligations and SDG tags (issue 7)

Revision ID: 0005_commitments
Revises: 0004_exchange
Create Date: 2026-11-22 00:32:17.117586
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_commitments"
down_revision = "0004_exchange"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Generated from adapters/db/tables.py (commitments section) and reviewed by hand.
    op.create_table(
        "commitments",
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
        sa.Column("kind", sa.String(length=20), nullable=False, comment="pledge, plan, declaration or resolution."),
        sa.Column("status", sa.String(length=20), nullable=False, comment="active, achieved, withdrawn or superseded."),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("made_by", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("frameworks", sa.JSON(), nullable=False, comment="Other frameworks it counts toward, in words."),
        sa.Column("networks", sa.JSON(), nullable=False, comment="Refs of networks whose pledge this is."),
        sa.Column("agreements", sa.JSON(), nullable=False, comment="Refs of agreements that serve it."),
        sa.Column(
            "engagement", sa.String(length=160), nullable=True, comment="Ref of the engagement where it was made."
        ),
        sa.Column("practices", sa.JSON(), nullable=False, comment="Slugs of practices that serve it."),
        sa.Column("sdgs", sa.JSON(), nullable=False, comment="SDG goal, target or indicator codes."),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_commitments_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_commitments_workspace_ref"),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitments_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "obligations",
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
        sa.Column("membership", sa.String(length=160), nullable=False, comment="Ref of the membership that brings it."),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("recurrence", sa.String(length=10), nullable=False, comment="once or annual."),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("last_done_on", sa.Date(), nullable=True),
        sa.Column(
            "due_is_assumed",
            sa.Boolean(),
            nullable=False,
            comment="The date is a placeholder to confirm with the network.",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_obligations_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligations")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_obligations_workspace_ref"),
    )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index("ix_obligations_workspace_due", ["workspace_id", "done", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligations_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "sdg_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column(
            "record_type",
            sa.String(length=40),
            nullable=False,
            comment="Plural of the tagged record type, or 'practices'.",
        ),
        sa.Column("record_ref", sa.String(length=160), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False, comment="SDG goal, target or indicator code."),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_sdg_tags_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sdg_tags")),
        sa.UniqueConstraint("workspace_id", "record_type", "record_ref", "code", name="uq_sdg_tags_record_code"),
    )
    with op.batch_alter_table("sdg_tags", schema=None) as batch_op:
        batch_op.create_index("ix_sdg_tags_workspace_code", ["workspace_id", "code"], unique=False)
        batch_op.create_index(batch_op.f("ix_sdg_tags_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "commitment_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False, comment="Unique in the commitment."),
        sa.Column("indicator", sa.String(length=500), nullable=False),
        sa.Column("indicator_code", sa.String(length=12), nullable=True, comment="SDG indicator code, e.g. 7.2.1."),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False, comment="decrease or increase."),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=False),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=False),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("sdgs", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_targets_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_commitment_targets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_targets")),
        sa.UniqueConstraint("commitment_id", "key", name="uq_commitment_targets_commitment_key"),
    )
    with op.batch_alter_table("commitment_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_targets_commitment_id"), ["commitment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitment_targets_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "commitment_measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column(
            "measured_on",
            sa.Date(),
            nullable=False,
            comment="The date the value describes (31 Dec for annual figures).",
        ),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column(
            "illustrative", sa.Boolean(), nullable=False, comment="Made-up demonstration value, shown labelled as such."
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["commitment_targets.id"],
            name=op.f("fk_commitment_measurements_target_id_commitment_targets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_commitment_measurements_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_measurements")),
        sa.UniqueConstraint("target_id", "measured_on", name="uq_commitment_measurements_target_on"),
    )
    with op.batch_alter_table("commitment_measurements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_measurements_target_id"), ["target_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitment_measurements_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("commitment_measurements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_measurements_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_measurements_target_id"))

    op.drop_table("commitment_measurements")
    with op.batch_alter_table("commitment_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_targets_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_targets_commitment_id"))

    op.drop_table("commitment_targets")
    with op.batch_alter_table("sdg_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sdg_tags_workspace_id"))
        batch_op.drop_index("ix_sdg_tags_workspace_code")

    op.drop_table("sdg_tags")
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obligations_workspace_id"))
        batch_op.drop_index("ix_obligations_workspace_due")

    op.drop_table("obligations")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitments_workspace_id"))

    op.drop_table("commitments")
