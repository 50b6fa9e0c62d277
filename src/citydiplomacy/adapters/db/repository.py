"""The registry repository: records of one workspace, read and written on one connection.

It never commits: the unit of work owns the transaction. Every query filters on the
workspace, so a record of another workspace is simply "not found".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Connection, and_, func, literal, or_, select

from ...domain import RECORD_TYPES_BY_PLURAL, Conflict, InvalidInput, NotFound, Problem, Record
from ...domain.vocab import Confidentiality, PartnerKind
from . import tables as t
from .mapping import MAPPERS, RefLookup, as_utc

ALL_LEVELS = (Confidentiality.public, Confidentiality.internal, Confidentiality.confidential)
#: What a read shows when it is not told who reads: the narrowest level, never everything.
#: Services pass the reader's levels (``actor.visible``); a system task that must see every
#: record (saving, checking the rules) passes ``ALL_LEVELS`` on purpose.
NARROWEST = (Confidentiality.public,)

#: Who points at whom: target plural -> [(table, column, owner plural, owner id column)].
INCOMING = {
    "places": [
        (t.partners, "place_id", "partners", "id"),
        (t.engagements, "venue_place_id", "engagements", "id"),
        (t.agreement_parties, "place_id", "agreements", "agreement_id"),
    ],
    "partners": [
        (t.partners, "parent_id", "partners", "id"),
        (t.posts, "partner_id", "posts", "id"),
        (t.networks, "secretariat_id", "networks", "id"),
        (t.memberships, "member_id", "memberships", "id"),
        (t.agreement_parties, "partner_id", "agreements", "agreement_id"),
        (t.engagement_partners, "partner_id", "engagements", "engagement_id"),
        (t.gifts, "donor_partner_id", "gifts", "id"),
    ],
    "people": [
        (t.posts, "person_id", "posts", "id"),
        (t.engagement_participants, "person_id", "engagements", "engagement_id"),
        (t.gifts, "donor_person_id", "gifts", "id"),
        (t.gifts, "recipient_id", "gifts", "id"),
    ],
    "posts": [(t.engagement_participants, "post_id", "engagements", "engagement_id")],
    "networks": [(t.memberships, "network_id", "memberships", "id")],
    "memberships": [],
    "agreements": [],
    "engagements": [],
    "gifts": [],
}


class ListQuery(BaseModel):
    """Filters, sorting and paging for a record list. Filters that do not apply to a
    record type are refused by :func:`check_filters`, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("contains a NUL character (\\x00); remove it")
        return value

    q: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    partner: str | None = None
    person: str | None = None
    kind: str | None = None
    topic: str | None = None
    status: str | None = None
    sdg: int | None = Field(None, ge=1, le=17, description="UN Sustainable Development Goal number, 1-17")
    sort: str | None = None
    page: int = 1
    per_page: int = 50
    visible: tuple[Confidentiality, ...] = NARROWEST


def name_column(table):
    """The column a person reads a record by: its title, name or description."""
    return next(table.c[name] for name in ("title", "name", "description") if name in table.c)


def visible_to(table, visible) -> object:
    """The SQL condition 'a reader with these levels may see the row' (the one place it is written)."""
    return table.c.confidentiality.in_([str(Confidentiality(v)) for v in visible])


@dataclass
class Page:
    items: list[Record]
    total: int
    page: int
    per_page: int
    ids: list[int] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


