"""Database tables (SQLAlchemy Core). Every table carries its workspace.

The schema is changed only through Alembic migrations in ``citydiplomacy/migrations``;
``tests/integration/test_migrations.py`` checks that the migrations produce exactly
these tables on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


def _ws() -> Column:
    return Column(
        "workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False, index=True,
        comment="The workspace that owns the row; every query filters on it.",
    )


def _record_columns() -> list[Column]:
    """Columns every registry record shares (see domain.base.Record)."""
    return [
        Column("id", Integer, primary_key=True),
        _ws(),
        Column("ref", String(160), nullable=False, comment="Natural key, unique per workspace and type."),
        Column("confidentiality", String(20), nullable=False, server_default="internal"),
        Column("source", Text, comment="Provenance: where the information came from."),
        Column("notes", Text),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    ]


def _record_table(name: str, *columns, extra=()) -> Table:
    return Table(
        name,
        metadata,
        *_record_columns(),
        *columns,
        UniqueConstraint("workspace_id", "ref", name=f"uq_{name}_workspace_ref"),
        *extra,
    )


workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(63), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("country_code", String(2), nullable=False),
    Column("subdivision_code", String(10)),
    Column("place_geonames_id", Integer),
    Column("timezone", String(64), nullable=False, server_default="UTC"),
    Column("public_page", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

places = _record_table(
    "places",
    Column("kind", String(20), nullable=False),
    Column("name", String(500), nullable=False),
    Column("country_code", String(2), nullable=False),
    Column("subdivision_code", String(10)),
    Column("admin1", String(200)),
    Column("geonames_id", Integer),
    Column("wikidata_id", String(20)),
    Column("alternate_names", JSON, nullable=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("population", BigInteger),
    Column("timezone", String(64)),
    extra=(Index("ix_places_workspace_country", "workspace_id", "country_code"),),
)

partners = _record_table(
    "partners",
    Column("name", String(500), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("country_code", String(2)),
    Column("place_id", Integer, ForeignKey("places.id", ondelete="RESTRICT")),
    Column("parent_id", Integer, ForeignKey("partners.id", ondelete="RESTRICT")),
    Column("other_names", JSON, nullable=False),
    Column("identifiers", JSON, nullable=False),
    Column("website", String(500)),
    extra=(
        Index("ix_partners_workspace_country", "workspace_id", "country_code"),
        Index("ix_partners_workspace_name", "workspace_id", "name"),
    ),
)

people = _record_table(
    "people",
    Column("name", String(500), nullable=False),
    Column("honorific", String(80)),
    Column("other_names", JSON, nullable=False),
    Column("country_code", String(2)),
    Column("email", String(320)),
    Column("phone", String(80)),
    extra=(Index("ix_people_workspace_name", "workspace_id", "name"),),
)

posts = _record_table(
    "posts",
    Column("person_id", Integer, ForeignKey("people.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("title", String(500), nullable=False),
    Column("partner_id", Integer, ForeignKey("partners.id", ondelete="RESTRICT"), index=True),
    Column("own_government", Boolean, nullable=False),
    Column("level", String(20)),
    Column("seniority", String(40), nullable=False),
    Column("start_date", Date),
    Column("end_date", Date),
)

networks = _record_table(
    "networks",
    Column("name", String(500), nullable=False),
    Column("acronym", String(40)),
    Column("founded_year", Integer),
    Column("website", String(500)),
    Column("secretariat_id", Integer, ForeignKey("partners.id", ondelete="RESTRICT")),
)

memberships = _record_table(
    "memberships",
    Column("network_id", Integer, ForeignKey("networks.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("member_id", Integer, ForeignKey("partners.id", ondelete="RESTRICT"), index=True),
    Column("role", String(40), nullable=False),
    Column("start_date", Date),
    Column("end_date", Date),
)

agreements = _record_table(
    "agreements",
    Column("title", String(500), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("signed_on", Date),
    Column("effective_on", Date),
    Column("expires_on", Date),
    Column("date_precision", String(10), nullable=False),
    Column("binding", Boolean, nullable=False),
    Column("recognised_by_national_org", Boolean),
    Column("summary", Text),
    Column("documents", JSON, nullable=False),
    extra=(Index("ix_agreements_workspace_expires", "workspace_id", "expires_on"),),
)

agreement_parties = Table(
    "agreement_parties",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("agreement_id", Integer, ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("partner_id", Integer, ForeignKey("partners.id", ondelete="RESTRICT"), index=True),
    Column("place_id", Integer, ForeignKey("places.id", ondelete="RESTRICT"), index=True),
    Column("us", Boolean, nullable=False),
)

engagements = _record_table(
    "engagements",
    Column("title", String(500), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("start_utc", DateTime(timezone=True), nullable=False, comment="Start in UTC; shown in 'timezone'."),
    Column("end_utc", DateTime(timezone=True)),
    Column("timezone", String(64), nullable=False),
    Column("date_precision", String(10), nullable=False),
    Column("venue_place_id", Integer, ForeignKey("places.id", ondelete="RESTRICT"), index=True),
    Column("venue_kind", String(40)),
    Column("venue_name", String(300)),
    Column("official_capacity", Boolean, nullable=False),
    Column("expected_attendance", Integer),
    Column("initiated_by", String(20), nullable=False),
    Column("summary", Text),
    Column("outcomes", Text),
    Column("entered_by", String(200)),
    extra=(
        Index("ix_engagements_workspace_start", "workspace_id", "start_utc"),
        Index("ix_engagements_workspace_status", "workspace_id", "status"),
    ),
)

engagement_partners = Table(
    "engagement_partners",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("engagement_id", Integer, ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("partner_id", Integer, ForeignKey("partners.id", ondelete="RESTRICT"), nullable=False, index=True),
)

engagement_participants = Table(
    "engagement_participants",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("engagement_id", Integer, ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="RESTRICT")),
    Column("side", String(10), nullable=False),
    Column("role", String(120)),
)

engagement_topics = Table(
    "engagement_topics",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("engagement_id", Integer, ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("topic", String(60), nullable=False),
    Index("ix_engagement_topics_workspace_topic", "workspace_id", "topic"),
)

engagement_sdgs = Table(
    "engagement_sdgs",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("engagement_id", Integer, ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("goal", Integer, nullable=False),
)

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("engagement_id", Integer, ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("description", String(500), nullable=False),
    Column("owner", String(200)),
    Column("due_on", Date),
    Column("done", Boolean, nullable=False),
    Column("done_on", Date),
    Index("ix_follow_ups_workspace_due", "workspace_id", "done", "due_on"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("interface", String(20), nullable=False, comment="web, api, cli, python, import"),
    Column("action", String(20), nullable=False, comment="create, update, delete"),
    Column("record_type", String(40), nullable=False),
    Column("record_ref", String(160), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Index("ix_audit_log_record", "workspace_id", "record_type", "record_ref"),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("format", String(10), nullable=False),
    Column("record_type", String(40), nullable=False),
    Column("inserted", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("report", JSON, nullable=False),
)

# -- accounts (web app, API tokens) -------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("email", String(320)),
    Column("password_hash", String(200), nullable=False, comment="argon2id hash; never the password."),
    Column("is_admin", Boolean, nullable=False, comment="Site administrator: creates workspaces and users."),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
)

workspace_roles = Table(
    "workspace_roles",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(20), nullable=False, comment="viewer, staff, counsel or admin."),
    UniqueConstraint("workspace_id", "user_id", name="uq_workspace_roles_workspace_user"),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True, comment="sha256 of the cookie value."),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True, comment="sha256 of the token; the token is shown once."),
    Column("prefix", String(16), nullable=False, comment="First characters, to recognise a token in lists."),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("client", String(64), nullable=False, comment="Client address."),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_username_at", "username", "at"),
    Index("ix_login_attempts_client_at", "client", "at"),
)

#: Record tables by record type plural.
RECORD_TABLES: dict[str, Table] = {
    "places": places,
    "partners": partners,
    "people": people,
    "posts": posts,
    "networks": networks,
    "memberships": memberships,
    "agreements": agreements,
    "engagements": engagements,
}
