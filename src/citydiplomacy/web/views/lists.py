"""List pages (engagements, partners, people, agreements): a filter form, a table, a pager.

The filters are the API's (:class:`ListQuery`); each page offers those that apply to
its record type, so a link copied from the page works against the API too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import Engine

from ...domain import Agreement, Record, Workspace
from ...domain.vocab import (
    SDG_GOALS,
    TOPICS,
    AgreementKind,
    AgreementStatus,
    EngagementKind,
    EngagementStatus,
    PartnerKind,
    PlaceKind,
    label,
)
from ...services import registry
from ...services.dashboard import today_in
from ...services.registry import Actor, ListQuery
from ..pagination import page_links
from .common import (
    Cell,
    Link,
    api_path,
    format_day,
    format_moment,
    labelled,
    record_name,
    record_path,
)
from .warnings import expiry_text

__all__ = ["LIST_PAGES", "FilterField", "ListView", "export_links", "list_view"]


@dataclass
class Option:
    value: str
    label: str


@dataclass
class FilterField:
    name: str = field(metadata={"help": "Query parameter (the same as the API's)."})
    label: str
    input: str = field(default="text", metadata={"help": "text, date, number or select."})
    value: str = ""
    options: list[Option] = field(default_factory=list)


def _options(values) -> list[Option]:
    return [Option(str(getattr(v, "value", v)), label(str(getattr(v, "value", v)))) for v in values]


def _text(name: str, text: str) -> Callable[[], FilterField]:
    return lambda: FilterField(name, text)


def _date(name: str, text: str) -> Callable[[], FilterField]:
    return lambda: FilterField(name, text, "date")


def _select(name: str, text: str, options: list[Option]) -> Callable[[], FilterField]:
    return lambda: FilterField(name, text, "select", options=list(options))


Column = tuple[str, Callable[[str, Record], Cell]]


def _link_self(plural: str):
    return lambda ws, r: Cell(record_name(r), record_path(ws, plural, r.ref))


def _refs(plural: str, refs: list[str | None], ws: str) -> Cell:
    links = [Link(ref, record_path(ws, plural, ref)) for ref in refs if ref]
    return Cell(", ".join(link.text for link in links), links=links)


def _agreement_parties(ws: str, a: Agreement) -> Cell:
    links = []
    for party in a.parties:
        if party.partner:
            links.append(Link(party.partner, record_path(ws, "partners", party.partner)))
        elif party.place:
            links.append(Link(party.place, record_path(ws, "places", party.place)))
        else:
            links.append(Link("us"))
    return Cell(", ".join(link.text for link in links), links=links)


@dataclass(frozen=True)
class ListPage:
    """What a list page offers for one record type."""

    plural: str
    title: str
    filters: tuple[Callable[[], FilterField], ...]
    sorts: tuple[tuple[str, str], ...]
    columns: tuple[Column, ...]


LIST_PAGES: dict[str, ListPage] = {
    "engagements": ListPage(
        "engagements",
        "Engagements",
        (
            _text("q", "Title contains"),
            _date("date_from", "From (day)"),
            _date("date_to", "To (day)"),
            _select("kind", "Kind", _options(EngagementKind)),
            _select("status", "Status", _options(EngagementStatus)),
            _select("topic", "Topic", _options(TOPICS)),
            _text("country", "Country code"),
            _text("partner", "Partner ref"),
            _text("person", "Person ref"),
            _select("sdg", "UN SDG", [Option(str(n), f"{n}. {name}") for n, name in SDG_GOALS.items()]),
        ),
        (
            ("-start", "Newest first"),
            ("start", "Oldest first"),
            ("title", "Title"),
            ("kind", "Kind"),
            ("status", "Status"),
        ),
        (
            ("When", lambda ws, e: Cell(format_moment(e.start, e.timezone, e.date_precision))),
            ("Title", _link_self("engagements")),
            ("Kind", lambda ws, e: Cell(labelled(e.kind))),
            ("Status", lambda ws, e: Cell(labelled(e.status))),
            ("Partners", lambda ws, e: _refs("partners", e.partners, ws)),
        ),
    ),
    "partners": ListPage(
        "partners",
        "Partners",
        (_text("q", "Name contains"), _select("kind", "Kind", _options(PartnerKind)), _text("country", "Country code")),
        (("name", "Name"), ("country", "Country"), ("kind", "Kind")),
        (
            ("Name", _link_self("partners")),
            ("Kind", lambda ws, p: Cell(labelled(p.kind))),
            ("Country", lambda ws, p: Cell(p.country_code or "")),
            ("Ref", lambda ws, p: Cell(p.ref)),
        ),
    ),
    "people": ListPage(
        "people",
        "People",
        (
            _text("q", "Name contains"),
            _text("country", "Country code"),
            _text("partner", "Held a post at (partner ref)"),
        ),
        (("name", "Name"),),
        (
            ("Name", _link_self("people")),
            ("Honorific", lambda ws, p: Cell(p.honorific or "")),
            ("Country", lambda ws, p: Cell(p.country_code or "")),
            ("Ref", lambda ws, p: Cell(p.ref)),
        ),
    ),
    "agreements": ListPage(
        "agreements",
        "Agreements",
        (
            _text("q", "Title contains"),
            _select("kind", "Kind", _options(AgreementKind)),
            _select("status", "Status", _options(AgreementStatus)),
            _text("country", "Country code"),
            _text("partner", "Partner ref"),
            _date("date_from", "Signed from"),
            _date("date_to", "Signed to"),
        ),
        (
            ("-signed", "Newest first"),
            ("signed", "Oldest first"),
            ("title", "Title"),
            ("expires", "Expiry"),
            ("status", "Status"),
        ),
        (
            ("Title", _link_self("agreements")),
            ("Kind", lambda ws, a: Cell(labelled(a.kind))),
            ("Status", lambda ws, a: Cell(labelled(a.status))),
            ("Signed", lambda ws, a: Cell(format_day(a.signed_on, a.date_precision))),
            ("Expires", lambda ws, a: Cell(format_day(a.expires_on))),
            ("Parties", _agreement_parties),
        ),
    ),
    "places": ListPage(
        "places",
        "Places",
        (_text("q", "Name contains"), _select("kind", "Kind", _options(PlaceKind)), _text("country", "Country code")),
        (("name", "Name"), ("country", "Country"), ("-population", "Largest first")),
        (
            ("Name", _link_self("places")),
            ("Kind", lambda ws, p: Cell(labelled(p.kind))),
            ("Country", lambda ws, p: Cell(p.country_code, f"/w/{ws}/countries/{p.country_code}")),
            ("State or province", lambda ws, p: Cell(p.admin1 or p.subdivision_code or "")),
            ("Population", lambda ws, p: Cell(f"{p.population:,}" if p.population else "")),
        ),
    ),
}


#: Extra columns: ``f(engine, ws, plural, records, actor) -> (heading, cells) | None``, one cell per record.
EXTRA_COLUMNS: list[Callable[..., tuple[str, list[Cell]] | None]] = []


@dataclass
class ListView:
    """A page of records with the filters that produced it."""

    workspace: Workspace
    plural: str
    title: str
    items: list[Record] = field(metadata={"help": "The records on this page, as the API returns them."})
    headers: list[str] = field(metadata={"help": "Column headings of the table."})
    rows: list[list[Cell]] = field(metadata={"help": "Table cells, one list per record, in the order of items."})
    total: int
    page: int
    per_page: int
    pages: int
    links: dict[str, str] = field(metadata={"help": "first, prev, next and last page addresses."})
    filters: list[FilterField] = field(metadata={"help": "The filter form, with the values in use."})
    sorts: list[Option]
    sort: str = ""
    api_url: str = ""
    can_edit: bool = False
    new_url: str | None = field(default=None, metadata={"help": "Form to add a record (for those who may)."})
    new_label: str = ""
    exports: list[Link] = field(default_factory=list, metadata={"help": "Downloads of every record of this type."})


def list_view(engine: Engine, ws: str, plural: str, query: ListQuery, actor: Actor, url: str) -> ListView:
    """``url`` is the page's own address; the pager keeps its parameters."""
    spec = LIST_PAGES[plural]
    workspace = registry.get_workspace(engine, ws, actor)
    page = registry.list_records(engine, ws, plural, query, actor)
    filters = []
    for make in spec.filters:
        item = make()
        value = getattr(query, item.name)
        item.value = "" if value is None else str(value)
        filters.append(item)
    rows = [[column(ws, record) for _heading, column in spec.columns] for record in page.items]
    headers = [heading for heading, _ in spec.columns]
    for extra in EXTRA_COLUMNS:  # columns other capabilities add (the rules badge)
        added = extra(engine, ws, plural, page.items, actor)
        if added:
            headers.append(added[0])
            for row, cell in zip(rows, added[1]):
                row.append(cell)
    if plural == "agreements":
        today = today_in(workspace.timezone)
        headers.append("Expiry warning")
        for row, record in zip(rows, page.items):
            row.append(Cell(expiry_text(record, today)))
    used = query.model_dump(mode="json", exclude_defaults=True, exclude={"visible"})
    return ListView(
        workspace=workspace,
        plural=plural,
        title=spec.title,
        items=page.items,
        headers=headers,
        rows=rows,
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
        links=page_links(url, page.page, page.pages),
        filters=filters,
        sorts=[Option(value, text) for value, text in spec.sorts],
        sort=query.sort or spec.sorts[0][0],
        api_url=api_path(ws, plural) + (f"?{urlencode(used)}" if used else ""),
        can_edit=actor.can_write,
        new_url=f"/w/{ws}/{plural}/new" if actor.can_write else None,
        new_label=NEW_LABELS.get(plural, ""),
        exports=export_links(ws, plural),
    )


NEW_LABELS = {
    "engagements": "Log an engagement",
    "partners": "Add a partner",
    "people": "Add a person",
    "agreements": "Add an agreement",
    "places": "Add a place",
}


def export_links(ws: str, plural: str) -> list[Link]:
    links = [
        Link("Export all as CSV", f"/w/{ws}/export/{plural}.csv"),
        Link("Export all as JSON", f"/w/{ws}/export/{plural}.json"),
    ]
    if plural == "engagements":
        links.append(Link("Export planned engagements as a calendar (.ics)", f"/w/{ws}/export/engagements.ics"))
    return links
