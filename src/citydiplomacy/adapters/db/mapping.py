"""Mapping between domain records and table rows, one mapper per record type.

Records point at each other by ``ref``; rows by integer id. ``to_row`` receives a
resolver that turns refs into ids (and collects a problem for each unknown ref);
``load`` turns rows back into records in batches, so listing a page costs a fixed
number of queries whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import ClassVar

from sqlalchemy import Connection, Table, select

from ...domain import (
    Agreement,
    Engagement,
    Gift,
    Membership,
    Network,
    Partner,
    Person,
    Place,
    Post,
    Record,
)
from ...domain.base import HIDDEN_REF_PREFIX
from . import tables as t

#: resolve(plural, ref, field) -> id or None (a problem has then been recorded)
Resolver = Callable[[str, str, str], "int | None"]


def as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive datetimes: they were stored as UTC
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class RefLookup:
    """Batch id -> ref lookups for one workspace. Given the reader's ``visible`` levels, a
    record they may not see reads as "confidential:<n>" (numbered per lookup), never its ref."""

    def __init__(self, conn: Connection, workspace_id: int, visible=None):
        self.conn, self.workspace_id = conn, workspace_id
        self.visible = None if visible is None else {str(v) for v in visible}
        self._cache: dict[str, dict[int, str]] = defaultdict(dict)
        self._hidden = 0

    def refs(self, plural: str, ids) -> dict[int, str]:
        ids = {i for i in ids if i is not None}
        cache = self._cache[plural]
        missing = ids - cache.keys()
        if missing:
            table = t.RECORD_TABLES[plural]
            missing_list = sorted(missing)
            for chunk_start in range(0, len(missing_list), 900):
                chunk = missing_list[chunk_start : chunk_start + 900]
                rows = self.conn.execute(
                    select(table.c.id, table.c.ref, table.c.confidentiality).where(
                        table.c.workspace_id == self.workspace_id, table.c.id.in_(chunk)
                    )
                )
                for row in rows:
                    if self.visible is None or row.confidentiality in self.visible:
                        cache[row.id] = row.ref
                    else:
                        self._hidden += 1
                        cache[row.id] = f"{HIDDEN_REF_PREFIX}{self._hidden}"
        return {i: cache[i] for i in ids if i in cache}


class Mapper:
    record_type: ClassVar[type[Record]]
    table: ClassVar[Table]
    #: fields stored as same-named columns
    scalars: ClassVar[tuple[str, ...]] = ()
    #: record field -> (column, target plural) for single references
    refs: ClassVar[dict[str, tuple[str, str]]] = {}

    common = ("ref", "confidentiality", "source", "notes")

    def to_row(self, record: Record, resolve: Resolver) -> dict:
        data = record.model_dump(mode="python")
        row = {name: _plain(data[name]) for name in self.common + self.scalars}
        for field, (column, target) in self.refs.items():
            value = data[field]
            row[column] = resolve(target, value, field) if value else None
        return row

    #: Column of the child tables that points at the owning record (bulk writes).
    child_key: ClassVar[str] = ""

    def write_children(
        self, conn: Connection, workspace_id: int, record_id: int, record: Record, resolve: Resolver
    ) -> None:
        """Replace child rows (participants, parties…). Default: none."""

    def child_rows(self, record: Record, resolve: Resolver) -> dict[str, list[dict]]:
        """Child rows by table name, without workspace and owner ids (bulk writes). Default: none."""
        return {}

    def check_children(self, record: Record, resolve: Resolver) -> list[dict]:
        return []

    def load(self, conn: Connection, workspace_id: int, rows, lookup: RefLookup) -> list[Record]:
        rows = list(rows)
        ref_maps = {
            field: lookup.refs(target, (getattr(r, column) for r in rows))
            for field, (column, target) in self.refs.items()
        }
        children = self.load_children(conn, workspace_id, [r.id for r in rows], lookup)
        out = []
        for row in rows:
            data = {name: getattr(row, name) for name in self.common + self.scalars}
            for field, (column, _target) in self.refs.items():
                data[field] = ref_maps[field].get(getattr(row, column))
            data.update(self.extra_fields(row))
            data.update(children.get(row.id, {}))
            out.append(self.record_type.model_validate(_drop_none_lists(data)))
        return out

    def extra_fields(self, row) -> dict:
        return {}

    def load_children(self, conn: Connection, workspace_id: int, ids: list[int], lookup: RefLookup) -> dict[int, dict]:
        return {}


def _plain(value):
    """Enum members are stored as their plain values."""
    return value.value if isinstance(value, Enum) else value


def _drop_none_lists(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


class PlaceMapper(Mapper):
    record_type = Place
    table = t.places
    scalars = (
        "kind",
        "name",
        "country_code",
        "subdivision_code",
        "admin1",
        "geonames_id",
        "wikidata_id",
        "alternate_names",
        "latitude",
        "longitude",
        "population",
        "timezone",
    )


class PartnerMapper(Mapper):
    record_type = Partner
    table = t.partners
    scalars = ("name", "kind", "country_code", "other_names", "identifiers", "website")
    refs = {"place": ("place_id", "places"), "parent": ("parent_id", "partners")}


class PersonMapper(Mapper):
    record_type = Person
    table = t.people
    scalars = ("name", "honorific", "other_names", "country_code", "email", "phone")


class PostMapper(Mapper):
    record_type = Post
    table = t.posts
    scalars = ("title", "own_government", "level", "seniority", "start_date", "end_date")
    refs = {"person": ("person_id", "people"), "partner": ("partner_id", "partners")}


class NetworkMapper(Mapper):
    record_type = Network
    table = t.networks
    scalars = ("name", "acronym", "founded_year", "website")
    refs = {"secretariat": ("secretariat_id", "partners")}


class MembershipMapper(Mapper):
    record_type = Membership
    table = t.memberships
    scalars = ("role", "start_date", "end_date")
    refs = {"network": ("network_id", "networks"), "member": ("member_id", "partners")}


class AgreementMapper(Mapper):
    record_type = Agreement
    table = t.agreements
    scalars = (
        "title",
        "kind",
        "status",
        "signed_on",
        "effective_on",
        "expires_on",
        "date_precision",
        "binding",
        "recognised_by_national_org",
        "summary",
        "documents",
    )

    def to_row(self, record, resolve):
        row = super().to_row(record, resolve)
        row["documents"] = [d.model_dump(mode="json", exclude_none=True) for d in record.documents]
        return row

    def _party_rows(self, record: Agreement, resolve: Resolver) -> list[dict]:
        rows = []
        for position, party in enumerate(record.parties):
            rows.append(
                {
                    "position": position,
                    "partner_id": resolve("partners", party.partner, f"parties[{position}].partner")
                    if party.partner
                    else None,
                    "place_id": resolve("places", party.place, f"parties[{position}].place") if party.place else None,
                    "us": party.us,
                }
            )
        return rows

    child_key = "agreement_id"

    def check_children(self, record, resolve):
        return self._party_rows(record, resolve)

    def child_rows(self, record, resolve):
        return {"agreement_parties": self._party_rows(record, resolve)}

    def write_children(self, conn, workspace_id, record_id, record, resolve):
        conn.execute(t.agreement_parties.delete().where(t.agreement_parties.c.agreement_id == record_id))
        rows = self._party_rows(record, resolve)
        if rows:
            conn.execute(
                t.agreement_parties.insert(),
                [dict(r, workspace_id=workspace_id, agreement_id=record_id) for r in rows],
            )

    def load_children(self, conn, workspace_id, ids, lookup):
        out: dict[int, dict] = defaultdict(lambda: {"parties": []})
        if not ids:
            return out
        rows = list(
            conn.execute(
                select(t.agreement_parties)
                .where(t.agreement_parties.c.workspace_id == workspace_id, t.agreement_parties.c.agreement_id.in_(ids))
                .order_by(t.agreement_parties.c.agreement_id, t.agreement_parties.c.position)
            )
        )
        partner_refs = lookup.refs("partners", (r.partner_id for r in rows))
        place_refs = lookup.refs("places", (r.place_id for r in rows))
        for r in rows:
            party = {"us": True} if r.us else {}
            if r.partner_id:
                party = {"partner": partner_refs[r.partner_id]}
            elif r.place_id:
                party = {"place": place_refs[r.place_id]}
            out[r.agreement_id]["parties"].append(party)
        return out


class EngagementMapper(Mapper):
    record_type = Engagement
    table = t.engagements
    scalars = (
        "title",
        "kind",
        "channel",
        "status",
        "timezone",
        "date_precision",
        "venue_kind",
        "venue_name",
        "official_capacity",
        "expected_attendance",
        "initiated_by",
        "summary",
        "outcomes",
        "entered_by",
    )
    refs = {"venue_place": ("venue_place_id", "places")}

    def to_row(self, record, resolve):
        row = super().to_row(record, resolve)
        row["start_utc"] = as_utc(record.start)
        row["end_utc"] = as_utc(record.end)
        return row

    def extra_fields(self, row) -> dict:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(row.timezone)
        start = as_utc(row.start_utc).astimezone(zone)
        end = as_utc(row.end_utc)
        return {"start": start, "end": end.astimezone(zone) if end else None}

    def _child_rows(self, record: Engagement, resolve: Resolver) -> dict[str, list[dict]]:
        partners = [
            {"position": i, "partner_id": resolve("partners", ref, f"partners[{i}]")}
            for i, ref in enumerate(record.partners)
        ]
        participants = [
            {
                "position": i,
                "person_id": resolve("people", p.person, f"participants[{i}].person"),
                "post_id": resolve("posts", p.post, f"participants[{i}].post") if p.post else None,
                "side": p.side.value,
                "role": p.role,
            }
            for i, p in enumerate(record.participants)
        ]
        follow = [{"position": i, **f.model_dump(mode="python")} for i, f in enumerate(record.follow_ups)]
        return {
            "engagement_partners": partners,
            "engagement_participants": participants,
            "engagement_topics": [{"topic": topic} for topic in record.topics],
            "engagement_sdgs": [{"goal": goal} for goal in record.sdgs],
            "follow_ups": follow,
        }

    child_key = "engagement_id"

    def check_children(self, record, resolve):
        return list(self._child_rows(record, resolve).values())

    def child_rows(self, record, resolve):
        return self._child_rows(record, resolve)

    def write_children(self, conn, workspace_id, record_id, record, resolve):
        for name, rows in self._child_rows(record, resolve).items():
            table = t.metadata.tables[name]
            conn.execute(table.delete().where(table.c.engagement_id == record_id))
            if rows:
                conn.execute(
                    table.insert(), [dict(r, workspace_id=workspace_id, engagement_id=record_id) for r in rows]
                )

    def load_children(self, conn, workspace_id, ids, lookup):
        out: dict[int, dict] = defaultdict(
            lambda: {"partners": [], "participants": [], "topics": [], "sdgs": [], "follow_ups": []}
        )
        if not ids:
            return out

        def rows_of(table: Table, order=("position",)):
            result = []
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                query = select(table).where(table.c.workspace_id == workspace_id, table.c.engagement_id.in_(chunk))
                query = query.order_by(table.c.engagement_id, *(table.c[o] for o in order))
                result.extend(conn.execute(query))
            return result

        partner_rows = rows_of(t.engagement_partners)
        participant_rows = rows_of(t.engagement_participants)
        partner_refs = lookup.refs("partners", (r.partner_id for r in partner_rows))
        person_refs = lookup.refs("people", (r.person_id for r in participant_rows))
        post_refs = lookup.refs("posts", (r.post_id for r in participant_rows))
        for r in partner_rows:
            out[r.engagement_id]["partners"].append(partner_refs[r.partner_id])
        for r in participant_rows:
            item = {"person": person_refs[r.person_id], "side": r.side}
            if r.post_id:
                item["post"] = post_refs[r.post_id]
            if r.role:
                item["role"] = r.role
            out[r.engagement_id]["participants"].append(item)
        for r in rows_of(t.engagement_topics, order=("id",)):
            out[r.engagement_id]["topics"].append(r.topic)
        for r in rows_of(t.engagement_sdgs, order=("goal",)):
            out[r.engagement_id]["sdgs"].append(r.goal)
        for r in rows_of(t.follow_ups):
            out[r.engagement_id]["follow_ups"].append(
                {
                    "description": r.description,
                    "owner": r.owner,
                    "due_on": r.due_on,
                    "done": r.done,
                    "done_on": r.done_on,
                }
            )
        return out


class GiftMapper(Mapper):
    record_type = Gift
    table = t.gifts
    scalars = ("description", "to_government", "value", "currency", "value_usd", "received_on", "disposition")
    refs = {
        "donor_partner": ("donor_partner_id", "partners"),
        "donor_person": ("donor_person_id", "people"),
        "recipient": ("recipient_id", "people"),
    }


MAPPERS: dict[str, Mapper] = {
    m.record_type.plural: m()
    for m in (
        PlaceMapper,
        PartnerMapper,
        PersonMapper,
        PostMapper,
        NetworkMapper,
        MembershipMapper,
        AgreementMapper,
        EngagementMapper,
        GiftMapper,
    )
}
