"""An engagement's page: when (with its time zone), who took part and in which capacity."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from ...domain import Engagement, NotFound, PermissionDenied, Post, Workspace, title_on
from ...domain.vocab import SDG_GOALS, label
from ...services import registry
from ...services.registry import Actor, ListQuery
from .common import Fact, Link, format_moment, labelled, names_of, record_path

__all__ = ["EngagementView", "ParticipantRow", "engagement_view"]


@dataclass
class ParticipantRow:
    person: str = field(metadata={"help": "Ref of the person."})
    name: str
    url: str
    side: str = field(metadata={"help": "ours or theirs."})
    role: str | None = None
    title: str | None = field(
        default=None,
        metadata={
            "help": "The pinned post's title, else the title of the post the person held on the engagement's date."
        },
    )
    title_from: str | None = field(default=None, metadata={"help": "'pinned post' or 'post held on the date'."})


@dataclass
class EngagementView:
    workspace: Workspace
    engagement: Engagement = field(metadata={"help": "The record, as the API returns it."})
    when: str = field(metadata={"help": "Start in the engagement's time zone, with the zone and UTC offset."})
    ends: str
    local_date: str = field(metadata={"help": "The calendar day (in the engagement's zone) titles are looked up on."})
    facts: list[Fact]
    venue: Link | None
    partners: list[Link]
    participants: list[ParticipantRow]
    topics: list[str]
    sdgs: list[str]
    can_edit: bool = False
    edit_url: str | None = None
    history_url: str = ""


def _posts_of(engine: Engine, ws: str, person: str, actor: Actor) -> list[Post]:
    return registry.list_records(engine, ws, "posts", ListQuery(person=person, per_page=500), actor).items


def _participant(
    engine: Engine, ws: str, engagement: Engagement, participant, names: dict[str, str], actor: Actor
) -> ParticipantRow:
    title, source = None, None
    if participant.post:
        try:
            title, source = registry.get_record(engine, ws, "posts", participant.post, actor).title, "pinned post"
        except (NotFound, PermissionDenied):
            title = None
    if title is None:
        title = title_on(_posts_of(engine, ws, participant.person, actor), engagement.on)
        source = "post held on the date" if title else None
    return ParticipantRow(
        person=participant.person,
        name=names.get(participant.person, participant.person),
        url=record_path(ws, "people", participant.person),
        side=participant.side.value,
        role=participant.role,
        title=title,
        title_from=source,
    )


def engagement_view(engine: Engine, ws: str, ref: str, actor: Actor) -> EngagementView:
    workspace = registry.get_workspace(engine, ws, actor)
    e: Engagement = registry.get_record(engine, ws, "engagements", ref, actor)
    people = names_of(engine, ws, "people", [p.person for p in e.participants], actor)
    partners = names_of(engine, ws, "partners", e.partners, actor)
    venue = None
    if e.venue_place:
        venue_name = names_of(engine, ws, "places", [e.venue_place], actor)[e.venue_place]
        venue = Link(venue_name, record_path(ws, "places", e.venue_place))
    facts = [
        Fact("Kind", labelled(e.kind)),
        Fact("Status", labelled(e.status)),
        Fact("Channel", labelled(e.channel)),
        Fact("Initiated by", labelled(e.initiated_by)),
        Fact("Official capacity", "yes" if e.official_capacity else "no"),
        Fact("Venue kind", labelled(e.venue_kind)),
        Fact("Venue", e.venue_name or ""),
        Fact("Expected attendance", "" if e.expected_attendance is None else str(e.expected_attendance)),
        Fact("Confidentiality", labelled(e.confidentiality)),
        Fact("Entered by", e.entered_by or ""),
        Fact("Source", e.source or ""),
        Fact("Ref", e.ref),
    ]
    return EngagementView(
        workspace=workspace,
        engagement=e,
        when=format_moment(e.start, e.timezone, e.date_precision),
        ends=format_moment(e.end, e.timezone, e.date_precision) if e.end else "",
        local_date=e.on.isoformat(),
        facts=[f for f in facts if f.text],
        venue=venue,
        partners=[Link(partners[r], record_path(ws, "partners", r)) for r in e.partners],
        participants=[_participant(engine, ws, e, p, people, actor) for p in e.participants],
        topics=[label(t) for t in e.topics],
        sdgs=[f"{n}. {SDG_GOALS[n]}" for n in e.sdgs],
        can_edit=actor.can_write,
        edit_url=f"/w/{ws}/engagements/{ref}/edit" if actor.can_write else None,
        history_url=f"/w/{ws}/history/engagements/{ref}",
    )
