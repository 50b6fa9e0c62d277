"""create registry tables

Revision ID: 0001_registry
Revises: (none: the first migration)
Create Date: 2026-11-22 00:19:57.081901
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_registry"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Generated from adapters/db/tables.py and reviewed by hand.
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("subdivision_code", sa.String(length=10), nullable=True),
        sa.Column("place_geonames_id", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
        sa.Column("public_page", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("slug", name=op.f("uq_workspaces_slug")),
    )
    op.create_table(
        "agreements",
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
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=10), nullable=False),
        sa.Column("binding", sa.Boolean(), nullable=False),
        sa.Column("recognised_by_national_org", sa.Boolean(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_agreements_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_agreements_workspace_ref"),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index("ix_agreements_workspace_expires", ["workspace_id", "expires_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreements_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("interface", sa.String(length=20), nullable=False, comment="web, api, cli, python, import"),
        sa.Column("action", sa.String(length=20), nullable=False, comment="create, update, delete"),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_ref", sa.String(length=160), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_audit_log_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_record", ["workspace_id", "record_type", "record_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_import_runs_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_runs_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "people",
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
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("honorific", sa.String(length=80), nullable=True),
        sa.Column("other_names", sa.JSON(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_people_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_people_workspace_ref"),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_people_workspace_name", ["workspace_id", "name"], unique=False)

    op.create_table(
        "places",
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
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("subdivision_code", sa.String(length=10), nullable=True),
        sa.Column("admin1", sa.String(length=200), nullable=True),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.Column("wikidata_id", sa.String(length=20), nullable=True),
        sa.Column("alternate_names", sa.JSON(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_places_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_places_workspace_ref"),
    )
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.create_index("ix_places_workspace_country", ["workspace_id", "country_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_places_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "engagements",
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
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "start_utc", sa.DateTime(timezone=True), nullable=False, comment="Start in UTC; shown in 'timezone'."
        ),
        sa.Column("end_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("date_precision", sa.String(length=10), nullable=False),
        sa.Column("venue_place_id", sa.Integer(), nullable=True),
        sa.Column("venue_kind", sa.String(length=40), nullable=True),
        sa.Column("venue_name", sa.String(length=300), nullable=True),
        sa.Column("official_capacity", sa.Boolean(), nullable=False),
        sa.Column("expected_attendance", sa.Integer(), nullable=True),
        sa.Column("initiated_by", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("outcomes", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["venue_place_id"], ["places.id"], name=op.f("fk_engagements_venue_place_id_places"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_engagements_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_engagements_workspace_ref"),
    )
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagements_venue_place_id"), ["venue_place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagements_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_engagements_workspace_start", ["workspace_id", "start_utc"], unique=False)
        batch_op.create_index("ix_engagements_workspace_status", ["workspace_id", "status"], unique=False)

    op.create_table(
        "partners",
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
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("other_names", sa.JSON(), nullable=False),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["partners.id"], name=op.f("fk_partners_parent_id_partners"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_partners_place_id_places"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_partners_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_partners_workspace_ref"),
    )
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.create_index("ix_partners_workspace_country", ["workspace_id", "country_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_partners_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_partners_workspace_name", ["workspace_id", "name"], unique=False)

    op.create_table(
        "agreement_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("us", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_parties_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_agreement_parties_partner_id_partners"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_agreement_parties_place_id_places"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_agreement_parties_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_parties")),
    )
    with op.batch_alter_table("agreement_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_parties_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_parties_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_parties_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_parties_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "engagement_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_partners_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_engagement_partners_partner_id_partners"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_engagement_partners_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_partners")),
    )
    with op.batch_alter_table("engagement_partners", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_partners_engagement_id"), ["engagement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagement_partners_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagement_partners_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "engagement_sdgs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_sdgs_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_engagement_sdgs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_sdgs")),
    )
    with op.batch_alter_table("engagement_sdgs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_sdgs_engagement_id"), ["engagement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagement_sdgs_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "engagement_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_topics_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_engagement_topics_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_topics")),
    )
    with op.batch_alter_table("engagement_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_topics_engagement_id"), ["engagement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagement_topics_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_engagement_topics_workspace_topic", ["workspace_id", "topic"], unique=False)

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_follow_ups_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_follow_ups_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_ups_engagement_id"), ["engagement_id"], unique=False)
        batch_op.create_index("ix_follow_ups_workspace_due", ["workspace_id", "done", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "networks",
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
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("acronym", sa.String(length=40), nullable=True),
        sa.Column("founded_year", sa.Integer(), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("secretariat_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["secretariat_id"], ["partners.id"], name=op.f("fk_networks_secretariat_id_partners"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_networks_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networks")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_networks_workspace_ref"),
    )
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_networks_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "posts",
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
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("own_government", sa.Boolean(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("seniority", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_posts_partner_id_partners"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_posts_person_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_posts_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_posts_workspace_ref"),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posts_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_posts_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_posts_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "engagement_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            nullable=False,
            comment="The workspace that owns the row; every query filters on it.",
        ),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_participants_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_engagement_participants_person_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_engagement_participants_post_id_posts"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_engagement_participants_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_participants")),
    )
    with op.batch_alter_table("engagement_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_participants_engagement_id"), ["engagement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagement_participants_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagement_participants_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "memberships",
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
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["partners.id"], name=op.f("fk_memberships_member_id_partners"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_memberships_network_id_networks"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_memberships_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("workspace_id", "ref", name="uq_memberships_workspace_ref"),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_network_id"), ["network_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    # Generated from adapters/db/tables.py and reviewed by hand.
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_network_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_member_id"))

    op.drop_table("memberships")
    with op.batch_alter_table("engagement_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_participants_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_participants_person_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_participants_engagement_id"))

    op.drop_table("engagement_participants")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_posts_person_id"))
        batch_op.drop_index(batch_op.f("ix_posts_partner_id"))

    op.drop_table("posts")
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_networks_workspace_id"))

    op.drop_table("networks")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_workspace_id"))
        batch_op.drop_index("ix_follow_ups_workspace_due")
        batch_op.drop_index(batch_op.f("ix_follow_ups_engagement_id"))

    op.drop_table("follow_ups")
    with op.batch_alter_table("engagement_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_topics_workspace_topic")
        batch_op.drop_index(batch_op.f("ix_engagement_topics_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_topics_engagement_id"))

    op.drop_table("engagement_topics")
    with op.batch_alter_table("engagement_sdgs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_sdgs_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_sdgs_engagement_id"))

    op.drop_table("engagement_sdgs")
    with op.batch_alter_table("engagement_partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_partners_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_partners_partner_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_partners_engagement_id"))

    op.drop_table("engagement_partners")
    with op.batch_alter_table("agreement_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_parties_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_parties_place_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_parties_partner_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_parties_agreement_id"))

    op.drop_table("agreement_parties")
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_index("ix_partners_workspace_name")
        batch_op.drop_index(batch_op.f("ix_partners_workspace_id"))
        batch_op.drop_index("ix_partners_workspace_country")

    op.drop_table("partners")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_index("ix_engagements_workspace_status")
        batch_op.drop_index("ix_engagements_workspace_start")
        batch_op.drop_index(batch_op.f("ix_engagements_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_engagements_venue_place_id"))

    op.drop_table("engagements")
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_places_workspace_id"))
        batch_op.drop_index("ix_places_workspace_country")

    op.drop_table("places")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_workspace_name")
        batch_op.drop_index(batch_op.f("ix_people_workspace_id"))

    op.drop_table("people")
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_runs_workspace_id"))

    op.drop_table("import_runs")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_workspace_id"))
        batch_op.drop_index("ix_audit_log_record")

    op.drop_table("audit_log")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_workspace_id"))
        batch_op.drop_index("ix_agreements_workspace_expires")

    op.drop_table("agreements")
    op.drop_table("workspaces")
