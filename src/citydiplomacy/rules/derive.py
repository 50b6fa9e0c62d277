"""From registry records to facts: the one place where the fact vocabulary is computed.

Records may be domain models or any objects with the same attribute names (the fast
database loader builds light ones). ``Context`` holds what records point at (partners,
places, people, posts) and the workspace; ``answers`` holds answers to questions the
registry does not record (``engagement.arranges_meeting`` …), keyed by record ref.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain.vocab import MISSION_KINDS, AgreementStatus
from .facts import FACTS, GOVERNMENT_KINDS, SENIOR_DIPLOMATS
from .table import FactTable


@dataclass
class Context:
    workspace_kind: str | None = "city"
    workspace_country: str | None = "US"
    workspace_subdivision: str | None = None
    workspace_geonames_id: int | None = None
    partners: dict[str, Any] = field(default_factory=dict)  # ref -> object with kind, country_code
    places: dict[str, Any] = field(default_factory=dict)  # ref -> object with kind, country_code
    people: dict[str, Any] = field(default_factory=dict)  # ref -> object with country_code
    posts: dict[str, Any] = field(default_factory=dict)  # ref -> Post-like
    posts_by_person: dict[str, list] = field(default_factory=dict)

    @classmethod
    def for_workspace(cls, workspace, *, partners=(), places=(), people=(), posts=()) -> Context:
        ctx = cls(
            workspace_kind=str(workspace.kind),
            workspace_country=workspace.country_code,
            workspace_subdivision=workspace.subdivision_code,
            workspace_geonames_id=workspace.place_geonames_id,
        )
        ctx.add(partners=partners, places=places, people=people, posts=posts)
        return ctx

    def add(self, *, partners=(), places=(), people=(), posts=()) -> None:
        self.partners.update({p.ref: p for p in partners})
        self.places.update({p.ref: p for p in places})
        self.people.update({p.ref: p for p in people})
        for post in posts:
            self.posts[post.ref] = post
            self.posts_by_person.setdefault(post.person, []).append(post)

    def workspace_facts(self) -> dict[str, Any]:
        return {
            "workspace.kind": self.workspace_kind,
            "workspace.country": self.workspace_country,
            "workspace.subdivision": self.workspace_subdivision,
            "workspace.geonames_id": self.workspace_geonames_id,
        }


Answers = dict[str, dict[str, Any]]  # record ref -> {fact: value}


def _value(item) -> str | None:
    if item is None:
        return None
    return getattr(item, "value", item)


def _held(post, on: date) -> bool:
    return (post.start_date is None or post.start_date <= on) and (post.end_date is None or on <= post.end_date)


def _post_for(participant, on: date, ctx: Context, partner_refs: Iterable[str] = ()):
    if getattr(participant, "post", None):
        return ctx.posts.get(participant.post)
    held = [p for p in ctx.posts_by_person.get(participant.person, []) if _held(p, on)]
    partner_refs = set(partner_refs)
    preferred = [p for p in held if p.partner in partner_refs] or held
    preferred.sort(key=lambda p: p.start_date or date.min, reverse=True)
    return preferred[0] if preferred else None


def _columns(record: str, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names = [n for n, f in FACTS.items() if f.record in (record, "any")]
    return {name: [row.get(name) for row in rows] for name in names}


def _apply_answers(row: dict, ref: str, answers: Answers | None) -> None:
    for name, value in (answers or {}).get(ref, {}).items():
        if name in FACTS and FACTS[name].asked:
            row[name] = value


MISSION_VALUES = frozenset(k.value for k in MISSION_KINDS)
GOVERNMENT_VALUES = frozenset(k.value for k in GOVERNMENT_KINDS)
SENIOR_VALUES = frozenset(k.value for k in SENIOR_DIPLOMATS)


def _empty_columns(record: str, n: int, ctx: Context) -> dict[str, list[Any]]:
    columns = {name: [None] * n for name, f in FACTS.items() if f.record == record}
    for name, value in ctx.workspace_facts().items():
        columns[name] = [value] * n
    return columns


def engagement_facts(
    engagements: list, ctx: Context, answers: Answers | None = None, unknown: dict[str, set[str]] | None = None
) -> FactTable:
    """Facts of engagements. ``unknown`` lists, per ref, fields the user did not state
    (a planned engagement given as a dict), so that their defaults are not taken as facts."""
    n = len(engagements)
    c = _empty_columns("engagement", n, ctx)
    date_, kind, channel, status = (
        c["engagement.date"],
        c["engagement.kind"],
        c["engagement.channel"],
        c["engagement.status"],
    )
    venue, official, attendance = (
        c["engagement.venue_kind"],
        c["engagement.official_capacity"],
        c["engagement.expected_attendance"],
    )
    initiated, topics = c["engagement.initiated_by"], c["engagement.topics"]
    kinds_c, countries_c, mission_c, prc_c = (
        c["counterpart.kinds"],
        c["counterpart.countries"],
        c["counterpart.is_mission"],
        c["counterpart.is_prc_mission"],
    )
    senior_c, seniorities_c, levels_c, ours_c = (
        c["counterpart.senior_diplomat_present"],
        c["counterpart.seniorities"],
        c["our_side.levels"],
        c["our_side.participants"],
    )
    partners_get = ctx.partners.get
    for i, e in enumerate(engagements):
        on = e.start.date()
        date_[i] = on
        kind[i], channel[i], status[i] = _value(e.kind), _value(e.channel), _value(e.status)
        venue[i] = _value(e.venue_kind)
        official[i] = None if unknown and "official_capacity" in unknown.get(e.ref, ()) else e.official_capacity
        attendance[i] = e.expected_attendance
        who = _value(e.initiated_by)
        initiated[i] = None if who in (None, "unknown") else who
        topics[i] = list(e.topics)
        if e.partners:
            partners = [partners_get(ref) for ref in e.partners]
            if None not in partners:
                kinds = [_value(p.kind) for p in partners]
                countries = [p.country_code for p in partners]
                kinds_c[i] = kinds
                countries_c[i] = None if None in countries else countries
                mission_c[i] = any(k in MISSION_VALUES for k in kinds)
                prc = unsure = False
                for k, country in zip(kinds, countries):
                    if k == "embassy" or k == "consulate":
                        prc = prc or country == "CN"
                        unsure = unsure or country is None
                prc_c[i] = True if prc else (None if unsure else False)
        theirs, ours = [], []
        for p in e.participants:
            (theirs if _value(p.side) == "theirs" else ours).append(p)
        if theirs:
            posts = [_post_for(p, on, ctx, e.partners) for p in theirs]
            seniorities = [_value(p.seniority) for p in posts if p is not None]
            senior = any(s in SENIOR_VALUES for s in seniorities)
            senior_c[i] = True if senior else (None if None in posts else False)
            seniorities_c[i] = None if None in posts else seniorities
        ours_c[i] = len(ours)
        if ours:
            posts = [_post_for(p, on, ctx) for p in ours]
            levels = [_value(p.level) for p in posts if p is not None and p.level is not None]
            levels_c[i] = levels if len(levels) == len(posts) else (levels or None)
    _answer_columns(c, [e.ref for e in engagements], answers)
    return FactTable.from_columns("engagement", [e.ref for e in engagements], c, titles=[e.title for e in engagements])


def _answer_columns(columns: dict[str, list[Any]], refs: list[str], answers: Answers | None) -> None:
    if not answers:
        return
    for i, ref in enumerate(refs):
        for name, value in answers.get(ref, {}).items():
            if name in columns and FACTS[name].asked:
                columns[name][i] = value


def _party(party, ctx: Context) -> tuple[str | None, str | None] | None:
    """(kind, country) of a party, or None for us."""
    if party.us:
        return None
    if party.partner:
        found = ctx.partners.get(party.partner)
        return (_value(found.kind), found.country_code) if found else (None, None)
    found = ctx.places.get(party.place)
    return (_value(found.kind), found.country_code) if found else (None, None)


def agreement_facts(agreements: list, ctx: Context, answers: Answers | None = None) -> FactTable:
    ws = ctx.workspace_facts()
    rows = []
    for a in agreements:
        row = dict(ws)
        status = _value(a.status)
        row.update(
            {
                "agreement.date": a.signed_on or a.effective_on,
                "agreement.kind": _value(a.kind),
                "agreement.status": status,
                "agreement.ongoing": status in (AgreementStatus.in_force.value, AgreementStatus.dormant.value),
                "agreement.binding": a.binding,
                "agreement.signed_on": a.signed_on,
                "agreement.expires_on": a.expires_on,
                "agreement.recognised_by_national_org": a.recognised_by_national_org,
            }
        )
        parties = [_party(p, ctx) for p in a.parties]
        others = [p for p in parties if p is not None]
        if others and all(country is not None for _kind, country in others):
            foreign = [(k, c) for k, c in others if c != ctx.workspace_country]
            row["agreement.foreign_countries"] = [c for _k, c in foreign]
            kinds = [k for k, _c in foreign]
            row["agreement.foreign_party_kinds"] = None if None in kinds else kinds
            row["agreement.with_foreign_government"] = any(
                k in ("country", "subdivision", "city") or k in GOVERNMENT_VALUES for k in kinds
            )
        _apply_answers(row, a.ref, answers)
        rows.append(row)
    return FactTable.from_columns(
        "agreement", [a.ref for a in agreements], _columns("agreement", rows), titles=[a.title for a in agreements]
    )


def _usd(gift) -> Decimal | None:
    if gift.currency == "USD":
        return gift.value
    return gift.value_usd


def gift_facts(gifts: list, ctx: Context, answers: Answers | None = None) -> FactTable:
    """Facts of gifts; ``gift.donor_year_total_usd`` adds up the gifts given here, so pass
    every gift of the workspace (or at least every gift of the same donor and year)."""
    ws = ctx.workspace_facts()
    totals: dict[int, float | None] = {}
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, g in enumerate(gifts):
        donor = ("partner", g.donor_partner) if g.donor_partner else ("person", g.donor_person)
        recipient = g.recipient or "(government)"
        groups[(donor, recipient, g.received_on.year)].append(i)
    for members in groups.values():
        running: float | None = 0.0
        for i in sorted(members, key=lambda k: (gifts[k].received_on, k)):
            value = _usd(gifts[i])
            running = None if running is None or value is None else running + float(value)
            totals[i] = running
    rows = []
    for i, g in enumerate(gifts):
        row = dict(ws)
        if g.donor_partner:
            partner = ctx.partners.get(g.donor_partner)
            kind, country = (_value(partner.kind), partner.country_code) if partner else (None, None)
        else:
            person = ctx.people.get(g.donor_person)
            kind, country = "person", (person.country_code if person else None)
        foreign = None if country is None else country != ctx.workspace_country
        levels = None
        if g.recipient:
            held = [p for p in ctx.posts_by_person.get(g.recipient, []) if _held(p, g.received_on)]
            levels = [_value(p.level) for p in held if p.level is not None] or None
        value = _usd(g)
        row.update(
            {
                "gift.date": g.received_on,
                "gift.value_usd": float(value) if value is not None else None,
                "gift.donor_year_total_usd": totals[i],
                "gift.donor_country": country,
                "gift.donor_kind": kind,
                "gift.donor_is_foreign_government": None
                if kind is None or foreign is None
                else (foreign and kind in GOVERNMENT_VALUES),
                "gift.foreign_source": foreign,
                "gift.to_government": g.to_government,
                "gift.recipient_levels": levels,
                "gift.disposition": _value(g.disposition),
            }
        )
        _apply_answers(row, g.ref, answers)
        rows.append(row)
    return FactTable.from_columns(
        "gift", [g.ref for g in gifts], _columns("gift", rows), titles=[g.description for g in gifts]
    )


def facts_for_records(
    record: str, records: list, ctx: Context, answers: Answers | None = None, unknown: dict[str, set[str]] | None = None
) -> FactTable:
    if record == "engagement":
        return engagement_facts(records, ctx, answers, unknown)
    if record == "agreement":
        return agreement_facts(records, ctx, answers)
    return gift_facts(records, ctx, answers)
