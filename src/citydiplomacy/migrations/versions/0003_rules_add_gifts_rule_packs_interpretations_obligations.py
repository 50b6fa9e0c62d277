"""add gifts, rule pack versions, interpretations, obligations and fact answers

Revision ID: 0003_rules
Revises: 0002_accounts
Create Date: 2026-11-22 00:27:29.876159
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_rules"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Generated from adapters/db/tables.py and reviewed by hand.
    op.create_table(
        "rule_fact_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_ref", sa.String(length=160), nullable=False),
        sa.Column(
            "fact",
            sa.String(length=80),
            nullable=False,
            comment="A fact the registry does not record, e.g. 'engagement.arranges_meeting'.",
        ),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("answered_by", sa.String(length=200), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_rule_fact_answers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_fact_answers")),
        sa.UniqueConstraint(
            "workspace_id", "record_type", "record_ref", "fact", name="uq_rule_fact_answers_workspace_record_fact"
        ),
    )
    with op.batch_alter_table("rule_fact_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_fact_answers_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "rule_interpretations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column(
            "term",
            sa.String(length=80),
            nullable=False,
            comment="The undefined term it reads, e.g. 'official_meeting'.",
        ),
        sa.Column("statement", sa.Text(), nullable=False, comment="Counsel's reading in plain words."),
        sa.Column(
            "when_condition",
            sa.JSON(),
            nullable=False,
            comment="Condition (rule language) saying where the reading applies.",
        ),
        sa.Column(
            "value", sa.Boolean(), nullable=False, comment="What the term means there: true (is one) or false (is not)."
        ),
        sa.Column("status", sa.String(length=20), nullable=False, comment="staged, active or withdrawn."),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activated_by", sa.String(length=200), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_rule_interpretations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_interpretations")),
    )
    with op.batch_alter_table("rule_interpretations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_interpretations_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "rule_obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_ref", sa.String(length=160), nullable=False),
        sa.Column("rule_id", sa.String(length=120), nullable=False),
        sa.Column("pack_id", sa.String(length=80), nullable=False),
        sa.Column("pack_version", sa.String(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.String(length=40),
            nullable=False,
            comment="notify, obtain_approval, disclose, must_not, must_terminate, review_by_counsel.",
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("due_note", sa.String(length=500), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False, comment="open, done, waived or superseded."),
        sa.Column(
            "evidence", sa.Text(), nullable=True, comment="What shows it was done: 'counsel reviewed on 2025-09-20'."
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_rule_obligations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_obligations")),
        sa.UniqueConstraint(
            "workspace_id", "record_type", "record_ref", "rule_id", name="uq_rule_obligations_workspace_record_rule"
        ),
    )
    with op.batch_alter_table("rule_obligations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_obligations_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index(
            "ix_rule_obligations_workspace_status_due", ["workspace_id", "status", "due_on"], unique=False
        )

    op.create_table(
        "rule_pack_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column(
            "pack_id", sa.String(length=80), nullable=False, comment="The pack's id, e.g. 'us-federal-prc-missions'."
        ),
        sa.Column("version", sa.String(length=40), nullable=False, comment="The pack's own version label."),
        sa.Column("content", sa.Text(), nullable=False, comment="The pack's YAML text, exactly as staged."),
        sa.Column("cases", sa.Text(), nullable=True, comment="The pack's YAML test cases, exactly as staged."),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False, comment="shipped or uploaded."),
        sa.Column("status", sa.String(length=20), nullable=False, comment="staged, active or retired."),
        sa.Column("staged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staged_by", sa.String(length=200), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activated_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_rule_pack_versions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_pack_versions")),
    )
    with op.batch_alter_table("rule_pack_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_pack_versions_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index(
            "ix_rule_pack_versions_workspace_pack", ["workspace_id", "pack_id", "status"], unique=False
        )

    op.create_table(
        "gifts",
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
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("donor_partner_id", sa.Integer(), nullable=True),
        sa.Column("donor_person_id", sa.Integer(), nullable=True),
        sa.Column(
            "recipient_id",
            sa.Integer(),
            nullable=True,
            comment="The official who received it; empty when given to the government itself.",
        ),
        sa.Column("to_government", sa.Boolean(), nullable=False),
        sa.Column(
            "value", sa.Numeric(precision=14, scale=2), nullable=True, comment="Value in 'currency' (exact decimal)."
        ),
        sa.Column("currency", sa.String(length=3), nullable=False, comment="ISO 4217."),
        sa.Column(
            "value_usd",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="US-dollar equivalent on the day received.",
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column(
            "disposition", sa.String(length=30), nullable=False, comment="kept, returned, transferred_to_city, pending."
        ),
        sa.ForeignKeyConstraint(
            ["donor_partner_id"], ["partners.id"], name=op.f("fk_gifts_donor_partner_id_partners"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["donor_person_id"], ["people.id"], name=op.f("fk_gifts_donor_person_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["people.id"], name=op.f("fk_gifts_recipient_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_gifts_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gifts")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_gifts_workspace_ref"),
    )
    with op.batch_alter_table("gifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gifts_donor_partner_id"), ["donor_partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gifts_donor_person_id"), ["donor_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gifts_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gifts_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_gifts_workspace_received", ["workspace_id", "received_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gifts", schema=None) as batch_op:
        batch_op.drop_index("ix_gifts_workspace_received")
        batch_op.drop_index(batch_op.f("ix_gifts_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_gifts_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_gifts_donor_person_id"))
        batch_op.drop_index(batch_op.f("ix_gifts_donor_partner_id"))

    op.drop_table("gifts")
    with op.batch_alter_table("rule_pack_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_rule_pack_versions_workspace_pack")
        batch_op.drop_index(batch_op.f("ix_rule_pack_versions_workspace_id"))

    op.drop_table("rule_pack_versions")
    with op.batch_alter_table("rule_obligations", schema=None) as batch_op:
        batch_op.drop_index("ix_rule_obligations_workspace_status_due")
        batch_op.drop_index(batch_op.f("ix_rule_obligations_workspace_id"))

    op.drop_table("rule_obligations")
    with op.batch_alter_table("rule_interpretations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rule_interpretations_workspace_id"))

    op.drop_table("rule_interpretations")
    with op.batch_alter_table("rule_fact_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rule_fact_answers_workspace_id"))

    op.drop_table("rule_fact_answers")
