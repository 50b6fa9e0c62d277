"""The public transparency page: a workspace's public engagements and agreements, nothing else.

The view holds only what is fit to publish: titles, dates, kinds, partners' names and
summaries of public records. It never carries internal notes, sources or the names of
people, and the records come from a service that can read public records only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from ...domain.base import is_hidden_ref
from ...domain.vocab import SDG_GOALS, label
from ...services.transparency import PUBLIC, public_records
from ..pagination import page_links
from .common import format_day, format_moment, labelled, names_of

__all__ = ["PublicAgreement", "PublicEngagement", "PublicView", "public_view"]


@dataclass
class PublicWorkspace:
    slug: str
    name: str
    country_code: str
    timezone: str


@dataclass
class PublicEngagement:
    ref: str
    title: str
    when: str = field(metadata={"help": "Start in the engagement's own time zone, with the zone and UTC offset."})
    start: str = field(metadata={"help": "ISO 8601 with offset."})
    kind: str
    status: str
    partners: list[str] = field(metadata={"help": "Names of the public partner organisations."})
    topics: list[str]
    sdgs: list[str]
    summary: str | None
    outcomes: str | None


@dataclass
class PublicAgreement:
    ref: str
    title: str
    kind: str
    status: str
    signed: str
    expires: str
    parties: list[str]
    summary: str | None


@dataclass
class PublicView:
    """Everything on the transparency page (and its JSON twin)."""

    public_workspace: PublicWorkspace
    engagements: list[PublicEngagement]
    engagements_total: int
    page: int
    pages: int
    links: dict[str, str]
    agreements: list[PublicAgreement]


def public_view(engine: Engine, ws: str, url: str, page: int = 1) -> PublicView:
    found = public_records(engine, ws, page=page)
    w = found.workspace
    partner_refs = [r for e in found.engagements.items for r in e.partners]
    partner_refs += [p.partner for a in found.agreements.items for p in a.parties if p.partner]
    # Names are looked up as the public reader: a non-public partner keeps only its ref hidden below.
    names = names_of(engine, ws, "partners", partner_refs, PUBLIC)
    places = names_of(
        engine, ws, "places", [p.place for a in found.agreements.items for p in a.parties if p.place], PUBLIC
    )

    def public_name(ref: str, known: dict[str, str]) -> str | None:
        """The name of a public partner or place; nothing at all for any other."""
        name = known.get(ref)
        return None if name in (None, ref) or is_hidden_ref(ref) else name

    engagements = [
        PublicEngagement(
            ref=e.ref,
            title=e.title,
            when=format_moment(e.start, e.timezone, e.date_precision),
            start=e.start.isoformat(),
            kind=labelled(e.kind),
            status=labelled(e.status),
            partners=[n for n in (public_name(r, names) for r in e.partners) if n],
            topics=[label(t) for t in e.topics],
            sdgs=[f"{n}. {SDG_GOALS[n]}" for n in e.sdgs],
            summary=e.summary,
            outcomes=e.outcomes,
        )
        for e in found.engagements.items
    ]
    agreements = []
    for a in found.agreements.items:
        parties = []
        for party in a.parties:
            if party.us:
                parties.append(w.name)
            elif party.partner and public_name(party.partner, names):
                parties.append(names[party.partner])
            elif party.place and public_name(party.place, places):
                parties.append(places[party.place])
        agreements.append(
            PublicAgreement(
                a.ref,
                a.title,
                labelled(a.kind),
                labelled(a.status),
                format_day(a.signed_on, a.date_precision) if a.signed_on else "",
                format_day(a.expires_on),
                parties,
                a.summary,
            )
        )
    return PublicView(
        public_workspace=PublicWorkspace(w.slug, w.name, w.country_code, w.timezone),
        engagements=engagements,
        engagements_total=found.engagements.total,
        page=found.engagements.page,
        pages=found.engagements.pages,
        links=page_links(url, found.engagements.page, found.engagements.pages),
        agreements=agreements,
    )