#: Which filters and sort keys each record type accepts.
FILTERS: dict[str, set[str]] = {
    "places": {"q", "country", "kind"},
    "partners": {"q", "country", "kind"},
    "people": {"q", "country", "partner"},
    "posts": {"q", "person", "partner", "date_from", "date_to"},
    "networks": {"q"},
    "memberships": {"partner", "date_from", "date_to"},
    "agreements": {"q", "country", "partner", "kind", "status", "date_from", "date_to"},
    "engagements": {"q", "country", "partner", "person", "kind", "topic", "status", "sdg", "date_from", "date_to"},
    "gifts": {"q", "partner", "person", "date_from", "date_to"},
}
SORTS: dict[str, dict[str, str]] = {
    "places": {"name": "name", "country": "country_code", "population": "population"},
    "partners": {"name": "name", "country": "country_code", "kind": "kind"},
    "people": {"name": "name"},
    "posts": {"title": "title", "start": "start_date"},
    "networks": {"name": "name"},
    "memberships": {"start": "start_date"},
    "agreements": {"title": "title", "signed": "signed_on", "expires": "expires_on", "status": "status"},
    "engagements": {"start": "start_utc", "title": "title", "kind": "kind", "status": "status"},
    "gifts": {"received": "received_on", "description": "description", "value": "value"},
}
DEFAULT_SORT = {
    "places": "name",
    "partners": "name",
    "people": "name",
    "posts": "title",
    "networks": "name",
    "memberships": "start",
    "agreements": "-signed",
    "engagements": "-start",
    "gifts": "-received",
}


def check_filters(plural: str, query: ListQuery) -> list[Problem]:
    problems = []
    allowed = FILTERS[plural]
    for name in ("q", "date_from", "date_to", "country", "partner", "person", "kind", "topic", "status", "sdg"):
        if getattr(query, name) not in (None, "") and name not in allowed:
            problems.append(
                Problem(f"{plural} cannot be filtered by '{name}'; filters: {', '.join(sorted(allowed))}", field=name)
            )
    if query.sort:
        key = query.sort.lstrip("-")
        if key not in SORTS[plural]:
            problems.append(
                Problem(
                    f"unknown sort '{query.sort}'; use one of: {', '.join(sorted(SORTS[plural]))} (prefix - for descending)",
                    field="sort",
                )
            )
    if query.page < 1:
        problems.append(Problem("page starts at 1", field="page", value=query.page))
    if not 1 <= query.per_page <= 500:
        problems.append(Problem("per_page must be between 1 and 500", field="per_page", value=query.per_page))
    if query.date_from and query.date_to and query.date_to < query.date_from:
        problems.append(Problem("date_to is before date_from", field="date_to"))
    return problems


