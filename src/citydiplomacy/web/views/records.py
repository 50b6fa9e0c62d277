"""Pages of partners, people and agreements, with the records around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from ...domain import Agreement, NotFound, Partner, Person, Workspace
from ...domain.agreements import allowed_transitions
from ...domain.vocab import PartnerKind
from ...services import history, registry
from ...services.dashboard import today_in
from ...services.registry import Actor, ListQuery
from .common import (
    Cell,
    Fact,
    Link,
    external_url,
    format_day,
    format_moment,
    labelled,
    list_path,
    names_of,
    record_path,
)
from .places import country_name, reference_tie_rows
from .timeline import FollowUpRow, TimelineEntry, open_follow_ups, timeline
from .warnings import expiry_text, expiry_warning_of

__all__ = [
    "AgreementView",
    "PartnerView",
    "PersonView",
    "agreement_view",
    "partner_view",
    "person_view",
]

#: How many related records a detail page shows before linking to the full list.
RELATED = 20


@dataclass
class Related:
    """A short list of related records, and where to see all of them."""

    total: int
    rows: list[list[Cell]]
    more_url: str | None = field(default=None, metadata={"help": "The filtered list page, when there are more."})


def _engagements_with(engine: Engine, ws: str, actor: Actor, **filters: str) -> Related:
    page = registry.list_records(
        engine, ws, "engagements", ListQuery(per_page=RELATED, sort="-start", **filters), actor
    )
    rows = [
        [
            Cell(format_moment(e.start, e.timezone, e.date_precision)),
            Cell(e.title, record_path(ws, "engagements", e.ref)),
            Cell(labelled(e.kind)),
        ]
        for e in page.items
    ]
    more = None
    if page.total > len(page.items):
        key, value = next(iter(filters.items()))
        more = f"{list_path(ws, 'engagements')}?{key}={value}"
    return Related(page.total, rows, more)


def _agreements_with(engine: Engine, ws: str, actor: Actor, partner: str, today: date) -> Related:
    page = registry.list_records(engine, ws, "agreements", ListQuery(per_page=RELATED, partner=partner), actor)
    rows = [
        [
            Cell(a.title, record_path(ws, "agreements", a.ref)),
            Cell(labelled(a.kind)),
            Cell(labelled(a.status)),
            Cell(format_day(a.signed_on, a.date_precision)),
            Cell(expiry_text(a, today)),
        ]
        for a in page.items
    ]
    more = f"{list_path(ws, 'agreements')}?partner={partner}" if page.total > len(page.items) else None
    return Related(page.total, rows, more)


def _span(start, end) -> str:
    if not start and not end:
        return "dates unknown"
    return f"{format_day(start) or '…'} – {format_day(end) or 'present'}"


def _common_facts(record) -> list[Fact]:
    return [
        Fact("Confidentiality", labelled(record.confidentiality)),
        Fact("Source", record.source or ""),
        Fact("Ref", record.ref),
    ]


# -- partners ----------------------------------------------------------------------------


@dataclass
class PartnerView:
    workspace: Workspace
    partner: Partner = field(metadata={"help": "The record, as the API returns it."})
    facts: list[Fact]
    people: list[list[Cell]] = field(metadata={"help": "Posts at this partner: person, title, dates."})
    engagements: Related
    agreements: Related
    today: date = field(metadata={"help": "The day (workspace time zone) 'current' and warnings refer to."})
    current_posts: list[list[Cell]] = field(metadata={"help": "Who holds a post here today: person, title, since."})
    timeline: list[TimelineEntry] = field(metadata={"help": "Engagements and agreements, newest first."})
    follow_ups: list[FollowUpRow] = field(metadata={"help": "Open follow-ups of its engagements."})
    can_edit: bool = False
    edit_url: str | None = None
    history_url: str = ""
    reference_ties: list[list[Cell]] | None = field(
        default=None,
        metadata={"help": "For a city or regional government: its place's twin towns on the world's list."},
    )


def partner_view(engine: Engine, ws: str, ref: str, actor: Actor) -> PartnerView:
    workspace = registry.get_workspace(engine, ws, actor)
    p: Partner = registry.get_record(engine, ws, "partners", ref, actor)
    today = today_in(workspace.timezone)
    found = history.partner_history(engine, ws, ref, actor)
    posts = registry.list_records(engine, ws, "posts", ListQuery(partner=ref, per_page=500, sort="-start"), actor).items
    # One query for every person named in the posts: the people filtered by this partner.
    people = registry.list_records(engine, ws, "people", ListQuery(partner=ref, per_page=500), actor).items
    names = {person.ref: person.name for person in people}
    facts = [
        Fact("Kind", labelled(p.kind)),
        Fact(
            "Country",
            f"{country_name(p.country_code) or p.country_code} ({p.country_code})" if p.country_code else "",
            f"/w/{ws}/countries/{p.country_code}" if p.country_code else None,
        ),
    ]
    if p.parent:
        facts.append(
            Fact(
                "Part of",
                names_of(engine, ws, "partners", [p.parent], actor)[p.parent],
                record_path(ws, "partners", p.parent),
            )
        )
    if p.place:
        facts.append(
            Fact(
                "Based in",
                names_of(engine, ws, "places", [p.place], actor)[p.place],
                record_path(ws, "places", p.place),
            )
        )
    facts += [Fact("Other names", "; ".join(p.other_names)), Fact("Website", p.website or "", external_url(p.website))]
    facts += [Fact(f"Identifier ({scheme})", value) for scheme, value in sorted(p.identifiers.items())]
    facts += _common_facts(p)
    return PartnerView(
        workspace=workspace,
        partner=p,
        facts=[f for f in facts if f.text],
        people=[
            [
                Cell(names.get(post.person, post.person), record_path(ws, "people", post.person)),
                Cell(post.title),
                Cell(_span(post.start_date, post.end_date)),
            ]
            for post in posts
        ],
        engagements=_engagements_with(engine, ws, actor, partner=ref),
        agreements=_agreements_with(engine, ws, actor, ref, today),
        today=today,
        current_posts=[
            [
                Cell(names.get(post.person, post.person), record_path(ws, "people", post.person)),
                Cell(post.title),
                Cell(format_day(post.start_date) if post.start_date else "date unknown"),
            ]
            for post in posts
            if post.held_on(today)
        ],
        timeline=timeline(ws, today, engagements=found.engagements, agreements=found.agreements),
        follow_ups=open_follow_ups(ws, found.engagements, today),
        can_edit=actor.can_write,
        edit_url=f"/w/{ws}/partners/{ref}/edit" if actor.can_write else None,
        history_url=f"/w/{ws}/history/partners/{ref}",
        reference_ties=_partner_ties(engine, workspace, p, actor),
    )


def _partner_ties(engine: Engine, workspace: Workspace, partner: Partner, actor: Actor) -> list[list[Cell]] | None:
    if partner.kind not in (PartnerKind.city, PartnerKind.subnational_government) or not partner.place:
        return None
    try:
        place = registry.get_record(engine, workspace.slug, "places", partner.place, actor)
    except NotFound:
        return None
    return reference_tie_rows(engine, workspace, place.geonames_id) if place.kind == "city" else None


# -- people ------------------------------------------------------------------------------


@dataclass
class PersonView:
    workspace: Workspace
    person: Person = field(metadata={"help": "The record, as the API returns it."})
    facts: list[Fact]
    posts: list[list[Cell]] = field(metadata={"help": "Posts held: title, organisation, dates; latest first."})
    engagements: Related
    today: date = field(metadata={"help": "The day (workspace time zone) 'current' refers to."})
    current_posts: list[list[Cell]] = field(metadata={"help": "Posts held today: title, organisation, since."})
    timeline: list[TimelineEntry] = field(metadata={"help": "Engagements and posts begun or ended, newest first."})
    follow_ups: list[FollowUpRow] = field(metadata={"help": "Open follow-ups of engagements they took part in."})
    can_edit: bool = False
    edit_url: str | None = None
    history_url: str = ""


def person_view(engine: Engine, ws: str, ref: str, actor: Actor) -> PersonView:
    workspace = registry.get_workspace(engine, ws, actor)
    person: Person = registry.get_record(engine, ws, "people", ref, actor)
    today = today_in(workspace.timezone)
    found = history.person_history(engine, ws, ref, actor)
    posts = registry.list_records(engine, ws, "posts", ListQuery(person=ref, per_page=500, sort="-start"), actor).items
    partners = names_of(engine, ws, "partners", [post.partner for post in posts], actor)
    facts = [
        Fact("Honorific", person.honorific or ""),
        Fact("Other names", "; ".join(person.other_names)),
        Fact(
            "Country",
            person.country_code or "",
            f"/w/{ws}/countries/{person.country_code}" if person.country_code else None,
        ),
        Fact("Email", person.email or ""),
        Fact("Phone", person.phone or ""),
    ] + _common_facts(person)
    return PersonView(
        workspace=workspace,
        person=person,
        facts=[f for f in facts if f.text],
        posts=[
            [
                Cell(post.title),
                Cell(partners[post.partner], record_path(ws, "partners", post.partner))
                if post.partner
                else Cell("Our government"),
                Cell(_span(post.start_date, post.end_date)),
            ]
            for post in posts
        ],
        engagements=_engagements_with(engine, ws, actor, person=ref),
        today=today,
        current_posts=[
            [
                Cell(post.title),
                Cell(partners[post.partner], record_path(ws, "partners", post.partner))
                if post.partner
                else Cell("Our government"),
                Cell(format_day(post.start_date) if post.start_date else "date unknown"),
            ]
            for post in posts
            if post.held_on(today)
        ],
        timeline=timeline(
            ws, today, engagements=found.engagements, posts=posts, names={k: v for k, v in partners.items() if k}
        ),
        follow_ups=open_follow_ups(ws, found.engagements, today),
        can_edit=actor.can_write,
        edit_url=f"/w/{ws}/people/{ref}/edit" if actor.can_write else None,
        history_url=f"/w/{ws}/history/people/{ref}",
    )


# -- agreements --------------------------------------------------------------------------


@dataclass
class AgreementView:
    workspace: Workspace
    agreement: Agreement = field(metadata={"help": "The record, as the API returns it."})
    facts: list[Fact]
    parties: list[Link]
    documents: list[Link]
    warning: str = field(default="", metadata={"help": "Expired, or expiring within 90 days (workspace's today)."})
    warning_level: str | None = field(default=None, metadata={"help": "'expired', 'expiring' or none."})
    next_statuses: list[Link] = field(
        default_factory=list,
        metadata={"help": "Allowed next steps of the lifecycle: text is the label, url the status value."},
    )
    can_edit: bool = False
    edit_url: str | None = None
    status_url: str = ""
    history_url: str = ""


def agreement_view(engine: Engine, ws: str, ref: str, actor: Actor) -> AgreementView:
    workspace = registry.get_workspace(engine, ws, actor)
    a: Agreement = registry.get_record(engine, ws, "agreements", ref, actor)
    today = today_in(workspace.timezone)
    partner_names = names_of(engine, ws, "partners", [p.partner for p in a.parties], actor)
    place_names = names_of(engine, ws, "places", [p.place for p in a.parties], actor)
    parties = []
    for party in a.parties:
        if party.partner:
            parties.append(Link(partner_names[party.partner], record_path(ws, "partners", party.partner)))
        elif party.place:
            parties.append(Link(place_names[party.place], record_path(ws, "places", party.place)))
        else:
            parties.append(Link(workspace.name))
    recognised = {True: "yes", False: "no", None: ""}[a.recognised_by_national_org]
    facts = [
        Fact("Kind", labelled(a.kind)),
        Fact("Status", labelled(a.status)),
        Fact("Signed", format_day(a.signed_on, a.date_precision)),
        Fact("In effect from", format_day(a.effective_on, a.date_precision)),
        Fact("Expires", format_day(a.expires_on, a.date_precision)),
        Fact("Legally binding", "yes" if a.binding else "no"),
        Fact("Recognised by a national sister-city organisation", recognised),
    ] + _common_facts(a)
    return AgreementView(
        workspace=workspace,
        agreement=a,
        facts=[f for f in facts if f.text],
        parties=parties,
        documents=[
            Link(d.title + (f" ({d.reference})" if d.reference else ""), external_url(d.url)) for d in a.documents
        ],
        warning=expiry_text(a, today),
        warning_level=expiry_warning_of(a, today),
        next_statuses=[Link(labelled(s), s.value) for s in allowed_transitions(a.status)] if actor.can_write else [],
        can_edit=actor.can_write,
        edit_url=f"/w/{ws}/agreements/{ref}/edit" if actor.can_write else None,
        status_url=f"/w/{ws}/agreements/{ref}/status",
        history_url=f"/w/{ws}/history/agreements/{ref}",
    )