class Repository:
    def __init__(self, conn: Connection, workspace_id: int, timezone: str = "UTC"):
        self.conn = conn
        self.workspace_id = workspace_id
        #: Date filters on engagements are read as calendar days in the workspace's time zone.
        self.zone = ZoneInfo(timezone)
        self.lookup = RefLookup(conn, workspace_id)
        self._lookups: dict[frozenset, RefLookup] = {}

    # -- references ---------------------------------------------------------------
    def id_of(self, plural: str, ref: str) -> int | None:
        table = t.RECORD_TABLES[plural]
        return self.conn.execute(
            select(table.c.id).where(table.c.workspace_id == self.workspace_id, table.c.ref == ref)
        ).scalar_one_or_none()

    def resolver(self, problems: list[Problem], pending: dict[str, set[str]] | None = None):
        """A resolver for mapping.to_row that records unknown refs as problems.

        ``pending`` holds refs about to be created in the same batch (imports), which
        are accepted during validation."""
        cache: dict[tuple[str, str], int | None] = {}

        def resolve(plural: str, ref: str, field_name: str) -> int | None:
            key = (plural, ref)
            if key not in cache:
                cache[key] = self.id_of(plural, ref)
            found = cache[key]
            if found is None:
                if pending and ref in pending.get(plural, ()):
                    return -1
                kind = RECORD_TYPES_BY_PLURAL[plural].kind_name
                problems.append(Problem(f"no {kind} with ref '{ref}' in this workspace", field=field_name, value=ref))
            return found

        return resolve

    # -- reads ----------------------------------------------------------------------
    def _lookup(self, visible) -> RefLookup:
        """Refs as this reader may read them: a reference to a record they may not see reads as
        "confidential:<n>"; a reader of every level gets the shared lookup."""
        levels = frozenset(str(Confidentiality(v)) for v in visible)
        if levels >= {str(v) for v in ALL_LEVELS}:
            return self.lookup
        if levels not in self._lookups:
            self._lookups[levels] = RefLookup(self.conn, self.workspace_id, levels)
        return self._lookups[levels]

    def get(self, plural: str, ref: str, visible=NARROWEST) -> tuple[int, Record]:
        table = t.RECORD_TABLES[plural]
        row = self.conn.execute(
            select(table).where(table.c.workspace_id == self.workspace_id, table.c.ref == ref)
        ).one_or_none()
        if row is None or row.confidentiality not in [str(v) for v in visible]:
            raise NotFound(RECORD_TYPES_BY_PLURAL[plural].kind_name, ref)
        return row.id, MAPPERS[plural].load(self.conn, self.workspace_id, [row], self._lookup(visible))[0]

    def get_by_id(self, plural: str, record_id: int, visible=NARROWEST) -> Record:
        table = t.RECORD_TABLES[plural]
        row = self.conn.execute(
            select(table).where(table.c.workspace_id == self.workspace_id, table.c.id == record_id)
        ).one_or_none()
        if row is None or row.confidentiality not in [str(v) for v in visible]:
            raise NotFound(RECORD_TYPES_BY_PLURAL[plural].kind_name, record_id)
        return MAPPERS[plural].load(self.conn, self.workspace_id, [row], self._lookup(visible))[0]

    def list(self, plural: str, query: ListQuery) -> Page:
        problems = check_filters(plural, query)
        if problems:
            raise InvalidInput(problems)
        table = t.RECORD_TABLES[plural]
        conditions = [table.c.workspace_id == self.workspace_id]
        conditions.append(visible_to(table, query.visible))
        conditions.extend(self._filters(plural, table, query))
        where = and_(*conditions)
        total = self.conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
        sort = query.sort or DEFAULT_SORT[plural]
        column = table.c[SORTS[plural][sort.lstrip("-")]]
        order = column.desc() if sort.startswith("-") else column.asc()
        rows = list(
            self.conn.execute(
                select(table)
                .where(where)
                .order_by(order, table.c.id)
                .limit(query.per_page)
                .offset((query.page - 1) * query.per_page)
            )
        )
        items = MAPPERS[plural].load(self.conn, self.workspace_id, rows, self._lookup(query.visible))
        return Page(items=items, total=total, page=query.page, per_page=query.per_page, ids=[r.id for r in rows])

    def iter_all(self, plural: str, visible=NARROWEST, batch: int = 1000, query: ListQuery | None = None):
        """Every record of a type (that matches the list filters of ``query``, if given), in id
        order, in batches (exports)."""
        table = t.RECORD_TABLES[plural]
        filters = []
        if query is not None:
            problems = check_filters(plural, query)
            if problems:
                raise InvalidInput(problems)
            filters = self._filters(plural, table, query.model_copy(update={"visible": tuple(visible)}))
        last = 0
        while True:
            rows = list(
                self.conn.execute(
                    select(table)
                    .where(
                        table.c.workspace_id == self.workspace_id,
                        table.c.id > last,
                        visible_to(table, visible),
                        *filters,
                    )
                    .order_by(table.c.id)
                    .limit(batch)
                )
            )
            if not rows:
                return
            yield from MAPPERS[plural].load(self.conn, self.workspace_id, rows, self._lookup(visible))
            last = rows[-1].id

    def _filters(self, plural: str, table, query: ListQuery) -> list:
        cond = []
        if query.q:
            needle = f"%{query.q.strip().lower()}%"
            text_col = name_column(table)
            cond.append(or_(func.lower(text_col).like(needle), func.lower(table.c.ref).like(needle)))
        if query.kind:
            cond.append(table.c.kind == query.kind)
        if query.status:
            cond.append(table.c.status == query.status)
        if query.country:
            cond.append(self._country_condition(plural, table, query.country.upper(), query.visible))
        if query.partner:
            partner_id = self._visible_id("partners", query.partner, query.visible)
            if plural in ("engagements", "agreements"):
                cond.append(self.concerning_partner(plural, table, partner_id, query.visible))
            elif plural == "people":
                cond.append(table.c.id.in_(select(t.posts.c.person_id).where(t.posts.c.partner_id == partner_id)))
            elif plural == "posts":
                cond.append(table.c.partner_id == partner_id)
            elif plural == "memberships":
                cond.append(table.c.member_id == partner_id)
            elif plural == "gifts":
                cond.append(table.c.donor_partner_id == partner_id)
        if query.person:
            person_id = self._visible_id("people", query.person, query.visible)
            if plural == "engagements":
                pp = t.engagement_participants
                cond.append(table.c.id.in_(select(pp.c.engagement_id).where(pp.c.person_id == person_id)))
            elif plural == "posts":
                cond.append(table.c.person_id == person_id)
            elif plural == "gifts":
                cond.append(or_(table.c.recipient_id == person_id, table.c.donor_person_id == person_id))
        if query.topic and plural == "engagements":
            et = t.engagement_topics
            cond.append(
                table.c.id.in_(
                    select(et.c.engagement_id).where(et.c.workspace_id == self.workspace_id, et.c.topic == query.topic)
                )
            )
        if query.sdg is not None and plural == "engagements":
            es = t.engagement_sdgs
            cond.append(
                table.c.id.in_(
                    select(es.c.engagement_id).where(es.c.workspace_id == self.workspace_id, es.c.goal == query.sdg)
                )
            )
        if query.date_from or query.date_to:
            cond.extend(self._date_conditions(plural, table, query.date_from, query.date_to))
        return cond

    def _date_conditions(self, plural, table, date_from, date_to):
        cond = []
        if plural == "engagements":
            if date_from:
                cond.append(table.c.start_utc >= as_utc(datetime.combine(date_from, time.min, self.zone)))
            if date_to:
                cond.append(table.c.start_utc <= as_utc(datetime.combine(date_to, time.max, self.zone)))
        elif plural == "agreements":
            column = func.coalesce(table.c.signed_on, table.c.effective_on)
            if date_from:
                cond.append(column >= date_from)
            if date_to:
                cond.append(column <= date_to)
        elif plural == "gifts":
            if date_from:
                cond.append(table.c.received_on >= date_from)
            if date_to:
                cond.append(table.c.received_on <= date_to)
        else:  # posts, memberships: spans overlapping the range
            if date_from:
                cond.append(or_(table.c.end_date.is_(None), table.c.end_date >= date_from))
            if date_to:
                cond.append(or_(table.c.start_date.is_(None), table.c.start_date <= date_to))
        return cond

    def _visible_id(self, plural: str, ref: str, visible) -> int:
        """The id of a record the reader may see, else -1: a filter naming a hidden record
        matches nothing, so it cannot tell that the record exists."""
        table = t.RECORD_TABLES[plural]
        found = self.conn.execute(
            select(table.c.id).where(
                table.c.workspace_id == self.workspace_id, table.c.ref == ref, visible_to(table, visible)
            )
        ).scalar()
        return found if found is not None else -1

    def _country_condition(self, plural, table, code: str, visible=NARROWEST):
        if plural in ("places", "partners", "people"):
            return table.c.country_code == code

        def of_country(other):
            return select(other.c.id).where(
                other.c.workspace_id == self.workspace_id, other.c.country_code == code, visible_to(other, visible)
            )

        return self.concerning(
            plural, table, of_country(t.partners), of_country(t.places), of_country(t.people), visible=visible
        )

    def concerning_partner(self, plural: str, table, partner_id: int, visible=NARROWEST):
        """Engagements or agreements that concern a partner: linked to it, to a person holding a
        post at it, or (for a city or regional government, which *is* its place) to its place;
        only through links the reader may see."""
        pa, pl = t.partners, t.places
        own_place = select(pa.c.place_id).where(
            pa.c.id == partner_id,
            pa.c.place_id.is_not(None),
            pa.c.kind.in_((str(PartnerKind.city), str(PartnerKind.subnational_government))),
            pa.c.place_id.in_(select(pl.c.id).where(visible_to(pl, visible))),
        )
        return self.concerning(plural, table, select(literal(partner_id)), own_place, visible=visible)

    def concerning(self, plural: str, table, partner_ids, place_ids, people_ids=None, visible=NARROWEST):
        """Engagements or agreements linked to any of the partners or places (subqueries of ids),
        or, for engagements, with a participant holding a post the reader may see at one of the
        partners (or one of ``people_ids``)."""
        if plural == "engagements":
            ep, pp, po = t.engagement_partners, t.engagement_participants, t.posts
            people = select(po.c.person_id).where(po.c.partner_id.in_(partner_ids), visible_to(po, visible))
            if people_ids is not None:
                people = people.union(people_ids)
            return or_(
                table.c.id.in_(select(ep.c.engagement_id).where(ep.c.partner_id.in_(partner_ids))),
                table.c.venue_place_id.in_(place_ids),
                table.c.id.in_(select(pp.c.engagement_id).where(pp.c.person_id.in_(people))),
            )
        ap = t.agreement_parties
        return table.c.id.in_(
            select(ap.c.agreement_id).where(or_(ap.c.partner_id.in_(partner_ids), ap.c.place_id.in_(place_ids)))
        )

    # -- writes ---------------------------------------------------------------------
    def validate_refs(self, record: Record, pending: dict[str, set[str]] | None = None) -> list[Problem]:
        problems: list[Problem] = []
        resolve = self.resolver(problems, pending)
        mapper = MAPPERS[record.plural]
        mapper.to_row(record, resolve)
        mapper.check_children(record, resolve)
        return problems

    def save(self, record: Record, now: datetime) -> tuple[str, Record | None, Record, int]:
        """Insert or update by ref. Returns (action, before, after, id); action is
        'inserted', 'updated' or 'unchanged'."""
        record = record.with_ref()
        plural = record.plural
        mapper = MAPPERS[plural]
        table = t.RECORD_TABLES[plural]
        problems: list[Problem] = []
        resolve = self.resolver(problems)
        row = mapper.to_row(record, resolve)
        mapper.check_children(record, resolve)
        if problems:
            raise InvalidInput(problems)
        existing_id = self.id_of(plural, record.ref)
        if existing_id is None:
            row.update(workspace_id=self.workspace_id, created_at=now, updated_at=now)
            new_id = self.conn.execute(table.insert().values(**row).returning(table.c.id)).scalar_one()
            mapper.write_children(self.conn, self.workspace_id, new_id, record, resolve)
            after = self.get_by_id(plural, new_id, ALL_LEVELS)
            return "inserted", None, after, new_id
        before = self.get_by_id(plural, existing_id, ALL_LEVELS)
        if before.model_dump(mode="json") == record.model_dump(mode="json"):
            return "unchanged", before, before, existing_id
        row["updated_at"] = now
        self.conn.execute(table.update().where(table.c.id == existing_id).values(**row))
        mapper.write_children(self.conn, self.workspace_id, existing_id, record, resolve)
        after = self.get_by_id(plural, existing_id, ALL_LEVELS)
        return "updated", before, after, existing_id

    # -- bulk helpers for imports (refs resolved once per type, no re-read after a write) --
    def ref_index(self, plural: str) -> dict[str, tuple[int, str]]:
        """ref -> (id, confidentiality) of every record of a type: one query, for imports."""
        table = t.RECORD_TABLES[plural]
        rows = self.conn.execute(
            select(table.c.ref, table.c.id, table.c.confidentiality).where(table.c.workspace_id == self.workspace_id)
        )
        return {row.ref: (row.id, row.confidentiality) for row in rows}

    def load_many(self, plural: str, ids, visible=NARROWEST) -> dict[int, Record]:
        """Records by id that the reader may see, loaded in batches (a fixed number of queries
        per 900 ids)."""
        table = t.RECORD_TABLES[plural]
        ids = sorted(set(ids))
        out: dict[int, Record] = {}
        for start in range(0, len(ids), 900):
            rows = list(
                self.conn.execute(
                    select(table).where(
                        table.c.workspace_id == self.workspace_id,
                        table.c.id.in_(ids[start : start + 900]),
                        visible_to(table, visible),
                    )
                )
            )
            records = MAPPERS[plural].load(self.conn, self.workspace_id, rows, self._lookup(visible))
            out.update({row.id: record for row, record in zip(rows, records)})
        return out

    def write_many(self, plural: str, records: list[tuple[Record, int | None]], now: datetime, resolve) -> list[int]:
        """Insert (id None) or replace records of one type whose refs were already checked.

        For imports that validated and compared a whole file in batches: no lookup before,
        no read-back after, one multi-row INSERT for new records and one per child table.
        ``resolve(plural, ref, field)`` must return the id of every ref; a record may not
        point at another record of the same batch. Returns the ids, in order."""
        mapper = MAPPERS[plural]
        table = t.RECORD_TABLES[plural]
        ids: list[int | None] = [existing for _record, existing in records]
        new = [i for i, existing in enumerate(ids) if existing is None]
        if new:
            rows = [
                dict(
                    mapper.to_row(records[i][0], resolve),
                    workspace_id=self.workspace_id,
                    created_at=now,
                    updated_at=now,
                )
                for i in new
            ]
            inserted = self.conn.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)
            for i, row in zip(new, inserted):
                ids[i] = row.id
        fresh = set(new)
        replaced = [(records[i][0], ids[i]) for i in range(len(records)) if i not in fresh]
        for record, record_id in replaced:
            row = dict(mapper.to_row(record, resolve), updated_at=now)
            self.conn.execute(table.update().where(table.c.id == record_id), row)
        if mapper.child_key:
            children: dict[str, list[dict]] = {}
            for (record, _existing), record_id in zip(records, ids):
                for name, rows in mapper.child_rows(record, resolve).items():
                    owner = {"workspace_id": self.workspace_id, mapper.child_key: record_id}
                    children.setdefault(name, []).extend(dict(r, **owner) for r in rows)
            replaced_ids = [record_id for _record, record_id in replaced]
            for name in children:
                child_table = t.metadata.tables[name]
                for start in range(0, len(replaced_ids), 900):
                    chunk = replaced_ids[start : start + 900]
                    self.conn.execute(child_table.delete().where(child_table.c[mapper.child_key].in_(chunk)))
                if children[name]:
                    self.conn.execute(child_table.insert(), children[name])
        return ids  # type: ignore[return-value]

    def referrers(self, plural: str, record_id: int, limit: int = 5) -> list[tuple[str, str]]:
        """(type, ref) of records that point at this one."""
        found: list[tuple[str, str]] = []
        for table, column, owner_plural, owner_col in INCOMING[plural]:
            owner_ids = [
                r[0]
                for r in self.conn.execute(
                    select(table.c[owner_col]).where(table.c[column] == record_id).distinct().limit(limit)
                )
            ]
            refs = self.lookup.refs(owner_plural, owner_ids)
            found.extend((owner_plural, ref) for ref in refs.values())
        return found[:limit]

    def delete(self, plural: str, ref: str) -> Record:
        record_id, before = self.get(plural, ref, ALL_LEVELS)  # the service checked the reader first
        users = self.referrers(plural, record_id)
        if users:
            names = ", ".join(f"{RECORD_TYPES_BY_PLURAL[p].kind_name} '{r}'" for p, r in users)
            raise Conflict(f"{before.kind_name} '{ref}' is still referred to by {names}; change or delete those first.")
        table = t.RECORD_TABLES[plural]
        self.conn.execute(table.delete().where(table.c.id == record_id))
        return before
